"""The example rows `sheets-kpi init` writes (issue 20): one rule for every input tab.

An example row shows a person the format of each column; it is not data. `init` marks it by
its manager, «Пример: Анна Смирнова» (`example_name`), and validation finds it on every tab,
reports it once (`example_row`, a warning: `check` still passes) and sets it aside before any
other rule, so it is no sale, no roster entry, no plan, no deal and no activity. A roster made
only of example rows is an empty roster: every manager is allowed.

The example rows of `init` before issue 20 were not marked. Those of `Продажи` and `Сделки` are
told apart by every cell at once (the made-up client «ООО Ромашка», the amounts, the lists, the
ID, the dates' spacing); those of `Активность`, `План` and `Мотивация` hold only the manager and
numbers a real row may hold too (the demo's roster row of «Анна Смирнова» is the very same), so
they are not set aside. A `Мотивация` whose only row is the old example, though, is named in
the `unknown_manager` message (`only_old_example`): that roster is the trap of issue 20.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, time, timedelta

import numpy as np

from sheets_kpi.core.inputs import dates, parse, schema
from sheets_kpi.core.inputs.checks import Check
from sheets_kpi.core.inputs.names import NameColumn, name_column
from sheets_kpi.core.inputs.rules import Found, rule
from sheets_kpi.core.inputs.schema import WARNING, Language, in_language

# The word an example row's manager starts with, (ru, en); matched whole, in either language.
EXAMPLE_MARK = ("Пример", "Example")
_MARKED = re.compile(r"(пример|example)\b")


def example_name(name: str, language: Language) -> str:
    """The manager of an example row: «Пример: Анна Смирнова»."""
    return f"{in_language(EXAMPLE_MARK, language)}: {name}"


def is_marked(key: str | None) -> bool:
    """Whether a manager's identity key (`schema.norm`) is an example's: «пример: …»."""
    return key is not None and _MARKED.match(key) is not None


# --- the unmarked examples of `init` before issue 20 ---------------------------------------------


def _name(raw: object) -> str | None:
    return None if parse.is_blank(raw) else schema.norm(parse.name_text(raw))


def _listed(values: dict) -> Callable[[object], object]:
    return lambda raw: schema.lookup(values, raw)


# Column key -> how a cell is read to compare it with the old example's value.
_READ: dict[str, Callable[[object], object]] = {
    "manager": _name,
    "client": _name,
    "params": _name,
    "loss_reason": _name,
    "amount": parse.parse_money,
    "margin": parse.parse_money,
    "deal_amount": parse.parse_money,
    "salary": parse.parse_money,
    "touches": parse.parse_count,
    "channel": _listed(schema.CHANNELS),
    "type": _listed(schema.CLIENT_TYPES),
    "paid": _listed(schema.YES_NO),
    "active": _listed(schema.YES_NO),
    "temperature": _listed(schema.TEMPERATURES),
    "status": _listed(schema.STATUSES),
    "scheme": _listed(schema.SCHEMES),
    "id": lambda raw: None if parse.is_blank(raw) else str(parse.as_typed(raw)),
}
_OLD_MANAGER = {"анна смирнова", "anna smirnova"}
_OLD_CLIENT = {"ооо ромашка", "romashka llc"}
_TOLD_APART = ("sales", "deals")  # the tabs whose old example rows are set aside
# The old example row of each tab where it can be told apart, and of the roster (only named in
# `unknown_manager`): column key -> the value(s) it held, as `_READ` reads them.
OLD_EXAMPLES: dict[str, dict[str, set[object]]] = {
    "sales": {
        "manager": _OLD_MANAGER,
        "client": _OLD_CLIENT,
        "amount": {12_000_000},
        "margin": {6_000_000},
        "channel": {"inbound"},
        "type": {"new"},
        "paid": {True},
        "id": {"1"},
    },
    "deals": {
        "manager": _OLD_MANAGER,
        "client": _OLD_CLIENT,
        "channel": {"inbound"},
        "touches": {4},
        "temperature": {"hot"},
        "status": {"won"},
        "deal_amount": {12_000_000},
        "loss_reason": {None},
    },
    "roster": {
        "manager": _OLD_MANAGER,
        "scheme": {"two_step"},
        "params": {"15%; 15%; 4"},
        "salary": {6_000_000},
        "active": {True},
    },
}


def _holds(raw: object, key: str, wanted: set[object]) -> bool:
    try:
        return _READ[key](raw) in wanted
    except parse.ParseError:
        return False


def _old_deal_dates(check: Check, position: int) -> bool:
    """The old example deal's dates: first contact at 11:30 on the lead day, closed 9 days on."""
    try:
        lead = dates.parse_date(check.raw("lead_date")[position], allow_time=True)
        contact = dates.parse_date(check.raw("first_contact")[position], allow_time=True)
        close = dates.parse_date(check.raw("close_date")[position])
    except parse.ParseError:
        return False
    return contact == datetime.combine(lead.date(), time(11, 30)) and close == lead + timedelta(
        days=9
    )


def _same_as_old(check: Check, position: int) -> bool:
    """Whether the row at `position` holds every cell of the old example row of its tab."""
    wanted = OLD_EXAMPLES[check.spec.key]
    return all(_holds(check.raw(key)[position], key, values) for key, values in wanted.items())


def only_old_example(check: Check) -> bool:
    """Whether `Мотивация` (`check`) has one row, and it is the old `init`'s example."""
    return len(check.rows) == 1 and _same_as_old(check, 0)


def old_examples(check: Check, keys: np.ndarray) -> np.ndarray:
    """The rows that are exactly the unmarked example row of the old `init` (Продажи, Сделки)."""
    found = np.zeros(len(keys), dtype=bool)
    if check.spec.key not in _TOLD_APART:
        return found
    if not all(key in check.index for key in OLD_EXAMPLES[check.spec.key]):
        return found
    candidates = np.flatnonzero(np.isin(keys, list(_OLD_MANAGER)))
    for position in candidates:
        found[position] = _same_as_old(check, int(position)) and (
            check.spec.key != "deals" or _old_deal_dates(check, int(position))
        )
    return found


# --- the rule ------------------------------------------------------------------------------------


@rule(
    severity=WARNING,
    column="manager",
    ru="Это строка-пример из `sheets-kpi init` — удалите строку. В расчёт она не входит.",
    en="This is an example row from `sheets-kpi init` — delete the row. It is not counted.",
)
def example_row(check: Check, people: NameColumn) -> Found:
    """A row `init` wrote as an example: marked by its manager, or the old unmarked one."""
    unique_keys = people.unique_keys.tolist()
    marked = np.fromiter(map(is_marked, unique_keys), dtype=bool, count=len(unique_keys))
    return Found(marked[people.take] | old_examples(check, people.key.to_numpy(dtype=object)))


def set_aside_examples(check: Check) -> Check:
    """Report every example row of the tab and leave it out of everything after (the tab's
    other rules and its frame). The tab must have a manager column to hold one."""
    if "manager" not in check.index or not len(check.rows):
        return check
    people = name_column(check.column("manager"))
    if not any(is_marked(key) or key in _OLD_MANAGER for key in people.unique_keys.tolist()):
        return check  # the usual case: one look per distinct manager
    check.set_aside(check.apply(example_row, people))
    return check
