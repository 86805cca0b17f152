"""The pack's first questions: what changed, how we execute, how the families perform, the money."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import polars as pl
from markupsafe import Markup

from sop.core import tables
from sop.core.months import month_label
from sop.report import charts
from sop.report.formatting import (
    amount,
    count_of,
    html_table,
    money,
    percent,
    shown_points,
    signed,
    signed_money,
    signed_percent,
    signed_points,
)

VALUE_ADDED_COLUMNS = ("product_family", "step", "months", "changed_months", "owners", "wape", "bias", "fva")
FINANCIAL_COLUMNS = ("year", "product_family", "outlook_revenue", "budget_revenue", "gap_revenue", "gap_revenue_pct")
FINANCIAL_COLUMNS += ("outlook_margin", "budget_margin", "gap_margin", "plan_months", "budget_months")
"""What the value-added and financial tables show of their report models (`sql/reports/`)."""


@dataclass(frozen=True)
class Section:
    question: str
    answer: str
    table: Markup
    chart: Markup | None = None
    more: tuple[tuple[str, str, Markup], ...] = ()
    """Further parts of the answer: a heading, a one-line answer and a table each."""
    appendix: tuple[Appendix, ...] = ()
    """The long tables behind the answer, printed after the last question."""


@dataclass(frozen=True)
class Appendix:
    heading: str
    view: str
    """The report view of the warehouse that holds the same rows for every plan month."""
    table: Markup


def whole_years(outlook: pl.DataFrame) -> pl.DataFrame:
    """The years the horizon covers to December; the total is the family named Total."""
    whole = outlook.filter(pl.col("whole_year_in_horizon"))
    return whole.with_columns(pl.col("product_family").fill_null("Total")).select(FINANCIAL_COLUMNS)


def what_changed(drivers: pl.DataFrame, adjustments: pl.DataFrame, currency: str | None) -> Section:
    question = "What has changed since last month?"
    review = ("The demand review", _review_answer(drivers, adjustments), html_table(adjustments.drop("changes")))
    if drivers.is_empty():
        return Section(
            question,
            "This is the first plan: there is no earlier plan to compare with.",
            html_table(drivers, currency),
            more=(review,),
        )
    total = drivers.select(pl.exclude("product_family").sum()).row(0, named=True)
    steps = [(name, total[f"{name}_effect"]) for name in ("demand", "supply", "price")]
    before, after = total["prev_plan_revenue"], total["plan_revenue"]
    change = f" ({signed_percent(after / before - 1)})" if before else ""
    answer = (
        f"Over the months both plans cover, plan revenue moves from {money(before, currency)} to"
        f" {money(after, currency)}{change}: demand {signed_money(total['demand_effect'], currency)},"
        f" supply {signed_money(total['supply_effect'], currency)}, price"
        f" {signed_money(total['price_effect'], currency)}."
    )
    chart = charts.waterfall(steps, _in("change of plan revenue", currency))
    return Section(question, answer, html_table(drivers, currency), Markup(chart), more=(review,))


def _in(label: str, currency: str | None) -> str:
    """An axis label with its unit."""
    return f"{label}, {currency}" if currency else label


def _review_answer(drivers: pl.DataFrame, adjustments: pl.DataFrame) -> str:
    """What the sources changed this month, and how much of the change in demand since last month's
    plan the review made (the rest is the statistical forecast's own change)."""
    if adjustments.is_empty():
        return "No adjustments this month: the plan's demand is the statistical forecast."
    by_source = adjustments.group_by("source").agg(pl.col("contribution_units").sum()).sort("source")
    sources = ", ".join(f"{source} {signed(units)}" for source, units in by_source.rows())
    answer = (
        f"{adjustments.get_column('changes').sum()} changes from {count_of(by_source.height, 'source')} move the"
        f" plan's demand over the horizon: {sources} units."
    )
    if drivers.is_empty():
        return answer
    change = drivers.get_column("change_consensus_units").sum()
    review = drivers.get_column("change_adjustment_units").sum()
    share = f" ({percent(review / change)} of it)" if abs(change) >= 1 else ""
    return (
        f"{answer} Over the months both plans cover, demand moves {signed(change)} units since last month's"
        f" plan; the review's changes account for {signed(review)}{share}, the statistical forecast for the rest."
    )


def execution(history: pl.DataFrame, value_added: pl.DataFrame, plan_month: date) -> Section:
    """Accuracy by family and the review's value added; the actions' follow-through is question 10's."""
    question = "How are we executing against performance metrics?"
    latest = history.filter(pl.col("plan_month") == plan_month)
    judged = latest.drop_nulls("wape").sort("wape")
    stairstep = (
        "The demand review's value added (lag 1)",
        _value_added_answer(value_added),
        html_table(value_added_table(value_added.filter(pl.col("level") == "total")).drop("product_family")),
    )
    by_family = Appendix(
        "the demand review's value added per family (lag 1)",
        tables.VALUE_ADDED,
        html_table(value_added_table(value_added.filter(pl.col("level") != "total"))),
    )
    if judged.is_empty():
        return Section(
            question,
            "No earlier forecast has been judged yet.",
            html_table(latest.drop("plan_month")),
            more=(stairstep,),
            appendix=(by_family,),
        )
    best, worst = judged.row(0, named=True), judged.row(-1, named=True)
    answer = (
        f"Lag-1 forecast error (WAPE) over the trailing months runs from {percent(best['wape'])}"
        f" ({best['product_family']}) to {percent(worst['wape'])} ({worst['product_family']}). Inside 80% interval:"
        " the share of the months judged whose actuals fell inside the forecast's 80% interval (80% if the"
        " intervals are right)."
    )
    chart = charts.lines_by_family(history, "plan_month", "wape", "lag-1 WAPE, %", percent=True)
    return Section(
        question, answer, html_table(latest.drop("plan_month")), Markup(chart), more=(stairstep,), appendix=(by_family,)
    )


NOT_SOURCES = ("naive", "statistical", "consensus")
"""The stairstep's steps that are no source of the demand review."""


def value_added_table(value_added: pl.DataFrame) -> pl.DataFrame:
    """The stairstep as the pack shows it; `months` only where it differs between rows (the headline
    says it otherwise)."""
    table = value_added.select(VALUE_ADDED_COLUMNS)
    return table.drop("months") if table.get_column("months").n_unique() <= 1 else table


def _value_added_answer(value_added: pl.DataFrame) -> str:
    """In total, what the whole review added over the statistical forecast and which sources helped or
    hurt; then every family whose forecast a source's changes made worse, from the same rows."""
    total = {row["step"]: row for row in value_added.filter(pl.col("level") == "total").iter_rows(named=True)}
    if "consensus" not in total or total["consensus"]["wape"] is None:
        return "No earlier forecast has been judged yet."
    consensus, statistical = total["consensus"], total["statistical"]
    steps = [row for step, row in total.items() if step not in NOT_SOURCES]
    if not steps:
        judged = count_of(consensus["months"], "month")
        return f"No adjustment touched the {judged} judged: the consensus was the statistical forecast."
    by_family = value_added.filter((pl.col("level") != "total") & ~pl.col("step").is_in(NOT_SOURCES))
    worse = ", ".join(
        f"{row['step']} for {row['product_family']} ({signed_points(row['fva'])})"
        for row in by_family.iter_rows(named=True)
        if shown_points(row["fva"]) < 0
    )
    return (
        f"Over {count_of(consensus['months'], 'judged month')}, in total, the consensus's WAPE is"
        f" {percent(consensus['wape'])} against the statistical forecast's {percent(statistical['wape'])}"
        f" ({signed_points(consensus['fva'])} of value added). Sources that helped in total:"
        f" {_steps(row for row in steps if shown_points(row['fva']) > 0)}; that made it worse in total:"
        f" {_steps(row for row in steps if shown_points(row['fva']) < 0)}. Changes that made a family's forecast"
        f" worse: {worse or 'none'}."
    )


def _steps(rows: Iterable[dict]) -> str:
    return ", ".join(f"{row['step']} ({signed_points(row['fva'])})" for row in rows) or "none"


def family_performance(performance: pl.DataFrame, totals: pl.DataFrame, plan_month: date) -> Section:
    question = "How are the product families performing?"
    ahead = performance.filter(pl.col("month") >= plan_month)
    plan_units = ahead.get_column("plan_units").sum()
    budget_units = ahead.get_column("budget_units").sum()
    past = performance.filter(pl.col("month") < plan_month).get_column("month").n_unique()
    answer = (
        f"Over the horizon the plan is {amount(plan_units)} units against a budget of {amount(budget_units)}"
        f" ({signed_percent(plan_units / budget_units - 1) if budget_units else 'no budget'}). Each family's chart"
        f" shows its actual units of the last {count_of(past, 'month')}, and its plan and budget over the"
        f" {count_of(ahead.get_column('month').n_unique(), 'month')} of the horizon."
    )
    chart = charts.family_panels(performance, month_label(plan_month))
    return Section(question, answer, html_table(totals), Markup(chart))


def financials(outlook: pl.DataFrame, currency: str | None) -> Section:
    """Every year the horizon covers to December, each against its budget."""
    question = "Are we on plan financially?"
    totals = outlook.filter(pl.col("product_family") == "Total")
    if totals.is_empty():
        return Section(question, "The horizon covers no calendar year in full.", html_table(outlook, currency))
    answer = " ".join(
        f"{row['year']}: revenue outlook {money(row['outlook_revenue'], currency)} against a budget of"
        f" {money(row['budget_revenue'], currency)} ({signed_percent(row['gap_revenue_pct'])}); margin"
        f" {money(row['outlook_margin'], currency)} against {money(row['budget_margin'], currency)}."
        for row in totals.sort("year").iter_rows(named=True)
    )
    # Each year's gap to budget, from zero: outlook and budget differ by a few percent, which bars of
    # the totals would not show.
    gaps = (
        outlook.filter(pl.col("product_family") != "Total")
        .with_columns(pl.col("year").cast(pl.String))
        .pivot(on="year", index="product_family", values="gap_revenue", sort_columns=True)
    )
    years = {year: year for year in gaps.columns if year != "product_family"}
    chart = charts.grouped_bars(gaps, "product_family", years, _in("revenue against budget", currency))
    return Section(question, answer, html_table(outlook, currency), Markup(chart))
