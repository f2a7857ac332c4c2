"""Configuration: a TOML file (SPEC §9) → frozen dataclasses. Every bad value is a ConfigError.

Secrets never live here: only the *path* to a service-account key.
"""

from __future__ import annotations

import logging
import os
import re
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sheets_kpi.config_reader import Reader
from sheets_kpi.config_sections import read_alerts, read_bonus, read_retry, read_schedule, read_tabs
from sheets_kpi.config_texts import config_pair
from sheets_kpi.core.settings import Config
from sheets_kpi.errors import ConfigError
from sheets_kpi.redact import key_path

logger = logging.getLogger(__name__)

CREDENTIALS_ENV = "GOOGLE_APPLICATION_CREDENTIALS"
# A settings file is a few kilobytes; a bigger one is not a settings file (and is not read).
MAX_CONFIG_BYTES = 1024 * 1024


# --- loading -------------------------------------------------------------------------------

# Keys allowed at the top level or inside `[spreadsheet]`.
_SPREADSHEET_KEYS = (
    "backend",
    "xlsx",
    "sheet",
    "credentials",
    "timezone",
    "language",
    "leaderboard_shows_bonus",
)
_TABLES = ("spreadsheet", "tabs", "bonus", "alerts", "schedule", "retry")
# Keys allowed in one [[spreadsheet]] entry: where the table is, plus its own overrides.
_ENTRY_KEYS = (*_SPREADSHEET_KEYS, "name")
_ENTRY_TABLES = ("tabs", "bonus", "alerts")
_TOML_PLACE = re.compile(r"at line (\d+), column (\d+)")


def load_config(
    path: Path | None,
    environ: Mapping[str, str] | None = None,
    *,
    without: tuple[str, ...] = (),
) -> Config:
    """Read a `sheets_kpi.toml` (SPEC §9). `None` gives the defaults; a missing file is an error.

    Relative paths in the file (`xlsx`, `credentials`) are taken from the file's folder. The
    credentials path falls back to `GOOGLE_APPLICATION_CREDENTIALS` (from `environ`, by default
    the process environment). `without`: top-level tables to leave out.
    """
    env = os.environ if environ is None else environ
    if path is None:
        return config_from_dict({}, environ=env)
    try:
        data = tomllib.loads(_config_text(path))
    except UnicodeDecodeError as error:
        raise ConfigError(*config_pair("not_utf8", path=path)) from error
    except tomllib.TOMLDecodeError as error:
        at = _TOML_PLACE.search(str(error))
        places = (
            (f"строка {at[1]}, столбец {at[2]}", f"line {at[1]}, column {at[2]}")
            if at
            else (str(error), str(error))
        )
        raise ConfigError(
            *config_pair("bad_toml", path=path, at_ru=places[0], at_en=places[1])
        ) from error
    except OSError as error:
        raise ConfigError(*config_pair("unreadable", path=path, error=error)) from error
    logger.debug("config read from %s", path)
    data = {key: value for key, value in data.items() if key not in without}
    return config_from_dict(data, source=str(path), base_dir=path.parent, environ=env)


def _config_text(path: Path) -> str:
    """The text of a config file: a regular file of at most `MAX_CONFIG_BYTES`, read no further
    (a device such as /dev/zero or a pipe is refused before it is opened)."""
    try:
        found = os.stat(path)
    except FileNotFoundError:
        raise ConfigError(*config_pair("file_missing", path=path)) from None
    if stat.S_ISDIR(found.st_mode) or not stat.S_ISREG(found.st_mode):
        kind = "folder" if stat.S_ISDIR(found.st_mode) else "not_regular"
        raise ConfigError(*config_pair(kind, path=path))
    with path.open("rb") as file:
        data = file.read(MAX_CONFIG_BYTES + 1)
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(*config_pair("too_big", path=path, limit=MAX_CONFIG_BYTES // 1024))
    return data.decode("utf-8-sig")  # Notepad adds a BOM


# Sections that only say how to compute and how to run; without them a config still says
# where the spreadsheet is and what its tabs are called.
_COMPUTING_TABLES = ("bonus", "alerts", "schedule", "retry")


def config_for_output(path: Path, environ: Mapping[str, str] | None = None) -> Config | None:
    """The config at `path` without its computing sections (bonus, alerts, schedule, retry), or
    None when even that cannot be read. A run whose config is invalid still shows the problem
    in the spreadsheet (SPEC §3) when the part that says where to write is sound. None for a
    config of several [[spreadsheet]] entries (which one failed is not known)."""
    try:
        config = load_config(path, environ, without=_COMPUTING_TABLES)
    except ConfigError:
        return None
    return None if config.spreadsheets else config


def config_from_dict(
    data: Mapping[str, Any],
    *,
    source: str = "настройки",
    base_dir: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Config:
    """Build a `Config` from parsed TOML; every bad value or unknown key is a `ConfigError`."""
    reader = Reader(source, base_dir)
    reader.check_keys(data, _SPREADSHEET_KEYS + _TABLES, "")
    if isinstance(data.get("spreadsheet"), list):
        return _several_spreadsheets(data, source=source, base_dir=base_dir, environ=environ)
    spreadsheet = reader.table(data, "spreadsheet", "")
    reader.check_keys(spreadsheet, _SPREADSHEET_KEYS, "spreadsheet")
    merged: dict[str, Any] = {}
    for key in _SPREADSHEET_KEYS:
        if key in data and key in spreadsheet and data[key] != spreadsheet[key]:
            raise ConfigError(*config_pair("key_twice", source=source, key=key))
        if key in spreadsheet:
            merged[key] = spreadsheet[key]
        elif key in data:
            merged[key] = data[key]

    def origin(key: str) -> str:
        return "spreadsheet" if key in spreadsheet else ""

    xlsx = reader.path(merged, "xlsx", origin("xlsx"), config_pair("example_xlsx"))
    sheet = reader.text(
        merged,
        "sheet",
        origin("sheet"),
        'sheet = "https://docs.google.com/spreadsheets/d/1AbC.../edit"',
    )
    if isinstance(merged.get("credentials"), str):  # never echo a pasted key (redact.py)
        key_path(merged["credentials"].strip(), f"{source}: credentials")
    credentials = reader.path(
        merged, "credentials", origin("credentials"), 'credentials = "credentials.json"'
    )
    if credentials is None:
        env = os.environ if environ is None else environ
        from_env = key_path(env.get(CREDENTIALS_ENV, "").strip(), CREDENTIALS_ENV)
        credentials = Path(from_env) if from_env else None
    backend = reader.choice(
        merged, "backend", origin("backend"), ("xlsx", "gsheets"), 'backend = "xlsx"', default=None
    )
    if backend is None:
        backend = "gsheets" if sheet is not None and xlsx is None else "xlsx"
    timezone = _read_timezone(reader, merged, origin("timezone"))
    language = reader.choice(
        merged, "language", origin("language"), ("ru", "en"), 'language = "ru"', "ru"
    )
    shows_bonus = reader.flag(
        merged,
        "leaderboard_shows_bonus",
        origin("leaderboard_shows_bonus"),
        "leaderboard_shows_bonus = false",
        False,
    )
    tabs = read_tabs(reader, reader.table(data, "tabs", ""), language)
    return Config(
        backend=backend,
        xlsx=xlsx,
        sheet=sheet,
        credentials=credentials,
        timezone=timezone,
        language=language,
        tabs=tabs,
        leaderboard_shows_bonus=shows_bonus,
        bonus=read_bonus(reader, reader.table(data, "bonus", "")),
        alerts=read_alerts(reader, reader.table(data, "alerts", "")),
        schedule=read_schedule(reader, reader.table(data, "schedule", "")),
        retry=read_retry(reader, reader.table(data, "retry", "")),
    )


def _read_timezone(reader: Reader, merged: Mapping[str, Any], where: str) -> str:
    """The agency's time zone, `Europe/Moscow` unless set; an unknown name is a ConfigError."""
    timezone = reader.text(merged, "timezone", where, 'timezone = "Europe/Moscow"')
    if timezone is None:
        return "Europe/Moscow"
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise reader.bad(
            where,
            "timezone",
            timezone,
            config_pair("timezone_unknown"),
            config_pair("example_timezone"),
        ) from error
    return timezone


def _several_spreadsheets(
    data: Mapping[str, Any],
    *,
    source: str,
    base_dir: Path | None,
    environ: Mapping[str, str] | None,
) -> Config:
    """`[[spreadsheet]]` entries: each is the top-level settings with its own keys on top."""
    entries = data["spreadsheet"]
    common = {key: value for key, value in data.items() if key != "spreadsheet"}
    top = config_from_dict(common, source=source, base_dir=base_dir, environ=environ)
    if not entries:
        raise ConfigError(*config_pair("no_entries", source=source))
    configs: list[Config] = []
    seen: dict[str, int] = {}
    for number, entry in enumerate(entries, start=1):
        where = config_pair("entry", source=source, number=number)[0]
        if not isinstance(entry, dict):
            raise ConfigError(*config_pair("entry_not_table", where=where))
        Reader(where, base_dir).check_keys(entry, _ENTRY_KEYS + _ENTRY_TABLES, "spreadsheet")
        merged: dict[str, Any] = dict(common)
        for key, value in entry.items():
            if (
                key in _ENTRY_TABLES
                and isinstance(value, dict)
                and isinstance(common.get(key), dict)
            ):
                merged[key] = {**common[key], **value}  # the entry's keys win, the rest is shared
            elif key != "name":
                merged[key] = value
        # an entry that names its own table does not inherit the other kind from the top
        for own, other in (("xlsx", "sheet"), ("sheet", "xlsx")):
            if own in entry and other not in entry:
                merged.pop(other, None)
                if "backend" not in entry:
                    merged.pop("backend", None)
        if "xlsx" not in merged and "sheet" not in merged:
            raise ConfigError(*config_pair("entry_without_table", where=where))
        config = config_from_dict(merged, source=where, base_dir=base_dir, environ=environ)
        name = Reader(where, base_dir).text(
            entry, "name", "spreadsheet", config_pair("example_name")
        )
        config = replace(config, name=name or spreadsheet_label(config))
        identity = spreadsheet_label(config)
        if identity in seen:
            raise ConfigError(
                *config_pair("entry_repeated", where=where, identity=identity, first=seen[identity])
            )
        seen[identity] = number
        configs.append(config)
    names = [config.name for config in configs]
    if len(set(names)) != len(names):
        raise ConfigError(*config_pair("entry_names_repeated", source=source))
    return replace(top, spreadsheets=tuple(configs))


def spreadsheet_label(config: Config) -> str:
    """The spreadsheet of a config for people and for lock names: a path or a Google ID/URL."""
    if config.backend == "gsheets" and config.sheet:
        return config.sheet
    if config.xlsx is not None:
        return str(config.xlsx)
    return config.sheet or "—"
