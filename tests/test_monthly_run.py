"""Whole months through the real Dagster job, in-process, on small generated extracts."""

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import duckdb
import polars as pl
import pyarrow.parquet as pq
import pytest

from pipelines import run_month
from sop.core.config import DEFAULT_CONFIG, PROJECT_ROOT
from sop.core.months import parse_month
from sop.core.tables import ANALYST_VIEWS, EXPORTED
from sop.plan.risk_kinds import FLAGS
from sop.publish.parquet import partition_path
from sop.sample_data import SampleSpec, write_sample_extracts
from tests.deployment import MONTH, NEXT_MONTH, SMALL, Deployment, new_deployment, published_deployment

PLAN_COLUMNS = [
    "plan_month",
    "product_family",
    "month",
    "forecast_units",
    "forecast_lo_80",
    "forecast_hi_80",
    "capacity_units",
    "supply_units",
    "unmet_demand_units",
    "capacity_utilization",
    "projected_inventory_units",
    "safety_stock_units",
    "days_of_supply",
    "plan_revenue",
    "plan_cogs",
    "plan_gross_margin",
    "budget_units",
    "budget_revenue",
    "variance_units",
    "variance_revenue",
    "variance_revenue_pct",
    "prev_plan_units",
    "change_vs_prev_plan_units",
    "risk_flags",
    "risk_level",
    "recent_wape_lag1",
    "recent_bias_lag1",
    "recent_wape_lag3",
    "recent_bias_lag3",
    "prebuild_units",
    "supply_method",
    "scenario",
    "scenario_description",
    "excess_inventory_units",
    "consensus_units",
    "adjustment_units",
    "consensus_lo_80",
    "consensus_hi_80",
]
EXPORT_SNAPSHOT = Path(__file__).parent / "snapshots" / "export_schema.txt"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """A deployment whose November plan has been published once, with GX data docs."""
    deployment = new_deployment(tmp_path_factory.mktemp("published"), data_docs=True)
    assert deployment.run().success
    yield deployment


def test_a_month_publishes_the_plan_with_the_published_columns(published: Deployment) -> None:
    plan = published.plan()
    assert plan.columns == PLAN_COLUMNS
    families = plan["product_family"].unique().to_list()
    assert len(families) == SMALL.n_families
    assert plan.group_by("product_family").len()["len"].to_list() == [18] * len(families)
    assert plan["forecast_units"].null_count() == 0
    assert set(plan["risk_level"]) <= {"none", "low", "medium", "high"}


def test_the_plan_is_internally_consistent_in_every_row(published: Deployment) -> None:
    plan = published.plan()
    assert (plan["supply_units"] <= plan["capacity_units"] + 1e-9).all()
    assert (plan["unmet_demand_units"] >= -1e-9).all()
    assert (plan["unmet_demand_units"] <= plan["forecast_units"] + 1e-9).all()
    assert (plan["projected_inventory_units"] >= -1e-9).all()
    assert set(plan["supply_method"]) == {"lp"}
    margin = plan["plan_revenue"] - plan["plan_cogs"]
    assert (plan["plan_gross_margin"] - margin).abs().max() < 1e-6
    variance = (plan["plan_revenue"] - plan["budget_revenue"]).drop_nulls()
    assert (plan["variance_revenue"].drop_nulls() - variance).abs().max() < 1e-6


def test_the_plan_forecasts_are_the_sums_of_the_sku_forecasts(published: Deployment) -> None:
    by_family = (
        published.table("sku_forecast")
        .group_by("product_family", "month")
        .agg(pl.col("forecast_units").sum().alias("sku_sum"))
        .join(published.plan(), on=["product_family", "month"])
    )
    assert by_family.height == published.plan().height
    assert (by_family["sku_sum"] - by_family["forecast_units"]).abs().max() < 1e-6


def test_the_plan_reads_each_familys_interval_from_the_family_forecast(published: Deployment) -> None:
    families = published.table("family_forecast")
    plan = published.plan().join(families, on=["product_family", "month"], suffix="_family")
    assert plan.height == published.plan().height == families.height
    for column in ("forecast_units", "forecast_lo_80", "forecast_hi_80"):
        assert (plan[column] - plan[f"{column}_family"]).abs().max() < 1e-6
    assert (
        (plan["forecast_lo_80"] <= plan["forecast_units"]) & (plan["forecast_units"] < plan["forecast_hi_80"])
    ).all()
    # Each family's interval is measured as the sku's are, on the newest origin, learned from older ones.
    backtest = published.table("forecast_backtest").filter(
        (pl.col("level") == "family") & pl.col("product_family").is_null()
    )
    assert backtest.select("segment", "method", "series").rows() == [("all", "FamilyBlend", SMALL.n_families)]
    assert 0.0 <= backtest["coverage_80"].item() <= backtest["coverage_95"].item() <= 1.0


def test_the_plan_runs_on_the_consensus_of_the_demand_review(published: Deployment) -> None:
    plan = published.plan()
    demand = (
        published.table("demand_plan")
        .group_by("product_family", "month")
        .agg(pl.col("statistical_units", "consensus_units").sum())
        .join(plan, on=["product_family", "month"])
    )
    assert demand.height == plan.height
    assert (demand["statistical_units"] - demand["forecast_units"]).abs().max() < 1e-6
    assert (demand["consensus_units"] - demand["consensus_units_right"]).abs().max() < 1e-6
    assert (plan["adjustment_units"] - (plan["consensus_units"] - plan["forecast_units"])).abs().max() < 1e-9
    assert (plan["unmet_demand_units"] <= plan["consensus_units"] + 1e-9).all()
    # Finance cuts Garden 12% over the plan's first three months (the sample's review), nothing else.
    garden = plan.filter(pl.col("product_family") == "Garden")
    cut = (garden["consensus_units"] / garden["forecast_units"]).to_list()
    assert cut == pytest.approx([0.88] * 3 + [1.0] * (garden.height - 3))
    # Every change is kept with its source, owner and reason; their contributions make the adjustment.
    changes = published.table("demand_adjustments")
    assert {"finance", "sales", "supply", "executive"} <= set(changes["source"])
    assert changes["owner"].null_count() == 0 and changes["reason"].null_count() == 0
    contributed = changes.group_by("product_family", "month").agg(pl.col("contribution_units").sum())
    adjusted = plan.filter(pl.col("adjustment_units").abs() > 1e-9).join(contributed, on=["product_family", "month"])
    assert adjusted.height == plan.filter(pl.col("adjustment_units").abs() > 1e-9).height
    assert (adjusted["adjustment_units"] - adjusted["contribution_units"]).abs().max() < 1e-6


def test_the_supply_plan_builds_ahead_of_a_peak_and_shows_a_family_short_every_month(
    published: Deployment,
) -> None:
    plan = published.plan()
    garden = plan.filter(pl.col("product_family") == "Garden")
    peak = garden["month"][int(garden["consensus_units"].arg_max())]
    # Garden's summer is above capacity, its winter has slack: built ahead, nothing lost.
    assert (garden["consensus_units"] > garden["capacity_units"]).any()
    assert garden.filter(pl.col("month") < peak)["prebuild_units"].sum() > 0
    assert garden["unmet_demand_units"].sum() == pytest.approx(0.0, abs=1e-6)
    cordless = plan.filter(pl.col("product_family") == "Cordless Tools")
    assert (cordless["consensus_units"] > cordless["capacity_units"]).all()
    assert cordless["unmet_demand_units"].sum() > 0
    # Every month over capacity: covered by stock (an overload) until the stock runs out (demand unmet).
    assert all({"capacity_overload", "unmet_demand"} & set(flags) for flags in cordless["risk_flags"])
    register = published.table("risk_register").filter(
        (pl.col("product_family") == "Cordless Tools") & (pl.col("scenario") == "base")
    )
    unmet = register.filter(pl.col("kind") == "unmet_demand")
    assert unmet.height > 0 and set(unmet["severity"]) == {"high"}
    # The sample's action ACT-002 (Ana Ruiz) answers Cordless Tools' unmet demand once it is decided.
    suggested = unmet.filter(pl.col("action_id").is_null())["suggested_action"]
    assert all(action.startswith("Add capacity for ") for action in suggested)
    assert all(
        action.startswith("ACT-002 (Ana Ruiz, due ") for action in unmet.drop_nulls("action_id")["suggested_action"]
    )
    short = cordless.filter(pl.col("unmet_demand_units") > pl.max_horizontal(0.5, 0.01 * pl.col("consensus_units")))
    assert unmet["period"].to_list() == [month.strftime("%Y-%m") for month in short["month"]]


def test_each_scenario_is_a_complete_plan_beside_the_base_in_the_same_tables(published: Deployment) -> None:
    plan = published.table("consolidated_plan")
    base = published.plan()
    scenarios = [scenario.name for scenario in DEFAULT_CONFIG.scenarios]
    assert len(scenarios) >= 2
    assert set(plan["scenario"]) == {"base", *scenarios}
    for name in scenarios:
        rows = plan.filter(pl.col("scenario") == name).sort("product_family", "month")
        assert rows.select("product_family", "month").equals(base.select("product_family", "month"))
        assert (rows["supply_units"] <= rows["capacity_units"] + 1e-9).all()
    for table in ("financial_outlook", "risk_register"):
        assert set(published.table(table)["scenario"]) == {"base", *scenarios}


def test_a_scenario_changes_what_it_names_and_nothing_else(published: Deployment) -> None:
    plan = published.table("consolidated_plan")
    base = published.plan()
    promotion = plan.filter(pl.col("scenario") == "promotion").sort("product_family", "month")
    assert promotion["consensus_units"].to_list() == pytest.approx((base["consensus_units"] * 1.10).to_list())
    assert promotion["capacity_units"].equals(base["capacity_units"])
    # Revenue per shipped unit: each family's demand-weighted price, 5% lower in every month.
    shipped = pl.col("consensus_units") - pl.col("unmet_demand_units")
    base_price = base.select(pl.col("plan_revenue") / shipped).to_series()
    price = promotion.select(pl.col("plan_revenue") / shipped).to_series()
    # Revenue is in cents: a price from it is good to half a cent over the month's shipments.
    tolerance = (0.005 / promotion.select(shipped).to_series()).to_list()
    for got, wanted, within in zip(price.to_list(), (base_price * 0.95).to_list(), tolerance, strict=True):
        assert got == pytest.approx(wanted, abs=3 * within)

    outage = plan.filter(pl.col("scenario") == "plant_b_outage").sort("product_family", "month")
    months = sorted(base["month"].unique())[1:4]
    changed = outage.join(base, on=["product_family", "month"], suffix="_base").filter(
        pl.col("capacity_units") < pl.col("capacity_units_base") - 1e-9
    )
    assert set(changed["month"]) == set(months)
    assert set(changed["product_family"]) == {"Cordless Tools", "Fasteners", "Safety Gear"}  # made at Plant-B
    assert outage["consensus_units"].equals(base["consensus_units"])


def test_sample_data_shows_the_risks_a_planner_must_see(published: Deployment) -> None:
    flags = set(published.plan()["risk_flags"].explode().drop_nulls())
    assert {"capacity_overload", "unmet_demand"} <= flags


def test_the_plans_flags_are_the_registers_monthly_risks_in_every_scenario(published: Deployment) -> None:
    flagged = (
        published.table("consolidated_plan")
        .explode("risk_flags")
        .drop_nulls("risk_flags")
        .select("scenario", "product_family", "month", pl.col("risk_flags").alias("kind"))
    )
    register = published.table("risk_register").filter(pl.col("kind").is_in(FLAGS))
    assert flagged.height > 0
    assert sorted(flagged.rows()) == sorted(register.select("scenario", "product_family", "month", "kind").rows())


def test_the_parquet_export_holds_each_output_table(published: Deployment) -> None:
    plan = pl.read_parquet(published.exported("consolidated_plan"))
    assert plan.columns == PLAN_COLUMNS[1:]  # plan_month lives in the hive path
    assert plan.filter(pl.col("scenario") == "base").height == published.plan().height
    forecast = pl.read_parquet(published.exported("sku_forecast"))
    assert {"sku", "region", "month", "forecast_units", "forecast_lo_80", "forecast_hi_95", "model"} <= set(
        forecast.columns
    )
    assert forecast["forecast_units"].min() >= 0


def describe_export(export_dir: Path, month: str) -> str:
    lines = []
    for table in sorted(EXPORTED):
        schema = pq.read_schema(partition_path(export_dir, table, parse_month(month)))
        lines += [f"{table}.{field.name}: {field.type}" for field in schema]
    return "\n".join(lines) + "\n"


def test_the_exported_schema_matches_its_snapshot(published: Deployment) -> None:
    # BI tools are built on these columns and types: a change to them must be deliberate. After one:
    # uv run python -c "from tests.test_monthly_run import *; rewrite_export_snapshot()"
    assert describe_export(published.storage.paths.export_dir, MONTH) == EXPORT_SNAPSHOT.read_text(encoding="utf-8")


def rewrite_export_snapshot() -> None:
    deployment = new_deployment(Path(tempfile.mkdtemp()))
    assert deployment.run().success
    EXPORT_SNAPSHOT.write_text(describe_export(deployment.storage.paths.export_dir, MONTH), encoding="utf-8")


def test_analysts_have_views_and_validation_docs(published: Deployment) -> None:
    with duckdb.connect(published.storage.warehouse, read_only=True) as con:
        assert con.sql("select count(*) from latest_plan").fetchall()[0][0] == published.plan().height
        assert con.sql("select count(*) from plan_risks").fetchall()[0][0] > 0
        counts = {view: con.sql(f"select count(*) from {view}").fetchall()[0][0] for view in ANALYST_VIEWS}
        # The register as the pack shows it: one row per episode.
        newest = "(select max(plan_month) from consolidated_plan)"
        episodes = con.sql(f"select count(*) from risk_episodes where plan_month = {newest}").fetchall()[0][0]
    families = published.plan()["product_family"].n_unique()
    assert counts["meeting_financials"] > families  # every family and the total, for each year
    assert counts["meeting_risks"] == episodes > 0
    assert counts["meeting_constraints"] > 0
    assert counts["meeting_long_term"] == families


def test_every_published_column_is_in_the_data_dictionary(published: Deployment) -> None:
    with duckdb.connect(published.storage.warehouse, read_only=True) as con:
        documented = set(con.sql("select table_name, column_name from data_dictionary").fetchall())
        columns = set(
            con.sql(
                "select table_name, column_name from duckdb_columns()"
                " where schema_name = 'main' and table_name in $tables",
                params={"tables": list(EXPORTED)},
            ).fetchall()
        )
    assert columns - documented == set()
    assert {(table, None) for table in EXPORTED} <= documented
    # Every view for analysts says what it answers, from its model's opening comment.
    assert {(view, None) for view in ANALYST_VIEWS} <= documented
    assert (published.storage.paths.data_docs_dir / "index.html").is_file()


def test_running_a_month_again_gives_the_same_rows_and_bytes(
    published: Deployment, capfd: pytest.CaptureFixture[str]
) -> None:
    plan, parquet = published.plan(), published.exported("consolidated_plan").read_bytes()
    forecast = published.exported("sku_forecast").read_bytes()
    assert published.run().success
    # The forecast tells its progress in the run's log.
    assert "forecast regular: " in capfd.readouterr().err
    assert published.plan().equals(plan)
    assert published.exported("consolidated_plan").read_bytes() == parquet
    assert published.exported("sku_forecast").read_bytes() == forecast


def test_the_next_month_compares_with_the_plan_before_it(published: Deployment) -> None:
    write_sample_extracts(published.root / "extracts", NEXT_MONTH, SMALL)
    assert published.run(NEXT_MONTH).success
    following = published.plan(NEXT_MONTH)
    previous_end = published.plan()["month"].max()
    assert following.filter(pl.col("month") <= previous_end)["prev_plan_units"].null_count() == 0
    assert following.filter(pl.col("month") > previous_end)["prev_plan_units"].is_null().all()
    changes = published.table("plan_changes", NEXT_MONTH)
    overlap = following.filter(pl.col("month") <= previous_end)
    assert changes.height == overlap.height
    effects = changes["demand_effect"] + changes["supply_effect"] + changes["price_effect"]
    assert (effects - changes["change_plan_revenue"]).abs().max() < 1e-6
    drift = changes["change_plan_revenue"] + changes["budget_effect"] - changes["change_variance_revenue"]
    assert drift.abs().max() < 1e-6


def test_the_next_month_judges_the_forecast_published_before_it(published: Deployment) -> None:
    if not published.extract("sales", NEXT_MONTH).exists():
        write_sample_extracts(published.root / "extracts", NEXT_MONTH, SMALL)
        assert published.run(NEXT_MONTH).success
    summary = published.table("forecast_accuracy_summary", NEXT_MONTH)
    lag_one = summary.filter(pl.col("lag") == 1)
    # October, judged at lag 1 with November's extract: one month, at every level.
    assert set(lag_one["level"]) == {"sku_region", "sku", "family", "total"}
    assert set(lag_one["months"]) == {1}
    assert set(lag_one["last_month"]) == {parse_month(MONTH)}
    total = lag_one.filter(pl.col("level") == "total").row(0, named=True)
    forecast = published.table("sku_forecast", MONTH).filter(pl.col("month") == parse_month(MONTH))
    assert total["forecast_units"] == pytest.approx(forecast["forecast_units"].sum())
    assert 0 < total["wape"] < 0.5
    plan = published.plan(NEXT_MONTH)
    families = lag_one.filter(pl.col("level") == "family").select("product_family", "wape")
    shown = plan.select("product_family", pl.col("recent_wape_lag1").alias("wape")).unique().sort("product_family")
    assert shown.equals(families.sort("product_family"))
    assert plan["recent_wape_lag3"].is_null().all()  # no forecast from two plan months before
    assert pl.read_parquet(published.exported("forecast_accuracy_summary", NEXT_MONTH)).height == summary.height


def test_the_next_month_judges_each_touch_point_of_the_demand_review(published: Deployment) -> None:
    if not published.extract("sales", NEXT_MONTH).exists():
        write_sample_extracts(published.root / "extracts", NEXT_MONTH, SMALL)
        assert published.run(NEXT_MONTH).success
    stairstep = published.table("forecast_value_added", NEXT_MONTH).filter(
        (pl.col("lag") == 1) & (pl.col("level") == "total")
    )
    steps = stairstep.sort("step_order")["step"].to_list()
    # October's plan: finance's cut of Garden, sales' lost customer, supply's allocation of the launch.
    assert steps == ["naive", "statistical", "sales", "finance", "supply", "consensus"]
    by_step = {row["step"]: row for row in stairstep.iter_rows(named=True)}
    accuracy = published.table("forecast_accuracy_summary", NEXT_MONTH)
    total = accuracy.filter((pl.col("lag") == 1) & (pl.col("level") == "total")).row(0, named=True)
    assert by_step["statistical"]["forecast_units"] == pytest.approx(total["forecast_units"])
    assert by_step["statistical"]["wape"] == pytest.approx(total["wape"])
    assert by_step["naive"]["wape"] == pytest.approx(total["naive_wape"])
    october = published.table("demand_plan").filter(pl.col("month") == parse_month(MONTH))
    assert by_step["consensus"]["forecast_units"] == pytest.approx(october["consensus_units"].sum())
    assert by_step["finance"]["owners"] == "Lena Fischer"
    assert by_step["consensus"]["fva"] == pytest.approx(by_step["statistical"]["wape"] - by_step["consensus"]["wape"])
    exported = pl.read_parquet(published.exported("forecast_value_added", NEXT_MONTH))
    assert exported.height == published.table("forecast_value_added", NEXT_MONTH).height


def test_the_action_log_is_followed_through_from_month_to_month(published: Deployment) -> None:
    if not published.extract("sales", NEXT_MONTH).exists():
        write_sample_extracts(published.root / "extracts", NEXT_MONTH, SMALL)
        assert published.run(NEXT_MONTH).success
    # The sample's log (sop/sample_data/actions.py): October is A-1, November the anchor.
    october = {row["action_id"]: row for row in published.table("action_log").iter_rows(named=True)}
    assert (october["ACT-003"]["open"], october["ACT-003"]["months_overdue"]) == (True, 1)
    assert october["ACT-002"]["due_this_month"]
    assert october["ACT-001"]["done_on_time"]
    november = {row["action_id"]: row for row in published.table("action_log", NEXT_MONTH).iter_rows(named=True)}
    assert (november["ACT-002"]["slipped"], november["ACT-002"]["times_slipped"]) == (True, 1)
    assert november["ACT-003"]["months_overdue"] == 2
    assert november["ACT-004"]["done_on_time"] and november["ACT-005"]["new"]
    assert not any(row["missing"] for row in november.values())
    exported = pl.read_parquet(published.exported("action_log", NEXT_MONTH))
    assert exported["action_id"].to_list() == sorted(november)


def _break(path: Path, change: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    if change == "negative":
        fields = lines[5].split(",")
        fields[4] = "-" + fields[4]
        lines[5] = ",".join(fields)
    elif change == "duplicate":
        lines.append(lines[3])
    elif change == "missing column":
        lines = [",".join(line.rstrip("\n").split(",")[:-1]) + "\n" for line in lines]
    path.write_text("".join(lines), encoding="utf-8")


@pytest.mark.parametrize(
    ("extract", "change", "column", "rule"),
    [
        ("sales", "negative", "units", ">= 0"),
        ("inventory", "duplicate", "sku, location", "unique key"),
        ("financials", "missing column", "budget_cogs", "required column"),
    ],
)
def test_a_bad_extract_blocks_the_month_and_keeps_the_published_plan(
    tmp_path: Path, extract: str, change: str, column: str, rule: str
) -> None:
    deployment = published_deployment(tmp_path)
    plan, parquet = deployment.plan(), deployment.exported("consolidated_plan").read_bytes()
    forecast = deployment.table("sku_forecast")

    _break(deployment.extract(extract), change)
    result = deployment.run()

    assert not result.success
    failed = [evaluation for evaluation in result.get_asset_check_evaluations() if not evaluation.passed]
    assert [evaluation.check_name for evaluation in failed] == [f"{extract}_contract"]
    report = failed[0].metadata["report"].value
    assert f"{extract}.csv, column `{column}`, rule: {rule}" in report
    assert deployment.plan().equals(plan)
    assert deployment.exported("consolidated_plan").read_bytes() == parquet
    assert deployment.table("sku_forecast").equals(forecast)


@pytest.fixture
def sop_run_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The environment `sop-run` reads, pointed at an empty folder and an instance of its own."""
    (tmp_path / "dagster_home").mkdir()
    shutil.copy(PROJECT_ROOT / "dagster.yaml", tmp_path / "dagster_home")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    monkeypatch.setenv("SOP_EXTRACTS_DIR", str(tmp_path / "extracts"))
    monkeypatch.setenv("SOP_WAREHOUSE", str(tmp_path / "sop.duckdb"))
    monkeypatch.setenv("SOP_EXPORT_DIR", str(tmp_path / "export"))
    return tmp_path


def test_sop_run_ends_with_a_summary_or_with_what_to_fix(sop_run_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tmp_path = sop_run_env
    write_sample_extracts(tmp_path / "extracts", MONTH, SMALL)

    assert run_month.main(["--month", MONTH]) == 0
    printed, shown = capsys.readouterr()
    assert f"S&OP plan {MONTH}: {SMALL.n_families} product families" in printed
    # As it goes, on stderr: each step as it ends, the forecast's progress, the run's end.
    assert re.search(rf"{MONTH}  run \w{{8}} started: \d+ steps", shown)
    assert re.search(rf"{MONTH}  baseline_forecast +done in ", shown)
    assert re.search(rf"{MONTH}  forecast regular +[\d,]+ of [\d,]+ series \(100%\) in ", shown)
    assert re.search(rf"{MONTH}  run succeeded in \S+ \(\d+ steps\)", shown)
    assert "Garden" in printed
    assert "consensus_units" in printed and "review_pct" in printed
    assert "Decisions needed this month, money at stake in EUR" in printed
    # Money with thousands separators; suggested actions whole, numbered after the table, never cut.
    assert re.search(r"┆ \d{1,3}(,\d{3})+ ", printed)
    assert "…" not in printed and re.search(r"^  1\. \S", printed, re.MULTILINE)
    assert f"{tmp_path / 'export'}/<table>/plan_month={MONTH}-01/data.parquet" in printed
    # The UI opens this run's instance and folders, not the defaults.
    ui = next(line for line in printed.splitlines() if line.strip().startswith("Dagster UI:"))
    assert f"SOP_WAREHOUSE={tmp_path / 'sop.duckdb'} " in ui and f"DAGSTER_HOME={tmp_path / 'dagster_home'} " in ui

    (tmp_path / "extracts" / MONTH / "capacity.csv").unlink()
    assert run_month.main(["--month", MONTH]) == 1
    errors = capsys.readouterr().err
    assert "raw_capacity failed:" in errors
    assert re.search(rf"{MONTH}  raw_capacity +FAILED after ", errors)
    assert re.search(rf"{MONTH}  run failed after \S+: \d+ steps done, 1 failed, \d+ skipped", errors)
    assert "the capacity extract is missing (expected capacity.csv or capacity.parquet)" in errors
    assert "Traceback" not in errors


def test_sop_run_shows_what_a_failing_step_raised_not_dagsters_wrapper(
    sop_run_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_sample_extracts(sop_run_env / "extracts", MONTH, SMALL)
    (sop_run_env / "folder").mkdir()
    monkeypatch.setenv("SOP_WAREHOUSE", str(sop_run_env / "folder"))  # a folder where the database file goes
    assert run_month.main(["--month", MONTH, "--history", "0"]) == 1
    errors = capsys.readouterr().err
    failed = next(line for line in errors.splitlines() if line.startswith("raw_sales failed:"))
    assert str(sop_run_env / "folder") in failed and "DagsterExecutionStepExecutionError" not in failed
    assert "Traceback" not in errors


def test_sop_run_on_a_fresh_machine_runs_the_month_before_and_shows_accuracy(
    sop_run_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The sample company at the tests' size: how big it is does not matter here.
    monkeypatch.setattr(run_month, "SampleSpec", partial(SampleSpec, n_skus=SMALL.n_skus, n_regions=SMALL.n_regions))
    assert run_month.main(["--month", NEXT_MONTH, "--history", "1"]) == 0
    printed = capsys.readouterr().out
    assert f"Running {MONTH} first" in printed
    assert "Forecast accuracy over the trailing months" in printed
    with duckdb.connect(str(sop_run_env / "sop.duckdb"), read_only=True) as con:
        months = con.sql("select distinct plan_month from consolidated_plan order by 1").fetchall()
    assert [month for (month,) in months] == [parse_month(MONTH), parse_month(NEXT_MONTH)]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--month", "2026-13"], "argument --month: not a month: '2026-13'"),
        (["--history", "-1"], "argument --history: a whole number of months, 0 or more (got '-1')"),
        (["approve", "--month", "soon", "--by", "Ana"], "argument --month: not a month: 'soon'"),
    ],
)
def test_sop_run_refuses_bad_arguments_with_its_usage(
    sop_run_env: Path, capsys: pytest.CaptureFixture[str], arguments: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as stopped:
        run_month.main(arguments)
    assert stopped.value.code == 2
    errors = capsys.readouterr().err
    assert errors.startswith("usage: ") and message in errors


def test_approving_without_a_warehouse_says_so_and_creates_none(
    sop_run_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_month.main(["approve", "--month", MONTH, "--by", "Ana Ruiz"]) == 1
    assert "no warehouse yet, so no plan to approve" in capsys.readouterr().err
    assert not (sop_run_env / "sop.duckdb").exists()


def test_sop_run_refuses_a_relative_instance_folder(sop_run_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DAGSTER_HOME", "dagster_home")
    with pytest.raises(SystemExit, match="DAGSTER_HOME=dagster_home is a relative path: Dagster needs an absolute one"):
        run_month.main(["--month", MONTH])


def test_sop_run_refuses_an_instance_folder_without_the_project_settings(
    sop_run_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (sop_run_env / "dagster_home" / "dagster.yaml").unlink()
    with pytest.raises(SystemExit, match=r"holds no dagster.yaml: copy .*dagster.yaml there"):
        run_month.main(["--month", MONTH])
    assert not (sop_run_env / "extracts").exists()


@pytest.mark.parametrize("unset", [True, False], ids=["no DAGSTER_HOME", "an empty DAGSTER_HOME"])
def test_sop_run_keeps_its_own_instance_under_data_with_the_project_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unset: bool
) -> None:
    if unset:
        monkeypatch.delenv("DAGSTER_HOME", raising=False)
    else:
        monkeypatch.setenv("DAGSTER_HOME", "")
    monkeypatch.setattr(run_month, "DATA_DIR", tmp_path)
    (tmp_path / "dagster").mkdir()
    (tmp_path / "dagster" / "dagster.yaml").write_text("telemetry:\n  enabled: true\n")
    home = run_month.dagster_home()
    assert home == tmp_path / "dagster"
    assert (home / "dagster.yaml").read_bytes() == (PROJECT_ROOT / "dagster.yaml").read_bytes()
    assert os.environ["DAGSTER_HOME"] == str(home)
