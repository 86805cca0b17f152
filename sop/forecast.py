"""The statistical baseline forecast per sku x region (statsforecast, long format).

Each series gets a model by the history it has:
- at least `min_seasonal_history` months: DynamicTheta, the standard Theta method (theta = 2)
  with dynamic updating, on a yearly season. It forecasts our sample data as well as AutoTheta,
  which tries four Theta variants and keeps the best, at three times its speed (about 500
  instead of 170 series/s on one core at 48 months; the pipeline needs 200);
- 7 months up to that: simple exponential smoothing (ETS A,N,N), no season to estimate
  (statsforecast's ETS refuses shorter series as "tiny datasets");
- fewer months (a launch): the mean so far, with an interval from 0 to at least twice the
  mean, since a few months cannot estimate a spread (with one, statsforecast reports zero width);
- a sku without sales in any region in the last `discontinued_after_months`: zero, model
  `Discontinued`.
A bound a model leaves NaN gets the launch rule too (0 below, twice the point above): a model
that cannot state its spread must not look certain.
A later stage picks models by cross-validated error; this module keeps the one contract:
sku, region, month, forecast_units, forecast_lo_<level>, forecast_hi_<level>, model, and the
series' demand pattern (smooth, erratic, intermittent, lumpy; see `sop.demand_pattern`).
"""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl
from statsforecast import StatsForecast
from statsforecast.models import AutoETS, DynamicTheta, HistoricAverage

from sop.config import DEFAULT_CONFIG, ForecastConfig
from sop.demand_pattern import classify_demand
from sop.months import add_months
from sop.warehouse import query, replace_partition, transaction

SEASONAL = "DynamicTheta"
SHORT = "SES"
LAUNCH = "LaunchMean"
DISCONTINUED = "Discontinued"
MIN_SHORT_HISTORY = 7
KEYS = ("sku", "region")


def _models(config: ForecastConfig) -> dict[str, object]:
    return {
        SEASONAL: DynamicTheta(season_length=config.season_length, alias=SEASONAL),
        SHORT: AutoETS(season_length=1, model="ANN", alias=SHORT),
        LAUNCH: HistoricAverage(alias=LAUNCH),
    }


def _bound_columns(config: ForecastConfig) -> list[str]:
    return [f"forecast_{side}_{level}" for level in config.levels for side in ("lo", "hi")]


def zero_filled(history: pl.DataFrame, plan_month: date) -> pl.DataFrame:
    """One row per series and month from its first sale through M-1; absent months are zero."""
    last_month = add_months(plan_month, -1)
    calendar = (
        history.group_by(KEYS)
        .agg(pl.col("month").min().alias("first"))
        .select(*KEYS, pl.date_ranges("first", pl.lit(last_month), interval="1mo").alias("month"))
        .explode("month")
    )
    return (
        calendar.join(history.select(*KEYS, "month", "units"), on=[*KEYS, "month"], how="left")
        .with_columns(pl.col("units").fill_null(0.0).cast(pl.Float64))
        .sort(*KEYS, "month")
    )


def _assign_models(series: pl.DataFrame, config: ForecastConfig) -> pl.DataFrame:
    """Series keys with the model each one gets, from its length and its recent sales."""
    return (
        series.group_by(KEYS)
        .agg(
            pl.len().alias("months"),
            pl.col("units").tail(config.discontinued_after_months).sum().alias("recent_units"),
        )
        # Discontinuation is a property of the item: an intermittent sku is often silent for
        # months in one region while it still sells in others.
        .with_columns(pl.col("recent_units").sum().over("sku"))
        .with_columns(
            pl.when((pl.col("recent_units") == 0) & (pl.col("months") >= config.discontinued_after_months))
            .then(pl.lit(DISCONTINUED))
            .when(pl.col("months") >= config.min_seasonal_history)
            .then(pl.lit(SEASONAL))
            .when(pl.col("months") >= MIN_SHORT_HISTORY)
            .then(pl.lit(SHORT))
            .otherwise(pl.lit(LAUNCH))
            .alias("model")
        )
        .sort(KEYS)
        .with_row_index("unique_id")
        .select("unique_id", *KEYS, "model")
    )


def _run_model(name: str, model: object, series: pl.DataFrame, config: ForecastConfig) -> pl.DataFrame:
    """One statsforecast call for all series of one model, renamed to the forecast contract."""
    engine = StatsForecast(models=[model], freq="1mo", n_jobs=1)
    levels = list(config.levels)
    out = engine.forecast(df=series, h=config.horizon_months, level=levels)
    renames = {"ds": "month", name: "forecast_units"}
    renames |= {f"{name}-{side}-{level}": f"forecast_{side}_{level}" for level in levels for side in ("lo", "hi")}
    return out.rename(renames).with_columns(pl.lit(name).alias("model"))


def _zero_forecast(keys: pl.DataFrame, plan_month: date, config: ForecastConfig) -> pl.DataFrame:
    months = pl.DataFrame({"month": [add_months(plan_month, step) for step in range(config.horizon_months)]})
    zeros = [pl.lit(0.0).alias(name) for name in ["forecast_units", *_bound_columns(config)]]
    return keys.select("unique_id").join(months, how="cross").with_columns(*zeros, pl.lit(DISCONTINUED).alias("model"))


def forecast_baseline(
    history: pl.DataFrame, plan_month: date, config: ForecastConfig = DEFAULT_CONFIG.forecast
) -> pl.DataFrame:
    """Forecasts every sku x region of `history` (sku, region, month, units) over the horizon."""
    series = zero_filled(history, plan_month)
    assigned = _assign_models(series, config)
    long = series.join(assigned, on=list(KEYS)).select(
        "unique_id", pl.col("month").alias("ds"), pl.col("units").alias("y")
    )
    parts = [_zero_forecast(assigned.filter(pl.col("model") == DISCONTINUED), plan_month, config)]
    for name, model in _models(config).items():
        ids = assigned.filter(pl.col("model") == name).get_column("unique_id")
        if not ids.is_empty():
            parts.append(_run_model(name, model, long.filter(pl.col("unique_id").is_in(ids.implode())), config))
    columns = ["forecast_units", *_bound_columns(config)]
    forecast = pl.concat([part.select("unique_id", "month", *columns, "model") for part in parts])
    patterns = classify_demand(series, KEYS).select(*KEYS, "demand_pattern")
    return (
        forecast.join(assigned.select("unique_id", *KEYS), on="unique_id")
        .join(patterns, on=list(KEYS))
        .with_columns(_unknown_spread_bounds(config))
        .with_columns(pl.col(columns).clip(lower_bound=0.0))
        .with_columns(_nested_bounds(config))
        .select(*KEYS, "month", *columns, "model", "demand_pattern")
        .sort(*KEYS, "month")
    )


def _unknown_spread_bounds(config: ForecastConfig) -> list[pl.Expr]:
    """A launch, and any bound a model left NaN, gets 0 below and at least twice the point above."""
    launch = pl.col("model") == LAUNCH
    doubled = pl.col("forecast_units") * 2
    bounds = []
    for level in config.levels:
        low, high = f"forecast_lo_{level}", f"forecast_hi_{level}"
        model_low, model_high = pl.col(low).fill_nan(None), pl.col(high).fill_nan(None)
        bounds.append(pl.when(launch).then(0.0).otherwise(model_low.fill_null(0.0)).alias(low))
        widened = pl.max_horizontal(model_high, doubled)
        bounds.append(pl.when(launch).then(widened).otherwise(model_high.fill_null(doubled)).alias(high))
    return bounds


def _nested_bounds(config: ForecastConfig) -> list[pl.Expr]:
    """Wider levels contain narrower ones and every interval contains the point, whatever
    rounding or clipping did to the model's bounds."""
    nested = []
    inner_low, inner_high = pl.col("forecast_units"), pl.col("forecast_units")
    for level in sorted(config.levels):
        low = pl.min_horizontal(pl.col(f"forecast_lo_{level}"), inner_low)
        high = pl.max_horizontal(pl.col(f"forecast_hi_{level}"), inner_high)
        nested += [low.alias(f"forecast_lo_{level}"), high.alias(f"forecast_hi_{level}")]
        inner_low, inner_high = low, high
    return nested


def forecast_month(con: duckdb.DuckDBPyConnection, plan_month: date, config: ForecastConfig) -> pl.DataFrame:
    """Forecasts the plan month from its staged sales and replaces its rows of `sku_forecast`."""
    history = query(con, "int_sales_history", {"plan_month": plan_month})
    forecast = forecast_baseline(history, plan_month, config)
    with transaction(con):
        replace_partition(con, "sku_forecast", {"plan_month": plan_month}, frames={"baseline_forecast": forecast})
    return forecast
