-- validation_results: the contract of the published table, created before any month is planned: its columns,
-- their types (what marts/validation_results.sql writes, in order) and their meaning (view data_dictionary).
create table if not exists validation_results (
    plan_month date,
    extract varchar,
    source_file varchar,
    column_name varchar,
    rule varchar,
    severity varchar,
    failing_rows bigint,
    example_rows bigint[],
    detail varchar,
    check_name varchar,
    product_family varchar,
    region varchar,
    months varchar
);

comment on table validation_results is 'Every rule an extract broke at its last validation, errors and warnings: the rules of the input contract (check_name <extract>_contract) and the checks against the extract of the month before and its own history (<extract>_history, one row per family, region, plant or year found wrong). One row per plan_month x extract x check_name x column x rule; a month whose extracts broke no rule has none.';
comment on column validation_results.plan_month is 'The plan month whose extracts were validated.';
comment on column validation_results.extract is 'sales, inventory, capacity or financials.';
comment on column validation_results.source_file is 'The file validated.';
comment on column validation_results.column_name is 'The column the rule is about (the file itself for rules on the whole file).';
comment on column validation_results.rule is 'The rule of the contract, as the error message names it; for a check against history, what it found (the message).';
comment on column validation_results.severity is 'error (the month stopped) or warning (reported; a data-quality risk of the month).';
comment on column validation_results.failing_rows is 'How many rows break the rule (null for a check against history).';
comment on column validation_results.example_rows is 'Row numbers (1 = the first data row) of the first rows that break it.';
comment on column validation_results.detail is 'The failing values and what was expected.';
comment on column validation_results.check_name is 'The Dagster asset check that found it: <extract>_contract (the input contract, on raw_<extract>) or <extract>_history (against the month before and its own history, on stg_<extract>).';
comment on column validation_results.product_family is 'The family a check against history found wrong, if it is about one.';
comment on column validation_results.region is 'The region a check against history found wrong, if it is about one.';
comment on column validation_results.months is 'The months (YYYY-MM, a range, or a year) a check against history found wrong.';
