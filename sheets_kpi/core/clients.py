"""Clients and their paying months (SPEC §4): month index, month-1 check, acquiring manager.

Everything here is vectorised pandas (sorts, group-bys, dense ranks): a million sales rows take
a few seconds. Only paid rows count; unpaid rows are receivables and are ignored here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)

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
    """

    payments: pd.DataFrame
    table: pd.DataFrame


def _month_number(month: pd.Series) -> np.ndarray:
    """`YYYY-MM` → year * 12 + month, so months sort and rank as integers (each distinct
    month string is parsed once)."""
    codes, uniques = pd.factorize(month.astype(str))
    numbers = np.array([int(text[:4]) * 12 + int(text[5:7]) for text in uniques], dtype="int64")
    return numbers[codes] if len(numbers) else np.zeros(len(codes), dtype="int64")


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


def _months_tuples(
    client_code: np.ndarray, month_number: np.ndarray, month: np.ndarray, client_count: int
) -> list[tuple[str, ...]]:
    """Per client code, the tuple of its distinct paying months in order (one Python step per
    client, not per row)."""
    order = np.lexsort((month_number, client_code))
    codes, numbers, texts = client_code[order], month_number[order], month[order]
    distinct = np.r_[True, (codes[1:] != codes[:-1]) | (numbers[1:] != numbers[:-1])]
    codes, texts = codes[distinct], texts[distinct]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    result: list[tuple[str, ...]] = [() for _ in range(client_count)]
    for code, group in zip(codes[starts], np.split(texts, starts[1:]), strict=True):
        result[code] = tuple(group.tolist())
    return result


def analyse(sales: pd.DataFrame) -> Clients:
    """Split the sales log into payments and a per-client table (SPEC §4).

    Month k of a client is its k-th distinct calendar month with payments (gaps do not count);
    its month-1 check is the sum of all its month-1 payments, whoever logged them; its
    acquiring manager is the manager on its earliest payment (ties: the upper sheet row); it is
    new unless that earliest row says `type == "existing"`.
    """
    payments = _paid_rows(sales)
    if payments.empty:
        payments = payments.assign(month_index=pd.Series([], dtype="int64"))
        return Clients(payments=payments, table=_empty_table())

    # Integer codes per client (in order of first appearance) make every group-by cheap.
    client_code, client_keys = pd.factorize(payments["client_key"])
    client_count = len(client_keys)
    month_number = _month_number(payments["month"])
    dates = payments["date"].to_numpy(dtype="datetime64[ns]")
    rows = payments["row"].to_numpy(dtype="int64")

    by_month = pd.Series(month_number).groupby(client_code, sort=True)
    payments["month_index"] = by_month.rank(method="dense").astype("int64").to_numpy()
    month_index = payments["month_index"].to_numpy()

    # The earliest payment of each client: by date, then by sheet row.
    order = np.lexsort((rows, dates, client_code))
    first_of_client = np.r_[True, client_code[order][1:] != client_code[order][:-1]]
    first_position = np.empty(client_count, dtype="int64")
    first_position[client_code[order][first_of_client]] = order[first_of_client]
    first = payments.iloc[first_position]

    # Display form: the first one seen in sheet order (payments are in sheet order).
    _, first_seen = np.unique(client_code, return_index=True)
    display = payments["client"].to_numpy()[first_seen]

    in_month1 = month_index == 1
    month1_code = client_code[in_month1]
    amounts = payments["amount_kop"].to_numpy(dtype="int64")[in_month1]
    month1_check = pd.Series(amounts).groupby(month1_code).sum().reindex(range(client_count))
    margin = payments["margin_kop"].astype("Int64")[in_month1].reset_index(drop=True)
    margin_sum = margin.groupby(month1_code).sum().reindex(range(client_count))
    margin_missing = margin.isna().groupby(month1_code).any().reindex(range(client_count))
    month1_margin = margin_sum.astype("Int64").mask(margin_missing.astype(bool), pd.NA)

    paying_months = np.zeros(client_count, dtype="int64")
    np.maximum.at(paying_months, client_code, month_index)
    last_payment = pd.Series(dates).groupby(client_code).max().reindex(range(client_count))
    months = _months_tuples(
        client_code, month_number, payments["month"].astype(str).to_numpy(), client_count
    )

    client_type = first["type"] if "type" in first.columns else pd.Series([None] * client_count)
    channel = first["channel"] if "channel" in first.columns else pd.Series([None] * client_count)
    is_new = ~client_type.astype(object).eq("existing").to_numpy()
    table = pd.DataFrame(
        {
            "client_key": np.asarray(client_keys, dtype=object),
            "client": display,
            "acquiring_manager_key": first["manager_key"].to_numpy(),
            "acquiring_manager": first["manager"].to_numpy(),
            "first_month": first["month"].astype(str).to_numpy(),
            "first_row": first["row"].astype("int64").to_numpy(),
            # object dtype keeps None (a str column would turn it into NaN)
            "first_channel": pd.Series(
                channel.astype(object).where(channel.notna(), None).to_numpy(), dtype=object
            ),
            "is_new": is_new.astype(bool),
            "month1_check_kop": month1_check.astype("int64").to_numpy(),
            "month1_margin_kop": month1_margin.array,
            "paying_months": paying_months,
            "months": pd.Series(months, dtype=object).to_numpy(),
            "last_payment_date": last_payment.to_numpy(),
        }
    )
    table = table.sort_values("first_row", kind="stable").reset_index(drop=True)
    logger.debug("%d payments of %d clients", len(payments), len(table))
    return Clients(payments=payments, table=table)
