"""New extracts arrive: which folders are complete and settled, and the sensor's run requests."""

import os
import time
from pathlib import Path

import dagster as dg

from pipelines.resources import SopStorage
from pipelines.sensors import QUIET_SECONDS, extract_arrival
from sop.intake.arrival import settled_months

NOW = time.time()


def _folder(
    root: Path,
    month: str,
    extracts: tuple[str, ...] = ("sales", "inventory", "capacity", "financials"),
    age: float = 3600,
) -> Path:
    folder = root / month
    folder.mkdir(parents=True)
    for extract in extracts:
        path = folder / f"{extract}.csv"
        path.write_text("header\nrow\n", encoding="utf-8")
        os.utime(path, (NOW - age, NOW - age))
    return folder


def test_a_complete_folder_that_stopped_changing_has_arrived(tmp_path: Path) -> None:
    _folder(tmp_path, "2026-10")
    _folder(tmp_path, "2026-11", extracts=("sales", "inventory", "capacity"))  # financials still missing
    _folder(tmp_path, "2026-12", age=10)  # still being written
    _folder(tmp_path, "old-files")
    assert [arrived.month for arrived in settled_months(tmp_path, NOW, QUIET_SECONDS)] == ["2026-10"]


def test_a_replaced_extract_changes_the_folders_fingerprint(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "2026-10")
    before = settled_months(tmp_path, NOW, QUIET_SECONDS)[0].fingerprint
    (folder / "sales.csv").write_text("header\nrow\nanother row\n", encoding="utf-8")
    os.utime(folder / "sales.csv", (NOW - 3600, NOW - 3600))
    assert settled_months(tmp_path, NOW, QUIET_SECONDS)[0].fingerprint != before


def test_the_sensor_requests_one_run_per_settled_month(tmp_path: Path) -> None:
    _folder(tmp_path / "extracts", "2026-09")
    _folder(tmp_path / "extracts", "2026-10")
    _folder(tmp_path / "extracts", "1999-01")  # before the first plan month: not a partition
    storage = SopStorage(
        extracts_dir=str(tmp_path / "extracts"), warehouse=str(tmp_path / "w.duckdb"), export_dir=str(tmp_path / "x")
    )
    with (
        dg.instance_for_test() as instance,
        dg.build_sensor_context(instance=instance, resources={"storage": storage}) as context,
    ):
        result = extract_arrival(context)
    assert [request.partition_key for request in result.run_requests] == ["2026-09", "2026-10"]
    assert len({request.run_key for request in result.run_requests}) == 2
