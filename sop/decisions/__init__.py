"""Decisions: the S&OP meeting's actions, followed through month by month."""

from sop.decisions.action_log import ActionLog, build_action_log

__all__ = ["ActionLog", "build_action_log"]
