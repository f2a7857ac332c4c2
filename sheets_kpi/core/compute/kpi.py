"""Monthly KPIs per manager and for the team (SPEC §6) and their bonus columns.

The leaderboard (§8) ranks these figures in `core/leaderboard.py`.

Everything is vectorised pandas over the sales rows; Python loops only run over bonus items and
the managers of one month. Money is summed in integer kopecks and leaves as roubles (float).
A figure whose inputs are absent is NaN, never a fake 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import NamedTuple

import numpy as np
import pandas as pd

from sheets_kpi.core import months
from sheets_kpi.core.compute import trends
from sheets_kpi.core.compute.clients import Clients
from sheets_kpi.core.model import Inputs
from sheets_kpi.core.output.report import MONTHLY_COLUMNS
from sheets_kpi.core.roster import Roster
from sheets_kpi.core.settings import Config

TEAM_COLUMNS = tuple(column for column in MONTHLY_COLUMNS if column != "manager")

# Figures that are real zeros for a row that exists (the sales log was read and had none).
ZERO_MONEY = ("revenue", "new_revenue", "repeat_revenue", "receivables")
ZERO_COUNTS = ("payments", "new_clients")


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


@dataclass(frozen=True)
class _Facts:
    """The row-level frames every grouping sums: paid rows (payments, then refunds), unpaid
    rows, acquired clients."""

    # month, manager_key, revenue_kop, repeat_revenue_kop, margin_kop, payment (1 for a
    # payment, 0 for a refund: SPEC §14), paid_kop (the payment's amount, 0 for a refund)
    paid: pd.DataFrame
    unpaid: pd.DataFrame  # month, manager_key, receivables_kop
    acquired: pd.DataFrame  # month, manager_key, new_revenue_kop, first, fourth (new clients)


def _paid_facts(payments: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    existing_clients = table.loc[~table["is_new"].astype(bool).to_numpy(), "client_key"]
    existing = payments["client_key"].isin(existing_clients).to_numpy()
    amount = payments["amount_kop"].to_numpy(dtype="int64")
    repeat = (payments["month_index"].to_numpy(dtype="int64") >= 2) | existing
    return pd.DataFrame(
        {
            "month": trends.objects(payments["month"].to_numpy()),
            "manager_key": trends.objects(payments["manager_key"].to_numpy()),
            "revenue_kop": amount,
            "repeat_revenue_kop": np.where(repeat, amount, 0),
            "margin_kop": pd.to_numeric(payments["margin_kop"], errors="coerce")
            .astype(float)
            .to_numpy(),
            "payment": np.ones(len(amount), dtype="int64"),
            "paid_kop": amount,
        }
    )


def _refund_facts(refunds: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """SPEC §14: a refund lowers its row's manager's revenue (and margin, when it gives one)
    in its month; a new client's month-1 refund lowers new revenue through the client's
    month-1 check (`clients.analyse`), any other lowers repeat revenue. Not a payment."""
    new_clients = table.loc[table["is_new"].astype(bool).to_numpy(), "client_key"]
    month1_of_new = refunds["month1"].to_numpy(dtype=bool) & (
        refunds["client_key"].isin(new_clients).to_numpy()
    )
    amount = refunds["amount_kop"].to_numpy(dtype="int64")
    return pd.DataFrame(
        {
            "month": trends.objects(refunds["month"].to_numpy()),
            "manager_key": trends.objects(refunds["manager_key"].to_numpy()),
            "revenue_kop": -amount,
            "repeat_revenue_kop": np.where(month1_of_new, 0, -amount),
            "margin_kop": -refunds["margin_kop"]
            .astype("Float64")
            .to_numpy(dtype="float64", na_value=np.nan),
            "payment": np.zeros(len(amount), dtype="int64"),
            "paid_kop": np.zeros(len(amount), dtype="int64"),
        }
    )


def _facts(clients: Clients, sales: pd.DataFrame) -> _Facts:
    table = clients.table
    paid = _paid_facts(clients.payments, table)
    refunds = getattr(clients, "refunds", None)  # stand-ins may not carry it
    if refunds is not None and len(refunds):
        paid = pd.concat([paid, _refund_facts(refunds, table)], ignore_index=True)
    unpaid_mask = ~sales["paid"].astype("boolean").fillna(True).astype(bool).to_numpy()
    if "refund" in sales.columns:  # an unpaid refund is not money owed to the agency
        unpaid_mask &= ~sales["refund"].to_numpy(dtype=bool)
    unpaid = pd.DataFrame(
        {
            "month": trends.objects(sales["month"].to_numpy()[unpaid_mask]),
            "manager_key": trends.objects(sales["manager_key"].to_numpy()[unpaid_mask]),
            "receivables_kop": sales["amount_kop"].to_numpy(dtype="int64")[unpaid_mask],
        }
    )
    new = trends.new_client_rows(table, ["first_month", "month1_check_kop"])
    acquired = trends.acquired(table)  # the same rows in the same order
    acquired.insert(0, "month", trends.objects(new["first_month"].to_numpy()))
    acquired.insert(2, "new_revenue_kop", new["month1_check_kop"].to_numpy(dtype="int64"))
    return _Facts(paid, unpaid, acquired)


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


class _Cells(NamedTuple):
    """The grouping cell (month code × managers + manager code) of every kept row of each fact
    frame, and which rows were kept (those with every key)."""

    size: int  # number of cells
    managers: int  # manager codes per month (1 when grouping by month alone)
    month_labels: np.ndarray
    key_labels: np.ndarray | None  # manager keys; None when grouping by month alone
    paid: tuple[np.ndarray, np.ndarray]  # (cells, kept mask)
    unpaid: tuple[np.ndarray, np.ndarray]
    acquired: tuple[np.ndarray, np.ndarray]


def _cells(
    facts: _Facts, keys: list[str], codes: dict[str, tuple[np.ndarray, np.ndarray]]
) -> _Cells:
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
    bounds = np.cumsum([0, *(len(frame) for frame in (facts.paid, facts.unpaid, facts.acquired))])
    parts = [
        (cell[start:stop][valid[start:stop]], valid[start:stop])
        for start, stop in pairwise(bounds.tolist())
    ]
    return _Cells(len(month_labels) * managers, managers, month_labels, key_labels, *parts)


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
    cells = _cells(facts, keys, codes)
    size = cells.size
    paid_cells, paid_kept = cells.paid
    unpaid_cells, new_cells = cells.unpaid[0], cells.acquired[0]

    def total(cells_: np.ndarray, values: np.ndarray) -> np.ndarray:
        sums = np.zeros(size, dtype=values.dtype)
        np.add.at(sums, cells_, values)
        return sums

    paid_rows = np.bincount(paid_cells, minlength=size)  # payments and refunds
    is_payment = facts.paid["payment"].to_numpy(dtype=bool)[paid_kept]
    refunds = not is_payment.all()
    payments = np.bincount(paid_cells[is_payment], minlength=size) if refunds else paid_rows
    unpaid_rows = np.bincount(unpaid_cells, minlength=size)
    new_clients = np.bincount(new_cells, minlength=size)
    margin = facts.paid["margin_kop"].to_numpy(dtype="float64")[paid_kept]
    has_margin = ~np.isnan(margin)
    margin_sum = total(paid_cells[has_margin], margin[has_margin])
    margin_sum[np.bincount(paid_cells[has_margin], minlength=size) == 0] = np.nan
    present = np.flatnonzero((paid_rows > 0) | (unpaid_rows > 0) | (new_clients > 0))

    def shown(values: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Values of the present cells; NaN where the part has no row (an outer join's gap)."""
        picked = values[present]
        missing = rows[present] == 0
        if missing.any():
            picked = picked.astype("float64")
            picked[missing] = np.nan
        return picked

    def summed(frame: pd.DataFrame, column: str, part: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        return total(part[0], frame[column].to_numpy(dtype="int64")[part[1]])

    revenue = summed(facts.paid, "revenue_kop", cells.paid)
    # the payments' sum (avg_check's numerator): the revenue itself unless there are refunds
    paid_sum = summed(facts.paid, "paid_kop", cells.paid) if refunds else revenue
    return pd.DataFrame(
        {
            "revenue_kop": shown(revenue, paid_rows),
            "repeat_revenue_kop": shown(
                summed(facts.paid, "repeat_revenue_kop", cells.paid), paid_rows
            ),
            "margin_kop": margin_sum[present],
            "payments": shown(payments, paid_rows),
            "paid_kop": shown(paid_sum, paid_rows),
            "receivables_kop": shown(
                summed(facts.unpaid, "receivables_kop", cells.unpaid), unpaid_rows
            ),
            "new_clients": shown(new_clients, new_clients),
            "new_revenue_kop": shown(
                summed(facts.acquired, "new_revenue_kop", cells.acquired), new_clients
            ),
        },
        index=_cell_index(cells, keys, present),
    )


def _cell_index(cells: _Cells, keys: list[str], present: np.ndarray) -> pd.Index:
    month_index = cells.month_labels[present // cells.managers]
    if cells.key_labels is None:
        return pd.Index(month_index, name="month")
    return pd.MultiIndex.from_arrays(
        [month_index, cells.key_labels[present % cells.managers]], names=keys
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
    for column in ZERO_MONEY:
        frame[column] = frame[f"{column}_kop"].fillna(0).astype(float) / 100
    for column in ZERO_COUNTS:
        frame[column] = frame[column].fillna(0).astype("int64")
    frame["margin"] = frame["margin_kop"].astype(float) / 100
    payments = frame["payments"].to_numpy(dtype=float)
    revenue_kop = frame["revenue_kop"].fillna(0).to_numpy(dtype=float)
    paid_kop = frame["paid_kop"].fillna(0).to_numpy(dtype=float)  # payments only, no refunds
    with np.errstate(divide="ignore", invalid="ignore"):
        average = np.where(payments > 0, _round_kop(paid_kop / payments), np.nan)
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
        for column in (*ZERO_MONEY, *ZERO_COUNTS, "avg_check", "plan_pct"):
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
    month with anything. Sorted by month, then manager. The figures take no settings; `config`
    only builds the run's roster (`Roster.of`: display names, salaries).
    """
    sales = inputs.sales
    current = months.month_of(as_of)
    manager_plans, team_plans = _plan_parts(inputs.plan)

    facts = _facts(clients, sales)
    codes = _fact_codes(facts)
    per_manager = _sales_aggregates(facts, ["month", "manager_key"], codes)
    per_manager = per_manager.join(manager_plans, how="outer").reset_index()
    per_manager = per_manager.rename(columns={"level_0": "month", "level_1": "manager_key"})
    per_manager = _finish(per_manager, as_of)
    roster = Roster.of(inputs, config.bonus)
    names = _manager_names(inputs, roster)
    per_manager["manager"] = per_manager["manager_key"].map(names)
    per_manager["manager"] = per_manager["manager"].fillna(per_manager["manager_key"])
    per_manager["salary"] = roster.salaries_in(per_manager["manager_key"], per_manager["month"])
    per_manager["month_number"] = trends.month_numbers(per_manager["month"])
    per_manager["growth_mom"] = trends.growth(per_manager, ["manager_key"], 1)
    per_manager["growth_yoy"] = trends.growth(per_manager, ["manager_key"], 12)
    per_manager["retention_4"] = trends.retention_share(
        facts.acquired, per_manager["manager_key"], per_manager["month_number"].to_numpy()
    )
    per_manager.loc[per_manager["month"].astype(str) > current, "retention_4"] = np.nan
    monthly = in_order(per_manager[[*MONTHLY_COLUMNS, "manager_key"]])

    whole = _sales_aggregates(facts, ["month"], codes)
    whole.index.name = "month"
    manager_months = pd.DataFrame(index=pd.Index(monthly["month"].unique(), name="month"))
    whole = whole.join(team_plans, how="outer").join(manager_months, how="outer").reset_index()
    whole = _finish(whole, as_of)
    whole["salary"] = team_salary(monthly, whole["month"])
    whole["month_number"] = trends.month_numbers(whole["month"])
    whole["growth_mom"] = trends.growth(whole, [], 1)
    whole["growth_yoy"] = trends.growth(whole, [], 12)
    whole["retention_4"] = trends.retention_share(
        facts.acquired, None, whole["month_number"].to_numpy()
    )
    whole.loc[whole["month"].astype(str) > current, "retention_4"] = np.nan
    team = whole[list(TEAM_COLUMNS)].sort_values("month", kind="stable").reset_index(drop=True)
    return monthly, team


def in_order(monthly: pd.DataFrame) -> pd.DataFrame:
    """Sorted by month, then manager's display name, then key (a total order)."""
    return monthly.sort_values(["month", "manager", "manager_key"], kind="stable").reset_index(
        drop=True
    )


def team_salary(monthly: pd.DataFrame, team_months: pd.Series) -> np.ndarray:
    """Per team month: the sum of known salaries of managers with a row that month, else NaN."""
    salaries = monthly.groupby("month", sort=False)["salary"].sum(min_count=1)
    return team_months.map(salaries).astype(float).to_numpy()
