"""The decision and action log followed through: each plan month's log (`stg_actions`) against last
month's published one, into `action_log` (sql/marts/action_log.sql), whose rows say which actions are
new, open, due, overdue, done on time or late, dropped, slipped, or missing from the file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import polars as pl

from sop.core import tables
from sop.core.months import add_months, month_label
from sop.core.warehouse import draft, read_partition, replace_partition, transaction


@dataclass(frozen=True)
class ActionLog:
    rows: int
    missing: pl.DataFrame
    """The actions of last month's log that this month's file lacks, kept as they were."""

    def warnings(self, plan_month: date) -> list[str]:
        return [
            f"Action {action_id} ({owner}: {description}) is in the log of {month_label(add_months(plan_month, -1))}"
            f" but not in this month's actions file: kept as it was ({status}, due {month_label(due)})."
            for action_id, owner, description, status, due in self.missing.select(
                "action_id", "owner", "description", "status", "due_month"
            ).rows()
        ]


def build_action_log(con: duckdb.DuckDBPyConnection, plan_month: date) -> ActionLog:
    """Rebuilds the plan month's draft of `action_log`."""
    month = {"plan_month": plan_month}
    with transaction(con):
        rows = replace_partition(
            con,
            tables.ACTION_LOG,
            month,
            {"previous_plan_month": add_months(plan_month, -1)},
            into=draft(tables.ACTION_LOG),
        )
    log = read_partition(con, draft(tables.ACTION_LOG), month)
    return ActionLog(rows, log.filter(pl.col("missing")).sort("action_id"))
