"""The risk register: one row per risk of the plan month, with its severity, history and a suggested action.

The risks and their history come from `sql/intermediate/int_risk_candidates.sql` (the plan, the
financial outlook, forecast accuracy and the data-quality warnings of the month's extracts, against
last month's register); thresholds, severities and the action templates are in `RiskConfig`. Python
holds the rows only to write each risk's action from its template.
"""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from sop.core import tables
from sop.core.config import ACTION_FIELDS, ActionValue, RiskConfig
from sop.core.months import add_months
from sop.core.warehouse import clear_month, draft, query, registered, replace_partition, transaction
from sop.intake.contract import SOURCES
from sop.plan.consolidated import plan_scenarios
from sop.plan.risk_kinds import FAMILY_THRESHOLDS, check_risk_config, family_thresholds


def build_risk_register(con: duckdb.DuckDBPyConnection, plan_month: date, config: RiskConfig, currency: str) -> int:
    """Rebuilds the plan month's risk register, its money in `currency`; returns its rows."""
    check_risk_config(config)
    params = {
        "plan_month": plan_month,
        "previous_plan_month": add_months(plan_month, -1),
        "unmet_tolerance_units": config.unmet_tolerance_units,
        "unmet_tolerance_share": config.unmet_tolerance_share,
        "excess_days": config.excess_days_of_supply,
        "revenue_gap_pct": config.revenue_gap_pct,
        "long_horizon_from": config.long_horizon_from,
        "long_gap_pct": config.long_horizon_gap_pct,
        "wape_limit": config.wape_limit,
        "bias_limit": config.bias_limit,
        "accuracy_min_months": config.accuracy_min_months,
        "harmful_fva": config.harmful_fva,
        "overdue_high_after_months": config.overdue_high_after_months,
        "sources": list(SOURCES),
    }
    count = 0
    with transaction(con):
        clear_month(con, draft(tables.RISK_REGISTER), plan_month)
        for scenario in plan_scenarios(con, plan_month):
            with registered(con, {FAMILY_THRESHOLDS: family_thresholds(config)}):
                candidates = query(con, tables.RISK_CANDIDATES, params | {"scenario": scenario})
            rows = candidates.with_columns(
                pl.coalesce("severity", pl.col("kind").replace_strict(config.severity)).alias("severity"),
                pl.struct(pl.all())
                .map_elements(lambda risk: action_text(risk, config, currency), return_dtype=pl.String)
                .alias("action"),
            )
            partition = {"plan_month": plan_month, "scenario": scenario}
            count += replace_partition(
                con, tables.RISK_REGISTER, partition, frames={"risk_rows": rows}, into=draft(tables.RISK_REGISTER)
            )
    return count


def action_text(risk: dict, config: RiskConfig, currency: str) -> str:
    """The register's suggested action for a risk row: its kind's text with the row's fields
    (`sop.core.config.ACTION_FIELDS`) filled in, money in `currency`."""
    values = risk | {"family": risk["product_family"], "currency": currency}
    return config.actions[risk["kind"]].format(**{name: ActionValue(values[name]) for name in ACTION_FIELDS})
