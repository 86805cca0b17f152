"""Publish: a month's drafts into the published tables at once, then Parquet for BI tools."""

from sop.publish.audit import AuditResult, audit_table, audits
from sop.publish.drafts import IncompleteDraftsError, Writer, is_published, publish_month, sign_drafts
from sop.publish.parquet import approved_path, export_approval, export_approvals, export_month, pack_path

__all__ = [
    "AuditResult",
    "IncompleteDraftsError",
    "Writer",
    "approved_path",
    "audit_table",
    "audits",
    "export_approval",
    "export_approvals",
    "export_month",
    "is_published",
    "pack_path",
    "publish_month",
    "sign_drafts",
]
