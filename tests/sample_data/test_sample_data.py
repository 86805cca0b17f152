"""The generated sample extracts: contract shape, determinism, consistency and the planning situations."""

from dataclasses import replace
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from sop.core.config import DEFAULT_CONFIG
from sop.core.months import add_months, month_label, month_range
from sop.forecast.segments import REGULAR, segment_series, zero_filled
from sop.intake.contract import ADJUSTMENTS, CAPACITY, EXTRACTS, FINANCIALS, INVENTORY, SALES
from sop.sample_data import SampleSpec, main, write_sample_extracts

PLAN_MONTH = date(2026, 11, 1)
SPEC = SampleSpec(n_skus=80, n_regions=3, history_years=3, anchor_month="2026-11")


def _read(folder: Path, name: str) -> pl.DataFrame:
    """As ingestion sees a CSV: text months, numbers parsed."""
    return pl.read_csv(folder / f"{name}.csv", schema_overrides={"month": pl.Utf8, "snapshot_month": pl.Utf8})


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sample_extracts(tmp_path_factory.mktemp("extracts"), PLAN_MONTH, SPEC)


@pytest.fixture(scope="module")
def extracts(folder: Path) -> dict[str, pl.DataFrame]:
    return {name: _read(folder, name) for name in EXTRACTS}


def test_the_folder_holds_every_extract_with_exactly_the_contract_columns(
    folder: Path, extracts: dict[str, pl.DataFrame]
) -> None:
    assert folder.name == "2026-11"
    assert sorted(path.name for path in folder.iterdir()) == sorted(f"{name}.csv" for name in EXTRACTS)
    for name, spec in EXTRACTS.items():
        assert tuple(extracts[name].columns) == spec.column_names, name
        assert extracts[name].height > 0, name


def test_keys_are_unique_and_values_within_the_rules(extracts: dict[str, pl.DataFrame]) -> None:
    for name, spec in EXTRACTS.items():
        frame = extracts[name]
        assert frame.select(spec.key).is_duplicated().sum() == 0, name
        assert frame.equals(frame.sort(spec.key)), f"{name} is sorted by its key"
        numbers = [column.name for column in spec.columns if column.kind == "number"]
        if numbers and spec is not ADJUSTMENTS:  # a change to the forecast may be negative
            assert frame.select(pl.min_horizontal(numbers).min()).item() >= 0, name
        texts = [column.name for column in spec.columns if column.kind == "text" and column.required]
        assert frame.select(pl.any_horizontal(pl.col(texts).is_null() | (pl.col(texts) == ""))).sum().item() == 0
    sales = extracts["sales"]
    assert (sales["units"] > 0).all(), "zero months are omitted"
    assert sales["units"].dtype == pl.Int64


def test_months_follow_the_contract(extracts: dict[str, pl.DataFrame]) -> None:
    history = [month_label(month) for month in month_range(add_months(PLAN_MONTH, -36), 36)]
    assert sorted(extracts["sales"]["month"].unique()) == history
    assert extracts["inventory"]["snapshot_month"].unique().to_list() == ["2026-10"]
    horizon = [month_label(month) for month in month_range(PLAN_MONTH, SPEC.capacity_months)]
    assert sorted(extracts["capacity"]["month"].unique()) == horizon
    budget_months = [month_label(month) for month in month_range(date(2026, 1, 1), 10 + SPEC.capacity_months)]
    assert sorted(extracts["financials"]["month"].unique()) == budget_months


def test_each_sku_has_one_family_and_every_other_extract_refers_to_known_skus_and_families(
    extracts: dict[str, pl.DataFrame],
) -> None:
    sales = extracts["sales"]
    assert sales.group_by("sku").agg(pl.col("product_family").n_unique())["product_family"].max() == 1
    families = set(sales["product_family"])
    assert len(families) == SPEC.n_families
    assert set(extracts["inventory"]["sku"]) == set(sales["sku"])
    assert set(extracts["capacity"]["product_family"]) == families
    assert set(extracts["financials"]["product_family"]) == families
    per_sku = extracts["inventory"].group_by("sku").len()["len"]
    assert (per_sku == SPEC.n_locations).all()


def test_the_same_arguments_write_identical_bytes(tmp_path: Path) -> None:
    first = write_sample_extracts(tmp_path / "a", "2026-11", SPEC)
    second = write_sample_extracts(tmp_path / "b", "2026-11", SPEC)
    for path in first.iterdir():
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name


def test_consecutive_plan_months_share_their_history_and_budget(tmp_path: Path, folder: Path) -> None:
    december = write_sample_extracts(tmp_path, "2026-12", SPEC)
    for name, month_column in (("sales", "month"), ("financials", "month")):
        before, after = _read(folder, name), _read(december, name)
        common = set(before[month_column]) & set(after[month_column])
        assert len(common) >= 12, name
        assert before.filter(pl.col(month_column).is_in(common)).equals(
            after.filter(pl.col(month_column).is_in(common))
        ), name
    assert "2026-11" in set(_read(december, "sales")["month"])


def test_a_launched_and_a_discontinued_sku_are_there(extracts: dict[str, pl.DataFrame]) -> None:
    by_sku = extracts["sales"].group_by("sku").agg(first=pl.col("month").min(), last=pl.col("month").max())
    launched = by_sku.filter(pl.col("first").is_between(pl.lit("2026-06"), pl.lit("2026-08")))
    assert launched.height >= 1
    assert (launched["last"] == "2026-10").all()
    discontinued = by_sku.filter((pl.col("first") < "2025-01") & (pl.col("last") <= "2026-02"))
    assert discontinued.height >= 1
    stock = extracts["inventory"].filter(pl.col("sku").is_in(discontinued["sku"].to_list()))
    assert stock["on_hand_units"].sum() > 0, "a discontinued sku keeps stock"


def _family_totals(frame: pl.DataFrame, value: str) -> pl.DataFrame:
    return frame.group_by("product_family", "month").agg(pl.col(value).sum())


@pytest.fixture(scope="module")
def capacity_versus_demand(extracts: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Capacity of the first horizon year per family and month, next to two demand proxies:
    the same month's sales a year earlier, and the last year's average monthly sales."""
    last_year = month_range(add_months(PLAN_MONTH, -12), 12)
    a_year_later = {month_label(month): month_label(add_months(month, 12)) for month in last_year}
    demand = (
        _family_totals(extracts["sales"], "units")
        .filter(pl.col("month").is_in(list(a_year_later)))
        .with_columns(
            pl.col("month").replace_strict(a_year_later), average=pl.col("units").mean().over("product_family")
        )
    )
    return _family_totals(extracts["capacity"], "capacity_units").join(demand, on=["product_family", "month"])


def test_one_family_is_short_of_capacity_in_its_peak_season_only(capacity_versus_demand: pl.DataFrame) -> None:
    over = capacity_versus_demand.group_by("product_family").agg(
        months=pl.len(), over=(pl.col("units") > pl.col("capacity_units")).sum()
    )
    assert over["months"].to_list() == [12] * SPEC.n_families
    assert over.filter(pl.col("over").is_between(2, 8)).height >= 1
    assert over.filter(pl.col("over") == 0).height >= 2, "most families are comfortable"


def test_one_family_is_short_of_capacity_in_every_month(capacity_versus_demand: pl.DataFrame) -> None:
    short = capacity_versus_demand.group_by("product_family").agg(
        (pl.col("average") > pl.col("capacity_units")).all().alias("always")
    )
    assert short["always"].sum() == 1


def test_one_family_budget_is_far_above_its_demand(extracts: dict[str, pl.DataFrame]) -> None:
    sold = _family_totals(extracts["sales"], "units")
    budget = _family_totals(extracts["financials"], "budget_units")
    ratio = (
        budget.join(sold, on=["product_family", "month"])
        .group_by("product_family")
        .agg(ratio=pl.col("budget_units").sum() / pl.col("units").sum())
    )
    assert ratio.filter(pl.col("ratio") > 1.12)["product_family"].to_list() == ["Hand Tools"]
    assert ratio.filter(pl.col("ratio").is_between(0.95, 1.12)).height == SPEC.n_families - 1


def test_parquet_extracts_carry_months_as_dates_and_replace_csv_files(tmp_path: Path) -> None:
    (tmp_path / "2026-11").mkdir()
    (tmp_path / "2026-11" / "sales.csv").write_text("stale\n", encoding="utf-8")
    folder = write_sample_extracts(tmp_path, "2026-11", SampleSpec(n_skus=20, n_regions=2, file_format="parquet"))
    assert sorted(path.name for path in folder.iterdir()) == sorted(f"{name}.parquet" for name in EXTRACTS)
    with duckdb.connect() as con:
        for spec in (SALES, INVENTORY, CAPACITY, FINANCIALS):
            path = str(folder / f"{spec.name}.parquet")
            schema = con.execute("select column_name, column_type from (describe from read_parquet(?))", [path])
            types = dict(schema.fetchall())
            assert tuple(types) == spec.column_names
            months = [column.name for column in spec.columns if column.kind == "month"]
            assert [types[month] for month in months] == ["DATE"]
        last = con.execute("select max(month) from read_parquet(?)", [str(folder / "sales.parquet")]).fetchall()
    assert last == [(date(2026, 10, 1),)]


def test_the_command_line_writes_a_month_and_prints_its_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["--month", "2026-11", "--out", str(tmp_path), "--skus", "20", "--regions", "2", "--years", "1"])
    folder = tmp_path / "2026-11"
    assert capsys.readouterr().out.strip() == str(folder)
    assert _read(folder, "sales")["month"].n_unique() == 12
    assert (folder / "adjustments.csv").is_file()


def test_the_command_line_writes_the_company_without_its_demand_review_on_request(tmp_path: Path) -> None:
    arguments = ["--month", "2026-11", "--skus", "20", "--regions", "2", "--years", "1"]
    main([*arguments, "--out", str(tmp_path / "with")])
    main([*arguments, "--out", str(tmp_path / "without"), "--no-demand-review"])
    assert not (tmp_path / "without" / "2026-11" / "adjustments.csv").exists()
    # The review's events move what sells: without them, the sales differ.
    with_review = (tmp_path / "with" / "2026-11" / "sales.csv").read_bytes()
    assert (tmp_path / "without" / "2026-11" / "sales.csv").read_bytes() != with_review


@pytest.mark.parametrize("spec", [SampleSpec(n_families=9), SampleSpec(n_families=2), SampleSpec(n_regions=9)])
def test_sizes_the_built_in_names_and_roles_cannot_serve_are_refused(tmp_path: Path, spec: SampleSpec) -> None:
    with pytest.raises(ValueError, match="SampleSpec"):
        write_sample_extracts(tmp_path, "2026-11", spec)


def test_an_all_regular_company_has_only_regular_series_and_the_same_families(tmp_path: Path, folder: Path) -> None:
    regular = write_sample_extracts(tmp_path, PLAN_MONTH, replace(SPEC, all_regular=True))
    sales = _read(regular, "sales").with_columns(pl.col("month").str.to_date("%Y-%m"), pl.col("units").cast(pl.Float64))
    segments = segment_series(zero_filled(sales, PLAN_MONTH), DEFAULT_CONFIG.forecast)
    assert segments.height == SPEC.n_skus * SPEC.n_regions  # every sku sells in every region
    assert set(segments["segment"]) == {REGULAR}
    # The same skus in the same families: the company's, with every one of them selling.
    families = _read(regular, "sales").select("sku", "product_family").unique()
    assert families.height == SPEC.n_skus
    company = _read(folder, "sales").select("sku", "product_family").unique()
    assert company.join(families, on=["sku", "product_family"], how="anti").is_empty()
