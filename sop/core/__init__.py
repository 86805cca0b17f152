"""What every stage shares: the settings, plan months, the names of the tables, and the DuckDB warehouse."""

from sop.core import tables
from sop.core.config import DATA_DIR, DEFAULT_CONFIG, PROJECT_ROOT, Config, Paths
from sop.core.months import add_months, month_label, parse_month
from sop.core.tables import draft
from sop.core.warehouse import connect, create_views, ensure_tables, query, read_partition, scalar

__all__ = [
    "DATA_DIR",
    "DEFAULT_CONFIG",
    "PROJECT_ROOT",
    "Config",
    "Paths",
    "add_months",
    "connect",
    "create_views",
    "draft",
    "ensure_tables",
    "month_label",
    "parse_month",
    "query",
    "read_partition",
    "scalar",
    "tables",
]
