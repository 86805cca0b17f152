"""Reading the report models (`sql/reports/`): one plan month of a question's answer, in the order the
meeting reads it."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from sop.core import tables
from sop.core.warehouse import one_thread, quote_identifier


def read_report(con: duckdb.DuckDBPyConnection, name: str, plan_month: date, history: bool = False) -> pl.DataFrame:
    """The report's rows of the plan month, or of every plan month up to it (`history`)."""
    compare = "<=" if history else "="
    sql = (
        f"select * exclude (position) from {quote_identifier(name)}"
        f" where plan_month {compare} $plan_month order by plan_month, position"
    )
    # The models add up floats: on one thread the same rows give the same last digits.
    with one_thread(con):
        return con.sql(sql, params={"plan_month": plan_month}).pl()


def plan_settings(con: duckdb.DuckDBPyConnection, plan_month: date) -> dict[str, object]:
    """The settings the month was planned with (`plan_settings`)."""
    sql = f"select * from {tables.PLAN_SETTINGS} where plan_month = $plan_month"
    rows = con.sql(sql, params={"plan_month": plan_month})
    settings = rows.pl().to_dicts()
    if not settings:
        raise LookupError(f"plan month {plan_month:%Y-%m} has no published settings: publish the month first")
    return settings[0]
