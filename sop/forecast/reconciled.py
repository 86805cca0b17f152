"""The regular segment's forecasts reconciled as the job publishes them, family by family, by evidence.

Full MinT (`mint_shrink`) moves every series by the covariance of every level's errors at the
rolling origins. Where a family is a product line whose series move together, that helps both
levels (the sample company). Where families are categories of unrelated series (M1's, Tourism's)
it pushes the aggregates' errors into the small series: on M1 the series' sMAPE went from 13.76 to
16.18 and from 13.84 to 14.88 on its two halves, and the family totals got better on one half and
worse on the other (`bench/reconciliation_competitions.py`). So the default, `family_blend`, takes
from MinT only each family's total, and half of it:

- a family's total is the mean of its series' own forecasts' sum (bottom-up) and MinT's total of the
  family: a combination, so in every month its error is at most the mean of the two's errors;
- that total is split over the family's series in proportion to their own forecasts
  (`split_by_forecasts`): a series keeps its shape and moves with its family's ratio, not by the
  variance of its errors, as MinT moves it;
- at each rolling origin (W from the other origins' errors) every family is scored bottom-up, by MinT
  and blended, at its total and over its series; a family where the blend made both its total and
  its series worse than bottom-up (WAPE over the origins' months) keeps bottom-up, and one that no
  origin could score (a single origin) takes the blend. `forecast_backtest` has these scores per family.

The intervals learn from the published rule at each origin with the models' weights and W from the
other origins, out of sample as the forecast's errors will be: with the weights learned on every
origin, the scored one too, the sample's families held 78% and 92% of their months inside their 80%
and 95% intervals, against 82% and 94% so (`bench/family_intervals.py`).

Tried and left (same bench, series sMAPE on M1's halves): MinT chosen per family at the newest origin
(14.67, 14.34), over two origins (15.64, 14.68) or over the whole segment (no change); MinT with the
errors' variances only (WLS: series as bottom-up's, family WAPE 20.0% against 14.6%); MinT's family
totals split by the series' forecasts (14.45, 13.88, families as MinT's); choosing per family between
bottom-up, blend and MinT's totals (14.01, 13.79). The blend was chosen on the even halves and is
reported on the odd ones (the README's table, under "Families are reconciled").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl
import scipy.sparse

from sop.core.config import ForecastConfig, Reconciliation
from sop.forecast.combination import combine, pool_weights
from sop.forecast.reconciliation import Hierarchy, mint_shrink, split_by_forecasts
from sop.forecast.rolling_origin import PoolForecasts, PoolSpec, forecast_pool
from sop.forecast.series_arrays import SeriesArrays

BLEND_WEIGHT = 0.5
"""MinT's share of a family's total under `family_blend`: an equal combination, chosen as none is tuned."""
RECONCILIATION_NAMES: dict[Reconciliation, str] = {
    "bottom_up": "BottomUp",
    "mint_shrink": "MinT",
    "family_blend": "FamilyBlend",
}
"""How `forecast_backtest.method` names each reconciliation."""
EVIDENCE_LEVELS = ("family", "series")
"""The levels each family's evidence is scored at: its total, and over its series."""


@dataclass(frozen=True)
class Reconciled:
    point: np.ndarray
    """[s, h] the forecast from the end of the history."""
    rolling: np.ndarray
    """[s, o, h] the same rule from each origin, the models' weights and W learned from the other
    origins: what the intervals learn from, out of sample as the forecast's errors will be."""
    held_out: np.ndarray
    """[s, o, h] what the backtest scores: from the newest origin, with weights, W and the choice from
    the older origins only, and from each older origin as learned among them; the series outside the
    hierarchy (too short, or every model failed) as their pool's combination."""
    evidence: pl.DataFrame
    """product_family, level, method, observations, wape, bias, chosen: each family's scores at the origins."""


@dataclass(frozen=True)
class _Candidates:
    """Each way of reconciling one set of node forecasts: bottom forecasts [s, h] by reconciliation,
    in `RECONCILIATION_NAMES` order."""

    forecasts: dict[Reconciliation, np.ndarray]

    @classmethod
    def of(
        cls, hierarchy: Hierarchy, families: scipy.sparse.csr_array, forecasts: np.ndarray, errors: np.ndarray
    ) -> _Candidates:
        bottom_up = forecasts[hierarchy.aggregates :]
        mint = mint_shrink(hierarchy, forecasts, errors)
        totals = BLEND_WEIGHT * (families @ mint) + (1 - BLEND_WEIGHT) * (families @ bottom_up)
        # A family total below zero is published as zero: split as such, not as negative series.
        blend = split_by_forecasts(families, bottom_up, np.maximum(totals, 0.0))
        return cls({"bottom_up": bottom_up, "mint_shrink": mint, "family_blend": blend})

    def published(self, method: Reconciliation, families: scipy.sparse.csr_array, blended: np.ndarray) -> np.ndarray:
        """The method's bottom forecasts; under `family_blend`, bottom-up's for the families not `blended` [f]."""
        if method != "family_blend":
            return self.forecasts[method]
        member_blended = (families.T @ blended.astype(float)) > 0
        return np.where(member_blended[:, None], self.forecasts["family_blend"], self.forecasts["bottom_up"])


def reconciled(
    segment: str,
    arrays: SeriesArrays,
    pool: PoolForecasts,
    weights: np.ndarray,
    held_out_weights: np.ndarray,
    point: np.ndarray,
    spec: PoolSpec,
    config: ForecastConfig,
) -> Reconciled:
    """A segment's point forecasts [s, h] reconciled by `config.reconciliation` over the hierarchy of
    its series (`config.reconciliation_levels`), as `forecast_baseline` made them (pool [m, s],
    weights [m, s] from every origin, `held_out_weights` from the older ones).

    Every aggregate of the segment's series is forecast by the segment's pool and method, and W comes
    from every node's errors at the rolling origins. Series without an error at every origin (too
    short) or on which every model failed stay as they are, outside the hierarchy: the aggregates sum
    the measured series only, so the families stay the sums of their series."""
    origins = len(pool.backs)
    rolling_point = combine(pool.rolling, weights)
    held_out = combine(pool.rolling, held_out_weights)
    measured = np.isfinite(pool.actual[:, :, 0]).all(axis=1) & (weights.sum(axis=0) > 0)
    if measured.sum() < 2:
        return Reconciled(point, rolling_point, held_out, _no_evidence())
    keys = arrays.keys.with_columns(pl.Series("product_family", arrays.families)).filter(pl.Series(measured))
    hierarchy = Hierarchy.of(keys, config.reconciliation_levels)
    family_hierarchy = Hierarchy.of(keys, ("product_family",))
    families, family_names = family_hierarchy.summing, family_hierarchy.nodes["name"]
    values = [y for y, kept in zip(arrays.values, measured, strict=True) if kept]
    aggregate_pool = forecast_pool(aggregated(hierarchy, values), spec, config.n_jobs, None, config.dask_scheduler)
    actual = np.concatenate([aggregate_pool.actual, pool.actual[measured]])
    method, steps = config.pool_methods[segment], config.selection_steps

    def nodes(learned_from: range, usable: np.ndarray, bottom_rolling: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every node's combined forecasts from each origin [n, o, h] and from the end [n, h], the
        aggregates weighted from the origins `learned_from`, the bottom series' as `bottom_rolling` [s, o, h]."""
        aggregate_weights = pool_weights(
            method, aggregate_pool.rolling, aggregate_pool.actual, learned_from, steps, usable
        )
        node_rolling = np.concatenate([combine(aggregate_pool.rolling, aggregate_weights), bottom_rolling[measured]])
        final = combine(aggregate_pool.final, aggregate_weights)
        # An aggregate on which every model failed is what its series' forecasts add up to.
        failed = aggregate_weights.sum(axis=0) == 0
        final[failed] = (hierarchy.summing @ point[measured])[failed]
        return node_rolling, final

    bottom_usable = np.isfinite(pool.final).all(axis=2)
    aggregate_usable = np.isfinite(aggregate_pool.final).all(axis=2)

    def weighted_apart(origin: int, others: list[int]) -> np.ndarray:
        """Every node's forecasts [n, h] from `origin`, each node's models weighted by their errors at
        the `others` only: what the intervals learn from is out of sample, as the forecast will be."""
        apart = [
            combine(
                source.rolling[:, :, origin], pool_weights(method, source.rolling, source.actual, others, steps, usable)
            )
            for source, usable in ((aggregate_pool, aggregate_usable), (pool, bottom_usable))
        ]
        return np.concatenate([apart[0], apart[1][measured]])

    def at_origins(node_rolling: np.ndarray, among: list[int]) -> tuple[np.ndarray, _Evidence]:
        """The published bottom forecasts from each origin of `among` [s, o, h], with the models'
        weights and W from the others among them (NaN elsewhere), and every family's scores there."""
        evidence = _Evidence.empty(families.shape[0])
        scored = {}
        for origin in among:
            others = [other for other in among if other != origin]
            errors = origin_errors(actual[:, others], node_rolling[:, others])
            if errors.shape[1] < 2:
                continue
            scored[origin] = (others, errors)
            candidates = _Candidates.of(hierarchy, families, node_rolling[:, origin], errors)
            evidence.add(families, actual[hierarchy.aggregates :, origin], candidates)
        blended = evidence.blend_chosen()
        published = np.full((int(measured.sum()), origins, point.shape[1]), np.nan)
        for origin, (others, errors) in scored.items():
            apart = _Candidates.of(hierarchy, families, weighted_apart(origin, others), errors)
            published[:, origin] = apart.published(config.reconciliation, families, blended)
        return published, evidence

    every = list(range(origins))
    node_rolling, final = nodes(range(origins), np.isfinite(aggregate_pool.final).all(axis=2), rolling_point)
    published_rolling, evidence = at_origins(node_rolling, every)
    final_candidates = _Candidates.of(
        hierarchy, families, np.concatenate([final, point[measured]]), origin_errors(actual, node_rolling)
    )
    reconciled_point = point.copy()
    reconciled_point[measured] = final_candidates.published(config.reconciliation, families, evidence.blend_chosen())
    reconciled_rolling = rolling_point.copy()
    reconciled_rolling[measured] = np.where(np.isnan(published_rolling), rolling_point[measured], published_rolling)

    older = every[1:]
    older_rolling, _ = nodes(range(1, origins), np.isfinite(aggregate_pool.rolling[:, :, 0, 0]), held_out)
    reconciled_held_out = held_out.copy()
    if older:
        older_published, older_evidence = at_origins(older_rolling, older)
        newest = _Candidates.of(
            hierarchy, families, older_rolling[:, 0], origin_errors(actual[:, 1:], older_rolling[:, 1:])
        )
        older_published[:, 0] = newest.published(config.reconciliation, families, older_evidence.blend_chosen())
        found = np.isfinite(older_published)
        reconciled_held_out[measured] = np.where(found, older_published, held_out[measured])
    return Reconciled(
        reconciled_point,
        reconciled_rolling,
        reconciled_held_out,
        evidence.frame(family_names, config.reconciliation, families),
    )


@dataclass
class _Evidence:
    """Each family's errors at the origins, by reconciliation: absolute [level, f] at `EVIDENCE_LEVELS`,
    summed [f]; and the family's actual units and months scored [f]."""

    absolute: dict[Reconciliation, np.ndarray]
    signed: dict[Reconciliation, np.ndarray]
    actual: np.ndarray
    months: np.ndarray

    @classmethod
    def empty(cls, families: int) -> _Evidence:
        return cls(
            {method: np.zeros((len(EVIDENCE_LEVELS), families)) for method in RECONCILIATION_NAMES},
            {method: np.zeros(families) for method in RECONCILIATION_NAMES},
            np.zeros(families),
            np.zeros(families),
        )

    def add(self, families: scipy.sparse.csr_array, actual: np.ndarray, candidates: _Candidates) -> None:
        """One origin's months that every series has an actual for (`actual` [s, h]), the forecasts
        never below zero, as published."""
        known = np.isfinite(actual).all(axis=0)
        actual = actual[:, known]
        for method, forecast in candidates.forecasts.items():
            error = np.maximum(forecast[:, known], 0.0) - actual
            self.absolute[method][0] += np.abs(families @ error).sum(axis=1)
            self.absolute[method][1] += families @ np.abs(error).sum(axis=1)
            self.signed[method] += (families @ error).sum(axis=1)
        self.actual += (families @ actual).sum(axis=1)
        self.months += known.sum()

    def blend_chosen(self) -> np.ndarray:
        """[f] False where the blend was worse than bottom-up at both levels; True where nothing was scored."""
        return ~(self.absolute["family_blend"] > self.absolute["bottom_up"]).all(axis=0)

    def frame(self, names: pl.Series, method: Reconciliation, families: scipy.sparse.csr_array) -> pl.DataFrame:
        """product_family, level, method, series, observations, wape, bias, chosen."""
        taken = np.full(names.len(), method, dtype=object)
        if method == "family_blend":
            taken = np.where(self.blend_chosen(), "family_blend", "bottom_up")
        counts = np.asarray(families.sum(axis=1)).ravel().astype(int)
        total = np.where(self.actual > 0, self.actual, np.nan)
        rows = []
        for scored, name in RECONCILIATION_NAMES.items():
            for level_index, level in enumerate(EVIDENCE_LEVELS):
                series = counts if level == "series" else np.ones_like(counts)
                rows.append(
                    pl.DataFrame(
                        {
                            "product_family": names,
                            "level": level,
                            "method": name,
                            "series": series,
                            "observations": (self.months * series).astype(int),
                            "wape": self.absolute[scored][level_index] / total,
                            "bias": self.signed[scored] / total,
                            "chosen": taken == scored,
                        }
                    )
                )
        return pl.concat(rows).with_columns(pl.col("wape", "bias").fill_nan(None))


def _no_evidence() -> pl.DataFrame:
    schema = {
        "product_family": pl.String,
        "level": pl.String,
        "method": pl.String,
        "series": pl.Int64,
        "observations": pl.Int64,
        "wape": pl.Float64,
        "bias": pl.Float64,
        "chosen": pl.Boolean,
    }
    return pl.DataFrame(schema=schema)


def origin_errors(actual: np.ndarray, forecasts: np.ndarray) -> np.ndarray:
    """[n, T] actual - forecast [n, o, h] at the origins, in the months every node has an actual for."""
    errors = (actual - forecasts).reshape(actual.shape[0], -1)
    return errors[:, np.isfinite(errors).all(axis=0)]


def aggregated(hierarchy: Hierarchy, values: list[np.ndarray]) -> list[np.ndarray]:
    """Each aggregate's monthly units (series oldest first, all ending in the same month), from the
    first month any of its series has."""
    length = max(len(y) for y in values)
    padded = np.array([np.concatenate([np.zeros(length - len(y)), y]) for y in values])
    present = np.array([np.arange(length) >= length - len(y) for y in values])
    sums, started = hierarchy.summing @ padded, (hierarchy.summing @ present) > 0
    return [row[np.argmax(has) :] for row, has in zip(sums, started, strict=True)]
