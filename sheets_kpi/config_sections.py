"""The tables of a config file (SPEC §9) → the core's settings objects: `[tabs]`, `[bonus]`,
`[alerts]`, `[schedule]` (and the interval format `--every` shares) and `[retry]`. Every bad
value is a ConfigError naming the key and an example; `config.py` reads the file and the
spreadsheet keys and calls these."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

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
    "clawback",
    "clawback_months",
    "after_leaving",
)
# clawback_months: a refund up to this many months after a client's month 1 claws back (§14)
MAX_CLAWBACK_MONTHS = 24
_TWO_STEP_KEYS = ("first_rate", "second_rate", "second_month")
_FIXED_KEYS = ("amount", "inbound_only")
_ALERT_KEYS = ("slow_first_contact_hours", "stale_deal_days")
_SCHEDULE_KEYS = ("every", "at", "lease")
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


def read_tabs(reader: Reader, table: Mapping[str, Any], language: Language) -> dict[str, str]:
    """[tabs]: each tab's own title, checked for Google's limits and repeats."""
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


def read_bonus(reader: Reader, table: Mapping[str, Any]) -> BonusConfig:
    """[bonus]: the default scheme and its rates, caps and plan threshold."""
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
    changes.update(_read_ledger(reader, table))
    return replace(defaults, **changes)


def _read_ledger(reader: Reader, table: Mapping[str, Any]) -> dict[str, Any]:
    """[bonus] clawback, clawback_months (SPEC §14) and after_leaving (§15), when given."""
    changes: dict[str, Any] = {}
    clawback = reader.choice(
        table, "clawback", "bonus", ("proportional", "none"), 'clawback = "proportional"', None
    )
    if clawback is not None:
        changes["clawback"] = clawback
    months = reader.integer(
        table,
        "clawback_months",
        "bonus",
        "clawback_months = 3",
        minimum=1,
        maximum=MAX_CLAWBACK_MONTHS,
    )
    if months is not None:
        changes["clawback_months"] = months
    leaving = reader.choice(
        table,
        "after_leaving",
        "bonus",
        ("nobody", "current_manager"),
        'after_leaving = "nobody"',
        None,
    )
    if leaving is not None:
        changes["after_leaving"] = leaving
    return changes


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


def read_alerts(reader: Reader, table: Mapping[str, Any]) -> AlertConfig:
    """[alerts]: the thresholds of the alerts, within `ALERT_RANGES`."""
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


def read_schedule(reader: Reader, table: Mapping[str, Any]) -> ScheduleConfig:
    """[schedule]: `every`, `at` and `lease`, normalised (`15M` → `15m`)."""
    reader.check_keys(table, _SCHEDULE_KEYS, "schedule")
    every = reader.text(table, "every", "schedule", 'every = "15m"')
    if every is not None:
        every = _interval(
            reader, "every", every, ("interval_format", "interval_range"), 'every = "15m"'
        )
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
        lease = _interval(reader, "lease", lease, ("lease_format", "lease_range"), 'lease = "30m"')
    elif lease is not None:
        lease = "off"
    return ScheduleConfig(every=every, at=tuple(times), lease=lease)


def _interval(reader: Reader, key: str, value: str, texts: tuple[str, str], example: str) -> str:
    """A `[schedule]` interval checked — its format, then its range, each refused with the
    `texts` (format message key, range message key) — and normalised (`15M` → `15m`)."""
    format_text, range_text = texts
    seconds = interval_seconds(value)
    if seconds is None or seconds == 0:
        raise reader.bad("schedule", key, value, config_pair(format_text), example)
    if not interval_allowed(seconds):
        raise reader.bad("schedule", key, value, config_pair(range_text, **_RANGE), example)
    return _EVERY.sub(lambda match: f"{int(match.group(1))}{match.group(2).lower()}", value)


def read_retry(reader: Reader, table: Mapping[str, Any]) -> RetryConfig:
    """[retry]: attempts and time limits of Google requests, within `RETRY_RANGES`."""
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
