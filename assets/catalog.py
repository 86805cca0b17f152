"""What the Dagster catalog shows of each published table before any run: its columns with their types and
meaning (from the table's contract, as `data_dictionary` shows them), its grain, and where it is."""

import dagster as dg

from sop.core import tables
from sop.core.models import contract


def catalog(table: str) -> dict[str, object]:
    """The definition metadata of the asset that writes the published table `table`."""
    grain = " x ".join(tables.GRAIN[table])
    columns = [dg.TableColumn(name, kind.lower(), description) for name, kind, description in contract(table).columns]
    return {
        "dagster/column_schema": dg.TableSchema(columns, dg.TableConstraints(other=[f"one row per {grain}"])),
        "dagster/table_name": f"main.{table}",
        "grain": grain,
        "parquet": f"<export>/{table}/plan_month=YYYY-MM-01/data.parquet",
    }
