"""Report: what people read, in Dagster's metadata, at the end of a run, and in the S&OP pack.

The pack (`sop.report.pack`) is imported by the step that writes it: it draws with matplotlib,
about a second of imports that loading the Dagster definitions should not pay.
"""

from sop.report.markdown import markdown_table, sparkline
from sop.report.reports import plan_settings, read_report
from sop.report.summary import accuracy_summary, decision_summary, family_summary

__all__ = [
    "accuracy_summary",
    "decision_summary",
    "family_summary",
    "markdown_table",
    "plan_settings",
    "read_report",
    "sparkline",
]
