"""The corpus of broken extracts through the real monthly job: each case ends in a clear error
that names the file, column and rule (and leaves the month's published plan exactly as it was),
or in a correct run, as `tests/intake/bad_inputs.py` and the README document."""

from pathlib import Path

import dagster as dg
import pytest

from tests.deployment import MONTH, Deployment, copy_deployment, published_deployment
from tests.intake.bad_inputs import CASES, Case


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Deployment:
    """A deployment whose month has been published once from valid extracts."""
    deployment = published_deployment(tmp_path_factory.mktemp("baseline"))
    return deployment


def _messages(result: dg.ExecuteInProcessResult) -> dict[str, str]:
    """What stopped the run: the failed step or check, and the message a user reads."""
    messages = {}
    for event in result.get_step_failure_events():
        failure = event.step_failure_data
        if failure.error and failure.error.cls_name == "DagsterAssetCheckFailedError":
            continue
        messages[event.step_key] = (
            failure.user_failure_data.description if failure.user_failure_data else failure.error.message
        )
    for evaluation in result.get_asset_check_evaluations():
        if not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR:
            messages[evaluation.check_name] = evaluation.metadata["report"].value
    return messages


def test_the_corpus_has_at_least_thirty_cases_with_unique_names() -> None:
    assert len(CASES) >= 30
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_broken_extract_behaves_as_documented(baseline: Deployment, tmp_path: Path, case: Case) -> None:
    deployment = copy_deployment(baseline, tmp_path / "deployment")
    before = deployment.published()
    case.change(deployment.root / "extracts" / MONTH)

    result = deployment.run()

    if case.failure is None:
        assert result.success, _messages(result)
        return
    assert not result.success
    messages = _messages(result)
    assert case.failure in messages, messages
    message = messages[case.failure]
    for word in case.words:
        assert word in message, message
    assert "Traceback" not in message
    assert deployment.published() == before
