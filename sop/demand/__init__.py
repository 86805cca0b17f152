"""Demand: the demand review, the statistical forecast changed by the people who know what it cannot."""

from sop.demand.consensus import Consensus, build_demand_plan

__all__ = ["Consensus", "build_demand_plan"]
