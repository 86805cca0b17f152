"""Stage 3, stage: typed, trimmed `stg_<extract>` tables, built only after the checks passed."""

import dagster as dg

from pipelines.partitions import WAREHOUSE_POOL, plan_month_of, plan_months
from pipelines.resources import SopStorage
from sop.core import read_partition
from sop.intake import EXTRACTS, ExtractSpec, stage_extract
from sop.report import markdown_table


def _staging_asset(spec: ExtractSpec) -> dg.AssetsDefinition:
    @dg.asset(
        name=spec.staging_table,
        deps=[spec.raw_table],
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
            metadata={"dagster/row_count": rows, "preview": dg.MetadataValue.md(markdown_table(preview))}
        )

    return _stage


staged_extracts = [_staging_asset(spec) for spec in EXTRACTS.values()]
