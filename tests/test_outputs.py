"""The outputs of two months as their users see them: every exported table read with DuckDB, Polars,
pyarrow and pandas exactly as the README shows, the README's SQL run verbatim on the warehouse and on the
files, and the Dagster UI in headless Chromium showing the months run and their checks passed."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pytest
from PIL import Image, ImageStat
from polars.testing import assert_frame_equal

from pipelines.definitions import defs
from pipelines.partitions import monthly_partitions
from sop.core import DEFAULT_CONFIG, PROJECT_ROOT, parse_month, tables
from sop.decisions import approve_plan
from sop.publish import audits
from tests import browser
from tests.deployment import MONTH, NEXT_MONTH, Deployment, two_months_deployment

# One worker (--dist loadgroup) runs the modules that read two published months: it makes them once (tests.deployment).
pytestmark = pytest.mark.xdist_group("two_months")

README = (PROJECT_ROOT / "README.md").read_text()
EXPORT_FOLDER = '"data/export/consolidated_plan"'
READ_BY_ALL = (*tables.EXPORTED, tables.PLAN_APPROVALS)


@pytest.fixture(scope="module")
def two_months(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """Two plan months run in the deployment's own Dagster instance, as `sop-run` runs them; the second
    approved."""
    deployment, _ = two_months_deployment(tmp_path_factory.mktemp("outputs"))
    paths = deployment.storage.paths
    with duckdb.connect(str(paths.warehouse)) as con:
        approve_plan(con, paths.export_dir, parse_month(NEXT_MONTH), by="Maria Lopez")
    yield deployment


@pytest.fixture(scope="module")
def analyst_folder(two_months: Deployment) -> Path:
    """The outputs laid out as a default run lays them out (`data/warehouse.duckdb`, `data/export/`): the
    folder the README's snippets run from."""
    paths = two_months.storage.paths
    folder = two_months.root / "analyst"
    shutil.copytree(paths.export_dir, folder / "data" / "export")
    shutil.copyfile(paths.warehouse, folder / "data" / "warehouse.duckdb")
    return folder


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


def _read_as_the_readme_shows(table: str) -> dict[str, pl.DataFrame]:
    """Runs the README's block of readers on the table's folder: each reader's result as a Polars frame."""
    (block,) = [block for block in _blocks("python") if EXPORT_FOLDER in block]
    block = block.replace(EXPORT_FOLDER, f'"data/export/{table}"')
    setup = [line for line in block.splitlines() if not line.startswith("plan = ")]
    readers = [line for line in block.splitlines() if line.startswith("plan = ")]
    namespace: dict = {}
    exec("\n".join(setup), namespace)  # the README's own code, run as a reader would
    frames = {}
    for reader in readers:
        exec(reader, namespace)
        frames[reader.split("(")[0].removeprefix("plan = ")] = _as_polars(namespace["plan"])
    return frames


def _as_polars(read: object) -> pl.DataFrame:
    if isinstance(read, duckdb.DuckDBPyRelation):
        return read.pl()
    if isinstance(read, pd.DataFrame):
        return pl.from_pandas(read)
    if isinstance(read, pl.DataFrame):
        return read
    return pl.from_arrow(read)


def test_every_reader_reads_every_exported_table_with_the_same_types_and_rows(
    analyst_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(analyst_folder)
    for table in READ_BY_ALL:
        frames = _read_as_the_readme_shows(table)
        assert set(frames) == {"duckdb.sql", "pl.read_parquet", "pq.read_table", "pd.read_parquet"}
        by_duckdb = frames.pop("duckdb.sql")
        assert by_duckdb.schema["plan_month"] == pl.Date, table
        assert by_duckdb.height > 0, table
        for reader, frame in frames.items():
            assert dict(frame.schema) == dict(by_duckdb.schema), f"{table} read by {reader}"
            assert_frame_equal(frame.sort(pl.all()), by_duckdb.select(frame.columns).sort(pl.all()), check_exact=True)


def test_the_readme_sql_gives_the_same_answers_on_the_warehouse_and_on_the_parquet(
    analyst_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(analyst_folder)
    statements = [part.strip() for block in _blocks("sql") for part in block.split(";") if part.strip()]
    (view_of_files,) = [statement for statement in statements if statement.startswith("create view")]
    queries = [statement for statement in statements if not statement.startswith("create view")]
    files = duckdb.connect()
    for table in READ_BY_ALL:
        files.execute(view_of_files.replace(tables.CONSOLIDATED_PLAN, table))
    files.execute(f"create schema {tables.APPROVED_SCHEMA}")
    for table in tables.EXPORTED:
        files.execute(
            f"create view {tables.approved(table)} as select * from read_parquet("
            f"'data/export/{tables.approved(table).replace('.', '/')}/*/*/*.parquet',"
            " hive_partitioning = true, hive_types = {'approval': 'INTEGER'})"
        )
    answered_by_both, in_the_warehouse_only = 0, []
    with duckdb.connect("data/warehouse.duckdb", read_only=True) as warehouse:
        for query in queries:
            answer = warehouse.sql(query).pl()
            assert answer.height > 0, query
            try:
                from_files = files.sql(query).pl()
            except duckdb.CatalogException:
                in_the_warehouse_only.append(query)
                continue
            try:
                # Sums over rows read in another order may differ in the last bits.
                expected, got = answer.sort(pl.all()), from_files.select(answer.columns).sort(pl.all())
                assert_frame_equal(got, expected, check_exact=False, rel_tol=1e-12)
            except AssertionError as different:
                raise AssertionError(f"the files answer otherwise: {query}") from different
            answered_by_both += 1
    assert answered_by_both >= 3
    assert all(re.search(rf"from ({'|'.join(tables.ANALYST_VIEWS)})\b", query) for query in in_the_warehouse_only)


def test_the_dagster_ui_shows_both_months_materialized_and_their_checks_passed(
    two_months: Deployment, tmp_path: Path
) -> None:
    browser.chromium()
    with _dagster_ui(two_months, tmp_path / "webserver.log") as ui:
        # The months start where the extracts start, and end with the current month (later than NEXT_MONTH
        # once the calendar has moved on).
        months = len(monthly_partitions(DEFAULT_CONFIG, Path(two_months.storage.extracts_dir)).get_partition_keys())
        catalog = browser.visible_text(f"{ui}/assets?view=flat", script_ms=20000)
        assets = defs.resolve_asset_graph().get_all_asset_keys()
        assert catalog.count(f"{months} partitions") == len(assets), catalog
        shot = tmp_path / "partitions.png"
        partitions = browser.visible_text(
            f"{ui}/assets/{tables.CONSOLIDATED_PLAN}?view=partitions", 20000, shot, size="1400,1000"
        )
        assert "Materialized (2)" in partitions and "Failed (0)" in partitions
        assert f"Missing ({months - 2})" in partitions
        assert MONTH in partitions and NEXT_MONTH in partitions
        checks = browser.visible_text(f"{ui}/assets/{tables.CONSOLIDATED_PLAN}?view=checks", script_ms=20000)
        for audit in audits():
            if audit.table == tables.CONSOLIDATED_PLAN:
                assert f"{audit.name} {audit.name} Succeeded" in checks, checks
    image = Image.open(shot).convert("L")
    assert ImageStat.Stat(image).stddev[0] > 20  # drawn: text, columns, badges, not a blank page


@contextlib.contextmanager
def _dagster_ui(deployment: Deployment, log: Path) -> Iterator[str]:
    """`dagster-webserver` on the deployment's instance and paths, as an operator starts the UI: its address."""
    storage = deployment.storage
    env = os.environ | {
        "DAGSTER_HOME": str(deployment.root / "dagster_home"),
        "SOP_EXTRACTS_DIR": storage.extracts_dir,
        "SOP_WAREHOUSE": storage.warehouse,
        "SOP_EXPORT_DIR": storage.export_dir,
    }
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    command = [sys.executable, "-m", "dagster_webserver", "-m", "pipelines", "-h", "127.0.0.1", "-p", str(port)]
    server = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while not _answers(url):
            if time.monotonic() > deadline or server.poll() is not None:
                pytest.fail(f"the Dagster UI did not start: {log.read_text()[-3000:]}")
            time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/server_info", timeout=5):
            return True
    except OSError:
        return False
