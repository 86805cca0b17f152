"""The SQL models: found by name in `sql/`, what each one reads, and the contracts of the published tables."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb

from sop.core.tables import ANALYST_VIEWS, FRAMES, WITH_CONTRACT

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"
CONTRACT_SUFFIX = ".contract"
UPGRADE_SUFFIX = ".upgrade"
"""`<table>.upgrade.sql`: what an older warehouse's table needs to read as this version writes it."""


@cache
def model_paths() -> dict[str, Path]:
    """Every SQL file by its name (the name of the table or view it builds), whatever its layer folder."""
    paths: dict[str, Path] = {}
    for path in sorted(SQL_DIR.rglob("*.sql")):
        if path.stem in paths:
            raise ValueError(f"two SQL files are named {path.stem}: {paths[path.stem]} and {path}")
        paths[path.stem] = path
    return paths


@cache
def sql_text(name: str) -> str:
    """The statement of a model (`consolidated_plan`), a contract (`consolidated_plan.contract`), an
    upgrade (`plan_settings.upgrade`) or `macros`."""
    try:
        return model_paths()[name].read_text(encoding="utf-8")
    except KeyError:
        raise KeyError(f"no SQL file named {name}.sql under {SQL_DIR}") from None


@cache
def reads(name: str) -> frozenset[str]:
    """The tables a model reads, as DuckDB parses it (without binding, so parameters are fine): a draft
    (`draft.<table>`) counts as its table, and an intermediate model, a view or a frame from Python as what
    it reads."""
    with duckdb.connect() as con:
        tree = json.loads(con.execute("select json_serialize_sql($sql)", {"sql": sql_text(name)}).fetchall()[0][0])
    if tree.get("error"):
        raise ValueError(f"{name}.sql does not parse: {tree.get('error_message')}")
    tables: set[str] = set()
    ctes: set[str] = set()
    _collect(tree, tables, ctes)
    found: set[str] = set()
    for table in tables - ctes:
        if table in FRAMES:
            for source in FRAMES[table]:
                found |= reads(source) if source in model_paths() and source.startswith("int_") else {source}
        elif table.startswith("int_") or table in ANALYST_VIEWS:
            found |= reads(table)
        else:
            found.add(table)
    return frozenset(found)


def _collect(node: object, tables: set[str], ctes: set[str]) -> None:
    if isinstance(node, dict):
        if node.get("type") == "BASE_TABLE" and "table_name" in node:
            tables.add(node["table_name"])
        cte_map = node.get("cte_map")
        if isinstance(cte_map, dict):
            ctes.update(entry["key"] for entry in cte_map.get("map", []))
        for value in node.values():
            _collect(value, tables, ctes)
    elif isinstance(node, list):
        for value in node:
            _collect(value, tables, ctes)


@dataclass(frozen=True)
class Contract:
    """What a published table's contract declares: its meaning, and its columns (name, type, meaning) in order."""

    description: str
    columns: tuple[tuple[str, str, str], ...]


def contract(table: str) -> Contract:
    return _contracts()[table]


@cache
def _contracts() -> dict[str, Contract]:
    """Every contract, read in one in-memory DuckDB: the definitions read them as they load (the catalog)."""
    with duckdb.connect() as con:
        # One transaction: its hundreds of comments commit once.
        con.execute("begin")
        for table in WITH_CONTRACT:
            con.execute(sql_text(table + CONTRACT_SUFFIX))
        descriptions = dict(con.execute("select table_name, comment from duckdb_tables()").fetchall())
        columns: dict[str, list[tuple[str, str, str]]] = {}
        for table, *column in con.execute(
            "select table_name, column_name, data_type, comment from duckdb_columns() order by table_name, column_index"
        ).fetchall():
            columns.setdefault(table, []).append(tuple(column))
    return {table: Contract(descriptions[table] or "", tuple(columns[table])) for table in WITH_CONTRACT}


def contract_columns(table: str) -> tuple[tuple[str, str], ...]:
    """The (name, type) pairs a published table's contract declares, in order."""
    return tuple((name, kind) for name, kind, _ in contract(table).columns)
