"""The decision and action log of the sample company (input contract v2, `actions`): what its S&OP
meetings decided, who owns it, and how it went.

Placed relative to the anchor month A, each plan month's file is the whole log as the coordinator
keeps it at the close of the month before: the actions decided at meetings up to then, in their
state of that month.
- ACT-001, decided at A-4: a Saturday shift for the second family, Cordless Tools (capacity_overload),
  due A-2, done in A-2;
- ACT-002, decided at A-3: moving Cordless Tools volume to Plant-B (unmet_demand), due A-1, then,
  from the log of A on, due A+1: an action that slips;
- ACT-003, decided at A-3: the third family's (Hand Tools) budget confirmed with finance
  (long_horizon_gap), due A-2, still open: overdue;
- ACT-004, decided at A-2: the fourth family's (Fasteners, or the last) safety stocks reviewed
  (below_safety_stock), due A-1, done in A-1: on time;
- ACT-005, decided at A-1: the promotion volumes agreed with marketing for Fasteners, due A+1, open;
- ACT-006, decided at A-4: a company-wide pilot of a new paint line, dropped in A-3.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from sop.core.months import add_months
from sop.sample_data.company import FAMILIES, SampleSpec


@dataclass(frozen=True)
class Action:
    action_id: str
    decided: int
    """Months from the anchor."""
    description: str
    owner: str
    due: int
    status: str
    """Its status once closed (`done`, `dropped`), or while open."""
    family: int | None = None
    """Index of the family (the last one where the sample has fewer)."""
    risk_kind: str | None = None
    closed: int | None = None
    slipped_to: tuple[int, int] | None = None
    """From the log of this month on (months from the anchor), due then."""


LOG = (
    Action("ACT-001", -4, "Add a Saturday shift at Plant-A", "Jon Park", -2, "done", 1, "capacity_overload",
           closed=-2),
    Action("ACT-002", -3, "Move volume to Plant-B", "Ana Ruiz", -1, "in_progress", 1, "unmet_demand",
           slipped_to=(0, 1)),
    Action("ACT-003", -3, "Confirm the budget with finance", "Lena Fischer", -2, "open", 2, "long_horizon_gap"),
    Action("ACT-004", -2, "Review the safety stocks", "Jon Park", -1, "done", 3, "below_safety_stock", closed=-1),
    Action("ACT-005", -1, "Agree the promotion volumes with marketing", "Maria Costa", 1, "open", 3),
    Action("ACT-006", -4, "Pilot a new paint line", "Ana Ruiz", 0, "dropped", closed=-3),
)  # fmt: skip


def action_log(spec: SampleSpec, anchor: date, plan_month: date) -> pl.DataFrame:
    """The log as kept at the close of the month before `plan_month` (no rows before the first meeting)."""
    families = [family.name for family in FAMILIES[: spec.n_families]]
    known = add_months(plan_month, -1)
    rows = []
    for action in LOG:
        decided = add_months(anchor, action.decided)
        if decided > known:
            continue
        closed = add_months(anchor, action.closed) if action.closed is not None else None
        due = action.due
        if action.slipped_to and add_months(anchor, action.slipped_to[0]) <= plan_month:
            due = action.slipped_to[1]
        done = closed is not None and closed <= known
        rows.append(
            {
                "action_id": action.action_id,
                "decided_month": decided,
                "description": action.description,
                "owner": action.owner,
                "due_month": add_months(anchor, due),
                "status": action.status if done or action.closed is None else "in_progress",
                "product_family": None if action.family is None else families[min(action.family, len(families) - 1)],
                "risk_kind": action.risk_kind,
                "closed_month": closed if done else None,
            }
        )
    schema = {
        "action_id": pl.String,
        "decided_month": pl.Date,
        "description": pl.String,
        "owner": pl.String,
        "due_month": pl.Date,
        "status": pl.String,
        "product_family": pl.String,
        "risk_kind": pl.String,
        "closed_month": pl.Date,
    }
    return pl.DataFrame(rows, schema=schema)
