"""The schedule and the sensor do not request a run of an approved month, and their ticks say why."""

import time
from datetime import UTC, date, datetime
from pathlib import Path

import dagster as dg
import duckdb
from dagster._core.storage.tags import RUN_KEY_TAG

from pipelines.resources import SopStorage
from pipelines.schedules import monthly_schedule
from pipelines.sensors import QUIET_SECONDS, extract_arrival
from sop.core.warehouse import ensure_tables
from sop.intake.arrival import settled_months
from tests.intake.test_arrival import _folder

APPROVED = "Plan month 2026-11 not requested: it is the approved plan of record (approved by Maria Lopez on 2026-11-20"


def _storage(root: Path) -> SopStorage:
    return SopStorage(extracts_dir=str(root / "extracts"), warehouse=str(root / "w.duckdb"), export_dir=str(root / "x"))


def _approve(storage: SopStorage, month: date) -> None:
    """The month's approval as `sop-run approve` records it (its copies do not matter here)."""
    with duckdb.connect(storage.warehouse) as con:
        ensure_tables(con)
        con.execute(
            "insert into plan_approvals values ($month, 1, 'approved', 1, 'Maria Lopez', null,"
            " timestamp '2026-11-20 10:00:00', '0123456789abcdef')",
            {"month": month},
        )


def test_the_sensor_skips_an_approved_month_and_requests_the_others(tmp_path: Path) -> None:
    storage = _storage(tmp_path)
    for month in ("2026-10", "2026-11"):
        _folder(tmp_path / "extracts", month)
    _approve(storage, date(2026, 11, 1))
    with (
        dg.instance_for_test() as instance,
        dg.build_sensor_context(instance=instance, resources={"storage": storage}) as context,
    ):
        result = extract_arrival(context)
    assert [request.partition_key for request in result.run_requests] == ["2026-10"]

    _approve(storage, date(2026, 10, 1))
    with (
        dg.instance_for_test() as instance,
        dg.build_sensor_context(instance=instance, resources={"storage": storage}) as context,
    ):
        result = extract_arrival(context)
    assert result.run_requests == []
    assert APPROVED in result.skip_reason.skip_message
    assert "reopen --month 2026-11" in result.skip_reason.skip_message


def test_the_sensor_says_nothing_of_a_folder_it_requested_before(tmp_path: Path) -> None:
    """An approved month was run before it was approved: its folder as it is is not news, tick after tick."""
    storage = _storage(tmp_path)
    _folder(tmp_path / "extracts", "2026-11")
    _approve(storage, date(2026, 11, 1))
    (arrived,) = settled_months(Path(storage.extracts_dir), time.time(), QUIET_SECONDS)
    with dg.instance_for_test() as instance:
        instance.add_run(dg.DagsterRun("monthly_sop_plan", tags={RUN_KEY_TAG: f"2026-11:{arrived.fingerprint}"}))
        with dg.build_sensor_context(instance=instance, resources={"storage": storage}) as context:
            result = extract_arrival(context)
    assert result.run_requests == []
    assert result.skip_reason is None


def test_the_schedule_skips_an_approved_month(tmp_path: Path) -> None:
    storage = _storage(tmp_path)
    tick = datetime(2026, 11, 3, 6, tzinfo=UTC)
    with dg.build_schedule_context(resources={"storage": storage}, scheduled_execution_time=tick) as context:
        assert monthly_schedule(context).partition_key == "2026-11"
    _approve(storage, date(2026, 11, 1))
    with dg.build_schedule_context(resources={"storage": storage}, scheduled_execution_time=tick) as context:
        skipped = monthly_schedule(context)
    assert isinstance(skipped, dg.SkipReason)
    assert APPROVED in skipped.skip_message
