"""Plan-month arithmetic. A plan month is the first day of the month, as a `date`."""

from __future__ import annotations

import re
from datetime import date

_MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})(?:-\d{2})?$")


def parse_month(value: str | date) -> date:
    """Accepts `YYYY-MM`, an ISO date (any day means that month) or a `date`."""
    if isinstance(value, date):
        return value.replace(day=1)
    match = _MONTH_PATTERN.match(value.strip())
    if not match:
        raise ValueError(f"not a month: {value!r} (expected YYYY-MM or YYYY-MM-DD)")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise ValueError(f"not a month: {value!r} (month {month} is out of range)")
    return date(year, month, 1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def month_label(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def month_range(first: date, count: int) -> list[date]:
    return [add_months(first, offset) for offset in range(count)]
