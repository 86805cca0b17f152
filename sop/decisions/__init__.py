"""Decisions: the S&OP meeting's actions followed through month by month, and the plan it approves."""

from sop.decisions.action_log import ActionLog, build_action_log
from sop.decisions.plan_of_record import (
    Approval,
    MonthApprovedError,
    PlanOfRecordError,
    approval_in_force,
    approvals_in_force,
    approve_plan,
    current_approval,
    refuse_if_approved,
    reopen_plan,
    settle_plan_of_record,
)

__all__ = [
    "ActionLog",
    "Approval",
    "MonthApprovedError",
    "PlanOfRecordError",
    "approval_in_force",
    "approvals_in_force",
    "approve_plan",
    "build_action_log",
    "current_approval",
    "refuse_if_approved",
    "reopen_plan",
    "settle_plan_of_record",
]
