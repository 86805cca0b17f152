"""Plan: the consolidated plan and its scenarios, what changed, the financial outlook and the risks."""

from sop.plan.consolidated import build_outlook, build_plan, build_plan_changes, record_settings
from sop.plan.risks import build_risk_register
from sop.plan.scenarios import BASE, usable_scenarios

__all__ = [
    "BASE",
    "build_outlook",
    "build_plan",
    "build_plan_changes",
    "build_risk_register",
    "record_settings",
    "usable_scenarios",
]
