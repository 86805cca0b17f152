"""A deployment of the pipeline in a folder of its own, on small generated extracts: what the
integration tests run months in."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
from dagster._core.instance.ref import InstanceRef

from pipelines.definitions import defs
from pipelines.jobs import MONTHLY_JOB
from pipelines.resources import SopStorage
from sop.core import PROJECT_ROOT
from sop.core.months import parse_month
from sop.core.tables import PUBLISHED
from sop.core.warehouse import read_partition
from sop.publish.parquet import partition_path
from sop.sample_data import SampleSpec, write_sample_extracts

SMALL = SampleSpec(n_skus=30, n_regions=2, anchor_month="2026-11")
MONTH = "2026-10"
NEXT_MONTH = "2026-11"


@dataclass
class Deployment:
    root: Path
    storage: SopStorage

    def run(self, month: str = MONTH, instance: dg.DagsterInstance | None = None) -> dg.ExecuteInProcessResult:
        """Runs the month's job in this process: in `instance` (a run history), else in an ephemeral one."""
        return defs.resolve_job_def(MONTHLY_JOB).execute_in_process(
            partition_key=month, resources={"storage": self.storage}, raise_on_error=False, instance=instance
        )

    def instance(self) -> dg.DagsterInstance:
        """The deployment's own Dagster instance (`dagster_home/`, with the project's `dagster.yaml`): a run
        history that `dagster-webserver` can show."""
        home = self.root / "dagster_home"
        if not home.is_dir():
            home.mkdir()
            shutil.copyfile(PROJECT_ROOT / "dagster.yaml", home / "dagster.yaml")
        return dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(home)))

    def extract(self, name: str, month: str = MONTH) -> Path:
        return self.root / "extracts" / month / f"{name}.csv"

    def table(self, name: str, month: str = MONTH) -> pl.DataFrame:
        with duckdb.connect(self.storage.warehouse, read_only=True) as con:
            return read_partition(con, name, {"plan_month": parse_month(month)}).sort(pl.all())

    def plan(self, month: str = MONTH) -> pl.DataFrame:
        """The base plan (scenarios are in the same table, `scenario` tells them apart)."""
        plan = self.table("consolidated_plan", month).filter(pl.col("scenario") == "base")
        return plan.sort("product_family", "month")

    def exported(self, table: str, month: str = MONTH) -> Path:
        return partition_path(self.storage.paths.export_dir, table, parse_month(month))

    def published(self, month: str = MONTH) -> dict[str, object]:
        """Every published table's rows for the month, and the bytes of every Parquet file exported for it."""
        with duckdb.connect(self.storage.warehouse, read_only=True) as con:
            tables = {
                table: read_partition(con, table, {"plan_month": parse_month(month)}).sort(pl.all()).rows()
                for table in PUBLISHED
            }
        files = {
            str(path.relative_to(self.root)): path.read_bytes()
            for path in sorted(self.root.glob(f"export/*/plan_month={month}-01/*.parquet"))
        }
        return {"tables": tables, "files": files}


def new_deployment(
    root: Path, data_docs: bool = False, spec: SampleSpec = SMALL, settings: Path | None = None
) -> Deployment:
    storage = SopStorage(
        extracts_dir=str(root / "extracts"),
        warehouse=str(root / "sop.duckdb"),
        export_dir=str(root / "export"),
        data_docs=data_docs,
        settings_file=str(settings or ""),
    )
    write_sample_extracts(root / "extracts", MONTH, spec)
    return Deployment(root, storage)


def published_deployment(root: Path) -> Deployment:
    """What `new_deployment(root)` and a run of MONTH leave: the first call in a test process runs the
    month, later ones copy that deployment (a run takes seconds, a copy milliseconds)."""
    return copy_deployment(_published_template(), root)


@cache
def _published_template() -> Deployment:
    template = new_deployment(Path(tempfile.mkdtemp(prefix="sop-published-")))
    with template.instance() as instance:
        assert template.run(instance=instance).success
    return template


def two_months_deployment(root: Path) -> tuple[Deployment, dg.ExecuteInProcessResult]:
    """MONTH and NEXT_MONTH published, both run in the deployment's own instance, and the second month's
    run (its events): the first call in a test process runs it, later ones copy it."""
    template, second_run = _two_months_template()
    return copy_deployment(template, root), second_run


@cache
def _two_months_template() -> tuple[Deployment, dg.ExecuteInProcessResult]:
    template = published_deployment(Path(tempfile.mkdtemp(prefix="sop-two-months-")))
    write_sample_extracts(template.root / "extracts", NEXT_MONTH, SMALL)
    with template.instance() as instance:
        second_run = template.run(NEXT_MONTH, instance)
    assert second_run.success
    return template, second_run


def copy_deployment(deployment: Deployment, root: Path) -> Deployment:
    """The same extracts, warehouse and export in another folder (which may exist, empty)."""
    shutil.copytree(deployment.root, root, dirs_exist_ok=True)
    storage = SopStorage(
        extracts_dir=str(root / "extracts"), warehouse=str(root / "sop.duckdb"), export_dir=str(root / "export")
    )
    return Deployment(root, storage)
