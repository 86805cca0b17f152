"""Landing the extracts in DuckDB exactly as they arrived, with load metadata.

Every value lands as text: typing happens in staging after validation, so a bad value
(`abc` in `units`) reaches the checks and gets a precise message instead of failing the load.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb

from sop.core import tables
from sop.core.months import month_label
from sop.core.warehouse import quote_identifier, replace_partition, transaction
from sop.intake.contract import EXTRACT_SUFFIXES, ExtractSpec


class ExtractError(Exception):
    """Input a user must fix; the message names the file and what is wrong with it."""


@dataclass(frozen=True)
class LandedExtract:
    extract: str
    source_file: Path | None
    """None: an optional extract the month's folder does not have."""
    source_sha256: str | None
    row_count: int
    header: tuple[str, ...]
    missing_columns: tuple[str, ...]
    extra_columns: tuple[str, ...]


def month_folder(extracts_dir: Path, plan_month: date) -> Path:
    return extracts_dir / month_label(plan_month)


def find_extract_file(extracts_dir: Path, plan_month: date, spec: ExtractSpec) -> Path | None:
    """The one `<extract>.csv` or `<extract>.parquet` of the plan month's folder (None for an
    optional extract the folder does not have)."""
    folder = month_folder(extracts_dir, plan_month)
    extract = spec.name
    found = [folder / f"{extract}{suffix}" for suffix in EXTRACT_SUFFIXES if (folder / f"{extract}{suffix}").is_file()]
    expected = " or ".join(f"{extract}{suffix}" for suffix in EXTRACT_SUFFIXES)
    if not found and spec.optional:
        return None
    if not found:
        raise ExtractError(f"{folder}: the {extract} extract is missing (expected {expected})")
    if len(found) > 1:
        raise ExtractError(f"{folder}: {' and '.join(path.name for path in found)} are both present; keep exactly one")
    path = found[0].resolve()
    if not path.is_relative_to(extracts_dir.resolve()):
        raise ExtractError(f"{found[0]}: resolves to {path}, outside the extracts root {extracts_dir}")
    return path


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


FILE_ROWS = "extract_file"
"""The temporary table a file is read into, in file order, before it lands."""


def read_extract(con: duckdb.DuckDBPyConnection, path: Path) -> dict[str, str]:
    """Reads the file into the temporary `extract_file` table, every value as it came; returns its
    columns as {trimmed, lower-cased header name: name in the file}."""
    if path.stat().st_size == 0:
        raise ExtractError(f"{path}: the file is empty (0 bytes); expected a header row and data rows")
    try:
        if path.suffix == ".parquet":
            source = "read_parquet($path)"
        else:
            # null_padding: a short (truncated) row lands with its missing fields empty, so the
            # checks report it by row number instead of the whole file failing to parse.
            source = (
                "read_csv($path, header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"',"
                " encoding = 'utf-8', null_padding = true)"
            )
        # Insertion order is kept, so the table's rowid is the file's data-row number minus one.
        con.execute(f"create or replace temp table {FILE_ROWS} as select * from {source}", {"path": str(path)})
    except duckdb.Error as error:
        if "utf-8" in str(error).lower():
            raise ExtractError(_not_utf8(path)) from error
        summary = " ".join(str(error).splitlines()[:3])
        raise ExtractError(f"{path}: cannot be read as {path.suffix[1:]}: {summary}") from error
    schema = {name: column_type for name, column_type, *_ in con.execute(f"describe {FILE_ROWS}").fetchall()}
    _refuse_nested_columns(path, schema)
    _refuse_other_delimiters(path, list(schema))
    names = {name: name.strip().lower() for name in schema}
    clean = list(names.values())
    duplicated = sorted({name for name in clean if clean.count(name) > 1})
    if duplicated:
        raise ExtractError(f"{path}: the header repeats column(s) {', '.join(duplicated)}")
    return {cleaned: name for name, cleaned in names.items()}


def no_file(con: duckdb.DuckDBPyConnection, spec: ExtractSpec) -> dict[str, str]:
    """An empty `extract_file` with the contract's columns, for an optional extract that did not come."""
    listed = ", ".join(f"null::varchar as {quote_identifier(name)}" for name in spec.column_names)
    con.execute(f"create or replace temp table {FILE_ROWS} as select {listed} limit 0")
    return {name: name for name in spec.column_names}


def _not_utf8(path: Path) -> str:
    """Where a file stops being UTF-8, for the message (DuckDB's own names the wrong line)."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line_number = data.count(b"\n", 0, error.start) + 1
        start = data.rfind(b"\n", 0, error.start) + 1
        end = data.find(b"\n", error.start)
        line = data[start : end if end >= 0 else len(data)].decode("utf-8", errors="replace").rstrip("\r")
        return (
            f"{path}: not UTF-8 text: byte 0x{data[error.start]:02X} on line {line_number} ({line!r});"
            " save the file as UTF-8"
        )
    return f"{path}: not UTF-8 text; save the file as UTF-8"


def _refuse_nested_columns(path: Path, schema: dict[str, str]) -> None:
    nested = [
        f"{name} ({column_type})"
        for name, column_type in schema.items()
        if column_type in ("BLOB", "BIT")
        or column_type.endswith("]")
        or column_type.startswith(("STRUCT", "MAP", "UNION"))
    ]
    if nested:
        raise ExtractError(
            f"{path}: column(s) {', '.join(nested)} hold nested or binary values; expected text, numbers or dates"
        )


def _refuse_other_delimiters(path: Path, columns: list[str]) -> None:
    if len(columns) == 1:
        header = columns[0]
        for delimiter, name in ((";", "semicolons"), ("\t", "tabs"), ("|", "pipes")):
            if delimiter in header:
                raise ExtractError(f"{path}: the header {header!r} is separated by {name}; the contract wants commas")


@contextmanager
def conformed(con: duckdb.DuckDBPyConnection, columns: dict[str, str], spec: ExtractSpec) -> Iterator[None]:
    """The temporary view `landed`: the contract's columns in contract order, as text (absent ones
    as nulls), plus the 1-based row number."""
    values = [
        f"{quote_identifier(columns[name])}::varchar" if name in columns else "null::varchar"
        for name in spec.column_names
    ]
    selected = ", ".join(
        f"{value} as {quote_identifier(name)}" for value, name in zip(values, spec.column_names, strict=True)
    )
    con.execute(f"create or replace temp view landed as select rowid + 1 as _source_row, {selected} from {FILE_ROWS}")
    try:
        yield
    finally:
        con.execute("drop view if exists landed")
        con.execute(f"drop table if exists {FILE_ROWS}")


def land_extract(
    con: duckdb.DuckDBPyConnection,
    spec: ExtractSpec,
    extracts_dir: Path,
    plan_month: date,
    loaded_at: datetime,
) -> LandedExtract:
    """Replaces the plan month's rows of `raw_<extract>` and its `raw_loads` entry, atomically; an
    optional extract the folder lacks lands no rows."""
    path = find_extract_file(extracts_dir, plan_month, spec)
    columns = read_extract(con, path) if path else no_file(con, spec)
    landed = LandedExtract(
        extract=spec.name,
        source_file=path,
        source_sha256=sha256_of(path) if path else None,
        row_count=int(con.execute(f"select count(*) from {FILE_ROWS}").fetchall()[0][0]),
        header=tuple(columns) if path else (),
        missing_columns=tuple(name for name in spec.column_names if name not in columns),
        extra_columns=tuple(name for name in columns if name not in spec.column_names),
    )
    params = {
        "extract": spec.name,
        "source_file": str(path) if path else None,
        "source_sha256": landed.source_sha256,
        "source_format": path.suffix[1:] if path else None,
        "row_count": landed.row_count,
        "header": list(landed.header),
        "missing_columns": list(landed.missing_columns),
        "extra_columns": list(landed.extra_columns),
        "loaded_at": loaded_at,
    }
    with conformed(con, columns, spec), transaction(con):
        replace_partition(con, spec.raw_table, {"plan_month": plan_month}, params, sums=False)
        replace_partition(con, tables.RAW_LOADS, {"plan_month": plan_month, "extract": spec.name}, params)
    return landed
