"""The pack's later questions: risks, decisions, new products, constraints, the long term, actions, scenarios."""

from __future__ import annotations

from datetime import date

import polars as pl
from markupsafe import Markup

from sop.core import tables
from sop.core.months import add_months
from sop.plan.scenarios import BASE
from sop.report import charts
from sop.report.formatting import amount, count_of, html_table, percent, signed, signed_money, signed_percent
from sop.report.questions import Appendix, Section

CONSTRAINT_COLUMNS = ("product_family", "month", "consensus_units", "capacity_units", "supply_units")
CONSTRAINT_COLUMNS += ("capacity_utilization", "unmet_demand_units", "projected_inventory_units", "safety_stock_units")
"""What the constraints table shows of its report model (`sql/reports/constraints.sql`)."""


EPISODE_COLUMNS = ("product_family", "risk", "period", "months", "severity", "status", "first_seen_plan_month")
EPISODE_COLUMNS += ("action_id", "action_owner")
"""What the risks table shows of each episode (`sql/reports/risk_episodes.sql`)."""


def risks(episodes: pl.DataFrame) -> Section:
    """The register one row per episode: a risk over consecutive months is one risk to discuss."""
    question = "Which risks, previously identified and new, must we consider?"
    counts = episodes.group_by("risk", "status").len("count")
    new = episodes.filter(pl.col("status") == "new").height
    answered = episodes.filter(pl.col("action_id").is_not_null()).height
    answer = (
        f"{count_of(episodes.height, 'risk').capitalize()} in the register, each over its consecutive months:"
        f" {new} new, {episodes.height - new} recurring; {episodes.filter(pl.col('severity') == 'high').height} of high"
        f" severity; {answered} answered by an open action of the meeting."
    )
    chart = charts.stacked_counts(counts, "risk", "status", ("new", "recurring")) if episodes.height else None
    return Section(question, answer, html_table(episodes.select(EPISODE_COLUMNS)), Markup(chart) if chart else None)


def decisions_ahead(decisions: pl.DataFrame, near_term: str, currency: str | None) -> Section:
    """The decisions for this meeting lead the pack: this question adds those later in the horizon."""
    now = decisions.filter(pl.col("decide") == "now").height
    later = decisions.filter(pl.col("decide") == "later").drop("decide")
    answer = (
        f"{count_of(now, 'decision').capitalize()} for this meeting ({near_term}: the first page) and"
        f" {count_of(later.height, 'decision')} later in the horizon: the high and medium risks that no open"
        " action of the meeting answers."
    )
    return Section("Which decisions must be made now, and later?", answer, html_table(later, currency))


def new_items(new_items: pl.DataFrame) -> Section:
    question = "Are we on track with new products?"
    if new_items.is_empty():
        return Section(question, "No item is forecast as new this month.", html_table(new_items))
    answer = (
        f"{new_items.get_column('new_skus').sum()} new items in {new_items.height} families, forecast at"
        f" {amount(new_items.get_column('new_forecast_units').sum())} units over the horizon."
    )
    chart = charts.signed_bars(
        new_items, "product_family", "share_of_family", "share of the family's forecast, %", True
    )
    return Section(question, answer, html_table(new_items), Markup(chart))


def critical_constraints(plan: pl.DataFrame) -> Section:
    """From every family-month of the plan: the utilization chart, a row per family with a constrained
    month, and every constrained month in the appendix."""
    over = plan.filter(pl.col("consensus_units") > pl.col("capacity_units"))
    unmet = plan.get_column("unmet_demand_units").sum()
    answer = (
        f"Demand tops capacity in {count_of(over.height, 'family-month')}; {amount(unmet)} units of demand go unmet"
        " after building ahead and spending stock."
    )
    shares = plan.with_columns((pl.col("consensus_units") / pl.col("capacity_units")).alias("demand_share"))
    constrained = plan.filter(pl.col("constrained"))
    months = Appendix(
        "every constrained family-month: unmet demand, demand above capacity or stock under safety stock",
        tables.CONSTRAINTS,
        html_table(constrained.select(CONSTRAINT_COLUMNS)),
    )
    return Section(
        "Do we have critical constraints?",
        answer,
        html_table(constraints_by_family(shares, constrained)),
        Markup(charts.utilization_grid(shares)),
        appendix=(months,),
    )


def constraints_by_family(shares: pl.DataFrame, constrained: pl.DataFrame) -> pl.DataFrame:
    """One row per family with a constrained month: when, how far demand tops capacity, what goes unmet."""
    families = constrained.get_column("product_family").unique()
    return (
        shares.filter(pl.col("product_family").is_in(families.implode()))
        .group_by("product_family")
        .agg(
            pl.col("month").filter(pl.col("constrained")).min().alias("first_constrained_month"),
            pl.col("month").filter(pl.col("constrained")).max().alias("last_constrained_month"),
            (pl.col("consensus_units") > pl.col("capacity_units")).sum().alias("months_demand_above_capacity"),
            pl.col("demand_share").max().alias("peak_demand_share_of_capacity_pct"),
            pl.col("unmet_demand_units").sum(),
            # As the register flags it (a month of unmet demand is that, not also stock below safety stock).
            pl.col("risk_flags").list.contains("below_safety_stock").sum().alias("months_below_safety_stock"),
        )
        .sort("product_family")
    )


def long_term(long_term: pl.DataFrame, start: int, plan_month: date) -> Section:
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
        f"{name} ({signed_percent(gap)})" for name, gap in flagged.select("product_family", "gap_pct").rows()
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


def _follow_through_answer(follow_through: pl.DataFrame) -> str:
    if follow_through.is_empty():
        return "No action of the log was due in the last six months."
    parts = [
        f"the last {row['window_months']} months: {row['done_by_due_month']} of {row['actions_due']} actions due were"
        f" done by their due month ({percent(row['follow_through'])})"
        for row in follow_through.iter_rows(named=True)
    ]
    return "Follow-through over " + "; over ".join(parts) + "."


def follow_up_actions(
    open_actions: pl.DataFrame, closed: pl.DataFrame, follow_through: pl.DataFrame, plan_month: date
) -> Section:
    """The open actions, those closed since last month, and the follow-through month by month (`follow_through`
    up to the plan month)."""
    overdue = open_actions.filter(pl.col("months_overdue") > 0).height
    answer = (
        f"{count_of(open_actions.height, 'open action').capitalize()} of the meeting, {overdue} of them overdue"
        f" (listed first), then by due month; {closed.height} closed since last month."
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
    now = follow_through.filter(pl.col("plan_month") == plan_month)
    trend_part = ("Follow-through, month by month", _follow_through_answer(now), html_table(trend))
    return Section("What are the follow-up actions?", answer, html_table(open_actions), more=(closed_part, trend_part))


def scenarios(scenarios: pl.DataFrame, currency: str | None) -> Section:
    """Each scenario as its differences from the base plan: they are a few percent of it, which bars
    of the plans' totals would not show."""
    question = "What if? The scenarios against the base plan"
    others = scenarios.filter(pl.col("scenario") != BASE)
    if others.is_empty():
        return Section(
            question, "No scenario is configured: the base plan stands alone.", html_table(scenarios, currency)
        )
    answer = "; ".join(
        f"{name}: revenue {signed_money(revenue, currency)}, margin {signed_money(margin, currency)}, unmet demand"
        f" {signed(unmet)} units"
        for name, revenue, margin, unmet in others.select(
            "scenario", "revenue_vs_base", "margin_vs_base", "unmet_vs_base"
        ).rows()
    )
    unit = f"against the base plan, {currency}" if currency else "against the base plan"
    chart = charts.grouped_bars(others, "scenario", {"revenue_vs_base": "revenue", "margin_vs_base": "margin"}, unit)
    return Section(question, answer + ".", html_table(scenarios, currency), Markup(chart))
