"""The consolidated plan on a case small enough to check by hand."""

from datetime import date
from decimal import Decimal

import duckdb
import polars as pl
import pytest

from sop.core.config import PlanConfig, RiskConfig, Scenario
from sop.core.months import add_months
from sop.core.warehouse import read_partition, scalar, sql_text, transaction
from sop.plan.consolidated import build_outlook, build_plan, build_plan_changes
from sop.plan.risk_kinds import FLAGS, flag_severity
from sop.publish.drafts import publish_table
from tests.demand.reviewed import review_demand

PLAN_MONTH = date(2026, 11, 1)
HORIZON = [date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1)]


def _table(con: duckdb.DuckDBPyConnection, name: str, rows: dict) -> None:
    frame = pl.DataFrame(rows).with_columns(pl.lit(PLAN_MONTH).alias("plan_month"))
    con.register("rows", frame.to_arrow())
    con.execute(f"create or replace table {name} as select * from rows")
    con.unregister("rows")


def _plan(con: duckdb.DuckDBPyConnection, month: date, config: RiskConfig | None = None) -> int:
    """The demand review (no changes) and the plan on its consensus."""
    review_demand(con, month)
    return build_plan(con, month, PlanConfig(), config or RiskConfig())


def _publish_plan(con: duckdb.DuckDBPyConnection, month: date) -> None:
    with transaction(con):
        publish_table(con, "consolidated_plan", month)


def _copy_to_next_month(con: duckdb.DuckDBPyConnection) -> date:
    """The inputs of the plan month again, as next month's: returns next month."""
    next_month = add_months(PLAN_MONTH, 1)
    for table in (
        "stg_sales",
        "stg_inventory",
        "stg_capacity",
        "stg_financials",
        "draft.sku_forecast",
        "draft.family_forecast",
    ):
        con.execute(
            f"insert into {table} by name select * replace ($next::date as plan_month) from {table}",
            {"next": next_month},
        )
    return next_month


@pytest.fixture
def one_family(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """One sku selling 10 a month at 10.0; stock 15 (safety 5) at cost 6; capacity 12 a month;
    demand 10, 20, 30 over the horizon; budget revenue 100, 200, 300."""
    history = [add_months(PLAN_MONTH, -offset) for offset in range(1, 13)]
    _table(
        con,
        "stg_sales",
        {
            "month": history,
            "sku": ["S1"] * 12,
            "product_family": ["Tools"] * 12,
            "region": ["North"] * 12,
            "units": [10.0] * 12,
            "net_revenue": [100.0] * 12,
        },
    )
    _table(
        con,
        "stg_inventory",
        {
            "sku": ["S1"],
            "location": ["DC-1"],
            "on_hand_units": [15.0],
            "safety_stock_units": [5.0],
            "unit_cost": [6.0],
        },
    )
    _table(
        con,
        "stg_capacity",
        {
            "month": HORIZON,
            "plant": ["P1"] * 3,
            "product_family": ["Tools"] * 3,
            "capacity_units": [12.0] * 3,
        },
    )
    _table(
        con,
        "stg_financials",
        {
            "month": HORIZON,
            "product_family": ["Tools"] * 3,
            "budget_units": [10.0, 20.0, 30.0],
            "budget_revenue": [100.0, 200.0, 300.0],
            "budget_cogs": [60.0, 120.0, 180.0],
        },
    )
    demand = [10.0, 20.0, 30.0]
    _table(
        con,
        "draft.sku_forecast",
        {
            "sku": ["S1"] * 3,
            "region": ["North"] * 3,
            "product_family": ["Tools"] * 3,
            "month": HORIZON,
            "forecast_units": demand,
            "forecast_lo_80": demand,
            "forecast_hi_80": demand,
            "forecast_lo_95": demand,
            "forecast_hi_95": demand,
            "model": ["test"] * 3,
        },
    )
    _table(
        con,
        "draft.family_forecast",
        {
            "product_family": ["Tools"] * 3,
            "month": HORIZON,
            "forecast_units": demand,
            "forecast_lo_80": demand,
            "forecast_hi_80": demand,
            "forecast_lo_95": demand,
            "forecast_hi_95": demand,
        },
    )
    return con


def test_the_familys_interval_is_its_own_shifted_by_the_review_and_scaled_by_a_scenario(
    one_family: duckdb.DuckDBPyConnection,
) -> None:
    # The family's own interval (family_forecast), wider than its one sku's (none at all).
    one_family.execute(
        "update draft.family_forecast set forecast_lo_80 = forecast_units - 4, forecast_hi_80 = forecast_units + 6"
    )
    review_demand(one_family, PLAN_MONTH)
    one_family.execute(
        "insert into stg_adjustments values"
        " ($m, date '2026-12-01', 'Tools', null, null, 'add_units', -8, 'sales', 'Tom', 'Lost order', 1)",
        {"m": PLAN_MONTH},
    )
    review_demand(one_family, PLAN_MONTH)
    build_plan(one_family, PLAN_MONTH, PlanConfig(), RiskConfig(), (PROMOTION,))
    plan = read_partition(one_family, "draft.consolidated_plan", {"plan_month": PLAN_MONTH}).sort("scenario", "month")
    base = plan.filter(pl.col("scenario") == "base")
    assert base["forecast_lo_80"].to_list() == pytest.approx([6.0, 16.0, 26.0])
    assert base["forecast_hi_80"].to_list() == pytest.approx([16.0, 26.0, 36.0])
    assert base["consensus_lo_80"].to_list() == pytest.approx([6.0, 8.0, 26.0])
    assert base["consensus_hi_80"].to_list() == pytest.approx([16.0, 18.0, 36.0])
    # Demand up 10%: the family's bounds with it.
    promotion = plan.filter(pl.col("scenario") == "promotion")
    assert promotion["forecast_lo_80"].to_list() == pytest.approx([6.6, 17.6, 28.6])
    assert promotion["forecast_hi_80"].to_list() == pytest.approx([17.6, 28.6, 39.6])


def test_the_plan_builds_ahead_and_leaves_only_the_unavoidable_shortfall(
    one_family: duckdb.DuckDBPyConnection,
) -> None:
    assert _plan(one_family, PLAN_MONTH) == 3
    plan = read_partition(one_family, "draft.consolidated_plan", {"plan_month": PLAN_MONTH}).sort("month")
    # 15 on hand + 3 x 12 made = 51 for a demand of 60: 9 cannot be met. Making 12 in November,
    # when 10 are sold, keeps 2 more for January: stock 17, 9, 0 and the 9 unmet all in January.
    assert plan["supply_units"].to_list() == pytest.approx([12.0, 12.0, 12.0])
    assert plan["prebuild_units"].to_list() == pytest.approx([2.0, 0.0, 0.0])
    assert plan["projected_inventory_units"].to_list() == pytest.approx([17.0, 9.0, 0.0])
    assert plan["unmet_demand_units"].to_list() == pytest.approx([0.0, 0.0, 9.0])
    assert plan["capacity_utilization"].to_list() == pytest.approx([1.0, 1.0, 1.0])
    assert plan["supply_method"].to_list() == ["lp"] * 3
    # days of supply: stock over the month's daily demand (30, 31 and 31 days).
    assert plan["days_of_supply"].to_list() == pytest.approx([17 / (10 / 30), 9 / (20 / 31), 0.0])


def test_the_plan_runs_on_the_consensus_and_keeps_the_statistical_forecast_beside_it(
    one_family: duckdb.DuckDBPyConnection,
) -> None:
    # Sales cuts December by 8 units; marketing adds 20% to January: demand 10, 12, 36.
    review_demand(one_family, PLAN_MONTH)
    one_family.execute(
        "insert into stg_adjustments values"
        " ($m, date '2026-12-01', 'Tools', null, null, 'add_units', -8, 'sales', 'Tom', 'Lost order', 1),"
        " ($m, date '2027-01-01', 'Tools', 'S1', null, 'scale_pct', 20, 'marketing', 'Maria', 'Promotion', 2)",
        {"m": PLAN_MONTH},
    )
    _plan(one_family, PLAN_MONTH)
    plan = read_partition(one_family, "draft.consolidated_plan", {"plan_month": PLAN_MONTH}).sort("month")
    assert plan["forecast_units"].to_list() == [10.0, 20.0, 30.0]
    assert plan["consensus_units"].to_list() == pytest.approx([10.0, 12.0, 36.0])
    assert plan["adjustment_units"].to_list() == pytest.approx([0.0, -8.0, 6.0])
    # The interval moves with the level: the statistical one (here 10, 20, 30 wide of nothing) shifted.
    assert plan["consensus_lo_80"].to_list() == pytest.approx([10.0, 12.0, 36.0])
    # 15 on hand + 36 made = 51 for a demand of 58: 7 unmet, all in January; the variance to the budget
    # is the consensus's.
    assert plan["unmet_demand_units"].to_list() == pytest.approx([0.0, 0.0, 7.0])
    assert plan["variance_units"].to_list() == pytest.approx([0.0, -8.0, 6.0])
    assert plan["plan_revenue"].to_list() == pytest.approx([100.0, 120.0, 290.0])


def test_money_is_shipped_units_at_price_and_cost(one_family: duckdb.DuckDBPyConnection) -> None:
    _plan(one_family, PLAN_MONTH)
    plan = read_partition(one_family, "draft.consolidated_plan", {"plan_month": PLAN_MONTH}).sort("month")
    # shipped 10, 20, 21 at price 10.0 and cost 6.0
    assert plan["plan_revenue"].to_list() == pytest.approx([100.0, 200.0, 210.0])
    assert plan["plan_cogs"].to_list() == pytest.approx([60.0, 120.0, 126.0])
    assert plan["plan_gross_margin"].to_list() == pytest.approx([40.0, 80.0, 84.0])
    assert plan["variance_revenue"].to_list() == pytest.approx([0.0, 0.0, -90.0])
    assert plan["variance_revenue_pct"].to_list() == pytest.approx([0.0, 0.0, -90 / 300])
    assert plan["variance_units"].to_list() == [0.0, 0.0, 0.0]


def test_flags_and_levels_follow_the_numbers(one_family: duckdb.DuckDBPyConnection) -> None:
    _plan(one_family, PLAN_MONTH)
    plan = read_partition(one_family, "draft.consolidated_plan", {"plan_month": PLAN_MONTH}).sort("month")
    # Month 2: demand 20 above capacity 12, covered by stock. Month 3: 9 of 30 units unmet, which says
    # it all (the overload and the empty stock behind it are not flagged again).
    assert plan["risk_flags"].to_list() == [[], ["capacity_overload"], ["unmet_demand"]]
    assert plan["risk_level"].to_list() == ["none", "medium", "high"]


def test_last_months_plan_is_compared_when_it_exists(one_family: duckdb.DuckDBPyConnection) -> None:
    _plan(one_family, PLAN_MONTH)
    first = read_partition(one_family, "draft.consolidated_plan", {"plan_month": PLAN_MONTH})
    assert first["prev_plan_units"].null_count() == 3

    _publish_plan(one_family, PLAN_MONTH)
    next_month = _copy_to_next_month(one_family)
    one_family.execute(
        "update draft.sku_forecast set forecast_units = forecast_units + 5 where plan_month = $next",
        {"next": next_month},
    )
    _plan(one_family, next_month)
    second = read_partition(one_family, "draft.consolidated_plan", {"plan_month": next_month}).sort("month")
    assert second["prev_plan_units"].to_list() == [10.0, 20.0, 30.0]
    assert second["change_vs_prev_plan_units"].to_list() == [5.0, 5.0, 5.0]


def test_rebuilding_a_month_replaces_it(one_family: duckdb.DuckDBPyConnection) -> None:
    _plan(one_family, PLAN_MONTH)
    _plan(one_family, PLAN_MONTH)
    assert scalar(one_family, "select count(*) from draft.consolidated_plan") == 3


def test_every_flag_the_plan_raises_is_a_kind_of_risk_with_a_severity() -> None:
    rules = sql_text("int_month_risks")
    assert all(f"'{flag}'" in rules for flag in FLAGS)
    assert set(flag_severity(RiskConfig())["flag"]) == set(FLAGS)
    with pytest.raises(ValueError, match="every risk kind needs a severity"):
        flag_severity(RiskConfig(severity={"unmet_demand": "high"}))


def test_an_unknown_severity_is_refused(one_family: duckdb.DuckDBPyConnection) -> None:
    severity = RiskConfig().severity | {"unmet_demand": "urgent"}
    with pytest.raises(ValueError, match="risk severities must be among"):
        _plan(one_family, PLAN_MONTH, RiskConfig(severity=severity))


def test_the_change_since_last_month_splits_into_demand_supply_price_and_budget(
    one_family: duckdb.DuckDBPyConnection,
) -> None:
    _plan(one_family, PLAN_MONTH)
    assert build_plan_changes(one_family, PLAN_MONTH) == 0  # no earlier plan
    _publish_plan(one_family, PLAN_MONTH)
    next_month = _copy_to_next_month(one_family)
    # Next month: demand up 5 in every month, prices up 10%, budget revenue up 50.
    one_family.execute(
        "update draft.sku_forecast set forecast_units = forecast_units + 5 where plan_month = $m", {"m": next_month}
    )
    one_family.execute("update stg_sales set net_revenue = net_revenue * 1.1 where plan_month = $m", {"m": next_month})
    one_family.execute(
        "update stg_financials set budget_revenue = budget_revenue + 50 where plan_month = $m", {"m": next_month}
    )
    _plan(one_family, next_month)
    assert build_plan_changes(one_family, next_month) == 3
    changes = read_partition(one_family, "draft.plan_changes", {"plan_month": next_month}).sort("month")
    effects = changes["demand_effect"] + changes["supply_effect"] + changes["price_effect"]
    assert (effects - changes["change_plan_revenue"]).abs().max() < 1e-9
    assert (
        changes["change_plan_revenue"] + changes["budget_effect"] - changes["change_variance_revenue"]
    ).abs().max() < 1e-9
    assert changes["change_forecast_units"].to_list() == [5.0, 5.0, 5.0]
    assert changes["demand_effect"].to_list() == pytest.approx([50.0, 50.0, 50.0])  # 5 units at last month's 10.0
    assert changes["budget_effect"].to_list() == pytest.approx([-50.0, -50.0, -50.0])
    # 51 available both months: 24 of the 75 demanded go unmet instead of 9 of 60.
    assert changes["change_unmet_demand_units"].sum() == pytest.approx(15.0)
    assert changes["supply_effect"].sum() == pytest.approx(-15 * 10.0)
    # Each of the 51 shipped units sells at 11.0 instead of 10.0.
    assert changes["price_effect"].sum() == pytest.approx(51 * 1.0)


def test_the_outlook_adds_the_plan_to_the_actuals_of_each_year(one_family: duckdb.DuckDBPyConnection) -> None:
    _plan(one_family, PLAN_MONTH)
    assert build_outlook(one_family, PLAN_MONTH, PlanConfig()) == 4  # Tools and total, 2026 and 2027
    rows = read_partition(one_family, "draft.financial_outlook", {"plan_month": PLAN_MONTH})
    by_key = {(row["level"], row["year"]): row for row in rows.iter_rows(named=True)}
    year = by_key[("family", 2026)]
    # January to October 2026 sold 10 a month for 100 at a cost of 6; the plan ships 10 and 20 in
    # November and December (100 + 200 of revenue, 60 + 120 of COGS); the budget covers those two.
    assert (year["plan_months"], year["budget_months"]) == (2, 2)
    assert year["actual_revenue_ytd"] == pytest.approx(1000.0)
    assert year["actual_margin_ytd"] == pytest.approx(1000.0 - 600.0)
    assert year["outlook_revenue"] == pytest.approx(1300.0)
    assert year["outlook_margin"] == pytest.approx(1300.0 - 600.0 - 180.0)
    assert year["budget_revenue"] == pytest.approx(300.0)
    assert year["gap_revenue"] == pytest.approx(1000.0)
    next_year = by_key[("family", 2027)]
    assert next_year["outlook_revenue"] == pytest.approx(210.0)  # January ships 21 at 10.0
    assert next_year["gap_revenue"] == pytest.approx(210.0 - 300.0)
    assert by_key[("total", 2027)]["outlook_revenue"] == next_year["outlook_revenue"]


def test_a_month_without_a_budget_has_no_budget_effect(one_family: duckdb.DuckDBPyConnection) -> None:
    _plan(one_family, PLAN_MONTH)
    _publish_plan(one_family, PLAN_MONTH)
    next_month = _copy_to_next_month(one_family)
    one_family.execute(
        "delete from stg_financials where plan_month = $m and month = $january",
        {"m": next_month, "january": date(2027, 1, 1)},
    )
    _plan(one_family, next_month)
    build_plan_changes(one_family, next_month)
    changes = read_partition(one_family, "draft.plan_changes", {"plan_month": next_month}).sort("month")
    assert changes["budget_effect"].to_list() == [0.0, 0.0, None]
    assert changes["change_variance_revenue"][2] is None
    assert changes["change_plan_revenue"].null_count() == 0


PROMOTION = Scenario("promotion", "Demand up 10% at prices 5% lower.", demand_change_pct=0.10, price_change_pct=-0.05)
SLUMP = Scenario("slump", "Demand down 7% at prices 3% higher.", demand_change_pct=-0.07, price_change_pct=0.03)
MONEY = {
    "consolidated_plan": ("plan_revenue", "plan_cogs", "plan_gross_margin", "budget_revenue", "variance_revenue"),
    "plan_changes": (
        "prev_plan_revenue",
        "plan_revenue",
        "change_plan_revenue",
        "demand_effect",
        "supply_effect",
        "price_effect",
        "budget_effect",
        "change_variance_revenue",
    ),
    "financial_outlook": (
        "actual_revenue_ytd",
        "budget_revenue_ytd",
        "variance_revenue_ytd",
        "actual_margin_ytd",
        "budget_margin_ytd",
        "outlook_revenue",
        "budget_revenue",
        "gap_revenue",
        "outlook_margin",
        "budget_margin",
        "gap_margin",
    ),
}


def _add(con: duckdb.DuckDBPyConnection, name: str, rows: dict) -> None:
    frame = pl.DataFrame(rows).with_columns(pl.lit(PLAN_MONTH).alias("plan_month"))
    con.register("rows", frame.to_arrow())
    con.execute(f"insert into {name} by name select * from rows")
    con.unregister("rows")


@pytest.fixture
def several_skus(one_family: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """The family of one_family with five more skus in two regions, at prices and costs of many
    decimals and demand of fractional units, and capacity for all of it: sums and scenario factors
    in floating point, where a sum of products and a product of sums differ in the last digit."""
    skus = [f"S{number}" for number in range(2, 7)]
    history = [add_months(PLAN_MONTH, -offset) for offset in range(1, 13)]
    _add(
        one_family,
        "stg_sales",
        {
            "month": history * len(skus),
            "sku": [sku for sku in skus for _ in history],
            "product_family": "Tools",
            "region": "North",
            "units": [3.0 + number for number in range(len(skus)) for _ in history],
            "net_revenue": [41.237 * (1 + number / 7) for number in range(len(skus)) for _ in history],
        },
    )
    _add(
        one_family,
        "stg_inventory",
        {
            "sku": skus,
            "location": "DC-1",
            "on_hand_units": 0.0,
            "safety_stock_units": 0.0,
            "unit_cost": [4.1 + number / 3 for number in range(len(skus))],
        },
    )
    one_family.execute("update stg_capacity set capacity_units = 1000")
    keys = [(sku, region, month) for sku in skus for region in ("North", "South") for month in HORIZON]
    demand = [1.1 + 3.7 * index / 3 for index in range(len(keys))]
    _add(
        one_family,
        "draft.sku_forecast",
        {
            "sku": [sku for sku, _, _ in keys],
            "region": [region for _, region, _ in keys],
            "product_family": "Tools",
            "month": [month for _, _, month in keys],
            "forecast_units": demand,
            "forecast_lo_80": demand,
            "forecast_hi_80": demand,
            "forecast_lo_95": demand,
            "forecast_hi_95": demand,
            "model": "test",
        },
    )
    return one_family


def _cents(value: float) -> Decimal:
    """An amount as people read it: in cents, exactly."""
    assert round(value, 2) == value, f"{value!r} is not in cents"
    return Decimal(repr(value))


def test_a_plan_that_meets_all_demand_leaves_exactly_nothing_unmet_in_every_scenario(
    several_skus: duckdb.DuckDBPyConnection,
) -> None:
    review_demand(several_skus, PLAN_MONTH)
    assert build_plan(several_skus, PLAN_MONTH, PlanConfig(), RiskConfig(), (PROMOTION, SLUMP)) == 9
    plan = read_partition(several_skus, "draft.consolidated_plan", {"plan_month": PLAN_MONTH})
    assert set(plan["scenario"]) == {"base", "promotion", "slump"}
    assert plan["unmet_demand_units"].to_list() == [0.0] * 9
    assert scalar(several_skus, "select count(*) from draft.consolidated_plan where unmet_demand_units > 0") == 0
    for quantity in ("supply_units", "projected_inventory_units", "prebuild_units"):
        assert (plan[quantity] >= 0).all()
        assert not plan[quantity].is_between(0, 1e-6, closed="none").any()


def test_money_is_in_cents_and_adds_up_to_the_cent(several_skus: duckdb.DuckDBPyConnection) -> None:
    review_demand(several_skus, PLAN_MONTH)
    build_plan(several_skus, PLAN_MONTH, PlanConfig(), RiskConfig(), (PROMOTION, SLUMP))
    _publish_plan(several_skus, PLAN_MONTH)
    next_month = _copy_to_next_month(several_skus)
    # Next month: demand up by a fraction, prices up 10%, a budget of more decimals than cents.
    several_skus.execute(
        "update draft.sku_forecast set forecast_units = forecast_units * 1.0371 where plan_month = $m",
        {"m": next_month},
    )
    several_skus.execute(
        "update stg_sales set net_revenue = net_revenue * 1.1 where plan_month = $m", {"m": next_month}
    )
    several_skus.execute(
        "update stg_financials set budget_revenue = budget_revenue + 50.3333 where plan_month = $m", {"m": next_month}
    )
    review_demand(several_skus, next_month)
    build_plan(several_skus, next_month, PlanConfig(), RiskConfig(), (PROMOTION, SLUMP))
    assert build_plan_changes(several_skus, next_month) == 3
    assert build_outlook(several_skus, next_month, PlanConfig()) == 12
    tables = {
        table: several_skus.sql(f"select * from draft.{table}").pl().to_dicts()
        for table in ("consolidated_plan", "plan_changes", "financial_outlook")
    }
    for table, columns in MONEY.items():
        assert tables[table]
        for row in tables[table]:
            for column in columns:
                if row[column] is not None:
                    _cents(row[column])
    for row in tables["consolidated_plan"]:
        assert _cents(row["plan_gross_margin"]) == _cents(row["plan_revenue"]) - _cents(row["plan_cogs"])
        assert _cents(row["variance_revenue"]) == _cents(row["plan_revenue"]) - _cents(row["budget_revenue"])
    for row in tables["plan_changes"]:
        change = _cents(row["change_plan_revenue"])
        assert change == _cents(row["plan_revenue"]) - _cents(row["prev_plan_revenue"])
        assert change == _cents(row["demand_effect"]) + _cents(row["supply_effect"]) + _cents(row["price_effect"])
        assert _cents(row["change_variance_revenue"]) == change + _cents(row["budget_effect"])
    outlook = tables["financial_outlook"]
    for row in outlook:
        assert _cents(row["gap_revenue"]) == _cents(row["outlook_revenue"]) - _cents(row["budget_revenue"])
        assert _cents(row["gap_margin"]) == _cents(row["outlook_margin"]) - _cents(row["budget_margin"])
    for total in (row for row in outlook if row["level"] == "total"):
        families = [
            row
            for row in outlook
            if row["level"] == "family" and (row["scenario"], row["year"]) == (total["scenario"], total["year"])
        ]
        for column in MONEY["financial_outlook"]:
            assert _cents(total[column]) == sum(_cents(row[column]) for row in families)
