"""Demand patterns after Syntetos and Boylan (2005): how often an item sells, and how evenly.

ADI, the average interval between months with demand, and CV², the squared coefficient of
variation of the non-zero demand sizes, split series at ADI = 1.32 and CV² = 0.49 into
smooth, erratic, intermittent and lumpy. Each class suits different models (the segments of
`sop.forecast.segments` choose among them); analysts also read the class to see which items
forecast error is inherent to.
"""

from __future__ import annotations

import polars as pl

ADI_CUTOFF = 1.32
CV2_CUTOFF = 0.49


def classify_demand(series: pl.DataFrame, keys: tuple[str, ...] = ("sku", "region")) -> pl.DataFrame:
    """`keys`, adi, cv2 and demand_pattern for each series of zero-filled monthly `units`;
    a series without any demand has null adi and cv2 and the pattern `no demand`."""
    sizes = pl.col("units").filter(pl.col("units") > 0)
    measured = series.group_by(keys).agg(
        pl.when(sizes.len() > 0).then(pl.len() / sizes.len()).alias("adi"),
        pl.when(sizes.len() > 0).then((sizes.std(ddof=0) / sizes.mean()).pow(2)).alias("cv2"),
    )
    frequent, even = pl.col("adi") < ADI_CUTOFF, pl.col("cv2") < CV2_CUTOFF
    pattern = (
        pl.when(pl.col("adi").is_null())
        .then(pl.lit("no demand"))
        .when(frequent & even)
        .then(pl.lit("smooth"))
        .when(frequent)
        .then(pl.lit("erratic"))
        .when(even)
        .then(pl.lit("intermittent"))
        .otherwise(pl.lit("lumpy"))
    )
    return measured.with_columns(pattern.alias("demand_pattern")).sort(keys)
