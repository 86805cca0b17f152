"""The command line of the sample generator (`python -m sop.sample_data`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from sop.sample_data.company import SampleSpec
from sop.sample_data.extracts import write_sample_extracts


def main(argv: list[str] | None = None) -> None:
    defaults = SampleSpec()
    parser = argparse.ArgumentParser(
        prog="python -m sop.sample_data", description="Write generated sample S&OP extracts for one plan month."
    )
    parser.add_argument("--month", required=True, help="plan month, YYYY-MM")
    parser.add_argument("--out", required=True, type=Path, help="extracts root, e.g. data/extracts")
    parser.add_argument("--skus", type=int, default=defaults.n_skus, help="how many skus (default: %(default)s)")
    parser.add_argument(
        "--regions",
        type=int,
        default=defaults.n_regions,
        help="regions each sku sells in (default: %(default)s)",
    )
    parser.add_argument(
        "--years",
        type=int,
        default=defaults.history_years,
        help="years of sales history (default: %(default)s)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=defaults.seed,
        help="the same seed writes the same files (default: %(default)s)",
    )
    parser.add_argument(
        "--anchor",
        help="month the launch and discontinuation are placed from (default: the plan month);"
        " fix it to generate consistent consecutive months",
    )
    parser.add_argument(
        "--format",
        choices=["csv", "parquet"],
        default=defaults.file_format,
        help="the extracts' file format (default: %(default)s)",
    )
    parser.add_argument(
        "--no-demand-review",
        dest="demand_review",
        action="store_false",
        help="the company without the demand review's stories (promotion, tender, lost customer) and adjustments",
    )
    args = parser.parse_args(argv)
    spec = SampleSpec(
        n_skus=args.skus,
        n_regions=args.regions,
        history_years=args.years,
        seed=args.seed,
        anchor_month=args.anchor,
        file_format=args.format,
        demand_review=args.demand_review,
    )
    try:
        print(write_sample_extracts(args.out, args.month, spec))
    except ValueError as error:
        parser.error(str(error))
