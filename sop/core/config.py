"""The one place for settings.

Paths come from the environment (so operators can point a deployed pipeline at real
folders without touching code); every other knob is a documented default below, which a planner's
`sop.toml` may change (`sop.core.settings`): its tables and keys are these classes' fields, checked
against their types and the ranges they carry here.
"""

from __future__ import annotations

import math
import os
import string
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, ConfigDict, Field

from sop.core.months import month_label, parse_month

SETTINGS = ConfigDict(extra="forbid", use_attribute_docstrings=True)
"""How a settings file is read into these classes: an unknown key is an error, and each field's
docstring is its documentation in `sop.example.toml`."""
Positive = Annotated[int, Field(ge=1)]
Share = Annotated[float, Field(ge=0, le=1)]
NonNegative = Annotated[float, Field(ge=0)]
PoolMethod = Literal["combination", "best_model"]
Reconciliation = Literal["family_blend", "bottom_up", "mint_shrink"]
HierarchyLevel = Literal["total", "product_family", "region", "sku"]
ModelName = Literal[
    "DynamicOptimizedTheta",
    "DynamicTheta",
    "AutoTheta",
    "AutoCES",
    "CES",
    "CES-log",
    "MSTL-ETS",
    "MSTL-ETS-BoxCox",
    "MSTL-Drift-BoxCox",
    "AutoETS",
    "ARIMA-airline",
    "SeasonalNaive",
    "Naive",
    "CrostonSBA",
    "ADIDA",
    "IMAPA",
    "TSB",
    "SES",
]
"""The models a pool can name (`sop.forecast.model_pool.MODELS`): a settings file naming another is
refused when it is read, before anything runs."""
RiskKind = Literal[
    "unmet_demand",
    "capacity_overload",
    "below_safety_stock",
    "excess_inventory",
    "revenue_below_budget",
    "long_horizon_gap",
    "low_forecast_accuracy",
    "adjustment_hurts_accuracy",
    "overdue_action",
    "data_quality",
]
"""Every kind of risk of the register (`sop.plan.risk_kinds`), the monthly flags of the plan first."""
RiskLevel = Literal["none", "low", "medium", "high"]
"""The severities, least first."""
ACTION_FIELDS: dict[str, object] = {
    "period": "2026-11",
    "subject": "SKU-00001",
    "owners": "Ana Ruiz",
    "family": "Garden",
    "measure": 1234.5,
    "reference": 0.25,
    "currency": "EUR",
}
"""The fields an action's text may name (`{period}`, `{measure:,.0f}`), each with a value of its kind
(`sop.plan.risks` fills them), on which a text is tried when the settings are read."""
POINTS = "pts"
"""A format spec's ending that writes a share as percentage points (`{measure:+.1pts}` gives "+1.8 points"):
a change of a percentage, such as value added, is in points, the percentage itself in %."""


class ActionValue:
    """A template field: formats like its value, in points if the spec asks, or as n/a where there is
    none (a missing budget)."""

    def __init__(self, value: object) -> None:
        self.value = value

    def __format__(self, spec: str) -> str:
        if self.value is None or (isinstance(self.value, float) and math.isnan(self.value)):
            return "n/a"
        if spec.endswith(POINTS) and isinstance(self.value, int | float):
            return f"{format(self.value * 100, spec.removesuffix(POINTS) + 'f')} points"
        return format(self.value, spec)


def _action_text(text: str) -> str:
    """The text, if the register can fill it in: only the fields of ACTION_FIELDS, by name, with format
    specs their values take (a conversion such as `!r` would bypass the register's `n/a` for no value)."""
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError as error:
        raise ValueError(f"cannot fill in {text!r}: {error}") from None
    for _, name, _, conversion in parts:
        if name is not None and name not in ACTION_FIELDS:
            fields = ", ".join(f"{{{field}}}" for field in ACTION_FIELDS)
            raise ValueError(f"names the field {{{name}}}; an action's text may name {fields}")
        if conversion:
            raise ValueError(f"converts {{{name}!{conversion}}}; name the field alone, with a format if need be")
    try:
        text.format(**{name: ActionValue(value) for name, value in ACTION_FIELDS.items()})
    except (LookupError, ValueError, AttributeError, TypeError) as error:  # a field nested in a format spec
        raise ValueError(f"cannot fill in {text!r}: {error}") from None
    return text


ActionText = Annotated[str, AfterValidator(_action_text)]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_ROOT / "data"


@dataclass(frozen=True)
class Paths:
    """Where extracts come from and where results go."""

    extracts_dir: Path
    """Root holding one `<YYYY-MM>/` folder per plan month (SOP_EXTRACTS_DIR)."""
    warehouse: Path
    """The DuckDB database file (SOP_WAREHOUSE)."""
    export_dir: Path
    """Root of the hive-partitioned Parquet export (SOP_EXPORT_DIR)."""

    @classmethod
    def from_env(cls) -> Paths:
        return cls(
            extracts_dir=Path(os.environ.get("SOP_EXTRACTS_DIR", DATA_DIR / "extracts")),
            warehouse=Path(os.environ.get("SOP_WAREHOUSE", DATA_DIR / "warehouse.duckdb")),
            export_dir=Path(os.environ.get("SOP_EXPORT_DIR", DATA_DIR / "export")),
        )

    @property
    def data_docs_dir(self) -> Path:
        """Great Expectations data docs (HTML), beside the Parquet export."""
        return self.export_dir / "data_docs"


@dataclass(frozen=True)
class ForecastConfig:
    __pydantic_config__ = SETTINGS

    horizon_months: Annotated[int, Field(ge=1, le=60)] = 18
    """Months forecast and planned, starting with the plan month itself."""
    levels: tuple[Annotated[int, Field(gt=0, lt=100)], ...] = (80, 95)
    """Prediction-interval levels, in percent; `sku_forecast` publishes the 80% and 95% bounds."""
    season_length: Positive = 12
    """Monthly data: a yearly season."""
    min_seasonal_history: Positive = 24
    """Months of history a series needs for the model pools (two full seasons); shorter series
    are new items, forecast with their family's seasonal profile."""
    discontinued_after_months: Positive = 6
    """A sku without sales in this many latest months is taken as discontinued: forecast zero."""
    max_history_months: Annotated[int, Field(ge=24)] = 360
    """Fits read at most this many latest months: thirty years, in practice a company's whole history."""
    recent_history_months: Annotated[int, Field(ge=24)] = 120
    """A series longer than this is forecast by each model of its pool twice, from its whole history
    and from its latest `recent_history_months`; the rolling origins keep, per series and model, the
    one whose errors were smaller (`sop.forecast.rolling_origin`); at `max_history_months` or more, never."""
    origin_count: Positive = 3
    """Rolling origins at which every model is scored, `origin_step_months` apart, the newest
    that many months before the end of the history."""
    origin_step_months: Positive = 6
    selection_steps: Positive = 6
    """Months after each origin whose errors weight the models."""
    pools: dict[str, tuple[ModelName, ...]] = field(
        default_factory=lambda: {
            "regular": (
                "DynamicOptimizedTheta",
                "DynamicTheta",
                "CES-log",
                "MSTL-ETS-BoxCox",
                "MSTL-Drift-BoxCox",
                "SeasonalNaive",
            ),
            "intermittent": ("CrostonSBA", "ADIDA", "IMAPA", "TSB", "SES"),
        }
    )
    """The models of each segment's pool (names in `sop.forecast.model_pool.MODELS`)."""
    model_min_history_months: dict[ModelName, Positive] = field(default_factory=lambda: {"CES-log": 60})
    """Months of history a series needs before these models forecast it (the others: all a pool's
    series). CES-log's forwards run off for half of the sample company's four-year series, and
    without it the combination forecasts them as well at 40% less cost (`sop.forecast.model_pool`)."""
    pool_methods: dict[str, PoolMethod] = field(
        default_factory=lambda: {"regular": "combination", "intermittent": "best_model"}
    )
    """How each segment uses its pool (`sop.forecast.combination`): `combination` weights the models per
    series by 1 / MAE² at the rolling origins; `best_model` forecasts every series of the segment with the
    one model whose errors at the origins, summed over the segment, are lowest."""
    reconciliation: Reconciliation = "family_blend"
    """How the regular series' forecasts are made coherent with forecasts of the levels above them
    (`sop.forecast.reconciled`): `family_blend` makes each family's total the mean of its series' sum
    and MinT's, split over its series by their own forecasts, unless at the rolling origins that made
    both the family and its series worse than `bottom_up` (`forecast_backtest` says per family);
    `mint_shrink` moves every series by MinT, with the shrunk covariance of the errors at the
    rolling origins (best where a family's series move together, worse where families are categories
    of unrelated series); `bottom_up` keeps the series' forecasts as they are. Either way a family's
    figure is the sum of its series."""
    reconciliation_levels: tuple[HierarchyLevel, ...] = ("total", "product_family", "region")
    """The levels MinT forecasts on their own. Adding `sku` forecasts every sku's total too: a
    quarter more model fits, for a family WAPE of 0.064 against 0.067 on the sample's backtest (with `mint_shrink`)."""
    n_jobs: Positive | None = None
    """Worker processes for the model fits; None: one per core."""
    dask_scheduler: str | None = field(default_factory=lambda: os.environ.get("SOP_DASK_SCHEDULER") or None)
    """Address of a Dask scheduler (tcp://host:8786) to run the model fits on instead
    (SOP_DASK_SCHEDULER); None: this machine."""

    def __post_init__(self) -> None:
        if self.origin_count < 1:
            raise ValueError("origin_count must be at least 1: the weights and intervals learn from the origins")
        if self.selection_steps > self.origin_step_months:
            # Otherwise an older origin's selection months reach into the months the backtest scores.
            raise ValueError("selection_steps must not exceed origin_step_months")
        if set(self.pools) != {"regular", "intermittent"}:
            raise ValueError(f"pools must name the regular and intermittent segments, not {sorted(self.pools)}")
        if set(self.pool_methods) != set(self.pools):
            raise ValueError(f"pool_methods must name the segments of pools, not {sorted(self.pool_methods)}")

    @property
    def origin_backs(self) -> tuple[int, ...]:
        """The rolling origins in months before the end of the history, the newest first."""
        return tuple(self.origin_step_months * (index + 1) for index in range(self.origin_count))


@dataclass(frozen=True)
class AccuracyConfig:
    __pydantic_config__ = SETTINGS

    accuracy_months: Positive = 6
    """Trailing months (up to M-1) on which published forecasts are judged each plan month."""
    lags: tuple[Positive, ...] = (1, 3)
    """Lag k judges the forecast of a month published k - 1 plan months before it."""

    def __post_init__(self) -> None:
        if not {1, 3} <= set(self.lags):
            raise ValueError("lags must include 1 and 3: the plan publishes the families' accuracy at both")


@dataclass(frozen=True)
class FamilyCosts:
    """A family's own supply-plan costs (`[plan.families.<family>]`); a cost not set is the default."""

    __pydantic_config__ = SETTINGS

    below_safety_stock_cost: NonNegative | None = None
    holding_cost: NonNegative | None = None


@dataclass(frozen=True)
class PlanConfig:
    __pydantic_config__ = SETTINGS

    first_plan_month: Annotated[str | None, AfterValidator(lambda label: label and month_label(parse_month(label)))] = (
        None
    )
    """The first plan month, YYYY-MM: Dagster's monthly partitions start here (the UI lists no months before
    it, and a backfill requests none). Default: the earliest `YYYY-MM` folder of the extracts, where the data
    starts, as the definitions load (2023-01 while there is none)."""
    price_lookback_months: Positive = 12
    """Average selling price and its family fallback use this many months of recent sales."""
    below_safety_stock_cost: NonNegative = 10.0
    """Supply plan costs per unit and month, once every unit that can be shipped is (unmet
    demand comes first, whatever these are): stock below safety stock costs this..."""
    holding_cost: NonNegative = 1.0
    """...and holding a unit of stock this."""
    families: dict[str, FamilyCosts] = field(default_factory=dict)
    """Costs of their own for some families, by name: `[plan.families.Garden]` then `holding_cost = 2.0`."""

    def for_family(self, family: str) -> PlanConfig:
        """These costs, with the family's own where it has them."""
        own = self.families.get(family)
        if own is None:
            return self
        return replace(self, **{name: value for name, value in vars(own).items() if value is not None})


@dataclass(frozen=True)
class FamilyRisks:
    """A family's own risk thresholds (`[risks.families.<family>]`); a threshold not set is the default."""

    __pydantic_config__ = SETTINGS

    unmet_tolerance_units: NonNegative | None = None
    unmet_tolerance_share: Share | None = None
    excess_days_of_supply: Annotated[float, Field(gt=0)] | None = None
    revenue_gap_pct: Annotated[float, Field(ge=-1, le=0)] | None = None
    long_horizon_from: Positive | None = None
    long_horizon_gap_pct: Annotated[float, Field(gt=0)] | None = None
    wape_limit: Annotated[float, Field(gt=0)] | None = None
    bias_limit: Annotated[float, Field(gt=0)] | None = None


@dataclass(frozen=True)
class RiskConfig:
    """When a risk is raised (in the risk register, and the plan's risk_flags for the monthly kinds),
    how severe it is, and what the register suggests doing.

    A risk that fires everywhere is noise: every threshold here is meant to pick out the few
    families and months the meeting must discuss."""

    __pydantic_config__ = SETTINGS

    unmet_tolerance_units: NonNegative = 0.5
    """Unmet demand or a safety-stock gap below this many units is rounding, not a risk..."""
    unmet_tolerance_share: Share = 0.01
    """...and unmet demand below this share of the month's demand is within the forecast's noise."""
    excess_days_of_supply: Annotated[float, Field(gt=0)] = 120.0
    """Stock beyond safety stock and what later months will draw on, above this many days of
    the month's demand (or any, with no demand), is excess."""
    revenue_gap_pct: Annotated[float, Field(ge=-1, le=0)] = -0.05
    """A whole year's revenue outlook this far (or further) under budget."""
    long_horizon_from: Positive = 13
    """Months ahead (1 = the plan month) from which the forecast is compared with the budget..."""
    long_horizon_gap_pct: Annotated[float, Field(gt=0)] = 0.10
    """...and a gap this large, either way, asks whether the long-term plan needs revising."""
    near_term_months: Positive = 3
    """Months from the plan month (the plan month included) that make the near term: a risk starting
    in them is a decision for this meeting, and question 2 reports their capacity use and fill rate."""
    wape_limit: Annotated[float, Field(gt=0)] = 0.30
    """A family's lag-1 WAPE over the recent months above this is low forecast accuracy..."""
    accuracy_min_months: Positive = 3
    """...judged on at least this many months (one bad month is not a bad forecast)..."""
    bias_limit: Annotated[float, Field(gt=0)] = 0.15
    """...and so is a bias (either way) above this."""
    overdue_high_after_months: Annotated[int, Field(ge=0)] = 1
    """An open action past its due month is a risk of its own (`overdue_action`): of its severity at one
    month late, high beyond this many."""
    harmful_fva: NonNegative = 0.01
    """A source of the demand review whose changes raised a family's lag-1 WAPE by more than this, over
    at least `accuracy_min_months` months it changed, makes the forecast worse."""
    families: dict[str, FamilyRisks] = field(default_factory=dict)
    """Thresholds of their own for some families, by name: `[risks.families.Garden]` then `wape_limit = 0.40`
    (tolerances of unmet demand, excess days of supply, the revenue gap, where the long term starts and
    its gap, WAPE and bias)."""
    severity: dict[RiskKind, RiskLevel] = field(
        default_factory=lambda: {
            "unmet_demand": "high",
            "capacity_overload": "medium",
            "revenue_below_budget": "medium",
            "long_horizon_gap": "medium",
            "low_forecast_accuracy": "medium",
            "adjustment_hurts_accuracy": "medium",
            "overdue_action": "medium",
            "below_safety_stock": "low",
            "excess_inventory": "low",
            "data_quality": "low",
        }
    )
    """Severity of each kind; a plan row's risk_level is the highest among its flags."""
    actions: dict[RiskKind, ActionText] = field(
        default_factory=lambda: {
            "unmet_demand": (
                "Add capacity for {period}: {measure:,.0f} units of demand go unmet at {reference:.0%} utilization"
                " (a shift, overtime, re-balancing to another plant), or agree the shortfall with sales."
            ),
            "capacity_overload": (
                "Hold the stock plan: demand tops capacity by {measure:,.0f} units in {period}, covered by the"
                " {reference:,.0f} units in stock at the start of the month; a slip in production becomes unmet demand."
            ),
            "below_safety_stock": (
                "Replenish for {period}: stock falls {measure:,.0f} units under its safety stock of"
                " {reference:,.0f}; expedite supply or review the safety stock."
            ),
            "excess_inventory": (
                "Slow production or promote: {measure:,.0f} units in {period} beyond safety stock and what later"
                " months need ({reference:,.0f} days of demand)."
            ),
            "revenue_below_budget": (
                "Review pricing, mix and promotions: the {period} revenue outlook is {measure:+.1%} against budget"
                " ({currency} {reference:+,.0f})."
            ),
            "long_horizon_gap": (
                "Revise the long-term plan: from {period} the forecast runs {measure:+.0%} against the budget"
                " ({reference:+,.0f} units)."
            ),
            "low_forecast_accuracy": (
                "Review the {family} forecast with sales and marketing: lag-1 WAPE {measure:.0%},"
                " bias {reference:+.0%} over the recent months."
            ),
            "adjustment_hurts_accuracy": (
                "Review the {subject} changes to {family} with {owners}: from {period} they raised lag-1 WAPE by"
                " {measure:.1pts} over the {reference:.1%} of the forecast before them; keep the changes backed by firm"
                " orders or events, drop the rest."
            ),
            "overdue_action": (
                "Follow up action {subject} with {owners}: due {period}, {measure:.0f} month(s) late and still open;"
                " agree a date the meeting can hold or escalate it."
            ),
            "data_quality": "Fix at the source: {subject}.",
        }
    )
    """Each kind's suggested action, a text with the risk's fields: {period}, {subject}, {owners},
    {family}, {measure}, {reference} (what each holds depends on the kind) and {currency} (`[report]
    currency`), each with a Python format spec if need be; a spec ending in `pts` writes a share as
    percentage points (`{measure:.1pts}`: "1.8 points")."""


CheckName = Literal[
    "sales_coverage",
    "sales_restatement",
    "sales_level_break",
    "sales_stale_copy",
    "inventory_on_hand",
    "inventory_unit_cost",
    "capacity_change",
    "budget_rewritten",
]
"""The checks of an extract against the extract before it and its own history (`sop.intake.history`)."""
CheckSeverity = Literal["warn", "block"]
"""`warn`: a data-quality risk of the month, which goes on; `block`: the month stops, like a contract error."""
Factor = Annotated[float, Field(gt=1)]
CHECK_SEVERITY: dict[CheckName, CheckSeverity] = {
    "sales_coverage": "warn",
    "sales_restatement": "warn",
    "sales_level_break": "block",
    "sales_stale_copy": "block",
    "inventory_on_hand": "warn",
    "inventory_unit_cost": "warn",
    "capacity_change": "warn",
    "budget_rewritten": "warn",
}
"""A unit change and a stale copy would plan on numbers that are not the company's: they block."""


@dataclass(frozen=True)
class ChecksConfig:
    """Extracts that keep the contract but are wrong: each extract against the one of the month before and
    against its own history (`expectations/checks/`), after its contract holds.

    The defaults stay quiet on the sample company's months and on a generated company of 50,000 series:
    each fires only well beyond what their noise reaches (`bench/history_checks.py` prints both)."""

    __pydantic_config__ = SETTINGS

    coverage_trailing_months: Positive = 3
    """`sales_coverage`: a series (sku x region) that sold in each of this many months before the last
    closed month is expected in it..."""
    coverage_near_zero: Share = 0.1
    """...and is missing there when it sold less than this share of its mean over those months, or nothing;..."""
    coverage_min_series: Positive = 3
    """...a region's family with at least this many such series..."""
    coverage_missing_share: Share = 0.5
    """...is incomplete when more than this share of them is missing."""
    hold_out_missing_sales: bool = False
    """With true, the missing series of a region's family that `sales_coverage` warns of (a late feed) are
    held out of the last closed month: the forecast reads an estimate of that month instead of zero (their
    mean of the months before, moved as the family's series in the regions that reported moved; without
    such regions, the mean of that and the month a year before scaled). Forecast accuracy still judges
    last month's forecast against the extract as it came."""
    restatement_tolerance: Share = 0.05
    """`sales_restatement`: a family's units of a month that both this and last month's extract hold,
    changed by more than this share..."""
    restatement_min_units: NonNegative = 50.0
    """...and by at least this many units, is restated history."""
    level_break_months: Positive = 12
    """`sales_level_break`: a family's or region's last closed month against its lowest and highest of
    this many months before it (all with sales)..."""
    level_break_factor: Factor = 10.0
    """...breaks the level when it is above the highest times this, or below the lowest divided by it
    (a unit of measure changed by 1,000 does)."""
    stale_copy_share: Share = 0.9
    """`sales_stale_copy`: the last closed month equal to the month before on more than this share of the
    series that sold in either..."""
    stale_copy_min_series: Positive = 10
    """...of at least this many, is a copy of the month before."""
    on_hand_factor: Factor = 5.0
    """`inventory_on_hand`: a family's stock on hand this many times last month's snapshot, or under it
    divided by this."""
    unit_cost_factor: Factor = 3.0
    """`inventory_unit_cost`: a sku's unit cost at a location changed by more than this factor since the
    last snapshot."""
    capacity_factor: Factor = 3.0
    """`capacity_change`: a plant's capacity for a family, in a month both this and last month's extract
    hold, gone or changed by more than this factor."""
    budget_tolerance: Share = 0.01
    """`budget_rewritten`: a family's budget revenue or units of a year both extracts hold changed by more
    than this share."""
    severity: dict[CheckName, CheckSeverity] = field(default_factory=lambda: dict(CHECK_SEVERITY))
    """Each check's severity: `warn` (the month goes on; the finding is a data-quality risk of the register)
    or `block` (the month stops, like a contract error); a check not named keeps its default. A unit
    change and a stale copy would plan on numbers that are not the company's, so they block."""

    def severity_of(self, check: CheckName) -> CheckSeverity:
        return self.severity.get(check, CHECK_SEVERITY[check])


Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]


@dataclass(frozen=True)
class ReportConfig:
    """How the pack and the summary write the company's numbers."""

    __pydantic_config__ = SETTINGS

    currency: Currency = "EUR"
    """The ISO 4217 code of the currency the extracts' money is in (net revenue, budget, costs): the
    pack names it with every amount of money. It converts nothing."""
    family_owners: dict[str, str] = field(default_factory=dict)
    """Who answers for each family at the meeting (`"Garden" = "Lena Fischer"`): the owner of its
    decisions. A family not named here takes the owner of its latest action in the action log; an
    overdue action's decision is always its own owner's."""


@dataclass(frozen=True)
class Scenario:
    """A what-if beside the base plan: the same month planned again with some inputs changed.

    Each change applies to one family or plant, or to all where that is None."""

    __pydantic_config__ = SETTINGS

    name: str
    """Its value in the `scenario` column of the plan tables (the base plan is `base`)."""
    description: str
    demand_change_pct: float = 0.0
    """Demand up (+0.10) or down (-0.10) by this share..."""
    demand_family: str | None = None
    """...for this family, or all."""
    capacity_change_pct: float = 0.0
    """Capacity up or down by this share..."""
    capacity_plant: str | None = None
    """...at this plant, or all..."""
    capacity_months: tuple[int, int] | None = None
    """...in these months of the horizon, first and last (1 = the plan month), or all."""
    price_change_pct: float = 0.0
    """Selling prices up or down by this share..."""
    price_family: str | None = None
    """...for this family, or all."""

    def __post_init__(self) -> None:
        if not self.name.isidentifier() or self.name == "base":
            raise ValueError(f"scenario name {self.name!r}: use a word like plant_b_outage, and not base")
        for change in (self.demand_change_pct, self.capacity_change_pct, self.price_change_pct):
            if change <= -1:
                raise ValueError(f"scenario {self.name}: a change of {change:+.0%} leaves nothing; use more than -100%")
        if self.capacity_months is not None and not 1 <= self.capacity_months[0] <= self.capacity_months[1]:
            raise ValueError(
                f"scenario {self.name}: capacity_months {self.capacity_months} must be (first, last), 1-based"
            )


DEFAULT_SCENARIOS = (
    Scenario(
        "promotion",
        "A promotion across the range: demand up 10% at prices 5% lower.",
        demand_change_pct=0.10,
        price_change_pct=-0.05,
    ),
    Scenario(
        "plant_b_outage",
        "Plant-B loses 40% of its capacity in months 2 to 4 of the horizon (a line rebuild).",
        capacity_change_pct=-0.40,
        capacity_plant="Plant-B",
        capacity_months=(2, 4),
    ),
)


@dataclass(frozen=True)
class Config:
    __pydantic_config__ = SETTINGS

    forecast: ForecastConfig = field(default_factory=ForecastConfig)
    accuracy: AccuracyConfig = field(default_factory=AccuracyConfig)
    risks: RiskConfig = field(default_factory=RiskConfig)
    plan: PlanConfig = field(default_factory=PlanConfig)
    checks: ChecksConfig = field(default_factory=ChecksConfig)
    report: ReportConfig = field(default_factory=ReportConfig)
    scenarios: tuple[Scenario, ...] = DEFAULT_SCENARIOS
    """Planned beside the base plan every month, one `[[scenarios]]` table each (a file's scenarios replace
    these); `scenarios = []` at the top of the file plans the base alone."""

    def __post_init__(self) -> None:
        names = [scenario.name for scenario in self.scenarios]
        if len(set(names)) != len(names):
            raise ValueError(f"scenario names repeat: {names}")


DEFAULT_CONFIG = Config()
