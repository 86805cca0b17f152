"""Settings a planner changes without touching code: `sop.toml`.

The file is found through `SOP_CONFIG` (a path), or in the folder the run starts from; without one the
defaults of `sop.core.config` hold. Its tables and keys are the settings' own names (`[forecast]`,
`[accuracy]`, `[risks]`, `[plan]`, one `[[scenarios]]` per what-if), read with the standard library's
`tomllib` and checked by pydantic against the settings' classes: an unknown key (with the nearest
known name), a wrong type or a value out of range stops with the file, the key's path and what was
expected. A table of names (`[risks.severity]`, `[forecast.pools]`) changes the names it lists and
keeps the others; `[[scenarios]]` replaces the default scenarios.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import os
import re
import textwrap
import tomllib
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from sop.core.config import DEFAULT_CONFIG, Config

SETTINGS_FILE = "sop.toml"
SETTINGS_VARIABLE = "SOP_CONFIG"
_ADAPTER = TypeAdapter(Config)


class SettingsError(ValueError):
    """A settings file that cannot be used as it is; nothing was run."""


def settings_path(explicit: str | Path | None = None) -> Path | None:
    """The settings file in force: the one named (`--config`), else SOP_CONFIG's, else `sop.toml` in
    the current folder; None when there is none (the defaults hold)."""
    named = explicit or os.environ.get(SETTINGS_VARIABLE)
    if named:
        return Path(named).resolve()
    local = Path.cwd() / SETTINGS_FILE
    return local.resolve() if local.is_file() else None


@dataclass(frozen=True)
class Settings:
    """The settings in force, and what a plan month keeps of them (`plan_settings`)."""

    config: Config
    source: str
    """The file's path; empty for the defaults."""
    text: str
    """The file's text as read; empty for the defaults."""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()

    @property
    def values(self) -> str:
        """Every setting in force, as JSON with sorted keys: what two months compare."""
        return json.dumps(_ADAPTER.dump_python(self.config, mode="json"), sort_keys=True)


DEFAULT_SETTINGS = Settings(DEFAULT_CONFIG, "", "")


def load_settings(path: Path | None) -> Config:
    """The settings of the file (the defaults where it says nothing); raises `SettingsError`."""
    return read_settings(path).config


def read_settings(path: Path | None) -> Settings:
    """The file's settings with its text, read once; raises `SettingsError`."""
    if path is None:
        return DEFAULT_SETTINGS
    if not path.is_file():
        raise SettingsError(f"{path}: no such settings file (named by --config or {SETTINGS_VARIABLE}).")
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{path}: not a TOML file: {error}.") from None
    try:
        config = _ADAPTER.validate_python(_over_default_tables(data))
    except ValidationError as error:
        problems = "\n".join(f"  {_describe(problem)}" for problem in error.errors())
        raise SettingsError(f"{path}: {error.error_count()} setting(s) cannot be used:\n{problems}") from None
    return Settings(config, str(path), text)


def changed_settings(before: str, after: str) -> list[str]:
    """The settings whose values differ between two `Settings.values`, as `key.path: old -> new`; a
    scenario is named by its name, and one only on one side is added or removed."""
    old, new = json.loads(before), json.loads(after)
    old_scenarios = {scenario["name"]: scenario for scenario in old.pop("scenarios", [])}
    new_scenarios = {scenario["name"]: scenario for scenario in new.pop("scenarios", [])}
    lines = [f"scenarios[{name}]: removed" for name in sorted(old_scenarios.keys() - new_scenarios.keys())]
    lines += [f"scenarios[{name}]: added" for name in sorted(new_scenarios.keys() - old_scenarios.keys())]
    pairs = [(_flat(old), _flat(new))]
    pairs += [
        (_flat(old_scenarios[name], f"scenarios[{name}]."), _flat(new_scenarios[name], f"scenarios[{name}]."))
        for name in sorted(old_scenarios.keys() & new_scenarios.keys())
    ]
    for was, now in pairs:
        lines += [
            f"{key}: {json.dumps(was.get(key))} -> {json.dumps(now.get(key))}"
            for key in sorted(was.keys() | now.keys())
            if was.get(key) != now.get(key)
        ]
    return lines


def _flat(values: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(values, dict):
        return {key: value for name, item in values.items() for key, value in _flat(item, f"{prefix}{name}.").items()}
    return {prefix.rstrip("."): values}


def _over_default_tables(data: dict[str, Any]) -> dict[str, Any]:
    """A table of names in the file changes the names it lists: the default's other names stay."""
    merged = dict(data)
    for section, values in data.items():
        default = getattr(DEFAULT_CONFIG, section, None)
        if not (dataclasses.is_dataclass(default) and isinstance(values, dict)):
            continue
        merged[section] = {
            key: {**getattr(default, key), **value}
            if isinstance(value, dict) and isinstance(getattr(default, key, None), dict)
            else value
            for key, value in values.items()
        }
    return merged


def _describe(problem: dict[str, Any]) -> str:
    location = problem["loc"]
    if location[-1] == "[key]" and problem["type"] == "literal_error":
        # A name a table of names does not know: `[risks.severity] excess_inventry`.
        known = re.findall(r"'([^']*)'", problem["ctx"]["expected"])
        return f"{_path(location[:-1])}: unknown name{_nearest(str(location[-2]), known)}"
    path = _path(location)
    if problem["type"] in ("unexpected_keyword_argument", "extra_forbidden"):
        return f"{path}: unknown setting{_nearest(str(location[-1]), _known_keys(location[:-1]))}"
    message = problem["msg"].removeprefix("Value error, ")
    if problem["type"] == "value_error":
        return f"{path or '(top level)'}: {message}"
    return f"{path}: {message} (got {problem['input']!r})"


def _path(location: tuple[str | int, ...]) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in location).lstrip(".")


def _nearest(name: str, known: list[str]) -> str:
    nearest = difflib.get_close_matches(name, known, n=1)
    return f"; did you mean {nearest[0]}?" if nearest else f"; known here: {', '.join(known)}"


def _known_keys(location: tuple[str | int, ...]) -> list[str]:
    """The settings' names at a place of the file: the fields of the class that table reads into."""
    kind: Any = Config
    for part in location:
        if typing.get_origin(kind) is dict:
            kind = typing.get_args(kind)[1]  # `part` is a name of the table, a family's say
        elif not isinstance(part, int):
            kind = typing.get_type_hints(kind)[part]
        while typing.get_origin(kind) in (tuple, list):
            kind = typing.get_args(kind)[0]
    return [field.name for field in dataclasses.fields(kind)] if dataclasses.is_dataclass(kind) else []


EXAMPLE_FILE = "sop.example.toml"


def example_settings() -> str:
    """`sop.example.toml`: every setting with its default and its documentation, from the classes
    themselves; a copy of it as `sop.toml` plans exactly as no file does."""
    schema = _ADAPTER.json_schema()
    lines = [
        "# Settings a planner changes without touching code. Copy this file to sop.toml (in the folder",
        "# runs start from, or name it with SOP_CONFIG or sop-run --config) and change what you need;",
        "# a setting left out keeps the default shown here. Generated from sop/core/config.py",
        "# (tests/core/test_settings.py holds it to that).",
    ]
    for section in dataclasses.fields(Config):
        value = getattr(DEFAULT_CONFIG, section.name)
        if section.name == "scenarios":
            lines += ["", *_comment(_description(schema, "Config", section.name))]
            for index, scenario in enumerate(value):
                # The first one documents the fields.
                lines += ["", "[[scenarios]]", *_table_lines(schema, "scenarios", scenario, with_comments=index == 0)]
            continue
        lines += ["", f"[{section.name}]", *_table_lines(schema, section.name, value, with_comments=True)]
    return "\n".join(lines) + "\n"


def _table_lines(schema: dict[str, Any], section: str, settings: Any, with_comments: bool) -> list[str]:
    lines: list[str] = []
    tables: list[str] = []
    kind = type(settings).__name__
    for field in dataclasses.fields(settings):
        value = getattr(settings, field.name)
        comments = _comment(_description(schema, kind, field.name)) if with_comments else []
        if isinstance(value, dict) and not value:
            # Empty by default (the families' own settings): how a table of it looks, commented out.
            item = typing.get_args(typing.get_type_hints(type(settings))[field.name])[1]
            if dataclasses.is_dataclass(item):
                tables += ["", *comments, f"# [{section}.{field.name}.<product family>]"]
            else:
                example = '"<name>"' if item is str else _toml(item())
                tables += ["", *comments, f"# [{section}.{field.name}]", f'# "<product family>" = {example}']
        elif isinstance(value, dict):
            tables += ["", *comments, f"[{section}.{field.name}]"]
            tables += [f"{key} = {_toml(item)}" for key, item in value.items()]
        elif value is None or field.name == "dask_scheduler":
            # TOML has no null: a setting that is not set by default is shown commented out.
            lines += [*comments, f"# {field.name} = (not set)"]
        else:
            lines += [*comments, f"{field.name} = {_toml(value)}"]
    return lines + tables


def _description(schema: dict[str, Any], kind: str, name: str) -> str:
    definition = schema if kind == "Config" else schema["$defs"][kind]
    return definition["properties"][name].get("description", "")


def _comment(text: str, width: int = 100) -> list[str]:
    return [
        f"# {line}"
        for paragraph in text.split("\n\n")
        for line in textwrap.wrap(" ".join(paragraph.split()), width - 2)
    ]


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    raise TypeError(f"no TOML for {value!r}")
