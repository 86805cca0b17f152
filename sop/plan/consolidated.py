"""The consolidated plan: family demand confronted with capacity, inventory and the budget."""

from __future__ import annotations

from datetime import date

import duckdb

from sop.core import tables
from sop.core.config import PlanConfig, RiskConfig, Scenario
from sop.core.months import add_months
from sop.core.settings import Settings, changed_settings
from sop.core.warehouse import (
    clear_month,
    create_views,
    draft,
    materialize_intermediate,
    query,
    quote_table,
    replace_partition,
    transaction,
)
from sop.plan.risk_kinds import FAMILY_THRESHOLDS, family_thresholds, flag_severity
from sop.plan.scenarios import scenario_params
from sop.plan.supply import plan_supply


def build_sku_value(con: duckdb.DuckDBPyConnection, plan_month: date, config: PlanConfig) -> None:
    """The price and cost of each sku's units, for the step's models (`int_sku_value`)."""
    price_from = add_months(plan_month, -config.price_lookback_months)
    materialize_intermediate(con, tables.SKU_VALUE, {"plan_month": plan_month, "price_from": price_from})


def build_plan(
    con: duckdb.DuckDBPyConnection,
    plan_month: date,
    config: PlanConfig,
    risks: RiskConfig,
    scenarios: tuple[Scenario, ...] = (),
) -> int:
    """Rebuilds the plan month's consolidated plan from staging and the forecast, the base plan and
    one beside it per scenario, its months' risks judged as the register judges them; returns its rows."""
    build_sku_value(con, plan_month, config)
    severity = flag_severity(risks)
    rows = 0
    with transaction(con):
        clear_month(con, draft(tables.CONSOLIDATED_PLAN), plan_month)
        for scenario in (None, *scenarios):
            params = {
                "previous_plan_month": add_months(plan_month, -1),
                "unmet_tolerance_units": risks.unmet_tolerance_units,
                "unmet_tolerance_share": risks.unmet_tolerance_share,
                "excess_days": risks.excess_days_of_supply,
            } | scenario_params(scenario, plan_month)
            params["plan_month"] = plan_month
            supply = plan_supply(query(con, tables.SUPPLY_INPUTS, params), config)
            materialize_intermediate(con, tables.PLANNED_MONTHS, params, {"supply_plan": supply})
            materialize_intermediate(con, tables.MONTH_RISKS, params, {FAMILY_THRESHOLDS: family_thresholds(risks)})
            partition = {"plan_month": plan_month, "scenario": params.pop("scenario")}
            severity_frame = {"risk_flag_severity": severity}
            rows += replace_partition(
                con, tables.CONSOLIDATED_PLAN, partition, params, severity_frame, into=draft(tables.CONSOLIDATED_PLAN)
            )
    return rows


def record_settings(con: duckdb.DuckDBPyConnection, plan_month: date, settings: Settings) -> list[str]:
    """Keeps the settings in force for this month (`plan_settings`); returns the settings that differ
    from those its published version was planned with (none for a first run)."""
    risks = settings.config.risks
    published = con.execute(
        f"select settings_values from {tables.PLAN_SETTINGS} where plan_month = $plan_month",
        {"plan_month": plan_month},
    ).fetchall()
    changed = changed_settings(published[0][0], settings.values) if published and published[0][0] else []
    params = {
        "long_horizon_from": risks.long_horizon_from,
        "near_term_months": risks.near_term_months,
        "settings_source": settings.source,
        "settings_text": settings.text,
        "settings_sha256": settings.sha256,
        "settings_values": settings.values,
        "currency": settings.config.report.currency,
    }
    with transaction(con):
        replace_partition(
            con, tables.PLAN_SETTINGS, {"plan_month": plan_month}, params, into=draft(tables.PLAN_SETTINGS)
        )
    return changed


def build_plan_changes(con: duckdb.DuckDBPyConnection, plan_month: date) -> int:
    """Rebuilds the plan month's comparison with last month's plan; returns its rows (none
    when there is no earlier plan)."""
    params = {"previous_plan_month": add_months(plan_month, -1)}
    create_views(con, (tables.PLAN_RECORDS, tables.RECORD_PLAN), temporary=True)
    with transaction(con):
        return replace_partition(
            con, tables.PLAN_CHANGES, {"plan_month": plan_month}, params, into=draft(tables.PLAN_CHANGES)
        )


def build_outlook(con: duckdb.DuckDBPyConnection, plan_month: date, config: PlanConfig) -> int:
    """Rebuilds the plan month's year-to-date and full-year outlook against the budget, for the
    base plan and every scenario the plan holds; returns its rows."""
    build_sku_value(con, plan_month, config)
    rows = 0
    with transaction(con):
        clear_month(con, draft(tables.FINANCIAL_OUTLOOK), plan_month)
        for scenario in plan_scenarios(con, plan_month):
            partition = {"plan_month": plan_month, "scenario": scenario}
            rows += replace_partition(con, tables.FINANCIAL_OUTLOOK, partition, into=draft(tables.FINANCIAL_OUTLOOK))
    return rows


def plan_scenarios(con: duckdb.DuckDBPyConnection, plan_month: date) -> list[str]:
    """The scenarios of the plan month's draft plan, base first."""
    plan = draft(tables.CONSOLIDATED_PLAN)
    sql = f"select distinct scenario from {quote_table(plan)} where plan_month = $m order by scenario != 'base', 1"
    return [row[0] for row in con.execute(sql, {"m": plan_month}).fetchall()]
