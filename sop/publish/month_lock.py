"""One plan month, one run: a lock per plan month in a folder beside the warehouse.

Two runs of one month interleave their steps in the warehouse pool and write and publish each other's
drafts; the later one can publish an empty month over a full one. A run therefore holds its month from
before its first step to its end, and a second run of that month waits for it.

Why a lock file beside the warehouse, and not Dagster's run queue or a row in DuckDB: the lock is where
the warehouse is, so it holds whatever starts the run (`dagster job execute`, `dagster asset
materialize`, `sop-run`, the UI, a schedule, a sensor, a backfill, a test's `execute_in_process`) and
whichever Dagster instance records it; Dagster's tag concurrency limits apply only to runs its daemon
dequeues, in one instance. And the kernel frees an flock when the process ends however it ends
(SIGKILL included), so a killed run never holds its month: a lease row in DuckDB would stay behind and
need a liveness rule of its own.

The holder describes itself in a file beside the lock (`<YYYY-MM>.holder.json`): which run, started
how, in which Dagster instance, which process, since when. The lock itself is an empty file.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

from filelock import FileLock, Timeout

from sop.core.months import month_label
from sop.core.processes import process_is_alive


def lock_folder(warehouse: Path) -> Path:
    """`<warehouse>.months/`: the locks of the warehouse's plan months."""
    warehouse = warehouse.resolve()
    return warehouse.with_name(f"{warehouse.name}.months")


@dataclass(frozen=True)
class MonthHolder:
    """Who plans a month: a run, how it was started, where it is recorded and which process runs it."""

    run_id: str
    started_by: str
    instance: str
    pid: int
    host: str
    since: datetime

    @classmethod
    def of_this_process(cls, run_id: str, started_by: str, instance: str) -> MonthHolder:
        return cls(run_id, started_by, instance, os.getpid(), socket.gethostname(), datetime.now(UTC))

    def describe(self) -> str:
        minutes = (datetime.now(UTC) - self.since).total_seconds() / 60
        return (
            f"run {self.run_id} (started by {self.started_by}; Dagster instance {self.instance};"
            f" pid {self.pid} on {self.host}) since {self.since:%Y-%m-%d %H:%M:%S} UTC ({minutes:.0f} min ago)"
        )

    def is_gone(self) -> bool:
        """Whether its process has ended: a description that a killed holder left behind."""
        return self.host == socket.gethostname() and not process_is_alive(self.pid, self.since.timestamp())


class MonthLock:
    """The lock of one plan month of one warehouse; `take` does not wait, the caller decides how to."""

    def __init__(self, warehouse: Path, plan_month: date) -> None:
        folder = lock_folder(warehouse)
        label = month_label(plan_month)
        self.path = folder / f"{label}.lock"
        self.holder_path = folder / f"{label}.holder.json"
        # No soft fallback: a marker file would outlive a killed holder and block the month for good.
        self._lock = FileLock(self.path, thread_local=False, fallback_to_soft=False)

    def take(self, holder: MonthHolder) -> bool:
        """Takes the month for `holder` (holding it from now) if no one holds it; returns whether it did."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            return False
        try:
            written = self.holder_path.with_name(f".{self.holder_path.name}.{os.getpid()}.tmp")
            described = asdict(replace(holder, since=datetime.now(UTC)))
            written.write_text(json.dumps(described, default=str, indent=1), encoding="utf-8")
            os.replace(written, self.holder_path)
        except BaseException:
            self.release()
            raise
        return True

    def holder(self) -> MonthHolder | None:
        """Who holds the month, as the holder described itself; None while no live holder has yet."""
        try:
            fields = json.loads(self.holder_path.read_text(encoding="utf-8"))
            found = MonthHolder(**(fields | {"since": datetime.fromisoformat(fields["since"])}))
        except (OSError, ValueError, TypeError, KeyError):
            return None
        return None if found.is_gone() else found

    def release(self) -> None:
        if self._lock.is_locked:
            self.holder_path.unlink(missing_ok=True)
            self._lock.release(force=True)
