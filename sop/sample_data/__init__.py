"""Deterministic, realistic sample extracts in the format of input contract v1: a simulated
company (`company`) and the four extracts of any plan month written from it (`extracts`)."""

from sop.sample_data.cli import main
from sop.sample_data.company import SampleSpec
from sop.sample_data.extracts import write_sample_extracts

__all__ = ["SampleSpec", "main", "write_sample_extracts"]
