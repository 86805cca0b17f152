"""Stage 3, stage: typed, trimmed `stg_<extract>` tables, built only after the contract checks passed; the
company's extracts are then checked against the month before and their own history (`assets/validate.py`)
in the same step."""

import dagster as dg

from assets.validate import check_against_history, history_check_spec
from pipelines.partitions import WAREHOUSE_POOL, plan_month_of, plan_months
from pipelines.resources import SopStorage
from sop.core import read_partition, tables
from sop.core.models import reads
from sop.intake import EXTRACTS, ExtractSpec, checks_of, stage_extract
from sop.report import markdown_table


def _staging_asset(spec: ExtractSpec) -> dg.AssetsDefinition:
    checked = bool(checks_of(spec.name))
    # What the checks against history read beside the extract (each sku's family, as the month's sales name it);
    # the findings they read are the month before's, written by its own run.
    read = {table for check in checks_of(spec.name) for table in reads(check)}
    beside = sorted(read - {spec.staging_table, tables.VALIDATION_RESULTS})

    @dg.asset(
        name=spec.staging_table,
        deps=[spec.raw_table, *beside],
        check_specs=[history_check_spec(spec)] if checked else [],
        partitions_def=plan_months,
        group_name="stage",
        pool=WAREHOUSE_POOL,
        kinds={"duckdb"},
        description=(
            f"The validated {spec.name} extract with contract types (DATE months, DOUBLE numbers). Grain: {spec.grain}."
        ),
    )
    def _stage(context: dg.AssetExecutionContext, storage: SopStorage) -> dg.MaterializeResult:
        plan_month = plan_month_of(context)
        with storage.connect() as con:
            rows = stage_extract(con, spec, plan_month)
            preview = read_partition(con, spec.staging_table, {"plan_month": plan_month}, limit=10)
        return dg.MaterializeResult(
            metadata={"dagster/row_count": rows, "preview": dg.MetadataValue.md(markdown_table(preview))},
            check_results=[check_against_history(context, storage, spec, plan_month)] if checked else [],
        )

    return _stage


staged_extracts = [_staging_asset(spec) for spec in EXTRACTS.values()]
