"""Shared fixtures. Tests never reach the network: GX analytics are off, and the in-process
Dagster runs use ephemeral instances, which never send telemetry."""

import os

os.environ["GX_ANALYTICS_ENABLED"] = "false"

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    yield connection
    connection.close()
