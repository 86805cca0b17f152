"""Operating the monthly run: a backfill of a year, and runs killed at any moment."""

import itertools
import os
import signal
import subprocess
import sys
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest

from sop.months import add_months, month_label, parse_month
from sop.sample_data import write_sample_extracts
from sop.warehouse import connect
from tests.deployment import MONTH, SMALL, Deployment, copy_deployment, new_deployment

BACKFILL_MONTHS = 12


def test_a_backfill_of_twelve_months_compares_each_plan_with_the_month_before(tmp_path: Path) -> None:
    deployment = new_deployment(tmp_path)
    last = parse_month(MONTH)
    months = [month_label(add_months(last, offset - BACKFILL_MONTHS + 1)) for offset in range(BACKFILL_MONTHS)]
    for month in months:
        write_sample_extracts(tmp_path / "extracts", month, SMALL)
    for month in months:
        assert deployment.run(month).success, month
    for previous, month in itertools.pairwise(months):
        changes = deployment.table("plan_changes", month)
        assert set(changes["prev_plan_month"]) == {parse_month(previous)}
        drivers = changes["demand_effect"] + changes["supply_effect"] + changes["price_effect"]
        assert (drivers - changes["change_plan_revenue"]).abs().max() < 1e-6
    accuracy = deployment.table("forecast_accuracy_summary", months[-1]).filter(pl.col("level") == "total")
    assert dict(accuracy.select("lag", "months").iter_rows()) == {1: 6, 3: 6}
    # With a year of history to aggregate, a re-run still gives the same bytes (one DuckDB thread
    # per statement: float sums otherwise depend on which thread finishes first).
    published = deployment.published(months[-1])
    assert deployment.run(months[-1]).success
    assert deployment.published(months[-1]) == published


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Deployment:
    deployment = new_deployment(tmp_path_factory.mktemp("published"))
    assert deployment.run().success
    return deployment


def _corrected_sales(deployment: Deployment) -> None:
    """A corrected sales extract for the month: every quantity 20% higher, so every table changes."""
    path = deployment.extract("sales")
    sales = pl.read_csv(path, infer_schema=False)
    sales.with_columns((pl.col("units").cast(pl.Float64) * 1.2).round(0).cast(pl.Int64)).write_csv(path)


@pytest.fixture(scope="module")
def republished(published: Deployment, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """What the month looks like once the corrected extract has run to the end."""
    deployment = copy_deployment(published, tmp_path_factory.mktemp("republished") / "deployment")
    _corrected_sales(deployment)
    assert deployment.run().success
    return deployment.published()


RUN_SCRIPT = """
import sys
from pathlib import Path
from pipelines.resources import SopStorage
from tests.deployment import Deployment
root = Path(sys.argv[1])
storage = SopStorage(extracts_dir=str(root / "extracts"), warehouse=str(root / "sop.duckdb"),
                     export_dir=str(root / "export"))
sys.exit(0 if Deployment(root, storage).run(sys.argv[2]).success else 1)
"""


KILL_MOMENTS = [
    'Started execution of step "baseline_forecast"',
    'Started execution of step "consolidated_plan"',
    'Started execution of step "published_month"',
    'Finished execution of step "published_month"',
    'Started execution of step "parquet_export"',
]
"""Lines of the run's log at which it is killed: before each stage, during publishing, and
between publishing to DuckDB and exporting to Parquet."""


@pytest.mark.parametrize("moment", KILL_MOMENTS)
def test_a_run_killed_at_any_moment_publishes_the_old_month_or_the_new_never_a_mixture(
    published: Deployment, republished: dict[str, object], tmp_path: Path, moment: str
) -> None:
    deployment = copy_deployment(published, tmp_path / "deployment")
    old = deployment.published()
    _corrected_sales(deployment)
    run = subprocess.Popen(
        [sys.executable, "-c", RUN_SCRIPT, str(deployment.root), MONTH],
        cwd=Path(__file__).parent.parent,
        stderr=subprocess.PIPE,
        text=True,
    )
    for line in run.stderr:
        if moment in line:
            os.kill(run.pid, signal.SIGKILL)
            break
    else:
        pytest.fail(f"the run ended before {moment!r}")
    run.wait()

    with connect(Path(deployment.storage.warehouse), wait_seconds=30) as con:
        assert con.execute("select count(*) from consolidated_plan").fetchall()[0][0] > 0
    after = deployment.published()
    # DuckDB and Parquet are each the old month or the new one (DuckDB may be ahead of Parquet
    # when the kill came between publishing and exporting).
    assert after["tables"] in (old["tables"], republished["tables"])
    assert after["files"] in (old["files"], republished["files"])
    for path in deployment.root.glob("export/**/*.parquet"):
        pq.read_metadata(path)
    assert deployment.run().success
    assert deployment.published() == republished
