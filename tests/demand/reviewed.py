"""The demand review for tests that build the plan from a hand-made forecast."""

from datetime import date

import duckdb
import polars as pl

from sop.demand import build_demand_plan
from sop.demand.consensus import CHANGE_SCHEMA

STAGED_CHANGES = pl.DataFrame(schema={"plan_month": pl.Date, **CHANGE_SCHEMA, "_source_row": pl.Int64})
"""`stg_adjustments` as staging makes it, without rows."""


def review_demand(con: duckdb.DuckDBPyConnection, plan_month: date) -> None:
    """The plan month's consensus from `draft.sku_forecast` and whatever `stg_adjustments` holds
    (nothing, unless the test put changes there)."""
    con.register("staged_changes", STAGED_CHANGES.to_arrow())
    con.execute("create table if not exists stg_adjustments as select * from staged_changes")
    con.unregister("staged_changes")
    build_demand_plan(con, plan_month)
