"""An approval cut short (the process killed) leaves either no approval and no file a reader sees, or a
recorded approval whose files the next command on the month puts in place."""

from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from sop.core import tables
from sop.core.months import parse_month
from sop.core.warehouse import connect
from sop.decisions import approve_plan, plan_of_record
from sop.decisions.plan_of_record import pending_folder
from sop.publish.parquet import approved_pack_path, approved_path, partition_path
from tests.deployment import MONTH, Deployment, published_deployment

PLAN_MONTH = parse_month(MONTH)


class Killed(BaseException):
    """What a SIGKILL at that point would leave, as an exception nothing catches."""


def _killed(*args: object, **kwargs: object) -> None:
    raise Killed


def _approve(deployment: Deployment) -> None:
    with connect(Path(deployment.storage.warehouse)) as con:
        approve_plan(con, deployment.storage.paths.export_dir, PLAN_MONTH, by="Maria Lopez")


def _approval_killed_at(step: str, root: Path, monkeypatch: pytest.MonkeyPatch) -> Deployment:
    """A published month whose approval was killed as it came to `step` of `approve_plan`."""
    deployment = published_deployment(root)
    with monkeypatch.context() as patched:
        patched.setattr(plan_of_record, step, _killed)
        with pytest.raises(Killed):
            _approve(deployment)
    return deployment


def _approvals(deployment: Deployment) -> list[tuple]:
    with duckdb.connect(deployment.storage.warehouse, read_only=True) as con:
        return con.execute("select event, approval, actor from plan_approvals order by event_number").fetchall()


def _approved_files(deployment: Deployment) -> list[Path]:
    return sorted((deployment.storage.paths.export_dir / tables.APPROVED_SCHEMA).rglob("*.*"))


def _complete(deployment: Deployment) -> None:
    """Approval 1 as an undisturbed approval leaves it: every copy, the approvals' Parquet, the pack."""
    export_dir = deployment.storage.paths.export_dir
    assert _approvals(deployment) == [("approved", 1, "Maria Lopez")]
    for table in tables.EXPORTED:
        assert approved_path(export_dir, table, PLAN_MONTH, 1).is_file(), table
    assert approved_pack_path(export_dir, PLAN_MONTH, 1).is_file()
    exported = pq.read_table(partition_path(export_dir, tables.PLAN_APPROVALS, PLAN_MONTH)).to_pylist()
    assert [(row["event"], row["approval"]) for row in exported] == [("approved", 1)]
    assert not pending_folder(export_dir, PLAN_MONTH).exists()


def test_an_approval_killed_before_its_record_leaves_nothing_and_the_next_one_goes_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deployment = _approval_killed_at("_record", tmp_path, monkeypatch)
    assert _approvals(deployment) == []
    assert _approved_files(deployment) == []  # its copy is staged only, where no reader looks
    assert pending_folder(deployment.storage.paths.export_dir, PLAN_MONTH).exists()

    _approve(deployment)
    _complete(deployment)


def test_an_approval_killed_after_its_record_is_completed_by_the_next_run_of_the_month(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deployment = _approval_killed_at("_finish", tmp_path, monkeypatch)
    assert _approvals(deployment) == [("approved", 1, "Maria Lopez")]
    assert _approved_files(deployment) == []

    refused = deployment.run()  # the month is approved: the run stops, having completed the approval
    assert not refused.success
    _complete(deployment)
