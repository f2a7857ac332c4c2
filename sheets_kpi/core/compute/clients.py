"""Clients and their paying months (SPEC §4): month index, month-1 check, acquiring manager;
and their refunds (SPEC §14).

Everything here is vectorised pandas (sorts, group-bys, dense ranks): a million sales rows take
a few seconds. Only paid rows count; unpaid rows are receivables and are ignored here. A refund
row (`Inputs.sales.refund`) is never a payment: it is kept apart in `Clients.refunds`, and one
in a client's month 1 lowers that month's check (and margin, when it gives one), never below 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from typing import NamedTuple

import numpy as np
import pandas as pd

TABLE_COLUMNS = (
    "client_key",
    "client",
    "acquiring_manager_key",
    "acquiring_manager",
    "first_month",
    "first_row",
    "first_channel",
    "is_new",
    "month1_check_kop",
    "month1_margin_kop",
    "paying_months",
    "months",
    "last_payment_date",
)
REFUND_COLUMNS = (
    "row",
    "date",
    "month",
    "client_key",
    "client",
    "manager_key",
    "manager",
    "amount_kop",
    "margin_kop",
    "month1",
)


@dataclass(frozen=True)
class Clients:
    """What the sales log says about each client (ARCHITECTURE.md, "Clients").

    payments: the paid rows of `Inputs.sales` plus `month_index` (the client's k-th distinct
        paying month, 1-based), in sheet order, with a fresh RangeIndex.
    table: one row per client, sorted by `first_row`: client_key, client,
        acquiring_manager_key, acquiring_manager, first_month, first_row, first_channel,
        is_new, month1_check_kop (int64), month1_margin_kop (Int64, <NA> if any month-1
        payment lacks a margin), paying_months (int64), months (tuple of "YYYY-MM" in order),
        last_payment_date (datetime64).
    client_codes: optional, `pd.factorize(payments["client_key"])` as computed here (codes
        per payment row, −1 for an empty key; keys in order of first appearance), so readers
        need not hash the keys again; None when not known (e.g. a hand-built Clients).
    refunds: the paid refund rows of `Inputs.sales` (SPEC §14), in sheet order: row, date,
        month, client_key, client, manager_key, manager (the row's), amount_kop (int64, > 0),
        margin_kop (Int64), month1 (bool: in the client's month 1; the table's
        month1_check_kop / month1_margin_kop are already lowered by these). Not payments:
        no paying month, not in `payments`.
    """

    payments: pd.DataFrame
    table: pd.DataFrame
    client_codes: tuple[np.ndarray, pd.Index] | None = field(
        default=None, compare=False, repr=False
    )
    refunds: pd.DataFrame = field(default_factory=lambda: empty_refunds(), compare=False)


def empty_refunds() -> pd.DataFrame:
    """A `Clients.refunds` frame with no rows."""
    frame = pd.DataFrame({column: pd.Series([], dtype=object) for column in REFUND_COLUMNS})
    return frame.astype(
        {"row": "int64", "amount_kop": "int64", "margin_kop": "Int64", "month1": bool}
    ).assign(date=pd.to_datetime(frame["date"]))


def _split_refunds(paid: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(payments, refund rows) of the paid rows, each renumbered from 0."""
    if "refund" not in paid.columns:
        return paid, paid.iloc[:0]
    refund = paid["refund"].to_numpy(dtype=bool)
    if not refund.any():
        return paid, paid.iloc[:0]
    return paid.loc[~refund].reset_index(drop=True), paid.loc[refund].reset_index(drop=True)


def _refunds(rows: pd.DataFrame, table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The `Clients.refunds` frame of the refund rows, and `table` with its month-1 checks and
    margins lowered by the refunds in month 1 (never below 0; a refund without a margin leaves
    the margin as it is)."""
    if rows.empty:
        return empty_refunds(), table
    first_month = rows["client_key"].map(table.set_index("client_key")["first_month"])
    refunds = pd.DataFrame(
        {
            column: rows[column].to_numpy()
            for column in REFUND_COLUMNS
            if column not in ("month1", "margin_kop")
        }
    ).assign(
        amount_kop=rows["amount_kop"].to_numpy(dtype="int64"),
        margin_kop=rows["margin_kop"].astype("Int64").to_numpy(),
        month1=(rows["month"] == first_month).to_numpy(dtype=bool),
    )
    in_month1 = refunds[refunds["month1"]]
    if in_month1.empty:
        return refunds[list(REFUND_COLUMNS)], table
    by_client = in_month1.groupby("client_key", sort=False)
    amount = table["client_key"].map(by_client["amount_kop"].sum()).fillna(0)
    margin = table["client_key"].map(by_client["margin_kop"].sum()).fillna(0)
    table = table.copy()
    table["month1_check_kop"] = np.maximum(
        table["month1_check_kop"].to_numpy(dtype="int64") - amount.to_numpy(dtype="int64"), 0
    )
    lowered = (table["month1_margin_kop"] - margin.astype("int64")).clip(lower=0)
    table["month1_margin_kop"] = lowered.astype("Int64")
    return refunds[list(REFUND_COLUMNS)], table


def _month_number(month: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """`YYYY-MM` → year * 12 + month, so months sort and rank as integers, and the month text
    of each row (each distinct month string is parsed once)."""
    codes, uniques = pd.factorize(month.to_numpy(dtype=object))
    if (codes < 0).any() or not all(isinstance(value, str) for value in uniques.tolist()):
        codes, uniques = pd.factorize(month.astype(str))  # texts of whatever else is there
    texts = np.asarray(uniques, dtype=object)
    numbers = np.array([int(text[:4]) * 12 + int(text[5:7]) for text in texts], dtype="int64")
    if not len(numbers):
        return np.zeros(len(codes), dtype="int64"), np.empty(len(codes), dtype=object)
    return numbers[codes], texts[codes]


def _paid_rows(sales: pd.DataFrame) -> pd.DataFrame:
    if "paid" not in sales.columns:
        return sales.reset_index(drop=True)
    paid = sales["paid"].astype("boolean").fillna(True).astype(bool)
    return sales.loc[paid.to_numpy()].reset_index(drop=True)


def _empty_table() -> pd.DataFrame:
    table = pd.DataFrame({column: pd.Series([], dtype=object) for column in TABLE_COLUMNS})
    table["first_row"] = table["first_row"].astype("int64")
    table["is_new"] = table["is_new"].astype(bool)
    table["month1_check_kop"] = table["month1_check_kop"].astype("int64")
    table["month1_margin_kop"] = table["month1_margin_kop"].astype("Int64")
    table["paying_months"] = table["paying_months"].astype("int64")
    table["last_payment_date"] = pd.to_datetime(table["last_payment_date"])
    return table


def _months_tuples(texts: list[str], client_bounds: np.ndarray) -> list[tuple[str, ...]]:
    """Per client (in code order), the tuple of its distinct paying months in order:
    `texts` holds them client after client, `client_bounds` where each client's run starts
    (plus the end). One slice per client, not one step per row."""
    return [tuple(texts[start:stop]) for start, stop in pairwise(client_bounds.tolist())]


class _Runs(NamedTuple):
    """Payments grouped by client, then by month (sheet order inside)."""

    by_client: np.ndarray  # payment positions in that order
    month_index: np.ndarray  # the k of each payment in that order: its client's k-th month
    starts: np.ndarray  # where each client's run starts (client codes run 0, 1, … in order)
    month_start: np.ndarray  # bool: where each distinct month of a client starts


def _runs(client_code: np.ndarray, month_number: np.ndarray) -> _Runs:
    """Each client's run starts at `client_start`, each of its distinct months at
    `month_start`, so the k-th distinct month (a dense rank) is a running count in the run."""
    by_client = np.lexsort((month_number, client_code))
    sorted_code = client_code[by_client]
    sorted_month = month_number[by_client]
    client_start = np.r_[True, sorted_code[1:] != sorted_code[:-1]]
    month_start = client_start | np.r_[True, sorted_month[1:] != sorted_month[:-1]]
    month_count = np.cumsum(month_start)
    months_before = np.maximum.accumulate(np.where(client_start, month_count, 0)) - 1
    return _Runs(by_client, month_count - months_before, np.flatnonzero(client_start), month_start)


def _first_payments(
    payments: pd.DataFrame, runs: _Runs, client_code: np.ndarray, client_count: int
) -> pd.DataFrame:
    """The earliest payment of each client (by date, then sheet row), the columns read only.
    It lies in the client's month 1, so only month-1 payments are sorted."""
    dates = payments["date"].to_numpy(dtype="datetime64[ns]")
    rows = payments["row"].to_numpy(dtype="int64")
    month1 = runs.by_client[runs.month_index == 1]
    order = month1[np.lexsort((rows[month1], dates[month1], client_code[month1]))]
    first_of_client = np.r_[True, client_code[order][1:] != client_code[order][:-1]]
    first_position = np.empty(client_count, dtype="int64")
    first_position[client_code[order][first_of_client]] = order[first_of_client]
    wanted = ("manager_key", "manager", "month", "row", "type", "channel")
    return payments[[column for column in wanted if column in payments.columns]].iloc[
        first_position
    ]


def _month1_sums(payments: pd.DataFrame, runs: _Runs) -> tuple[np.ndarray, pd.arrays.IntegerArray]:
    """Per client, the month-1 check and the month-1 margin (<NA> when a month-1 payment lacks
    it); a client's month-1 payments lead its run."""
    in_month1 = runs.month_index == 1
    amounts = payments["amount_kop"].to_numpy(dtype="int64")[runs.by_client]
    check = np.add.reduceat(np.where(in_month1, amounts, 0), runs.starts)
    margin = payments["margin_kop"].astype("Int64").array
    margin_kop = margin.to_numpy(dtype="int64", na_value=0)[runs.by_client]
    margin_missing = margin.isna()[runs.by_client] & in_month1
    return check.astype("int64"), pd.arrays.IntegerArray(
        np.add.reduceat(np.where(in_month1, margin_kop, 0), runs.starts),
        np.logical_or.reduceat(margin_missing, runs.starts),
    )


def analyse(sales: pd.DataFrame) -> Clients:
    """Split the sales log into payments and a per-client table (SPEC §4).

    Month k of a client is its k-th distinct calendar month with payments (gaps do not count);
    its month-1 check is the sum of all its month-1 payments, whoever logged them; its
    acquiring manager is the manager on its earliest payment (ties: the upper sheet row); it is
    new unless that earliest row says `type == "existing"`.
    """
    payments, refund_rows = _split_refunds(_paid_rows(sales))
    if payments.empty:
        payments = payments.assign(month_index=pd.Series([], dtype="int64"))
        refunds, _ = _refunds(refund_rows, _empty_table())
        return Clients(payments=payments, table=_empty_table(), refunds=refunds)

    # Integer codes per client (in order of first appearance) make every group-by cheap.
    client_code, client_keys = pd.factorize(payments["client_key"])
    client_count = len(client_keys)
    month_number, month_text = _month_number(payments["month"])
    runs = _runs(client_code, month_number)
    month_index = np.empty(len(payments), dtype="int64")
    month_index[runs.by_client] = runs.month_index
    payments["month_index"] = month_index
    first = _first_payments(payments, runs, client_code, client_count)

    # Display form: the first one seen in sheet order (payments are in sheet order, and codes
    # are numbered in order of first appearance, so a new code is one above all before it).
    first_seen = np.flatnonzero(
        np.r_[True, client_code[1:] > np.maximum.accumulate(client_code)[:-1]]
    )
    month1_check, month1_margin = _month1_sums(payments, runs)
    ends = np.r_[runs.starts[1:], len(payments)] - 1
    dates = payments["date"].to_numpy(dtype="datetime64[ns]")
    last_payment = np.maximum.reduceat(dates.view("int64")[runs.by_client], runs.starts)
    month_positions = np.flatnonzero(runs.month_start)
    months = _months_tuples(
        month_text[runs.by_client][month_positions].tolist(),
        np.r_[np.searchsorted(month_positions, runs.starts), len(month_positions)],
    )
    client_type = first["type"] if "type" in first.columns else pd.Series([None] * client_count)
    channel = first["channel"] if "channel" in first.columns else pd.Series([None] * client_count)
    table = pd.DataFrame(
        {
            "client_key": np.asarray(client_keys, dtype=object),
            "client": payments["client"].to_numpy()[first_seen],
            "acquiring_manager_key": first["manager_key"].to_numpy(),
            "acquiring_manager": first["manager"].to_numpy(),
            "first_month": first["month"].astype(str).to_numpy(),
            "first_row": first["row"].astype("int64").to_numpy(),
            # object dtype keeps None (a str column would turn it into NaN)
            "first_channel": pd.Series(
                channel.astype(object).where(channel.notna(), None).to_numpy(), dtype=object
            ),
            "is_new": ~client_type.astype(object).eq("existing").to_numpy().astype(bool),
            "month1_check_kop": month1_check,
            "month1_margin_kop": month1_margin,
            "paying_months": runs.month_index[ends].astype("int64"),
            "months": pd.Series(months, dtype=object).to_numpy(),
            "last_payment_date": last_payment.view("datetime64[ns]"),
        }
    )
    table = table.sort_values("first_row", kind="stable").reset_index(drop=True)
    refunds, table = _refunds(refund_rows, table)
    return Clients(
        payments=payments,
        table=table,
        client_codes=(client_code, client_keys),
        refunds=refunds,
    )
