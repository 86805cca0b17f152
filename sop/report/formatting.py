"""How the pack writes numbers and tables: one unit per measure, thousands separators, no "-0"."""

from __future__ import annotations

import re
from datetime import date

import polars as pl
from markupsafe import Markup, escape

from sop.core.months import month_label

MONTHS = re.compile(r"\d{4}-\d{2} to \d{4}-\d{2}")
"""A period of consecutive months, as the register writes it."""
PROSE_CHARACTERS = 40
"""Cells longer than this (suggested actions, scenario descriptions) wrap; shorter ones never do."""
PERCENT_COLUMNS = ("_pct", "wape", "bias", "share_of_family", "capacity_utilization", "coverage_80")
PERCENT_COLUMNS += ("follow_through",)
POINTS_COLUMNS = ("fva",)
"""Value added is a change of error: in percentage points, signed, in tables as in prose."""
UNASSIGNED = "unassigned"
"""The owner shown for a decision nobody owns yet."""
HEADERS = {"fva": "value added", "wape": "WAPE", "coverage_80": "inside 80% interval", "decide_by": "decide by"}
"""Column headers in words where the column's name is a code; others lose their underscores."""


def html_table(frame: pl.DataFrame, currency: str | None = None) -> Markup:
    """The frame as a table; the headers of its money columns name the `currency`."""
    if frame.is_empty():
        return Markup('<p class="none">Nothing to show.</p>')
    header = "".join(f"<th>{escape(_header(name, currency))}</th>" for name in frame.columns)
    body = []
    for row in frame.iter_rows(named=True):
        cells = []
        for name, value in row.items():
            classes = ["number"] if isinstance(value, int | float) and not isinstance(value, bool) else []
            classes += ["severity-high"] if value == "high" else []
            text = _cell(name, value)
            classes += ["prose"] if isinstance(value, str) and len(value) > PROSE_CHARACTERS else []
            # A month or a code breaks nowhere (a browser would break "2026-12" at its hyphen); a run of
            # months only between its months.
            classes += ["word"] if isinstance(value, str | date) and " " not in text else []
            css = f' class="{" ".join(classes)}"' if classes else ""
            cells.append(f"<td{css}>{_months(text) if MONTHS.fullmatch(text) else escape(text)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return Markup(f"<table><thead><tr>{header}</tr></thead><tbody>{''.join(body)}</tbody></table>")


def _months(text: str) -> Markup:
    return Markup(" to ").join(Markup('<span class="word">{}</span>').format(month) for month in text.split(" to "))


def _header(name: str, currency: str | None) -> str:
    words = HEADERS.get(name, name.replace("_", " ").replace(" pct", " %"))
    return f"{words} ({currency})" if currency and is_money(name) else words


def is_money(column: str) -> bool:
    """Revenue, margin and the revenue effects of the change drivers are money; their shares are not."""
    return ("revenue" in column or "margin" in column or column.endswith("_effect")) and not column.endswith("_pct")


def _cell(name: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return month_label(value) if value.day == 1 else value.isoformat()
    if isinstance(value, float):
        if name.endswith(POINTS_COLUMNS):
            return signed_points(value)
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


def money(value: float | None, currency: str | None) -> str:
    """`EUR 5,289,072`: an amount with its currency, where the month names one."""
    return f"{currency} {amount(value)}" if currency else amount(value)


def signed_money(value: float | None, currency: str | None) -> str:
    return f"{currency} {signed(value)}" if currency else signed(value)


def shown_points(share: float) -> float:
    """A share in the percentage points shown, to one decimal, with no "-0.0": what rounds to no
    change reads as none, in a headline as in its table."""
    return round(share * 100, 1) + 0.0


def percent(value: float | None) -> str:
    return "" if value is None else f"{shown_points(value):.1f}%"


def signed_points(value: float | None) -> str:
    """A change of WAPE, in percentage points."""
    if value is None:
        return "n/a"
    points = shown_points(value)
    return f"{points:+.1f} pts" if points else "0.0 pts"


def signed_percent(value: float | None) -> str:
    if value is None:
        return "n/a"
    points = shown_points(value)
    return f"{points:+.1f}%" if points else "0.0%"


def count_of(number: int, noun: str) -> str:
    """`three months`: the pack's prose spells small counts out."""
    words = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
    return f"{words[number] if number < len(words) else number} {noun}{'' if number == 1 else 's'}"
