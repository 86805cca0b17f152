"""The monthly S&OP pack: one self-contained HTML page per plan month, from the published tables.

It opens with the decisions needed this month, then answers the brief's ten questions in order,
each with a one-line answer, a chart (inline SVG, `sop.report.charts`) and the table behind it. Nothing
is fetched from the network, and the same published numbers give the same bytes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import jinja2
import polars as pl
from markupsafe import Markup, escape

from sop.core import tables
from sop.core.months import add_months, month_label
from sop.plan.scenarios import BASE
from sop.publish.parquet import pack_path
from sop.report import charts
from sop.report.reports import plan_settings, read_report

PROSE_CHARACTERS = 40
"""Cells longer than this (suggested actions, scenario descriptions) wrap; shorter ones never do."""
CHANGE_COLUMNS = ("product_family", "prev_plan_revenue", "demand_effect", "supply_effect", "price_effect")
CHANGE_COLUMNS += ("plan_revenue", "change_forecast_units", "change_adjustment_units", "change_consensus_units")
ADJUSTMENT_COLUMNS = ("source", "owner", "product_family", "applies_to", "kind", "period", "contribution_units")
ADJUSTMENT_COLUMNS += ("reason", "changes")
VALUE_ADDED_COLUMNS = ("product_family", "step", "months", "changed_months", "owners", "wape", "bias", "fva")
FOLLOW_THROUGH_COLUMNS = ("window_months", "actions_due", "done_by_due_month", "done_later", "still_open", "dropped")
FOLLOW_THROUGH_COLUMNS += ("follow_through",)
ACCURACY_COLUMNS = ("plan_month", "product_family", "months", "wape", "bias", "fva", "coverage_80")
FINANCIAL_COLUMNS = ("year", "product_family", "outlook_revenue", "budget_revenue", "gap_revenue", "gap_revenue_pct")
FINANCIAL_COLUMNS += ("outlook_margin", "budget_margin", "gap_margin", "plan_months", "budget_months")
DECISION_COLUMNS = ("decide", "product_family", "kind", "subject", "period", "months", "peak_period", "severity")
DECISION_COLUMNS += ("status", "first_seen_plan_month", "suggested_action")
OPEN_ACTION_COLUMNS = ("due_month", "months_overdue", "action_id", "owner", "product_family", "risk_kind")
OPEN_ACTION_COLUMNS += ("description", "status", "times_slipped", "missing")
CLOSED_ACTION_COLUMNS = ("action_id", "owner", "product_family", "description", "status", "due_month", "closed_month")
CLOSED_ACTION_COLUMNS += ("done_on_time", "times_slipped")
CONSTRAINT_COLUMNS = ("product_family", "month", "consensus_units", "capacity_units", "supply_units")
CONSTRAINT_COLUMNS += ("capacity_utilization", "unmet_demand_units", "projected_inventory_units", "safety_stock_units")
FAMILY_TOTAL_COLUMNS = ("product_family", "actual_units_last_12_months", "plan_units_horizon", "budget_units_horizon")
LONG_TERM_COLUMNS = ("product_family", "from_month", "to_month", "demand_units", "budget_units", "gap_pct", "flagged")
"""What each section's table shows of its report model (`sql/reports/`)."""
PERCENT_COLUMNS = ("_pct", "wape", "bias", "share_of_family", "capacity_utilization", "coverage_80", "fva")
PERCENT_COLUMNS += ("follow_through",)
_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("sop.report", "templates"), autoescape=True, keep_trailing_newline=True
)


@dataclass(frozen=True)
class Section:
    question: str
    answer: str
    table: Markup
    chart: Markup | None = None
    more: tuple[tuple[str, str, Markup], ...] = ()
    """Further parts of the answer: a heading, a one-line answer and a table each."""


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
    near_term = f"the next {_count(settings['near_term_months'], 'month')}"
    families = constraints.get_column("product_family").unique().sort().to_list()
    decisions = data(tables.DECISIONS, *DECISION_COLUMNS)
    now = decisions.filter(pl.col("decide") == "now").drop("decide")
    lag_one = (pl.col("level") == "family") & (pl.col("lag") == 1)
    accuracy = read_report(con, tables.FORECAST_PERFORMANCE, plan_month, history=True).filter(lag_one)
    performance = data(
        tables.FAMILY_PERFORMANCE, "product_family", "month", "actual_units", "plan_units", "budget_units"
    )
    totals = data(tables.FAMILY_TOTALS, *FAMILY_TOTAL_COLUMNS)
    value_added = read_report(con, tables.VALUE_ADDED, plan_month).filter(pl.col("lag") == 1)
    sections = [
        _changes(data(tables.CHANGE_DRIVERS, *CHANGE_COLUMNS), data(tables.REVIEW_ADJUSTMENTS, *ADJUSTMENT_COLUMNS)),
        _accuracy(
            accuracy.select(ACCURACY_COLUMNS),
            value_added,
            data(tables.FOLLOW_THROUGH, *FOLLOW_THROUGH_COLUMNS),
            plan_month,
        ),
        _performance(performance, totals, plan_month),
        _financials(_whole_years(read_report(con, tables.FINANCIAL_REVIEW, plan_month))),
        _risks(
            data(tables.RISK_REVIEW, "product_family", "kind", "period", "severity", "status", "first_seen_plan_month")
        ),
        _decisions(decisions, near_term),
        _new_items(
            data(tables.NEW_ITEMS_BY_FAMILY, "product_family", "new_skus", "new_forecast_units", "share_of_family")
        ),
        _constraints(constraints),
        _long_term(data(tables.LONG_TERM, *LONG_TERM_COLUMNS), settings["long_horizon_from"], plan_month),
        _actions(
            data(tables.OPEN_ACTIONS, *OPEN_ACTION_COLUMNS),
            data(tables.CLOSED_ACTIONS, *CLOSED_ACTION_COLUMNS),
            read_report(con, tables.FOLLOW_THROUGH, plan_month, history=True),
        ),
        _scenarios(read_report(con, tables.SCENARIO_COMPARISON, plan_month).drop("plan_month")),
    ]
    months = constraints.get_column("month")
    warnings = data(tables.DATA_WARNINGS, "product_family", "period", "warning", "status")
    return _TEMPLATES.get_template("pack.html.j2").render(
        plan_month=month_label(plan_month),
        families=families,
        family_count=len(families),
        horizon_from=month_label(months.min()),
        horizon_to=month_label(months.max()),
        status=_status(read_report(con, tables.PLAN_STATUS, plan_month).row(0, named=True)),
        decisions_summary=(
            f"{now.height} decision(s) for this meeting: the high and medium risks of {near_term} that no open action"
            " of the meeting answers, one per episode (a family's risk over consecutive months), each with the"
            " action the register suggests."
            if now.height
            else f"No high or medium risk in {near_term} without an owner's action: no decision is forced this month."
        ),
        decisions_table=html_table(
            now.select("product_family", "kind", "period", "months", "severity", "suggested_action")
        ),
        sections=sections,
        settings=settings,
        data_warnings=warnings.height,
        data_warnings_summary=(
            f"{_count(warnings.height, 'warning').capitalize()} of the checks of this month's extracts (the input"
            " contract, and the checks against last month's extracts and their own history): the plan ran on these"
            " numbers. Each is a data-quality risk of the register (question 5)."
        ),
        data_warnings_table=html_table(warnings),
    )


def _whole_years(outlook: pl.DataFrame) -> pl.DataFrame:
    """The years the horizon covers to December; the total is the family named Total."""
    whole = outlook.filter(pl.col("whole_year_in_horizon"))
    return whole.with_columns(pl.col("product_family").fill_null("Total")).select(FINANCIAL_COLUMNS)


def _count(number: int, noun: str) -> str:
    """`three months`: the pack's prose spells small counts out."""
    words = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
    return f"{words[number] if number < len(words) else number} {noun}{'' if number == 1 else 's'}"


def _changes(drivers: pl.DataFrame, adjustments: pl.DataFrame) -> Section:
    question = "What has changed since last month?"
    review = ("The demand review", _review_answer(drivers, adjustments), html_table(adjustments.drop("changes")))
    if drivers.is_empty():
        return Section(
            question,
            "This is the first plan: there is no earlier plan to compare with.",
            html_table(drivers),
            more=(review,),
        )
    total = drivers.select(pl.exclude("product_family").sum()).row(0, named=True)
    steps = [(name, total[f"{name}_effect"]) for name in ("demand", "supply", "price")]
    answer = (
        f"Over the months both plans cover, plan revenue moves from {_amount(total['prev_plan_revenue'])} to"
        f" {_amount(total['plan_revenue'])}: demand {_signed(total['demand_effect'])},"
        f" supply {_signed(total['supply_effect'])}, price {_signed(total['price_effect'])}."
    )
    chart = charts.waterfall(total["prev_plan_revenue"], steps, total["plan_revenue"], "plan revenue")
    return Section(question, answer, html_table(drivers), Markup(chart), more=(review,))


def _review_answer(drivers: pl.DataFrame, adjustments: pl.DataFrame) -> str:
    """What the sources changed this month, and how much of the change in demand since last month's
    plan the review made (the rest is the statistical forecast's own change)."""
    if adjustments.is_empty():
        return "No adjustments this month: the plan's demand is the statistical forecast."
    by_source = adjustments.group_by("source").agg(pl.col("contribution_units").sum()).sort("source")
    sources = ", ".join(f"{source} {_signed(units)}" for source, units in by_source.rows())
    answer = (
        f"{adjustments.get_column('changes').sum()} changes from {_count(by_source.height, 'source')} move the"
        f" plan's demand over the horizon: {sources} units."
    )
    if drivers.is_empty():
        return answer
    change = drivers.get_column("change_consensus_units").sum()
    review = drivers.get_column("change_adjustment_units").sum()
    share = f" ({_percent(review / change)} of it)" if abs(change) >= 1 else ""
    return (
        f"{answer} Over the months both plans cover, demand moves {_signed(change)} units since last month's"
        f" plan; the review's changes account for {_signed(review)}{share}, the statistical forecast for the rest."
    )


def _accuracy(
    history: pl.DataFrame, value_added: pl.DataFrame, follow_through: pl.DataFrame, plan_month: date
) -> Section:
    question = "How are we executing against performance metrics?"
    latest = history.filter(pl.col("plan_month") == plan_month)
    judged = latest.drop_nulls("wape").sort("wape")
    stairstep = (
        "The demand review's value added (lag 1)",
        _value_added_answer(value_added),
        html_table(value_added.with_columns(pl.col("product_family").fill_null("Total")).select(VALUE_ADDED_COLUMNS)),
    )
    actions = (
        "Follow-through of the meeting's actions",
        _follow_through_answer(follow_through),
        html_table(follow_through),
    )
    if judged.is_empty():
        return Section(
            question,
            "No earlier forecast has been judged yet.",
            html_table(latest.drop("plan_month")),
            more=(stairstep, actions),
        )
    best, worst = judged.row(0, named=True), judged.row(-1, named=True)
    answer = (
        f"Lag-1 forecast error (WAPE) over the trailing months runs from {_percent(best['wape'])}"
        f" ({best['product_family']}) to {_percent(worst['wape'])} ({worst['product_family']})."
    )
    chart = charts.lines_by_family(history, "plan_month", "wape", "lag-1 WAPE, %", percent=True)
    return Section(question, answer, html_table(latest.drop("plan_month")), Markup(chart), more=(stairstep, actions))


def _follow_through_answer(follow_through: pl.DataFrame) -> str:
    if follow_through.is_empty():
        return "No action of the log was due in the last six months."
    parts = [
        f"the last {row['window_months']} months: {row['done_by_due_month']} of {row['actions_due']} actions due were"
        f" done by their due month ({_percent(row['follow_through'])})"
        for row in follow_through.iter_rows(named=True)
    ]
    return "Follow-through over " + "; over ".join(parts) + "."


def _value_added_answer(value_added: pl.DataFrame) -> str:
    """In total: what the whole review added over the statistical forecast, and which sources helped or hurt."""
    total = {row["step"]: row for row in value_added.filter(pl.col("level") == "total").iter_rows(named=True)}
    if "consensus" not in total or total["consensus"]["wape"] is None:
        return "No earlier forecast has been judged yet."
    consensus, statistical = total["consensus"], total["statistical"]
    steps = [row for step, row in total.items() if step not in ("naive", "statistical", "consensus")]
    if not steps:
        judged = _count(consensus["months"], "month")
        return f"No adjustment touched the {judged} judged: the consensus was the statistical forecast."
    # What rounds to no change in the points shown is neither help nor harm.
    helped = [row for row in steps if round(row["fva"] * 100, 1) > 0]
    hurt = [row for row in steps if round(row["fva"] * 100, 1) < 0]
    return (
        f"Over {_count(consensus['months'], 'judged month')}, in total, the consensus's WAPE is"
        f" {_percent(consensus['wape'])} against the statistical forecast's {_percent(statistical['wape'])}"
        f" ({_signed_points(consensus['fva'])} of value added). Sources that helped: {_steps(helped)};"
        f" that made it worse: {_steps(hurt)}."
    )


def _steps(rows: list[dict]) -> str:
    return ", ".join(f"{row['step']} ({_signed_points(row['fva'])})" for row in rows) or "none"


def _performance(performance: pl.DataFrame, totals: pl.DataFrame, plan_month: date) -> Section:
    question = "How are the product families performing?"
    ahead = performance.filter(pl.col("month") >= plan_month)
    plan_units = ahead.get_column("plan_units").sum()
    budget_units = ahead.get_column("budget_units").sum()
    answer = (
        f"Over the horizon the plan is {_amount(plan_units)} units against a budget of {_amount(budget_units)}"
        f" ({_signed_percent(plan_units / budget_units - 1) if budget_units else 'no budget'})."
    )
    chart = charts.family_panels(performance, month_label(plan_month))
    return Section(question, answer, html_table(totals), Markup(chart))


def _financials(outlook: pl.DataFrame) -> Section:
    question = "Are we on plan financially?"
    totals = outlook.filter(pl.col("product_family") == "Total")
    if totals.is_empty():
        return Section(question, "The horizon covers no calendar year in full.", html_table(outlook))
    first_year = totals.get_column("year").min()
    year = outlook.filter(pl.col("year") == first_year)
    total = totals.filter(pl.col("year") == first_year).row(0, named=True)
    answer = (
        f"{first_year}: revenue outlook {_amount(total['outlook_revenue'])} against a budget of"
        f" {_amount(total['budget_revenue'])} ({_signed_percent(total['gap_revenue_pct'])}); margin"
        f" {_amount(total['outlook_margin'])} against {_amount(total['budget_margin'])}."
    )
    families = year.filter(pl.col("product_family") != "Total")
    chart = charts.paired_bars(
        families, "product_family", "outlook_revenue", "budget_revenue", ("outlook", "budget"), f"revenue {first_year}"
    )
    return Section(question, answer, html_table(outlook), Markup(chart))


def _risks(register: pl.DataFrame) -> Section:
    question = "Which risks, previously identified and new, must we consider?"
    counts = register.group_by("kind", "status").len("count")
    new = register.filter(pl.col("status") == "new").height
    answer = (
        f"{register.height} risks in the register: {new} new, {register.height - new} recurring;"
        f" {register.filter(pl.col('severity') == 'high').height} of high severity."
    )
    chart = charts.stacked_counts(counts, "kind", "status", ("new", "recurring")) if register.height else None
    return Section(question, answer, html_table(register), Markup(chart) if chart else None)


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


def _decisions(decisions: pl.DataFrame, near_term: str) -> Section:
    now = decisions.filter(pl.col("decide") == "now").height
    answer = (
        f"{now} risk episode(s) to decide now ({near_term}), {decisions.height - now} later in the horizon: the"
        " high and medium risks that no open action of the meeting answers."
    )
    return Section("Which decisions must be made now, and later?", answer, html_table(decisions))


def _new_items(new_items: pl.DataFrame) -> Section:
    question = "Are we on track with new products?"
    if new_items.is_empty():
        return Section(question, "No item is forecast as new this month.", html_table(new_items))
    answer = (
        f"{new_items.get_column('new_skus').sum()} new items in {new_items.height} families, forecast at"
        f" {_amount(new_items.get_column('new_forecast_units').sum())} units over the horizon."
    )
    chart = charts.signed_bars(
        new_items, "product_family", "share_of_family", "share of the family's forecast, %", True
    )
    return Section(question, answer, html_table(new_items), Markup(chart))


def _constraints(plan: pl.DataFrame) -> Section:
    """From every family-month of the plan: the utilization chart, and the table of the constrained ones."""
    over = plan.filter(pl.col("consensus_units") > pl.col("capacity_units"))
    unmet = plan.get_column("unmet_demand_units").sum()
    answer = (
        f"Demand tops capacity in {over.height} family-months; {_amount(unmet)} units of demand go unmet"
        " after building ahead and spending stock."
    )
    shares = plan.with_columns((pl.col("consensus_units") / pl.col("capacity_units")).alias("demand_share"))
    constrained = plan.filter(pl.col("constrained")).select(CONSTRAINT_COLUMNS)
    return Section(
        "Do we have critical constraints?", answer, html_table(constrained), Markup(charts.utilization_grid(shares))
    )


def _long_term(long_term: pl.DataFrame, start: int, plan_month: date) -> Section:
    question = "Does the long-term plan need revising?"
    own = long_term.filter(pl.col("from_month") != add_months(plan_month, start - 1))
    if own.height:
        starts = ", ".join(
            f"{name} from {month:%Y-%m}" for name, month in own.select("product_family", "from_month").rows()
        )
        start_text = f"{start} ({starts}, by settings of their own)"
    else:
        start_text = str(start)
    flagged = long_term.filter(pl.col("flagged"))
    gaps = ", ".join(
        f"{name} ({_signed_percent(gap)})" for name, gap in flagged.select("product_family", "gap_pct").rows()
    )
    answer = (
        f"From month {start_text} of the horizon, the risk register finds demand far enough from budget"
        f" to revise the long-term plan for: {gaps}."
        if flagged.height
        else f"From month {start_text} of the horizon, demand stays close enough to budget for every family."
    )
    label = f"demand against budget, months {start} on, %"
    chart = charts.signed_bars(long_term, "product_family", "gap_pct", label, True) if long_term.height else None
    return Section(question, answer, html_table(long_term), Markup(chart) if chart else None)


def _actions(open_actions: pl.DataFrame, closed: pl.DataFrame, follow_through: pl.DataFrame) -> Section:
    overdue = open_actions.filter(pl.col("months_overdue") > 0).height
    answer = (
        f"{open_actions.height} open action(s) of the meeting, {overdue} of them overdue (listed first), then by due"
        f" month; {closed.height} closed since last month."
    )
    done = closed.filter(pl.col("done_on_time").fill_null(False)).height
    closed_part = (
        "Closed since last month",
        f"{closed.height} closed: {done} done by the due month."
        if closed.height
        else "No action was closed since last month.",
        html_table(closed),
    )
    trend = follow_through.pivot(on="window_months", index="plan_month", values="follow_through").sort("plan_month")
    trend = trend.rename({name: f"last_{name}_months_follow_through" for name in trend.columns if name != "plan_month"})
    trend_part = (
        "Follow-through, month by month",
        "The share of the actions due in the trailing 3 and 6 months that were done by their due month."
        if trend.height
        else "No action of the log has come due yet.",
        html_table(trend),
    )
    return Section("What are the follow-up actions?", answer, html_table(open_actions), more=(closed_part, trend_part))


def _scenarios(scenarios: pl.DataFrame) -> Section:
    question = "What if? The scenarios against the base plan"
    others = scenarios.filter(pl.col("scenario") != BASE)
    if others.is_empty():
        return Section(question, "No scenario is configured: the base plan stands alone.", html_table(scenarios))
    answer = "; ".join(
        f"{name}: revenue {_signed(revenue)}, margin {_signed(margin)}, unmet demand {_signed(unmet)} units"
        for name, revenue, margin, unmet in others.select(
            "scenario", "revenue_vs_base", "margin_vs_base", "unmet_vs_base"
        ).rows()
    )
    chart = charts.paired_bars(
        scenarios, "scenario", "plan_revenue", "plan_gross_margin", ("revenue", "margin"), "over the horizon"
    )
    return Section(question, answer + ".", html_table(scenarios), Markup(chart))


def html_table(frame: pl.DataFrame) -> Markup:
    if frame.is_empty():
        return Markup('<p class="none">Nothing to show.</p>')
    header = "".join(f"<th>{escape(name.replace('_', ' '))}</th>" for name in frame.columns)
    body = []
    for row in frame.iter_rows(named=True):
        cells = []
        for name, value in row.items():
            classes = ["number"] if isinstance(value, int | float) and not isinstance(value, bool) else []
            classes += ["severity-high"] if value == "high" else []
            classes += ["prose"] if isinstance(value, str) and len(value) > PROSE_CHARACTERS else []
            css = f' class="{" ".join(classes)}"' if classes else ""
            cells.append(f"<td{css}>{escape(_cell(name, value))}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return Markup(f"<table><thead><tr>{header}</tr></thead><tbody>{''.join(body)}</tbody></table>")


def _cell(name: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return month_label(value) if value.day == 1 else value.isoformat()
    if isinstance(value, float):
        if name.endswith(PERCENT_COLUMNS):
            return _percent(value)
        whole = f"{value:,.0f}"
        return "0" if whole == "-0" else whole
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _amount(value: float | None) -> str:
    return f"{value or 0:,.0f}"


def _signed(value: float | None) -> str:
    return f"{value or 0:+,.0f}"


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


def _signed_points(value: float | None) -> str:
    """A change of WAPE, in percentage points."""
    return "n/a" if value is None else f"{value * 100:+.1f} pts"


def _signed_percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:+.1f}%"
