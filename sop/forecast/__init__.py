"""Forecast: the statistical baseline per sku x region, and how earlier forecasts fared."""

from sop.forecast.accuracy import track_accuracy
from sop.forecast.baseline import forecast_month
from sop.forecast.progress import ProgressLog

__all__ = ["ProgressLog", "forecast_month", "track_accuracy"]
