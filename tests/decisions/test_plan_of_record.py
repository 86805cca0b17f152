"""The plan of record through the real jobs: approve, a refused re-run, reopen, a re-run, and the next
month judging the approved plan rather than the one published after it."""

import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest

from pipelines import run_month
from pipelines.definitions import defs
from pipelines.plan_of_record import APPROVE_JOB, REOPEN_JOB
from sop.core.config import PROJECT_ROOT
from sop.core.months import parse_month
from sop.core.tables import PLAN_RECORDS, PLAN_STATUS, RECORD_FAMILY_FORECAST, RECORD_FORECAST
from sop.core.warehouse import create_views, ensure_tables
from sop.decisions import MonthApprovedError, refuse_if_approved
from sop.publish.parquet import approved_pack_path, approved_path, pack_path
from sop.report import read_report
from sop.sample_data import write_sample_extracts
from tests.deployment import MONTH, NEXT_MONTH, SMALL, Deployment, published_deployment

UNPLANNED = "2027-01"
OCTOBER, NOVEMBER = date(2026, 10, 1), date(2026, 11, 1)


def _plan_of_record_job(deployment: Deployment, job: str, op: str, **config: str) -> dg.ExecuteInProcessResult:
    return defs.resolve_job_def(job).execute_in_process(
        run_config={"ops": {op: {"config": config}}},
        resources={"storage": deployment.storage},
        raise_on_error=False,
    )


def _approve(deployment: Deployment, month: str = MONTH, by: str = "Maria Lopez") -> dg.ExecuteInProcessResult:
    return _plan_of_record_job(deployment, APPROVE_JOB, "approve_month", month=month, by=by, note="Agreed as shown")


def _reopen(deployment: Deployment, reason: str = "Plant-B loses half its capacity") -> dg.ExecuteInProcessResult:
    return _plan_of_record_job(deployment, REOPEN_JOB, "reopen_month", month=MONTH, reason=reason, by="Jon Park")


def _failure(result: dg.ExecuteInProcessResult) -> str:
    steps = result.get_step_failure_events()
    if steps:
        failure = steps[0].step_failure_data
        return failure.user_failure_data.description if failure.user_failure_data else failure.error.message
    return str(result.get_run_failure_event().event_specific_data.error)


def _status(deployment: Deployment) -> dict:
    with duckdb.connect(deployment.storage.warehouse, read_only=True) as con:
        return read_report(con, PLAN_STATUS, parse_month(MONTH)).row(0, named=True)


def _approved_plan(deployment: Deployment, approval: int = 1) -> pl.DataFrame:
    with duckdb.connect(deployment.storage.warehouse, read_only=True) as con:
        rows = con.sql(
            "select * exclude (approval) from approved.consolidated_plan"
            " where plan_month = $month and approval = $approval",
            params={"month": parse_month(MONTH), "approval": approval},
        ).pl()
    return rows.filter(pl.col("scenario") == "base").sort("product_family", "month")


def _exported_approval(deployment: Deployment, table: str = "consolidated_plan") -> bytes:
    return approved_path(deployment.storage.paths.export_dir, table, parse_month(MONTH), 1).read_bytes()


def _point_sop_run_at(deployment: Deployment, monkeypatch: pytest.MonkeyPatch) -> None:
    """`sop-run` reads its folders and its instance from the environment."""
    home = deployment.root / "dagster_home"
    home.mkdir(exist_ok=True)
    shutil.copy(PROJECT_ROOT / "dagster.yaml", home)
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    monkeypatch.setenv("SOP_EXTRACTS_DIR", deployment.storage.extracts_dir)
    monkeypatch.setenv("SOP_WAREHOUSE", deployment.storage.warehouse)
    monkeypatch.setenv("SOP_EXPORT_DIR", deployment.storage.export_dir)


@contextmanager
def _warehouse_held_by_another_process(deployment: Deployment) -> Iterator[None]:
    hold = "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('held', flush=True); time.sleep(60)"
    holder = subprocess.Popen(
        [sys.executable, "-c", hold, deployment.storage.warehouse], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        yield
    finally:
        holder.kill()
        holder.wait()


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    deployment = published_deployment(tmp_path_factory.mktemp("plan_of_record"))
    yield deployment


def test_a_month_without_a_published_plan_cannot_be_approved_nor_a_draft_reopened(deployment: Deployment) -> None:
    result = _approve(deployment, UNPLANNED)
    assert not result.success
    assert f"Plan month {UNPLANNED} has no published plan in this warehouse: nothing to approve" in _failure(result)
    result = _reopen(deployment)
    assert not result.success
    assert f"Plan month {MONTH} is not approved: there is nothing to reopen" in _failure(result)


@pytest.mark.parametrize(
    ("record", "table", "keys"),
    [
        (RECORD_FORECAST, "sku_forecast", {"sku": "S1", "region": "EU"}),
        (RECORD_FAMILY_FORECAST, "family_forecast", {"product_family": "Tools"}),
    ],
)
def test_each_month_is_judged_by_its_plan_of_record(record: str, table: str, keys: dict[str, str]) -> None:
    """The approved version where a month was approved (still once reopened), else the published one."""
    columns = ", ".join(keys)
    values = ", ".join(f"${key}" for key in keys)
    with duckdb.connect() as con:
        ensure_tables(con)
        for month, units in ((OCTOBER, 10.0), (NOVEMBER, 20.0)):
            con.execute(
                f"insert into {table} (plan_month, {columns}, month, forecast_units) values ($m, {values}, $m, $u)",
                {"m": month, "u": units, **keys},
            )
        # October was approved at 7 units, reopened and published again at 10.
        con.execute(
            f"insert into approved.{table} (approval, plan_month, {columns}, month, forecast_units)"
            f" values (1, $m, {values}, $m, 7.0)",
            {"m": OCTOBER, **keys},
        )
        for number, event in enumerate(("approved", "reopened"), start=1):
            con.execute(
                "insert into plan_approvals (plan_month, event_number, event, approval) values ($m, $n, $e, 1)",
                {"m": OCTOBER, "n": number, "e": event},
            )
        create_views(con, (PLAN_RECORDS, record), temporary=True)
        judged = dict(con.execute(f"select plan_month, forecast_units from {record}").fetchall())
    assert judged == {OCTOBER: 7.0, NOVEMBER: 20.0}


def test_approve_freeze_reopen_rerun_and_the_next_month_judges_the_approved_plan(
    deployment: Deployment, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    published_plan = deployment.plan()
    assert _approve(deployment).success

    status = _status(deployment)
    assert (status["status"], status["approved_by"], status["approval_note"]) == (
        "approved",
        "Maria Lopez",
        "Agreed as shown",
    )
    assert len(status["fingerprint"]) == 16
    assert _approved_plan(deployment).equals(published_plan)
    assert _exported_approval(deployment) == deployment.exported("consolidated_plan").read_bytes()
    export_dir = deployment.storage.paths.export_dir
    assert "Approved plan of record: approved by Maria Lopez" in pack_path(export_dir, parse_month(MONTH)).read_text()
    assert approved_pack_path(export_dir, parse_month(MONTH), 1).is_file()
    again = _approve(deployment, by="Someone Else")
    assert not again.success and "is already approved (approved by Maria Lopez" in _failure(again)

    # A run of the approved month stops before it writes: tables and Parquet bytes stay as approved.
    frozen = deployment.published()
    refused = deployment.run()
    assert not refused.success
    notice = _failure(refused)
    assert f"Plan month {MONTH} is the approved plan of record (approved by Maria Lopez on" in notice
    assert f'sop-run reopen --month {MONTH} --reason "..."' in notice
    assert deployment.published() == frozen
    # While another process writes the warehouse, the approvals as last exported tell, without waiting.
    held = _warehouse_held_by_another_process(deployment)
    with held, pytest.raises(MonthApprovedError, match="approved by Maria Lopez"):
        refuse_if_approved(Path(deployment.storage.warehouse), export_dir, parse_month(MONTH))
    # The shell's entry point says the same, and runs nothing.
    _point_sop_run_at(deployment, monkeypatch)
    assert run_month.main(["--month", MONTH]) == 1
    assert "is the approved plan of record" in capsys.readouterr().err
    assert deployment.published() == frozen

    assert not _reopen(deployment, reason=" ").success
    assert _reopen(deployment).success
    status = _status(deployment)
    assert (status["status"], status["reopened_by"]) == ("draft", "Jon Park")
    assert status["reopen_reason"] == "Plant-B loses half its capacity"

    # Planned again on other capacity: the month's published plan changes, its approved version does not.
    capacity = deployment.extract("capacity")
    halved = pl.read_csv(capacity).with_columns((pl.col("capacity_units") // 2).alias("capacity_units"))
    halved.write_csv(capacity)
    assert deployment.run().success
    replanned = deployment.plan()
    assert not replanned["supply_units"].equals(published_plan["supply_units"])
    assert _approved_plan(deployment).equals(published_plan)
    published_file = f"export/consolidated_plan/plan_month={MONTH}-01/data.parquet"
    assert _exported_approval(deployment) == frozen["files"][published_file]
    assert "Draft: reopened by Jon Park" in pack_path(export_dir, parse_month(MONTH)).read_text()

    # Next month's plan-over-plan change starts from the approved plan, the plan of record.
    write_sample_extracts(deployment.root / "extracts", NEXT_MONTH, SMALL)
    assert deployment.run(NEXT_MONTH).success
    changes = deployment.table("plan_changes", NEXT_MONTH).join(
        published_plan.select("product_family", "month", "plan_revenue"),
        on=["product_family", "month"],
        suffix="_approved",
    )
    assert changes.height > 0
    assert (changes["prev_plan_revenue"] - changes["plan_revenue_approved"]).abs().max() < 1e-6
