"""The resource every stage uses: where the extracts, the warehouse and the export live."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from dagster._core.storage.tags import PARTITION_NAME_TAG

from sop.core import Paths, connect, ensure_tables, parse_month
from sop.decisions import refuse_if_approved


class SopStorage(dg.ConfigurableResource):
    """Paths of one deployment; `from_env()` reads SOP_EXTRACTS_DIR, SOP_WAREHOUSE, SOP_EXPORT_DIR
    and SOP_DATA_DOCS."""

    extracts_dir: str
    warehouse: str
    export_dir: str
    data_docs: bool = False
    """Also run the suites in Great Expectations and write its data docs (HTML) beside the export.
    Off by default: DuckDB answers the same rules in a fraction of the time and memory."""

    @classmethod
    def from_env(cls) -> SopStorage:
        paths = Paths.from_env()
        return cls(
            extracts_dir=str(paths.extracts_dir),
            warehouse=str(paths.warehouse),
            export_dir=str(paths.export_dir),
            data_docs=os.environ.get("SOP_DATA_DOCS", "") not in ("", "0", "false"),
        )

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        # Dagster makes a run's resources before its first step, whatever started it (the shell, the UI,
        # a schedule, a sensor, a backfill, execute_in_process): a run of an approved month stops here.
        month = context.run.tags.get(PARTITION_NAME_TAG) if context.run else None
        if month is not None:
            refuse_if_approved(self.paths.warehouse, self.paths.export_dir, parse_month(month))

    @property
    def paths(self) -> Paths:
        return Paths(Path(self.extracts_dir), Path(self.warehouse), Path(self.export_dir))

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        Path(self.warehouse).parent.mkdir(parents=True, exist_ok=True)
        con = connect(Path(self.warehouse))
        try:
            ensure_tables(con)
            yield con
        finally:
            con.close()
