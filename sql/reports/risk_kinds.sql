-- risk_kinds: every kind of risk of the register in plain words. `kind` is the code name of
-- risk_register.kind and of the settings (RiskConfig); `risk` is what the pack, the meeting's views and
-- the terminal summary call it; `meaning` says when the register raises it; `per_month`: whether it is
-- judged month by month on the plan (its risk_flags), so that an episode of it covers months.
-- Grain: one row per kind, in the register's order (the plan's monthly flags first).
select *
from (
    values
        (1, 'unmet_demand', 'Demand the plan cannot supply',
            'Capacity and stock together fall short of the consensus demand in a month.', true),
        (2, 'capacity_overload', 'Demand above capacity',
            'The month''s demand needs more than the family''s capacity, before building ahead.', true),
        (3, 'below_safety_stock', 'Stock below safety stock',
            'The projected stock at the end of a month falls below the safety stock.', true),
        (4, 'excess_inventory', 'Excess stock',
            'Stock beyond safety stock and what later months draw on covers too many days of demand.', true),
        (5, 'revenue_below_budget', 'Revenue below budget',
            'The year''s revenue outlook falls short of its budget by more than the tolerance.', false),
        (6, 'long_horizon_gap', 'Long-term demand far from budget',
            'From the long horizon on, demand runs far enough from the budget to revise the long-term plan.', false),
        (7, 'low_forecast_accuracy', 'Forecast error high',
            'The family''s lag-1 forecast error (WAPE) over the recent months is above the limit.', false),
        (8, 'adjustment_hurts_accuracy', 'Review changes made the forecast worse',
            'A source''s changes in the demand review raised the forecast error over the forecast before them.', false),
        (9, 'overdue_action', 'Action overdue',
            'An action of the meeting is past its due month and still open.', false),
        (10, 'data_quality', 'Data quality',
            'An extract breaks a rule of the input contract or a check against last month''s extracts.', false)
) as kinds (position, kind, risk, meaning, per_month)
