"""Small Markdown renderings of frames, for Dagster metadata and the run summary."""

from __future__ import annotations

import polars as pl


def markdown_table(frame: pl.DataFrame, max_rows: int = 10) -> str:
    """A GitHub-style table of the first rows; floats rounded for reading, not for computing."""
    shown = frame.head(max_rows).with_columns(pl.col(pl.Float64).round(2))
    header = "| " + " | ".join(shown.columns) + " |"
    rule = "|" + "|".join("---" for _ in shown.columns) + "|"
    rows = ["| " + " | ".join(_cell(value) for value in row) + " |" for row in shown.iter_rows()]
    more = [f"\n_{frame.height - max_rows} more rows_"] if frame.height > max_rows else []
    return "\n".join([header, rule, *rows, *more])


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value).replace("|", "\\|")


SPARK_BLOCKS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[float | None], low: float | None = None, high: float | None = None) -> str:
    """A row of block characters from `low` to `high` (by default the lowest and highest value):
    a chart that fits in a table cell."""
    known = [value for value in values if value is not None]
    if not known:
        return ""
    low = min(known) if low is None else low
    high = max(known) if high is None else high
    steps = len(SPARK_BLOCKS) - 1

    def block(value: float) -> str:
        share = (min(max(value, low), high) - low) / (high - low) if high > low else 0.0
        return SPARK_BLOCKS[round(share * steps)]

    return "".join(" " if value is None else block(value) for value in values)
