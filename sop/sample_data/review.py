"""The demand review of the sample company: what happens that the statistics cannot see coming, and
the adjustments people make for it (input contract v2, `adjustments`).

Placed relative to the anchor month A, so that the plan months before it (A-3 to A-1, which
`sop-run` runs first) carry adjustments whose months are judged by A:
- a promotion of the fourth family (or the last) lifts its demand 30% in A-3 and A-2, and again in
  A+2 and A+3; marketing adds it to every plan that covers those months: a touch point that helps;
- a tender won on the steady sku of the third family brings two years of its demand in the first
  region in one order, once in A-2 and once in A+1; sales adds it: helps;
- a customer of the fifth family (or the last) in the second region, 30% of its demand there, leaves
  from A-2 on, as it announced in A-3; sales takes it out of every plan from A-3 on, before the
  statistics can see it: helps;
- finance cuts the first family 12% over each plan's first three months, though nothing happens
  there: a touch point that makes the forecast worse, which accuracy tracking must show;
- the executive adds 150 units to the third family six months out, and supply caps the launched
  sku at 20 units a month in the first region in its first two plan months: changes the judged
  months never see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from sop.core.config import DEFAULT_CONFIG
from sop.core.months import month_range
from sop.demand.consensus import CHANGE_SCHEMA
from sop.sample_data.company import FAMILIES, REGIONS, Event, SampleSpec, month_index, sku_name

PROMOTION_LIFT = 0.30
PROMOTION_MONTHS = (-3, -2, 2, 3)
TENDER_MONTHS_OF_DEMAND = 24.0
TENDER_MONTHS = (-2, 1)
LOST_SHARE = 0.30
LOST_ANNOUNCED = -3
LOST_FROM = -2
FINANCE_CUT_PCT = -12.0
FINANCE_MONTHS = 3
EXECUTIVE_UNITS = 150.0
EXECUTIVE_MONTHS_AHEAD = 6
SUPPLY_CAP_UNITS = 20.0


@dataclass(frozen=True)
class Roles:
    """Which family, sku and region each story of the review is about."""

    promoted_family: int
    tender_family: int
    tender_sku: int
    lost_family: int
    lost_region: int
    cut_family: int
    launched_sku: int


def roles(spec: SampleSpec) -> Roles:
    return Roles(
        promoted_family=min(3, spec.n_families - 1),
        tender_family=2,
        tender_sku=2,  # the steady sku of the third family
        lost_family=min(4, spec.n_families - 1),
        lost_region=min(1, spec.n_regions - 1),
        cut_family=0,
        launched_sku=spec.n_skus - 1,
    )


def tender_months(anchor: date) -> list[int]:
    return [month_index(anchor) + offset for offset in TENDER_MONTHS]


def events(spec: SampleSpec, anchor: date) -> tuple[Event, ...]:
    """What happens to demand, whatever the plan says."""
    cast = roles(spec)
    at = month_index(anchor)
    lost = frozenset(range(at + LOST_FROM, at + 12 * 100))
    return (
        Event(
            frozenset(at + offset for offset in PROMOTION_MONTHS),
            family=cast.promoted_family,
            factor=1 + PROMOTION_LIFT,
        ),
        Event(
            frozenset(at + offset for offset in TENDER_MONTHS),
            sku=cast.tender_sku,
            region=0,
            months_of_demand=TENDER_MONTHS_OF_DEMAND,
        ),
        Event(lost, family=cast.lost_family, region=cast.lost_region, factor=1 - LOST_SHARE),
    )


def adjustments(
    spec: SampleSpec, anchor: date, plan_month: date, tender_units: dict[int, float], sold_skus: set[str]
) -> pl.DataFrame:
    """The plan month's adjustments file: every change of the review whose month is in its horizon.
    `tender_units`: the units each tender brings, by month index; `sold_skus`: the skus of the
    month's sales extract, the only ones a change may name."""
    cast = roles(spec)
    at = month_index(anchor)
    horizon = month_range(plan_month, DEFAULT_CONFIG.forecast.horizon_months)
    in_horizon = {month_index(month): month for month in horizon}
    family = [family.name for family in FAMILIES[: spec.n_families]]
    rows = []

    def change(
        month: date,
        family_index: int,
        kind: str,
        value: float,
        source: str,
        owner: str,
        reason: str,
        sku: int | None = None,
        region: int | None = None,
    ) -> None:
        rows.append(
            {
                "month": month,
                "product_family": family[family_index],
                "sku": None if sku is None else sku_name(sku),
                "region": None if region is None else REGIONS[region],
                "kind": kind,
                "value": value,
                "source": source,
                "owner": owner,
                "reason": reason,
            }
        )

    for offset in PROMOTION_MONTHS:
        if at + offset in in_horizon:
            change(
                in_horizon[at + offset],
                cast.promoted_family,
                "scale_pct",
                PROMOTION_LIFT * 100,
                "marketing",
                "Maria Costa",
                "Promotion: 30% more volume at the home-improvement chains",
            )
    for offset in TENDER_MONTHS:
        if at + offset in in_horizon:
            units = round(tender_units[at + offset])
            change(
                in_horizon[at + offset],
                cast.tender_family,
                "add_units",
                units,
                "sales",
                "Tom Becker",
                "Tender won: municipal parks department, two years of this sku in one order",
                sku=cast.tender_sku,
                region=0,
            )
    if month_index(plan_month) >= at + LOST_ANNOUNCED:
        for month in (month for month in horizon if month_index(month) >= at + LOST_FROM):
            change(
                month,
                cast.lost_family,
                "scale_pct",
                -LOST_SHARE * 100,
                "sales",
                "Tom Becker",
                "Customer lost: a distributor moved to a competitor",
                region=cast.lost_region,
            )
    for month in horizon[:FINANCE_MONTHS]:
        change(
            month,
            cast.cut_family,
            "scale_pct",
            FINANCE_CUT_PCT,
            "finance",
            "Lena Fischer",
            "Caution: hold the quarter to last year's run rate",
        )
    change(
        horizon[EXECUTIVE_MONTHS_AHEAD],
        cast.tender_family,
        "add_units",
        EXECUTIVE_UNITS,
        "executive",
        "Ana Ruiz",
        "Strategic push: a new retail partner",
    )
    if sku_name(cast.launched_sku) in sold_skus:
        for month in horizon[:2]:
            change(
                month,
                spec.n_families - 1,
                "set_units",
                SUPPLY_CAP_UNITS,
                "supply",
                "Jon Park",
                "Allocation: the first production lots are limited",
                sku=cast.launched_sku,
                region=0,
            )
    return pl.DataFrame(rows, schema=CHANGE_SCHEMA)
