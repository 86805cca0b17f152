"""The risk vocabulary: one name per kind of risk, the same in the plan's `risk_flags` and in the risk
register, judged by the same rules and thresholds (`RiskConfig`)."""

from __future__ import annotations

import dataclasses
import typing

import polars as pl

from sop.core.config import FamilyRisks, RiskConfig, RiskKind, RiskLevel

RISK_LEVELS: tuple[str, ...] = typing.get_args(RiskLevel)

FLAGS = ("unmet_demand", "capacity_overload", "below_safety_stock", "excess_inventory")
"""The kinds judged month by month on the plan (sql/marts/consolidated_plan.sql): its `risk_flags`."""

KINDS: tuple[str, ...] = typing.get_args(RiskKind)
"""Every kind of the register: the monthly flags, then the ones judged on a year, the long horizon,
forecast accuracy, the demand review's value added, the action log and the extracts."""


def check_risk_config(config: RiskConfig) -> None:
    """Every kind has a severity and an action, and every severity is a level: what reading a settings
    file makes sure of, for a `RiskConfig` built in code, which pydantic does not check."""
    for table in (config.severity, config.actions):
        if set(table) != set(KINDS):
            raise ValueError(f"every risk kind needs a severity and an action: {sorted(set(KINDS) ^ set(table))}")
    unknown = set(config.severity.values()) - set(RISK_LEVELS)
    if unknown:
        raise ValueError(f"risk severities must be among {RISK_LEVELS}, not {sorted(unknown)}")


def flag_severity(config: RiskConfig) -> pl.DataFrame:
    """Each flag's severity and its rank, from which a plan row's `risk_level` is its highest."""
    check_risk_config(config)
    return pl.DataFrame(
        {
            "flag": list(FLAGS),
            "severity": [config.severity[flag] for flag in FLAGS],
            "severity_rank": [RISK_LEVELS.index(config.severity[flag]) for flag in FLAGS],
        }
    )


FAMILY_THRESHOLDS = "family_thresholds"
"""The frame of the families' own risk thresholds that the risk models read (`family_thresholds`)."""


def family_thresholds(config: RiskConfig) -> pl.DataFrame:
    """One row per family with thresholds of its own (null where it keeps the default), for the models
    to take over the defaults they are given as parameters."""
    names = [field.name for field in dataclasses.fields(FamilyRisks)]
    rows = [{"product_family": family, **vars(own)} for family, own in sorted(config.families.items())]
    return pl.DataFrame(rows, schema={"product_family": pl.String, **dict.fromkeys(names, pl.Float64)})
