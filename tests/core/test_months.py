from datetime import date

import pytest

from sop.core.months import add_months, month_label, month_range, parse_month


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2026-11", date(2026, 11, 1)), ("2026-11-30", date(2026, 11, 1)), (" 2026-01 ", date(2026, 1, 1))],
)
def test_months_are_accepted_as_year_month_or_iso_date(text: str, expected: date) -> None:
    assert parse_month(text) == expected


@pytest.mark.parametrize("text", ["2026-13", "11/2026", "2026", ""])
def test_anything_else_is_not_a_month(text: str) -> None:
    with pytest.raises(ValueError, match="not a month"):
        parse_month(text)


def test_month_arithmetic_crosses_years() -> None:
    assert add_months(date(2026, 11, 1), 2) == date(2027, 1, 1)
    assert add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)
    assert month_range(date(2026, 12, 1), 3) == [date(2026, 12, 1), date(2027, 1, 1), date(2027, 2, 1)]
    assert month_label(date(2027, 2, 1)) == "2027-02"
