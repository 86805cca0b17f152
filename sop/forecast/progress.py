"""Progress of long stages in the run's log.

The forecast's lines keep one form, `forecast {segment}: {done} of {total} series ...`, which
`parse_progress` reads back: `sop-run` follows the run through its event log and shows these lines as
they were logged (`pipelines.progress`), so the run's log and the terminal tell the same.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

BETWEEN_TENTHS_SECONDS = 15.0
"""How often a debug line tells the fits' progress between two tenths (for a terminal's progress bar)."""

_PROGRESS = re.compile(
    r"^forecast (?P<segment>\S+): (?P<told>(?P<done>[\d,]+) of (?P<total>[\d,]+) series\b.*)", re.DOTALL
)


class InfoLog(Protocol):
    def info(self, msg: str) -> None: ...

    def debug(self, msg: str) -> None: ...


@dataclass(frozen=True)
class SeriesDone:
    """How far the fits of one segment are, as a forecast progress line tells it."""

    segment: str
    done: int
    total: int
    told: str
    """The line after its segment: `640 of 6,400 series (10%), 30s so far, about 4m30s left`."""

    @property
    def finished(self) -> bool:
        return self.done >= self.total


def parse_progress(message: str) -> SeriesDone | None:
    """A forecast progress line read back; None for any other message."""
    found = _PROGRESS.match(message)
    if found is None:
        return None
    done, total = (int(found[number].replace(",", "")) for number in ("done", "total"))
    return SeriesDone(found["segment"], done, total, found["told"])


def tenth(done: int, total: int) -> int:
    """Which tenth of the segment `done` series reach (10 when all are done)."""
    return done * 10 // max(total, 1)


def eta_seconds(done: int, total: int, elapsed: float) -> float | None:
    """Seconds left at the rate so far; None before there is a rate."""
    if done <= 0 or elapsed <= 0:
        return None
    return max(total - done, 0) * elapsed / done


def format_duration(seconds: float) -> str:
    """`0.4s`, `42s`, `4m05s`, `1h02m`: short, and exact enough for the scale."""
    seconds = max(seconds, 0.0)
    if seconds < 10:
        return f"{seconds:.1f}s"
    whole = round(seconds)
    if whole < 60:
        return f"{whole}s"
    if whole < 3600:
        return f"{whole // 60}m{whole % 60:02d}s"
    return f"{whole // 3600}h{whole % 3600 // 60:02d}m"


def progress_message(segment: str, done: int, total: int, elapsed: float) -> str:
    """`forecast regular: 640 of 6,400 series (10%), 30s so far, about 4m30s left`; at the end, the time
    it took."""
    line = f"forecast {segment}: {done:,} of {total:,} series ({done / max(total, 1):.0%})"
    if done >= total:
        return f"{line} in {format_duration(elapsed)}"
    line += f", {format_duration(elapsed)} so far"
    left = eta_seconds(done, total, elapsed)
    return line if left is None else f"{line}, about {format_duration(left)} left"


class ProgressLog:
    """Logs the fits' progress about every tenth of a segment (info), and between tenths at most every
    15 s (debug), so an operator can tell a slow run from a stuck one and when it will be done.
    The one place that decides what the progress says and how often: `sop-run` shows these lines."""

    def __init__(self, log: InfoLog, clock: Callable[[], float] = time.monotonic) -> None:
        self.log = log
        self.clock = clock
        self.told: dict[str, int] = {}
        self.began: dict[str, float] = {}
        self.last_call = clock()
        self.last_line = self.last_call

    def __call__(self, segment: str, done: int, total: int) -> None:
        now = self.clock()
        # The segments run one after the other: each begins when the one before told its last chunk.
        began = self.began.setdefault(segment, self.last_call)
        self.last_call = now
        message = progress_message(segment, done, total, now - began)
        if tenth(done, total) > self.told.get(segment, -1):
            self.told[segment] = tenth(done, total)
            self.log.info(message)
        elif now - self.last_line >= BETWEEN_TENTHS_SECONDS:
            self.log.debug(message)
        else:
            return
        self.last_line = now
