"""Times one full month through the real Dagster job on generated extracts, per stage.

    uv run python bench/monthly_run.py --skus 300 --regions 4

Prints the wall time of every step (from Dagster's step events), the rows written, and whether
a second run of the same month left identical rows and Parquet bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import tempfile
import time
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.definitions import defs
from pipelines.jobs import MONTHLY_JOB
from pipelines.resources import SopStorage
from sop.core.tables import EXPORTED
from sop.sample_data import SampleSpec, write_sample_extracts


def _fingerprint(storage: SopStorage) -> str:
    digest = hashlib.sha256()
    with duckdb.connect(storage.warehouse, read_only=True) as con:
        for table in EXPORTED:
            digest.update(str(con.sql(f"select * from {table} order by all").fetchall()).encode())
    for path in sorted(Path(storage.export_dir).rglob("*.parquet")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _step_seconds(instance: dg.DagsterInstance, run_id: str) -> dict[str, float]:
    return {stats.step_key: stats.end_time - stats.start_time for stats in instance.get_run_step_stats(run_id)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skus", type=int, default=300)
    parser.add_argument("--regions", type=int, default=4)
    parser.add_argument("--month", default="2026-11")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="sop-bench-"))
    spec = SampleSpec(n_skus=args.skus, n_regions=args.regions)
    began = time.perf_counter()
    write_sample_extracts(root / "extracts", args.month, spec)
    print(f"sample extracts ({args.skus} skus x {args.regions} regions): {time.perf_counter() - began:.2f} s")
    storage = SopStorage(
        extracts_dir=str(root / "extracts"), warehouse=str(root / "sop.duckdb"), export_dir=str(root / "export")
    )
    job = defs.resolve_job_def(MONTHLY_JOB)
    fingerprints = []
    instance = dg.DagsterInstance.ephemeral()
    for attempt in (1, 2):
        began = time.perf_counter()
        result = job.execute_in_process(
            partition_key=args.month,
            resources={"storage": storage},
            instance=instance,
            run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
        )
        wall = time.perf_counter() - began
        print(f"\nrun {attempt}: {wall:.1f} s end to end (in-process, one Python process)")
        for step, seconds in sorted(_step_seconds(instance, result.run_id).items(), key=lambda item: -item[1]):
            print(f"  {step:<36} {seconds:6.2f} s")
        fingerprints.append(_fingerprint(storage))
    with duckdb.connect(storage.warehouse, read_only=True) as con:
        for table in ("raw_sales", "sku_forecast", "consolidated_plan"):
            print(f"{table}: {con.execute(f'select count(*) from {table}').fetchall()[0][0]} rows")
    print(f"second run identical (rows and Parquet bytes): {fingerprints[0] == fingerprints[1]}")


if __name__ == "__main__":
    main()
