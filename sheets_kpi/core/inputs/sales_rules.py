"""The rules of the «Продажи» tab (SPEC §3): one typed row per payment, every problem found."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sheets_kpi.core.inputs import columns, schema
from sheets_kpi.core.inputs.checks import Check, month_strings
from sheets_kpi.core.inputs.column_rules import (
    check_amounts,
    check_choices,
    check_clients,
    check_dates,
    check_managers,
    check_yes_no,
    unreadable,
)
from sheets_kpi.core.inputs.frames import SALES_COLUMNS, SALES_DTYPES, build_frame, take_rows
from sheets_kpi.core.inputs.names import NameColumn, name_column
from sheets_kpi.core.inputs.rules import Found, rule
from sheets_kpi.core.inputs.schema import ERROR, WARNING
from sheets_kpi.core.textfmt import kopecks_text


def check_sales(check: Check) -> pd.DataFrame:
    """Check the «Продажи» tab; the valid rows as an `Inputs.sales` frame."""
    dates, readable = check_dates(check, "date", allow_time=False, required=True)
    managers = check_managers(check)
    clients = check_clients(check)
    amount_kop, bad_amount = check_amounts(check, "amount", required=True)
    margin_kop = check_margins(check, amount_kop, bad_amount)
    channel = check_choices(check, "channel", schema.CHANNELS)
    client_type = check_choices(check, "type", schema.CLIENT_TYPES)
    paid = check_yes_no(check, "paid", default=True)
    ids = check_ids(check)
    payment = {"date": dates, "manager": managers.key, "client": clients.key, "amount": amount_kop}
    check.apply(possible_duplicate, payment, ids.blank.to_numpy())
    check.reject(managers.key, month_strings(readable))
    data = {
        "row": check.rows,
        "date": dates,
        "month": month_strings(dates),
        "manager_key": managers.key,
        "manager": check.display_names("manager"),
        "client_key": clients.key,
        "client": check.display_names("client"),
        "amount_kop": amount_kop,
        "margin_kop": margin_kop,
        "channel": channel,
        "type": client_type,
        "paid": paid,
        "id": ids.display,
    }
    keep = ~check.errors
    return build_frame(
        SALES_COLUMNS, {k: take_rows(v, keep) for k, v in data.items()}, SALES_DTYPES
    )


# --- margins -------------------------------------------------------------------------------------

_MARGIN_MESSAGE = (
    "{column}: {hint} Пока не исправлено, строка считается без маржи.",
    "{column}: {hint} Until fixed, the row counts without a margin.",
)


@rule(severity=WARNING, tab="sales", column="margin", ru=_MARGIN_MESSAGE[0], en=_MARGIN_MESSAGE[1])
def bad_margin(check: Check, parsed: columns.ParsedColumn) -> Found:
    """A margin cell that is not an amount; the row counts without a margin."""
    return unreadable(check, parsed, "margin", bad_margin)


@rule(
    code="bad_margin",
    severity=WARNING,
    tab="sales",
    column="margin",
    ru="{column}: маржа не может быть меньше нуля. Пока не исправлено, строка считается без маржи.",
    en="{column}: the margin cannot be below zero. Until fixed, the row counts without a margin.",
)
def negative_margin(check: Check, parsed: columns.ParsedColumn) -> np.ndarray:
    """A margin below zero; the row counts without a margin."""
    return parsed.ok.to_numpy() & (parsed.values.fillna(0) < 0).to_numpy()


@rule(
    severity=WARNING,
    tab="sales",
    column="margin",
    ru="Маржа {value} больше суммы платежа {other}. Проверьте, не перепутаны ли столбцы.",
    en="The margin {value} is larger than the payment {other}. Check the columns.",
)
def margin_exceeds_amount(
    check: Check, margin_kop: pd.Series, amount_kop: pd.Series, bad_amount: np.ndarray
) -> Found:
    """A margin above the payment's amount (the row stays: columns swapped?)."""
    exceeds = (margin_kop.notna() & ~bad_amount & (margin_kop > amount_kop)).fillna(False)
    margins = margin_kop.to_numpy()
    amounts = amount_kop.to_numpy()
    language = check.ctx.language

    def fields(position: int) -> dict[str, object]:
        return {
            "value": kopecks_text(margins[position], language),
            "other": kopecks_text(amounts[position], language),
        }

    return Found(exceeds.to_numpy(), fields=fields)


def check_margins(check: Check, amount_kop: pd.Series, bad_amount: np.ndarray) -> pd.Series:
    """The margin column: bad_margin where unreadable or negative (then it counts as empty),
    margin_exceeds_amount. The margins in kopecks."""
    parsed = columns.money_column(check.column("margin"))
    check.apply(bad_margin, parsed)
    negative = check.apply(negative_margin, parsed)
    margin_kop = parsed.values.where(parsed.ok.to_numpy() & ~negative)
    check.apply(margin_exceeds_amount, margin_kop, amount_kop, bad_amount)
    return margin_kop


# --- repeats -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RepeatedIds:
    """The IDs of the sales rows: which repeat an upper row's, and that upper row."""

    ids: NameColumn
    repeated: np.ndarray
    first_row: dict[str, int]

    def upper_rejected(self, check: Check) -> np.ndarray:
        """Per row, whether the upper row with its ID has an error itself."""
        upper = np.zeros(len(self.repeated), dtype=bool)
        keys = self.ids.key.to_numpy(dtype=object)
        for position in np.flatnonzero(self.repeated):
            other = self.first_row[keys[position]]
            upper[position] = check.errors[np.searchsorted(check.rows, other)]
        return upper

    def fields(self) -> Callable[[int], dict[str, object]]:
        """The message fields of a repeat besides its ID ({value}): the upper row."""
        keys = self.ids.key.to_numpy(dtype=object)
        return lambda position: {"other": self.first_row[keys[position]]}


@rule(
    severity=ERROR,
    tab="sales",
    column="id",
    ru="ID «{value}» уже есть в строке {other}; учтена та строка. Дайте этой строке другой ID "
    "или удалите повтор.",
    en="ID «{value}» is already used in row {other}, which is kept. Give this row another ID "
    "or delete the repeat.",
)
def duplicate_id(check: Check, repeats: RepeatedIds, upper_rejected: np.ndarray) -> Found:
    """An ID an upper valid row already has: that row counts, this one does not."""
    return Found(repeats.repeated & ~upper_rejected, fields=repeats.fields())


@rule(
    code="duplicate_id",
    severity=ERROR,
    tab="sales",
    column="id",
    ru="ID «{value}» уже есть в строке {other}, но та строка тоже с ошибкой, так что не учтена "
    "ни одна из двух. Исправьте строку {other} и дайте этой строке другой ID "
    "или удалите повтор.",
    en="ID «{value}» is already used in row {other}, which has an error too, so neither row "
    "counts. Fix row {other} and give this row another ID or delete the repeat.",
)
def duplicate_id_of_rejected(
    check: Check, repeats: RepeatedIds, upper_rejected: np.ndarray
) -> Found:
    """An ID an upper row with an error already has: neither row counts."""
    return Found(repeats.repeated & upper_rejected, fields=repeats.fields())


def check_ids(check: Check) -> NameColumn:
    """The ID column: duplicate_id. IDs are meant to be all different: hashing the cells to
    find the distinct ones would find nearly every cell distinct. Each cell is keyed on its
    own; `_repeated` hashes the keys once."""
    ids = name_column(columns.each_cell(check.column_cells("id")))
    has_id = ~ids.blank.to_numpy()
    repeated = _repeated(ids) & has_id
    if not repeated.any():
        return ids
    first_row = (
        pd.DataFrame({"key": ids.key[has_id], "row": check.rows[has_id]})
        .drop_duplicates("key")
        .set_index("key")["row"]
        .to_dict()
    )
    repeats = RepeatedIds(ids, repeated, first_row)
    upper_rejected = repeats.upper_rejected(check)
    check.apply(duplicate_id, repeats, upper_rejected)
    check.apply(duplicate_id_of_rejected, repeats, upper_rejected)
    return ids


def _repeated(names: NameColumn) -> np.ndarray:
    """True on each row whose name key appeared in an upper row. Hashes integer codes rather
    than texts: distinct cells with distinct keys (IDs usually) repeat only as the same cell."""
    keys = names.unique_keys[:-1]
    if len(set(keys.tolist())) == len(keys):  # each distinct cell has its own key
        codes = names.take
    else:
        codes = pd.factorize(names.unique_keys)[0][names.take]
    return pd.Series(codes, copy=False).duplicated(keep="first").to_numpy()


@rule(
    severity=WARNING,
    tab="sales",
    ru="Похоже на повтор строки {other}: та же дата, менеджер, клиент и сумма. Если это два "
    "разных платежа, укажите у обоих ID; если повтор — удалите строку.",
    en="Looks like a repeat of row {other}: same date, manager, client and amount. If these are "
    "two payments, give both an ID; if it is a repeat, delete the row.",
)
def possible_duplicate(check: Check, payment: dict[str, pd.Series], no_id: np.ndarray) -> Found:
    """A row without errors and without an ID with the same date, manager, client and amount
    (`payment`'s columns) as an upper one, pointing at the first of them."""
    mask = np.zeros(len(check.rows), dtype=bool)
    candidates = ~check.errors & no_id
    if not candidates.any():
        return Found(mask)
    keyed = pd.DataFrame({**payment, "row": check.rows})[candidates]
    subset = list(payment)
    twins = keyed[keyed.duplicated(subset, keep=False)]
    if not len(twins):
        return Found(mask)
    twins = twins.assign(first=twins.groupby(subset, sort=False)["row"].transform("first"))
    later = twins[twins["row"] != twins["first"]]
    first_of = dict(zip(later["row"], later["first"], strict=True))
    mask = np.isin(check.rows, later["row"].to_numpy())
    return Found(mask, fields=lambda p: {"other": first_of[int(check.rows[p])]})
