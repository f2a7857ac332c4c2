"""The --report JSON (SPEC §8): names, order, nulls, numbers and byte-identical output."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_kpi.core.model import Alert, BonusItem, PendingBonus, Problem
from sheets_kpi.core.output.report import LEADERBOARD_COLUMNS, MONTHLY_COLUMNS, Result, to_json


def _monthly_row(month: str, manager: str | None, revenue: float, plan: float | None) -> dict:
    row: dict[str, object] = {column: math.nan for column in MONTHLY_COLUMNS}
    row.update(month=month, manager=manager, revenue=revenue, payments=2, new_clients=1)
    row["plan_revenue"] = math.nan if plan is None else plan
    row["plan_pct"] = math.nan if plan is None else revenue / plan
    return row


def _result(**extra: object) -> Result:
    monthly = pd.DataFrame(
        [
            _monthly_row("2026-10", "Анна", 90000.0, 100000.0),
            _monthly_row("2026-11", "Анна", 162000.5, 150000.0),
        ]
    )
    monthly["manager_key"] = "анна"
    team = pd.DataFrame(
        [
            _monthly_row("2026-10", None, 90000.0, None),
            _monthly_row("2026-11", None, 162000.5, None),
        ]
    ).drop(columns=["manager"])
    leaderboard = pd.DataFrame(
        [
            {
                "rank": 1,
                "manager": "Анна",
                "revenue": 162000.5,
                "plan_pct": 1.08,
                "new_clients": 1,
                "bonus": 35000.0,
                "place_change": None,
                "rejected_rows": 0,
            }
        ],
        columns=list(LEADERBOARD_COLUMNS),
    )
    item = BonusItem(
        manager_key="анна",
        manager="Анна",
        month="2026-11",
        client="ООО «Ромашка»",
        scheme="tiers",
        step=1,
        basis=Decimal("162000.00"),
        rate=None,
        tier=Decimal("150000"),
        amount=Decimal("35000.00"),
        explain="уровень 2: чек 1-го месяца 162 000 ≥ 150 000 → 35 000",
    )
    fields: dict[str, object] = {
        "as_of": date(2026, 11, 22),
        "month": "2026-11",
        "language": "ru",
        "monthly": monthly,
        "team": team,
        "bonus_items": (item,),
        "leaderboard": leaderboard,
        "alerts": (Alert("data_errors", None, "2026-11", "В данных 1 ошибка"),),
        "problems": (
            Problem("Продажи", 5, "Сумма", "-100", "nonpositive_amount", "error", "Сумма ≤ 0"),
        ),
        "pending_bonuses": (
            PendingBonus("анна", "Анна", "ИП Петров", Decimal("18000.00"), 2, 4, True),
        ),
    }
    fields.update(extra)
    return Result(**fields)  # type: ignore[arg-type]


def test_top_level_keys_follow_the_spec_order_without_optional_frames() -> None:
    report = json.loads(to_json(_result()))
    assert list(report) == [
        "as_of",
        "month",
        "monthly",
        "team",
        "bonus_items",
        "leaderboard",
        "alerts",
        "errors",
        "pending_bonuses",
        "closed_months",  # SPEC §14: always there, [] when no month is archived
    ]
    assert report["closed_months"] == []
    assert report["as_of"] == "2026-11-22"
    assert report["month"] == "2026-11"


def test_funnel_activity_and_plan_gap_appear_only_when_present() -> None:
    funnel = pd.DataFrame(
        [{"month": "2026-11", "manager": None, "manager_key": None, "leads": 3.0, "won": 1}]
    )
    reasons = pd.DataFrame([{"month": "2026-11", "manager": None, "reason": "дорого", "count": 2}])
    gap = pd.DataFrame([{"manager": None, "manager_key": None, "revenue_needed": 1000.005}])
    report = json.loads(to_json(_result(funnel=funnel, loss_reasons=reasons, plan_gap=gap)))
    assert list(report)[-3:] == ["funnel", "loss_reasons", "plan_gap"]
    entry = report["funnel"][0]
    # every SPEC funnel name is there, counts as integers, unknown figures null, no manager_key
    assert entry["leads"] == 3 and isinstance(entry["leads"], int)
    assert entry["manager"] is None and entry["win_rate"] is None
    assert "manager_key" not in entry
    assert report["loss_reasons"] == [
        {"month": "2026-11", "manager": None, "reason": "дорого", "count": 2}
    ]
    # 1000.005 roubles rounds half-up to 1000.01
    assert report["plan_gap"][0]["revenue_needed"] == 1000.01


def test_monthly_entries_carry_every_column_with_nulls_for_absent_figures() -> None:
    report = json.loads(to_json(_result()))
    first = report["monthly"][0]
    assert list(first) == list(MONTHLY_COLUMNS)
    assert first["growth_yoy"] is None
    # 90 000 / 100 000 = 0.9; whole roubles are integers, kopecks kept
    assert first["plan_pct"] == 0.9
    assert first["revenue"] == 90000 and isinstance(first["revenue"], int)
    assert report["monthly"][1]["revenue"] == 162000.5
    team = report["team"][0]
    assert "manager" not in team and team["plan_pct"] is None


def test_bonus_items_pending_and_errors_use_documented_names() -> None:
    report = json.loads(to_json(_result()))
    assert report["bonus_items"] == [
        {
            "manager": "Анна",
            "month": "2026-11",
            "client": "ООО «Ромашка»",
            "scheme": "tiers",
            "step": 1,
            "for_month": None,  # only a correction settles an earlier month
            "basis": 162000,
            "rate": None,
            "tier": 150000,
            "amount": 35000,
            "explain": "уровень 2: чек 1-го месяца 162 000 ≥ 150 000 → 35 000",
            "withheld": None,
        }
    ]
    assert report["pending_bonuses"] == [
        {
            "manager": "Анна",
            "client": "ИП Петров",
            "amount": 18000,
            "paid_months": 2,
            "months_needed": 4,
            "at_risk": True,
        }
    ]
    assert report["errors"][0]["row"] == 5
    assert report["errors"][0]["code"] == "nonpositive_amount"
    assert report["leaderboard"][0]["place_change"] is None
    assert report["alerts"][0]["kind"] == "data_errors"


def test_report_is_utf8_text_and_byte_identical_for_the_same_result() -> None:
    first = to_json(_result())
    second = to_json(_result())
    assert first == second
    assert "Ромашка" in first  # not \u-escaped
    assert "NaN" not in first
    assert first.startswith('{\n  "as_of"')


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.floats(allow_nan=True, allow_infinity=True, width=64),
            st.integers(-(10**12), 10**12),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_any_figures_give_valid_json_with_money_in_kopecks(values: list[object]) -> None:
    frame = pd.DataFrame({"revenue": values, "plan_pct": values})
    frame["month"] = "2026-11"
    frame["manager"] = "Анна"
    text = to_json(_result(monthly=frame))
    report = json.loads(text)  # strict JSON: no NaN / Infinity
    for entry in report["monthly"]:
        revenue = entry["revenue"]
        assert revenue is None or round(revenue, 2) == revenue
    assert to_json(_result(monthly=frame)) == text


def test_ledger_lines_have_a_null_step_their_settled_month_and_any_sign() -> None:
    # SPEC §14: corrections, adjustments and clawbacks have "step": null; only a correction
    # has "for_month"; amounts keep their sign, whole roubles as integers
    correction = BonusItem(
        manager_key="анна",
        manager="Анна",
        month="2026-11",
        client=None,
        scheme="correction",
        step=None,
        basis=Decimal(0),
        rate=None,
        tier=None,
        amount=Decimal("-10000.00"),
        explain="пересчёт за 2026-10: было 60 000, стало 50 000 — «Ромашка»: 35 000 → 25 000",
        for_month="2026-10",
    )
    clawback = replace(
        correction,
        client="Лютик",
        scheme="clawback",
        amount=Decimal("-4999.995"),  # rounds half-up to −5 000,00 → the integer −5000
        explain="возврат",
        for_month=None,
    )
    adjustment = replace(clawback, client=None, scheme="adjustment", amount=Decimal("3000.50"))
    report = json.loads(to_json(_result(bonus_items=(correction, clawback, adjustment))))
    lines = report["bonus_items"]
    assert [(line["scheme"], line["step"], line["for_month"]) for line in lines] == [
        ("correction", None, "2026-10"),
        ("clawback", None, None),
        ("adjustment", None, None),
    ]
    assert [line["amount"] for line in lines] == [-10000, -5000, 3000.5]
    assert [line["client"] for line in lines] == [None, "Лютик", None]
    assert lines[0]["explain"].startswith("пересчёт за 2026-10: было 60 000")


def test_trial_is_in_the_report_only_when_some_manager_has_one() -> None:
    assert "trial" not in json.loads(to_json(_result()))
    trial = pd.DataFrame(
        [
            {"month": "2026-10", "manager_key": "анна", "manager": "Анна", "paid": 30000.0,
             "trial": 40000.25},
            {"month": "2026-11", "manager_key": "анна", "manager": "Анна",
             "paid": Decimal("0.00"), "trial": Decimal("8000.005")},
        ]
    )  # fmt: skip
    report = json.loads(to_json(_result(trial=trial)))
    assert list(report)[-1] == "trial"
    # month, manager, paid, trial; no manager_key; money rounded half-up to kopecks
    assert report["trial"] == [
        {"month": "2026-10", "manager": "Анна", "paid": 30000, "trial": 40000.25},
        {"month": "2026-11", "manager": "Анна", "paid": 0, "trial": 8000.01},
    ]
