"""The plan-gap calculator (issue 6): what it takes to reach this month's revenue plan.

Reads `kpi`'s monthly rows (plan, revenue, payments, average check) and `funnel`'s won / lost
counts; per manager with a plan and for the team. Holidays are not known: working days are
Mon–Fri.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from datetime import date, timedelta

import numpy as np
import pandas as pd

from sheets_kpi.core import months
from sheets_kpi.core.compute.funnel import FunnelFigures
from sheets_kpi.core.output import report

PLAN_GAP_COLUMNS = ("manager", "manager_key", *report.PLAN_GAP_COLUMNS[1:])

# How many complete months the plan gap looks back when this month has no figures yet.
LOOKBACK_MONTHS = 3


def working_days_left(as_of: date) -> int:
    """Mon–Fri days from the day after `as_of` through the end of its month (holidays unknown)."""
    month_end = months.last_day(months.month_of(as_of))
    return int(np.busday_count(as_of + timedelta(days=1), month_end + timedelta(days=1)))


def plan_gap(
    monthly: pd.DataFrame,
    team: pd.DataFrame,
    figures: FunnelFigures | None,
    as_of: date,
    refunded: Mapping[tuple[str, str | None], float] | None = None,
) -> pd.DataFrame | None:
    """What it takes to reach this month's revenue plan, per manager with a plan and the team.

    - `revenue_needed` = max(plan − revenue so far, 0);
    - `avg_check`: this month's when it has payments, else the payments' sum ÷ payments over
      the last three complete months (the payments' sum is revenue plus the refunds it lost,
      `refunded`: roubles per (month, manager_key), None for the team; SPEC §14);
      `deals_needed` = ⌈revenue_needed ÷ avg_check⌉;
    - `win_rate`: this month's won ÷ (won + lost), else the same over the last three complete
      months; `leads_needed` = ⌈deals_needed ÷ win_rate⌉ (empty at a win rate of 0);
    - per remaining working day (Mon–Fri after `as_of`; holidays are not known): revenue,
      deals and leads; empty when no working day is left;
    - the team row, when managers have plans, adds up the managers' rows (`_team_row`), so
      it never asks for fewer deals or leads than its managers together.
    A figure is NaN when an input is missing; nothing needed (0) needs no inputs.
    None when neither a manager nor the team has a revenue plan this month.
    """
    current = months.month_of(as_of)
    lookback = [months.add_months(current, -count) for count in range(1, LOOKBACK_MONTHS + 1)]
    days_left = working_days_left(as_of)
    lookback_refunds: dict[str | None, float] = {}
    for (month, key), roubles in (refunded or {}).items():
        if month in lookback:
            lookback_refunds[key] = lookback_refunds.get(key, 0.0) + roubles
    funnel = figures.funnel if figures is not None else None
    closes = _closes_by_manager(funnel, [current, *lookback])
    # Only the lookback months of the history are ever read: cut them once, not per manager.
    recent = monthly[monthly["month"].isin(lookback).to_numpy()]

    rows: list[dict[str, object]] = []
    manager_rows = monthly[(monthly["month"] == current) & monthly["plan_revenue"].notna()]
    manager_rows = manager_rows.assign(_manager=manager_rows["manager"].astype(str))
    for row in manager_rows.sort_values(["_manager", "manager_key"]).itertuples(index=False):

        def history(key: object = row.manager_key) -> pd.DataFrame:
            return recent[recent["manager_key"] == key]

        back = lookback_refunds.get(row.manager_key, 0.0)
        rows.append(
            _gap_row(row.manager, row.manager_key, row, history, closes, lookback, days_left, back)
        )
    team_now = team[(team["month"] == current) & team["plan_revenue"].notna()]
    if len(team_now):
        row = next(team_now.itertuples(index=False))
        back = lookback_refunds.get(None, 0.0)
        own = _gap_row(None, None, row, lambda: team, closes, lookback, days_left, back)
        rows.append(_team_row(own, rows, days_left) if rows else own)
    if not rows:
        return None
    frame = pd.DataFrame(rows, columns=list(PLAN_GAP_COLUMNS))
    # object columns keep None for the team row (a str column would turn it into NaN)
    for column in ("manager", "manager_key"):
        frame[column] = pd.Series([row[column] for row in rows], dtype=object)
    return frame


def _gap_row(
    manager: str | None,
    manager_key: str | None,
    now: object,
    history: Callable[[], pd.DataFrame],
    closes: dict[str | None, list[tuple[str, int, int]]] | None,
    lookback: list[str],
    days_left: int,
    refunded: float = 0.0,
) -> dict[str, object]:
    plan = float(now.plan_revenue)  # type: ignore[attr-defined]
    revenue = _number(now.revenue)  # type: ignore[attr-defined]
    revenue_needed = round(max(plan - (0.0 if math.isnan(revenue) else revenue), 0.0), 2)
    avg_check = _avg_check(now, history, lookback, refunded)
    win_rate = _win_rate(closes, manager_key, lookback)
    deals_needed = _needed(revenue_needed, avg_check)
    leads_needed = _needed(deals_needed, win_rate)
    return {
        "manager": manager,
        "manager_key": manager_key,
        "revenue_needed": revenue_needed,
        "avg_check": avg_check,
        "deals_needed": deals_needed,
        "win_rate": win_rate,
        "leads_needed": leads_needed,
        "working_days_left": days_left,
        "revenue_per_day": round(revenue_needed / days_left, 2) if days_left else math.nan,
        "deals_per_day": deals_needed / days_left if days_left else math.nan,
        "leads_per_day": leads_needed / days_left if days_left else math.nan,
    }


def _team_row(
    own: dict[str, object], managers: list[dict[str, object]], days_left: int
) -> dict[str, object]:
    """The team row when managers have plans (issue 20): what it takes for every manager to
    reach their plan, so it reads as the sum of the rows above it.

    Each manager's shortfall counts at their own check and win rate; where a manager's is
    unknown, the team's (`own`). When the team's own gap (team plan − team revenue) is larger
    than the managers' shortfalls together (a team plan above the sum of theirs), the rest is
    added at the team's figures. Over-achievers do not make up for the others here: the team
    KPI block shows the plan against revenue. The team's check and win rate are then the
    ones these sums imply (revenue ÷ deals, deals ÷ leads)."""
    team_check, team_rate = float(own["avg_check"]), float(own["win_rate"])  # type: ignore[arg-type]
    revenue = deals = leads = 0.0
    for row in managers:
        needed = float(row["revenue_needed"])  # type: ignore[arg-type]
        revenue += needed
        manager_deals = float(row["deals_needed"])  # type: ignore[arg-type]
        if math.isnan(manager_deals):
            manager_deals = _needed(needed, team_check)
        manager_leads = float(row["leads_needed"])  # type: ignore[arg-type]
        if math.isnan(manager_leads):
            manager_leads = _needed(manager_deals, team_rate)
        deals += manager_deals
        leads += manager_leads
    rest = round(float(own["revenue_needed"]) - revenue, 2)  # type: ignore[arg-type]
    if rest > 0:
        revenue += rest
        rest_deals = _needed(rest, team_check)
        deals += rest_deals
        leads += _needed(rest_deals, team_rate)
    revenue = round(revenue, 2)
    return {
        **own,
        "revenue_needed": revenue,
        "avg_check": round(revenue / deals, 2) if deals > 0 else own["avg_check"],
        "deals_needed": deals,
        "win_rate": deals / leads if leads > 0 else own["win_rate"],
        "leads_needed": leads,
        "revenue_per_day": round(revenue / days_left, 2) if days_left else math.nan,
        "deals_per_day": deals / days_left if days_left else math.nan,
        "leads_per_day": leads / days_left if days_left else math.nan,
    }


def _number(value: object) -> float:
    if value is None or pd.isna(value):  # type: ignore[arg-type]
        return math.nan
    return float(value)  # type: ignore[arg-type]


def _needed(amount: float, per_unit: float) -> float:
    """⌈amount ÷ per_unit⌉; 0 when nothing is needed; NaN when the rate is unknown or 0."""
    if amount == 0:
        return 0.0
    if math.isnan(amount) or math.isnan(per_unit) or per_unit <= 0:
        return math.nan
    # round first so that 300 000 ÷ 100 000 is 3, not 4 through float noise
    return float(math.ceil(round(amount / per_unit, 9)))


def _avg_check(
    now: object, history: Callable[[], pd.DataFrame], lookback: list[str], refunded: float
) -> float:
    """This month's average check, else the lookback months' from `history` (the rows of the
    manager or the team, cut only when this month has no payments): their payments' sum
    (revenue plus the `refunded` roubles it lost) ÷ their payments."""
    payments = _number(getattr(now, "payments", None))
    avg_check = _number(getattr(now, "avg_check", None))
    if payments > 0 and not math.isnan(avg_check):
        return round(avg_check, 2)
    rows = history()
    past = rows[rows["month"].isin(lookback)]
    past_payments = pd.to_numeric(past["payments"], errors="coerce").sum()
    past_revenue = pd.to_numeric(past["revenue"], errors="coerce").sum()
    if past_payments <= 0:
        return math.nan
    return round((float(past_revenue) + refunded) / float(past_payments), 2)


def _closes_by_manager(
    funnel: pd.DataFrame | None, wanted: list[str]
) -> dict[str | None, list[tuple[str, int, int]]] | None:
    """(month, won, lost) of the `wanted` months per manager_key (None = the team); None
    without funnel figures. Read once, so each manager's win rate is a few additions."""
    if funnel is None or not len(funnel):
        return None
    cut = funnel[funnel["month"].isin(wanted).to_numpy()]
    closes: dict[str | None, list[tuple[str, int, int]]] = {}
    for manager_key, month, won, lost in zip(
        cut["manager_key"].tolist(),
        cut["month"].tolist(),
        cut["won"].tolist(),
        cut["lost"].tolist(),
        strict=True,
    ):
        key = None if manager_key is None or pd.isna(manager_key) else manager_key
        closes.setdefault(key, []).append((month, won, lost))
    return closes


def _win_rate(
    closes: dict[str | None, list[tuple[str, int, int]]] | None,
    manager_key: str | None,
    lookback: list[str],
) -> float:
    if closes is None:
        return math.nan
    own = closes.get(manager_key, [])
    current = months.add_months(lookback[0], 1)
    for period in ([current], lookback):
        won = float(sum(count for month, count, _ in own if month in period))
        lost = float(sum(count for month, _, count in own if month in period))
        if won + lost > 0:
            return won / (won + lost)
    return math.nan
