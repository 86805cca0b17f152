"""Landing extracts: as they arrived, with load metadata, replacing the month exactly."""

from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

from sop.core.warehouse import read_partition
from sop.intake.contract import CAPACITY, INVENTORY, SALES
from sop.intake.ingest import ExtractError, find_extract_file, land_extract

PLAN_MONTH = date(2026, 11, 1)
LOADED_AT = datetime(2026, 11, 3, 6, 0)
SALES_CSV = (
    "month,sku,product_family,region,units,net_revenue\n2026-10,S1,Tools,North,5,50\n2026-09-15,S1,Tools,North,abc,40\n"
)


def _write(root: Path, name: str, text: str) -> Path:
    folder = root / "2026-11"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_value_lands_as_text_with_its_row_number(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    _write(tmp_path, "sales.csv", SALES_CSV)
    landed = land_extract(con, SALES, tmp_path, PLAN_MONTH, LOADED_AT)
    raw = read_partition(con, "raw_sales", {"plan_month": PLAN_MONTH}).sort("_source_row")
    assert landed.row_count == 2
    assert raw["units"].to_list() == ["5", "abc"]
    assert raw["_source_row"].to_list() == [1, 2]
    assert raw["_source_sha256"].unique().to_list() == [landed.source_sha256]
    assert len(landed.source_sha256) == 64


def test_relanding_a_month_replaces_it_and_leaves_other_months(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    _write(tmp_path, "sales.csv", SALES_CSV)
    other = tmp_path / "2026-10"
    other.mkdir()
    (other / "sales.csv").write_text(SALES_CSV, encoding="utf-8")
    land_extract(con, SALES, tmp_path, date(2026, 10, 1), LOADED_AT)
    for _ in range(3):
        land_extract(con, SALES, tmp_path, PLAN_MONTH, LOADED_AT)
    counts = con.sql("select plan_month, count(*) as n from raw_sales group by all order by 1").fetchall()
    assert counts == [(date(2026, 10, 1), 2), (PLAN_MONTH, 2)]
    assert con.sql("select count(*) from raw_loads").fetchall() == [(2,)]


def test_missing_and_extra_columns_are_recorded(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    _write(
        tmp_path,
        "inventory.csv",
        "Snapshot_Month, SKU ,location,on_hand_units,unit_cost,comment\n2026-10,S1,DC-1,4,2.5,x\n",
    )
    landed = land_extract(con, INVENTORY, tmp_path, PLAN_MONTH, LOADED_AT)
    assert landed.missing_columns == ("safety_stock_units",)
    assert landed.extra_columns == ("comment",)
    raw = read_partition(con, "raw_inventory", {"plan_month": PLAN_MONTH})
    assert raw["sku"].to_list() == ["S1"]
    assert raw["safety_stock_units"].to_list() == [None]


def test_parquet_extracts_land_like_csv(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    folder = tmp_path / "2026-11"
    folder.mkdir()
    pl.DataFrame(
        {
            "month": [date(2026, 10, 1)],
            "sku": ["S1"],
            "product_family": ["Tools"],
            "region": ["North"],
            "units": [5],
            "net_revenue": [50.5],
        }
    ).write_parquet(folder / "sales.parquet")
    land_extract(con, SALES, tmp_path, PLAN_MONTH, LOADED_AT)
    raw = read_partition(con, "raw_sales", {"plan_month": PLAN_MONTH})
    assert raw.select("month", "units", "net_revenue").row(0) == ("2026-10-01", "5", "50.5")


def test_a_missing_extract_names_the_folder_and_the_expected_files(tmp_path: Path) -> None:
    with pytest.raises(
        ExtractError, match=r"2026-11: the capacity extract is missing \(expected capacity.csv or capacity.parquet\)"
    ):
        find_extract_file(tmp_path, PLAN_MONTH, CAPACITY)


def test_two_files_for_one_extract_are_refused(tmp_path: Path) -> None:
    _write(tmp_path, "sales.csv", SALES_CSV)
    _write(tmp_path, "sales.parquet", "")
    with pytest.raises(ExtractError, match="keep exactly one"):
        find_extract_file(tmp_path, PLAN_MONTH, SALES)


def test_an_extract_linked_from_outside_the_root_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.csv"
    outside.write_text(SALES_CSV, encoding="utf-8")
    root = tmp_path / "extracts"
    (root / "2026-11").mkdir(parents=True)
    (root / "2026-11" / "sales.csv").symlink_to(outside)
    with pytest.raises(ExtractError, match="outside the extracts root"):
        find_extract_file(root, PLAN_MONTH, SALES)


def test_an_unreadable_file_is_an_extract_error(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    _write(tmp_path, "sales.parquet", "this is not parquet")
    with pytest.raises(ExtractError, match=r"sales.parquet: cannot be read as parquet"):
        land_extract(con, SALES, tmp_path, PLAN_MONTH, LOADED_AT)


def test_an_empty_file_says_so(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    _write(tmp_path, "sales.csv", "")
    with pytest.raises(ExtractError, match=r"sales.csv: the file is empty \(0 bytes\)"):
        land_extract(con, SALES, tmp_path, PLAN_MONTH, LOADED_AT)


def test_a_file_separated_by_semicolons_is_named_as_such(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    _write(tmp_path, "sales.csv", SALES_CSV.replace(",", ";"))
    with pytest.raises(ExtractError, match="separated by semicolons; the contract wants commas"):
        land_extract(con, SALES, tmp_path, PLAN_MONTH, LOADED_AT)


def test_a_truncated_last_row_lands_with_its_missing_fields_empty(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    _write(tmp_path, "sales.csv", SALES_CSV[: SALES_CSV.rindex(",")] + "\n")
    land_extract(con, SALES, tmp_path, PLAN_MONTH, LOADED_AT)
    raw = read_partition(con, "raw_sales", {"plan_month": PLAN_MONTH}).sort("_source_row")
    assert raw["net_revenue"].to_list() == ["50", None]


def test_a_parquet_column_with_nested_values_is_refused(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    folder = tmp_path / "2026-11"
    folder.mkdir()
    pl.DataFrame({"month": ["2026-10"], "sku": [{"id": 1}]}).write_parquet(folder / "sales.parquet")
    with pytest.raises(ExtractError, match=r"column\(s\) sku \(STRUCT"):
        land_extract(con, SALES, tmp_path, PLAN_MONTH, LOADED_AT)
