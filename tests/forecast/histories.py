"""Monthly sales histories for forecast tests, shaped as the sales extract has them."""

from datetime import date

import numpy as np
import polars as pl

from sop.core.months import add_months, month_range

PLAN_MONTH = date(2026, 11, 1)


def series(sku: str, units: list[float], region: str = "North", family: str = "Tools") -> pl.DataFrame:
    """`units` for the months up to M-1, without the zero months (as extracts have them)."""
    months = month_range(add_months(PLAN_MONTH, -len(units)), len(units))
    frame = pl.DataFrame(
        {"sku": sku, "region": region, "product_family": family, "month": months, "units": [float(u) for u in units]}
    )
    return frame.filter(pl.col("units") > 0)


def seasonal_units(months: int = 48, level: float = 100.0) -> list[float]:
    """A yearly sine of amplitude 0.4 x level; t = 0 is M-48 (November), so it peaks in December."""
    return [level * (1 + 0.4 * np.sin(2 * np.pi * (t + 2) / 12)) for t in range(months)]


def noisy(seed: int, level: float = 100.0) -> list[float]:
    noise = np.random.default_rng(seed).normal(0.0, 0.04 * level, 48)
    return list(np.array(seasonal_units(level=level)) + noise)


def sparse(seed: int) -> list[float]:
    rng = np.random.default_rng(seed)
    return list(np.where(rng.random(48) < 0.25, rng.integers(1, 8, 48), 0).astype(float))
