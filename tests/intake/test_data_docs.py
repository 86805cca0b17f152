"""With data docs on (`SOP_DATA_DOCS=1`), every extract validated for a month shows in one site whose
index and pages read offline; each check adds its extract to what the earlier checks wrote."""

from datetime import datetime
from pathlib import Path

from sop.core.months import parse_month
from sop.intake.contract import EXTRACTS
from sop.intake.gx_suite import validate_with_gx
from sop.intake.ingest import land_extract
from tests.intake.test_validation_engines import MANY, MONTH, _landed
from tests.offline_page import OfflinePage


def test_one_index_lists_every_validated_extract_of_the_month_and_reads_offline(tmp_path: Path) -> None:
    con, _ = _landed(tmp_path, MANY)
    month, docs = parse_month(MONTH), tmp_path / "data_docs"
    for extract in ("sales", "inventory", "actions", "sales"):  # sales twice: its check run again
        validate_with_gx(con, extract, month, docs)
    for actions_file in (tmp_path / "extracts" / MONTH).glob("actions.*"):
        actions_file.unlink()  # the optional extract withdrawn, and the month run again
    land_extract(con, EXTRACTS["actions"], tmp_path / "extracts", month, datetime(2026, 10, 4))
    validate_with_gx(con, "actions", month, docs)
    con.close()

    index = OfflinePage(docs / "index.html")
    assert [row[:3] for row in index.rows if row] == [
        ["sales", "expectations/sales.json", "failed: 2 error(s), 0 warning(s)"],
        ["inventory", "expectations/inventory.json", "passed"],
    ]
    assert f"Plan month {MONTH}" in index.text
    assert (index.scripts, index.remote) == (0, [])
    pages = [docs / link for link in index.links]
    assert [page.parent.parent.parent.name for page in pages] == ["sales", "inventory"]
    assert all(page.is_file() for page in pages)
    assert sorted((docs / "validations").rglob("*.html")) == sorted(pages), "old pages left behind"

    sales = OfflinePage(pages[0])
    assert {"Unsuccessful Expectations", "-3.0", "-1.0"} <= set(sales.text), "the results are drawn by scripts"
    assert all((pages[0].parent / link).resolve().is_file() for link in sales.links if link.endswith(".html"))
