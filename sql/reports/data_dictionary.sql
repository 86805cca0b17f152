-- data_dictionary: what every documented table, view and column of the warehouse means. The approved
-- copies (schema approved) are named with their schema: their columns are their table's, after `approval`.
-- Grain: one row per table or view x column (column_name null: the table or view itself).
select
    case when schema_name = 'main' then table_name else schema_name || '.' || table_name end as table_name,
    null as column_name,
    null as data_type,
    comment
from duckdb_tables()
where comment is not null and database_name = current_database()
union all
select view_name as table_name, null as column_name, null as data_type, comment
from duckdb_views()
where comment is not null and database_name = current_database() and schema_name = 'main' and not temporary
union all
select table_name, column_name, data_type, comment
from duckdb_columns()
where comment is not null and database_name = current_database() and schema_name = 'main'
order by table_name, column_name nulls first
