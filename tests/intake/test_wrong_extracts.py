"""The corpus of valid but wrong extracts through the real monthly job, after a clean month: each is named
in the run log, in its check's result and in `validation_results` with the family, region and months it
concerns; a warning becomes a data-quality risk of the month's register, an error stops the month before
anything of it is published. Clean months raise none of them."""

import html
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import polars as pl
import pytest

from pipelines.resources import SopStorage
from sop.core.months import add_months, parse_month
from sop.report.pack import pack_path
from sop.sample_data import write_sample_extracts
from tests.deployment import (
    MONTH,
    NEXT_MONTH,
    SMALL,
    Deployment,
    copy_deployment,
    published_deployment,
    two_months_deployment,
)
from tests.intake.wrong_extracts import CASES, Case
from tests.offline_page import OfflinePage


@pytest.fixture(scope="module")
def clean_month(tmp_path_factory: pytest.TempPathFactory) -> Deployment:
    """MONTH published from clean extracts, and the clean extracts of NEXT_MONTH waiting."""
    deployment = published_deployment(tmp_path_factory.mktemp("clean_month"))
    write_sample_extracts(deployment.root / "extracts", NEXT_MONTH, SMALL)
    return deployment


def _found(deployment: Deployment, check: str) -> pl.DataFrame:
    with duckdb.connect(deployment.storage.warehouse, read_only=True) as con:
        return con.sql(
            "select * from validation_results where plan_month = $month and check_name = $check",
            params={"month": parse_month(NEXT_MONTH), "check": check},
        ).pl()


def _finding(deployment: Deployment, case: Case) -> dict[str, Any]:
    """The one finding of the case's check whose message starts with the case's words."""
    found = _found(deployment, case.check)
    (finding,) = found.filter(pl.col("rule").str.contains(case.words[0], literal=True)).iter_rows(named=True)
    return finding


def test_the_corpus_holds_each_kind_of_wrong_extract_once() -> None:
    assert len({case.name for case in CASES}) == len(CASES) >= 7
    assert {"sales_history", "inventory_history", "capacity_history", "financials_history"} <= {
        case.check for case in CASES
    }


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_valid_but_wrong_extract_is_named_with_what_it_concerns(
    clean_month: Deployment, tmp_path: Path, case: Case
) -> None:
    deployment = copy_deployment(clean_month, tmp_path / "deployment")
    case.change(deployment.root / "extracts" / NEXT_MONTH)
    instance = dg.DagsterInstance.ephemeral()

    result = deployment.run(NEXT_MONTH, instance)

    (evaluation,) = [e for e in result.get_asset_check_evaluations() if e.check_name == case.check]
    assert not evaluation.passed
    report = evaluation.metadata["report"].value
    logged = "\n".join(entry.user_message for entry in instance.all_logs(result.run_id))
    finding = _finding(deployment, case)
    assert (finding["severity"], finding["product_family"], finding["months"]) == (
        case.severity,
        case.family,
        case.months,
    )
    assert case.region is None or finding["region"] == case.region
    for word in case.words:
        assert word in finding["rule"] and word in report and word in logged, (word, finding["rule"])
    if case.severity == "error":
        assert evaluation.severity == dg.AssetCheckSeverity.ERROR
        assert not result.success
        assert deployment.plan(NEXT_MONTH).is_empty()  # nothing of the month was published
        return
    assert result.success
    risks = deployment.table("risk_register", NEXT_MONTH).filter(
        (pl.col("kind") == "data_quality") & (pl.col("subject") == finding["rule"])
    )
    assert set(risks.select("product_family", "period").iter_rows()) == {(case.family, case.months)}
    assert risks["suggested_action"][0] == f"Fix at the source: {finding['rule']}."


def test_clean_months_raise_no_finding(tmp_path: Path) -> None:
    deployment, _ = two_months_deployment(tmp_path)
    with duckdb.connect(deployment.storage.warehouse, read_only=True) as con:
        findings = con.execute(
            "select plan_month, check_name, rule from validation_results where check_name like '%history'"
        ).fetchall()
    assert findings == []
    assert not deployment.plan(MONTH).is_empty() and not deployment.plan(NEXT_MONTH).is_empty()


def _with_settings(deployment: Deployment, data_docs: bool = False, settings: str = "") -> Deployment:
    settings_file = deployment.root / "sop.toml"
    settings_file.write_text(settings, encoding="utf-8")
    storage = SopStorage(
        extracts_dir=deployment.storage.extracts_dir,
        warehouse=deployment.storage.warehouse,
        export_dir=deployment.storage.export_dir,
        data_docs=data_docs,
        settings_file=str(settings_file),
    )
    return Deployment(deployment.root, storage)


@pytest.fixture(scope="module")
def late_region(clean_month: Deployment, tmp_path_factory: pytest.TempPathFactory) -> Deployment:
    """NEXT_MONTH run with South's last month missing (the corpus' first case), data docs on."""
    root = tmp_path_factory.mktemp("late_region")
    deployment = _with_settings(copy_deployment(clean_month, root), data_docs=True)
    CASES[0].change(deployment.root / "extracts" / NEXT_MONTH)
    assert deployment.run(NEXT_MONTH).success
    return deployment


def test_a_warning_shows_in_the_data_docs_and_on_the_first_page_of_the_pack(late_region: Deployment) -> None:
    rule = _finding(late_region, CASES[0])["rule"]
    index = OfflinePage(late_region.storage.paths.data_docs_dir / "index.html")
    missing = _found(late_region, CASES[0].check).filter(pl.col("detail").str.starts_with("sales_coverage:"))
    assert missing.height == 4, "South's last month is missing for each family it sold"
    assert ["sales: sales_coverage", "expectations/checks/sales_coverage.json", "passed with 4 warning(s)"] in [
        row[:3] for row in index.rows
    ]
    assert ["sales: sales_restatement", "expectations/checks/sales_restatement.json", "passed"] in [
        row[:3] for row in index.rows
    ]
    pack = pack_path(late_region.storage.paths.export_dir, parse_month(NEXT_MONTH)).read_text(encoding="utf-8")
    first_page = pack[: pack.index('<section id="q1">')]
    warnings = first_page[first_page.index('<section id="data-warnings">') :]
    assert rule in html.unescape(warnings)


def _next_months_of(deployment: Deployment, region: str, family: str) -> float:
    forecast = deployment.table("sku_forecast", NEXT_MONTH).filter(
        (pl.col("region") == region)
        & (pl.col("product_family") == family)
        & (pl.col("month") < add_months(parse_month(NEXT_MONTH), 3))
    )
    return forecast["forecast_units"].sum()


def test_a_late_region_held_out_of_the_last_month_is_forecast_from_the_months_before(
    clean_month: Deployment, late_region: Deployment, tmp_path: Path
) -> None:
    held_out = _with_settings(
        copy_deployment(clean_month, tmp_path / "held_out"), settings="[checks]\nhold_out_missing_sales = true\n"
    )
    CASES[0].change(held_out.root / "extracts" / NEXT_MONTH)
    assert held_out.run(NEXT_MONTH).success
    clean, _ = two_months_deployment(tmp_path / "clean")  # the same company, NEXT_MONTH from clean extracts

    assert "the forecast takes them as zero" in _finding(late_region, CASES[0])["rule"]
    assert "held out of the forecast" in _finding(held_out, CASES[0])["rule"]
    forecasts = {
        name: _next_months_of(deployment, "South", "Garden")
        for name, deployment in (("clean", clean), ("taken as zero", late_region), ("held out", held_out))
    }
    held_out_error = abs(forecasts["held out"] - forecasts["clean"])
    assert held_out_error < abs(forecasts["taken as zero"] - forecasts["clean"]) / 2, forecasts
