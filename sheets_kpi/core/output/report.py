"""The Result of one run and its JSON form (SPEC §8 `--report`)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Context, Decimal

import numpy as np
import pandas as pd

from sheets_kpi.core.compute.lead_outcomes import LeadOutcomes
from sheets_kpi.core.compute.pace import Pace
from sheets_kpi.core.inputs.schema import Language
from sheets_kpi.core.model import Alert, BonusItem, PendingBonus, Problem

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
    closed_months: tuple[str, ...] = ()  # SPEC §14: the archived months, oldest first
    # SPEC §15: per month and manager with a trial scheme: month, manager_key, manager, paid,
    # trial (roubles); None when no manager has a trial scheme
    trial: pd.DataFrame | None = None
    # Presentation figures for Сводка (issue 20), not in the JSON report (`to_json` skips them)
    pace: Pace | None = None  # how far into the month, the previous month over the same days
    lead_outcomes: LeadOutcomes | None = None  # this month's leads: won / lost / still open


_KOPECK = Decimal("0.01")
_WIDE = Context(prec=400)  # room for any float's digits plus kopecks


# How each figure is written in JSON, and formatted on the tabs (core/render.py). Money:
# roubles rounded to kopecks, whole roubles as integers; counts: integers; everything else
# (fractions, hours, days): floats as computed.
MONEY_FIELDS = frozenset(
    {
        "revenue",
        "margin",
        "new_revenue",
        "repeat_revenue",
        "avg_check",
        "plan_revenue",
        "bonus",
        "receivables",
        "salary",
        "cost",
        "amount",
        "basis",
        "tier",
        "revenue_needed",
        "revenue_per_day",
        "paid",
        "trial",
    }
)
COUNT_FIELDS = frozenset(
    {
        "payments",
        "new_clients",
        "plan_new_clients",
        "rank",
        "place_change",
        "rejected_rows",
        "leads",
        "won",
        "lost",
        "open",
        "open_hot",
        "count",
        "calls",
        "meetings",
        "presentations",
        "proposals",
        "row",
        "step",
        "paid_months",
        "months_needed",
        "working_days_left",
        "deals_needed",
        "leads_needed",
    }
)

FUNNEL_COLUMNS = (
    "month",
    "manager",
    "leads",
    "won",
    "lost",
    "open",
    "win_rate",
    "first_contact_hours_median",
    "first_contact_hours_mean",
    "touches_per_won",
    "cycle_days_mean",
    "open_hot",
    "warm_to_hot",
)
LOSS_REASON_COLUMNS = ("month", "manager", "reason", "count")
ACTIVITY_COLUMNS = (
    "month",
    "manager",
    "calls",
    "meetings",
    "presentations",
    "proposals",
    "communications_per_won",
)
PLAN_GAP_COLUMNS = (
    "manager",
    "revenue_needed",
    "avg_check",
    "deals_needed",
    "win_rate",
    "leads_needed",
    "working_days_left",
    "revenue_per_day",
    "deals_per_day",
    "leads_per_day",
)
BONUS_ITEM_FIELDS = (
    "manager",
    "month",
    "client",
    "scheme",
    "step",
    "for_month",
    "basis",
    "rate",
    "tier",
    "amount",
    "explain",
    "withheld",
)
TRIAL_COLUMNS = ("month", "manager", "paid", "trial")
PENDING_FIELDS = ("manager", "client", "amount", "paid_months", "months_needed", "at_risk")
ALERT_FIELDS = ("kind", "manager", "month", "message")
PROBLEM_FIELDS = ("tab", "row", "column", "value", "code", "severity", "message")


def is_absent(value: object) -> bool:
    """True for None, NaN, NaT and pandas' NA: a figure that was not measured."""
    if value is None:
        return True
    if isinstance(value, str | bool | Decimal | date):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def json_value(name: str, value: object) -> object:
    """One figure as a JSON-ready Python value (SPEC §8): absent → None, numpy → int/float."""
    if is_absent(value):
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, str):
        return value
    if isinstance(value, pd.Period):
        return str(value)
    if isinstance(value, datetime | pd.Timestamp):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | int | float | np.integer | np.floating):
        return _json_number(name, value)
    return str(value)


def _json_number(name: str, value: Decimal | int | float | np.integer | np.floating) -> object:
    if isinstance(value, int | np.integer):
        return int(value)
    number = value if isinstance(value, Decimal) else float(value)
    if not math.isfinite(number):
        return None
    if name in MONEY_FIELDS:
        rounded = Decimal(str(number)).quantize(_KOPECK, rounding=ROUND_HALF_UP, context=_WIDE)
        return int(rounded) if rounded == rounded.to_integral_value() else float(rounded)
    if name in COUNT_FIELDS and number == int(number):
        return int(number)
    return float(number)


def _frame_records(frame: pd.DataFrame, columns: tuple[str, ...]) -> list[dict[str, object]]:
    """Rows of `frame` as dicts with exactly `columns`, in order; a missing column is null."""
    present = [column for column in columns if column in frame.columns]
    records: list[dict[str, object]] = []
    for values in frame[present].itertuples(index=False, name=None):
        row = dict(zip(present, values, strict=True))
        records.append({column: json_value(column, row.get(column)) for column in columns})
    return records


def _object_records(
    objects: tuple[object, ...], fields: tuple[str, ...]
) -> list[dict[str, object]]:
    return [{name: json_value(name, getattr(item, name)) for name in fields} for item in objects]


def report_dict(result: Result) -> dict[str, object]:
    """The SPEC §8 report as plain Python values, keys in their documented order."""
    team_columns = tuple(column for column in MONTHLY_COLUMNS if column != "manager")
    report: dict[str, object] = {
        "as_of": result.as_of.isoformat(),
        "month": str(result.month),
        "monthly": _frame_records(result.monthly, MONTHLY_COLUMNS),
        "team": _frame_records(result.team, team_columns),
        "bonus_items": _object_records(result.bonus_items, BONUS_ITEM_FIELDS),
        "leaderboard": _frame_records(result.leaderboard, LEADERBOARD_COLUMNS),
        "alerts": _object_records(result.alerts, ALERT_FIELDS),
        "errors": _object_records(result.problems, PROBLEM_FIELDS),
        "pending_bonuses": _object_records(result.pending_bonuses, PENDING_FIELDS),
        "closed_months": list(result.closed_months),
    }
    if result.funnel is not None:
        report["funnel"] = _frame_records(result.funnel, FUNNEL_COLUMNS)
    if result.loss_reasons is not None:
        report["loss_reasons"] = _frame_records(result.loss_reasons, LOSS_REASON_COLUMNS)
    if result.activity is not None:
        report["activity"] = _frame_records(result.activity, ACTIVITY_COLUMNS)
    if result.plan_gap is not None:
        report["plan_gap"] = _frame_records(result.plan_gap, PLAN_GAP_COLUMNS)
    if result.trial is not None:
        report["trial"] = _frame_records(result.trial, TRIAL_COLUMNS)
    return report


def to_json(result: Result) -> str:
    """The `--report` JSON (SPEC §8): UTF-8 text, indent 2, byte-identical for the same Result."""
    return json.dumps(report_dict(result), ensure_ascii=False, indent=2, allow_nan=False) + "\n"
