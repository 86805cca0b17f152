"""What every stage shares: the settings, plan months, and the DuckDB warehouse."""

from sop.core.config import DATA_DIR, DEFAULT_CONFIG, PROJECT_ROOT, Config, Paths
from sop.core.months import add_months, month_label, parse_month
from sop.core.warehouse import connect, create_views, draft, query, read_partition, scalar, table_exists

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
    "month_label",
    "parse_month",
    "query",
    "read_partition",
    "scalar",
    "table_exists",
]
