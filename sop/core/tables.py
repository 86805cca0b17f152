"""Every table and view of the warehouse, named once.

Each table is built by the SQL model of the same name, `sql/<layer>/<name>.sql` (`sop.core.models`):
- raw: an extract as landed, every value as text (`raw_<extract>`), and the record of each landing;
- staging: an extract typed and trimmed, one-to-one with its raw table (`stg_<extract>`);
- intermediate: a step shared by the models after it (`int_<what>`), never stored;
- marts: what the month publishes, each with a contract beside its model (`<name>.contract.sql`:
  columns, types and meaning), and the validation results;
- reports: the analysts' views, one per question of the executive meeting.

A published table's month is written first to its draft (`draft.<name>`, a schema of its own, out of the
list of tables BI tools show) and published with all the others at once (`sop.publish`).
"""

from __future__ import annotations

from typing import get_args

from sop.core.config import CheckName

EXTRACT_NAMES = ("sales", "inventory", "capacity", "financials", "adjustments", "actions")

RAW_LOADS = "raw_loads"


def raw(extract: str) -> str:
    return f"raw_{extract}"


def staged(extract: str) -> str:
    return f"stg_{extract}"


RAW = tuple(raw(extract) for extract in EXTRACT_NAMES)

STG_SALES = staged("sales")
STG_INVENTORY = staged("inventory")
STG_CAPACITY = staged("capacity")
STG_FINANCIALS = staged("financials")
STG_ADJUSTMENTS = staged("adjustments")
STG_ACTIONS = staged("actions")
# The company's numbers; the people's inputs (adjustments, actions) feed only the stages about them.
STAGED = (STG_SALES, STG_INVENTORY, STG_CAPACITY, STG_FINANCIALS)

SALES_HISTORY = "int_sales_history"
STATISTICAL_DEMAND = "int_statistical_demand"
STAGED_ADJUSTMENTS = "int_adjustments"
SKU_VALUE = "int_sku_value"
SUPPLY_INPUTS = "int_supply_inputs"
PLANNED_MONTHS = "int_planned_months"
MONTH_RISKS = "int_month_risks"
RISK_CANDIDATES = "int_risk_candidates"
PLAN_RECORDS = "int_plan_records"
RECORD_PLAN = "int_record_consolidated_plan"
RECORD_FORECAST = "int_record_sku_forecast"
RECORD_FAMILY_FORECAST = "int_record_family_forecast"
RECORD_ADJUSTMENTS = "int_record_demand_adjustments"
RECORDS = (PLAN_RECORDS, RECORD_PLAN, RECORD_FORECAST, RECORD_FAMILY_FORECAST, RECORD_ADJUSTMENTS)
"""Each earlier month's plan of record, which the month's plan-over-plan changes and accuracy judge."""
INTERMEDIATE = (
    SALES_HISTORY,
    STATISTICAL_DEMAND,
    STAGED_ADJUSTMENTS,
    SKU_VALUE,
    SUPPLY_INPUTS,
    PLANNED_MONTHS,
    MONTH_RISKS,
    RISK_CANDIDATES,
    *RECORDS,
)

VALIDATION_RESULTS = "validation_results"
SKU_FORECAST = "sku_forecast"
FAMILY_FORECAST = "family_forecast"
FORECAST_BACKTEST = "forecast_backtest"
FORECAST_ACCURACY = "forecast_accuracy"
FORECAST_ACCURACY_SUMMARY = "forecast_accuracy_summary"
FORECAST_VALUE_ADDED = "forecast_value_added"
DEMAND_PLAN = "demand_plan"
DEMAND_ADJUSTMENTS = "demand_adjustments"
CONSOLIDATED_PLAN = "consolidated_plan"
PLAN_CHANGES = "plan_changes"
FINANCIAL_OUTLOOK = "financial_outlook"
RISK_REGISTER = "risk_register"
ACTION_LOG = "action_log"
PLAN_SETTINGS = "plan_settings"
PLAN_APPROVALS = "plan_approvals"

EXPORTED = (
    CONSOLIDATED_PLAN,
    PLAN_CHANGES,
    FINANCIAL_OUTLOOK,
    RISK_REGISTER,
    SKU_FORECAST,
    FAMILY_FORECAST,
    FORECAST_BACKTEST,
    FORECAST_ACCURACY,
    FORECAST_ACCURACY_SUMMARY,
    FORECAST_VALUE_ADDED,
    DEMAND_PLAN,
    DEMAND_ADJUSTMENTS,
    ACTION_LOG,
)
"""Published and exported as Parquet for BI tools."""

PUBLISHED = (*EXPORTED, PLAN_SETTINGS)
"""Written as drafts, published at once."""

WRITTEN_BESIDE = {PLAN_SETTINGS: CONSOLIDATED_PLAN}
"""Published tables that no asset of their own writes, with the asset whose step writes them (the settings
a month is planned with, by the plan's step)."""

GRAIN: dict[str, tuple[str, ...]] = {
    CONSOLIDATED_PLAN: ("plan_month", "scenario", "product_family", "month"),
    PLAN_CHANGES: ("plan_month", "product_family", "month"),
    FINANCIAL_OUTLOOK: ("plan_month", "scenario", "level", "product_family", "year"),
    RISK_REGISTER: ("plan_month", "scenario", "product_family", "kind", "month", "subject"),
    SKU_FORECAST: ("plan_month", "sku", "region", "month"),
    FAMILY_FORECAST: ("plan_month", "product_family", "month"),
    FORECAST_BACKTEST: ("plan_month", "level", "segment", "method", "product_family"),
    FORECAST_ACCURACY: ("plan_month", "lag", "level", "product_family", "sku", "region", "month"),
    FORECAST_ACCURACY_SUMMARY: ("plan_month", "lag", "level", "product_family", "sku", "region"),
    FORECAST_VALUE_ADDED: ("plan_month", "lag", "level", "product_family", "step"),
    DEMAND_PLAN: ("plan_month", "sku", "region", "month"),
    DEMAND_ADJUSTMENTS: ("plan_month", "month", "product_family", "sku", "region", "source"),
    ACTION_LOG: ("plan_month", "action_id"),
    PLAN_SETTINGS: ("plan_month",),
}
"""The columns that name one row of each published table (a null, as in a total's product_family,
names like a value): the audit before publishing holds every draft to it."""

WITH_CONTRACT = (*PUBLISHED, VALIDATION_RESULTS, PLAN_APPROVALS)
"""Created from their contracts before any month runs, so that every stage can read earlier months."""

APPROVED_SCHEMA = "approved"
"""Where each approval keeps its copy of the month's published tables (`approved.<table>`, numbered by
`approval`): the plan of record stays readable once the month is reopened and run again."""


def approved(table: str) -> str:
    """The approved versions of a published table, as SQL names it."""
    return f"{APPROVED_SCHEMA}.{table}"


DRAFT_SCHEMA = "draft"


def draft(table: str) -> str:
    """Where a published table's month is written before the month is published, as SQL names it."""
    return f"{DRAFT_SCHEMA}.{table}"


MANIFEST = f"{DRAFT_SCHEMA}.manifest"
"""Which run wrote each draft of a month, and its rows (`sop.publish.drafts`)."""
DRAFT_MANIFEST = "draft_manifest"
"""The model that creates `MANIFEST`."""


FRAMES: dict[str, tuple[str, ...]] = {
    "landed": (),
    "rule_failures": RAW,
    "baseline_forecast": (SALES_HISTORY,),
    "family_baseline": (SALES_HISTORY,),
    "backtest_results": (SALES_HISTORY,),
    "consensus": (STATISTICAL_DEMAND, STAGED_ADJUSTMENTS),
    "landed_changes": (STATISTICAL_DEMAND, STAGED_ADJUSTMENTS),
    "supply_plan": (SUPPLY_INPUTS,),
    "risk_rows": (RISK_CANDIDATES,),
    "risk_flag_severity": (),
    "family_thresholds": (),
}
"""Rows that Python makes (a file read, the rule checks, the model fits, the supply LP, the actions'
text, the configuration's severities and the families' own thresholds) and hands to a model by name,
with the models or tables they are made from."""

RISK_KINDS = "risk_kinds"
UNIT_VALUES = "unit_values"
SCORECARD = "scorecard"
CHANGE_DRIVERS = "change_drivers"
REVIEW_ADJUSTMENTS = "review_adjustments"
FORECAST_PERFORMANCE = "forecast_performance"
VALUE_ADDED = "value_added"
FOLLOW_THROUGH = "follow_through"
FAMILY_PERFORMANCE = "family_performance"
FAMILY_TOTALS = "family_totals"
FINANCIAL_REVIEW = "financial_review"
RISK_REVIEW = "risk_review"
RISK_EPISODES = "risk_episodes"
DECISIONS = "decisions"
NEW_ITEMS = "new_items"
NEW_ITEMS_BY_FAMILY = "new_items_by_family"
CONSTRAINTS = "constraints"
LONG_TERM = "long_term"
FOLLOW_UPS = "follow_ups"
OPEN_ACTIONS = "open_actions"
CLOSED_ACTIONS = "closed_actions"
SCENARIO_COMPARISON = "scenario_comparison"
PLAN_STATUS = "plan_status"
DATA_WARNINGS = "data_warnings"
REPORTS = (
    RISK_KINDS,
    UNIT_VALUES,
    CHANGE_DRIVERS,
    REVIEW_ADJUSTMENTS,
    FORECAST_PERFORMANCE,
    VALUE_ADDED,
    FOLLOW_THROUGH,
    FAMILY_PERFORMANCE,
    FAMILY_TOTALS,
    FINANCIAL_REVIEW,
    SCORECARD,
    RISK_REVIEW,
    RISK_EPISODES,
    DECISIONS,
    NEW_ITEMS,
    NEW_ITEMS_BY_FAMILY,
    CONSTRAINTS,
    LONG_TERM,
    FOLLOW_UPS,
    OPEN_ACTIONS,
    CLOSED_ACTIONS,
    SCENARIO_COMPARISON,
    PLAN_STATUS,
    DATA_WARNINGS,
)
"""The plain names of the risks and what a unit is worth, then the executive meeting's questions (the
first page's scorecard after the reports it reads), in the order the brief asks
them, answered once over every plan month: the pack reads its month of them, the meeting views the
newest month. A report reads the published tables and the reports before it."""

ANALYST_VIEWS = (
    *REPORTS,
    "latest_plan",
    "plan_risks",
    "meeting_changes",
    "meeting_adjustments",
    "meeting_performance",
    "meeting_value_added",
    "meeting_follow_through",
    "meeting_family_performance",
    "meeting_financials",
    "meeting_risks",
    "meeting_decisions",
    "meeting_new_items",
    "meeting_constraints",
    "meeting_long_term",
    "meeting_follow_ups",
    "meeting_actions",
    "meeting_scenarios",
    "data_dictionary",
)
"""Views in DuckDB for analysts (`sql/reports/`), refreshed with every export, in the order they build on each other."""

AUDITS: dict[str, str] = {
    "audit_supply_within_capacity": CONSOLIDATED_PLAN,
    "audit_shipments_within_demand": CONSOLIDATED_PLAN,
    "audit_supply_and_stock_not_negative": CONSOLIDATED_PLAN,
    "audit_margin_is_revenue_minus_cogs": CONSOLIDATED_PLAN,
    "audit_variances_as_defined": CONSOLIDATED_PLAN,
    "audit_money_in_cents": CONSOLIDATED_PLAN,
    "audit_family_demand_is_its_skus": CONSOLIDATED_PLAN,
    "audit_family_forecast_is_its_series": FAMILY_FORECAST,
    "audit_outlook_total_is_its_families": FINANCIAL_OUTLOOK,
}
"""Rules of the month's plan that its drafts must keep before it is published (`sql/audits/`: each model
selects the rows that break its rule), with the table whose asset checks it."""

CHECKS: tuple[str, ...] = get_args(CheckName)
"""The evidence of the checks of an extract against the one before it and its own history (`sql/checks/`)."""

MODELS = (
    RAW_LOADS,
    *RAW,
    *STAGED,
    STG_ADJUSTMENTS,
    STG_ACTIONS,
    *INTERMEDIATE,
    VALIDATION_RESULTS,
    *PUBLISHED,
    PLAN_APPROVALS,
    DRAFT_MANIFEST,
    *ANALYST_VIEWS,
    *AUDITS,
    *CHECKS,
)
"""Every table and view of the warehouse, and every audit of a month's drafts: each has its SQL model."""
