"""Dagster definitions of the S&OP pipeline."""

from pipelines.definitions import defs

__all__ = ["defs"]
