"""Whether a process of this machine still runs: the holder of a run or of a plan month is known dead
when its process is gone."""

from __future__ import annotations

import psutil

PID_CLOCK_TOLERANCE_SECONDS = 2.0
"""psutil reads a process's start time to within a second (boot time is whole seconds)."""


def process_is_alive(pid: int, started_by: float) -> bool:
    """Whether process `pid`, which had started by the time `started_by` (a Unix time), still runs. Pids are
    reused: a process that started after that is another program, and a zombie has ended already (only
    its parent has not reaped it)."""
    try:
        process = psutil.Process(pid)
        return (
            process.create_time() <= started_by + PID_CLOCK_TOLERANCE_SECONDS
            and process.status() != psutil.STATUS_ZOMBIE
        )
    except psutil.NoSuchProcess:
        return False
