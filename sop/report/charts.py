"""The pack's charts, drawn with matplotlib as inline SVG.

Each function takes a Polars frame and returns an `<svg>` element as text. Text stays text (the
browser draws it, and a search finds a family's name), and ids are salted with a constant, so the
same numbers give the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib as mpl
import polars as pl
from matplotlib.dates import DateFormatter, MonthLocator
from matplotlib.figure import Figure
from matplotlib.ticker import StrMethodFormatter

mpl.rcParams.update(
    {
        "svg.fonttype": "none",
        "svg.hashsalt": "sop-pack",
        "font.family": "sans-serif",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.color": "#e5e5e5",
        "axes.axisbelow": True,
    }
)

INK = "#1f2933"
PLAN = "#2f6fb0"
ACTUAL = "#1f2933"
BUDGET = "#c77c02"
GOOD = "#2e8540"
BAD = "#c0392b"
THOUSANDS = StrMethodFormatter("{x:,.0f}")
PALETTE = ("#2f6fb0", "#c77c02", "#2e8540", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d", "#d35400")


def to_svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def waterfall(steps: Sequence[tuple[str, float]], unit: str) -> str:
    """Each driver's change (green up, red down), stacked from zero to the net change: bars from zero,
    so a change's height is its size. The totals it moves between are the caller's title to give:
    beside them a month's changes would not show."""
    figure = Figure(figsize=(7, 3))
    axes = figure.add_subplot()
    labels = [*(label for label, _ in steps), "net change"]
    level = 0.0
    for position, (_, change) in enumerate(steps):
        axes.bar(position, change, bottom=level, color=GOOD if change >= 0 else BAD)
        axes.annotate(f"{change:+,.0f}", (position, max(level, level + change)), ha="center", va="bottom")
        level += change
    axes.bar(len(steps), level, color=PLAN)
    axes.annotate(f"{level:+,.0f}", (len(steps), max(level, 0.0)), ha="center", va="bottom")
    axes.axhline(0, color=INK, linewidth=0.8)
    axes.set_xticks(range(len(labels)), labels)
    axes.set_ylabel(unit)
    axes.yaxis.set_major_formatter(THOUSANDS)
    return to_svg(figure)


def lines_by_family(frame: pl.DataFrame, x: str, y: str, y_label: str, percent: bool = False) -> str:
    """One line per family, for a measure over time (accuracy or bias by plan month)."""
    figure = Figure(figsize=(7, 3))
    axes = figure.add_subplot()
    for index, family in enumerate(frame.get_column("product_family").unique().sort()):
        rows = frame.filter(pl.col("product_family") == family).sort(x)
        values = rows.get_column(y) * (100 if percent else 1)
        axes.plot(rows.get_column(x), values, marker="o", label=family, color=PALETTE[index % len(PALETTE)])
    axes.set_ylabel(y_label)
    axes.legend(loc="upper left", bbox_to_anchor=(1, 1), frameon=False)
    axes.xaxis.set_major_locator(MonthLocator())
    axes.xaxis.set_major_formatter(DateFormatter("%Y-%m"))
    figure.autofmt_xdate()
    return to_svg(figure)


def family_panels(frame: pl.DataFrame, plan_month_label: str) -> str:
    """Small multiples, one per family: actual units, the plan and the budget by month."""
    families = frame.get_column("product_family").unique().sort().to_list()
    columns = 3
    rows = -(-len(families) // columns)
    figure = Figure(figsize=(9, 2.2 * rows))
    for index, family in enumerate(families):
        axes = figure.add_subplot(rows, columns, index + 1)
        data = frame.filter(pl.col("product_family") == family).sort("month")
        months = data.get_column("month")
        axes.plot(months, data.get_column("actual_units"), color=ACTUAL, label="actual")
        axes.plot(months, data.get_column("plan_units"), color=PLAN, label=f"plan {plan_month_label}")
        axes.plot(months, data.get_column("budget_units"), color=BUDGET, linestyle="--", label="budget")
        axes.set_title(family, fontsize=9, loc="left")
        axes.tick_params(axis="x", labelrotation=45, labelsize=7)
        axes.tick_params(axis="y", labelsize=7)
        axes.yaxis.set_major_formatter(THOUSANDS)
        if index % columns == 0:
            axes.set_ylabel("units", fontsize=7)
    handles, labels = figure.axes[0].get_legend_handles_labels() if families else ([], [])
    figure.legend(handles, labels, loc="upper center", ncols=3, fontsize=8, frameon=False)
    figure.tight_layout(rect=(0, 0, 1, 1 - 0.35 / (2.2 * max(rows, 1))))
    return to_svg(figure)


def grouped_bars(frame: pl.DataFrame, label: str, bars: dict[str, str], unit: str) -> str:
    """A group of bars per row, labelled by `label`: one bar per column of `bars` (column: its name in
    the legend), from zero."""
    figure = Figure(figsize=(7, 3))
    axes = figure.add_subplot()
    positions = range(frame.height)
    width = 0.8 / len(bars)
    for index, (column, name) in enumerate(bars.items()):
        offset = (index - (len(bars) - 1) / 2) * width
        axes.bar(
            [p + offset for p in positions], frame.get_column(column), width=width, color=PALETTE[index], label=name
        )
    axes.set_xticks(list(positions), frame.get_column(label).to_list(), rotation=30, ha="right")
    axes.axhline(0, color=INK, linewidth=0.8)
    axes.set_ylabel(unit)
    axes.yaxis.set_major_formatter(THOUSANDS)
    # Beside the axes, where no bar can be under it.
    axes.legend(frameon=False, loc="upper left", bbox_to_anchor=(1, 1))
    return to_svg(figure)


def signed_bars(frame: pl.DataFrame, label: str, value: str, value_label: str, percent: bool = False) -> str:
    """One horizontal bar per row, green when positive and red when negative (a gap to budget)."""
    figure = Figure(figsize=(7, 0.4 * frame.height + 1))
    axes = figure.add_subplot()
    values = [(v or 0.0) * (100 if percent else 1) for v in frame.get_column(value).to_list()]
    axes.barh(frame.get_column(label).to_list(), values, color=[GOOD if v >= 0 else BAD for v in values])
    axes.axvline(0, color=INK, linewidth=0.8)
    axes.invert_yaxis()
    axes.set_xlabel(value_label)
    return to_svg(figure)


def stacked_counts(frame: pl.DataFrame, label: str, stack: str, order: Sequence[str]) -> str:
    """Counts per `label`, stacked by `stack` (risks per kind, new against recurring)."""
    labels = frame.get_column(label).unique().sort().to_list()
    figure = Figure(figsize=(7, 0.4 * len(labels) + 1))
    axes = figure.add_subplot()
    left = [0] * len(labels)
    for index, part in enumerate(order):
        counts = dict(frame.filter(pl.col(stack) == part).select(label, "count").iter_rows())
        widths = [counts.get(name, 0) for name in labels]
        axes.barh(labels, widths, left=left, color=PALETTE[index % len(PALETTE)], label=part)
        left = [a + b for a, b in zip(left, widths, strict=True)]
    axes.invert_yaxis()
    axes.set_xlabel("risks")
    axes.legend(frameon=False)
    return to_svg(figure)


def utilization_grid(frame: pl.DataFrame) -> str:
    """Demand as a share of capacity, family by month: where the plan runs into its limits."""
    families = frame.get_column("product_family").unique().sort().to_list()
    months = frame.get_column("month").unique().sort().to_list()
    lookup = {(f, m): u for f, m, u in frame.select("product_family", "month", "demand_share").iter_rows()}
    grid = [[lookup.get((family, month)) or 0.0 for month in months] for family in families]
    figure = Figure(figsize=(9, 0.45 * len(families) + 1.2))
    axes = figure.add_subplot()
    axes.grid(False)
    mesh = axes.pcolormesh(grid, cmap="RdYlGn_r", vmin=0.5, vmax=1.5, edgecolors="white", linewidth=0.5)
    axes.set_yticks([i + 0.5 for i in range(len(families))], families)
    axes.set_xticks([i + 0.5 for i in range(len(months))], [m.strftime("%Y-%m") for m in months], rotation=60)
    axes.invert_yaxis()
    figure.colorbar(mesh, ax=axes, label="demand / capacity")
    return to_svg(figure)
