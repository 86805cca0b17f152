"""Intake: the extracts' contract, their arrival, landing, validation and staging."""

from sop.intake.arrival import settled_months
from sop.intake.contract import EXTRACTS, SALES, ExtractSpec
from sop.intake.gx_suite import validate_with_gx
from sop.intake.ingest import ExtractError, land_extract
from sop.intake.staging import stage_extract
from sop.intake.validation import RuleFailure, record_results, validate_extract

__all__ = [
    "EXTRACTS",
    "SALES",
    "ExtractError",
    "ExtractSpec",
    "RuleFailure",
    "land_extract",
    "record_results",
    "settled_months",
    "stage_extract",
    "validate_extract",
    "validate_with_gx",
]
