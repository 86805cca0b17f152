"""The monthly S&OP pack: one self-contained HTML page per plan month, from the published tables.

It opens with the decisions needed this month, then answers the brief's ten questions in order,
each with a one-line answer, a chart (inline SVG, `sop.report.charts`) and the table behind it. Nothing
is fetched from the network, and the same published numbers give the same bytes.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import duckdb
import jinja2
import polars as pl

from sop.core import tables
from sop.core.months import month_label
from sop.publish.parquet import pack_path
from sop.report.formatting import UNASSIGNED, count_of, html_table, money
from sop.report.plan_questions import (
    critical_constraints,
    decisions_ahead,
    follow_up_actions,
    long_term,
    new_items,
    risks,
    scenarios,
)
from sop.report.questions import execution, family_performance, financials, what_changed, whole_years
from sop.report.reports import plan_settings, read_report
from sop.report.scorecard import scorecard_summary, scorecard_table

CHANGE_COLUMNS = ("product_family", "prev_plan_revenue", "demand_effect", "supply_effect", "price_effect")
CHANGE_COLUMNS += ("plan_revenue", "change_forecast_units", "change_adjustment_units", "change_consensus_units")
ADJUSTMENT_COLUMNS = ("source", "owner", "product_family", "applies_to", "kind", "period", "contribution_units")
ADJUSTMENT_COLUMNS += ("reason", "changes")
ACCURACY_COLUMNS = ("plan_month", "product_family", "months", "wape", "bias", "fva", "coverage_80")
DECISION_COLUMNS = ("decide", "product_family", "risk", "period", "owner", "decide_by", "revenue_at_stake")
DECISION_COLUMNS += ("margin_at_stake", "suggested_action", "options")
OPEN_ACTION_COLUMNS = ("due_month", "months_overdue", "action_id", "owner", "product_family", "risk")
OPEN_ACTION_COLUMNS += ("description", "status", "times_slipped", "missing")
CLOSED_ACTION_COLUMNS = ("action_id", "owner", "product_family", "description", "status", "due_month", "closed_month")
CLOSED_ACTION_COLUMNS += ("done_on_time", "times_slipped")
FAMILY_TOTAL_COLUMNS = ("product_family", "actual_units_last_12_months", "plan_units_horizon", "budget_units_horizon")
LONG_TERM_COLUMNS = ("product_family", "from_month", "to_month", "demand_units", "budget_units", "gap_pct", "flagged")
"""What each section's table shows of its report model (`sql/reports/`)."""
_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("sop.report", "templates"), autoescape=True, keep_trailing_newline=True
)


def write_pack(con: duckdb.DuckDBPyConnection, export_dir: Path, plan_month: date) -> Path:
    """Renders the month's pack and replaces its file in one step (readers never see half a page)."""
    path = pack_path(export_dir, plan_month)
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_suffix(".html.tmp")
    staging.write_text(render_pack(con, plan_month), encoding="utf-8")
    os.replace(staging, path)
    return path


def render_pack(con: duckdb.DuckDBPyConnection, plan_month: date) -> str:
    def data(name: str, *columns: str) -> pl.DataFrame:
        return read_report(con, name, plan_month).select(columns)

    constraints = read_report(con, tables.CONSTRAINTS, plan_month)
    if constraints.is_empty():
        raise LookupError(f"no published plan for plan month {month_label(plan_month)}: publish the month first")
    settings = plan_settings(con, plan_month)
    currency = settings.get("currency")  # none for a month planned before it was kept
    near_term = f"the next {count_of(settings['near_term_months'], 'month')}"
    families = constraints.get_column("product_family").unique().sort().to_list()
    decisions = data(tables.DECISIONS, *DECISION_COLUMNS).with_columns(pl.col("owner").fill_null(UNASSIGNED))
    now = decisions.filter(pl.col("decide") == "now").drop("decide")
    lag_one = (pl.col("level") == "family") & (pl.col("lag") == 1)
    accuracy = read_report(con, tables.FORECAST_PERFORMANCE, plan_month, history=True).filter(lag_one)
    performance = data(
        tables.FAMILY_PERFORMANCE, "product_family", "month", "actual_units", "plan_units", "budget_units"
    )
    totals = data(tables.FAMILY_TOTALS, *FAMILY_TOTAL_COLUMNS)
    value_added = read_report(con, tables.VALUE_ADDED, plan_month).filter(pl.col("lag") == 1)
    sections = [
        what_changed(
            data(tables.CHANGE_DRIVERS, *CHANGE_COLUMNS),
            data(tables.REVIEW_ADJUSTMENTS, *ADJUSTMENT_COLUMNS),
            currency,
        ),
        execution(accuracy.select(ACCURACY_COLUMNS), value_added, plan_month),
        family_performance(performance, totals, plan_month),
        financials(whole_years(read_report(con, tables.FINANCIAL_REVIEW, plan_month)), currency),
        risks(read_report(con, tables.RISK_EPISODES, plan_month)),
        decisions_ahead(decisions, near_term, currency),
        new_items(
            data(tables.NEW_ITEMS_BY_FAMILY, "product_family", "new_skus", "new_forecast_units", "share_of_family")
        ),
        critical_constraints(constraints),
        long_term(data(tables.LONG_TERM, *LONG_TERM_COLUMNS), settings["long_horizon_from"], plan_month),
        follow_up_actions(
            data(tables.OPEN_ACTIONS, *OPEN_ACTION_COLUMNS),
            data(tables.CLOSED_ACTIONS, *CLOSED_ACTION_COLUMNS),
            read_report(con, tables.FOLLOW_THROUGH, plan_month, history=True),
            plan_month,
        ),
        scenarios(read_report(con, tables.SCENARIO_COMPARISON, plan_month).drop("plan_month"), currency),
    ]
    scorecard = read_report(con, tables.SCORECARD, plan_month)
    months = constraints.get_column("month")
    warnings = data(tables.DATA_WARNINGS, "product_family", "period", "warning", "status")
    return _TEMPLATES.get_template("pack.html.j2").render(
        plan_month=month_label(plan_month),
        families=families,
        family_count=len(families),
        horizon_from=month_label(months.min()),
        horizon_to=month_label(months.max()),
        status=_status(read_report(con, tables.PLAN_STATUS, plan_month).row(0, named=True)),
        decisions_summary=_decisions_summary(now, near_term, currency),
        decisions_table=html_table(now, currency),
        scorecard_summary=scorecard_summary(scorecard),
        scorecard_table=scorecard_table(scorecard, currency),
        sections=sections,
        settings=settings,
        data_warnings=warnings.height,
        data_warnings_summary=(
            f"{count_of(warnings.height, 'warning').capitalize()} of the checks of this month's extracts (the input"
            " contract, and the checks against last month's extracts and their own history): the plan ran on these"
            " numbers. Each is a data-quality risk of the register (question 5)."
        ),
        data_warnings_table=html_table(warnings),
    )


def _status(status: dict) -> tuple[str, str]:
    """The pack's first line: whether its plan is the approved plan of record, and its class."""
    if status["status"] == "approved":
        note = f' ("{status["approval_note"]}")' if status["approval_note"] else ""
        return "approved", (
            f"Approved plan of record: approved by {status['approved_by']} on {status['approved_at']:%Y-%m-%d %H:%M}"
            f" UTC{note}; approval {status['approval']}, fingerprint {status['fingerprint']}."
        )
    if status["reopened_at"] is not None:
        return "draft", (
            f"Draft: reopened by {status['reopened_by']} on {status['reopened_at']:%Y-%m-%d %H:%M} UTC"
            f" ({status['reopen_reason']}). The approved version (approval {status['approval']} by"
            f" {status['approved_by']}) stays in approved/ beside this file."
        )
    return "draft", "Draft: not yet approved by the executive meeting."


def _decisions_summary(now: pl.DataFrame, near_term: str, currency: str | None) -> str:
    """The meeting's first line: how many decisions, the money at stake, and who owns none."""
    if now.is_empty():
        return f"No high or medium risk in {near_term} without an owner's action: no decision is forced this month."
    unassigned = now.filter(pl.col("owner") == UNASSIGNED).height
    owners = (
        f" {count_of(unassigned, 'decision').capitalize()} without an owner: name the families' owners in"
        " [report.family_owners] of the settings."
        if unassigned
        else ""
    )
    return (
        f"{count_of(now.height, 'decision').capitalize()} for this meeting, with"
        f" {money(now.get_column('revenue_at_stake').sum(), currency)} of revenue and"
        f" {money(now.get_column('margin_at_stake').sum(), currency)} of margin at stake: the high and medium risks"
        f" of {near_term} that no open action answers, one per family, risk and run of months.{owners}"
    )
