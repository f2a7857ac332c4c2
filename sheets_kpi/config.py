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
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sheets_kpi.config_reader import Reader, toml_decimal
from sheets_kpi.config_texts import config_pair
from sheets_kpi.core.inputs.parse import MAX_AMOUNT_RUB
from sheets_kpi.core.inputs.schema import GENERATED_TABS, INPUT_TABS, SCHEMES, Language, lookup
from sheets_kpi.core.inputs.scheme_params import MAX_SECOND_MONTH
from sheets_kpi.core.settings import (
    AlertConfig,
    BonusConfig,
    Config,
    RetryConfig,
    ScheduleConfig,
)
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
_TAB_KEYS = tuple(tab.key for tab in INPUT_TABS) + tuple(GENERATED_TABS)
_BONUS_KEYS = (
    "default_scheme",
    "tiers",
    "tiers_basis",
    "two_step",
    "margin_rate",
    "fixed",
    "monthly_cap",
    "min_plan_pct",
)
_TWO_STEP_KEYS = ("first_rate", "second_rate", "second_month")
_FIXED_KEYS = ("amount", "inbound_only")
_ALERT_KEYS = ("slow_first_contact_hours", "stale_deal_days")
_SCHEDULE_KEYS = ("every", "at", "lease")
# Keys allowed in one [[spreadsheet]] entry: where the table is, plus its own overrides.
_ENTRY_KEYS = (*_SPREADSHEET_KEYS, "name")
_ENTRY_TABLES = ("tabs", "bonus", "alerts")
_RETRY_KEYS = ("attempts", "total_seconds", "connect_timeout", "read_timeout")
_EVERY = re.compile(r"^\s*(\d+)\s*([smhd])\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# Intervals (--every, [schedule] every and lease): 10 seconds to 7 days; beyond is a typo (and
# `99999999999999999999d` overflowed the scheduler).
INTERVAL_RANGE = (10, 7 * 86400)
INTERVAL_RANGE_TEXT = ("от 10s до 7d", "from 10s to 7d")
_RANGE = {"range_ru": INTERVAL_RANGE_TEXT[0], "range_en": INTERVAL_RANGE_TEXT[1]}
# [retry]: (minimum, maximum) of each key; attempts = 2^63-1 or total_seconds = 1e308 retried
# forever.
RETRY_RANGES: dict[str, tuple[float, float]] = {
    "attempts": (1, 20),
    "total_seconds": (1, 3600),
    "connect_timeout": (1, 300),
    "read_timeout": (1, 3600),
}
# [alerts]: a year of waiting for a first contact, ten years of a deal without a move.
ALERT_RANGES: dict[str, tuple[float, float]] = {
    "slow_first_contact_hours": (0, 8760),
    "stale_deal_days": (1, 3650),
}
_AT = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_TOML_PLACE = re.compile(r"at line (\d+), column (\d+)")
_BAD_TITLE_CHARS = set("[]:*?/\\")


def interval_seconds(text: str) -> int | None:
    """`30s`, `15m`, `1h`, `1d` → seconds (any size); None when not written as a number and a
    unit. `INTERVAL_RANGE` says which are allowed."""
    match = _EVERY.match(text or "")
    if match is None:
        return None
    return int(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()]


def interval_allowed(seconds: int) -> bool:
    """True when an interval in seconds is within `INTERVAL_RANGE`."""
    return INTERVAL_RANGE[0] <= seconds <= INTERVAL_RANGE[1]


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
    timezone = reader.text(merged, "timezone", origin("timezone"), 'timezone = "Europe/Moscow"')
    if timezone is None:
        timezone = "Europe/Moscow"
    else:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise reader.bad(
                origin("timezone"),
                "timezone",
                timezone,
                config_pair("timezone_unknown"),
                config_pair("example_timezone"),
            ) from error
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
    tabs = _read_tabs(reader, reader.table(data, "tabs", ""), language)
    return Config(
        backend=backend,
        xlsx=xlsx,
        sheet=sheet,
        credentials=credentials,
        timezone=timezone,
        language=language,
        tabs=tabs,
        leaderboard_shows_bonus=shows_bonus,
        bonus=_read_bonus(reader, reader.table(data, "bonus", "")),
        alerts=_read_alerts(reader, reader.table(data, "alerts", "")),
        schedule=_read_schedule(reader, reader.table(data, "schedule", "")),
        retry=_read_retry(reader, reader.table(data, "retry", "")),
    )


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


def _read_tabs(reader: Reader, table: Mapping[str, Any], language: Language) -> dict[str, str]:
    reader.check_keys(table, _TAB_KEYS, "tabs")
    tabs: dict[str, str] = {}
    for key in _TAB_KEYS:
        title = reader.text(table, key, "tabs", config_pair("example_tab", key=key))
        if title is None:
            continue
        if len(title) > 31 or _BAD_TITLE_CHARS & set(title):
            raise reader.bad(
                "tabs",
                key,
                title,
                config_pair("tab_title"),
                f'{key} = "{Config(language=language).tab_title(key)}"',
            )
        tabs[key] = title
    config = Config(language=language, tabs=tabs)
    seen: dict[str, str] = {}
    for key in _TAB_KEYS:
        title = config.tab_title(key)
        other = seen.get(title.casefold())
        if other is not None:
            raise ConfigError(
                *config_pair(
                    "tabs_same_title", source=reader.source, other=other, key=key, title=title
                )
            )
        seen[title.casefold()] = key
    return tabs


def _read_bonus(reader: Reader, table: Mapping[str, Any]) -> BonusConfig:
    reader.check_keys(table, _BONUS_KEYS, "bonus")
    defaults = BonusConfig()
    changes: dict[str, Any] = {}
    if "default_scheme" in table:
        raw = table["default_scheme"]
        scheme = lookup(SCHEMES, raw) if isinstance(raw, str) else None
        if scheme is None:
            raise reader.bad(
                "bonus",
                "default_scheme",
                raw,
                config_pair("scheme_unknown"),
                'default_scheme = "tiers"',
            )
        changes["default_scheme"] = scheme
    if "tiers" in table:
        changes["tiers"] = _read_tiers(reader, table["tiers"])
    basis = reader.choice(
        table, "tiers_basis", "bonus", ("client", "month"), 'tiers_basis = "client"', None
    )
    if basis is not None:
        changes["tiers_basis"] = basis
    two_step = reader.table(table, "two_step", "bonus")
    reader.check_keys(two_step, _TWO_STEP_KEYS, "bonus.two_step")
    example = "two_step = {first_rate = 0.15, second_rate = 0.15, second_month = 4}"
    for key in ("first_rate", "second_rate"):
        rate = reader.fraction(two_step, key, "bonus.two_step", example)
        if rate is not None:
            changes[key] = rate
    second_month = reader.integer(
        two_step, "second_month", "bonus.two_step", example, minimum=2, maximum=MAX_SECOND_MONTH
    )
    if second_month is not None:
        changes["second_month"] = second_month
    margin_rate = reader.fraction(table, "margin_rate", "bonus", config_pair("example_margin_rate"))
    if margin_rate is not None:
        changes["margin_rate"] = margin_rate
    fixed = reader.table(table, "fixed", "bonus")
    reader.check_keys(fixed, _FIXED_KEYS, "bonus.fixed")
    example = "fixed = {amount = 10000, inbound_only = true}"
    amount = reader.money(fixed, "amount", "bonus.fixed", example)
    if amount is not None:
        changes["fixed_amount"] = amount
    inbound_only = reader.flag(fixed, "inbound_only", "bonus.fixed", example, None)
    if inbound_only is not None:
        changes["fixed_inbound_only"] = inbound_only
    cap = reader.money(table, "monthly_cap", "bonus", config_pair("example_monthly_cap"))
    if cap is not None:
        changes["monthly_cap"] = cap
    min_plan = reader.fraction(table, "min_plan_pct", "bonus", config_pair("example_min_plan_pct"))
    if min_plan is not None:
        changes["min_plan_pct"] = min_plan
    return replace(defaults, **changes)


def _read_tiers(reader: Reader, raw: object) -> tuple[tuple[Decimal, Decimal], ...]:
    example = "tiers = [[100000, 25000], [150000, 35000]]"
    problem = config_pair("tiers")
    if not isinstance(raw, list) or not raw:
        raise reader.bad("bonus", "tiers", raw, problem, example)
    tiers: list[tuple[Decimal, Decimal]] = []
    for pair in raw:
        if not isinstance(pair, list) or len(pair) != 2:
            raise reader.bad("bonus", "tiers", raw, problem, example)
        threshold, bonus = (toml_decimal(value) for value in pair)
        if threshold is None or bonus is None or threshold <= 0 or bonus < 0:
            raise reader.bad("bonus", "tiers", raw, problem, example)
        if max(threshold, bonus) >= MAX_AMOUNT_RUB:
            problem = config_pair("tiers_too_big")
            raise reader.bad("bonus", "tiers", raw, problem, example)
        tiers.append((threshold, bonus))
    tiers.sort()
    thresholds = [threshold for threshold, _ in tiers]
    if len(set(thresholds)) != len(thresholds):
        raise reader.bad("bonus", "tiers", raw, problem, example)
    return tuple(tiers)


def _read_alerts(reader: Reader, table: Mapping[str, Any]) -> AlertConfig:
    reader.check_keys(table, _ALERT_KEYS, "alerts")
    changes: dict[str, Any] = {}
    hours = reader.number(
        table,
        "slow_first_contact_hours",
        "alerts",
        "slow_first_contact_hours = 24",
        maximum=ALERT_RANGES["slow_first_contact_hours"][1],
    )
    if hours is not None:
        changes["slow_first_contact_hours"] = hours
    days = reader.integer(
        table,
        "stale_deal_days",
        "alerts",
        "stale_deal_days = 60",
        minimum=int(ALERT_RANGES["stale_deal_days"][0]),
        maximum=int(ALERT_RANGES["stale_deal_days"][1]),
    )
    if days is not None:
        changes["stale_deal_days"] = days
    return replace(AlertConfig(), **changes)


def _read_schedule(reader: Reader, table: Mapping[str, Any]) -> ScheduleConfig:
    reader.check_keys(table, _SCHEDULE_KEYS, "schedule")
    every = reader.text(table, "every", "schedule", 'every = "15m"')
    if every is not None:
        seconds = interval_seconds(every)
        if seconds is None or seconds == 0:
            raise reader.bad(
                "schedule",
                "every",
                every,
                config_pair("interval_format"),
                'every = "15m"',
            )
        if not interval_allowed(seconds):
            raise reader.bad(
                "schedule", "every", every, config_pair("interval_range", **_RANGE), 'every = "15m"'
            )
        every = _EVERY.sub(lambda match: f"{int(match.group(1))}{match.group(2).lower()}", every)
    at_raw = table.get("at", [])
    at_list = [at_raw] if isinstance(at_raw, str) else at_raw
    example = 'at = ["09:00", "18:00"]'
    if not isinstance(at_list, list):
        raise reader.bad("schedule", "at", at_raw, config_pair("at_list"), example)
    times: list[str] = []
    for value in at_list:
        if not isinstance(value, str) or not _AT.match(value.strip()):
            raise reader.bad("schedule", "at", at_raw, config_pair("at_time"), example)
        times.append(value.strip())
    lease = reader.text(table, "lease", "schedule", config_pair("example_lease"))
    if lease is not None and lease.lower() != "off":
        seconds = interval_seconds(lease)
        if seconds is None or seconds == 0:
            raise reader.bad(
                "schedule",
                "lease",
                lease,
                config_pair("lease_format"),
                'lease = "30m"',
            )
        if not interval_allowed(seconds):
            raise reader.bad(
                "schedule", "lease", lease, config_pair("lease_range", **_RANGE), 'lease = "30m"'
            )
        lease = _EVERY.sub(lambda match: f"{int(match.group(1))}{match.group(2).lower()}", lease)
    elif lease is not None:
        lease = "off"
    return ScheduleConfig(every=every, at=tuple(times), lease=lease)


def _read_retry(reader: Reader, table: Mapping[str, Any]) -> RetryConfig:
    reader.check_keys(table, _RETRY_KEYS, "retry")
    changes: dict[str, Any] = {}
    low, high = RETRY_RANGES["attempts"]
    attempts = reader.integer(
        table, "attempts", "retry", "attempts = 6", minimum=int(low), maximum=int(high)
    )
    if attempts is not None:
        changes["attempts"] = attempts
    for key, example in (
        ("total_seconds", "total_seconds = 120"),
        ("connect_timeout", "connect_timeout = 10"),
        ("read_timeout", "read_timeout = 120"),
    ):
        seconds = reader.number(table, key, "retry", example, maximum=RETRY_RANGES[key][1])
        if seconds is not None:
            changes[key] = seconds
    return replace(RetryConfig(), **changes)
