"""The resource every stage uses: where the extracts, the warehouse and the export live, and the
planners' settings."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from dagster._core.storage.tags import PARTITION_NAME_TAG
from pydantic import PrivateAttr

from pipelines.month_hold import hold_month
from sop.core import Config, Paths, connect, ensure_tables, parse_month
from sop.core.settings import Settings, read_settings, settings_path
from sop.decisions import refuse_if_approved, settle_plan_of_record
from sop.publish.month_lock import MonthLock


class SopStorage(dg.ConfigurableResource):
    """Paths of one deployment; `from_env()` reads SOP_EXTRACTS_DIR, SOP_WAREHOUSE, SOP_EXPORT_DIR,
    SOP_DATA_DOCS and SOP_CONFIG (or finds `sop.toml` in the folder it starts from)."""

    extracts_dir: str
    warehouse: str
    export_dir: str
    data_docs: bool = False
    """Also run the suites in Great Expectations and write its data docs (HTML) beside the export.
    Off by default: DuckDB answers the same rules in a fraction of the time and memory."""
    settings_file: str = ""
    """The planners' settings (`sop.toml`, `sop.core.settings`); empty: the defaults."""
    _settings: Settings | None = PrivateAttr(default=None)
    _month: MonthLock | None = PrivateAttr(default=None)

    @classmethod
    def from_env(cls, settings_file: str | None = None) -> SopStorage:
        paths = Paths.from_env()
        found = settings_path(settings_file)
        return cls(
            extracts_dir=str(paths.extracts_dir),
            warehouse=str(paths.warehouse),
            export_dir=str(paths.export_dir),
            data_docs=os.environ.get("SOP_DATA_DOCS", "") not in ("", "0", "false"),
            settings_file=str(found) if found else "",
        )

    @property
    def settings(self) -> Config:
        """The settings in force, read once: every step of a run plans with the same ones."""
        return self.settings_read.config

    @property
    def settings_read(self) -> Settings:
        """The settings in force with the file they come from, as the month keeps them."""
        if self._settings is None:
            self._settings = read_settings(Path(self.settings_file) if self.settings_file else None)
        return self._settings

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        # Dagster makes a run's resources before its first step, whatever started it (the shell, the UI,
        # a schedule, a sensor, a backfill, execute_in_process): a bad settings file stops here, a run of
        # a month another run is planning waits here, and a run of an approved month stops here.
        self.settings  # noqa: B018 - read and checked now, before anything is written
        month = context.run.tags.get(PARTITION_NAME_TAG) if context.run else None
        if month is None:
            return
        plan_month = parse_month(month)
        self._month = hold_month(context, self.paths.warehouse, plan_month)
        try:
            settle_plan_of_record(self.paths, plan_month)
            refuse_if_approved(self.paths.warehouse, self.paths.export_dir, plan_month)
        except BaseException:
            self._release_month()
            raise

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        self._release_month()

    def _release_month(self) -> None:
        if self._month is not None:
            self._month.release()
            self._month = None

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
