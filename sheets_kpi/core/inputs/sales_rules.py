"""The rules of the «Продажи» tab (SPEC §3): one typed row per payment, every problem found."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sheets_kpi.core.inputs import columns, schema
from sheets_kpi.core.inputs.checks import Check, month_strings
from sheets_kpi.core.inputs.column_rules import (
    bad_amount,
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
from sheets_kpi.core.textfmt import kopecks_text, quoted_name


def check_sales(check: Check) -> pd.DataFrame:
    """Check the «Продажи» tab; the valid rows as an `Inputs.sales` frame."""
    dates, readable = check_dates(check, "date", allow_time=False, required=True)
    managers = check_managers(check)
    clients = check_clients(check)
    client_type = check_choices(check, "type", schema.CLIENT_TYPES)
    refund = client_type.eq("refund").to_numpy(dtype=bool)
    amount_kop, amount_failed = check_sale_amounts(check, refund)
    margin_kop = check_margins(check, amount_kop, amount_failed, refund)
    channel = check_choices(check, "channel", schema.CHANNELS)
    paid = check_yes_no(check, "paid", default=True)
    ids = check_ids(check)
    sales = SalesRows(dates, clients.key, amount_kop, refund, paid.to_numpy(dtype=bool))
    check.apply(refund_without_payment, sales)
    check.apply(refund_exceeds_payments, sales)
    payment = {
        "date": dates,
        "manager": managers.key,
        "client": clients.key,
        "amount": amount_kop,
        "refund": pd.Series(refund, index=dates.index),
    }
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
        "refund": refund,
    }
    keep = ~check.errors
    return build_frame(
        SALES_COLUMNS, {k: take_rows(v, keep) for k, v in data.items()}, SALES_DTYPES
    )


# --- amounts and refunds (SPEC §14) --------------------------------------------------------------


@rule(
    code="nonpositive_amount",
    severity=ERROR,
    tab="sales",
    column="amount",
    ru="{column}: сумма должна быть больше нуля, не меньше копейки (0,01). Если это возврат "
    "денег клиенту, впишите «возврат» в столбец «{other}» (сумму можно оставить с минусом). "
    "Иначе исправьте сумму; ошибочную строку удалите.",
    en="{column}: the amount must be above zero, at least a kopeck (0.01). If this is money "
    "returned to the client, write «refund» in the «{other}» column (the amount may keep its "
    "minus). Otherwise fix it or delete the row.",
)
def nonpositive_sale(
    check: Check, parsed: columns.ParsedColumn, failed: np.ndarray, refund: np.ndarray
) -> Found:
    """A readable amount of zero or less (0,004 ₽ rounds to zero kopecks) on a row that is
    not a refund."""
    below = ~failed & ~refund & (parsed.values.fillna(1) <= 0).to_numpy()
    return Found(below, fields=lambda position: {"other": check.header("type")})


@rule(
    code="nonpositive_amount",
    severity=ERROR,
    tab="sales",
    column="amount",
    ru="{column}: сумма возврата не может быть нулевой. Впишите, сколько вернули клиенту (не "
    "меньше копейки, 0,01), или удалите строку.",
    en="{column}: a refund cannot be zero. Write how much was returned to the client (at least "
    "a kopeck, 0.01) or delete the row.",
)
def zero_refund(
    check: Check, parsed: columns.ParsedColumn, failed: np.ndarray, refund: np.ndarray
) -> np.ndarray:
    """A refund of zero kopecks."""
    return ~failed & refund & (parsed.values.fillna(1) == 0).to_numpy()


def check_sale_amounts(check: Check, refund: np.ndarray) -> tuple[pd.Series, np.ndarray]:
    """The amount column: bad_amount, nonpositive_amount. A refund's amount may be written
    with a minus or without and means the same: it is kept without its sign. The kopecks and
    which rows are flagged."""
    parsed = columns.money_column(check.column("amount"))
    failed = check.apply(bad_amount, parsed, "amount", True)
    nonpositive = check.apply(nonpositive_sale, parsed, failed, refund)
    nonpositive |= check.apply(zero_refund, parsed, failed, refund)
    values = parsed.values
    if refund.any():
        values = values.where(~refund, values.abs())
    return values, failed | nonpositive


@dataclass(frozen=True)
class SalesRows:
    """What the refund rules read of every row: its date, client key, amount in kopecks
    (a refund's without its sign), whether it is a refund and whether it is paid."""

    date: pd.Series
    client: pd.Series
    amount_kop: pd.Series
    refund: np.ndarray
    paid: np.ndarray

    def history(self, check: Check, refunds: np.ndarray) -> pd.DataFrame:
        """The payments (paid, not refunds) and the rows of `refunds` of the clients those
        refunds name, rows with an error so far left out: position, client, date, amount,
        refund; by client, date, payments before the refunds of the same day, sheet row."""
        known = ~check.errors & self.date.notna().to_numpy() & self.client.notna().to_numpy()
        refunds = refunds & known
        clients = self.client.to_numpy(dtype=object)
        named = pd.unique(clients[refunds])
        keep = (refunds | (known & self.paid & ~self.refund)) & self.client.isin(named).to_numpy()
        frame = pd.DataFrame(
            {
                "position": np.flatnonzero(keep),
                "client": clients[keep],
                "date": self.date.to_numpy()[keep],
                "amount": self.amount_kop.fillna(0).to_numpy(dtype="int64")[keep],
                "refund": self.refund[keep],
            }
        )
        return frame.sort_values(["client", "date", "refund", "position"], kind="stable")


@rule(
    severity=ERROR,
    tab="sales",
    column="client",
    ru="Возврат клиенту {name} от {other}, но оплат этого клиента с датой не позже нет. "
    "Проверьте название клиента (как в строке его оплаты) и дату возврата; если оплаты не "
    "было — удалите строку.",
    en="A refund to {name} on {other}, but the client has no payment dated on or before it. "
    "Check the client's name (as in its payment's row) and the refund's date; if there was no "
    "payment, delete the row.",
)
def refund_without_payment(check: Check, sales: SalesRows) -> Found:
    """A refund of a client with no payment (paid, without an error) dated on or before it."""
    mask = np.zeros(len(check.rows), dtype=bool)
    if not sales.refund.any():
        return Found(mask)
    history = sales.history(check, sales.refund)
    paid_before = (~history["refund"]).groupby(history["client"], sort=False).cumsum()
    mask[history["position"].to_numpy()[(history["refund"] & (paid_before == 0)).to_numpy()]] = 1
    names = check.display_names("client").to_numpy()
    days = sales.date

    def fields(position: int) -> dict[str, object]:
        return {"name": quoted_name(names[position]), "other": f"{days.iloc[position]:%d.%m.%Y}"}

    return Found(mask, fields=fields)


@rule(
    severity=WARNING,
    tab="sales",
    column="amount",
    ru="Возврат {value} больше, чем клиент {name} заплатил к этой дате за вычетом прежних "
    "возвратов ({other}). Проверьте сумму и клиента. Пока не исправлено, выручка уменьшается "
    "на весь возврат, а чек 1-го месяца — не ниже нуля.",
    en="The refund {value} is larger than what {name} paid by this date less earlier refunds "
    "({other}). Check the amount and the client. Until fixed, revenue falls by the whole "
    "refund and the month-1 check no lower than zero.",
)
def refund_exceeds_payments(check: Check, sales: SalesRows) -> Found:
    """A paid refund that takes the client's payments so far, less its refunds so far, below
    zero."""
    mask = np.zeros(len(check.rows), dtype=bool)
    refunds = sales.refund & sales.paid
    if not refunds.any():
        return Found(mask)
    history = sales.history(check, refunds)
    amount = history["amount"].to_numpy(dtype="int64")
    is_refund = history["refund"].to_numpy(dtype=bool)
    net_after = (
        pd.Series(np.where(is_refund, -amount, amount))
        .groupby(history["client"].to_numpy(), sort=False)
        .cumsum()
        .to_numpy()
    )
    over = is_refund & (net_after < 0)
    positions = history["position"].to_numpy()[over]
    mask[positions] = True
    before = dict(zip(positions.tolist(), (net_after + amount)[over].tolist(), strict=True))
    names = check.display_names("client").to_numpy()
    language = check.ctx.language

    def fields(position: int) -> dict[str, object]:
        net = kopecks_text(max(before[position], 0), language)
        return {"name": quoted_name(names[position]), "other": net}

    return Found(mask, fields=fields)


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
def negative_margin(check: Check, parsed: columns.ParsedColumn, refund: np.ndarray) -> np.ndarray:
    """A margin below zero; the row counts without a margin. A refund's margin may be written
    negative, like its amount."""
    return parsed.ok.to_numpy() & (parsed.values.fillna(0) < 0).to_numpy() & ~refund


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


def check_margins(
    check: Check, amount_kop: pd.Series, bad_amount: np.ndarray, refund: np.ndarray
) -> pd.Series:
    """The margin column: bad_margin where unreadable or negative (then it counts as empty;
    a refund's is taken as written without its sign), margin_exceeds_amount. The margins in
    kopecks."""
    parsed = columns.money_column(check.column("margin"))
    check.apply(bad_margin, parsed)
    negative = check.apply(negative_margin, parsed, refund)
    margin_kop = parsed.values.where(parsed.ok.to_numpy() & ~negative)
    if refund.any():
        margin_kop = margin_kop.where(~refund, margin_kop.abs())
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
