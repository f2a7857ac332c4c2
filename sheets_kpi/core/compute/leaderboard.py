"""The `Лидерборд` tab's figures (SPEC §8): managers of one month ranked from `kpi`'s monthly rows.

Who is ranked (the month's managers plus the active roster), by what (plan completion when every
ranked manager has a plan, else revenue), the place change against last month, and rejected rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sheets_kpi.core import months
from sheets_kpi.core.output.report import LEADERBOARD_COLUMNS
from sheets_kpi.core.roster import Roster


def leaderboard(
    monthly: pd.DataFrame, rejected: pd.DataFrame, month: str, roster: Roster
) -> pd.DataFrame:
    """The `Лидерборд` of `month` with exactly LEADERBOARD_COLUMNS (SPEC §8).

    Ranked: the managers with a row in `month` plus the active roster managers (inactive ones
    are left off). By plan_pct when every ranked manager has a plan, else by revenue; ties by
    revenue, then name. `place_change` = last month's place − this place (None when not
    ranked then, or when last month has no figures at all).
    """
    standings = _standings(monthly, month, roster)
    previous_month = months.add_months(month, -1)
    if (monthly["month"] == previous_month).any():
        previous = _standings(monthly, previous_month, roster)
        before = pd.Series(previous["rank"].to_numpy(), index=previous["manager_key"])
    else:
        before = pd.Series(dtype="int64")
    place_change = [
        int(before[manager_key]) - int(rank) if manager_key in before.index else None
        for manager_key, rank in zip(standings["manager_key"], standings["rank"], strict=True)
    ]
    standings["place_change"] = pd.Series(place_change, dtype=object)
    standings["rejected_rows"] = _rejected_counts(rejected, month, standings["manager_key"])
    return standings[list(LEADERBOARD_COLUMNS)]


def _standings(monthly: pd.DataFrame, month: str, roster: Roster) -> pd.DataFrame:
    """Ranked rows of one month: rank, manager_key, manager, revenue, plan_pct, new_clients,
    bonus."""
    rows = monthly.loc[
        monthly["month"] == month,
        ["manager_key", "manager", "revenue", "plan_pct", "new_clients", "bonus"]
        if "bonus" in monthly.columns
        else ["manager_key", "manager", "revenue", "plan_pct", "new_clients"],
    ].copy()
    if "bonus" not in rows.columns:
        rows["bonus"] = np.nan
    if len(roster):
        present = set(rows["manager_key"].tolist())
        idle = [key for key in roster if roster.is_active(key) and key not in present]
        rows = rows[~rows["manager_key"].isin(list(roster.inactive))]
        if idle:
            extra = pd.DataFrame(
                {
                    "manager_key": np.array(idle, dtype=object),
                    "manager": np.array([roster.names[key] for key in idle], dtype=object),
                    "revenue": 0.0,
                    "plan_pct": np.nan,
                    "new_clients": 0,
                    "bonus": 0.0,
                }
            )
            rows = pd.concat([rows, extra], ignore_index=True)
    rows["revenue"] = rows["revenue"].astype(float)
    rows["plan_pct"] = rows["plan_pct"].astype(float)
    rows["new_clients"] = rows["new_clients"].fillna(0).astype("int64")
    rows["bonus"] = rows["bonus"].astype(float)
    by_plan = len(rows) > 0 and bool(rows["plan_pct"].notna().all())
    order = ["plan_pct", "revenue"] if by_plan else ["revenue"]
    rows = rows.sort_values(
        [*order, "manager_key"], ascending=[False] * len(order) + [True], kind="stable"
    ).reset_index(drop=True)
    rows.insert(0, "rank", np.arange(1, len(rows) + 1, dtype="int64"))
    return rows


def _rejected_counts(rejected: pd.DataFrame, month: str, managers: pd.Series) -> np.ndarray:
    """Rows of each manager rejected in `month`; rows with an unreadable date count here."""
    if rejected is None or rejected.empty:
        return np.zeros(len(managers), dtype="int64")
    in_month = rejected["month"].isna() | (rejected["month"] == month)
    counts = rejected.loc[in_month.to_numpy()].groupby("manager_key").size()
    return managers.map(counts).fillna(0).astype("int64").to_numpy()
