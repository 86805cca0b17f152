"""The action log followed through three plan months of a log made by hand."""

from datetime import date

import duckdb
import polars as pl
import pytest

from sop.core.tables import FOLLOW_THROUGH
from sop.core.warehouse import create_views, transaction
from sop.decisions import build_action_log
from sop.publish.drafts import publish_table

SEP, OCT, NOV = date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)
JUL, AUG, DEC = date(2026, 7, 1), date(2026, 8, 1), date(2026, 12, 1)
COLUMNS = ("action_id", "decided_month", "due_month", "status", "closed_month")
LOGS = {
    # As kept at the close of August: A2 was due in August and is still open.
    SEP: [
        ("A1", JUL, SEP, "open", None),
        ("A2", JUL, AUG, "open", None),
        ("A3", AUG, OCT, "in_progress", None),
    ],
    # A1 done in its month, A2 a month late; A3 moved to November; A4 decided in September, due now.
    OCT: [
        ("A1", JUL, SEP, "done", SEP),
        ("A2", JUL, AUG, "done", SEP),
        ("A3", AUG, NOV, "in_progress", None),
        ("A4", SEP, OCT, "open", None),
    ],
    # A2 is gone from the file; A3 moved again; A4 was not done in October; A5 dropped.
    NOV: [
        ("A1", JUL, SEP, "done", SEP),
        ("A3", AUG, DEC, "in_progress", None),
        ("A4", SEP, OCT, "open", None),
        ("A5", OCT, DEC, "dropped", OCT),
    ],
}


@pytest.fixture
def logs(con: duckdb.DuckDBPyConnection) -> dict[date, dict[str, dict]]:
    """Each month's log built, then published, in order; the rows of each by action_id."""
    rows = [
        {"plan_month": month, **dict(zip(COLUMNS, action, strict=True))}
        for month, actions in LOGS.items()
        for action in actions
    ]
    staged = pl.DataFrame(rows, schema_overrides={"closed_month": pl.Date}).with_columns(
        pl.format("Action {}", pl.col("action_id")).alias("description"),
        pl.lit("Owner").alias("owner"),
        pl.lit("Tools").alias("product_family"),
        pl.lit(None, dtype=pl.String).alias("risk_kind"),
        pl.int_range(1, pl.len() + 1).over("plan_month").alias("_source_row"),
    )
    con.register("staged", staged.to_arrow())
    con.execute("create table stg_actions as select * from staged")
    con.unregister("staged")
    built = {}
    for month in LOGS:
        warnings = build_action_log(con, month).warnings(month)
        with transaction(con):
            publish_table(con, "action_log", month)
        log = con.sql("select * from action_log where plan_month = $m", params={"m": month}).pl()
        built[month] = {row["action_id"]: row | {"warnings": warnings} for row in log.iter_rows(named=True)}
    return built


def test_the_first_log_is_all_new_and_an_action_past_its_due_month_is_overdue(logs: dict) -> None:
    first = logs[SEP]
    assert all(row["new"] and not row["missing"] for row in first.values())
    assert (first["A2"]["open"], first["A2"]["months_overdue"]) == (True, 1)
    assert (first["A1"]["due_this_month"], first["A1"]["months_overdue"]) == (True, 0)
    assert first["A3"]["months_overdue"] == 0 and not first["A3"]["due_this_month"]


def test_done_by_its_due_month_is_on_time_after_it_late(logs: dict) -> None:
    october = logs[OCT]
    assert (october["A1"]["done_on_time"], october["A1"]["done_late"], october["A1"]["open"]) == (True, False, False)
    assert (october["A2"]["done_on_time"], october["A2"]["done_late"]) == (False, True)
    assert october["A2"]["months_overdue"] == 0  # closed: no longer overdue
    assert (october["A4"]["new"], october["A4"]["due_this_month"]) == (True, True)
    assert not october["A1"]["new"]


def test_a_due_month_moved_later_is_a_slip_and_slips_are_counted(logs: dict) -> None:
    assert (logs[SEP]["A3"]["slipped"], logs[SEP]["A3"]["times_slipped"]) == (False, 0)
    assert (logs[OCT]["A3"]["slipped"], logs[OCT]["A3"]["times_slipped"]) == (True, 1)
    assert (logs[NOV]["A3"]["slipped"], logs[NOV]["A3"]["times_slipped"]) == (True, 2)
    assert logs[NOV]["A3"]["first_due_month"] == OCT
    assert logs[NOV]["A3"]["first_seen_plan_month"] == SEP
    assert not logs[NOV]["A1"]["slipped"]


def test_an_action_gone_from_the_file_is_kept_as_it_was_and_reported(logs: dict) -> None:
    november = logs[NOV]
    assert november["A2"]["missing"] and not november["A2"]["new"]
    assert (november["A2"]["status"], november["A2"]["done_late"]) == ("done", True)
    assert sum(row["missing"] for row in november.values()) == 1
    (warning,) = november["A2"]["warnings"]
    assert "A2" in warning and "2026-10" in warning and "not in this month's actions file" in warning


def test_open_past_due_counts_the_months_and_dropped_is_closed(logs: dict) -> None:
    november = logs[NOV]
    assert (november["A4"]["open"], november["A4"]["months_overdue"]) == (True, 1)
    assert (november["A5"]["status"], november["A5"]["open"], november["A5"]["new"]) == ("dropped", False, True)
    assert not november["A5"]["done_on_time"] and not november["A5"]["done_late"]


def test_follow_through_is_the_share_of_actions_due_that_were_done_by_their_due_month(
    con: duckdb.DuckDBPyConnection, logs: dict
) -> None:
    create_views(con, (FOLLOW_THROUGH,))
    rows = con.sql("select * from follow_through order by plan_month, window_months").pl()
    by_key = {(row["plan_month"], row["window_months"]): row for row in rows.iter_rows(named=True)}
    # October, due July to September: A1 on time, A2 late.
    october = by_key[(OCT, 3)]
    assert (october["actions_due"], october["done_by_due_month"], october["done_later"]) == (2, 1, 1)
    assert october["follow_through"] == pytest.approx(1 / 2)
    # November, due August to October as first committed: A1 on time, A2 late (missing, as last seen),
    # A3 (first due in October, slipped twice since) and A4 still open.
    november = by_key[(NOV, 3)]
    assert (november["actions_due"], november["done_by_due_month"], november["still_open"]) == (4, 1, 2)
    assert november["follow_through"] == pytest.approx(1 / 4)
    assert by_key[(NOV, 6)]["actions_due"] == 4  # A5 is due in December
    assert by_key[(SEP, 3)]["actions_due"] == 1  # A2, due August, open
