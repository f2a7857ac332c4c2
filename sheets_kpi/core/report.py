"""The Result of one run and its JSON form (SPEC §8 `--report`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from sheets_kpi.core.model import Alert, BonusItem, PendingBonus, Problem
from sheets_kpi.core.schema import Language

# Columns of `Result.monthly`, in JSON order. Money in roubles (float), *_pct and retention_4
# and roi as fractions, NaN / None = absent (JSON null). `team` has the same minus `manager`.
MONTHLY_COLUMNS = (
    "month",
    "manager",
    "revenue",
    "margin",
    "payments",
    "new_clients",
    "new_revenue",
    "repeat_revenue",
    "avg_check",
    "plan_revenue",
    "plan_pct",
    "plan_new_clients",
    "growth_mom",
    "growth_yoy",
    "bonus",
    "receivables",
    "retention_4",
    "salary",
    "cost",
    "roi",
    "forecast_pct",
)

LEADERBOARD_COLUMNS = (
    "rank",
    "manager",
    "revenue",
    "plan_pct",
    "new_clients",
    "bonus",
    "place_change",  # + = moved up since the previous month, None = not ranked then
    "rejected_rows",  # rows of this manager rejected this month
)


@dataclass(frozen=True)
class Result:
    as_of: date
    month: str  # the current month, "YYYY-MM"
    language: Language
    monthly: pd.DataFrame  # MONTHLY_COLUMNS + "manager_key"; one row per manager and month
    team: pd.DataFrame  # MONTHLY_COLUMNS minus manager; one row per month
    bonus_items: tuple[BonusItem, ...]
    leaderboard: pd.DataFrame  # LEADERBOARD_COLUMNS, the current month, ranked
    alerts: tuple[Alert, ...]
    problems: tuple[Problem, ...]
    pending_bonuses: tuple[PendingBonus, ...] = ()
    funnel: pd.DataFrame | None = None  # SPEC §8 funnel columns; manager None = team
    loss_reasons: pd.DataFrame | None = None
    activity: pd.DataFrame | None = None
    plan_gap: pd.DataFrame | None = None  # issue 6: what it takes to reach plan this month
    fatal: bool = False
