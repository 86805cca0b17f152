"""Headless Chromium, as a user's browser: the pack and the Dagster UI are judged by what it renders."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run")


def chromium() -> str:
    """The browser, or a skipped test where there is none (CI installs it and requires it)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("SOP_REQUIRE_CHROMIUM"):
            pytest.fail("SOP_REQUIRE_CHROMIUM is set but no chromium is on the PATH (.ci/run installs it)")
        pytest.skip("no chromium on this machine; .ci/run installs Debian's chromium and sets SOP_REQUIRE_CHROMIUM")
    return found


def _flags(script_ms: int | None) -> list[str]:
    # A page drawn by scripts (the Dagster UI) needs time to fetch and draw; virtual time runs it at full speed.
    return [chromium(), *FLAGS, *([f"--virtual-time-budget={script_ms}"] if script_ms else [])]


def dom(url: str, script_ms: int | None = None, size: str = "1400,4000", screenshot: Path | None = None) -> str:
    """The page as drawn in a window of `size` (tall, so that lists drawn only where seen are whole); with
    `screenshot`, also its picture, from the same load."""
    shot = [f"--screenshot={screenshot}"] if screenshot else []
    return subprocess.run(
        [*_flags(script_ms), f"--window-size={size}", *shot, "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout


def visible_text(
    url: str, script_ms: int | None = None, screenshot: Path | None = None, size: str = "1400,4000"
) -> str:
    """What the page shows, as one line of words."""
    page = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", dom(url, script_ms, size, screenshot), flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def print_pdf(url: str, pdf: Path) -> int:
    """Prints the page as the browser's print dialog would, without its header and footer; returns the pages."""
    subprocess.run(
        [*_flags(None), "--no-pdf-header-footer", f"--print-to-pdf={pdf}", url],
        capture_output=True,
        timeout=120,
        check=True,
    )
    # The page tree's root counts every page; nested nodes count their own.
    return max(int(count) for count in re.findall(rb"/Count (\d+)", pdf.read_bytes()))
