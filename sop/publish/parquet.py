"""Publishing output tables as hive-partitioned Parquet for BI tools.

Each plan month is one file, `<export_dir>/<table>/plan_month=YYYY-MM-01/data.parquet`, written
aside and moved into place, so a reader sees the old month or the new one, never a mixture,
and other months are never touched (unlike `COPY ... PARTITION_BY ... OVERWRITE`).

The plan month lives in the folder's name only, as an ISO date: DuckDB, Polars and Spark read it as a
DATE; pyarrow and pandas read types from no path, and take a partitioning schema (README, Outputs;
they refuse a column that is both in the path and in the files, so the files leave it out).
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from sop.core import tables
from sop.core.months import month_label
from sop.core.warehouse import quote_identifier
from sop.publish.drafts import is_published

ROW_ORDER: dict[str, tuple[str, ...]] = {
    tables.CONSOLIDATED_PLAN: ("scenario", "product_family", "month"),
    tables.PLAN_CHANGES: ("product_family", "month"),
    tables.FINANCIAL_OUTLOOK: ("scenario", "year", "level", "product_family"),
    tables.RISK_REGISTER: ("scenario", "product_family", "kind", "month", "subject"),
    tables.SKU_FORECAST: ("sku", "region", "month"),
    tables.FAMILY_FORECAST: ("product_family", "month"),
    tables.FORECAST_BACKTEST: ("level", "segment", "method", "product_family"),
    tables.FORECAST_ACCURACY: ("lag", "level", "product_family", "sku", "region", "month"),
    tables.FORECAST_ACCURACY_SUMMARY: ("lag", "level", "product_family", "sku", "region"),
    tables.FORECAST_VALUE_ADDED: ("lag", "level", "product_family", "step_order"),
    tables.DEMAND_PLAN: ("sku", "region", "month"),
    tables.DEMAND_ADJUSTMENTS: (
        "month",
        "product_family",
        "sku",
        "region",
        "source",
        "kind",
        "value",
        "owner",
        "reason",
    ),
    tables.ACTION_LOG: ("action_id",),
    tables.PLAN_APPROVALS: ("event_number",),
}
"""The columns that order each exported table's rows: the same plan gives the same bytes."""
EXPORT_FILE = "data.parquet"
PACK_FILE = "sop_pack.html"
PACK_FOLDER = "sop_pack"


@dataclass(frozen=True)
class ExportedFile:
    table: str
    path: Path
    rows: int


def month_folder(plan_month: date) -> str:
    """A plan month's folder in the export: `plan_month=YYYY-MM-01`, an ISO date readers take as one."""
    return f"plan_month={plan_month.isoformat()}"


def partition_path(export_dir: Path, table: str, plan_month: date) -> Path:
    return export_dir / table / month_folder(plan_month) / EXPORT_FILE


def exported_file(export_dir: Path, table: str, plan_month: date) -> Path | None:
    """The month's file of the table as last exported, by this version or one before the ISO dates."""
    for path in (partition_path(export_dir, table, plan_month), _old_partition_path(export_dir, table, plan_month)):
        if path.is_file():
            return path
    return None


def _old_partition_path(export_dir: Path, table: str, plan_month: date) -> Path:
    return export_dir / table / f"plan_month={plan_month:%Y-%m}" / EXPORT_FILE


def pack_path(export_dir: Path, plan_month: date) -> Path:
    """The month's S&OP pack, beside its Parquet files: `<export>/sop_pack/plan_month=YYYY-MM-01/sop_pack.html`."""
    return export_dir / PACK_FOLDER / month_folder(plan_month) / PACK_FILE


def approved_pack_path(export_dir: Path, plan_month: date, approval: int) -> Path:
    """The pack as the month's approval `approval` left it, beside that approval's Parquet files."""
    return approved_path(export_dir, "sop_pack", plan_month, approval).with_name(PACK_FILE)


def export_month(con: duckdb.DuckDBPyConnection, export_dir: Path, plan_month: date) -> list[ExportedFile]:
    """Writes every exported table's plan month; the partition column lives in the path only. Refuses a
    month with no published plan: its files, if any, stay as they are rather than emptied."""
    if not is_published(con, plan_month):
        raise LookupError(
            f"no published plan for plan month {month_label(plan_month)} in the warehouse: publish the month first"
            " (its Parquet files, if any, are left as they are)"
        )
    files = [(table, partition_path(export_dir, table, plan_month)) for table in tables.EXPORTED]
    upgrade_layout(export_dir)
    return _write_all(con, files, plan_month)


def approved_path(export_dir: Path, table: str, plan_month: date, approval: int) -> Path:
    """An approved version of a table's month (`tables.approved`):
    `<export>/approved/<table>/plan_month=YYYY-MM-01/approval=N/data.parquet`."""
    return export_dir / tables.APPROVED_SCHEMA / table / month_folder(plan_month) / f"approval={approval}" / EXPORT_FILE


def export_approval(
    con: duckdb.DuckDBPyConnection, export_dir: Path, plan_month: date, approval: int
) -> list[ExportedFile]:
    """Writes the month's published tables as its approved version `approval`, beside the export: these
    files stay as they are when the month is reopened and published again."""
    files = [(table, approved_path(export_dir, table, plan_month, approval)) for table in tables.EXPORTED]
    upgrade_layout(export_dir)
    return _write_all(con, files, plan_month)


def export_approvals(con: duckdb.DuckDBPyConnection, export_dir: Path, plan_month: date) -> ExportedFile:
    """Writes the month's approvals and reopenings (`<export>/plan_approvals/plan_month=YYYY-MM-01/`)."""
    target = partition_path(export_dir, tables.PLAN_APPROVALS, plan_month)
    upgrade_layout(export_dir)
    return _write_all(con, [(tables.PLAN_APPROVALS, target)], plan_month)[0]


def _write_all(con: duckdb.DuckDBPyConnection, files: list[tuple[str, Path]], plan_month: date) -> list[ExportedFile]:
    """Writes each (table, path): the table's plan month, in the table's row order.

    All files are written aside and flushed first, then renamed into place one after the other:
    a reader (or a kill) meets a mixture of old and new tables only within those renames."""
    written = []
    for table, target in files:
        order = ROW_ORDER[table]
        rows = con.sql(
            f"select * exclude (plan_month) from {quote_identifier(table)} where plan_month = $plan_month"
            f" order by {', '.join(quote_identifier(column) for column in order)}",
            params={"plan_month": plan_month},
        ).to_arrow_table()
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = target.with_name(f".{EXPORT_FILE}.{os.getpid()}.tmp")
        pq.write_table(rows, staging, compression="zstd")
        flush(staging)
        written.append((staging, ExportedFile(table, target, rows.num_rows)))
    for staging, exported in written:
        os.replace(staging, exported.path)
    for directory in {exported.path.parent for _, exported in written}:
        flush(directory)
    return [exported for _, exported in written]


_OLD_MONTH_FOLDER = re.compile(r"plan_month=(\d{4}-\d{2})")


def upgrade_layout(export_dir: Path) -> None:
    """Moves what the versions before the ISO dates wrote (`plan_month=YYYY-MM`, which no reader took for
    a date) into `plan_month=YYYY-MM-01`. Where both hold the same entry (a month's file, or an approval's
    folder), the dated one was written since, by this version, and stays; every other entry, each approval
    in particular, is moved, never lost."""
    for folder in [*export_dir.glob("*/plan_month=*"), *export_dir.glob(f"{tables.APPROVED_SCHEMA}/*/plan_month=*")]:
        old = _OLD_MONTH_FOLDER.fullmatch(folder.name)
        if old is not None:
            _merge(folder, folder.with_name(f"plan_month={old[1]}-01"))


def _merge(old: Path, dated: Path) -> None:
    dated.mkdir(exist_ok=True)
    for entry in old.iterdir():
        if not (dated / entry.name).exists():
            os.replace(entry, dated / entry.name)
        elif entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    old.rmdir()


def flush(path: Path) -> None:
    """Makes a file's data, or a folder's entries (a rename), reach the disk before going on."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
