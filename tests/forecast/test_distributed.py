"""The forecast on a Dask cluster (a local one, started by the test) gives the local run's numbers."""

from collections.abc import Iterator
from dataclasses import replace

import polars as pl
import pytest
from distributed import LocalCluster

from sop.core.config import ForecastConfig
from sop.forecast.baseline import forecast_baseline
from tests.forecast.histories import PLAN_MONTH, noisy, series, sparse


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def test_a_dask_cluster_gives_the_same_forecast_as_this_machine(scheduler: str) -> None:
    history = pl.concat(
        [
            *[series(f"NOISY-{seed}", noisy(seed, 40.0 + seed)) for seed in range(80)],
            *[series(f"SPARSE-{seed}", sparse(seed)) for seed in range(10)],
            series("LAUNCH", [40.0, 60.0, 55.0]),
        ]
    )
    local = forecast_baseline(history, PLAN_MONTH, ForecastConfig(horizon_months=12, n_jobs=2))
    config = replace(ForecastConfig(horizon_months=12), dask_scheduler=scheduler)
    clustered = forecast_baseline(history, PLAN_MONTH, config)
    assert clustered.forecast.equals(local.forecast)
    assert clustered.backtest.equals(local.backtest)
