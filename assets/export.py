"""Stage 10, export: the month's outputs as Parquet for BI tools, and the analysts' views."""

import dagster as dg

from pipelines.partitions import WAREHOUSE_POOL, plan_month_of, plan_months
from pipelines.resources import SopStorage
from sop.core import create_views, tables
from sop.publish import export_month


@dg.asset(
    deps=["published_month"],
    partitions_def=plan_months,
    group_name="export",
    pool=WAREHOUSE_POOL,
    kinds={"parquet"},
    description=(
        "Hive-partitioned Parquet of every output table (`<export>/<table>/plan_month=YYYY-MM-01/data.parquet`),"
        " each month replaced atomically; refreshes the analysts' views in DuckDB."
    ),
)
def parquet_export(context: dg.AssetExecutionContext, storage: SopStorage) -> dg.MaterializeResult:
    with storage.connect() as con:
        written = export_month(con, storage.paths.export_dir, plan_month_of(context))
        create_views(con, tables.ANALYST_VIEWS)
    return dg.MaterializeResult(
        metadata={
            **{f"{file.table}_rows": file.rows for file in written},
            **{f"{file.table}_file": dg.MetadataValue.path(str(file.path)) for file in written},
        }
    )
