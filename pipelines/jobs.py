"""The monthly run: every asset and check of one plan month."""

from __future__ import annotations

import dagster as dg

MONTHLY_JOB = "monthly_sop_plan"

monthly_sop_plan = dg.define_asset_job(
    MONTHLY_JOB,
    selection=dg.AssetSelection.all(),
    description="Ingest, validate, stage, forecast, plan and export one plan month.",
)
