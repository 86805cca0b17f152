"""Stage 11, pack: the month's S&OP pack, one self-contained HTML page beside the Parquet export."""

import dagster as dg
import polars as pl

from pipelines.partitions import WAREHOUSE_POOL, plan_month_of, plan_months
from pipelines.resources import SopStorage
from sop.core import create_views, tables
from sop.report import decision_summary, markdown_table
from sop.report.formatting import amount


@dg.asset(
    deps=["published_month"],
    partitions_def=plan_months,
    group_name="export",
    pool=WAREHOUSE_POOL,
    kinds={"html"},
    description=(
        "The monthly S&OP pack (`<export>/sop_pack/plan_month=YYYY-MM-01/sop_pack.html`): the decisions needed"
        " this month and the numbers the meeting tracks, then the brief's ten questions in order, each with a"
        " chart and its table, and the long tables in an appendix. No network resources; printable on A4 and"
        " Letter."
    ),
)
def sop_pack(context: dg.AssetExecutionContext, storage: SopStorage) -> dg.MaterializeResult:
    # matplotlib takes most of a second to import: only the step that draws pays for it, not every
    # load of the definitions.
    from sop.report.pack import write_pack

    plan_month = plan_month_of(context)
    with storage.connect() as con:
        # The report views this version reads, whatever a run of another version left.
        create_views(con, tables.REPORTS)
        path = write_pack(con, storage.paths.export_dir, plan_month)
        decisions = decision_summary(con, plan_month)
    money = pl.col("revenue_at_stake", "margin_at_stake").map_elements(amount, return_dtype=pl.String)
    return dg.MaterializeResult(
        metadata={
            "pack": dg.MetadataValue.path(str(path)),
            "bytes": path.stat().st_size,
            "decisions_now": decisions.height,
            "decisions": dg.MetadataValue.md(markdown_table(decisions.with_columns(money), 15)),
        }
    )
