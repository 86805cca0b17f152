"""The Dagster graph as a reviewable snapshot: any change to it shows in the diff."""

from pathlib import Path

import dagster as dg

from pipelines.definitions import defs
from sop.core import tables
from sop.core.models import contract_columns

SNAPSHOT = Path(__file__).parent / "snapshots" / "definitions.txt"


def describe_definitions() -> str:
    graph = defs.resolve_asset_graph()
    lines = []
    for key in sorted(graph.get_all_asset_keys(), key=lambda key: key.to_user_string()):
        node = graph.get(key)
        parents = ", ".join(sorted(parent.to_user_string() for parent in node.parent_keys))
        lines.append(f"asset {key.to_user_string()} <- [{parents}] group={node.group_name} pool={node.pools}")
    for check in sorted(graph.asset_check_keys, key=lambda check: check.to_user_string()):
        lines.append(f"check {check.to_user_string()} blocking={graph.get(check).blocking}")
    for job in sorted(defs.resolve_all_job_defs(), key=lambda job: job.name):
        if not job.name.startswith("__"):
            lines.append(f"job {job.name} partitioned={job.partitions_def is not None}")
    for unresolved in defs.schedules or []:
        schedule = defs.resolve_schedule_def(unresolved.name)
        lines.append(f"schedule {schedule.name} cron={schedule.cron_schedule!r} job={schedule.job_name}")
    for sensor in sorted(defs.sensors or [], key=lambda sensor: sensor.name):
        lines.append(f"sensor {sensor.name} job={sensor.job_name} status={sensor.default_status.value}")
    return "\n".join(lines) + "\n"


def test_the_definitions_graph_matches_its_snapshot() -> None:
    # After a deliberate change, rewrite the snapshot:
    # uv run python -c "from tests.test_definitions import *; SNAPSHOT.write_text(describe_definitions())"
    assert describe_definitions() == SNAPSHOT.read_text(encoding="utf-8")


def test_the_catalog_shows_every_published_table_with_its_contract_columns_and_grain() -> None:
    graph = defs.resolve_asset_graph()
    for table in tables.EXPORTED:
        metadata = graph.get(dg.AssetKey(table)).metadata
        schema = metadata["dagster/column_schema"]
        assert [(column.name, column.type) for column in schema.columns] == [
            (name, kind.lower()) for name, kind in contract_columns(table)
        ]
        assert all(column.description for column in schema.columns), table
        assert metadata["grain"] == " x ".join(tables.GRAIN[table])
