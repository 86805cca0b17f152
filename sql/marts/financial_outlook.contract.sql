-- financial_outlook: the contract of the published table, created before any month is planned: its columns,
-- their types (what marts/financial_outlook.sql writes, in order) and their meaning (view data_dictionary).
create table if not exists financial_outlook (
    plan_month date,
    level varchar,
    product_family varchar,
    year integer,
    plan_months integer,
    budget_months integer,
    actual_revenue_ytd double,
    budget_revenue_ytd double,
    variance_revenue_ytd double,
    actual_margin_ytd double,
    budget_margin_ytd double,
    outlook_units double,
    budget_units double,
    outlook_revenue double,
    budget_revenue double,
    gap_revenue double,
    gap_revenue_pct double,
    outlook_margin double,
    budget_margin double,
    gap_margin double,
    scenario varchar
);

comment on table financial_outlook is 'Revenue and margin to date and for the full year (actuals plus plan) against budget. One row per plan_month x scenario x level x product_family x year.';
comment on column financial_outlook.plan_month is 'The plan month.';
comment on column financial_outlook.level is 'family or total.';
comment on column financial_outlook.product_family is 'Product family; null on the total.';
comment on column financial_outlook.year is 'Calendar year touched by the horizon.';
comment on column financial_outlook.plan_months is 'Months of the year the plan covers.';
comment on column financial_outlook.budget_months is 'Months of the year the budget covers.';
comment on column financial_outlook.actual_revenue_ytd is 'Net revenue sold in the year up to the month before the plan month.';
comment on column financial_outlook.budget_revenue_ytd is 'Budget revenue of the same months.';
comment on column financial_outlook.variance_revenue_ytd is 'actual_revenue_ytd minus budget_revenue_ytd.';
comment on column financial_outlook.actual_margin_ytd is 'Actual revenue minus units sold at today''s unit cost, year to date.';
comment on column financial_outlook.budget_margin_ytd is 'Budget revenue minus budget COGS of the same months.';
comment on column financial_outlook.outlook_units is 'Units sold so far plus units the plan ships in the rest of the year.';
comment on column financial_outlook.budget_units is 'Budget units of the year (of the months it covers).';
comment on column financial_outlook.outlook_revenue is 'Revenue so far plus plan revenue for the rest of the year.';
comment on column financial_outlook.budget_revenue is 'Budget revenue of the year (of the months it covers).';
comment on column financial_outlook.gap_revenue is 'outlook_revenue minus budget_revenue.';
comment on column financial_outlook.gap_revenue_pct is 'gap_revenue over budget_revenue.';
comment on column financial_outlook.outlook_margin is 'Gross margin so far plus plan margin for the rest of the year.';
comment on column financial_outlook.budget_margin is 'Budget revenue minus budget COGS of the year.';
comment on column financial_outlook.gap_margin is 'outlook_margin minus budget_margin.';
comment on column financial_outlook.scenario is 'The plan this row belongs to: base, or the name of a what-if scenario of the configuration (sop/core/config.py Scenario), planned the same month with its changes to demand, capacity or price.';
