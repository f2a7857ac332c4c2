"""The column rules several tabs share (SPEC §3): unreadable cells, dates, managers, clients,
amounts, list values and counts; and the column checks that apply them and hand the parsed
column to the tab's own rules."""

from __future__ import annotations

import difflib
from collections.abc import Callable

import numpy as np
import pandas as pd

from sheets_kpi.core.inputs import columns, dates, parse
from sheets_kpi.core.inputs.checks import Check, shown, shown_date
from sheets_kpi.core.inputs.names import NameColumn, missing_names, name_column
from sheets_kpi.core.inputs.rules import Found, Rule, lower_first, rule
from sheets_kpi.core.inputs.schema import ERROR, WARNING, in_language

OLDEST = pd.Timestamp(2000, 1, 1)
# The tail of an unknown_manager message pointing to the closest roster name.
_SUGGESTION = (" Возможно, имелся в виду «{name}».", " Did you mean «{name}»?")
# The tail of an unknown_manager message when the roster is only the old init's example row.
_ONLY_EXAMPLE = (
    " На листе «{tab}» только строка-пример из `sheets-kpi init` — удалите её (тогда подходит "
    "любой менеджер) или впишите туда своих менеджеров.",
    " The «{tab}» tab holds only the example row from `sheets-kpi init` — delete it (then any "
    "manager is accepted) or list your managers there.",
)


# --- unreadable cells: the parser's hint says how to write the cell ------------------------------


def unreadable(
    check: Check,
    parsed: columns.ParsedColumn,
    key: str,
    hint_rule: Rule,
    *,
    required: bool = False,
    empty: parse.ParseError | None = None,
) -> Found:
    """The cells of column `key` the parser could not read (and the empty ones when
    `required`), each with the parser's hint (`empty`'s for an empty cell)."""
    failed = parsed.failed.copy()
    if required:
        failed = failed | parsed.blank.to_numpy()
    raw = check.raw(key)
    language = check.ctx.language
    lowered = hint_rule.message[0].startswith("{column}: {hint}")

    def fields(position: int) -> dict[str, object]:
        error = parsed.error_at(position) or empty
        hint = error.text(language) if error else ""
        return {"hint": lower_first(hint) if lowered else hint, "value": shown(raw[position])}

    return Found(failed, key, fields)


@rule(severity=ERROR, ru="{column}: {hint}", en="{column}: {hint}")
def bad_date(check: Check, parsed: columns.ParsedColumn, key: str, required: bool) -> Found:
    """A date cell that is not a date (or empty, when the date is required)."""
    empty = empty_error(dates.parse_date)
    return unreadable(check, parsed, key, bad_date, required=required, empty=empty)


@rule(severity=ERROR, ru="{column}: {hint}", en="{column}: {hint}")
def bad_amount(check: Check, parsed: columns.ParsedColumn, key: str, required: bool) -> Found:
    """A money cell that is not an amount (or empty, when the amount is required)."""
    empty = empty_error(parse.parse_money) if required else None
    return unreadable(check, parsed, key, bad_amount, required=required, empty=empty)


@rule(severity=ERROR, ru="{column}: {hint}", en="{column}: {hint}")
def bad_count(check: Check, parsed: columns.ParsedColumn, key: str) -> Found:
    """A count cell that is not a whole number ≥ 0."""
    return unreadable(check, parsed, key, bad_count)


@rule(
    severity=WARNING,
    ru="{column}: «{value}» — не из списка. {hint} Пока не исправлено, ячейка считается пустой.",
    en="{column}: «{value}» is not in the list. {hint} Until fixed, the cell counts as empty.",
)
def bad_value(check: Check, parsed: columns.ParsedColumn, key: str) -> Found:
    """A list or yes/no cell outside its list."""
    return unreadable(check, parsed, key, bad_value)


def empty_error(parser: Callable[[object], object]) -> parse.ParseError | None:
    """The error `parser` gives for an empty cell (None when empty is fine)."""
    try:
        parser(None)
    except parse.ParseError as error:
        return error.detached()
    return None


# --- dates ---------------------------------------------------------------------------------------


@rule(
    severity=ERROR,
    ru="{column}: дата {value} ещё не наступила (дата расчёта — {as_of}). Проверьте год и месяц.",
    en="{column}: {value} is after the run date {as_of}. Check the year and the month.",
)
def future_date(check: Check, moments: pd.Series, key: str, value: Callable) -> Found:
    """A date after the run date (`as_of`)."""
    tomorrow = pd.Timestamp(check.ctx.as_of) + pd.Timedelta(days=1)
    return Found((moments >= tomorrow).to_numpy(), key, lambda p: {"value": value(p)}, value)


@rule(
    severity=ERROR,
    ru="{column}: дата {value} раньше 2000 года. Проверьте год — похоже на опечатку.",
    en="{column}: {value} is before the year 2000. Check the year — it looks like a typo.",
)
def too_old_date(check: Check, moments: pd.Series, key: str, value: Callable) -> Found:
    """A date before 2000: a typo in the year."""
    return Found((moments < OLDEST).to_numpy(), key, lambda p: {"value": value(p)}, value)


def check_dates(
    check: Check, key: str, *, allow_time: bool, required: bool
) -> tuple[pd.Series, pd.Series]:
    """Parse a date column; apply bad_date, future_date, too_old_date.

    Returns (usable, readable): NaT where the date cannot be used / cannot be read at all."""
    column = check.column(key)
    parsed = columns.date_column(column, allow_time=allow_time)
    failed = check.apply(bad_date, parsed, key, required)
    moments = parsed.values
    raw_values = check.raw(key)
    seen: dict[int, str | None] = {}

    def value(position: int) -> str | None:
        code = int(column.codes[position])
        if code not in seen:
            seen[code] = shown_date(raw_values[position])
        return seen[code]

    future = check.apply(future_date, moments, key, value)
    too_old = check.apply(too_old_date, moments, key, value)
    unusable = failed | future | too_old
    return moments.where(~unusable), moments


# --- names ---------------------------------------------------------------------------------------


@rule(
    severity=ERROR,
    column="manager",
    ru="Не указан менеджер. Впишите имя менеджера в столбец «{column}».",
    en="The manager is empty. Write the manager's name in the «{column}» column.",
)
def missing_manager(check: Check, people: NameColumn) -> pd.Series:
    """An empty manager cell."""
    return people.blank


@rule(
    severity=ERROR,
    column="manager",
    ru="Менеджера «{value}» нет на листе «{tab}».{suggest} Исправьте имя или добавьте "
    "менеджера на лист «{tab}».",
    en="Manager «{value}» is not on the «{tab}» tab.{suggest} Fix the name or add the manager "
    "to the «{tab}» tab.",
)
def unknown_manager(check: Check, people: NameColumn) -> Found:
    """A manager the roster (`Мотивация`) does not name, when there is a roster."""
    ctx = check.ctx
    roster = ctx.roster_keys
    unknown_name = np.fromiter(
        (key is not None and key not in roster for key in people.unique_keys.tolist()),
        dtype=bool,
    )
    unknown = unknown_name[people.take] & ~people.blank.to_numpy()
    keys = people.key.to_numpy(dtype=object)
    raw = check.raw("manager")

    def fields(position: int) -> dict[str, object]:
        if ctx.roster_only_example:
            hint = in_language(_ONLY_EXAMPLE, ctx.language).format(tab=ctx.roster_title)
        else:
            hint = suggestion(check, keys[position])
        return {"value": shown(raw[position]), "tab": ctx.roster_title, "suggest": hint}

    return Found(unknown, fields=fields)


def suggestion(check: Check, key: str) -> str:
    """« Возможно, имелся в виду «…».» for the closest roster name, or "".

    Close: spelt alike (difflib's ratio ≥ 0.6), or else sharing a whole word — «Анна
    Смирнова» typed where the roster says «Анна». A name like neither gets no guess."""
    ctx = check.ctx
    if key not in ctx.suggestions:
        roster = sorted(ctx.roster_keys)
        close = difflib.get_close_matches(key, roster, n=1, cutoff=0.6)
        if not close:
            words = set(key.split())
            sharing = [name for name in roster if words.intersection(name.split())]
            close = difflib.get_close_matches(key, sharing, n=1, cutoff=0.0)
        ctx.suggestions[key] = ""
        if close:
            name = ctx.manager_display[close[0]]
            ctx.suggestions[key] = in_language(_SUGGESTION, ctx.language).format(name=name)
    return ctx.suggestions[key]


def check_managers(check: Check, *, required: bool = True) -> NameColumn:
    """Manager names: missing_manager (when required), unknown_manager against the roster."""
    people = name_column(check.column("manager"))
    if required:
        check.apply(missing_manager, people)
    remember_names(check, "manager", check.ctx.manager_display, people)
    if check.ctx.roster_keys:
        check.apply(unknown_manager, people)
    return people


@rule(
    severity=ERROR,
    column="client",
    ru="Не указан клиент. Впишите название клиента в столбец «{column}».",
    en="The client is empty. Write the client's name in the «{column}» column.",
)
def missing_client(check: Check, missing: np.ndarray | pd.Series) -> np.ndarray | pd.Series:
    """An empty client cell (spaces or quotes only count as empty)."""
    return missing


def check_clients(check: Check) -> NameColumn:
    """Client names: missing_client where empty."""
    clients = name_column(check.column("client"))
    check.apply(missing_client, clients.blank)
    remember_names(check, "client", check.ctx.client_display, clients)
    return clients


def check_lead_clients(check: Check) -> pd.Series:
    """A deal's client: missing_client where empty; any other cell is kept as written.
    Nothing groups deals by client, so the names are neither keyed nor hashed (for 100k nearly
    all different names that cost a tenth of a second)."""
    cells = check.raw("client")
    missing = check.apply(missing_client, missing_names(cells))
    return pd.Series(np.where(missing, None, cells), index=check.row_index, dtype=object)


def remember_names(check: Check, key: str, display: dict[str, str], column: NameColumn) -> None:
    """Keep in `display` the first display form seen (in sheet order) of every name not known
    yet, and remember for `check.display_names(key)` the form in force for each distinct value.

    Distinct values come in order of first appearance, so the first per key is the upper row.
    A form in force never changes afterwards: later calls only add names not known yet."""
    keys = column.unique_keys.tolist()
    forms = column.unique_display.tolist()
    # The first form of each name is written in reverse, so that the upper row's pair is written
    # last. `display` is only looked up, so its order does not matter.
    if display.keys().isdisjoint(keys):
        # No name known yet (a tab's first name column, new clients): straight into `display`,
        # one insertion per name (a dict of 100k names costs tens of milliseconds to build).
        before = len(display)
        display.update(zip(reversed(keys), reversed(forms), strict=True))
        display.pop(None, None)  # empty cells
        if len(display) - before == len(keys) - keys.count(None):
            # Every name has one form here: the forms in force are this column's own.
            check.shown[key] = (column.unique_display, column.take)
            return
    else:
        fresh = dict(zip(reversed(keys), reversed(forms), strict=True))
        fresh.pop(None, None)  # empty cells
        for name in display.keys() & fresh.keys():
            del fresh[name]  # known names keep the form in force
        display.update(fresh)
    forms_in_force = np.empty(len(keys), dtype=object)
    forms_in_force[:] = list(map(display.get, keys))
    check.shown[key] = (forms_in_force, column.take)


# --- amounts, lists, counts ----------------------------------------------------------------------


@rule(
    severity=ERROR,
    ru="{column}: сумма должна быть больше нуля, не меньше копейки (0,01). Исправьте сумму; "
    "ошибочную строку удалите.",
    en="{column}: the amount must be above zero, at least a kopeck (0.01). Fix it or delete "
    "the row.",
)
def nonpositive_amount(
    check: Check, parsed: columns.ParsedColumn, key: str, failed: np.ndarray
) -> Found:
    """A readable amount of zero or less (0,004 ₽ rounds to zero kopecks)."""
    return Found((~failed & (parsed.values.fillna(1) <= 0)).to_numpy(), key)


def check_amounts(check: Check, key: str, *, required: bool) -> tuple[pd.Series, np.ndarray]:
    """A money column: bad_amount, nonpositive_amount. The kopecks and which rows are flagged."""
    parsed = columns.money_column(check.column(key))
    failed = check.apply(bad_amount, parsed, key, required)
    nonpositive = check.apply(nonpositive_amount, parsed, key, failed)
    return parsed.values, failed | nonpositive


def check_choices(check: Check, key: str, values: dict) -> pd.Series:
    """A list column: bad_value (warning) where outside the list, which then counts as empty."""
    parsed = columns.choice_column(check.column(key), values)
    check.apply(bad_value, parsed, key)
    return parsed.values


def check_yes_no(check: Check, key: str, default: bool) -> pd.Series:
    """A yes/no column: bad_value (warning) where unreadable, which then counts as `default`."""
    parsed = columns.yes_no_column(check.column(key))
    check.apply(bad_value, parsed, key)
    return parsed.values.where(parsed.ok.to_numpy(), default).astype(bool)


def check_counts(check: Check, key: str) -> pd.Series:
    """A whole-number column: bad_count where unreadable."""
    parsed = columns.count_column(check.column(key))
    check.apply(bad_count, parsed, key)
    return parsed.values
