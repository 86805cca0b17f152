-- data_dictionary: what every documented table and column of the warehouse means.
-- Grain: one row per table x column (column_name null: the table itself).
select table_name, null as column_name, null as data_type, comment
from duckdb_tables()
where comment is not null
union all
select table_name, column_name, data_type, comment
from duckdb_columns()
where comment is not null
order by table_name, column_name nulls first
