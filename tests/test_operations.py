"""Operating the monthly run: a backfill of a year, and runs killed at any moment."""

import itertools
import os
import signal
import subprocess
import sys
import time
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


@pytest.mark.parametrize("seconds", [3.0, 5.0, 6.5, 8.0])
def test_a_run_killed_at_any_moment_leaves_the_publication_intact(
    published: Deployment, tmp_path: Path, seconds: float
) -> None:
    deployment = copy_deployment(published, tmp_path / "deployment")
    before = deployment.published()
    run = subprocess.Popen(
        [sys.executable, "-c", RUN_SCRIPT, str(deployment.root), MONTH], cwd=Path(__file__).parent.parent
    )
    time.sleep(seconds)
    if run.poll() is None:
        os.kill(run.pid, signal.SIGKILL)
    run.wait()

    with connect(Path(deployment.storage.warehouse), wait_seconds=30) as con:
        assert con.execute("select count(*) from consolidated_plan").fetchall()[0][0] > 0
    # Same extracts, so the month as published before and as the killed run would publish it are
    # the same: anything else is a half-written month.
    assert deployment.published() == before
    for path in deployment.root.glob("export/**/*.parquet"):
        pq.read_metadata(path)
    assert deployment.run().success
    after = deployment.published()
    assert [t for t in before["tables"] if before["tables"][t] != after["tables"].get(t)] == []
    assert [f for f in before["files"] if before["files"][f] != after["files"].get(f)] == []
    assert after == before
