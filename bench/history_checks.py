"""The checks against history on clean extracts: how close each comes to firing, and what it costs.

    uv run python bench/history_checks.py                       # the sample company (300 skus x 4 regions), 6 months
    uv run python bench/history_checks.py --skus 12500 --months 3   # a company of 50,000 series

Generates consecutive plan months of the sample company (one anchor: one company, as a backfill sees
it), lands, validates and stages each through the functions the job calls, then runs every check of
every extract on each month after the first. Per check it prints the findings, how many families,
regions, plants or years it judged, the worst value of what its rule judges against the threshold
(the headroom a clean company leaves), and the seconds it took in all. The defaults of `[checks]` were
chosen from these figures: each fires only well beyond the worst a clean company reaches.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from sop.core import add_months, connect, ensure_tables, month_label
from sop.core.config import ChecksConfig
from sop.intake import EXTRACTS, land_extract, stage_extract, validate_extract
from sop.intake.history import check_history, check_parameters, checks_of, evidence_table, judged_measure
from sop.sample_data import SampleSpec, write_sample_extracts

LAST_PLAN_MONTH = date(2026, 11, 1)
EXTRACTS_CHECKED = ("sales", "inventory", "capacity", "financials")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skus", type=int, default=300)
    parser.add_argument("--regions", type=int, default=4)
    parser.add_argument("--months", type=int, default=6, help="consecutive plan months, the last 2026-11")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="sop-history-"))
    spec = SampleSpec(n_skus=args.skus, n_regions=args.regions, anchor_month=month_label(LAST_PLAN_MONTH))
    months = [add_months(LAST_PLAN_MONTH, offset - args.months + 1) for offset in range(args.months)]
    config = ChecksConfig()
    worst: dict[str, list[float]] = {}
    judged: dict[str, int] = {}
    findings: dict[str, int] = {}
    seconds = 0.0
    with connect(root / "sop.duckdb") as con:
        ensure_tables(con)
        for month in months:
            write_sample_extracts(root / "extracts", month, spec)
            for name in EXTRACTS_CHECKED:
                land_extract(con, EXTRACTS[name], root / "extracts", month, datetime.now(UTC))
                assert validate_extract(con, name, month).passed, (name, month)
                stage_extract(con, EXTRACTS[name], month)
            if month == months[0]:
                continue
            began = time.perf_counter()
            for name in EXTRACTS_CHECKED:
                for finding in check_history(con, name, month, config).findings:
                    findings[finding.check] = findings.get(finding.check, 0) + 1
            seconds += time.perf_counter() - began
            parameters = check_parameters(month, config)
            for name in EXTRACTS_CHECKED:
                for check in checks_of(name):
                    column, _ = judged_measure(check)
                    with evidence_table(con, check, parameters) as evidence:
                        values = con.execute(f"select {column} from {check} where {column} is not null").fetchall()
                    judged[check] = judged.get(check, 0) + evidence.row_count
                    worst.setdefault(check, []).extend(value for (value,) in values)
    checked = len(months) - 1
    print(
        f"{args.skus} skus x {args.regions} regions, plan months {month_label(months[1])} to {month_label(months[-1])}"
        f" ({checked} checked against the month before): every check of the four extracts in {seconds:.2f} s,"
        f" {seconds / checked:.2f} s a month"
    )
    print(f"{'check':<22}{'findings':>9}{'judged':>8}  {'worst':>12}  {'bound':>10}  judged value")
    for check in (check for name in EXTRACTS_CHECKED for check in checks_of(name)):
        column, bound = judged_measure(check)
        limit = getattr(config, bound["$PARAMETER"]) if isinstance(bound, dict) else bound
        values = worst.get(check, [])
        shown = f"{max(values):12.4g}" if values else f"{'none':>12}"
        print(f"{check:<22}{findings.get(check, 0):>9}{judged.get(check, 0):>8}  {shown}  {limit:>10.4g}  {column}")


if __name__ == "__main__":
    main()
