"""Great Expectations itself, on the same rows and suites as the DuckDB rules: for data docs.

GX 1.x cannot validate DuckDB tables (its SQL engine reads results after duckdb-engine has closed
the connection: GX issues #10738 and #11579), so it validates a pandas copy of
`validation_rows`. That costs an import of several seconds and the whole table in memory, which is
why the monthly run answers the rules in DuckDB and calls this only when data docs are asked for
(`SOP_DATA_DOCS=1`); the tests hold the two engines to the same findings.

Data docs are one site for all months and extracts: GX renders each validation's page to
`validations/<extract>/<YYYY-MM>/<time>/...html`, a small JSON entry per extract and month records its
outcome, and `index.html` is written here from those entries as a static page. GX's own index is not
used: it lists only what its context holds (one extract here, as each check has a fresh ephemeral
context and runs in its own step), deletes the pages of the others, and its lists are drawn by scripts
loaded from the web, so offline it shows nothing. Its validation pages hold their content in the
HTML itself and only miss the web stylesheets offline.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import jinja2
import polars as pl

from sop.core.config import DEFAULT_CONFIG, ChecksConfig
from sop.core.months import month_label
from sop.intake.contract import EXTRACTS, ExtractSpec
from sop.intake.history import check_suite, checks_of, evidence_table, history_parameters
from sop.intake.rule_sql import VALIDATION_ROWS
from sop.intake.validation import (
    EXAMPLE_ROWS,
    RuleFailure,
    ValidationReport,
    applicable_expectations,
    expectation_parameters,
    load_record,
    load_suite_json,
    rule_detail,
    rule_failure,
    validation_rows,
)


def validate_with_gx(
    con: duckdb.DuckDBPyConnection,
    extract: str,
    plan_month: date,
    docs_dir: Path | None = None,
    horizon_months: int = DEFAULT_CONFIG.forecast.horizon_months,
) -> ValidationReport:
    """The extract's suite run by GX; with `docs_dir`, its page joins the data docs site there
    (replacing the extract's earlier page for the month) and the site's index is rewritten."""
    landed = load_record(con, extract, plan_month)
    if landed.source_file is None:
        if docs_dir is not None:
            # An optional extract gone from a re-run month: its old page would tell of a file no longer used.
            _forget_page(docs_dir, extract, plan_month)
            _write_index(docs_dir)
        return ValidationReport(extract, None, 0, ())
    with validation_rows(con, landed, plan_month) as rows:
        # File order: GX's first failing rows are then the file's, as DuckDB's are.
        frame = con.sql(f"select * from {VALIDATION_ROWS} order by _source_row").pl()
        parameters = expectation_parameters(con, plan_month, horizon_months)
        expectations = applicable_expectations(extract, rows.columns, parameters)
        validated_at = datetime.now(UTC).replace(microsecond=0)
        meta = load_suite_json(extract)["meta"]
        result = _run_suite(extract, expectations, frame, parameters, docs_dir, plan_month, validated_at, meta)
    failures = tuple(_failure(outcome, frame, landed.spec) for outcome in result.results if not outcome.success)
    report = ValidationReport(extract, landed.source_file, frame.height, failures)
    if docs_dir is not None:
        _record_page(docs_dir, report, plan_month, validated_at, result.statistics)
        _write_index(docs_dir)
    return report


def validate_history_with_gx(
    con: duckdb.DuckDBPyConnection, extract: str, plan_month: date, docs_dir: Path | None, config: ChecksConfig
) -> dict[str, int]:
    """The extract's checks against history run by GX on their evidence; with `docs_dir`, their pages join
    the data docs site there. Returns how many evidence rows each check found wrong."""
    parameters = history_parameters(con, extract, plan_month, config)
    found = {}
    for check in checks_of(extract):
        with evidence_table(con, check, parameters):
            frame = con.sql(f"select * from {check} order by _source_row").pl()
        suite = check_suite(check)
        validated_at = datetime.now(UTC).replace(microsecond=0)
        outcome = _run_suite(
            check, suite["expectations"], frame, parameters, docs_dir, plan_month, validated_at, suite["meta"], None
        )
        found[check] = sum(result.result.get("unexpected_count") or 0 for result in outcome.results)
        if docs_dir is not None:
            wrong = found[check] > 0
            block = config.severity_of(check) == "block"
            entry = {
                "extract": f"{extract}: {check}",
                "suite": f"expectations/checks/{check}.json",
                "source_file": f"sql/checks/{check}.sql",
                "rows": frame.height,
                "errors": found[check] if wrong and block else 0,
                "warnings": found[check] if wrong and not block else 0,
            }
            _record_entry(docs_dir, check, entry, plan_month, validated_at, outcome.statistics)
    if docs_dir is not None:
        _write_index(docs_dir)
    return found


def _run_suite(
    name: str,
    expectations: list[dict[str, Any]],
    frame: pl.DataFrame,
    parameters: dict[str, Any],
    docs_dir: Path | None,
    plan_month: date,
    validated_at: datetime,
    meta: dict[str, Any],
    examples: int | None = EXAMPLE_ROWS,
) -> Any:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    # GX takes 4-7 s to import: only runs that ask for data docs pay for it.
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    suite = context.suites.add(gx.ExpectationSuite(name=name, expectations=expectations, meta=meta))
    batch = (
        context.data_sources.add_pandas("extracts")
        .add_dataframe_asset(name)
        .add_batch_definition_whole_dataframe("plan_month")
    )
    definition = context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=suite))
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(
            name=name,
            validation_definitions=[definition],
            result_format={
                "result_format": "SUMMARY",
                "unexpected_index_column_names": ["_source_row"],
                **({"partial_unexpected_count": examples} if examples is not None else {}),
            },
        )
    )
    result = checkpoint.run(
        batch_parameters={"dataframe": frame.to_pandas(use_pyarrow_extension_array=True)},
        expectation_parameters=parameters,
        run_id=RunIdentifier(run_name=month_label(plan_month), run_time=validated_at),
    )
    key, outcome = next(iter(result.run_results.items()))
    if docs_dir is not None:
        site = {
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
            "show_how_to_buttons": False,
        }
        context.add_data_docs_site(site_name="sop", site_config=site)
        _forget_page(docs_dir, name, plan_month)
        # This result's page and its suite's (the page links it), no index: GX's would list this
        # context's one result and delete the pages of the others.
        suite_key = ExpectationSuiteIdentifier(name=name)
        context.build_data_docs(site_names=["sop"], resource_identifiers=[key, suite_key], build_index=False)
    return outcome


INDEX_ENTRIES = "index_entries"
"""Beside GX's folders in the site: one `<YYYY-MM>/<extract>.json` per validated extract and month."""


def _month_pages(docs_dir: Path, extract: str, plan_month: date) -> Path:
    """GX's folder of the extract's pages for the month (its suite, then the run name)."""
    return docs_dir / "validations" / extract / month_label(plan_month)


def _forget_page(docs_dir: Path, extract: str, plan_month: date) -> None:
    shutil.rmtree(_month_pages(docs_dir, extract, plan_month), ignore_errors=True)
    (docs_dir / INDEX_ENTRIES / month_label(plan_month) / f"{extract}.json").unlink(missing_ok=True)


def _record_page(
    docs_dir: Path, report: ValidationReport, plan_month: date, validated_at: datetime, statistics: dict[str, Any]
) -> None:
    entry = {
        "extract": report.extract,
        "suite": f"expectations/{report.extract}.json",
        "source_file": report.source_file.name if report.source_file else None,
        "rows": report.row_count,
        "errors": len(report.errors),
        "warnings": len(report.warnings),
    }
    _record_entry(docs_dir, report.extract, entry, plan_month, validated_at, statistics)


def _record_entry(
    docs_dir: Path,
    name: str,
    entry: dict[str, Any],
    plan_month: date,
    validated_at: datetime,
    statistics: dict[str, Any],
) -> None:
    """The index's entry of a suite's validation of the month: its outcome and its page."""
    # One page, as `_forget_page` cleared the folder; none if GX failed to render it (it logs why).
    page = next(_month_pages(docs_dir, name, plan_month).rglob("*.html"), None)
    entry = entry | {
        "plan_month": month_label(plan_month),
        "evaluated": statistics["evaluated_expectations"],
        "failed": statistics["unsuccessful_expectations"],
        "validated_at": validated_at.isoformat(),
        "page": page.relative_to(docs_dir).as_posix() if page else None,
    }
    _replace_text(docs_dir / INDEX_ENTRIES / entry["plan_month"] / f"{name}.json", json.dumps(entry, indent=1))


def _write_index(docs_dir: Path) -> None:
    """The site's `index.html`: every validated extract of every month, newest month first, as a
    static page (no script, no web resource) so that it reads offline."""
    order = {name: position for position, name in enumerate(EXTRACTS)}
    entries = sorted(
        (json.loads(path.read_text(encoding="utf-8")) for path in (docs_dir / INDEX_ENTRIES).glob("*/*.json")),
        key=lambda entry: (order.get(entry["extract"], len(order)), entry["extract"]),
    )
    months: dict[str, list[dict[str, Any]]] = {}
    for entry in sorted(entries, key=lambda entry: entry["plan_month"], reverse=True):
        months.setdefault(entry["plan_month"], []).append(entry | _outcome(entry))
    _replace_text(docs_dir / "index.html", _TEMPLATES.get_template("data_docs_index.html.j2").render(months=months))


def _outcome(entry: dict[str, Any]) -> dict[str, str]:
    if entry["errors"]:
        return {"outcome": "failed", "result": f"failed: {entry['errors']} error(s), {entry['warnings']} warning(s)"}
    if entry["warnings"]:
        return {"outcome": "warned", "result": f"passed with {entry['warnings']} warning(s)"}
    return {"outcome": "passed", "result": "passed"}


_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("sop.intake", "templates"), autoescape=True, keep_trailing_newline=True
)


def _replace_text(path: Path, text: str) -> None:
    """Whole or not at all: a reader never sees a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def _failure(outcome: Any, frame: pl.DataFrame, spec: ExtractSpec) -> RuleFailure:
    config = outcome.expectation_config
    expectation = {"type": config.type, "meta": config.meta, "severity": str(config.severity.value)}
    result = outcome.result or {}
    if outcome.exception_info and outcome.exception_info.get("raised_exception"):
        detail = f"the check itself failed: {outcome.exception_info.get('exception_message')}"
    else:
        detail = rule_detail(config.type, result.get("observed_value") or frame.columns, spec)
    rows = [entry["_source_row"] for entry in result.get("partial_unexpected_index_list") or []]
    examples = frame.filter(pl.col("_source_row").is_in(rows)).select(
        "_source_row", *(name for name in spec.column_names if name in frame.columns)
    )
    return rule_failure(expectation, result.get("unexpected_count"), tuple(examples.to_dicts()), detail)
