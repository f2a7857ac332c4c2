"""Monthly KPIs per manager and for the team (SPEC §6) and their bonus columns.

The leaderboard (§8) ranks these figures in `core/leaderboard.py`.

Everything is vectorised pandas over the sales rows; Python loops only run over bonus items and
the managers of one month. Money is summed in integer kopecks and leaves as roubles (float).
A figure whose inputs are absent is NaN, never a fake 0.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import pairwise

import numpy as np
import pandas as pd

from sheets_kpi.core import months
from sheets_kpi.core.compute.clients import Clients
from sheets_kpi.core.model import BonusItem, Inputs
from sheets_kpi.core.output.report import MONTHLY_COLUMNS
from sheets_kpi.core.roster import Roster
from sheets_kpi.core.settings import Config

TEAM_COLUMNS = tuple(column for column in MONTHLY_COLUMNS if column != "manager")

# A month number (year * 12 + month - 1) is below this, so `code * _SPAN + month_number` sorts
# by manager first and month second.
_SPAN = 1_000_000

# Figures that are real zeros for a row that exists (the sales log was read and had none).
_ZERO_MONEY = ("revenue", "new_revenue", "repeat_revenue", "receivables")
_ZERO_COUNTS = ("payments", "new_clients")


def _month_numbers(month: pd.Series) -> np.ndarray:
    """`YYYY-MM` strings → year * 12 + month - 1 (int64), parsing each distinct month once."""
    codes, uniques = pd.factorize(month.to_numpy(dtype=object), sort=False)
    if (codes < 0).any() or not all(isinstance(text, str) for text in uniques.tolist()):
        codes, uniques = pd.factorize(month.astype(str), sort=False)  # texts of anything else
    numbers = np.array([int(text[:4]) * 12 + int(text[5:7]) - 1 for text in uniques], dtype="int64")
    if len(numbers) == 0:
        return np.zeros(len(codes), dtype="int64")
    return numbers[codes]


def _kop_to_roubles(kopecks: pd.Series) -> pd.Series:
    return pd.to_numeric(kopecks, errors="coerce").astype(float) / 100


def _round_kop(kopecks: pd.Series | np.ndarray) -> np.ndarray:
    """Half-up rounding of non-negative kopeck amounts to whole kopecks (NaN stays NaN)."""
    return np.floor(np.asarray(kopecks, dtype=float) + 0.5)


def _manager_names(inputs: Inputs, roster: Roster) -> pd.Series:
    """manager_key → display name (`Roster.display_name`) of every manager of the roster,
    the sales and the plan; the name seen is a key's first in sales, else in plan."""
    seen: dict[object, object] = {}
    for frame in (inputs.sales, inputs.plan):
        if frame is not None and len(frame) and "manager_key" in frame.columns:
            # Codes count up in order of appearance: a key's first row is where its code
            # first exceeds every code before it (an empty key, −1, never does).
            codes, keys = pd.factorize(frame["manager_key"].to_numpy(dtype=object))
            earlier = np.maximum.accumulate(np.r_[-1, codes[:-1]])
            firsts = np.flatnonzero(codes > earlier)
            shown = frame["manager"].to_numpy()[firsts]
            for key, name in zip(np.asarray(keys, dtype=object).tolist(), shown, strict=True):
                seen.setdefault(key, name)
    keys = [*roster, *(key for key in seen if key not in roster)]
    if not keys:
        return pd.Series(dtype=object)
    return pd.Series(
        np.array([roster.display_name(key, seen.get(key)) for key in keys], dtype=object),
        index=np.array(keys, dtype=object),
    )


def _salaries(roster: Roster) -> pd.Series:
    """manager_key → salary in roubles (NaN when the roster has no salary for them)."""
    if not roster.salaries_kop:
        return pd.Series(dtype=float)
    return pd.Series(
        [kopecks / 100 for kopecks in roster.salaries_kop.values()],
        index=list(roster.salaries_kop),
        dtype=float,
    )


def retention_4_counts(table: pd.DataFrame, month: str) -> pd.DataFrame:
    """Per acquiring manager (index `manager_key`, managers with eligible clients only):
    `eligible` new clients acquired at least three months before `month`, and how many of them
    were `retained` (reached paying month 4 by `month`). The team's figures are the sums."""
    new = _new_clients(table, ["acquiring_manager_key", "first_month", "months"])
    target = months.months_between("0000-01", month)
    frame = pd.DataFrame(
        {
            "manager_key": new["acquiring_manager_key"].to_numpy(),
            "eligible": _month_numbers(new["first_month"]) <= target - 3,
            "retained": _fourth_month_number(new["months"]) <= target,
        }
    )
    counts = frame.groupby("manager_key", sort=True)[["eligible", "retained"]].sum()
    return counts[counts["eligible"] > 0].astype("int64")


def _new_clients(table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The `columns` of the new clients' rows of the clients table (only those are copied)."""
    if not len(table):
        return table
    return table[columns][table["is_new"].astype(bool).to_numpy()]


_NO_FOURTH = np.iinfo("int64").max // 4


def _fourth_month_number(paying_months: pd.Series) -> np.ndarray:
    """Month number of each client's 4th paying month; `_NO_FOURTH` when it has none."""
    tuples = paying_months.to_numpy(dtype=object)
    lengths = np.fromiter(map(len, tuples.tolist()), dtype="int64", count=len(tuples))
    has_fourth = lengths >= 4
    numbers = np.full(len(tuples), _NO_FOURTH, dtype="int64")
    if has_fourth.any():
        fourth = [months_[3] for months_ in tuples[has_fourth].tolist()]
        numbers[has_fourth] = _month_numbers(pd.Series(fourth, dtype=object))
    return numbers


def _retention_share(
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
    has_fourth = fourth != _NO_FOURTH
    first_keys = np.sort(client_codes * _SPAN + first)
    fourth_keys = np.sort(client_codes[has_fourth] * _SPAN + fourth[has_fourth])
    base = row_codes * _SPAN
    eligible = np.searchsorted(first_keys, base + row_months - 3, side="right") - np.searchsorted(
        first_keys, base, side="left"
    )
    retained = np.searchsorted(fourth_keys, base + row_months, side="right") - np.searchsorted(
        fourth_keys, base, side="left"
    )
    known = eligible > 0
    share[known] = retained[known] / eligible[known]
    return share


def _growth(frame: pd.DataFrame, keys: list[str], lag: int) -> np.ndarray:
    """(revenue − revenue `lag` months before) / that previous revenue, per row of `frame`;
    NaN when the previous month has no row or no revenue."""
    month_number = frame["month_number"].to_numpy(dtype="int64")
    ident = month_number
    if keys:
        # (key, month) as one integer; an empty key is a key of its own, as merge matches it
        codes, _ = pd.factorize(frame[keys[0]].to_numpy(dtype=object), use_na_sentinel=False)
        ident = codes.astype("int64") * _SPAN + month_number
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


@dataclass(frozen=True)
class _Facts:
    """The row-level frames every grouping sums: paid rows, unpaid rows, acquired clients."""

    paid: pd.DataFrame  # month, manager_key, revenue_kop, repeat_revenue_kop, margin_kop
    unpaid: pd.DataFrame  # month, manager_key, receivables_kop
    acquired: pd.DataFrame  # month, manager_key, new_revenue_kop, first, fourth (new clients)


def _objects(values: np.ndarray) -> pd.Series:
    """Key texts kept as objects: the fact frames are read back as objects only, so pandas
    need not infer a `str` column over every row."""
    return pd.Series(np.asarray(values, dtype=object), dtype=object, copy=False)


def _facts(payments: pd.DataFrame, sales: pd.DataFrame, table: pd.DataFrame) -> _Facts:
    existing_clients = table.loc[~table["is_new"].astype(bool).to_numpy(), "client_key"]
    existing = payments["client_key"].isin(existing_clients).to_numpy()
    amount = payments["amount_kop"].to_numpy(dtype="int64")
    repeat = (payments["month_index"].to_numpy(dtype="int64") >= 2) | existing
    paid = pd.DataFrame(
        {
            "month": _objects(payments["month"].to_numpy()),
            "manager_key": _objects(payments["manager_key"].to_numpy()),
            "revenue_kop": amount,
            "repeat_revenue_kop": np.where(repeat, amount, 0),
            "margin_kop": pd.to_numeric(payments["margin_kop"], errors="coerce")
            .astype(float)
            .to_numpy(),
        }
    )
    unpaid_mask = ~sales["paid"].astype("boolean").fillna(True).astype(bool).to_numpy()
    unpaid = pd.DataFrame(
        {
            "month": _objects(sales["month"].to_numpy()[unpaid_mask]),
            "manager_key": _objects(sales["manager_key"].to_numpy()[unpaid_mask]),
            "receivables_kop": sales["amount_kop"].to_numpy(dtype="int64")[unpaid_mask],
        }
    )
    new = _new_clients(table, ["first_month", "month1_check_kop"])
    acquired = _acquired(table)  # the same rows in the same order
    acquired.insert(0, "month", _objects(new["first_month"].to_numpy()))
    acquired.insert(2, "new_revenue_kop", new["month1_check_kop"].to_numpy(dtype="int64"))
    return _Facts(paid, unpaid, acquired)


def _acquired(table: pd.DataFrame) -> pd.DataFrame:
    """The new clients of the clients table: acquiring `manager_key`, and the month numbers of
    their `first` and `fourth` paying months (what retention_4 counts)."""
    new = _new_clients(table, ["acquiring_manager_key", "first_month", "months"])
    return pd.DataFrame(
        {
            "manager_key": _objects(new["acquiring_manager_key"].to_numpy()),
            "first": _month_numbers(new["first_month"]),
            "fourth": _fourth_month_number(new["months"]),
        }
    )


def _fact_codes(facts: _Facts) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per key column ("month", "manager_key"): integer codes of the paid, unpaid and acquired
    rows one after the other (−1 for an empty key), and the key texts the codes stand for."""
    frames = (facts.paid, facts.unpaid, facts.acquired)
    codes: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for column in ("month", "manager_key"):
        values = np.concatenate([frame[column].to_numpy(dtype=object) for frame in frames])
        column_codes, labels = pd.factorize(values)
        codes[column] = (column_codes, np.asarray(labels, dtype=object))
    return codes


def _sales_aggregates(
    facts: _Facts, keys: list[str], codes: dict[str, tuple[np.ndarray, np.ndarray]]
) -> pd.DataFrame:
    """Sums in kopecks grouped by `keys` (["month", "manager_key"] or ["month"]), outer-joined:
    revenue, margin, payments, repeat revenue, receivables, new clients and their checks.

    Rows are grouped on integer cell numbers (month code × managers + manager code) rather than
    on texts; every sum is of whole kopecks (int64, or integral floats for the margin), so the
    order of summation cannot change a figure. A row without a key is left out, as a groupby
    leaves it out; a part with no row in a cell leaves it NaN there, as the outer join would.
    """
    frames = (facts.paid, facts.unpaid, facts.acquired)
    sizes = [len(frame) for frame in frames]
    month_codes, month_labels = codes["month"]
    valid = month_codes >= 0
    cell = month_codes.astype("int64")
    key_labels = None
    managers = 1
    if len(keys) == 2:
        key_codes, key_labels = codes["manager_key"]
        managers = max(len(key_labels), 1)
        valid &= key_codes >= 0
        cell = cell * managers + key_codes
    size = len(month_labels) * managers
    bounds = np.cumsum([0, *sizes])
    cells = []
    for start, stop in pairwise(bounds.tolist()):
        kept = valid[start:stop]
        cells.append((cell[start:stop][kept], kept))
    (paid_cells, paid_kept), (unpaid_cells, unpaid_kept), (new_cells, new_kept) = cells

    def total(cells_: np.ndarray, values: np.ndarray) -> np.ndarray:
        sums = np.zeros(size, dtype=values.dtype)
        np.add.at(sums, cells_, values)
        return sums

    payments = np.bincount(paid_cells, minlength=size)
    unpaid_rows = np.bincount(unpaid_cells, minlength=size)
    new_clients = np.bincount(new_cells, minlength=size)
    margin = facts.paid["margin_kop"].to_numpy(dtype="float64")[paid_kept]
    has_margin = ~np.isnan(margin)
    margin_sum = total(paid_cells[has_margin], margin[has_margin])
    margin_sum[np.bincount(paid_cells[has_margin], minlength=size) == 0] = np.nan
    present = np.flatnonzero((payments > 0) | (unpaid_rows > 0) | (new_clients > 0))

    def shown(values: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Values of the present cells; NaN where the part has no row (an outer join's gap)."""
        picked = values[present]
        missing = rows[present] == 0
        if missing.any():
            picked = picked.astype("float64")
            picked[missing] = np.nan
        return picked

    paid = facts.paid
    month_index = month_labels[present // managers]
    if key_labels is None:
        index = pd.Index(month_index, name="month")
    else:
        index = pd.MultiIndex.from_arrays([month_index, key_labels[present % managers]], names=keys)
    return pd.DataFrame(
        {
            "revenue_kop": shown(
                total(paid_cells, paid["revenue_kop"].to_numpy(dtype="int64")[paid_kept]),
                payments,
            ),
            "repeat_revenue_kop": shown(
                total(paid_cells, paid["repeat_revenue_kop"].to_numpy(dtype="int64")[paid_kept]),
                payments,
            ),
            "margin_kop": margin_sum[present],
            "payments": shown(payments, payments),
            "receivables_kop": shown(
                total(
                    unpaid_cells,
                    facts.unpaid["receivables_kop"].to_numpy(dtype="int64")[unpaid_kept],
                ),
                unpaid_rows,
            ),
            "new_clients": shown(new_clients, new_clients),
            "new_revenue_kop": shown(
                total(
                    new_cells,
                    facts.acquired["new_revenue_kop"].to_numpy(dtype="int64")[new_kept],
                ),
                new_clients,
            ),
        },
        index=index,
    )


def _plan_parts(plan: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(manager plans indexed by month and manager_key, team plans indexed by month), kopecks.

    A repeated plan row for the same month and manager: the lowest row's filled cells win.
    The team plan is the row with an empty manager, else the sum of the managers' plans.
    """
    columns = ["plan_revenue_kop", "plan_new_clients"]
    if plan is None or plan.empty:
        empty_managers = pd.DataFrame(
            columns=columns,
            index=pd.MultiIndex.from_arrays([[], []], names=["month", "manager_key"]),
            dtype=float,
        )
        return empty_managers, pd.DataFrame(
            columns=columns, index=pd.Index([], name="month"), dtype=float
        )
    values = pd.DataFrame(
        {
            "month": plan["month"].to_numpy(),
            "manager_key": plan["manager_key"].to_numpy(),
            "plan_revenue_kop": pd.to_numeric(plan["plan_revenue_kop"], errors="coerce")
            .astype(float)
            .to_numpy(),
            "plan_new_clients": pd.to_numeric(plan["plan_new_clients"], errors="coerce")
            .astype(float)
            .to_numpy(),
        }
    )
    is_team = plan["manager_key"].isna().to_numpy()
    managers = values[~is_team].groupby(["month", "manager_key"], sort=False)[columns].last()
    managers = managers.dropna(how="all")
    team_rows = values[is_team].groupby("month", sort=False)[columns].last()
    summed = managers.groupby(level="month", sort=False)[columns].sum(min_count=1)
    team = team_rows.combine_first(summed) if len(team_rows) else summed
    return managers, team.dropna(how="all")


def _finish(frame: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Kopeck sums → the roubles and ratios of MONTHLY_COLUMNS (growth and retention aside)."""
    for column in _ZERO_MONEY:
        frame[column] = frame[f"{column}_kop"].fillna(0).astype(float) / 100
    for column in _ZERO_COUNTS:
        frame[column] = frame[column].fillna(0).astype("int64")
    frame["margin"] = frame["margin_kop"].astype(float) / 100
    payments = frame["payments"].to_numpy(dtype=float)
    revenue_kop = frame["revenue_kop"].fillna(0).to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        average = np.where(payments > 0, _round_kop(revenue_kop / payments), np.nan)
    frame["avg_check"] = average / 100
    plan_kop = frame["plan_revenue_kop"].to_numpy(dtype=float)
    frame["plan_revenue"] = plan_kop / 100
    has_plan = plan_kop > 0
    plan_pct = np.full(len(frame), np.nan)
    plan_pct[has_plan] = revenue_kop[has_plan] / plan_kop[has_plan]
    frame["plan_pct"] = plan_pct
    frame["plan_new_clients"] = frame["plan_new_clients"].astype(float)

    current = months.month_of(as_of)
    elapsed_share = as_of.day / months.days_in_month(current)
    forecast = np.full(len(frame), np.nan)
    in_current = (frame["month"] == current).to_numpy() & has_plan
    forecast[in_current] = revenue_kop[in_current] / elapsed_share / plan_kop[in_current]
    frame["forecast_pct"] = forecast

    # A month after as_of (a plan written ahead) has not been measured yet: its sales figures
    # are absent, not zero.
    future = (frame["month"].astype(str) > current).to_numpy()
    if future.any():
        for column in (*_ZERO_MONEY, *_ZERO_COUNTS, "avg_check", "plan_pct"):
            frame[column] = frame[column].astype(float)
            frame.loc[future, column] = np.nan
    for column in ("bonus", "cost", "roi"):
        frame[column] = np.nan
    return frame


def monthly_figures(
    inputs: Inputs, clients: Clients, config: Config, as_of: date
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`(monthly, team)` KPI frames of SPEC §6, without the bonus, cost and roi figures.

    `monthly` has MONTHLY_COLUMNS + `manager_key`, one row per manager and month with any
    payment (paid or unpaid) or plan; `team` has MONTHLY_COLUMNS minus `manager`, one row per
    month with anything. Sorted by month, then manager. `config` is not needed yet: figures
    do not depend on settings.
    """
    del config  # the figures of SPEC §6 take no settings; kept for a stable signature
    sales, payments, table = inputs.sales, clients.payments, clients.table
    current = months.month_of(as_of)
    manager_plans, team_plans = _plan_parts(inputs.plan)

    facts = _facts(payments, sales, table)
    codes = _fact_codes(facts)
    per_manager = _sales_aggregates(facts, ["month", "manager_key"], codes)
    per_manager = per_manager.join(manager_plans, how="outer").reset_index()
    per_manager = per_manager.rename(columns={"level_0": "month", "level_1": "manager_key"})
    per_manager = _finish(per_manager, as_of)
    roster = Roster.from_frame(inputs.roster)
    names = _manager_names(inputs, roster)
    per_manager["manager"] = per_manager["manager_key"].map(names)
    per_manager["manager"] = per_manager["manager"].fillna(per_manager["manager_key"])
    per_manager["salary"] = per_manager["manager_key"].map(_salaries(roster)).astype(float)
    per_manager["month_number"] = _month_numbers(per_manager["month"])
    per_manager["growth_mom"] = _growth(per_manager, ["manager_key"], 1)
    per_manager["growth_yoy"] = _growth(per_manager, ["manager_key"], 12)
    per_manager["retention_4"] = _retention_share(
        facts.acquired, per_manager["manager_key"], per_manager["month_number"].to_numpy()
    )
    per_manager.loc[per_manager["month"].astype(str) > current, "retention_4"] = np.nan
    monthly = _order(per_manager[[*MONTHLY_COLUMNS, "manager_key"]])

    whole = _sales_aggregates(facts, ["month"], codes)
    whole.index.name = "month"
    manager_months = pd.DataFrame(index=pd.Index(monthly["month"].unique(), name="month"))
    whole = whole.join(team_plans, how="outer").join(manager_months, how="outer").reset_index()
    whole = _finish(whole, as_of)
    whole["salary"] = _team_salary(monthly, whole["month"])
    whole["month_number"] = _month_numbers(whole["month"])
    whole["growth_mom"] = _growth(whole, [], 1)
    whole["growth_yoy"] = _growth(whole, [], 12)
    whole["retention_4"] = _retention_share(facts.acquired, None, whole["month_number"].to_numpy())
    whole.loc[whole["month"].astype(str) > current, "retention_4"] = np.nan
    team = whole[list(TEAM_COLUMNS)].sort_values("month", kind="stable").reset_index(drop=True)
    return monthly, team


def _order(monthly: pd.DataFrame) -> pd.DataFrame:
    """Sorted by month, then manager's display name, then key (a total order)."""
    return monthly.sort_values(["month", "manager", "manager_key"], kind="stable").reset_index(
        drop=True
    )


def _team_salary(monthly: pd.DataFrame, team_months: pd.Series) -> np.ndarray:
    """Per team month: the sum of known salaries of managers with a row that month, else NaN."""
    salaries = monthly.groupby("month", sort=False)["salary"].sum(min_count=1)
    return team_months.map(salaries).astype(float).to_numpy()


def add_bonus(
    monthly: pd.DataFrame,
    team: pd.DataFrame,
    items: Sequence[BonusItem],
    roster: Roster,
    *,
    clients: Clients,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fill `bonus`, `cost` and `roi` in `monthly` and `team` from the bonus line items.

    A manager-month with only bonus items (step 2 of a client in a month the manager logged
    nothing) gets a row of its own, with zero sales figures and its `retention_4` (which
    depends only on the clients acquired before, so `clients` is needed). `cost` = salary +
    bonus and `roi` = (margin − cost) / cost only where the salary is known.
    """
    totals: dict[tuple[str, str], Decimal] = {}
    month_totals: dict[str, Decimal] = {}
    names: dict[str, str] = {}
    for item in items:
        key = (item.month, item.manager_key)
        totals[key] = totals.get(key, Decimal(0)) + item.amount
        month_totals[item.month] = month_totals.get(item.month, Decimal(0)) + item.amount
        names.setdefault(item.manager_key, item.manager)
    bonus = pd.Series(
        [float(amount) for amount in totals.values()],
        index=pd.MultiIndex.from_tuples(list(totals), names=["month", "manager_key"])
        if totals
        else pd.MultiIndex.from_arrays([[], []], names=["month", "manager_key"]),
        dtype=float,
    )
    salaries = _salaries(roster)

    # Rows with only bonus items need their retention_4, over the clients acquired before:
    # worked out once, and only when such a row exists.
    acquired = functools.cache(lambda: _acquired(clients.table))

    present = set(zip(monthly["month"].tolist(), monthly["manager_key"].tolist(), strict=True))
    missing = [key for key in totals if key not in present]
    if missing:
        added = pd.DataFrame(
            {
                "month": [month for month, _ in missing],
                "manager_key": [manager_key for _, manager_key in missing],
            }
        )
        added["manager"] = [
            roster.display_name(manager_key, names[manager_key]) for _, manager_key in missing
        ]
        added = _blank_rows(added)
        added["retention_4"] = _retention_share(
            acquired(), added["manager_key"], _month_numbers(added["month"])
        )
        added["salary"] = added["manager_key"].map(salaries).astype(float)
        monthly = pd.concat([monthly, added[monthly.columns]], ignore_index=True)
        monthly["month_number"] = _month_numbers(monthly["month"])
        monthly["growth_mom"] = _growth(monthly, ["manager_key"], 1)
        monthly["growth_yoy"] = _growth(monthly, ["manager_key"], 12)
        monthly = _order(monthly.drop(columns="month_number"))
    else:
        monthly = monthly.copy()

    keys = pd.MultiIndex.from_arrays([monthly["month"], monthly["manager_key"]])
    monthly["bonus"] = bonus.reindex(keys).fillna(0.0).to_numpy()
    _cost_and_roi(monthly)

    team_bonus = pd.Series({month: float(total) for month, total in month_totals.items()})
    new_months = sorted(set(team_bonus.index) - set(team["month"]))
    if new_months:
        added_team = _blank_rows(pd.DataFrame({"month": new_months}))
        added_team["retention_4"] = _retention_share(
            acquired(), None, _month_numbers(added_team["month"])
        )
        team = pd.concat([team, added_team[team.columns]], ignore_index=True)
        team["month_number"] = _month_numbers(team["month"])
        team["growth_mom"] = _growth(team, [], 1)
        team["growth_yoy"] = _growth(team, [], 12)
        team = team.drop(columns="month_number")
        team = team.sort_values("month", kind="stable").reset_index(drop=True)
    else:
        team = team.copy()
    team["bonus"] = team["month"].map(team_bonus).fillna(0.0).astype(float).to_numpy()
    team["salary"] = _team_salary(monthly, team["month"])
    _cost_and_roi(team)
    return monthly, team


def _blank_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows with no sales and no plan: zero sums and counts, every other figure NaN."""
    for column in MONTHLY_COLUMNS:
        if column in frame.columns:
            continue
        if column in _ZERO_MONEY:
            frame[column] = 0.0
        elif column in _ZERO_COUNTS:
            frame[column] = 0
        else:
            frame[column] = np.nan
    return frame


def _cost_and_roi(frame: pd.DataFrame) -> None:
    salary = frame["salary"].to_numpy(dtype=float)
    cost = salary + frame["bonus"].to_numpy(dtype=float)
    margin = frame["margin"].to_numpy(dtype=float)
    roi = np.full(len(frame), np.nan)
    positive = cost > 0
    roi[positive] = (margin[positive] - cost[positive]) / cost[positive]
    frame["cost"] = cost
    frame["roi"] = roi
