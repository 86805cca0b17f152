"""A corpus of extracts that keep the contract but are wrong, each made from a clean month's extract folder
(plan month 2026-11 of the small sample company, after a clean 2026-10) by one change.

Each case says which check finds it, with what severity, and what the finding names: its family, region
and months, and words of its message. The README's table "When an extract is valid but wrong" lists the
same cases.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

LAST_MONTH = "2026-10"


@dataclass(frozen=True)
class Case:
    name: str
    change: Callable[[Path], None]
    """Applies the one change to the month's extract folder."""
    check: str
    """The asset check that finds it (`sales_history`)."""
    severity: str
    """`warning`: the month goes on, with a data-quality risk; `error`: the month stops."""
    family: str | None
    region: str | None
    months: str
    words: tuple[str, ...]
    """Words of the finding's message."""


def _changed(extract: str, change: Callable[[pl.DataFrame], pl.DataFrame]) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        path = folder / f"{extract}.csv"
        change(pl.read_csv(path, infer_schema=False)).write_csv(path)

    return apply


def _scaled(column: str, factor: float, where: pl.Expr) -> Callable[[pl.DataFrame], pl.DataFrame]:
    def change(frame: pl.DataFrame) -> pl.DataFrame:
        scaled = (pl.col(column).cast(pl.Float64) * factor).round(4)
        return frame.with_columns(pl.when(where).then(scaled.cast(pl.String)).otherwise(pl.col(column)).alias(column))

    return change


def _without(where: pl.Expr) -> Callable[[pl.DataFrame], pl.DataFrame]:
    return lambda frame: frame.filter(~where)


def _last_month_copied(frame: pl.DataFrame) -> pl.DataFrame:
    """The last closed month replaced by the month before, relabelled: a stale job re-sent it."""
    before = frame.filter(pl.col("month") == "2026-09").with_columns(pl.lit(LAST_MONTH).alias("month"))
    return pl.concat([frame.filter(pl.col("month") != LAST_MONTH), before])


def _family_skus(folder: Path, family: str) -> list[str]:
    sales = pl.read_csv(folder / "sales.csv", infer_schema=False)
    return sales.filter(pl.col("product_family") == family)["sku"].unique().to_list()


def _stock_of(family: str, factor: float) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        skus = _family_skus(folder, family)
        _changed("inventory", _scaled("on_hand_units", factor, pl.col("sku").is_in(skus)))(folder)

    return apply


CASES = (
    Case(
        "a region's last month missing (its feed was late)",
        _changed("sales", _without((pl.col("month") == LAST_MONTH) & (pl.col("region") == "South"))),
        "sales_history",
        "warning",
        "Garden",
        "South",
        LAST_MONTH,
        ("South's 2026-10 sales of Garden are missing for", "the forecast takes them as zero"),
    ),
    Case(
        "a month of a family's history restated (halved)",
        _changed(
            "sales", _scaled("units", 0.5, (pl.col("month") == "2026-03") & (pl.col("product_family") == "Garden"))
        ),
        "sales_history",
        "warning",
        "Garden",
        None,
        "2026-03",
        ("Garden's sales history of 2026-03 was restated since last month's extract", "(-50%)"),
    ),
    Case(
        "a family's last month reported in thousands",
        _changed(
            "sales",
            _scaled("units", 0.001, (pl.col("month") == LAST_MONTH) & (pl.col("product_family") == "Fasteners")),
        ),
        "sales_history",
        "error",
        "Fasteners",
        None,
        LAST_MONTH,
        ("The family Fasteners sold 0.", "far outside its range", "reported in thousands?"),
    ),
    Case(
        "the last month a copy of the month before",
        _changed("sales", _last_month_copied),
        "sales_history",
        "error",
        None,
        None,
        LAST_MONTH,
        ("The 2026-10 sales equal those of 2026-09 on", "a copy of the month before"),
    ),
    Case(
        "a family's stock on hand ten times last month's",
        _stock_of("Hand Tools", 10),
        "inventory_history",
        "warning",
        "Hand Tools",
        None,
        LAST_MONTH,
        ("Hand Tools's stock on hand at the end of 2026-10 is", "the plan starts from it"),
    ),
    Case(
        "a plant's capacity for a family gone",
        _changed(
            "capacity",
            _scaled("capacity_units", 0, (pl.col("plant") == "Plant-A") & (pl.col("product_family") == "Garden")),
        ),
        "capacity_history",
        "warning",
        "Garden",
        None,
        "2026-11 to 2028-09",
        ("Plant-A's capacity for Garden in 2026-11 to 2028-09 is 0 units", "the supply plan follows it"),
    ),
    Case(
        "a year's budget rewritten",
        _changed(
            "financials",
            _scaled(
                "budget_revenue", 1.2, pl.col("month").str.starts_with("2027") & (pl.col("product_family") == "Garden")
            ),
        ),
        "financials_history",
        "warning",
        "Garden",
        None,
        "2027",
        ("Garden's 2027 budget was rewritten since last month's extract", "variances to budget move with it"),
    ),
)
