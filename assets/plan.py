"""Stage 8, plan: the consolidated plan, reconciling demand, capacity, inventory and budget."""

import functools

import dagster as dg
import polars as pl

from assets.audit import audit_specs, hand_over_drafts
from assets.catalog import catalog
from pipelines.partitions import WAREHOUSE_POOL, plan_month_of, plan_months
from pipelines.resources import SopStorage
from sop.core import draft, read_partition, tables
from sop.plan import (
    BASE,
    build_outlook,
    build_plan,
    build_plan_changes,
    build_risk_register,
    record_settings,
    usable_scenarios,
)
from sop.report import family_summary, markdown_table, sparkline

plan_asset = functools.partial(
    dg.asset, partitions_def=plan_months, group_name="plan", pool=WAREHOUSE_POOL, kinds={"duckdb"}
)
"""Every asset of the plan stage: one plan month, in the warehouse's pool."""


@plan_asset(
    check_specs=audit_specs(tables.CONSOLIDATED_PLAN),
    metadata=catalog(tables.CONSOLIDATED_PLAN),
    deps=[
        tables.SKU_FORECAST,
        tables.FAMILY_FORECAST,
        tables.DEMAND_PLAN,
        tables.FORECAST_ACCURACY_SUMMARY,
        *tables.STAGED,
    ],
    description=(
        "The reconciled S&OP plan: family demand against capacity, inventory and budget, with"
        " variances, last month's plan and risk flags; the base plan and one per configured scenario."
        " Grain: plan_month x scenario x product_family x month."
    ),
)
def consolidated_plan(context: dg.AssetExecutionContext, storage: SopStorage) -> dg.MaterializeResult:
    plan_month = plan_month_of(context)
    with storage.connect() as con:
        scenarios, skipped = usable_scenarios(con, storage.settings.scenarios, plan_month)
        for reason in skipped:
            context.log.warning(reason)
        rows = build_plan(con, plan_month, storage.settings.plan, storage.settings.risks, scenarios)
        changed = record_settings(con, plan_month, storage.settings_read)
        if changed:
            context.log.warning(
                f"Plan month {plan_month:%Y-%m} was published with other settings; changed since:\n  "
                + "\n  ".join(changed)
            )
        plan = read_partition(con, draft(tables.CONSOLIDATED_PLAN), {"plan_month": plan_month, "scenario": BASE})
        by_family = family_summary(con, plan_month, draft(tables.CONSOLIDATED_PLAN))
        checks = hand_over_drafts(context, con, plan_month, tables.CONSOLIDATED_PLAN)
    families = set(plan.get_column("product_family"))
    named = storage.settings.plan.families.keys() | storage.settings.risks.families.keys()
    if unused := sorted(named - families):
        context.log.warning(
            f"The settings name families that plan month {plan_month:%Y-%m} lacks, left unused: {', '.join(unused)}"
            f" (its families: {', '.join(sorted(families))})."
        )
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": rows,
            "families": by_family.height,
            "high_risk_rows": int((plan.get_column("risk_level") == "high").sum()),
            "settings": storage.settings_read.source or "defaults",
            # Since the month's published version: `sop-run` prints them.
            "settings_changed": dg.MetadataValue.json(changed),
            "by_family": dg.MetadataValue.md(markdown_table(by_family)),
            "at_a_glance": dg.MetadataValue.md(markdown_table(_at_a_glance(plan), 50)),
            "preview": dg.MetadataValue.md(markdown_table(plan)),
        },
        check_results=checks,
    )


def _at_a_glance(plan: pl.DataFrame) -> pl.DataFrame:
    """Per family, month by month over the horizon: demand (its own range) and its use of capacity
    (from none to full), as sparklines."""
    by_family = (
        plan.sort("month")
        .group_by("product_family", maintain_order=True)
        .agg("forecast_units", "capacity_utilization", pl.col("unmet_demand_units").sum())
        .sort("product_family")
    )
    return pl.DataFrame(
        [
            {
                "product_family": family,
                "demand": sparkline(demand),
                "capacity_use": sparkline(use, low=0.0, high=1.0),
                "peak_capacity_use": max((value for value in use if value is not None), default=None),
                "unmet_units": round(unmet),
            }
            for family, demand, use, unmet in by_family.iter_rows()
        ]
    )


@plan_asset(
    check_specs=audit_specs(tables.PLAN_CHANGES),
    metadata=catalog(tables.PLAN_CHANGES),
    deps=[tables.CONSOLIDATED_PLAN],
    description=(
        "What changed since last month's plan, for the months both cover: forecast, unmet demand and plan"
        " revenue, with the revenue change split into demand, supply and price effects and the change in"
        " the variance to budget adding the budget effect. Grain: plan_month x product_family x month."
    ),
)
def plan_changes(context: dg.AssetExecutionContext, storage: SopStorage) -> dg.MaterializeResult:
    plan_month = plan_month_of(context)
    with storage.connect() as con:
        rows = build_plan_changes(con, plan_month)
        changes = read_partition(con, draft(tables.PLAN_CHANGES), {"plan_month": plan_month})
        checks = hand_over_drafts(context, con, plan_month, tables.PLAN_CHANGES)
    drivers = (
        changes.group_by("product_family")
        .agg(pl.col("change_plan_revenue", "demand_effect", "supply_effect", "price_effect", "budget_effect").sum())
        .sort("product_family")
    )
    return dg.MaterializeResult(
        metadata={"dagster/row_count": rows, "drivers": dg.MetadataValue.md(markdown_table(drivers, 20))},
        check_results=checks,
    )


@plan_asset(
    check_specs=audit_specs(tables.FINANCIAL_OUTLOOK),
    metadata=catalog(tables.FINANCIAL_OUTLOOK),
    deps=[tables.CONSOLIDATED_PLAN, tables.STG_SALES, tables.STG_INVENTORY, tables.STG_FINANCIALS],
    description=(
        "Are we on plan financially? Per family and in total, per calendar year of the horizon: revenue and"
        " margin to date against the budget to date, and the full-year outlook (actuals so far plus the plan"
        " for the rest) against the full-year budget, for the base plan and each scenario."
        " Grain: plan_month x scenario x level x product_family x year."
    ),
)
def financial_outlook(context: dg.AssetExecutionContext, storage: SopStorage) -> dg.MaterializeResult:
    plan_month = plan_month_of(context)
    with storage.connect() as con:
        rows = build_outlook(con, plan_month, storage.settings.plan)
        outlook = read_partition(con, draft(tables.FINANCIAL_OUTLOOK), {"plan_month": plan_month, "scenario": BASE})
        checks = hand_over_drafts(context, con, plan_month, tables.FINANCIAL_OUTLOOK)
    shown = outlook.select("year", "level", "product_family", "outlook_revenue", "budget_revenue", "gap_revenue_pct")
    return dg.MaterializeResult(
        metadata={"dagster/row_count": rows, "outlook": dg.MetadataValue.md(markdown_table(shown, 30))},
        check_results=checks,
    )


@plan_asset(
    check_specs=audit_specs(tables.RISK_REGISTER),
    metadata=catalog(tables.RISK_REGISTER),
    deps=[
        tables.CONSOLIDATED_PLAN,
        tables.FINANCIAL_OUTLOOK,
        tables.FORECAST_ACCURACY_SUMMARY,
        tables.FORECAST_VALUE_ADDED,
        tables.ACTION_LOG,
    ],
    description=(
        "The risks the meeting must discuss: unmet demand, capacity overload, stock below safety stock,"
        " excess stock, revenue below budget, a long-horizon gap to budget, low forecast accuracy and"
        " data-quality warnings, each with its severity, whether it is new or recurring (and since when)"
        " and a suggested action, for the base plan and each scenario."
        " Grain: plan_month x scenario x product_family x kind x month."
    ),
)
def risk_register(context: dg.AssetExecutionContext, storage: SopStorage) -> dg.MaterializeResult:
    plan_month = plan_month_of(context)
    with storage.connect() as con:
        rows = build_risk_register(con, plan_month, storage.settings.risks, storage.settings.report.currency)
        register = read_partition(con, draft(tables.RISK_REGISTER), {"plan_month": plan_month, "scenario": BASE})
        checks = hand_over_drafts(context, con, plan_month, tables.RISK_REGISTER)
    counts = register.group_by("severity", "kind", "status").len().sort("severity", "kind", "status")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": rows,
            "new_risks": int((register["status"] == "new").sum()),
            "by_kind": dg.MetadataValue.md(markdown_table(counts, 30)),
            "preview": dg.MetadataValue.md(
                markdown_table(register.select("product_family", "period", "severity", "suggested_action"))
            ),
        },
        check_results=checks,
    )
