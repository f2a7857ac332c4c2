"""The bonus, cost and ROI of the monthly figures (SPEC §6): the bonus line items summed per
manager-month and month, salary + bonus = cost, (margin − cost) / cost = roi."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

import numpy as np
import pandas as pd

from sheets_kpi.core.compute import trends
from sheets_kpi.core.compute.clients import Clients
from sheets_kpi.core.compute.kpi import (
    ZERO_COUNTS,
    ZERO_MONEY,
    in_order,
    team_salary,
)
from sheets_kpi.core.model import BonusItem
from sheets_kpi.core.output.report import MONTHLY_COLUMNS
from sheets_kpi.core.roster import Roster


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
    # Rows with only bonus items need their retention_4, over the clients acquired before:
    # worked out once, and only when such a row exists.
    acquired = functools.cache(lambda: trends.acquired(clients.table))
    monthly = _with_bonus_only_rows(monthly, totals, names, roster, acquired)
    keys = pd.MultiIndex.from_arrays([monthly["month"], monthly["manager_key"]])
    monthly["bonus"] = bonus.reindex(keys).fillna(0.0).to_numpy()
    _cost_and_roi(monthly)

    team_bonus = pd.Series({month: float(total) for month, total in month_totals.items()})
    team = _with_bonus_only_months(team, team_bonus, acquired)
    team["bonus"] = team["month"].map(team_bonus).fillna(0.0).astype(float).to_numpy()
    team["salary"] = team_salary(monthly, team["month"])
    _cost_and_roi(team)
    return monthly, team


def _with_bonus_only_rows(
    monthly: pd.DataFrame,
    totals: Mapping[tuple[str, str], Decimal],
    names: Mapping[str, str],
    roster: Roster,
    acquired: Callable[[], pd.DataFrame],
) -> pd.DataFrame:
    """`monthly` (a copy) plus a blank row for each manager-month that has bonus items only."""
    present = set(zip(monthly["month"].tolist(), monthly["manager_key"].tolist(), strict=True))
    missing = [key for key in totals if key not in present]
    if not missing:
        return monthly.copy()
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
    added["retention_4"] = trends.retention_share(
        acquired(), added["manager_key"], trends.month_numbers(added["month"])
    )
    added["salary"] = roster.salaries_in(added["manager_key"], added["month"])
    monthly = pd.concat([monthly, added[monthly.columns]], ignore_index=True)
    monthly["month_number"] = trends.month_numbers(monthly["month"])
    monthly["growth_mom"] = trends.growth(monthly, ["manager_key"], 1)
    monthly["growth_yoy"] = trends.growth(monthly, ["manager_key"], 12)
    return in_order(monthly.drop(columns="month_number"))


def _with_bonus_only_months(
    team: pd.DataFrame, team_bonus: pd.Series, acquired: Callable[[], pd.DataFrame]
) -> pd.DataFrame:
    """`team` (a copy) plus a blank row for each month that has bonus items only."""
    new_months = sorted(set(team_bonus.index) - set(team["month"]))
    if not new_months:
        return team.copy()
    added = _blank_rows(pd.DataFrame({"month": new_months}))
    added["retention_4"] = trends.retention_share(
        acquired(), None, trends.month_numbers(added["month"])
    )
    team = pd.concat([team, added[team.columns]], ignore_index=True)
    team["month_number"] = trends.month_numbers(team["month"])
    team["growth_mom"] = trends.growth(team, [], 1)
    team["growth_yoy"] = trends.growth(team, [], 12)
    team = team.drop(columns="month_number")
    return team.sort_values("month", kind="stable").reset_index(drop=True)


def _blank_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows with no sales and no plan: zero sums and counts, every other figure NaN."""
    for column in MONTHLY_COLUMNS:
        if column in frame.columns:
            continue
        if column in ZERO_MONEY:
            frame[column] = 0.0
        elif column in ZERO_COUNTS:
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
