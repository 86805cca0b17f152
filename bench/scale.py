"""One full month at three sizes, through the real Dagster job: time, throughput and memory.

    uv run --group bench python bench/scale.py              # S, M and L (about 500, 5,000 and 50,000 series)
    uv run --group bench python bench/scale.py --sizes S M  # some of them
    uv run --group bench python bench/scale.py --regular    # every series regular: the forecast's worst case

For each size it generates extracts with 48 months of history (the sample generator: its company's mix
of regular, intermittent, new and discontinued series, or with `--regular` every series regular, each
fitting the whole model pool at every rolling origin), lands and stages the month before (so that the
checks against last month's extracts compare two), runs the month in a fresh process, and prints per
stage (Dagster step) its wall time, the rows it wrote and their rate, and the peak memory of the run while
it ran (its process and the forecast's workers, sampled every second); the seconds of the checks against
history (part of the staging steps); then the forecast's series per second and two ratios measured in the
same run:
- ingestion plus validation against a bare DuckDB load of the same four files;
- the forecasting stage against plain statsforecast AutoETS on the same series (AutoETS runs on a
  sample of up to 1,000 series on all cores; the ratio compares series per second).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sop.sample_data import SampleSpec

SIZES = {"S": 125, "M": 1_250, "L": 12_500}
"""Skus per size; with 4 regions, about 500, 5,000 and 50,000 sku x region series."""
REGIONS = 4
AUTOETS_SAMPLE = 1_000
PLAN_MONTH = date(2026, 11, 1)
SAMPLE_SECONDS = 1.0


def _run_month(root: Path) -> dict:
    """Runs the month in this process (called in a fresh one) and reports what it measured."""
    import dagster as dg

    from pipelines.definitions import defs
    from pipelines.jobs import MONTHLY_JOB
    from pipelines.resources import SopStorage

    storage = SopStorage(
        extracts_dir=str(root / "extracts"), warehouse=str(root / "sop.duckdb"), export_dir=str(root / "export")
    )
    instance = dg.DagsterInstance.ephemeral()
    began = time.perf_counter()
    result = defs.resolve_job_def(MONTHLY_JOB).execute_in_process(
        partition_key=PLAN_MONTH.strftime("%Y-%m"),
        resources={"storage": storage},
        instance=instance,
        run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
    )
    wall = time.perf_counter() - began
    rows: dict[str, int] = {}
    for event in result.get_asset_materialization_events():
        count = event.materialization.metadata.get("dagster/row_count")
        if count is not None:
            rows[event.step_key] = rows.get(event.step_key, 0) + int(count.value)
    steps = {
        stats.step_key: {"start": stats.start_time, "end": stats.end_time, "rows": rows.get(stats.step_key)}
        for stats in instance.get_run_step_stats(result.run_id)
    }
    checks = {
        evaluation.check_name: evaluation.metadata["seconds"].value
        for evaluation in result.get_asset_check_evaluations()
        if evaluation.check_name.endswith("_history")
    }
    return {"success": result.success, "wall": wall, "steps": steps, "history_checks": checks}


def _run_and_watch(root: Path) -> dict:
    """Runs the month in a fresh process; samples the memory of it and its workers meanwhile
    (`memory.tree_pss`)."""
    import psutil
    from memory import tree_pss  # bench/, the script's folder

    with subprocess.Popen([sys.executable, __file__, "--run", str(root)], stdout=subprocess.PIPE, text=True) as process:
        watched = psutil.Process(process.pid)
        samples: list[tuple[float, int]] = []
        while process.poll() is None:
            samples.append((time.time(), tree_pss(watched)))
            time.sleep(SAMPLE_SECONDS)
        output = process.stdout.read() if process.stdout else ""
    if process.returncode:
        raise SystemExit(f"the {root} run failed with exit code {process.returncode}")
    run = json.loads(output.splitlines()[-1])
    for step in run["steps"].values():
        # A step shorter than the sampling interval takes the sample taken nearest its end.
        during = [total for at, total in samples if step["start"] <= at <= step["end"]]
        nearest = min(samples, key=lambda sample: abs(sample[0] - step["end"]), default=(0.0, 0))[1]
        step["peak_mib"] = max(during or [nearest]) / 2**20
    return {**run, "peak_mib": max((total for _, total in samples), default=0) / 2**20}


def _bare_load(root: Path) -> float:
    """Seconds for DuckDB alone to load the four files as text, as the pipeline lands them."""
    import duckdb

    began = time.perf_counter()
    with duckdb.connect(str(root / "bare.duckdb")) as con:
        for path in sorted((root / "extracts" / "2026-11").glob("*.csv")):
            con.execute(
                f"create table {path.stem} as select * from read_csv($path, header = true, all_varchar = true)",
                {"path": str(path)},
            )
    return time.perf_counter() - began


def _autoets_rate(root: Path) -> float:
    """Series per second of plain statsforecast AutoETS on a sample of the month's series."""
    import polars as pl
    from statsforecast import StatsForecast
    from statsforecast.models import AutoETS

    from sop.forecast.segments import zero_filled

    sales = pl.read_csv(root / "extracts" / "2026-11" / "sales.csv").with_columns(
        pl.col("month").str.to_date("%Y-%m"), pl.col("units").cast(pl.Float64)
    )
    series = zero_filled(sales, PLAN_MONTH)
    # Series long enough for a seasonal model, as the pipeline's pools get them.
    lengths = series.group_by("sku", "region").len().filter(pl.col("len") >= 24)
    keys = lengths.select("sku", "region").sort("sku", "region").head(AUTOETS_SAMPLE)
    frame = series.join(keys, on=["sku", "region"]).select(
        pl.concat_str("sku", "region", separator="|").alias("unique_id"),
        pl.col("month").alias("ds"),
        pl.col("units").alias("y"),
    )
    began = time.perf_counter()
    StatsForecast(models=[AutoETS(season_length=12)], freq="1mo", n_jobs=-1).forecast(df=frame, h=18)
    return keys.height / (time.perf_counter() - began)


def measure(size: str, all_regular: bool) -> None:
    from sop.core.months import month_label
    from sop.sample_data import SampleSpec, write_sample_extracts

    label = f"{size}, all regular" if all_regular else size
    root = Path(tempfile.mkdtemp(prefix=f"sop-scale-{size}-"))
    began = time.perf_counter()
    spec = SampleSpec(
        n_skus=SIZES[size], n_regions=REGIONS, all_regular=all_regular, anchor_month=month_label(PLAN_MONTH)
    )
    write_sample_extracts(root / "extracts", month_label(PLAN_MONTH), spec)
    generated = time.perf_counter() - began
    _stage_month_before(root, spec)
    run = _run_and_watch(root)
    bare = _bare_load(root)
    autoets = _autoets_rate(root)
    _report(label, root, generated, run, bare, autoets)


def _stage_month_before(root: Path, spec: SampleSpec) -> None:
    """The month before landed and staged as its run would have: what the checks against history compare with."""
    from sop.core import add_months, connect, ensure_tables, month_label
    from sop.intake import stage_month
    from sop.sample_data import write_sample_extracts

    month = add_months(PLAN_MONTH, -1)
    write_sample_extracts(root / "extracts", month_label(month), spec)
    with connect(root / "sop.duckdb") as con:
        ensure_tables(con)
        stage_month(con, root / "extracts", month)


def _report(label: str, root: Path, generated: float, run: dict, bare: float, autoets: float) -> None:
    import duckdb

    with duckdb.connect(str(root / "sop.duckdb"), read_only=True) as con:
        sales_rows = con.execute("select count(*) from raw_sales").fetchall()[0][0]
        series = con.execute("select count(distinct (sku, region)) from sku_forecast").fetchall()[0][0]
        segments = con.execute(
            "select segment, count(distinct (sku, region)) from sku_forecast group by all order by 2 desc"
        ).fetchall()
    steps = {step: {**stats, "seconds": stats["end"] - stats["start"]} for step, stats in run["steps"].items()}
    ingest = sum(stats["seconds"] for step, stats in steps.items() if step.startswith("raw_"))
    forecast = steps.get("baseline_forecast", {"seconds": 0.0})["seconds"]
    print(f"\n{label}: {series:,} series, {sales_rows:,} sales rows (extracts generated in {generated:.1f} s)")
    print("  series per segment: " + ", ".join(f"{segment} {count:,}" for segment, count in segments))
    print(f"  run: {run['wall']:.1f} s end to end, success {run['success']}, peak memory {run['peak_mib']:,.0f} MiB")
    print(f"  {'stage (step)':<28} {'seconds':>8} {'rows written':>13} {'rows/s':>11} {'peak MiB':>9}")
    for step, stats in sorted(steps.items(), key=lambda item: item[1]["start"]):
        written = stats["rows"]
        rate = f"{written / max(stats['seconds'], 1e-9):>11,.0f}" if written is not None else f"{'':>11}"
        shown = f"{written:>13,}" if written is not None else f"{'':>13}"
        print(f"  {step:<28} {stats['seconds']:>8.2f} {shown} {rate} {stats['peak_mib']:>9,.0f}")
    checks = run["history_checks"]
    print(
        f"  checks against last month's extracts and their own history: {sum(checks.values()):.2f} s ("
        + ", ".join(f"{check} {seconds:.2f}" for check, seconds in sorted(checks.items()))
        + ")"
    )
    print(f"  ingestion + validation: {ingest:.2f} s ({sales_rows / max(ingest, 1e-9):,.0f} sales rows/s)")
    print(f"  bare DuckDB load of the same files: {bare:.2f} s -> ratio {ingest / max(bare, 1e-9):.1f}x")
    rate = series / max(forecast, 1e-9)
    print(f"  forecast: {forecast:.1f} s ({rate:,.0f} series/s)")
    print(f"  plain AutoETS: {autoets:,.1f} series/s -> the pipeline is {rate / autoets:.1f}x its rate")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", choices=sorted(SIZES), default=list(SIZES))
    parser.add_argument("--regular", action="store_true", help="every series regular (no slow movers, launches)")
    parser.add_argument("--run", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        print(json.dumps(_run_month(Path(args.run))))
        return
    for size in args.sizes:
        measure(size, args.regular)


if __name__ == "__main__":
    main()
