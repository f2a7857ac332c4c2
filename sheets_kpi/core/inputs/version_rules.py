"""The rules of SPEC §15's «Мотивация» columns: versions (`Действует с`), leavers (`Работает
до`) and trial schemes (`Пробная схема`, `Пробные параметры`).

A manager may have several rows, one per `Действует с` month (empty = from the beginning); two
rows of a manager with the same month (or both without one) reject the later row. A `Работает
до` before the manager's own payments is a warning on that cell, once sales are checked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sheets_kpi.core.inputs.checks import Check
from sheets_kpi.core.inputs.names import NameColumn
from sheets_kpi.core.inputs.rules import Found, rule
from sheets_kpi.core.inputs.schema import ERROR, WARNING, in_language

# The tail of a repeated-manager message when the tab has a `Действует с` column.
_VERSION_FIX = (
    ", или укажите в «{column}» месяц, с которого действует эта строка (например, 2026-11)",
    ", or write in «{column}» the month this row takes effect from (e.g. 2026-11)",
)


def _in_cell(check: Check, key: str) -> Callable[[int], dict[str, object]]:
    return lambda position: {"cell": check.cell_name(key, int(check.rows[position]))}


@dataclass(frozen=True)
class Versions:
    """The rows that repeat an upper row's manager and `Действует с` (None: from the
    beginning), with that upper row."""

    repeated: np.ndarray
    since: list[str | None]  # per row
    keys: np.ndarray  # per row: manager key
    first_row: dict[tuple[str, str], int]  # (manager key, month or "") → the upper row

    def fields(self, check: Check, key: str) -> Callable[[int], dict[str, object]]:
        cell = _in_cell(check, key)
        fix = ""
        if "effective" in check.index:
            fix = in_language(_VERSION_FIX, check.ctx.language).format(
                column=check.header("effective")
            )

        def fields(position: int) -> dict[str, object]:
            manager, since = self.keys[position], self.since[position]
            return cell(position) | {
                "name": check.ctx.manager_display[manager],
                "other": self.first_row[(manager, since or "")],
                "month": since,
                "hint": fix,
            }

        return fields


def find_versions(
    check: Check, people: NameColumn, since: pd.Series, usable: np.ndarray
) -> Versions:
    """The `usable` rows (a manager, a readable `Действует с`) that repeat an upper one."""
    months = [None if pd.isna(month) else str(month) for month in since.tolist()]
    keys = people.key.to_numpy(dtype=object)
    first_row: dict[tuple[str, str], int] = {}
    repeated = np.zeros(len(keys), dtype=bool)
    for position in np.flatnonzero(usable).tolist():
        version = (keys[position], months[position] or "")
        if version in first_row:
            repeated[position] = True
        else:
            first_row[version] = int(check.rows[position])
    return Versions(repeated, months, keys, first_row)


@rule(
    code="bad_setting",
    severity=ERROR,
    tab="roster",
    column="manager",
    ru="Ячейка {cell}: менеджер «{name}» уже есть в строке {other}. Оставьте одну строку на "
    "менеджера{hint}.",
    en="Cell {cell}: manager «{name}» is already in row {other}. Keep one row per manager{hint}.",
)
def repeated_roster_manager(check: Check, versions: Versions) -> Found:
    """A manager an upper roster row already names, both without `Действует с`: the later row
    is left out."""
    undated = np.array([month is None for month in versions.since], dtype=bool)
    return Found(versions.repeated & undated, fields=versions.fields(check, "manager"))


@rule(
    code="bad_setting",
    severity=ERROR,
    tab="roster",
    column="effective",
    ru="Ячейка {cell}: у менеджера «{name}» уже есть строка, действующая с {month} (строка "
    "{other}); эта строка не учитывается. Оставьте одну строку на месяц или исправьте "
    "«{column}».",
    en="Cell {cell}: manager «{name}» already has a row taking effect in {month} (row {other}); "
    "this row is ignored. Keep one row per month or correct «{column}».",
)
def repeated_version(check: Check, versions: Versions) -> Found:
    """A manager's second row with the same `Действует с` month: the later row is left out."""
    dated = np.array([month is not None for month in versions.since], dtype=bool)
    return Found(versions.repeated & dated, fields=versions.fields(check, "effective"))


@rule(
    code="until_before_payments",
    severity=WARNING,
    tab="roster",
    column="until",
    ru="Ячейка {cell}: «{name}» работает до {value}, но в «{tab_sales}» есть его оплаты позже "
    "(первая — {other}, строка {row_sales}). Проверьте дату ухода или менеджера в этих строках: "
    "бонусы после ухода начисляются по правилу after_leaving.",
    en="Cell {cell}: «{name}» works until {value}, but «{tab_sales}» has payments of theirs "
    "after it (the first on {other}, row {row_sales}). Check the leaving date or the manager "
    "in those rows: bonuses after leaving follow after_leaving.",
)
def until_before_payments(
    check: Check, roster: pd.DataFrame, sales: pd.DataFrame, sales_tab: str
) -> Found:
    """The latest version's `Работает до` of a manager with paid sales rows dated after it."""
    latest = latest_versions(roster)
    flagged = np.zeros(len(check.rows), dtype=bool)
    found: dict[int, dict[str, object]] = {}
    paid = sales[sales["paid"].to_numpy(dtype=bool)]
    position_of = {int(row): position for position, row in enumerate(check.rows.tolist())}
    for row, key, name, until in latest.itertuples(index=False):
        if pd.isna(until):
            continue
        after = paid[(paid["manager_key"] == key).to_numpy() & (paid["date"] > until).to_numpy()]
        if after.empty:
            continue
        first = after.sort_values(["date", "row"], kind="stable").iloc[0]
        position = position_of[int(row)]
        flagged[position] = True
        found[position] = {
            "name": name,
            "other": first["date"].strftime("%d.%m.%Y"),
            "row_sales": int(first["row"]),
            "tab_sales": sales_tab,
        }
    cell = _in_cell(check, "until")
    return Found(flagged, fields=lambda position: cell(position) | found[position])


def latest_versions(roster: pd.DataFrame) -> pd.DataFrame:
    """Each manager's latest roster row by `Действует с` (empty = the earliest):
    row, manager_key, manager, until."""
    ordered = roster.assign(_since=roster["effective"].fillna("")).sort_values(
        ["manager_key", "_since"], kind="stable"
    )
    latest = ordered.drop_duplicates("manager_key", keep="last").sort_values("row")
    return latest[["row", "manager_key", "manager", "until"]]
