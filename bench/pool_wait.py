"""What a run costs while it waits for the warehouse pool, and how fast it stops on SIGTERM.

    uv run python bench/pool_wait.py

Another run of the instance holds the `sop_warehouse` slot (a live process); `dagster asset
materialize` is started on small generated extracts and left waiting. Prints the waiting process's
CPU use, how often it said who holds the pool, and the seconds from SIGTERM to its exit.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import dagster as dg
import psutil
from dagster._core.events import DagsterEvent
from dagster._core.instance.ref import InstanceRef

from pipelines.partitions import WAREHOUSE_POOL
from sop.sample_data import SampleSpec, write_sample_extracts

PROJECT = Path(__file__).resolve().parent.parent
MONTH = "2026-10"


def _hold_the_pool(home: Path, holder: subprocess.Popen) -> None:
    with dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(home))) as instance:
        run = instance.add_run(dg.DagsterRun(job_name="monthly_sop_plan", tags={"dagster/partition": "2026-09"}))
        start = DagsterEvent(dg.DagsterEventType.RUN_START.value, run.job_name, message="held", pid=holder.pid)
        instance.report_dagster_event(start, run.run_id)
        instance.event_log_storage.initialize_concurrency_limit_to_default(WAREHOUSE_POOL)
        instance.event_log_storage.claim_concurrency_slot(WAREHOUSE_POOL, run.run_id, "hold")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wait", type=float, default=60.0, help="seconds to let the run wait (default: 60)")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="sop-pool-wait-"))
    home = root / "dagster_home"
    home.mkdir()
    shutil.copy(PROJECT / "dagster.yaml", home)
    write_sample_extracts(root / "extracts", MONTH, SampleSpec(n_skus=30, n_regions=2, anchor_month="2026-11"))
    holder = subprocess.Popen(["sleep", "3600"])
    _hold_the_pool(home, holder)
    env = os.environ | {
        "DAGSTER_HOME": str(home),
        "SOP_EXTRACTS_DIR": str(root / "extracts"),
        "SOP_WAREHOUSE": str(root / "sop.duckdb"),
        "SOP_EXPORT_DIR": str(root / "export"),
    }
    command = ["-m", "dagster", "asset", "materialize", "-m", "pipelines", "--select", "*", "--partition", MONTH]
    log = root / "run.log"
    with log.open("w") as out:
        waiting = subprocess.Popen([sys.executable, *command], cwd=PROJECT, env=env, stdout=out, stderr=out)
    try:
        while "waits for pool" not in log.read_text():
            time.sleep(0.2)
        process = psutil.Process(waiting.pid)
        cpu_before, started = sum(process.cpu_times()[:2]), time.monotonic()
        time.sleep(args.wait)
        cpu = (sum(process.cpu_times()[:2]) - cpu_before) / (time.monotonic() - started)
        asked = time.monotonic()
        waiting.send_signal(signal.SIGTERM)
        code = waiting.wait(timeout=60)
        stopped = time.monotonic() - asked
    finally:
        holder.kill()
        waiting.kill()
    said = log.read_text().count("waits for pool")
    print(f"waiting for {args.wait:.0f} s: CPU {cpu:.1%} of a core; said who holds the pool {said} time(s)")
    print(f"SIGTERM: exited with code {code} after {stopped:.1f} s")
    shutil.rmtree(root)


if __name__ == "__main__":
    main()
