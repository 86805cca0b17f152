"""Without the people's files (adjustments, actions) the plan is what it was before they existed."""

from dataclasses import replace
from pathlib import Path

import polars as pl
import polars.testing
import pytest

from tests.deployment import MONTH, SMALL, Deployment, new_deployment

WITHOUT_REVIEW = replace(SMALL, demand_review=False, action_log=False)
SNAPSHOT = Path(__file__).parents[1] / "snapshots" / "plan_without_review.csv"
"""The base and scenario plans of MONTH on WITHOUT_REVIEW's extracts, as the pipeline published them
before the demand review (commit 594b2fd): every column it had then."""
REVIEW_COLUMNS = ("consensus_units", "adjustment_units", "consensus_lo_80", "consensus_hi_80")


def _plan(deployment: Deployment) -> pl.DataFrame:
    return (
        deployment.table("consolidated_plan")
        .sort("scenario", "product_family", "month")
        .with_columns(pl.col("risk_flags").list.join(" "))
    )


def rewrite_plan_snapshot(root: Path) -> None:
    """Writes SNAPSHOT from a run in `root` (an empty folder): only for a change meant to move the plan."""
    deployment = new_deployment(root, spec=WITHOUT_REVIEW)
    assert deployment.run().success
    _plan(deployment).drop(REVIEW_COLUMNS).write_csv(SNAPSHOT, float_precision=6)


def test_without_an_adjustments_file_every_number_of_the_plan_is_as_before(tmp_path: Path) -> None:
    deployment = new_deployment(tmp_path, spec=WITHOUT_REVIEW)
    assert not (tmp_path / "extracts" / MONTH / "adjustments.csv").exists()
    assert deployment.run().success
    plan = _plan(deployment)
    assert plan["consensus_units"].equals(plan["forecast_units"])
    assert (plan["adjustment_units"] == 0).all()
    assert plan["consensus_lo_80"].equals(plan["forecast_lo_80"])
    before = pl.read_csv(SNAPSHOT, try_parse_dates=True, schema_overrides=plan.drop(REVIEW_COLUMNS).schema)
    polars.testing.assert_frame_equal(plan.drop(REVIEW_COLUMNS), before, check_exact=False, rel_tol=1e-6, abs_tol=1e-6)
    assert deployment.table("demand_adjustments").is_empty()
    assert deployment.table("demand_plan")["adjustment_units"].abs().max() == pytest.approx(0.0)
