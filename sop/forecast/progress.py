"""Progress of long stages in the run's log."""

from __future__ import annotations

from typing import Protocol


class InfoLog(Protocol):
    def info(self, msg: str) -> None: ...


class ProgressLog:
    """Logs the fits' progress about every tenth of a segment, so an operator can tell a slow run
    from a stuck one."""

    def __init__(self, log: InfoLog) -> None:
        self.log = log
        self.told: dict[str, int] = {}

    def __call__(self, segment: str, done: int, total: int) -> None:
        tenth = done * 10 // max(total, 1)
        if tenth > self.told.get(segment, -1):
            self.told[segment] = tenth
            self.log.info(f"forecast {segment}: {done} of {total} series ({done / max(total, 1):.0%})")
