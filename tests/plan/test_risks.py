"""The risk register on a constructed plan: which risks it raises, their history and actions."""

from datetime import date

import duckdb
import polars as pl
import pytest

from sop.core.config import ACTION_FIELDS, FamilyRisks, RiskConfig
from sop.core.months import add_months, month_range
from sop.core.warehouse import query, read_partition, registered, transaction
from sop.plan.risk_kinds import FAMILY_THRESHOLDS, family_thresholds
from sop.plan.risks import action_text, build_risk_register
from sop.publish.drafts import publish_table

PLAN_MONTH = date(2026, 11, 1)
DEFAULTS = RiskConfig()
MONTHS = month_range(PLAN_MONTH, 14)
QUIET = {
    "forecast_units": 50.0,
    "consensus_units": 50.0,
    "capacity_units": 100.0,
    "supply_units": 50.0,
    "unmet_demand_units": 0.0,
    "projected_inventory_units": 20.0,
    "safety_stock_units": 10.0,
    "days_of_supply": 12.0,
    "prebuild_units": 0.0,
    "capacity_utilization": 0.5,
    "budget_units": 50.0,
}
EVENTFUL = {
    # Demand above capacity, covered by the 50 in stock after 20 more than were made.
    0: {"consensus_units": 100.0, "capacity_units": 80.0, "supply_units": 80.0, "projected_inventory_units": 50.0},
    1: {"unmet_demand_units": 25.0, "capacity_utilization": 1.0},
    2: {"projected_inventory_units": 4.0},
    # 400 in stock for the two months after, 200 short each: needed, not excess.
    4: {"projected_inventory_units": 400.0},
    5: {"consensus_units": 300.0, "supply_units": 100.0, "projected_inventory_units": 200.0},
    6: {"consensus_units": 300.0, "supply_units": 100.0, "projected_inventory_units": 10.0},
    # 400 in stock with no later month short: 390 beyond safety stock, 234 days of demand.
    7: {"projected_inventory_units": 400.0},
    12: {"consensus_units": 100.0, "budget_units": 150.0},
    13: {"consensus_units": 100.0, "budget_units": 150.0},
}


MISSING_REGION = (
    "North's 2026-10 sales of A are missing for 4 of 4 series that sold in each of the 3 months before:"
    " the forecast takes them as zero"
)


def _table(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> None:
    con.register("frame", frame.to_arrow())
    con.execute(f"create or replace table {name} as select * from frame")
    con.unregister("frame")


def _warehouse(con: duckdb.DuckDBPyConnection, plan_month: date = PLAN_MONTH, config: RiskConfig = DEFAULTS) -> None:
    """A plan month whose numbers are QUIET but for the EVENTFUL months, its months' risks judged by the
    plan's own rules (int_month_risks)."""
    months = pl.DataFrame(
        [
            {"product_family": "A", "month": month, **QUIET, **EVENTFUL.get(index, {})}
            for index, month in enumerate(MONTHS)
        ]
    )
    _table(con, "int_planned_months", months)
    thresholds = {
        "unmet_tolerance_units": config.unmet_tolerance_units,
        "unmet_tolerance_share": config.unmet_tolerance_share,
        "excess_days": config.excess_days_of_supply,
    }
    with registered(con, {FAMILY_THRESHOLDS: family_thresholds(config)}):
        risks = query(con, "int_month_risks", thresholds)
    plan = months.join(risks, on=["product_family", "month"]).with_columns(
        pl.lit(plan_month).alias("plan_month"), pl.lit("base").alias("scenario")
    )
    outlook = pl.DataFrame(
        {
            "plan_month": plan_month,
            "scenario": "base",
            "level": "family",
            "product_family": "A",
            "year": [2026, 2027, 2028],
            "plan_months": [2, 12, 1],
            "budget_months": [12, 12, 1],
            "gap_revenue_pct": [-0.20, -0.01, -0.50],  # 2028 is a part year: not judged
            "gap_revenue": [-2000.0, -100.0, -500.0],
        }
    )
    accuracy = pl.DataFrame(
        {
            "plan_month": plan_month,
            "level": "family",
            "lag": [1, 1, 3],
            "product_family": ["A", "B", "A"],
            "months": [3, 1, 3],
            "wape": [0.40, 0.90, 0.90],  # B: one month only; lag 3: not what the register reads
            "bias": [0.05, 0.90, 0.90],
        }
    )
    value_added = pl.DataFrame(
        {
            "plan_month": plan_month,
            "level": "family",
            "lag": 1,
            "product_family": "A",
            "step": ["statistical", "sales", "finance", "marketing", "consensus"],
            "changed_months": [None, 3, 3, 2, None],
            "first_month": date(2026, 8, 1),
            "last_month": date(2026, 10, 1),
            "owners": [None, "Tom Becker", "Lena Fischer, Ola Berg", "Maria Costa", None],
            # finance: 8 points worse over 3 months; marketing worse too, but on 2 months only.
            "wape": [0.20, 0.15, 0.23, 0.30, 0.30],
            "fva": [0.10, 0.05, -0.08, -0.07, -0.10],
        }
    )
    actions = pl.DataFrame(
        {
            "plan_month": plan_month,
            "action_id": ["A1", "A2", "A3", "A4"],
            "description": ["Add a shift", "Confirm the budget", "Agree volumes", "Add capacity"],
            "owner": ["Jon Park", "Lena Fischer", "Maria Costa", "Jon Park"],
            "product_family": ["A", None, "A", "A"],
            # A3 answers A's capacity overloads; A4, done, no longer answers its unmet demand.
            "risk_kind": [None, None, "capacity_overload", "unmet_demand"],
            "due_month": [date(2026, 10, 1), date(2026, 8, 1), date(2026, 12, 1), date(2026, 9, 1)],
            "open": [True, True, True, False],
            "months_overdue": [1, 3, 0, 0],  # A3 is not due yet
            "times_slipped": [0, 2, 0, 0],
        }
    )
    warnings = pl.DataFrame(
        {
            "plan_month": plan_month,
            "extract": ["inventory", "inventory", "sales"],
            "check_name": ["inventory_contract", "inventory_contract", "sales_history"],
            "column_name": ["sku", "units", "units"],
            "rule": ["known from sales", ">= 0", MISSING_REGION],
            "severity": ["warning", "error", "warning"],
            "failing_rows": [3, 1, None],
            "product_family": [None, None, "A"],
            "region": [None, None, "North"],
            "months": [None, None, "2026-10"],
        }
    )
    for name, frame in (
        ("draft.consolidated_plan", plan),
        ("draft.financial_outlook", outlook),
        ("draft.forecast_accuracy_summary", accuracy),
        ("draft.forecast_value_added", value_added),
        ("draft.action_log", actions),
        ("validation_results", warnings),
    ):
        _table(con, name, frame)


@pytest.fixture
def register(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    _warehouse(con)
    build_risk_register(con, PLAN_MONTH, RiskConfig(), "EUR")
    return read_partition(con, "draft.risk_register", {"plan_month": PLAN_MONTH})


def test_each_kind_of_risk_is_raised_where_its_rule_holds(register: pl.DataFrame) -> None:
    raised = {(row["kind"], row["period"]): row for row in register.iter_rows(named=True)}
    assert set(raised) == {
        ("capacity_overload", "2026-11"),
        ("capacity_overload", "2027-04"),
        ("capacity_overload", "2027-05"),
        ("unmet_demand", "2026-12"),
        ("below_safety_stock", "2027-01"),
        ("excess_inventory", "2027-06"),
        ("revenue_below_budget", "2026"),
        ("long_horizon_gap", "2027-11 to 2027-12"),
        ("low_forecast_accuracy", None),
        ("adjustment_hurts_accuracy", "2026-08 to 2026-10"),
        ("overdue_action", "2026-10"),
        ("overdue_action", "2026-08"),
        ("data_quality", "inventory"),
        ("data_quality", "2026-10"),
    }
    assert raised[("capacity_overload", "2026-11")]["measure"] == 20.0
    assert raised[("capacity_overload", "2026-11")]["reference"] == 70.0  # 50 left + 100 shipped - 80 made
    assert raised[("unmet_demand", "2026-12")]["severity"] == "high"
    assert raised[("below_safety_stock", "2027-01")]["measure"] == 6.0
    assert raised[("excess_inventory", "2027-06")]["measure"] == 390.0
    assert raised[("excess_inventory", "2027-06")]["reference"] == pytest.approx(390 / (50 / 30))
    assert raised[("long_horizon_gap", "2027-11 to 2027-12")]["measure"] == pytest.approx(-1 / 3)
    assert raised[("data_quality", "inventory")]["product_family"] is None
    # What a check against history found names its family and months, and says it all.
    missing = raised[("data_quality", "2026-10")]
    assert (missing["product_family"], missing["subject"]) == ("A", MISSING_REGION)
    assert missing["suggested_action"] == f"Fix at the source: {MISSING_REGION}."
    # One month late is medium, more is high; a company-wide action has no family.
    late = raised[("overdue_action", "2026-10")]
    assert (late["subject"], late["severity"], late["measure"]) == ("A1 (Add a shift)", "medium", 1.0)
    later = raised[("overdue_action", "2026-08")]
    assert (later["severity"], later["product_family"], later["reference"]) == ("high", None, 2.0)
    assert later["suggested_action"].startswith(
        "Follow up action A2 (Confirm the budget) with Lena Fischer: due 2026-08, 3 month(s) late and still open"
    )
    hurts = raised[("adjustment_hurts_accuracy", "2026-08 to 2026-10")]
    assert (hurts["subject"], hurts["severity"]) == ("finance", "medium")
    assert (hurts["measure"], hurts["reference"]) == pytest.approx((0.08, 0.15))


def test_a_risk_with_an_open_action_on_it_shows_that_action(register: pl.DataFrame) -> None:
    answered = register.filter(pl.col("action_id").is_not_null())
    assert sorted(answered["period"]) == ["2026-11", "2027-04", "2027-05"]
    assert set(answered["kind"]) == {"capacity_overload"}
    assert set(answered["suggested_action"]) == {"A3 (Maria Costa, due 2026-12): Agree volumes"}
    assert set(answered["action_owner"]) == {"Maria Costa"} and set(answered["action_due_month"]) == {date(2026, 12, 1)}
    unmet = register.filter(pl.col("kind") == "unmet_demand").row(0, named=True)
    assert unmet["action_id"] is None and unmet["suggested_action"].startswith("Add capacity for 2026-12")


def test_every_risk_suggests_an_action_with_its_numbers(register: pl.DataFrame) -> None:
    actions = dict(register.select("kind", "suggested_action").unique("kind", keep="first").iter_rows())
    assert actions["unmet_demand"].startswith(
        "Add capacity for 2026-12: 25 units of demand go unmet at 100% utilization"
    )
    assert "the 2026 revenue outlook is -20.0% against budget (EUR -" in actions["revenue_below_budget"]
    assert "lag-1 WAPE 40%" in actions["low_forecast_accuracy"]
    assert actions["adjustment_hurts_accuracy"].startswith(
        "Review the finance changes to A with Lena Fischer, Ola Berg: from 2026-08 to 2026-10 they raised"
        " lag-1 WAPE by 8.0 points over the 15.0% of the forecast before them"
    )
    quality = register.filter(pl.col("kind") == "data_quality")["suggested_action"]
    assert "Fix at the source: inventory extract, column `sku`, rule: known from sales." in quality
    assert register["suggested_action"].null_count() == 0


def test_a_risk_seen_last_month_is_recurring_and_keeps_its_first_month(con: duckdb.DuckDBPyConnection) -> None:
    _warehouse(con)
    build_risk_register(con, PLAN_MONTH, RiskConfig(), "EUR")
    first = read_partition(con, "draft.risk_register", {"plan_month": PLAN_MONTH})
    with transaction(con):
        publish_table(con, "risk_register", PLAN_MONTH)
    next_month = add_months(PLAN_MONTH, 1)
    _warehouse(con, next_month)
    build_risk_register(con, next_month, RiskConfig(), "EUR")
    register = read_partition(con, "draft.risk_register", {"plan_month": next_month})
    assert set(register["status"]) == {"recurring"}  # the long-horizon gap's period moved with it
    assert set(register["first_seen_plan_month"]) == {PLAN_MONTH}
    assert set(first["status"]) == {"new"}


def test_thresholds_come_from_the_config(con: duckdb.DuckDBPyConnection) -> None:
    config = RiskConfig(excess_days_of_supply=250.0, wape_limit=0.5)
    _warehouse(con, config=config)
    build_risk_register(con, PLAN_MONTH, config, "EUR")
    kinds = set(read_partition(con, "draft.risk_register", {"plan_month": PLAN_MONTH})["kind"])
    assert "excess_inventory" not in kinds and "low_forecast_accuracy" not in kinds


def test_a_family_with_thresholds_of_its_own_is_judged_by_them(con: duckdb.DuckDBPyConnection) -> None:
    # A tolerates 30 units of unmet demand and a WAPE of 50%; another family's settings change nothing for A.
    own = FamilyRisks(unmet_tolerance_units=30.0, wape_limit=0.5, long_horizon_from=14)
    config = RiskConfig(families={"A": own, "B": FamilyRisks(excess_days_of_supply=1000.0)})
    _warehouse(con, config=config)
    build_risk_register(con, PLAN_MONTH, config, "EUR")
    raised = {
        (row["kind"], row["period"])
        for row in read_partition(con, "draft.risk_register", {"plan_month": PLAN_MONTH}).iter_rows(named=True)
    }
    assert ("unmet_demand", "2026-12") not in raised
    assert ("long_horizon_gap", "2027-12 to 2027-12") in raised  # the long term starts later for A
    assert ("low_forecast_accuracy", None) not in raised
    assert ("excess_inventory", "2027-06") in raised and ("revenue_below_budget", "2026") in raised


def test_a_kind_without_a_severity_or_an_action_is_refused(con: duckdb.DuckDBPyConnection) -> None:
    _warehouse(con)
    with pytest.raises(ValueError, match="severity and an action"):
        build_risk_register(con, PLAN_MONTH, RiskConfig(severity={"unmet_demand": "high"}), "EUR")


def test_data_quality_risks_stay_one_per_rule_and_recur_only_for_the_same_rule(
    con: duckdb.DuckDBPyConnection,
) -> None:
    _warehouse(con)
    con.execute(
        "insert into validation_results by name select plan_month, 'capacity' as extract, 'plant' as column_name,"
        " 'extra column' as rule, 'warning' as severity, null::bigint as failing_rows,"
        " 'capacity_contract' as check_name from validation_results limit 1"
    )
    build_risk_register(con, PLAN_MONTH, RiskConfig(), "EUR")
    with transaction(con):
        publish_table(con, "risk_register", PLAN_MONTH)
    next_month = add_months(PLAN_MONTH, 1)
    _warehouse(con, next_month)  # only the inventory warning this time
    con.execute(
        "insert into validation_results by name select $m as plan_month, 'capacity' as extract,"
        " 'region' as column_name, 'extra column' as rule, 'warning' as severity, null::bigint as failing_rows,"
        " 'capacity_contract' as check_name",
        {"m": next_month},
    )
    build_risk_register(con, next_month, RiskConfig(), "EUR")
    quality = read_partition(con, "draft.risk_register", {"plan_month": next_month}).filter(
        pl.col("kind") == "data_quality"
    )
    assert dict(quality.select("subject", "status").iter_rows()) == {
        "inventory extract, column `sku`, rule: known from sales": "recurring",
        "capacity extract, column `region`, rule: extra column": "new",
        MISSING_REGION: "recurring",
    }
    region = quality.filter(pl.col("status") == "new")["suggested_action"][0]
    assert region == "Fix at the source: capacity extract, column `region`, rule: extra column."


def test_an_action_may_name_every_field_the_settings_allow_and_a_missing_value_reads_n_a() -> None:
    every_field = " ".join(f"{{{name}}}" for name in ACTION_FIELDS)
    config = RiskConfig(actions={**RiskConfig().actions, "unmet_demand": every_field})
    risk = {"kind": "unmet_demand", "period": "2026-11", "subject": "SKU-1", "owners": "Ana Ruiz"}
    risk |= {"product_family": "Garden", "measure": 12.5, "reference": None}
    assert action_text(risk, config, "USD") == "2026-11 SKU-1 Ana Ruiz Garden 12.5 n/a USD"


def test_a_change_of_a_share_may_be_written_in_points() -> None:
    config = RiskConfig(actions={**RiskConfig().actions, "unmet_demand": "{measure:+.1pts} from {reference:.1%}"})
    risk = {"kind": "unmet_demand", "period": "2026-11", "subject": None, "owners": None, "product_family": "Garden"}
    assert action_text(risk | {"measure": 0.018, "reference": 0.054}, config, "EUR") == "+1.8 points from 5.4%"
    assert action_text(risk | {"measure": None, "reference": 0.054}, config, "EUR") == "n/a from 5.4%"
