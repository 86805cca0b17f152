"""The corpus of valid but wrong extracts through the real monthly job, after a clean month: each is named
in the run log, in its check's result and in `validation_results` with the family, region and months it
concerns; a warning becomes a data-quality risk of the month's register, an error stops the month before
anything of it is published. Clean months raise none of them."""

from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest

from sop.core.months import parse_month
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
    found = _found(deployment, case.check).filter(pl.col("rule").str.contains(case.words[0], literal=True))
    assert found.height == 1, _found(deployment, case.check)
    finding = found.row(0, named=True)
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
