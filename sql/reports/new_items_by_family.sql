-- new_items_by_family: 7, per family. Per plan month, the families with items forecast as new: how
-- many, their forecast over the horizon and its share of the family's.
-- Grain: one row per plan_month x product_family with new items.
with families as (
    select
        plan_month,
        product_family,
        count(distinct sku) filter (where segment = 'new') as new_skus,
        sum(forecast_units) filter (where segment = 'new') as new_forecast_units,
        sum(forecast_units) filter (where segment = 'new') / nullif(sum(forecast_units), 0) as share_of_family
    from sku_forecast
    group by plan_month, product_family
    having count(*) filter (where segment = 'new') > 0
)

select *, row_number() over (partition by plan_month order by product_family) as position
from families
