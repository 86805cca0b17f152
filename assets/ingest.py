"""Stage 1, ingest: each extract of the plan month lands in `raw_<extract>` as it arrived, and its
contract check (stage 2, `assets/validate.py`) runs on it in the same step."""

from datetime import UTC, datetime

import dagster as dg

from assets.validate import check_contract, contract_check_spec
from pipelines.partitions import WAREHOUSE_POOL, plan_month_of, plan_months
from pipelines.resources import SopStorage
from sop.intake import EXTRACTS, SALES, ExtractError, ExtractSpec, land_extract


def _raw_asset(spec: ExtractSpec) -> dg.AssetsDefinition:
    @dg.asset(
        name=spec.raw_table,
        partitions_def=plan_months,
        group_name="ingest",
        pool=WAREHOUSE_POOL,
        kinds={"duckdb"},
        # The other extracts' rules name skus and families known from the same month's sales.
        deps=[] if spec is SALES else [SALES.raw_table],
        check_specs=[contract_check_spec(spec)],
        description=(
            f"The {spec.name} extract of the plan month, every value as text, with its source file,"
            f" checksum and load time. Grain: {spec.grain}."
        ),
    )
    def _land(context: dg.AssetExecutionContext, storage: SopStorage) -> dg.MaterializeResult:
        plan_month = plan_month_of(context)
        with storage.connect() as con:
            try:
                landed = land_extract(con, spec, storage.paths.extracts_dir, plan_month, datetime.now(UTC))
            except ExtractError as error:
                raise dg.Failure(description=str(error), allow_retries=False) from error
        if landed.source_file is None:
            context.log.info(f"No {spec.name} file for {context.partition_key}: {spec.when_absent}")
        if landed.extra_columns:
            context.log.warning(f"{landed.source_file}: extra columns ignored: {', '.join(landed.extra_columns)}")
        return dg.MaterializeResult(
            metadata={
                "dagster/row_count": landed.row_count,
                "source_file": dg.MetadataValue.path(str(landed.source_file or "none")),
                "source_sha256": landed.source_sha256 or "none",
                "missing_columns": ", ".join(landed.missing_columns) or "none",
                "extra_columns": ", ".join(landed.extra_columns) or "none",
            },
            check_results=[check_contract(context, storage, spec, plan_month)],
        )

    return _land


raw_extracts = [_raw_asset(spec) for spec in EXTRACTS.values()]
