"""The plan of record: the executive meeting approves a month's published plan, which is then frozen.

An approval records who, when, a note and a fingerprint of the month's published rows, and keeps a
copy of every published table's month (`approved.<table>` in DuckDB, `<export>/approved/` in Parquet,
with the pack). A run of an approved month stops before it writes anything (`refuse_if_approved`)
until the month is reopened, with a reason; the approved copy stays readable, and later months keep
judging the approved version (`sql/intermediate/int_record_*.sql`).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from sop.core import Paths, tables
from sop.core.months import month_label
from sop.core.warehouse import connect, quote_identifier, quote_table, scalar, sql_text, table_exists, transaction
from sop.publish.drafts import is_published
from sop.publish.parquet import (
    approved_pack_path,
    export_approval,
    export_approvals,
    exported_file,
    flush,
    month_folder,
    pack_path,
)

APPROVED = "approved"
REOPENED = "reopened"


class PlanOfRecordError(Exception):
    """An approval or a reopening that cannot be done as asked; nothing was recorded."""


class MonthApprovedError(Exception):
    """A run of a month that the meeting approved: it stopped before writing anything."""


@dataclass(frozen=True)
class Approval:
    plan_month: date
    approval: int
    approved_by: str
    approved_at: datetime
    note: str | None
    fingerprint: str

    def describe(self) -> str:
        note = f' ("{self.note}")' if self.note else ""
        return (
            f"approved by {self.approved_by} on {self.approved_at:%Y-%m-%d %H:%M} UTC{note},"
            f" approval {self.approval}, fingerprint {self.fingerprint}"
        )

    def not_requested_notice(self) -> str:
        """What a schedule or a sensor says when it does not request a run of the month."""
        label = month_label(self.plan_month)
        return (
            f"Plan month {label} not requested: it is the approved plan of record ({self.describe()})."
            f' To plan it again, reopen it first: uv run sop-run reopen --month {label} --reason "..."'
            " (or the Dagster job reopen_plan)."
        )

    def frozen_notice(self) -> str:
        label = month_label(self.plan_month)
        return (
            f"Plan month {label} is the approved plan of record ({self.describe()}): this run stopped before"
            " writing anything. To plan it again, reopen it first:"
            f' uv run sop-run reopen --month {label} --reason "..."'
            " (or the Dagster job reopen_plan), then run the month."
        )


def current_approval(con: duckdb.DuckDBPyConnection, plan_month: date) -> Approval | None:
    """The month's approval in force: its newest event, when that is an approval."""
    rows = con.execute(
        f"select {', '.join(_EVENT_COLUMNS)} from plan_approvals"
        " where plan_month = $plan_month order by event_number desc limit 1",
        {"plan_month": plan_month},
    ).fetchall()
    return _in_force(plan_month, rows[0] if rows else None)


def refuse_if_approved(warehouse: Path, export_dir: Path, plan_month: date) -> None:
    """Raises `MonthApprovedError`, naming who approved the month and how to reopen it, when the month
    is approved."""
    if (approval := approval_in_force(warehouse, export_dir, plan_month)) is not None:
        raise MonthApprovedError(approval.frozen_notice())


def approval_in_force(warehouse: Path, export_dir: Path, plan_month: date) -> Approval | None:
    """The month's approval in force, if any (`approvals_in_force`)."""
    return approvals_in_force(warehouse, export_dir, [plan_month]).get(plan_month)


def approvals_in_force(warehouse: Path, export_dir: Path, plan_months: list[date]) -> dict[date, Approval]:
    """The approvals in force of those months that have one. Reads only, and never waits: while another
    process writes the warehouse (DuckDB lets no one else read it then), the months' approvals as last
    exported tell."""
    if not warehouse.exists() or not plan_months:
        return {}
    try:
        with connect(warehouse, read_only=True, wait_seconds=0) as con:
            if not table_exists(con, tables.PLAN_APPROVALS):
                return {}
            found = {month: current_approval(con, month) for month in plan_months}
    except duckdb.IOException:
        found = {month: _exported_approval(export_dir, month) for month in plan_months}
    return {month: approval for month, approval in found.items() if approval is not None}


_EVENT_COLUMNS = ("event", "approval", "actor", "recorded_at", "note", "fingerprint")


def _in_force(plan_month: date, newest_event: tuple | None) -> Approval | None:
    if newest_event is None or newest_event[0] != APPROVED:
        return None
    _, approval, actor, recorded_at, note, fingerprint_ = newest_event
    return Approval(plan_month, approval, actor, recorded_at.replace(tzinfo=UTC), note, fingerprint_)


def _exported_approval(export_dir: Path, plan_month: date) -> Approval | None:
    path = exported_file(export_dir, tables.PLAN_APPROVALS, plan_month)
    if path is None:
        return None
    events = pq.read_table(path, columns=list(_EVENT_COLUMNS)).to_pylist()  # in event order
    return _in_force(plan_month, tuple(events[-1].values()) if events else None)


def fingerprint(con: duckdb.DuckDBPyConnection, plan_month: date) -> str:
    """SHA-256 (16 hex digits) of the month's rows in every published table: equal for equal months,
    whatever the order of their rows."""
    digest = hashlib.sha256()
    for table in tables.PUBLISHED:
        rows, hashed = con.execute(
            f"select count(*), coalesce(sum(hash(t)), 0)::hugeint from {quote_identifier(table)} as t"
            " where plan_month = $plan_month",
            {"plan_month": plan_month},
        ).fetchall()[0]
        digest.update(f"{table}:{rows}:{hashed};".encode())
    return digest.hexdigest()[:16]


def approve_plan(
    con: duckdb.DuckDBPyConnection,
    export_dir: Path,
    plan_month: date,
    by: str,
    note: str | None = None,
    now: datetime | None = None,
) -> Approval:
    """Approves the month's published plan as the plan of record; refuses a month without one, or one
    already approved. All or nothing: its Parquet copy is staged before the record and moved into place
    after it (`settle` completes what a crash in between left)."""
    label = month_label(plan_month)
    if not by.strip():
        raise PlanOfRecordError("Say who approves the plan: --by NAME.")
    settle(con, export_dir, plan_month)
    if not is_published(con, plan_month):
        raise PlanOfRecordError(
            f"Plan month {label} has no published plan in this warehouse: nothing to approve."
            f" Run the month first (uv run sop-run --month {label})."
        )
    if (approval := current_approval(con, plan_month)) is not None:
        raise PlanOfRecordError(
            f"Plan month {label} is already approved ({approval.describe()})."
            f' To approve another version, reopen it (uv run sop-run reopen --month {label} --reason "...")'
            " and run it again."
        )
    number = _next_approval(con, plan_month)
    staging = pending_folder(export_dir, plan_month)
    export_approval(con, staging, plan_month, number)
    _stage_event(con, staging, plan_month)
    with transaction(con):
        _record(con, plan_month, APPROVED, number, by.strip(), note, fingerprint(con, plan_month), now)
        for table in tables.PUBLISHED:
            con.execute(
                f"insert into {quote_table(tables.approved(table))} by name select $approval::integer as approval, *"
                f" from {quote_identifier(table)} where plan_month = $plan_month",
                {"approval": number, "plan_month": plan_month},
            )
    _finish(con, export_dir, plan_month)
    return current_approval(con, plan_month)


def reopen_plan(
    con: duckdb.DuckDBPyConnection,
    export_dir: Path,
    plan_month: date,
    reason: str,
    by: str,
    now: datetime | None = None,
) -> Approval:
    """Reopens an approved month, with the reason, so that it can be planned again; returns the
    approval it reopened, whose copy stays readable."""
    label = month_label(plan_month)
    if not reason.strip():
        raise PlanOfRecordError("Say why the plan is reopened: --reason TEXT.")
    settle(con, export_dir, plan_month)
    approval = current_approval(con, plan_month)
    if approval is None:
        raise PlanOfRecordError(f"Plan month {label} is not approved: there is nothing to reopen.")
    _stage_event(con, pending_folder(export_dir, plan_month), plan_month)
    with transaction(con):
        _record(con, plan_month, REOPENED, approval.approval, by, reason.strip(), approval.fingerprint, now)
    _finish(con, export_dir, plan_month)
    return approval


PENDING_FOLDER = ".pending"
EVENT_FILE = "event.json"


def pending_folder(export_dir: Path, plan_month: date) -> Path:
    """What an approval or a reopening writes beside the warehouse, staged until the warehouse has recorded
    it: `<export>/.pending/plan_month=YYYY-MM-01/`, mirroring the export, outside every table's folder."""
    return export_dir / PENDING_FOLDER / month_folder(plan_month)


def settle(con: duckdb.DuckDBPyConnection, export_dir: Path, plan_month: date) -> None:
    """Completes the approval or reopening of the month that a crash interrupted once the warehouse had
    recorded it (its files moved into place, the approvals and the pack written again), or discards what
    it staged when the warehouse never recorded it. Call it holding the month."""
    staging = pending_folder(export_dir, plan_month)
    if not staging.exists():
        return
    try:
        before = int(json.loads((staging / EVENT_FILE).read_text(encoding="utf-8"))["events_before"])
    except (OSError, ValueError, KeyError, TypeError):
        before = None  # killed before the event was staged: nothing was recorded
    if before is not None and _events(con, plan_month) > before:
        _finish(con, export_dir, plan_month)
    else:
        shutil.rmtree(staging)


def settle_plan_of_record(paths: Paths, plan_month: date) -> None:
    """`settle` for a run of the month: opens the warehouse only where an approval or reopening was cut short."""
    if pending_folder(paths.export_dir, plan_month).exists():
        with connect(paths.warehouse) as con:
            settle(con, paths.export_dir, plan_month)


def _stage_event(con: duckdb.DuckDBPyConnection, staging: Path, plan_month: date) -> None:
    """Counts the month's events before the one about to be recorded, once what it writes is staged: `settle`
    tells by it whether the warehouse recorded the event before a crash."""
    staging.mkdir(parents=True, exist_ok=True)
    written = staging / f".{EVENT_FILE}.tmp"
    written.write_text(json.dumps({"events_before": _events(con, plan_month)}), encoding="utf-8")
    os.replace(written, staging / EVENT_FILE)


def _finish(con: duckdb.DuckDBPyConnection, export_dir: Path, plan_month: date) -> None:
    """What follows a recorded event: the staged files into place, the month's approvals and pack written
    again, the pack kept with the approval in force; each step can run again after a crash."""
    staging = pending_folder(export_dir, plan_month)
    moved = set()
    for staged in sorted(path for path in staging.rglob("*") if path.is_file() and path.name != EVENT_FILE):
        target = export_dir / staged.relative_to(staging)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged, target)
        moved.add(target.parent)
    for folder in moved:
        flush(folder)
    export_approvals(con, export_dir, plan_month)
    _refresh_pack(con, export_dir, plan_month)
    if (approval := current_approval(con, plan_month)) is not None:
        approved_pack = approved_pack_path(export_dir, plan_month, approval.approval)
        approved_pack.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pack_path(export_dir, plan_month), approved_pack)
    shutil.rmtree(staging)


def _events(con: duckdb.DuckDBPyConnection, plan_month: date) -> int:
    """The approvals and reopenings the warehouse has recorded for the month."""
    sql = "select count(*) from plan_approvals where plan_month = $plan_month"
    return int(scalar(con, sql, {"plan_month": plan_month}))


def _next_approval(con: duckdb.DuckDBPyConnection, plan_month: date) -> int:
    sql = "select coalesce(max(approval), 0) + 1 from plan_approvals where plan_month = $plan_month"
    return int(scalar(con, sql, {"plan_month": plan_month}))


def _record(
    con: duckdb.DuckDBPyConnection,
    plan_month: date,
    event: str,
    approval: int,
    actor: str,
    note: str | None,
    fingerprint_: str,
    now: datetime | None,
) -> None:
    recorded_at = (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None, microsecond=0)
    params = {
        "plan_month": plan_month,
        "event": event,
        "approval": approval,
        "actor": actor,
        "note": note or None,
        "recorded_at": recorded_at,
        "fingerprint": fingerprint_,
    }
    con.execute(f"insert into plan_approvals by name {sql_text(tables.PLAN_APPROVALS)}", params)


def _refresh_pack(con: duckdb.DuckDBPyConnection, export_dir: Path, plan_month: date) -> None:
    """The pack says on its first line whether its plan is approved: write it again."""
    # matplotlib's import costs a second that the Dagster definitions should not pay.
    from sop.report.pack import write_pack

    write_pack(con, export_dir, plan_month)
