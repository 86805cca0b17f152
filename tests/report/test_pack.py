"""The monthly S&OP pack as the meeting sees it: a self-contained page per plan month that leads with
decisions, answers the ten questions in order with charts, and names every family, in a browser too."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest
from PIL import Image, ImageStat

from sop.core import tables
from sop.core.config import DEFAULT_CONFIG
from sop.core.months import parse_month
from sop.plan.risk_kinds import FLAGS
from sop.report import read_report
from sop.report.formatting import count_of, shown_points, signed_points
from sop.report.markdown import sparkline
from sop.report.pack import pack_path, render_pack
from sop.report.questions import NOT_SOURCES
from tests import browser
from tests.deployment import (
    MONTH,
    NEXT_MONTH,
    Deployment,
    copy_deployment,
    two_months_deployment,
)

QUESTIONS = (
    "What has changed since last month?",
    "How are we executing against performance metrics?",
    "How are the product families performing?",
    "Are we on plan financially?",
    "Which risks, previously identified and new, must we consider?",
    "Which decisions must be made now, and later?",
    "Are we on track with new products?",
    "Do we have critical constraints?",
    "Does the long-term plan need revising?",
    "What are the follow-up actions?",
    "What if? The scenarios against the base plan",
)


# One worker (--dist loadgroup) runs the modules that read two published months: it makes them once (tests.deployment).
pytestmark = pytest.mark.xdist_group("two_months")

SECOND_RUN: dict[str, dg.ExecuteInProcessResult] = {}


@pytest.fixture(scope="module")
def two_months(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """A deployment with two consecutive plan months published, so the second has changes to show."""
    deployment, SECOND_RUN["result"] = two_months_deployment(tmp_path_factory.mktemp("pack"))
    yield deployment


def _pack(deployment: Deployment, month: str) -> str:
    return pack_path(deployment.storage.paths.export_dir, parse_month(month)).read_text(encoding="utf-8")


def _families(deployment: Deployment) -> list[str]:
    return deployment.plan(NEXT_MONTH)["product_family"].unique().sort().to_list()


def test_each_month_has_its_pack_beside_the_parquet_export(two_months: Deployment) -> None:
    export = two_months.storage.paths.export_dir
    for month in (MONTH, NEXT_MONTH):
        assert pack_path(export, parse_month(month)).parent.parent.parent == export
        assert pack_path(export, parse_month(month)).is_file()
        assert (export / "consolidated_plan" / f"plan_month={month}-01").is_dir()  # the month's Parquet, beside it
        assert f"plan month {month}" in _pack(two_months, month)


def test_the_pack_leads_with_decisions_and_the_numbers_then_the_ten_questions_then_the_scenarios(
    two_months: Deployment,
) -> None:
    page = _pack(two_months, NEXT_MONTH)
    headings = re.findall(r"<h2>(.*?)</h2>", page)
    assert headings[:2] == ["Decisions needed this month", "The numbers we track"]
    assert headings[2:-2] == [f"{number}. {question}" for number, question in enumerate(QUESTIONS, start=1)]
    assert headings[-2:] == ["Appendix: the long tables", "The settings this plan was made with"]


def test_the_second_month_explains_its_change_with_a_waterfall_of_drivers(two_months: Deployment) -> None:
    first, second = _pack(two_months, MONTH), _pack(two_months, NEXT_MONTH)
    assert "This is the first plan" in first
    change = second.split("<h2>1. ")[1].split("<h2>2. ")[0]
    assert re.search(r"plan revenue moves from EUR [\d,]+ to EUR [\d,]+ \([+-]?\d+\.\d%\)", change)
    assert change.count("<svg") == 1
    for driver in ("demand", "supply", "price", "net change"):
        assert f">{driver}</text>" in change  # an axis label of the waterfall
    # The bars stand on zero, so that a change's height is its size (the totals are in the headline).
    assert ">0</text>" in change


def test_the_pack_compares_every_configured_scenario_with_the_base_plan(two_months: Deployment) -> None:
    section = _pack(two_months, NEXT_MONTH).split("<h2>11. ")[1]
    assert section.count("<svg") == 1
    for scenario in DEFAULT_CONFIG.scenarios:
        assert re.search(rf"<td[^>]*>{scenario.name}</td>", section)
        assert scenario.description in section
        assert f"{scenario.name}: revenue " in section
    for measure in ("plan revenue (EUR)", "plan gross margin (EUR)", "unmet demand units", "high risks"):
        assert f"<th>{measure}</th>" in section
    # Risks counted as question 5 shows the register: one per episode.
    with duckdb.connect(two_months.storage.warehouse, read_only=True) as con:
        episodes = read_report(con, tables.RISK_EPISODES, parse_month(NEXT_MONTH))
    base = _answer_and_table(_pack(two_months, NEXT_MONTH), 11)[1][0]
    assert base["scenario"] == "base"
    assert int(base["risks"]) == episodes.height
    assert int(base["high risks"]) == episodes.filter(pl.col("severity") == "high").height


def test_the_pack_is_self_contained_and_names_every_family(two_months: Deployment) -> None:
    page = _pack(two_months, NEXT_MONTH)
    assert page.count("<svg") >= 8
    assert not re.search(r"<(script|link|img|iframe)\b", page)
    assert not re.search(r"""(src|href)=["']?(https?:)?//|url\(\s*['"]?(https?:)?//|@import""", page)
    for family in _families(two_months):
        assert family in page


def test_the_same_published_month_renders_the_same_bytes(two_months: Deployment) -> None:
    with duckdb.connect(two_months.storage.warehouse, read_only=True) as con:
        again = render_pack(con, parse_month(NEXT_MONTH))
    assert again == _pack(two_months, NEXT_MONTH)


def test_decisions_needed_are_the_risk_episodes_that_no_open_action_answers(two_months: Deployment) -> None:
    with duckdb.connect(two_months.storage.warehouse, read_only=True) as con:
        decisions = read_report(con, tables.DECISIONS, parse_month(NEXT_MONTH))
    risks = two_months.table("risk_register", NEXT_MONTH).filter(
        (pl.col("scenario") == "base") & pl.col("severity").is_in(["high", "medium"])
    )
    answered = risks.filter(pl.col("action_id").is_not_null())
    # The sample's ACT-002 answers Cordless Tools' unmet demand, ACT-003 (itself overdue) Hand Tools' long-term
    # gap: neither asks for a decision any more.
    answers = {("Cordless Tools", "unmet_demand"), ("Hand Tools", "long_horizon_gap")}
    assert set(answered.select("product_family", "kind").unique().rows()) == answers
    assert decisions.join(answered, on=["product_family", "kind"], how="semi").is_empty()
    # Every other risk of a month is in exactly one episode of consecutive months; one of no month (a year's
    # gap, an overdue action) is an episode of its own, which covers no months of the plan.
    unanswered = risks.filter(pl.col("action_id").is_null())
    assert decisions["months"].sum() == unanswered.filter(pl.col("kind").is_in(FLAGS)).height
    assert decisions.filter(~pl.col("kind").is_in(FLAGS))["months"].is_null().all()
    no_month = decisions.filter(pl.col("first_month").is_null())
    assert no_month.height == unanswered.filter(pl.col("month").is_null()).height
    assert decisions.select("product_family", "kind", "subject", "first_month").is_unique().all()
    # The status agrees with the date beside it: an episode an earlier plan month raised is recurring.
    earlier = decisions["first_seen_plan_month"] < parse_month(NEXT_MONTH)
    assert (decisions["status"] == pl.Series(earlier).replace_strict({True: "recurring", False: "new"})).all()
    assert decisions["risk"].is_not_null().all()
    overload = decisions.filter(
        (pl.col("product_family") == "Cordless Tools") & (pl.col("kind") == "capacity_overload")
    )
    assert overload.height == 1 and overload["months"][0] > 1
    assert overload["period"][0] == f"{overload['first_month'][0]:%Y-%m} to {overload['last_month'][0]:%Y-%m}"


def test_question_ten_lists_the_open_actions_overdue_first_and_what_was_closed(two_months: Deployment) -> None:
    pack = _pack(two_months, NEXT_MONTH)
    assert "Draft: not yet approved by the executive meeting." in pack
    follow_ups = pack[pack.index('<section id="q10">') : pack.index('<section id="q11">')]
    assert "Three open actions of the meeting, 1 of them overdue (listed first)" in follow_ups
    assert follow_ups.index("ACT-003") < follow_ups.index("ACT-002") < follow_ups.index("ACT-005")
    closed = follow_ups[follow_ups.index("Closed since last month") :]
    assert "ACT-004" in closed and "Follow-through, month by month" in closed


def test_a_month_without_a_published_plan_has_no_pack_to_render(two_months: Deployment) -> None:
    with duckdb.connect(two_months.storage.warehouse, read_only=True) as con, pytest.raises(LookupError):
        render_pack(con, date(2030, 1, 1))


def test_headless_chromium_renders_the_pack_with_charts_and_every_family(
    two_months: Deployment, tmp_path: Path
) -> None:
    page = pack_path(two_months.storage.paths.export_dir, parse_month(NEXT_MONTH)).as_uri()
    shot = tmp_path / "pack.png"
    dom = browser.dom(page, size="1200,2400", screenshot=shot)

    assert dom.count("<svg") >= 8
    for family in _families(two_months):
        assert family in dom
    image = Image.open(shot).convert("L")
    # A blank page is one flat colour; the pack has text and charts all over it.
    assert ImageStat.Stat(image).stddev[0] > 20
    assert sum(image.histogram()[:128]) > 0.01 * image.width * image.height  # dark ink: text and lines


PRINTABLE_PX = {"A4": (703, 1032), "letter": (725, 965)}
"""Each paper's width and height inside the pack's 12 mm margins, in CSS pixels (96 to the inch)."""
MEASURE = """<script>
addEventListener("load", () => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.body.querySelectorAll("*")]
    .filter((element) => element.getBoundingClientRect().right > width + 1)
    .map((element) => element.tagName + (element.id ? "#" + element.id : ""));
  const decisions = document.getElementById("decisions").getBoundingClientRect().bottom;
  document.body.insertAdjacentHTML("beforeend", `<pre id="measured">${JSON.stringify({ wide, decisions })}</pre>`);
});
</script>"""


def test_the_pack_prints_on_a4_and_letter_with_the_decisions_on_page_one(
    two_months: Deployment, tmp_path: Path
) -> None:
    page = _pack(two_months, NEXT_MONTH)
    # The print rules applied on screen, in a window as wide as the narrower paper's printable width.
    on_screen = tmp_path / "as_printed.html"
    on_screen.write_text(page.replace("@media print", "@media all").replace("</body>", f"{MEASURE}</body>"))
    width = min(width for width, _ in PRINTABLE_PX.values())
    dom = browser.dom(on_screen.as_uri(), script_ms=5000, size=f"{width},1200")
    # The last one: the first is the script's own text.
    measured = json.loads(html.unescape(re.findall(r'<pre id="measured">(.*?)</pre>', dom)[-1]))
    assert measured["wide"] == []
    assert measured["decisions"] <= min(height for _, height in PRINTABLE_PX.values())
    for paper in PRINTABLE_PX:
        sized = tmp_path / f"{paper}.html"
        sized.write_text(page.replace("</style>", f"@page {{ size: {paper}; }}</style>"))
        pages = browser.print_pdf(sized.as_uri(), tmp_path / f"{paper}.pdf")
        # The decisions on page 1, the numbers and the questions on the pages after it.
        assert pages > 2
    assert 'counter(page) " of " counter(pages)' in page


def test_dagster_shows_the_plan_and_the_decisions_at_a_glance(two_months: Deployment) -> None:
    result = SECOND_RUN["result"]
    plan = result.asset_materializations_for_node("consolidated_plan")[0].metadata
    glance = plan["at_a_glance"].value
    for family in _families(two_months):
        assert family in glance
    assert any(block in glance for block in "▁▂▃▄▅▆▇█")
    pack = result.asset_materializations_for_node("sop_pack")[0].metadata
    # Where the run wrote it (this deployment is a copy of the deployment that ran).
    assert pack["pack"].value.endswith(str(pack_path(Path("export"), parse_month(NEXT_MONTH))))
    assert "suggested_action" in pack["decisions"].value


def test_a_sparkline_spans_its_range_and_leaves_gaps_for_missing_months() -> None:
    assert sparkline([0.0, 0.5, 1.0, None, 2.0], low=0.0, high=1.0) == "▁▅█ █"
    assert sparkline([3.0, 3.0]) == "▁▁"
    assert sparkline([None]) == ""


def test_a_month_published_before_its_settings_were_kept_renders_as_it_was_reported(
    two_months: Deployment, tmp_path: Path
) -> None:
    deployment = copy_deployment(two_months, tmp_path / "deployment")
    with duckdb.connect(deployment.storage.warehouse) as con:
        con.execute("drop table plan_settings")  # a warehouse of the version before plan_settings
        con.execute("drop table draft.plan_settings")
    with deployment.storage.connect() as con:
        settings = con.execute("select * from plan_settings order by plan_month").fetchall()
        page = render_pack(con, parse_month(MONTH))
    assert settings == [(parse_month(month), 13, 3, None, None, None, None, None) for month in (MONTH, NEXT_MONTH)]
    # The same pack, less the currency the month did not keep (so its charts' labels, and sizes, differ);
    # the register's suggested actions keep the currency they were written with.
    reported = _pack(two_months, MONTH)
    assert page.count("<svg") == reported.count("<svg") and "(EUR)" not in _without_settings(page)
    assert _as_kept(page) == _as_kept(reported)
    assert "Planned before settings were kept with each month." in page


def _without_settings(page: str) -> str:
    return re.sub(r'<section id="settings">.*?</section>', "", page, flags=re.DOTALL)


def _as_kept(page: str) -> str:
    """The page without its settings, its charts and the currency's name."""
    charts = re.sub(r"<svg.*?</svg>", "", _without_settings(page), flags=re.DOTALL)
    return re.sub(r" \(EUR\)|EUR | EUR", "", charts)


def test_the_value_added_headline_names_every_family_its_table_shows_made_worse(two_months: Deployment) -> None:
    with duckdb.connect(two_months.storage.warehouse, read_only=True) as con:
        value_added = read_report(con, tables.VALUE_ADDED, parse_month(NEXT_MONTH)).filter(pl.col("lag") == 1)
    page = html.unescape(_pack(two_months, NEXT_MONTH))
    headline = re.search(r"value added \(lag 1\)</h3>\s*<p class=\"answer\">([^<]*)</p>", page).group(1)
    sources = value_added.filter((pl.col("level") != "total") & ~pl.col("step").is_in(NOT_SOURCES))
    made_worse = {
        f"{row['step']} for {row['product_family']} ({signed_points(row['fva'])})"
        for row in sources.iter_rows(named=True)
        if shown_points(row["fva"]) < 0
    }
    named = headline.split("Changes that made a family's forecast worse: ")[1].removesuffix(".")
    assert set(named.split(", ")) - {"none"} == made_worse
    assert (named == "none") == (not made_worse)
    # The sample's review makes some family worse: the headline cannot agree by saying nothing.
    assert made_worse, headline
    assert "-0.0" not in page


def test_each_episode_puts_a_price_on_what_it_risks(two_months: Deployment) -> None:
    with duckdb.connect(two_months.storage.warehouse, read_only=True) as con:
        episodes = read_report(con, tables.RISK_EPISODES, parse_month(NEXT_MONTH))
    plan = two_months.plan(NEXT_MONTH)
    shipped = plan["consensus_units"] - plan["unmet_demand_units"]
    prices = (
        plan.with_columns(shipped=shipped)
        .group_by("product_family")
        .agg(
            (pl.col("plan_revenue").sum() / pl.col("shipped").sum()).alias("unit_revenue"),
            (pl.col("plan_gross_margin").sum() / pl.col("shipped").sum()).alias("unit_margin"),
        )
    )
    overload = (
        episodes.filter(pl.col("kind") == "capacity_overload")
        .join(prices, on="product_family")
        .join(plan, on="product_family")
        .filter(pl.col("month").is_between("first_month", "last_month"))
        .group_by("product_family", "first_month", "revenue_at_stake", "margin_at_stake", "unit_revenue", "unit_margin")
        .agg((pl.col("consensus_units") - pl.col("capacity_units")).clip(0).sum().alias("units"))
    )
    assert overload.height > 0
    for row in overload.iter_rows(named=True):
        assert row["revenue_at_stake"] == pytest.approx(row["units"] * row["unit_revenue"], abs=0.01)
        assert row["margin_at_stake"] == pytest.approx(row["units"] * row["unit_margin"], abs=0.01)
    outlook = two_months.table("financial_outlook", NEXT_MONTH).filter(
        (pl.col("scenario") == "base") & (pl.col("level") == "family")
    )
    below = episodes.filter(pl.col("kind") == "revenue_below_budget").with_columns(year=pl.col("first_month").dt.year())
    gaps = below.join(outlook.with_columns(pl.col("year").cast(pl.Int32)), on=["product_family", "year"])
    assert gaps.height == below.height > 0
    assert (gaps["revenue_at_stake"] == -gaps["gap_revenue"]).all()
    assert (gaps["margin_at_stake"] == -gaps["gap_margin"]).all()
    # The kinds that cost no money by themselves carry none.
    quiet = episodes.filter(pl.col("kind").is_in(["overdue_action", "low_forecast_accuracy", "data_quality"]))
    assert quiet["revenue_at_stake"].is_null().all()


def test_every_decision_names_the_owner_who_answers_for_it(two_months: Deployment) -> None:
    with duckdb.connect(two_months.storage.warehouse, read_only=True) as con:
        decisions = read_report(con, tables.DECISIONS, parse_month(NEXT_MONTH))
    log = two_months.table("action_log", NEXT_MONTH)
    overdue = decisions.filter(pl.col("kind") == "overdue_action")
    assert overdue.height > 0
    for row in overdue.iter_rows(named=True):
        action = log.filter(pl.col("action_id") == row["subject"].split(" ")[0])
        assert row["owner"] == action["owner"][0]
    # Elsewhere (no family owners in the settings) the owner of the family's latest action, if it has one.
    latest = log.sort("decided_month", "action_id").group_by("product_family").agg(pl.col("owner").last())
    others = decisions.filter(~pl.col("kind").is_in(["overdue_action", "adjustment_hurts_accuracy"]))
    expected = others.join(latest, on="product_family", how="left", suffix="_latest")
    assert (expected["owner"].eq_missing(expected["owner_latest"])).all()
    assert (decisions["decide_by"] >= parse_month(NEXT_MONTH)).all()


def test_the_scorecard_sets_each_number_beside_last_months_and_says_which_way_it_went(
    two_months: Deployment,
) -> None:
    with duckdb.connect(two_months.storage.warehouse, read_only=True) as con:
        scorecard = read_report(con, tables.SCORECARD, parse_month(NEXT_MONTH))
        before = read_report(con, tables.SCORECARD, parse_month(MONTH))
    accuracy = two_months.table("forecast_accuracy_summary", NEXT_MONTH).filter(
        (pl.col("level") == "total") & (pl.col("lag") == 1)
    )
    error = scorecard.filter(pl.col("measure") == "Forecast error, lag-1 WAPE").row(0, named=True)
    assert error["value"] == accuracy["wape"][0]
    for row in scorecard.iter_rows(named=True):
        last = before.filter(pl.col("measure") == row["measure"])
        assert row["last_month_value"] == (last["value"][0] if last.height else None)
        if row["trend"] in ("better", "worse") and not row["measure"].startswith("Forecast bias"):
            # Told as the pack shows them: a tenth of a point apart at least, in the direction that counts.
            rise = shown_points(row["value"]) > shown_points(row["last_month_value"])
            lower_is_better = row["measure"].startswith("Forecast error")
            assert (row["trend"] == "better") == (rise != lower_is_better), row
    page = html.unescape(_pack(two_months, NEXT_MONTH))
    summary = re.search(r'<section id="scorecard">.*?<p class="answer">([^<]*)</p>', page, flags=re.DOTALL).group(1)
    counts = scorecard.get_column("trend").value_counts()
    better = counts.filter(pl.col("trend") == "better")["count"].sum()
    assert f"{count_of(better, 'number')} got better" in summary


def _answer_and_table(page: str, number: int | str) -> tuple[str, list[dict[str, str]]]:
    """Question `number`'s (or the section named so) one-line answer and its first table, as the reader
    sees them (text)."""
    name = number if isinstance(number, str) else f"q{number}"
    section = re.search(rf'<section id="{name}">(.*?)</section>', page, flags=re.DOTALL).group(1)
    answer = html.unescape(re.search(r'<p class="answer">(.*?)</p>', section, flags=re.DOTALL).group(1))
    return answer, _rows(re.search(r"<table>(.*?)</table>", section, flags=re.DOTALL).group(1))


def _appendix(page: str, number: int, part: int = 1) -> list[dict[str, str]]:
    """The rows of the appendix's table `number`.`part`, as the reader sees them."""
    pointer = re.search(rf'<section id="q{number}">.*?href="#a{number}-{part}"', page, flags=re.DOTALL)
    assert pointer, f"question {number} points to no appendix {number}.{part}"
    table = re.search(rf'<h3 id="a{number}-{part}">.*?<table>(.*?)</table>', page, flags=re.DOTALL).group(1)
    return _rows(table)


def _rows(table: str) -> list[dict[str, str]]:
    headers = [html.unescape(cell) for cell in re.findall(r"<th>(.*?)</th>", table)]
    return [
        dict(zip(headers, [_text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)], strict=True))
        for row in re.findall(r"<tr>(<td.*?)</tr>", table, flags=re.DOTALL)
    ]


def _text(cell: str) -> str:
    """A cell's text, as a reader copies it."""
    return html.unescape(re.sub(r"<[^>]+>", "", cell))


def _number(text: str) -> float:
    return float(text.replace(",", "").replace("EUR", "").strip() or 0)


def test_each_headline_is_built_from_the_rows_of_the_table_under_it(two_months: Deployment) -> None:
    page = _pack(two_months, NEXT_MONTH)
    # 1: the drivers' total in the headline is the sum of the families' rows (each rounded to the unit).
    answer, rows = _answer_and_table(page, 1)
    for driver in ("demand", "supply", "price"):
        told = _number(re.search(rf"{driver} EUR ([+-][\d,]+)", answer).group(1))
        assert told == pytest.approx(sum(_number(row[f"{driver} effect (EUR)"]) for row in rows), abs=len(rows))
    # 4: every year of the headline is that year's Total row.
    answer, rows = _answer_and_table(page, 4)
    totals = [row for row in rows if row["product family"] == "Total"]
    assert len(totals) == answer.count("revenue outlook") >= 1
    for row in totals:
        assert f"{row['year']}: revenue outlook EUR {row['outlook revenue (EUR)']}" in answer
        assert f"against a budget of EUR {row['budget revenue (EUR)']}" in answer
    # 5: the counts of the headline are the table's rows.
    answer, rows = _answer_and_table(page, 5)
    new = sum(row["status"] == "new" for row in rows)
    high = sum(row["severity"] == "high" for row in rows)
    answered = sum(bool(row["action id"]) for row in rows)
    assert answer.startswith(f"{count_of(len(rows), 'risk').capitalize()} in the register")
    assert f"{new} new, {len(rows) - new} recurring; {high} of high severity; {answered} answered" in answer
    # 10: the open actions and the overdue ones are the table's.
    answer, rows = _answer_and_table(page, 10)
    overdue = sum(_number(row["months overdue"]) > 0 for row in rows)
    assert answer.startswith(f"{count_of(len(rows), 'open action').capitalize()} of the meeting, {overdue} of them")


def test_every_other_headline_agrees_with_its_table_and_the_long_tables_are_in_the_appendix(
    two_months: Deployment,
) -> None:
    page = _pack(two_months, NEXT_MONTH)
    # The first page: the money at stake is the sum of the decisions' rows, each with its kind's options.
    answer, now = _answer_and_table(page, "decisions")
    assert answer.startswith(f"{count_of(len(now), 'decision').capitalize()} for this meeting")
    stake = sum(_number(row["revenue at stake (EUR)"]) for row in now)
    told = _number(re.search(r"with EUR ([\d,]+) of revenue", answer).group(1))
    assert told == pytest.approx(stake, abs=len(now))  # each row rounded to the unit
    with duckdb.connect(two_months.storage.warehouse, read_only=True) as con:
        options = dict(con.sql("select risk, options from risk_kinds").fetchall())
    assert all(row["options"] == options[row["risk"]] for row in now)
    # 2: the company's stairstep under the headline, each family's in the appendix; the families the
    # headline names as made worse are the appendix's sources with negative value added.
    answer = html.unescape(re.search(r"value added \(lag 1\)</h3>\s*<p class=\"answer\">([^<]*)</p>", page).group(1))
    families = _appendix(page, 2)
    worse = {
        f"{row['step']} for {row['product family']} ({row['value added']})"
        for row in families
        if row["step"] not in NOT_SOURCES and row["value added"].startswith("-")
    }
    assert set(answer.split("made a family's forecast worse: ")[1].removesuffix(".").split(", ")) == worse
    # 3: the horizon's plan and budget are the families' rows.
    answer, rows = _answer_and_table(page, 3)
    plan, budget = (sum(_number(row[f"{column} units horizon"]) for row in rows) for column in ("plan", "budget"))
    told = re.match(r"Over the horizon the plan is ([\d,]+) units against a budget of ([\d,]+)", answer).groups()
    assert [_number(number) for number in told] == pytest.approx([plan, budget], abs=len(rows))
    # 6: the later decisions are the table's rows, the ones for now the first page's.
    answer, rows = _answer_and_table(page, 6)
    told = f"{count_of(len(now), 'decision').capitalize()} for this meeting"
    assert answer.startswith(told) and f"and {count_of(len(rows), 'decision')} later" in answer
    # 7: new items, families and units.
    answer, rows = _answer_and_table(page, 7)
    items = sum(_number(row["new skus"]) for row in rows)
    units = sum(float(row["new forecast units"].replace(",", "")) for row in rows)
    assert answer.startswith(f"{items:.0f} new items in {len(rows)} families, forecast at")
    assert _number(re.search(r"forecast at ([\d,]+) units", answer).group(1)) == pytest.approx(units, abs=len(rows))
    # 8: one row per constrained family; the months above capacity and the unmet units add up to the
    # headline, and every constrained month is in the appendix.
    answer, rows = _answer_and_table(page, 8)
    above = sum(_number(row["months demand above capacity"]) for row in rows)
    unmet = sum(_number(row["unmet demand units"]) for row in rows)
    assert answer.startswith(f"Demand tops capacity in {count_of(int(above), 'family-month')}; {unmet:,.0f} units")
    months = _appendix(page, 8)
    assert {row["product family"] for row in months} == {row["product family"] for row in rows}
    first = {row["product family"]: row["first constrained month"] for row in rows}
    assert all(row["month"] >= first[row["product family"]] for row in months)
    # 9: the families the headline names for revising are the flagged rows, with their gaps.
    answer, rows = _answer_and_table(page, 9)
    flagged = [f"{row['product family']} ({row['gap %']})" for row in rows if row["flagged"] == "yes"]
    assert flagged and answer.endswith(f"revise the long-term plan for: {', '.join(flagged)}.")
    # 11: each scenario of the headline with the differences of its row.
    answer, rows = _answer_and_table(page, 11)
    for row in rows[1:]:
        assert (
            f"{row['scenario']}: revenue EUR {float(row['revenue vs base (EUR)'].replace(',', '')):+,.0f}, margin EUR"
            f" {float(row['margin vs base (EUR)'].replace(',', '')):+,.0f}, unmet demand"
            f" {float(row['unmet vs base'].replace(',', '')):+,.0f} units"
        ) in answer
