"""Stage 9, publish: the month's drafts become the published tables, all at once."""

import dagster as dg

from assets.audit import run_writer
from pipelines.partitions import WAREHOUSE_POOL, plan_month_of, plan_months
from pipelines.resources import SopStorage
from sop.core import tables
from sop.publish import IncompleteDraftsError, publish_month


@dg.asset(
    deps=tables.EXPORTED,
    partitions_def=plan_months,
    group_name="publish",
    pool=WAREHOUSE_POOL,
    kinds={"duckdb"},
    description=(
        "Publishes the month: every stage wrote its tables as drafts (`draft.<table>`) and signed them with its"
        " run; once all of them ran and every check passed, one transaction replaces the month in each"
        " published table, if every draft is this run's (or the run it re-executes) and whole. Readers see"
        " the old month or the new one, never a mixture."
    ),
)
def published_month(context: dg.AssetExecutionContext, storage: SopStorage) -> dg.MaterializeResult:
    with storage.connect() as con:
        try:
            rows = publish_month(con, plan_month_of(context), run_writer(context))
        except IncompleteDraftsError as error:
            raise dg.Failure(description=str(error), allow_retries=False) from None
    return dg.MaterializeResult(metadata={f"{table}_rows": count for table, count in rows.items()})
