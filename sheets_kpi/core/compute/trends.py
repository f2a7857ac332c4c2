"""Figures over time of the monthly KPIs (SPEC §6): month numbers, growth against an earlier
month, and retention_4 (new clients who reached their 4th paying month)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sheets_kpi.core import months

# A month number (year * 12 + month - 1) is below this, so `code * SPAN + month_number` sorts
# by manager first and month second.
SPAN = 1_000_000


def month_numbers(month: pd.Series) -> np.ndarray:
    """`YYYY-MM` strings → year * 12 + month - 1 (int64), parsing each distinct month once."""
    codes, uniques = pd.factorize(month.to_numpy(dtype=object), sort=False)
    if (codes < 0).any() or not all(isinstance(text, str) for text in uniques.tolist()):
        codes, uniques = pd.factorize(month.astype(str), sort=False)  # texts of anything else
    numbers = np.array([int(text[:4]) * 12 + int(text[5:7]) - 1 for text in uniques], dtype="int64")
    if len(numbers) == 0:
        return np.zeros(len(codes), dtype="int64")
    return numbers[codes]


def retention_4_counts(table: pd.DataFrame, month: str) -> pd.DataFrame:
    """Per acquiring manager (index `manager_key`, managers with eligible clients only):
    `eligible` new clients acquired at least three months before `month`, and how many of them
    were `retained` (reached paying month 4 by `month`). The team's figures are the sums."""
    new = new_client_rows(table, ["acquiring_manager_key", "first_month", "months"])
    target = months.months_between("0000-01", month)
    frame = pd.DataFrame(
        {
            "manager_key": new["acquiring_manager_key"].to_numpy(),
            "eligible": month_numbers(new["first_month"]) <= target - 3,
            "retained": fourth_month_number(new["months"]) <= target,
        }
    )
    counts = frame.groupby("manager_key", sort=True)[["eligible", "retained"]].sum()
    return counts[counts["eligible"] > 0].astype("int64")


def new_client_rows(table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The `columns` of the new clients' rows of the clients table (only those are copied)."""
    if not len(table):
        return table
    return table[columns][table["is_new"].astype(bool).to_numpy()]


NO_FOURTH = np.iinfo("int64").max // 4


def fourth_month_number(paying_months: pd.Series) -> np.ndarray:
    """Month number of each client's 4th paying month; `NO_FOURTH` when it has none."""
    tuples = paying_months.to_numpy(dtype=object)
    lengths = np.fromiter(map(len, tuples.tolist()), dtype="int64", count=len(tuples))
    has_fourth = lengths >= 4
    numbers = np.full(len(tuples), NO_FOURTH, dtype="int64")
    if has_fourth.any():
        fourth = [months_[3] for months_ in tuples[has_fourth].tolist()]
        numbers[has_fourth] = month_numbers(pd.Series(fourth, dtype=object))
    return numbers


def retention_share(
    acquired: pd.DataFrame, row_managers: pd.Series | None, row_months: np.ndarray
) -> np.ndarray:
    """retention_4 for each (manager, month) row; `row_managers` None = the whole team.

    Eligible clients of a row are its manager's new clients with first month ≤ month − 3;
    retained are those whose 4th paying month is ≤ month. Both are counted by binary search
    over (manager code, month number) keys: O((clients + rows) log clients).
    """
    share = np.full(len(row_months), np.nan)
    if len(row_months) == 0 or acquired.empty:
        return share
    if row_managers is None:
        client_codes = np.zeros(len(acquired), dtype="int64")
        row_codes = np.zeros(len(row_months), dtype="int64")
    else:
        codes, _ = pd.factorize(
            np.concatenate(
                [
                    acquired["manager_key"].to_numpy(dtype=object),
                    row_managers.to_numpy(dtype=object),
                ]
            )
        )
        client_codes = codes[: len(acquired)].astype("int64")
        row_codes = codes[len(acquired) :].astype("int64")
    first = acquired["first"].to_numpy(dtype="int64")
    fourth = acquired["fourth"].to_numpy(dtype="int64")
    has_fourth = fourth != NO_FOURTH
    first_keys = np.sort(client_codes * SPAN + first)
    fourth_keys = np.sort(client_codes[has_fourth] * SPAN + fourth[has_fourth])
    base = row_codes * SPAN
    eligible = np.searchsorted(first_keys, base + row_months - 3, side="right") - np.searchsorted(
        first_keys, base, side="left"
    )
    retained = np.searchsorted(fourth_keys, base + row_months, side="right") - np.searchsorted(
        fourth_keys, base, side="left"
    )
    known = eligible > 0
    share[known] = retained[known] / eligible[known]
    return share


def growth(frame: pd.DataFrame, keys: list[str], lag: int) -> np.ndarray:
    """(revenue − revenue `lag` months before) / that previous revenue, per row of `frame`;
    NaN when the previous month has no row or no revenue."""
    month_number = frame["month_number"].to_numpy(dtype="int64")
    ident = month_number
    if keys:
        # (key, month) as one integer; an empty key is a key of its own, as merge matches it
        codes, _ = pd.factorize(frame[keys[0]].to_numpy(dtype=object), use_na_sentinel=False)
        ident = codes.astype("int64") * SPAN + month_number
    lookup = pd.Index(ident)
    if len(keys) <= 1 and lookup.is_unique:
        position = lookup.get_indexer(ident - lag)
        revenue_all = frame["revenue"].to_numpy(dtype=float)
        before = np.where(position >= 0, revenue_all[position], np.nan)
    else:
        current = frame[[*keys, "month_number"]]
        previous = frame[[*keys, "month_number", "revenue"]].copy()
        previous["month_number"] = previous["month_number"] + lag
        before = current.merge(previous, on=[*keys, "month_number"], how="left")["revenue"]
        before = before.to_numpy(dtype=float)
    revenue = frame["revenue"].to_numpy(dtype=float)
    growth = np.full(len(frame), np.nan)
    known = before > 0
    growth[known] = (revenue[known] - before[known]) / before[known]
    return growth


def objects(values: np.ndarray) -> pd.Series:
    """Key texts kept as objects: the fact frames are read back as objects only, so pandas
    need not infer a `str` column over every row."""
    return pd.Series(np.asarray(values, dtype=object), dtype=object, copy=False)


def acquired(table: pd.DataFrame) -> pd.DataFrame:
    """The new clients of the clients table: acquiring `manager_key`, and the month numbers of
    their `first` and `fourth` paying months (what retention_4 counts)."""
    new = new_client_rows(table, ["acquiring_manager_key", "first_month", "months"])
    return pd.DataFrame(
        {
            "manager_key": objects(new["acquiring_manager_key"].to_numpy()),
            "first": month_numbers(new["first_month"]),
            "fourth": fourth_month_number(new["months"]),
        }
    )
