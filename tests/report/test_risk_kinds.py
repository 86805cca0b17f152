"""The register's kinds in plain words: one name per kind, for every kind the settings and the register use."""

import duckdb

from sop.core.models import sql_text
from sop.plan.risk_kinds import FLAGS, KINDS


def test_every_kind_of_the_register_has_one_plain_name_in_its_order() -> None:
    kinds = duckdb.connect().sql(f"{sql_text('risk_kinds')} order by position").pl()
    assert tuple(kinds["kind"]) == KINDS
    assert kinds["risk"].is_unique().all() and kinds["meaning"].is_not_null().all()
    assert not kinds["risk"].str.contains("_").any()


def test_the_kinds_judged_month_by_month_are_the_plans_flags() -> None:
    kinds = duckdb.connect().sql(sql_text("risk_kinds")).pl()
    assert set(kinds.filter("per_month")["kind"]) == set(FLAGS)
