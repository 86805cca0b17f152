"""Publish: a month's drafts into the published tables at once, then Parquet for BI tools."""

from sop.publish.drafts import PUBLISHED_TABLES, publish_month
from sop.publish.parquet import ANALYST_VIEWS, export_month, pack_path

__all__ = ["ANALYST_VIEWS", "PUBLISHED_TABLES", "export_month", "pack_path", "publish_month"]
