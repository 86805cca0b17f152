"""Which plan months have a complete extract folder that has stopped changing.

A folder `<extracts root>/<YYYY-MM>/` is complete when it holds one file for each of the four
extracts, and settled when none of them has changed for `quiet_seconds`: a file still being
copied keeps changing, and a run started on half a file would fail on it. Its fingerprint (the
files' names, sizes and modification times) changes when any file is replaced, so a corrected
extract dropped in later asks for a new run of that month.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from sop.intake.contract import EXTRACT_SUFFIXES, EXTRACTS, REQUIRED_EXTRACTS

MONTH_FOLDER = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class ArrivedMonth:
    month: str
    fingerprint: str


def settled_months(extracts_dir: Path, now: float, quiet_seconds: float) -> list[ArrivedMonth]:
    """The month folders, oldest first, whose required extracts are present and every extract settled."""
    if not extracts_dir.is_dir():
        return []
    arrived = []
    for folder in sorted(extracts_dir.iterdir()):
        if not (folder.is_dir() and MONTH_FOLDER.match(folder.name)):
            continue
        files = _extract_files(folder)
        if files is None:
            continue
        stats = [path.stat() for path in files]
        if now - max(stat.st_mtime for stat in stats) < quiet_seconds:
            continue
        digest = hashlib.sha256()
        for path, stat in zip(files, stats, strict=True):
            digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
        arrived.append(ArrivedMonth(folder.name, digest.hexdigest()[:16]))
    return arrived


def _extract_files(folder: Path) -> list[Path] | None:
    """The extracts' files, or None when a required one is missing (two for one extract are the run's to
    report). An optional extract counts when it is there: replacing it asks for a new run."""
    files = []
    for extract in EXTRACTS:
        found = [
            folder / f"{extract}{suffix}" for suffix in EXTRACT_SUFFIXES if (folder / f"{extract}{suffix}").is_file()
        ]
        if not found and extract in REQUIRED_EXTRACTS:
            return None
        files.extend(found)
    return files
