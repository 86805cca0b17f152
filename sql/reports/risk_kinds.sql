-- risk_kinds: every kind of risk of the register in plain words. `kind` is the code name of
-- risk_register.kind and of the settings (RiskConfig); `risk` is what the pack, the meeting's views and
-- the terminal summary call it; `meaning` says when the register raises it; `per_month`: whether it is
-- judged month by month on the plan (its risk_flags), so that an episode of it covers months;
-- `options`: what the meeting can decide about it, the choices the decisions page sets beside the
-- register's suggested action (which is one of them, with the episode's numbers).
-- Grain: one row per kind, in the register's order (the plan's monthly flags first).
select *
from (
    values
        (1, 'unmet_demand', 'Demand the plan cannot supply',
            'Capacity and stock together fall short of the consensus demand in a month.', true,
            'Add capacity (overtime, a shift, another plant); build ahead from earlier months; agree the shortfall with sales and tell the customers.'),
        (2, 'capacity_overload', 'Demand above capacity',
            'The month''s demand needs more than the family''s capacity, before building ahead.', true,
            'Hold the stock plan and build ahead; add capacity for the peak; move volume to another plant; agree a lower volume with sales.'),
        (3, 'below_safety_stock', 'Stock below safety stock',
            'The projected stock at the end of a month falls below the safety stock.', true,
            'Expedite supply; accept the thinner buffer for these months; review the safety stock.'),
        (4, 'excess_inventory', 'Excess stock',
            'Stock beyond safety stock and what later months draw on covers too many days of demand.', true,
            'Slow production; run the stock down with a promotion; review the safety stock and the forecast.'),
        (5, 'revenue_below_budget', 'Revenue below budget',
            'The year''s revenue outlook falls short of its budget by more than the tolerance.', false,
            'Act on pricing, mix or promotions; accept the gap and tell finance; revise the budget.'),
        (6, 'long_horizon_gap', 'Long-term demand far from budget',
            'From the long horizon on, demand runs far enough from the budget to revise the long-term plan.', false,
            'Revise the long-term plan and budget; plan the demand actions that close the gap; keep both and review next month.'),
        (7, 'low_forecast_accuracy', 'Forecast error high',
            'The family''s lag-1 forecast error (WAPE) over the recent months is above the limit.', false,
            'Review the forecast''s inputs with sales and marketing; hold more safety stock while the error lasts; accept the error.'),
        (8, 'adjustment_hurts_accuracy', 'Review changes made the forecast worse',
            'A source''s changes in the demand review raised the forecast error over the forecast before them.', false,
            'Keep only the changes backed by firm orders or events; stop the source''s changes for this family; keep them and review next month.'),
        (9, 'overdue_action', 'Action overdue',
            'An action of the meeting is past its due month and still open.', false,
            'Agree a new due date; escalate to the action''s sponsor; drop the action and the risk it answers.'),
        (10, 'data_quality', 'Data quality',
            'An extract breaks a rule of the input contract or a check against last month''s extracts.', false,
            'Correct the extract and run the month again; plan on these numbers and mark the risk; exclude the rows.')
) as kinds (position, kind, risk, meaning, per_month, options)
