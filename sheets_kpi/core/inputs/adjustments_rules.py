"""The rules of the «Корректировки» tab (SPEC §14): one-off bonuses and penalties the owner
enters, one line item each.

The columns the other tabs share keep their rules and codes: the month is read as on `План`
(any form of §2.4) but reported like a date (`bad_date`, `future_date`, `too_old_date`), the
manager as on every tab (`missing_manager`, `unknown_manager`), the amount as money
(`bad_amount`), the ID as on `Продажи` (`duplicate_id`). What only an adjustment has gets a
code of its own: an amount of zero (`zero_amount`; a negative one is a penalty and is fine)
and an empty reason (`missing_reason`). A rejected row is the owner's, like a `План` row: it
does not count in the leaderboard's rejected rows.
"""

from __future__ import annotations

import pandas as pd

from sheets_kpi.core.inputs import columns, dates
from sheets_kpi.core.inputs.checks import Check
from sheets_kpi.core.inputs.column_rules import (
    bad_amount,
    check_managers,
    empty_error,
    remember_names,
    unreadable,
)
from sheets_kpi.core.inputs.frames import (
    ADJUSTMENTS_COLUMNS,
    ADJUSTMENTS_DTYPES,
    build_frame,
    take_rows,
)
from sheets_kpi.core.inputs.names import name_column
from sheets_kpi.core.inputs.rules import Found, rule
from sheets_kpi.core.inputs.sales_rules import check_ids
from sheets_kpi.core.inputs.schema import ERROR
from sheets_kpi.core.months import month_of

OLDEST_MONTH = "2000-01"


@rule(
    code="bad_date",
    severity=ERROR,
    tab="adjustments",
    column="month",
    ru="{column}: {hint}",
    en="{column}: {hint}",
)
def bad_month(check: Check, months: columns.ParsedColumn) -> Found:
    """A month cell that is empty or not a month (`2026-11`, `11.2026`, `ноябрь 2026`, a date)."""
    empty = empty_error(dates.parse_month)
    return unreadable(check, months, "month", bad_month, required=True, empty=empty)


@rule(
    code="future_date",
    severity=ERROR,
    tab="adjustments",
    column="month",
    ru="{column}: месяц {value} ещё не наступил (дата расчёта — {as_of}). Корректировку вносят "
    "в текущий или прошедший месяц — проверьте год и месяц.",
    en="{column}: the month {value} has not begun (the run date is {as_of}). An adjustment goes "
    "in the current or a past month — check the year and the month.",
)
def future_month(check: Check, months: columns.ParsedColumn) -> Found:
    """A month after the month of the run date (`as_of`)."""
    current = month_of(check.ctx.as_of)
    return Found((months.ok & (months.values.fillna("") > current)).to_numpy())


@rule(
    code="too_old_date",
    severity=ERROR,
    tab="adjustments",
    column="month",
    ru="{column}: месяц {value} раньше 2000 года. Проверьте год — похоже на опечатку.",
    en="{column}: the month {value} is before the year 2000. Check the year — it looks like a "
    "typo.",
)
def too_old_month(check: Check, months: columns.ParsedColumn) -> Found:
    """A month before 2000: a typo in the year."""
    return Found((months.ok & (months.values.fillna(OLDEST_MONTH) < OLDEST_MONTH)).to_numpy())


@rule(
    severity=ERROR,
    tab="adjustments",
    column="amount",
    ru="{column}: корректировка не может быть нулевой. Премию впишите положительной суммой, "
    "штраф — отрицательной (например, -5 000); если корректировки нет, удалите строку.",
    en="{column}: an adjustment cannot be zero. Write a bonus as a positive amount and a "
    "penalty as a negative one (e.g. -5,000); if there is no adjustment, delete the row.",
)
def zero_amount(check: Check, amounts: columns.ParsedColumn) -> Found:
    """An amount of zero kopecks (0,004 ₽ rounds to zero); a negative amount is a penalty."""
    return Found((amounts.ok & (amounts.values.fillna(1) == 0)).to_numpy())


@rule(
    severity=ERROR,
    tab="adjustments",
    column="reason",
    ru="Не указана причина. Впишите в столбец «{column}», за что премия или штраф — менеджер "
    "увидит её в пояснении к бонусу.",
    en="The reason is empty. Write in the «{column}» column what the bonus or penalty is for — "
    "the manager sees it in the bonus explanation.",
)
def missing_reason(check: Check, blank: pd.Series) -> pd.Series:
    """An empty reason (spaces or quotes only count as empty)."""
    return blank


def check_adjustments(check: Check) -> pd.DataFrame:
    """Check the «Корректировки» tab; the valid rows as an `Inputs.adjustments` frame."""
    months = columns.month_column(check.column("month"))
    check.apply(bad_month, months)
    future = check.apply(future_month, months)
    too_old = check.apply(too_old_month, months)
    people = check_managers(check)
    amounts = columns.money_column(check.column("amount"))
    check.apply(bad_amount, amounts, "amount", True)
    check.apply(zero_amount, amounts)
    reasons = name_column(check.column("reason"))
    check.apply(missing_reason, reasons.blank)
    clients = name_column(check.column("client"))
    remember_names(check, "client", check.ctx.client_display, clients)
    ids = check_ids(check)
    keep = ~check.errors
    data = {
        "row": check.rows,
        "month": months.values.where(months.ok.to_numpy() & ~future & ~too_old),
        "manager_key": people.key,
        "manager": check.display_names("manager"),
        "amount_kop": amounts.values,
        "reason": reasons.display,
        "client": check.display_names("client"),
        "id": ids.display,
    }
    return build_frame(
        ADJUSTMENTS_COLUMNS,
        {key: take_rows(values, keep) for key, values in data.items()},
        ADJUSTMENTS_DTYPES,
    )
