"""The Parquet export as a BI tool sees it."""

import os
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sop.publish.parquet import export_month, partition_path

NOVEMBER, DECEMBER = date(2026, 11, 1), date(2026, 12, 1)


@pytest.fixture
def con(bare_con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """The tables here are made up, with a few columns each: not the contracts' tables."""
    return bare_con


def _outputs(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("""
        create table consolidated_plan as
        select plan_month, 'Tools' as product_family, plan_month as month, 10.5::double as forecast_units,
               ['capacity_overload']::varchar[] as risk_flags, 'medium' as risk_level, 'base' as scenario
        from (values (date '2026-11-01'), (date '2026-12-01')) as months(plan_month)
    """)
    con.execute("""
        create table sku_forecast as
        select date '2026-11-01' as plan_month, 'S' || i as sku, 'North' as region, date '2026-11-01' as month,
               i::double as forecast_units, 'AutoTheta' as model
        from range(3) as r(i)
    """)
    con.execute("""
        create table family_forecast as
        select date '2026-11-01' as plan_month, 'Tools' as product_family, date '2026-11-01' as month,
               3.0::double as forecast_units, 1.0::double as forecast_lo_80, 5.0::double as forecast_hi_80
    """)
    con.execute("""
        create table forecast_backtest as
        select date '2026-11-01' as plan_month, 'regular' as segment, 'Combination' as method, 0.3::double as wape,
               'series' as level, null::varchar as product_family
    """)
    con.execute("""
        create table plan_changes as
        select date '2026-11-01' as plan_month, 'Tools' as product_family, date '2026-11-01' as month,
               1.0::double as change_plan_revenue
    """)
    con.execute("""
        create table financial_outlook as
        select date '2026-11-01' as plan_month, 2026 as year, 'total' as level, null::varchar as product_family,
               1.0::double as gap_revenue, 'base' as scenario
    """)
    con.execute("""
        create table risk_register as
        select date '2026-11-01' as plan_month, 'Tools' as product_family, 'unmet_demand' as kind,
               date '2026-12-01' as month, null::varchar as subject, 'Add capacity' as suggested_action,
               'base' as scenario
    """)
    con.execute("""
        create table forecast_value_added as
        select date '2026-11-01' as plan_month, 1 as lag, 'total' as level, null::varchar as product_family,
               'consensus' as step, 8 as step_order, 0.1::double as fva
    """)
    con.execute("""
        create table demand_plan as
        select date '2026-11-01' as plan_month, 'S1' as sku, 'North' as region, date '2026-11-01' as month,
               12.0::double as consensus_units
    """)
    con.execute("""
        create table demand_adjustments as
        select date '2026-11-01' as plan_month, date '2026-11-01' as month, 'Tools' as product_family,
               null::varchar as sku, null::varchar as region, 'sales' as source, 'pct' as kind, 0.1::double as value,
               'Ana Ruiz' as owner, 'promotion' as reason, 2.0::double as contribution_units
    """)
    con.execute("""
        create table action_log as
        select date '2026-11-01' as plan_month, 'A1' as action_id, 'open' as status, 1 as months_overdue
    """)
    for table in ("forecast_accuracy", "forecast_accuracy_summary"):
        con.execute(f"""
            create table {table} as
            select date '2026-11-01' as plan_month, 1 as lag, 'total' as level, null::varchar as product_family,
                   null::varchar as sku, null::varchar as region, date '2026-10-01' as month, 0.2::double as wape
        """)


def test_each_month_is_one_file_under_its_hive_partition(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    _outputs(con)
    written = export_month(con, tmp_path, NOVEMBER)
    assert {(file.table, file.rows) for file in written} == {
        ("consolidated_plan", 1),
        ("sku_forecast", 3),
        ("family_forecast", 1),
        ("forecast_backtest", 1),
        ("forecast_accuracy", 1),
        ("forecast_accuracy_summary", 1),
        ("plan_changes", 1),
        ("financial_outlook", 1),
        ("risk_register", 1),
        ("forecast_value_added", 1),
        ("demand_plan", 1),
        ("demand_adjustments", 1),
        ("action_log", 1),
    }
    assert (tmp_path / "consolidated_plan" / "plan_month=2026-11-01" / "data.parquet").is_file()
    assert sorted(path.name for path in (tmp_path / "consolidated_plan" / "plan_month=2026-11-01").iterdir()) == [
        "data.parquet"
    ]


def test_types_are_the_ones_bi_tools_read(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    _outputs(con)
    export_month(con, tmp_path, NOVEMBER)
    schema = pq.read_schema(partition_path(tmp_path, "consolidated_plan", NOVEMBER))
    assert "plan_month" not in schema.names  # it lives in the path
    assert schema.field("month").type == pa.date32()
    assert schema.field("forecast_units").type == pa.float64()
    assert pa.types.is_list(schema.field("risk_flags").type)


def test_exporting_a_month_leaves_other_months_and_gives_the_same_bytes(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    _outputs(con)
    export_month(con, tmp_path, DECEMBER)
    december = partition_path(tmp_path, "consolidated_plan", DECEMBER).read_bytes()
    export_month(con, tmp_path, NOVEMBER)
    november = partition_path(tmp_path, "consolidated_plan", NOVEMBER).read_bytes()
    export_month(con, tmp_path, NOVEMBER)
    assert partition_path(tmp_path, "consolidated_plan", NOVEMBER).read_bytes() == november
    assert partition_path(tmp_path, "consolidated_plan", DECEMBER).read_bytes() == december
    rows = duckdb.sql(
        f"select plan_month, count(*) from read_parquet('{tmp_path}/consolidated_plan/*/*.parquet',"
        " hive_partitioning = true)"
        " group by all order by 1"
    ).fetchall()
    assert rows == [(NOVEMBER, 1), (DECEMBER, 1)]  # a DATE, from the folder's name


def test_an_export_of_the_month_folders_before_iso_dates_is_renamed_on_the_next_export(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    _outputs(con)
    export_month(con, tmp_path, DECEMBER)
    export_month(con, tmp_path, NOVEMBER)
    plan = tmp_path / "consolidated_plan"
    os.replace(plan / "plan_month=2026-12-01", plan / "plan_month=2026-12")  # as the version before wrote it
    shutil.copytree(plan / "plan_month=2026-11-01", plan / "plan_month=2026-11")  # and a month re-run since
    approved = tmp_path / "approved" / "consolidated_plan"
    for folder in ("plan_month=2026-11/approval=1", "plan_month=2026-11-01/approval=2"):  # approved before, since
        (approved / folder).mkdir(parents=True)
        shutil.copyfile(plan / "plan_month=2026-11-01" / "data.parquet", approved / folder / "data.parquet")
    pack = tmp_path / "sop_pack" / "plan_month=2026-10"
    pack.mkdir(parents=True)
    (pack / "sop_pack.html").write_text("<html></html>")
    export_month(con, tmp_path, NOVEMBER)
    assert sorted(path.name for path in plan.iterdir()) == ["plan_month=2026-11-01", "plan_month=2026-12-01"]
    assert (tmp_path / "sop_pack" / "plan_month=2026-10-01" / "sop_pack.html").is_file()
    assert sorted(path.name for path in (approved / "plan_month=2026-11-01").iterdir()) == ["approval=1", "approval=2"]
    assert not any(tmp_path.glob("*/plan_month=????-??")) and not any(approved.glob("plan_month=????-??"))
