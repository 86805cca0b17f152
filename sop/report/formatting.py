"""How the pack writes numbers and tables: one unit per measure, thousands separators, no "-0"."""

from __future__ import annotations

from datetime import date

import polars as pl
from markupsafe import Markup, escape

from sop.core.months import month_label

PROSE_CHARACTERS = 40
"""Cells longer than this (suggested actions, scenario descriptions) wrap; shorter ones never do."""
PERCENT_COLUMNS = ("_pct", "wape", "bias", "share_of_family", "capacity_utilization", "coverage_80", "fva")
PERCENT_COLUMNS += ("follow_through",)


def html_table(frame: pl.DataFrame) -> Markup:
    if frame.is_empty():
        return Markup('<p class="none">Nothing to show.</p>')
    header = "".join(f"<th>{escape(name.replace('_', ' '))}</th>" for name in frame.columns)
    body = []
    for row in frame.iter_rows(named=True):
        cells = []
        for name, value in row.items():
            classes = ["number"] if isinstance(value, int | float) and not isinstance(value, bool) else []
            classes += ["severity-high"] if value == "high" else []
            classes += ["prose"] if isinstance(value, str) and len(value) > PROSE_CHARACTERS else []
            css = f' class="{" ".join(classes)}"' if classes else ""
            cells.append(f"<td{css}>{escape(_cell(name, value))}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return Markup(f"<table><thead><tr>{header}</tr></thead><tbody>{''.join(body)}</tbody></table>")


def _cell(name: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return month_label(value) if value.day == 1 else value.isoformat()
    if isinstance(value, float):
        if name.endswith(PERCENT_COLUMNS):
            return percent(value)
        whole = f"{value:,.0f}"
        return "0" if whole == "-0" else whole
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def amount(value: float | None) -> str:
    return f"{value or 0:,.0f}"


def signed(value: float | None) -> str:
    return f"{value or 0:+,.0f}"


def percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


def signed_points(value: float | None) -> str:
    """A change of WAPE, in percentage points."""
    return "n/a" if value is None else f"{value * 100:+.1f} pts"


def signed_percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:+.1f}%"


def count_of(number: int, noun: str) -> str:
    """`three months`: the pack's prose spells small counts out."""
    words = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
    return f"{words[number] if number < len(words) else number} {noun}{'' if number == 1 else 's'}"
