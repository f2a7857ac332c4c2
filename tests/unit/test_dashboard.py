"""The owner's screen (issue 20) through `render()`: Сводка's first screen and charts, colours
against the month's pace, whole roubles on sums, headers that fit, Бонусы' team totals."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pandas as pd

from sheets_kpi.core.compute.lead_outcomes import LeadOutcomes
from sheets_kpi.core.compute.pace import Pace
from sheets_kpi.core.model import Alert, BonusItem, PendingBonus
from sheets_kpi.core.output.render import render
from sheets_kpi.core.output.report import (
    ACTIVITY_COLUMNS,
    FUNNEL_COLUMNS,
    LEADERBOARD_COLUMNS,
    LOSS_REASON_COLUMNS,
    MONTHLY_COLUMNS,
    PLAN_GAP_COLUMNS,
    Result,
    to_json,
)
from sheets_kpi.core.output.sheetplan import ConditionalRule, TabWrite
from sheets_kpi.core.settings import Config

RUN_AT = datetime(2026, 11, 10, 9, 30)
RED, GREEN = "#F4CCCC", "#D9EAD3"


def _frame(columns: tuple[str, ...], rows: list[dict[str, object]]) -> pd.DataFrame:
    full = [{column: row.get(column, math.nan) for column in columns} for row in rows]
    frame = pd.DataFrame(full, columns=list(columns))
    if "manager" in columns:
        frame["manager"] = [row.get("manager") for row in rows]
        frame["manager_key"] = [
            str(row["manager"]).casefold() if row.get("manager") else None for row in rows
        ]
    return frame


def _item(manager: str, month: str, amount: str) -> BonusItem:
    return BonusItem(
        manager_key=manager.casefold(),
        manager=manager,
        month=month,
        client="Ромашка",
        scheme="tiers",
        step=None,
        basis=Decimal("100000"),
        rate=Decimal("0.05"),
        tier=None,
        amount=Decimal(amount),
        explain="5 % от выручки",
    )


def _result(as_of: date = date(2026, 11, 10), alerts: int = 2, **extra: object) -> Result:
    """November 2026 (30 days), as of the 10th: Анна 40 % of her plan, Борис 30 %; the team
    70 000 of 200 000 = 35 %; October: Анна 85 % (a whole month)."""
    month = "2026-11"
    monthly = _frame(
        MONTHLY_COLUMNS,
        [
            {"month": "2026-10", "manager": "Анна", "revenue": 85000.5, "plan_revenue": 100000.0,
             "plan_pct": 0.85, "bonus": 4500.25},
            {"month": month, "manager": "Анна", "revenue": 40000.5, "plan_revenue": 100000.0,
             "plan_pct": 0.4, "forecast_pct": 1.2, "bonus": 2000.75, "payments": 2},
            {"month": month, "manager": "Борис", "revenue": 30000.0, "plan_revenue": 100000.0,
             "plan_pct": 0.3, "forecast_pct": 0.9, "bonus": 1500.0, "payments": 1},
        ],
    )  # fmt: skip
    team = _frame(
        MONTHLY_COLUMNS,
        [
            {"month": "2026-10", "revenue": 85000.5, "plan_revenue": 100000.0, "plan_pct": 0.85},
            {"month": month, "revenue": 70000.5, "plan_revenue": 200000.0, "plan_pct": 0.35,
             "forecast_pct": 1.05, "payments": 3, "bonus": 3500.75},
        ],
    ).drop(columns=["manager", "manager_key"])  # fmt: skip
    leaderboard = pd.DataFrame(
        [[1, "Анна", 40000.5, 0.4, 1, 2000.75, 0, 0], [2, "Борис", 30000.0, 0.3, 0, 1500.0, 0, 1]],
        columns=list(LEADERBOARD_COLUMNS),
    )
    words = "Очень длинное замечание о том, что нужно сделать менеджеру на этой неделе, " * 4
    return Result(
        as_of=as_of,
        month=month,
        language="ru",
        monthly=monthly,
        team=team,
        bonus_items=(
            _item("Анна", "2026-10", "4500.25"),
            _item("Анна", month, "1000.50"),
            _item("Анна", month, "1000.25"),
            _item("Борис", month, "1500.00"),
        ),
        leaderboard=leaderboard,
        alerts=tuple(Alert("plan_spike", "Анна", month, f"{n}. {words}") for n in range(alerts)),
        problems=(),
        pending_bonuses=(PendingBonus("анна", "Анна", "Лютик", Decimal("9000.50"), 1, 4, False),),
        funnel=_frame(FUNNEL_COLUMNS, [{"month": month, "manager": None, "leads": 5, "won": 2}]),
        loss_reasons=_frame(
            LOSS_REASON_COLUMNS, [{"month": month, "reason": "дорого", "count": 1}]
        ),
        activity=_frame(ACTIVITY_COLUMNS, [{"month": month, "manager": None, "calls": 9}]),
        plan_gap=_frame(PLAN_GAP_COLUMNS, [{"manager": None, "revenue_needed": 129999.5}]),
        lead_outcomes=LeadOutcomes(month=month, leads=5, won=1, lost=1, open=3),
        **extra,  # type: ignore[arg-type]
    )


def _tab(plans: list[TabWrite], key: str) -> TabWrite:
    return next(plan for plan in plans if plan.key == key)


def _fills(plan: TabWrite, row: int, column: int, value: float) -> set[str]:
    """The fills the conditional rules of `plan` give cell (row, column) holding `value`."""

    def holds(rule: ConditionalRule) -> bool:
        cells = rule.cells
        inside = cells.first_row <= row <= cells.last_row
        inside = inside and cells.first_column <= column <= cells.last_column
        passes = value < rule.value if rule.op == "<" else value >= rule.value
        return inside and passes

    return {rule.fill for rule in plan.conditional if holds(rule)}


def _find(plan: TabWrite, value: object) -> tuple[int, int]:
    """1-based (row, column) of the first cell holding `value`."""
    for row_number, row in enumerate(plan.rows, start=1):
        for column_number, cell in enumerate(row, start=1):
            if cell.value == value:
                return row_number, column_number
    raise AssertionError(f"{value!r} not on {plan.title}")


def test_every_chart_of_summary_is_anchored_within_a1_l60() -> None:
    summary = _tab(render(_result(), Config(), RUN_AT), "summary")
    assert len(summary.charts) == 3
    for chart in summary.charts:
        assert 1 <= chart.anchor_row <= 60 and 1 <= chart.anchor_column <= 12
    # the charts cover rows 41–79 of A–L, which hold no cell: nothing is hidden under them
    under_charts = [row for row in summary.rows[40:79] if any(c.value is not None for c in row)]
    assert under_charts == []


def test_first_screen_holds_the_kpi_block_the_bonuses_the_top_and_the_alerts() -> None:
    summary = _tab(render(_result(), Config(), RUN_AT), "summary")
    screen = [row[:12] for row in summary.rows[:40]]
    values = {cell.value for row in screen for cell in row}
    # the team at pace (day 10 of 30: 33,3 %), the top three, the month's bonuses, the alerts
    assert "Команда — ноябрь 2026: день 10 из 30, по темпу к сегодня — 33,3 % плана" in values
    assert {"Впереди", "К выплате за ноябрь 2026", "Внимание"} <= values
    assert all(len(row) <= 12 for row in summary.rows[:40])  # nothing right of column L
    # to pay this month: Анна 1 000,50 + 1 000,25 = 2 000,75, Борис 1 500, total 3 500,75
    total_row, total_column = _find(summary, "Итого")
    assert summary.rows[total_row - 1][total_column + 1].value == 3500.75
    assert total_row <= 40


def test_alerts_are_wrapped_and_the_ones_that_do_not_fit_go_under_the_charts() -> None:
    summary = _tab(render(_result(alerts=12), Config(), RUN_AT), "summary")
    texts = [str(cell.value) for row in summary.rows for cell in row if cell.value is not None]
    # every alert line fits the width of B–L (165 characters)
    assert max(len(text) for text in texts if text[:1].isdigit() or text[:1].islower()) <= 165
    more_row, _ = _find(summary, "Внимание (продолжение)")
    note_row, _ = next(
        (r, c)
        for r, row in enumerate(summary.rows, start=1)
        for c, cell in enumerate(row, start=1)
        if str(cell.value).startswith("…и ещё")
    )
    assert note_row <= 40 < 80 <= more_row
    # each of the 12 alerts starts with its number: all of them are on the tab, once
    starts = [text for text in texts if "Очень" in text and text.split(". ")[0].isdigit()]
    assert sorted(int(text.split(".")[0]) for text in starts) == list(range(12))


def test_plan_completion_on_pace_is_not_red_in_a_month_in_progress() -> None:
    # day 10 of 30: 10 / 30 = 33,3 % of the plan is on pace. Анна's 40 % is on pace (green,
    # not red); Борис's 30 % is behind (red). A whole month (October) still needs 100 %.
    plans = render(_result(), Config(), RUN_AT)
    summary, board, monthly = (_tab(plans, key) for key in ("summary", "leaderboard", "monthly"))
    row, column = _find(summary, 0.35)  # the team's completion
    assert _fills(summary, row, column, 0.35) == {GREEN}
    for plan in (summary, board):
        row, column = _find(plan, 0.4)
        assert _fills(plan, row, column, 0.4) == {GREEN}
        row, column = _find(plan, 0.3)
        assert _fills(plan, row, column, 0.3) == {RED}
    row, column = _find(monthly, 0.4)
    assert _fills(monthly, row, column, 0.4) == {GREEN}
    row, column = _find(monthly, 0.85)  # October 85 %: a finished month below plan
    assert _fills(monthly, row, column, 0.85) == {RED}


def test_previous_month_is_compared_over_the_same_days() -> None:
    # October 1–10: 50 000 ₽ in 2 payments, 1 new client; November 1–10: 70 000,50 ₽ in 3
    # → change 70 000,5 / 50 000 − 1 = +40,001 %; payments 3 / 2 − 1 = +50 %
    pace = Pace("2026-11", 10, 30, "2026-10", 10, 50000.0, 2, 1)
    summary = _tab(render(_result(pace=pace), Config(), RUN_AT), "summary")
    _, column = _find(summary, "октябрь, 1–10")
    revenue = summary.rows[_find(summary, "Выручка")[0] - 1]
    payments = summary.rows[_find(summary, "Платежей")[0] - 1]
    assert revenue[column - 1].value == 50000.0
    assert math.isclose(float(revenue[column].value), 70000.5 / 50000 - 1)
    assert payments[column - 1].value == 2
    assert math.isclose(float(payments[column].value), 0.5)
    # the forecast is the month's end: coloured against 100 % (105 % → green)
    forecast_row, forecast_column = _find(summary, 1.05)
    assert _fills(summary, forecast_row, forecast_column, 1.05) == {GREEN}


def test_no_money_on_summary_leaderboard_or_monthly_shows_kopecks() -> None:
    config = Config(leaderboard_shows_bonus=True)
    for language in ("ru", "en"):
        plans = render(_result(), replace(config, language=language), RUN_AT)
        for key in ("summary", "leaderboard", "monthly"):
            formats = {cell.fmt for row in _tab(plans, key).rows for cell in row}
            assert "money" not in formats, key
            assert "money_whole" in formats, key


def test_bonus_lines_keep_kopecks_and_each_month_has_a_team_total() -> None:
    # November: Анна 1 000,50 + 1 000,25 = 2 000,75; Борис 1 500,00; team 3 500,75.
    # October: Анна 4 500,25, the team too.
    bonuses = _tab(render(_result(), Config(), RUN_AT), "bonuses")
    rows = [[cell.value for cell in row] for row in bonuses.rows]
    totals = [row[:4] for row in rows if row[3] == "Итого по команде за месяц"]
    assert totals == [
        ["Команда", "2026-11", 3500.75, "Итого по команде за месяц"],
        ["Команда", "2026-10", 4500.25, "Итого по команде за месяц"],
    ]
    # the team total closes its month: Анна's 2 lines and subtotal, Борис's line and
    # subtotal, then the team (row 7 of the tab), then October's first line
    assert rows[6][:4] == totals[0]
    assert rows[7][:2] == ["Анна", "2026-10"]
    amounts = {bonuses.rows[r][2].fmt for r in range(1, len(rows))}
    assert amounts == {"money"}  # every line, subtotal and total keeps kopecks


def test_headers_are_unique_and_fit_their_columns_on_every_tab() -> None:
    status = {"next_run": "10.11.2026 09:45", "lease": "host-1"}
    for language in ("ru", "en"):
        config = Config(language=language, leaderboard_shows_bonus=True)
        pace = Pace("2026-11", 10, 30, "2026-10", 10, 50000.0, 2, 1)
        for plan in render(_result(pace=pace), config, RUN_AT, status):
            for row in plan.rows:
                headers = [c.value for c in row if c.style == "header" and c.value is not None]
                assert len(headers) == len(set(headers)), (plan.title, headers)
                for column, cell in enumerate(row):
                    if cell.style != "header" or cell.value is None:
                        continue
                    width = plan.column_widths[column]
                    assert len(str(cell.value)) <= width - 1, (plan.title, cell.value, width)


def test_pace_and_lead_outcomes_stay_out_of_the_json_report() -> None:
    pace = Pace("2026-11", 10, 30, "2026-10", 10, 50000.0, 2, 1)
    plain = replace(_result(), lead_outcomes=None)
    assert to_json(_result(pace=pace)) == to_json(plain)
