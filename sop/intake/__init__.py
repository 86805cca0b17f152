"""Intake: the extracts' contract, their arrival, landing, validation and staging."""

from sop.intake.arrival import settled_months
from sop.intake.contract import EXTRACTS, SALES, ExtractSpec
from sop.intake.gx_suite import validate_history_with_gx, validate_with_gx
from sop.intake.history import CheckFinding, HistoryReport, check_history, checks_of, history_check_name, record_history
from sop.intake.ingest import ExtractError, land_extract
from sop.intake.staging import stage_extract, stage_month
from sop.intake.validation import RuleFailure, record_results, validate_extract

__all__ = [
    "EXTRACTS",
    "SALES",
    "CheckFinding",
    "ExtractError",
    "ExtractSpec",
    "HistoryReport",
    "RuleFailure",
    "check_history",
    "checks_of",
    "history_check_name",
    "land_extract",
    "record_history",
    "record_results",
    "settled_months",
    "stage_extract",
    "stage_month",
    "validate_extract",
    "validate_history_with_gx",
    "validate_with_gx",
]
