"""A month is published only from its own run's drafts, whole: through the real job, in-process."""

from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.definitions import defs
from sop.core.tables import SKU_FORECAST, draft
from tests.deployment import MONTH, Deployment, published_deployment
from tests.operators import corrected_sales

PUBLISH_STEPS = ("published_month", "parquet_export", "sop_pack")


def _run(deployment: Deployment, publishing: bool, tags: dict[str, str] | None = None) -> dg.ExecuteInProcessResult:
    """The month's assets: its publishing steps only, or every step before them."""
    keys = defs.resolve_asset_graph().get_all_asset_keys()
    selected = [key for key in keys if (key.to_user_string() in PUBLISH_STEPS) == publishing]
    return dg.materialize(
        defs.assets,
        selection=selected,
        partition_key=MONTH,
        resources={"storage": deployment.storage},
        tags=tags,
        raise_on_error=False,
    )


def _publish_failure(result: dg.ExecuteInProcessResult) -> str:
    assert not result.success
    (failure,) = result.get_step_failure_events()
    assert failure.step_key == "published_month"
    return failure.step_failure_data.user_failure_data.description


@pytest.fixture
def drafted(tmp_path: Path) -> tuple[Deployment, dict[str, object], str]:
    """A published month, then a run of a corrected extract that wrote every draft and stopped before
    publishing (as a run that failed there): the deployment, what was published, and that run's id."""
    deployment = published_deployment(tmp_path)
    before = deployment.published()
    corrected_sales(deployment)
    drafts = _run(deployment, publishing=False)
    assert drafts.success
    return deployment, before, drafts.run_id


def _re_execution_of(run_id: str) -> dict[str, str]:
    """The tags Dagster's "re-execute from failure" gives the new run."""
    return {"dagster/parent_run_id": run_id, "dagster/root_run_id": run_id}


def test_a_re_execution_whose_drafts_lost_a_table_fails_naming_it_and_keeps_the_month(
    drafted: tuple[Deployment, dict[str, object], str],
) -> None:
    deployment, before, run_id = drafted
    with duckdb.connect(deployment.storage.warehouse) as con:
        rows = con.execute(f"delete from {draft(SKU_FORECAST)}").fetchall()[0][0]
    result = _run(deployment, publishing=True, tags=_re_execution_of(run_id))
    message = _publish_failure(result)
    assert f"Plan month {MONTH} was not published: the drafts of run {result.run_id} are incomplete." in message
    assert f"sku_forecast: its draft holds 0 row(s), but the step of run {run_id} wrote {rows}." in message
    assert "The month published before is unchanged." in message
    assert deployment.published() == before


def test_another_run_does_not_publish_the_drafts_a_run_wrote_and_its_re_execution_does(
    drafted: tuple[Deployment, dict[str, object], str],
) -> None:
    deployment, before, run_id = drafted
    message = _publish_failure(_run(deployment, publishing=True))
    assert f"consolidated_plan: its draft was written by another run, {run_id}, at " in message
    assert deployment.published() == before
    assert _run(deployment, publishing=True, tags=_re_execution_of(run_id)).success
    assert deployment.published() != before
