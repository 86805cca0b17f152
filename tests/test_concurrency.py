"""Two months requested at once share the one DuckDB file: the later step waits, nothing fails."""

import multiprocessing
from pathlib import Path

from pipelines.resources import SopStorage
from sop.sample_data import write_sample_extracts
from tests.deployment import MONTH, NEXT_MONTH, SMALL, Deployment, new_deployment


def _run(root: str, month: str) -> bool:
    """One month's run in a process of its own, as two shells or two run workers would do."""
    storage = SopStorage(extracts_dir=f"{root}/extracts", warehouse=f"{root}/sop.duckdb", export_dir=f"{root}/export")
    return Deployment(Path(root), storage).run(month).success


def test_two_months_run_at_the_same_time_without_a_lock_error(tmp_path: Path) -> None:
    deployment = new_deployment(tmp_path)
    write_sample_extracts(tmp_path / "extracts", NEXT_MONTH, SMALL)
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        outcomes = pool.starmap(_run, [(str(tmp_path), MONTH), (str(tmp_path), NEXT_MONTH)])
    assert outcomes == [True, True]
    assert deployment.plan(MONTH).height == deployment.plan(NEXT_MONTH).height > 0
