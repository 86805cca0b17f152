"""The numbers the meeting tracks month to month (`sql/reports/scorecard.sql`), as the pack's first page shows them."""

from __future__ import annotations

import polars as pl
from markupsafe import Markup, escape

from sop.report.formatting import count_of, money, percent, signed_points


def scorecard_summary(scorecard: pl.DataFrame) -> str:
    if scorecard.is_empty():
        return "Nothing to track yet: no plan month has been published."
    trends = scorecard.get_column("trend")
    if trends.is_null().all():
        return "The first month of these numbers: next month says which got better and which worse."
    better, worse = (trends == "better").sum(), (trends == "worse").sum()
    return f"Since last month, {count_of(better, 'number')} got better and {count_of(worse, 'number')} worse."


def scorecard_table(scorecard: pl.DataFrame, currency: str | None) -> Markup:
    """measure, this month, last month, trend: each figure in its own unit."""
    rows = [
        "<tr>"
        f"<td>{escape(row['measure'])}</td>"
        f'<td class="number">{escape(_figure(row["value"], row["unit"], currency))}</td>'
        f'<td class="number">{escape(_figure(row["last_month_value"], row["unit"], currency))}</td>'
        f'<td class="trend-{escape(row["trend"] or "none")}">{escape(row["trend"] or "")}</td>'
        "</tr>"
        for row in scorecard.iter_rows(named=True)
    ]
    header = "<tr><th>measure</th><th>this month</th><th>last month</th><th>since last month</th></tr>"
    return Markup(f"<table><thead>{header}</thead><tbody>{''.join(rows)}</tbody></table>")


def _figure(value: float | None, unit: str, currency: str | None) -> str:
    if value is None:
        return ""
    if unit == "points":
        return signed_points(value)
    if unit == "days":
        return f"{value:,.0f} days"
    if unit == "money":
        return money(value, currency)
    return percent(value)
