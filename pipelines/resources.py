"""The resource every stage uses: where the extracts, the warehouse and the export live."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

from sop.config import Paths
from sop.warehouse import connect


class SopStorage(dg.ConfigurableResource):
    """Paths of one deployment; `from_env()` reads SOP_EXTRACTS_DIR, SOP_WAREHOUSE, SOP_EXPORT_DIR."""

    extracts_dir: str
    warehouse: str
    export_dir: str

    @classmethod
    def from_env(cls) -> SopStorage:
        paths = Paths.from_env()
        return cls(
            extracts_dir=str(paths.extracts_dir),
            warehouse=str(paths.warehouse),
            export_dir=str(paths.export_dir),
        )

    @property
    def paths(self) -> Paths:
        return Paths(Path(self.extracts_dir), Path(self.warehouse), Path(self.export_dir))

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        Path(self.warehouse).parent.mkdir(parents=True, exist_ok=True)
        con = connect(Path(self.warehouse))
        try:
            yield con
        finally:
            con.close()
