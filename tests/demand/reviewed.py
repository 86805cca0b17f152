"""The demand review for tests that build the plan from a hand-made forecast."""

from datetime import date

import duckdb

from sop.demand import build_demand_plan

NO_ADJUSTMENTS = """
create table if not exists stg_adjustments (
    plan_month date, month date, product_family varchar, sku varchar, region varchar, kind varchar,
    value double, source varchar, owner varchar, reason varchar, _source_row bigint
)
"""


def review_demand(con: duckdb.DuckDBPyConnection, plan_month: date) -> None:
    """The plan month's consensus from `draft_sku_forecast` and whatever `stg_adjustments` holds
    (nothing, unless the test put changes there)."""
    con.execute(NO_ADJUSTMENTS)
    build_demand_plan(con, plan_month)
