"""The series of one segment as NumPy arrays, all ending at the month before the plan month."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import polars as pl

from sop.forecast.segments import KEYS


@dataclass(frozen=True)
class SeriesArrays:
    keys: pl.DataFrame
    """sku, region of each series, in the order of `values`."""
    families: list[str]
    values: list[np.ndarray]
    """Monthly units, oldest first; the last element is month M-1 for every series."""

    @classmethod
    def of(cls, series: pl.DataFrame, members: pl.DataFrame) -> SeriesArrays:
        """The series of `series` (zero-filled rows) whose keys are in `members`."""
        rows = series.join(members.select(KEYS).unique(), on=list(KEYS)).sort(*KEYS, "month")
        groups = rows.group_by(KEYS, maintain_order=True).agg(
            pl.len().alias("months"), pl.col("product_family").first()
        )
        ends = np.cumsum(groups["months"].to_numpy())
        values = np.split(rows["units"].to_numpy(), ends[:-1]) if len(ends) else []
        return cls(groups.select(KEYS), groups["product_family"].to_list(), values)

    @property
    def count(self) -> int:
        return len(self.values)

    def last_values(self) -> np.ndarray:
        return np.array([y[-1] for y in self.values])

    def window(self, end_back: int, months: int) -> np.ndarray:
        """[s, months] the `months` months that end `end_back` months before the end; NaN before a series starts."""
        window = np.full((self.count, months), np.nan)
        for index, y in enumerate(self.values):
            stop = len(y) - end_back
            start = max(stop - months, 0)
            if stop > 0:
                window[index, months - (stop - start) :] = y[start:stop]
        return window

    def after(self, back: int, months: int) -> np.ndarray:
        """[s, months] the months from `back` months before the end on; NaN past the end."""
        after = np.full((self.count, months), np.nan)
        for index, y in enumerate(self.values):
            start = len(y) - back
            if start >= 0:
                known = y[start : start + months]
                after[index, : len(known)] = known
        return after

    def scale(self, season_length: int, back: int = 0) -> np.ndarray:
        """[s] the mean monthly units of the last season before `back` months from the end: the
        unit in which errors of big and small series compare. Falls back to the series' mean
        absolute month-on-month change, then to 1, where that is zero."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a series that starts after the window
            level = np.nanmean(np.abs(self.window(back, season_length)), axis=1) if self.count else np.zeros(0)
        level = np.nan_to_num(level)
        # Only the series without a level need the fallback: a Python loop over every series costs
        # seconds at 50,000 of them.
        changes = np.zeros(self.count)
        for index in np.flatnonzero(level <= 0):
            y = self.values[index]
            changes[index] = _mean_change(y[: len(y) - back])
        return np.where(level > 0, level, np.where(changes > 0, changes, 1.0))

    def scaled_changes(self, season_length: int) -> np.ndarray:
        """Every month-on-month change of every series, divided by the series' scale."""
        scale = self.scale(season_length)
        changes = [np.diff(y) / scale[index] for index, y in enumerate(self.values)]
        return np.concatenate(changes) if changes else np.zeros(0)


def _mean_change(y: np.ndarray) -> float:
    return float(np.abs(np.diff(y)).mean()) if len(y) > 1 else 0.0
