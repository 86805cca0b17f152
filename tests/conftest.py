"""Shared fixtures. Tests never reach the network: GX analytics are off, and the in-process
Dagster runs use ephemeral instances, which never send telemetry."""

import os

os.environ["GX_ANALYTICS_ENABLED"] = "false"
# Where the monthly partitions start depends on the extracts root (pipelines.partitions): the tests' own
# deployments name theirs, so the one of a developer's `data/` must not move the start of the months.
os.environ["SOP_EXTRACTS_DIR"] = os.path.join(os.path.dirname(__file__), "no-extracts")

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from sop.core.warehouse import ensure_tables
from tests.deployment import MONTH, NEXT_MONTH, Deployment, copy_deployment
from tests.operators import Operator, republishing_template

LONGEST_FIRST = ("test_crashes.py", "test_operations.py", "test_concurrency.py")
"""Modules of whole processes and many months: started first, the workers fill the time they take
with short tests, instead of one worker running them alone at the end."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.path.name not in LONGEST_FIRST)


@pytest.fixture
def bare_con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """An empty warehouse file."""
    connection = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    yield connection
    connection.close()


@pytest.fixture
def con(bare_con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A warehouse as every stage finds it: the published tables, their drafts and the validation
    results exist from their contracts, empty."""
    ensure_tables(bare_con)
    return bare_con


@pytest.fixture(scope="session")
def republishing(tmp_path_factory: pytest.TempPathFactory) -> Deployment:
    """MONTH published from its first extracts, a corrected sales extract waiting, the next month's extracts,
    and a Dagster instance with no run yet: what the tests of operators' commands start from."""
    return republishing_template(tmp_path_factory.mktemp("republishing"))


class Undisturbed(dict):
    """What each month of `republishing` publishes when nothing goes wrong (tables and Parquet bytes), run
    on first use: MONTH, then NEXT_MONTH, which compares its plan with MONTH's."""

    def __init__(self, deployment: Deployment) -> None:
        super().__init__()
        self.deployment = deployment

    def __missing__(self, month: str) -> dict[str, object]:
        if month == NEXT_MONTH:
            self[MONTH]
        assert self.deployment.run(month).success
        self[month] = self.deployment.published(month)
        return self[month]


@pytest.fixture(scope="session")
def undisturbed(republishing: Deployment, tmp_path_factory: pytest.TempPathFactory) -> Undisturbed:
    return Undisturbed(copy_deployment(republishing, tmp_path_factory.mktemp("undisturbed") / "deployment"))


@pytest.fixture
def operator(republishing: Deployment, tmp_path: Path) -> Operator:
    return Operator(copy_deployment(republishing, tmp_path / "deployment"))
