"""The planners' settings file: found, read, checked, and documented by an example generated from the
settings' own classes."""

import json
import tomllib
from dataclasses import replace
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest

from pipelines import run_month
from pipelines.partitions import monthly_partitions
from pipelines.resources import SopStorage
from pipelines.sensors import extract_arrival
from sop.core.config import DEFAULT_CONFIG, PROJECT_ROOT
from sop.core.months import add_months, month_label, parse_month
from sop.core.settings import (
    DEFAULT_SETTINGS,
    EXAMPLE_FILE,
    SettingsError,
    example_settings,
    load_settings,
    settings_path,
)
from sop.core.tables import LONG_TERM
from sop.plan.risk_kinds import family_thresholds
from sop.publish.parquet import pack_path
from sop.report import read_report
from sop.sample_data import write_sample_extracts
from tests.deployment import MONTH, NEXT_MONTH, SMALL, new_deployment, published_deployment

EXAMPLE = PROJECT_ROOT / EXAMPLE_FILE


def _settings(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sop.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_example_file_is_generated_from_the_settings_and_plans_as_no_file_does() -> None:
    assert EXAMPLE.read_text(encoding="utf-8") == example_settings(), "regenerate: see sop/core/settings.py"
    assert load_settings(EXAMPLE) == DEFAULT_CONFIG


def test_every_key_of_the_example_reads_back_as_its_default() -> None:
    example = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    defaults = json.loads(DEFAULT_SETTINGS.values)  # TOML has no null: a setting not set is left out
    read = 0
    for section, values in example.items():
        if section == "scenarios":
            unset = [
                {key: value for key, value in scenario.items() if value is not None} for scenario in defaults[section]
            ]
            assert values == unset
            continue
        for key, value in values.items():
            assert value == defaults[section][key], f"{section}.{key}"
            read += 1
    assert read > 25


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[forecast]\nhorizon_month = 12\n", "forecast.horizon_month: unknown setting; did you mean horizon_months?"),
        ("[forecst]\n", "forecst: unknown setting; did you mean forecast?"),
        ('[forecast]\nhorizon_months = "twelve"\n', "forecast.horizon_months: Input should be a valid integer"),
        (
            "[forecast]\nhorizon_months = 0\n",
            "forecast.horizon_months: Input should be greater than or equal to 1 (got 0)",
        ),
        (
            "[risks]\nunmet_tolerance_share = 1.5\n",
            "risks.unmet_tolerance_share: Input should be less than or equal to 1",
        ),
        ('[[scenarios]]\nname = "snacks push"\ndescription = ""\n', "scenarios[0]: scenario name 'snacks push'"),
        ('[[scenarios]]\nname = "a"\ndescription = ""\ndemand_familly = "X"\n', "scenarios[0].demand_familly: unknown"),
        ("[forecast\n", "not a TOML file"),
        ('[plan]\nfirst_plan_month = "2026-13"\n', "plan.first_plan_month: not a month: '2026-13'"),
        (
            '[forecast.pool_methods]\nintermittent = "median"\n',
            "forecast.pool_methods.intermittent: Input should be 'combination' or 'best_model' (got 'median')",
        ),
        (
            '[forecast.pools]\nregular = ["DynamicTheta", "Thetta"]\nintermittent = ["ADIDA"]\n',
            "forecast.pools.regular[1]: Input should be 'DynamicOptimizedTheta', 'DynamicTheta',",
        ),
        (
            '[risks.severity]\nexcess_inventory = "hgh"\n',
            "risks.severity.excess_inventory: Input should be 'none', 'low', 'medium' or 'high' (got 'hgh')",
        ),
        (
            '[risks.severity]\nexcess_inventry = "high"\n',
            "risks.severity.excess_inventry: unknown name; did you mean excess_inventory?",
        ),
        (
            '[risks.actions]\nunmet_demand = "Add capacity for {perod}"\n',
            "risks.actions.unmet_demand: names the field {perod}; an action's text may name {period}, {subject},",
        ),
        (
            '[risks.actions]\ncapacity_overload = "Hold {period:,.0f}"\n',
            "risks.actions.capacity_overload: cannot fill in 'Hold {period:,.0f}': Unknown format code 'f'",
        ),
        ('[risks.actions]\ndata_quality = "Fix {subject.upper}"\n', "risks.actions.data_quality: names the field"),
        ('[risks.actions]\ndata_quality = "Fix {measure!r}"\n', "risks.actions.data_quality: converts {measure!r}"),
        ('[risks.actions]\ndata_quality = "Fix {measure:{x}}"\n', "risks.actions.data_quality: cannot fill in"),
    ],
)
def test_a_bad_file_names_itself_the_key_and_what_was_expected(tmp_path: Path, text: str, message: str) -> None:
    path = _settings(tmp_path, text)
    with pytest.raises(SettingsError) as refused:
        load_settings(path)
    assert str(refused.value).startswith(f"{path}: ")
    assert message in str(refused.value)


def test_the_first_plan_month_is_where_the_monthly_partitions_start(tmp_path: Path) -> None:
    settings = load_settings(_settings(tmp_path, '[plan]\nfirst_plan_month = "2026-01"\n'))
    extracts = tmp_path / "extracts"
    keys = monthly_partitions(settings, extracts).get_partition_keys()
    assert keys[0] == "2026-01" and keys[-1] == month_label(date.today())
    assert monthly_partitions(DEFAULT_CONFIG, extracts).get_partition_keys()[0] == "2023-01"  # no extracts yet
    for month in ("2026-09", "2026-08", "notes", "2024-13"):
        (extracts / month).mkdir(parents=True)
    assert monthly_partitions(DEFAULT_CONFIG, extracts).get_partition_keys()[0] == "2026-08"  # where the data starts
    assert monthly_partitions(settings, extracts).get_partition_keys()[0] == "2026-01"


def test_a_table_of_names_changes_the_names_it_lists_and_keeps_the_others(tmp_path: Path) -> None:
    path = _settings(tmp_path, '[risks.severity]\nexcess_inventory = "medium"\n\n[forecast]\nhorizon_months = 12\n')
    settings = load_settings(path)
    assert settings.risks.severity == {**DEFAULT_CONFIG.risks.severity, "excess_inventory": "medium"}
    assert settings.forecast.horizon_months == 12
    assert settings.forecast.pools == DEFAULT_CONFIG.forecast.pools and settings.scenarios == DEFAULT_CONFIG.scenarios
    assert load_settings(_settings(tmp_path, "scenarios = []\n")).scenarios == ()


def test_the_file_is_the_one_named_else_sop_config_else_the_current_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOP_CONFIG", raising=False)
    assert settings_path() is None and load_settings(None) is DEFAULT_CONFIG
    local = _settings(tmp_path, "")
    assert settings_path() == local
    monkeypatch.setenv("SOP_CONFIG", str(tmp_path / "elsewhere.toml"))
    assert settings_path() == tmp_path / "elsewhere.toml"
    assert settings_path("named.toml") == tmp_path / "named.toml"
    with pytest.raises(SettingsError, match="no such settings file"):
        load_settings(settings_path())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[forecast]\nhorizon_month = 12\n", "forecast.horizon_month: unknown setting; did you mean horizon_months?"),
        ('[risks]\nwape_limit = "high"\n', "risks.wape_limit: Input should be a valid number"),
        ("[accuracy]\naccuracy_months = 0\n", "accuracy.accuracy_months: Input should be greater than or equal to 1"),
    ],
)
def test_a_bad_file_stops_the_job_before_anything_is_written(tmp_path: Path, text: str, message: str) -> None:
    settings = _settings(tmp_path, text)
    deployment = new_deployment(tmp_path, settings=settings)
    result = deployment.run()
    assert not result.success
    failure = str(result.get_run_failure_event().event_specific_data.error)
    assert f"{settings}: 1 setting(s) cannot be used" in failure and message in failure
    assert not Path(deployment.storage.warehouse).exists()
    assert not Path(deployment.storage.export_dir).exists()


def test_sop_run_stops_on_a_bad_file_before_writing_sample_extracts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "dagster.yaml").write_bytes((PROJECT_ROOT / "dagster.yaml").read_bytes())
    monkeypatch.setenv("SOP_EXTRACTS_DIR", str(tmp_path / "extracts"))
    monkeypatch.setenv("SOP_WAREHOUSE", str(tmp_path / "sop.duckdb"))
    monkeypatch.setenv("SOP_EXPORT_DIR", str(tmp_path / "export"))
    path = _settings(tmp_path, "[plan]\nholding_cost = -1\n")
    assert run_month.main(["--month", "2026-11", "--config", str(path)]) == 2
    assert "plan.holding_cost: Input should be greater than or equal to 0 (got -1)" in capsys.readouterr().err
    assert not (tmp_path / "extracts").exists() and not (tmp_path / "sop.duckdb").exists()


def test_a_twelve_month_horizon_and_a_custom_scenario_change_the_plan_as_set(tmp_path: Path) -> None:
    settings = _settings(
        tmp_path,
        "[forecast]\nhorizon_months = 12\n\n[risks.families.Garden]\nlong_horizon_from = 7\n\n"
        '[[scenarios]]\nname = "garden_push"\ndescription = "Garden demand up 25%"\n'
        'demand_change_pct = 0.25\ndemand_family = "Garden"\n',
    )
    # The sample's demand review adjusts months 13 to 18, which a 12-month horizon refuses.
    deployment = new_deployment(tmp_path, spec=replace(SMALL, demand_review=False), settings=settings)
    assert deployment.run().success
    plan = deployment.table("consolidated_plan")
    assert set(plan["scenario"]) == {"base", "garden_push"}
    assert plan.group_by("scenario", "product_family").len()["len"].unique().to_list() == [12]
    both = plan.pivot(on="scenario", index=["product_family", "month"], values="consensus_units")
    garden = both.filter(pl.col("product_family") == "Garden")
    assert ((garden["garden_push"] - 1.25 * garden["base"]).abs() < 1e-6).all()
    others = both.filter(pl.col("product_family") != "Garden")
    assert ((others["garden_push"] - others["base"]).abs() < 1e-9).all()
    # The long term starts at month 13 by default, beyond this horizon: only Garden's own start, 7, is in it.
    with duckdb.connect(deployment.storage.warehouse, read_only=True) as con:
        long_term = read_report(con, LONG_TERM, parse_month(MONTH))
    assert long_term.select("product_family", "from_month").rows() == [("Garden", add_months(parse_month(MONTH), 6))]


def test_a_month_keeps_its_settings_and_a_rerun_with_others_says_what_changed(tmp_path: Path) -> None:
    settings = _settings(tmp_path, "[risks]\nnear_term_months = 4\n")
    deployment = published_deployment(tmp_path / "deployment")
    kept = deployment.table("plan_settings").row(0, named=True)
    assert (kept["settings_source"], kept["settings_text"], kept["near_term_months"]) == ("", "", 3)
    assert json.loads(kept["settings_values"])["forecast"]["horizon_months"] == 18

    deployment.storage = SopStorage(**{**deployment.storage.model_dump(), "settings_file": str(settings)})
    result = deployment.run()
    assert result.success
    plan_step = next(
        event.step_materialization_data.materialization
        for event in result.get_asset_materialization_events()
        if event.asset_key.to_user_string() == "consolidated_plan"
    )
    assert plan_step.metadata["settings_changed"].value == ["risks.near_term_months: 3 -> 4"]
    kept = deployment.table("plan_settings").row(0, named=True)
    assert (kept["settings_source"], kept["near_term_months"]) == (str(settings), 4)
    assert kept["settings_text"] == settings.read_text() and len(kept["settings_sha256"]) == 64
    pack = pack_path(deployment.storage.paths.export_dir, parse_month(MONTH)).read_text(encoding="utf-8")
    assert f"{settings} (SHA-256 {kept['settings_sha256'][:16]})" in pack and "near_term_months = 4" in pack

    # A month keeps the settings it was planned with when the file changes for the next one.
    settings.write_text("[risks]\nnear_term_months = 5\n", encoding="utf-8")
    deployment.storage = SopStorage(**deployment.storage.model_dump())
    write_sample_extracts(deployment.root / "extracts", NEXT_MONTH, SMALL)
    assert deployment.run(NEXT_MONTH).success
    assert deployment.table("plan_settings").row(0, named=True)["near_term_months"] == 4
    assert deployment.table("plan_settings", NEXT_MONTH).row(0, named=True)["near_term_months"] == 5


def test_a_bad_file_stops_the_sensor_tick_before_it_requests_a_run(tmp_path: Path) -> None:
    storage = SopStorage(
        extracts_dir=str(tmp_path / "extracts"),
        warehouse=str(tmp_path / "sop.duckdb"),
        export_dir=str(tmp_path / "export"),
        settings_file=str(_settings(tmp_path, "[forecast]\nhorizon_month = 12\n")),
    )
    tick = dg.build_sensor_context(resources={"storage": storage})
    with pytest.raises(dg.DagsterResourceFunctionError) as stopped, tick as context:
        extract_arrival(context)
    assert "forecast.horizon_month: unknown setting" in str(stopped.value.__cause__)


def test_a_family_has_settings_of_its_own_over_the_defaults(tmp_path: Path) -> None:
    settings = load_settings(
        _settings(tmp_path, "[plan.families.Garden]\nholding_cost = 2.5\n\n[risks.families.Garden]\nwape_limit = 0.4\n")
    )
    garden, other = settings.plan.for_family("Garden"), settings.plan.for_family("Fasteners")
    assert (garden.holding_cost, garden.below_safety_stock_cost) == (2.5, DEFAULT_CONFIG.plan.below_safety_stock_cost)
    assert other == settings.plan
    thresholds = family_thresholds(settings.risks)
    assert thresholds.select("product_family", "wape_limit", "unmet_tolerance_units").rows() == [("Garden", 0.4, None)]
    unknown = r"risks.families.Garden.wape_limt: unknown setting; did you mean wape_limit"
    with pytest.raises(SettingsError, match=unknown):
        load_settings(_settings(tmp_path, "[risks.families.Garden]\nwape_limt = 0.4\n"))
