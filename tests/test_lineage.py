"""Lineage, as dbt's ref() would guarantee it: the registry names every table once, and every table a
model reads is a dependency of the asset that runs the model."""

from pipelines.definitions import defs
from sop.core import tables
from sop.core.models import CONTRACT_SUFFIX, UPGRADE_SUFFIX, model_paths, reads

RAW_ASSETS = set(tables.RAW)
SIDE_TABLES = {
    tables.RAW_LOADS: RAW_ASSETS,
    tables.VALIDATION_RESULTS: RAW_ASSETS,
    **{table: {asset} for table, asset in tables.WRITTEN_BESIDE.items()},
}
"""Tables written beside an asset by its step or its checks (the landing record, the rules broken,
the settings the month is planned with), with the assets that write them."""
OUTSIDE_THE_RUN = {tables.PLAN_APPROVALS}
"""Tables no month's run writes: the meeting's approvals (`sop-run approve`, job approve_plan)."""


def test_every_model_is_named_in_the_registry_and_every_name_has_its_model() -> None:
    companions = (CONTRACT_SUFFIX, UPGRADE_SUFFIX)
    models = {name for name in model_paths() if not name.endswith(companions) and name != "macros"}
    assert sorted(models - set(tables.MODELS)) == []
    assert sorted(set(tables.MODELS) - models) == []
    assert len(set(tables.MODELS)) == len(tables.MODELS)


def test_every_published_table_has_a_contract() -> None:
    assert all(f"{table}{CONTRACT_SUFFIX}" in model_paths() for table in tables.WITH_CONTRACT)


def test_every_table_a_model_reads_is_a_dependency_of_the_asset_that_runs_it() -> None:
    graph = defs.resolve_asset_graph()
    unlisted = []
    for key in graph.get_all_asset_keys():
        name = key.to_user_string()
        if name not in model_paths():
            continue
        node = graph.get(key)
        allowed = {parent.to_user_string() for parent in node.parent_keys}
        allowed |= {sibling.to_user_string() for sibling in node.assets_def.keys}  # one step builds them all
        upstream = {ancestor.to_user_string() for ancestor in graph.get_ancestor_asset_keys(key)}
        for table in reads(name):
            if table not in allowed | OUTSIDE_THE_RUN and not SIDE_TABLES.get(table, set()) & upstream:
                unlisted.append(f"{name} reads {table}, which is not among its dependencies")
    assert unlisted == []


def test_every_table_a_report_reads_is_published_before_the_pack_reads_it() -> None:
    graph = defs.resolve_asset_graph()
    pack = next(key for key in graph.get_all_asset_keys() if key.to_user_string() == "sop_pack")
    upstream = {ancestor.to_user_string() for ancestor in graph.get_ancestor_asset_keys(pack)}
    # The pack's step creates the reports in their order: one may read those before it.
    unpublished = [
        f"{report} reads {table}"
        for position, report in enumerate(tables.REPORTS)
        for table in reads(report)
        if table not in upstream | OUTSIDE_THE_RUN | set(tables.REPORTS[:position])
        and not SIDE_TABLES.get(table, set()) & upstream
    ]
    assert unpublished == []


def test_a_model_reads_through_intermediate_models_and_python_frames() -> None:
    # consolidated_plan reads int_sku_value and the supply LP's frame (made from int_supply_inputs).
    assert {tables.STG_INVENTORY, tables.STG_CAPACITY, tables.SKU_FORECAST} <= reads(tables.CONSOLIDATED_PLAN)
    assert tables.SKU_VALUE not in reads(tables.CONSOLIDATED_PLAN)
