"""The one entry point: `dagster dev -m pipelines` loads `defs` from here."""

from __future__ import annotations

import dagster as dg

from assets import accuracy, decisions, demand, export, forecast, ingest, pack, plan, publish, stage
from pipelines.executor import warehouse_executor
from pipelines.jobs import monthly_sop_plan
from pipelines.plan_of_record import approve_plan_job, reopen_plan_job
from pipelines.resources import SopStorage
from pipelines.schedules import monthly_schedule
from pipelines.sensors import extract_arrival

defs = dg.Definitions(
    assets=[
        *ingest.raw_extracts,
        *stage.staged_extracts,
        forecast.baseline_forecast,
        demand.demand_review,
        accuracy.forecast_accuracy,
        decisions.action_log,
        plan.consolidated_plan,
        plan.plan_changes,
        plan.financial_outlook,
        plan.risk_register,
        publish.published_month,
        export.parquet_export,
        pack.sop_pack,
    ],
    jobs=[monthly_sop_plan, approve_plan_job, reopen_plan_job],
    schedules=[monthly_schedule],
    sensors=[extract_arrival],
    resources={"storage": SopStorage.from_env()},
    # Every step writes the one DuckDB file, so steps cannot run in parallel anyway; one process
    # also imports Great Expectations and statsforecast once instead of once per step.
    executor=warehouse_executor,
)
