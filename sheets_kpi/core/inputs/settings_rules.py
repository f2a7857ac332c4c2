"""The rules of the settings tabs (SPEC §3): «Мотивация» (the roster) and «План».

A problem in a settings cell is a `bad_setting` error whose message names the cell («Ячейка
Мотивация!C4: …»): each kind below is a rule of its own with that code."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sheets_kpi.core.inputs import columns, parse, schema, version_rules
from sheets_kpi.core.inputs import scheme_params as schemes
from sheets_kpi.core.inputs.checks import Check
from sheets_kpi.core.inputs.column_rules import check_managers, check_yes_no
from sheets_kpi.core.inputs.example_rules import only_old_example
from sheets_kpi.core.inputs.frames import (
    PLAN_COLUMNS,
    PLAN_DTYPES,
    ROSTER_COLUMNS,
    ROSTER_DTYPES,
    build_frame,
    take_rows,
)
from sheets_kpi.core.inputs.names import NameColumn
from sheets_kpi.core.inputs.rules import Found, lower_first, rule
from sheets_kpi.core.inputs.schema import ERROR


def _in_cell(check: Check, key: str) -> Callable[[int], dict[str, object]]:
    """The {cell} field of a setting's message: the cell's address, e.g. «Мотивация!C4»."""
    return lambda position: {"cell": check.cell_name(key, int(check.rows[position]))}


# --- a cell that cannot be read ------------------------------------------------------------------


@rule(code="bad_setting", severity=ERROR, ru="Ячейка {cell}: {hint}", en="Cell {cell}: {hint}")
def unreadable_setting(check: Check, parsed: columns.ParsedColumn, key: str) -> Found:
    """A settings cell the parser cannot read; the parser's hint says how to write it."""
    cell = _in_cell(check, key)
    language = check.ctx.language

    def fields(position: int) -> dict[str, object]:
        error = parsed.error_at(position)
        return cell(position) | {"hint": lower_first(error.text(language)) if error else ""}

    return Found(parsed.failed, key, fields)


@rule(
    code="bad_setting",
    severity=ERROR,
    ru="Ячейка {cell}: заполните «{column}».",
    en="Cell {cell}: fill in «{column}».",
)
def empty_setting(check: Check, parsed: columns.ParsedColumn, key: str) -> Found:
    """An empty settings cell that must be filled (the month of a plan row)."""
    return Found(parsed.blank.to_numpy(), key, _in_cell(check, key))


def check_setting(
    check: Check, parsed: columns.ParsedColumn, key: str, *, required: bool = False
) -> np.ndarray:
    """unreadable_setting (and empty_setting when `required`); the rows flagged."""
    failed = check.apply(unreadable_setting, parsed, key)
    if required:
        failed = failed | check.apply(empty_setting, parsed, key)
    return failed


# --- Мотивация -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterSchemes:
    """The scheme of each roster row (None where unread), and the cells that could not be read
    with `scheme_params`' reason (its sentence is Russian in either language)."""

    found: list[object]
    bad_name: np.ndarray  # the `Схема` cell: no such scheme, or `Параметры` needed but empty
    bad_params: np.ndarray  # the `Параметры` cell
    reasons: dict[int, str]

    def fields(self, check: Check, key: str) -> Callable[[int], dict[str, object]]:
        """The message fields of a bad cell of column `key`: its address and the reason."""
        cell = _in_cell(check, key)
        return lambda position: cell(position) | {"hint": lower_first(self.reasons[position])}


def read_schemes(
    check: Check, keep: np.ndarray, scheme_key: str = "scheme", params_key: str = "params"
) -> RosterSchemes:
    """The scheme of each `keep` roster row, from its `Схема` and `Параметры` cells (or the
    trial's: `Пробная схема`, `Пробные параметры`, SPEC §15)."""
    scheme_raw = check.raw(scheme_key)
    params_raw = check.raw(params_key)
    read = RosterSchemes(
        [None] * len(check.rows),
        np.zeros(len(check.rows), dtype=bool),
        np.zeros(len(check.rows), dtype=bool),
        {},
    )
    for position in np.flatnonzero(keep):
        scheme_cell = None if parse.is_blank(scheme_raw[position]) else scheme_raw[position]
        params_cell = None if parse.is_blank(params_raw[position]) else params_raw[position]
        try:
            read.found[position] = schemes.parse_scheme(
                scheme_cell, params_cell, check.ctx.config.bonus
            )
        except schemes.SchemeError as error:
            read.reasons[position] = str(error)
            unknown_name = (
                scheme_cell is not None and schema.lookup(schema.SCHEMES, scheme_cell) is None
            )
            if unknown_name or params_cell is None:
                read.bad_name[position] = True
            else:
                read.bad_params[position] = True
    return read


@rule(
    code="bad_setting",
    severity=ERROR,
    tab="roster",
    column="scheme",
    ru="Ячейка {cell}: {hint}",
    en="Cell {cell}: {hint}",
)
def bad_scheme(check: Check, read: RosterSchemes, key: str = "scheme") -> Found:
    """A `Схема` cell naming no scheme, or one whose `Параметры` are empty yet needed: the
    manager stays in the roster with no scheme (the same for `Пробная схема`)."""
    return Found(read.bad_name, key, read.fields(check, key))


@rule(
    code="bad_setting",
    severity=ERROR,
    tab="roster",
    column="params",
    ru="Ячейка {cell}: {hint}",
    en="Cell {cell}: {hint}",
)
def bad_params(check: Check, read: RosterSchemes, key: str = "params") -> Found:
    """A `Параметры` cell the scheme cannot read: the manager stays in the roster with no
    scheme (the same for `Пробные параметры`)."""
    return Found(read.bad_params, key, read.fields(check, key))


@rule(
    code="bad_setting",
    severity=ERROR,
    tab="roster",
    column="salary",
    ru="Ячейка {cell}: оклад не может быть меньше нуля.",
    en="Cell {cell}: salary below zero.",
)
def negative_salary(check: Check, salary: columns.ParsedColumn) -> Found:
    """A salary below zero: counted as no salary."""
    negative = (salary.ok & (salary.values.fillna(0) < 0)).to_numpy()
    return Found(negative, fields=_in_cell(check, "salary"))


def check_roster(check: Check) -> pd.DataFrame:
    """Check «Мотивация»; fills `check.ctx.roster_keys`. The valid rows as `Inputs.roster`."""
    people = check_managers(check)  # the roster is read first: no roster to check against yet
    check.ctx.roster_keys = set(people.key.dropna())
    check.ctx.roster_only_example = only_old_example(check)
    since, left_out = _check_versions(check, people)
    keep = ~people.blank.to_numpy() & ~left_out
    read = read_schemes(check, keep)
    check.apply(bad_scheme, read)
    check.apply(bad_params, read)
    salary = columns.money_column(check.column("salary"))
    check_setting(check, salary, "salary")
    negative = check.apply(negative_salary, salary)
    until = columns.date_column(check.column("until"))
    check_setting(check, until, "until")
    data = {
        "row": check.rows,
        "manager_key": people.key,
        "manager": check.display_names("manager"),
        "scheme": pd.Series(read.found, index=people.key.index, dtype=object),
        "salary_kop": salary.values.where(salary.ok.to_numpy() & ~negative),
        "active": check_yes_no(check, "active", default=True),
        "effective": since,
        "until": until.values.where(until.ok.to_numpy()),
        "trial": _trial_schemes(check, keep),
    }
    return build_frame(
        ROSTER_COLUMNS, {k: take_rows(v, keep) for k, v in data.items()}, ROSTER_DTYPES
    )


def _check_versions(check: Check, people: NameColumn) -> tuple[pd.Series, np.ndarray]:
    """`Действует с` of each row (None: from the beginning, SPEC §15) and the rows left out:
    an unreadable month, or a repeat of an upper row's manager and month."""
    effective = columns.month_column(check.column("effective"))
    unreadable = check_setting(check, effective, "effective")
    since = effective.values.where(effective.ok.to_numpy() & ~unreadable)
    usable = ~people.blank.to_numpy() & ~unreadable
    versions = version_rules.find_versions(check, people, since, usable)
    repeated = check.apply(version_rules.repeated_roster_manager, versions)
    repeated |= check.apply(version_rules.repeated_version, versions)
    return since.astype(object).where(since.notna(), None), unreadable | repeated


def _trial_schemes(check: Check, keep: np.ndarray) -> pd.Series:
    """The trial scheme of each `keep` row (SPEC §15): None when both trial cells are empty,
    read like `Схема` / `Параметры` otherwise, a bad cell reported the same way."""
    trial_raw, params_raw = check.raw("trial"), check.raw("trial_params")
    filled = keep & ~(
        np.fromiter(map(parse.is_blank, trial_raw), bool, len(trial_raw))
        & np.fromiter(map(parse.is_blank, params_raw), bool, len(params_raw))
    )
    read = read_schemes(check, filled, "trial", "trial_params")
    check.apply(bad_scheme, read, "trial")
    check.apply(bad_params, read, "trial_params")
    return pd.Series(read.found, index=check.row_index, dtype=object)


# --- План ----------------------------------------------------------------------------------------


@rule(
    code="bad_setting",
    severity=ERROR,
    tab="plan",
    column="month",
    ru="Ячейка {cell}: месяц раньше 2000 года — проверьте год.",
    en="Cell {cell}: before 2000.",
)
def plan_month_too_old(check: Check, months: columns.ParsedColumn) -> Found:
    """A plan month before 2000: a typo in the year."""
    too_old = (months.ok & (months.values.fillna("9999-99") < "2000-01")).to_numpy()
    return Found(too_old, fields=_in_cell(check, "month"))


@rule(
    code="bad_setting",
    severity=ERROR,
    tab="plan",
    column="plan_revenue",
    ru="Ячейка {cell}: план должен быть больше нуля; если плана нет, оставьте ячейку пустой.",
    en="Cell {cell}: the plan must be above zero; leave the cell empty when there is no plan.",
)
def nonpositive_plan(check: Check, revenue: columns.ParsedColumn) -> Found:
    """A revenue plan of zero or less (an empty cell means no plan)."""
    nonpositive = (revenue.ok & (revenue.values.fillna(1) <= 0)).to_numpy()
    return Found(nonpositive, fields=_in_cell(check, "plan_revenue"))


@dataclass(frozen=True)
class PlanRepeats:
    """Plan rows without errors that repeat an upper row's month and manager (or team)."""

    repeated: np.ndarray
    team: np.ndarray  # per row: a team row (no manager named)
    month_of_row: dict[int, str]
    manager_of_row: dict[int, str]
    first: pd.Series  # (month, manager key or "") → the upper row
    column: str  # the column flagged: `Менеджер`, else `Месяц` when the tab has none

    def fields(self, check: Check) -> Callable[[int], dict[str, object]]:
        """The message fields of a repeat: its cell, month, manager and the upper row."""
        cell = _in_cell(check, self.column)

        def fields(position: int) -> dict[str, object]:
            row = int(check.rows[position])
            month, manager = self.month_of_row[row], self.manager_of_row[row]
            name = check.ctx.manager_display.get(manager, "") if manager else None
            return cell(position) | {
                "month": month,
                "name": name,
                "other": self.first[(month, manager)],
            }

        return fields


def find_plan_repeats(check: Check, month_values: pd.Series, people: NameColumn) -> PlanRepeats:
    """The same manager (or the team) twice for one month: the later row is the error."""
    keyed = pd.DataFrame(
        {"month": month_values, "manager": people.key.fillna(""), "row": check.rows}
    )[~check.errors]
    repeated_rows = keyed[keyed.duplicated(["month", "manager"], keep="first")]
    first = keyed.drop_duplicates(["month", "manager"]).set_index(["month", "manager"])["row"]
    display = check.ctx.manager_display
    keys = people.key.fillna("")
    team = np.fromiter((not (key and display.get(key)) for key in keys), bool, count=len(keys))
    return PlanRepeats(
        np.isin(check.rows, repeated_rows["row"].to_numpy()),
        team,
        dict(zip(keyed["row"], keyed["month"], strict=True)),
        dict(zip(keyed["row"], keyed["manager"], strict=True)),
        first,
        "manager" if "manager" in check.index else "month",
    )


@rule(
    code="bad_setting",
    severity=ERROR,
    tab="plan",
    ru="Ячейка {cell}: план на {month} для «{name}» уже задан в строке {other}. Оставьте одну "
    "строку.",
    en="Cell {cell}: the {month} plan for «{name}» is already in row {other}. Keep one row.",
)
def repeated_plan(check: Check, repeats: PlanRepeats) -> Found:
    """A manager's plan for a month an upper row already gives."""
    return Found(repeats.repeated & ~repeats.team, repeats.column, repeats.fields(check))


@rule(
    code="bad_setting",
    severity=ERROR,
    tab="plan",
    ru="Ячейка {cell}: план на {month} для всей команды уже задан в строке {other}. Оставьте "
    "одну строку.",
    en="Cell {cell}: the {month} plan for the team is already in row {other}. Keep one row.",
)
def repeated_team_plan(check: Check, repeats: PlanRepeats) -> Found:
    """The team's plan for a month an upper row already gives."""
    return Found(repeats.repeated & repeats.team, repeats.column, repeats.fields(check))


def check_plan(check: Check) -> pd.DataFrame:
    """Check the «План» tab; the valid rows as an `Inputs.plan` frame."""
    months = columns.month_column(check.column("month"))
    check_setting(check, months, "month", required=True)
    too_old = check.apply(plan_month_too_old, months)
    month_values = months.values.where(months.ok.to_numpy() & ~too_old)
    people = check_managers(check, required=False)
    revenue = columns.money_column(check.column("plan_revenue"))
    check_setting(check, revenue, "plan_revenue")
    check.apply(nonpositive_plan, revenue)
    new_clients = columns.count_column(check.column("plan_new_clients"))
    check_setting(check, new_clients, "plan_new_clients")
    repeats = find_plan_repeats(check, month_values, people)
    if repeats.repeated.any():
        check.apply(repeated_plan, repeats)
        check.apply(repeated_team_plan, repeats)
    keep = ~check.errors
    data = {
        "row": check.rows,
        "month": month_values,
        "manager_key": people.key,
        "manager": check.display_names("manager").where(people.key.notna(), None),
        "plan_revenue_kop": revenue.values,
        "plan_new_clients": new_clients.values,
    }
    return build_frame(PLAN_COLUMNS, {k: take_rows(v, keep) for k, v in data.items()}, PLAN_DTYPES)
