"""The tab modules of core/output/tabs behind `render()`: the tab tuple, Сводка's optional
sections and charts, Помесячно's merged funnel and activity figures, the failure banner."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pandas as pd

from sheets_kpi.core.compute.lead_outcomes import LeadOutcomes
from sheets_kpi.core.model import Problem
from sheets_kpi.core.output.render import TABS, render, render_fatal
from sheets_kpi.core.output.report import (
    ACTIVITY_COLUMNS,
    FUNNEL_COLUMNS,
    LEADERBOARD_COLUMNS,
    LOSS_REASON_COLUMNS,
    MONTHLY_COLUMNS,
    PLAN_GAP_COLUMNS,
    Result,
)
from sheets_kpi.core.output.sheetplan import TabWrite
from sheets_kpi.core.output.tabbuilder import TabInput
from sheets_kpi.core.settings import Config

MOSCOW = ZoneInfo("Europe/Moscow")
RUN_AT = datetime(2026, 11, 22, 9, 30, tzinfo=MOSCOW)


def _frame(columns: tuple[str, ...], rows: list[dict[str, object]]) -> pd.DataFrame:
    """Rows with every column of `columns` (absent ones NaN), plus manager_key."""
    full = [{column: row.get(column, math.nan) for column in columns} for row in rows]
    for row in full:
        row["manager"] = row["manager"] if isinstance(row["manager"], str) else None
    frame = pd.DataFrame(full, columns=list(columns)).astype({"manager": object})
    keys = [str(row["manager"]).casefold() if row.get("manager") else None for row in rows]
    frame["manager_key"] = pd.Series(keys, dtype=object)
    return frame


def _result(**frames: pd.DataFrame) -> Result:
    monthly = _frame(
        MONTHLY_COLUMNS,
        [{"month": "2026-11", "manager": "Анна", "revenue": 150000.0, "payments": 2}],
    )
    team = _frame(MONTHLY_COLUMNS, [{"month": "2026-11", "revenue": 150000.0}]).drop(
        columns=["manager", "manager_key"]
    )
    leaderboard = pd.DataFrame(
        [[1, "Анна", 150000.0, math.nan, 1, 0.0, None, 0]], columns=list(LEADERBOARD_COLUMNS)
    )
    return Result(
        as_of=date(2026, 11, 22),
        month="2026-11",
        language="ru",
        monthly=monthly,
        team=team,
        bonus_items=(),
        leaderboard=leaderboard,
        alerts=(),
        problems=(),
        **frames,
    )


def _funnel() -> pd.DataFrame:
    return _frame(
        FUNNEL_COLUMNS,
        [
            {"month": "2026-10", "manager": "Анна", "leads": 3, "won": 1, "lost": 1, "open": 1},
            {"month": "2026-11", "manager": "Анна", "leads": 8, "won": 3, "lost": 2, "open": 3},
            {"month": "2026-11", "manager": None, "leads": 8, "won": 3, "lost": 2, "open": 3},
        ],
    )


def _values(plan: TabWrite) -> list[list[object]]:
    return [[cell.value for cell in row] for row in plan.rows]


def _first_cells(plan: TabWrite) -> list[object]:
    return [row[0].value for row in plan.rows if row]


def test_render_writes_exactly_the_tabs_of_its_tuple_in_order() -> None:
    config = Config()
    # with a trial scheme every tab of the tuple is written (Пробная схема only then)
    trial = pd.DataFrame(
        [{"month": "2026-10", "manager_key": "анна", "manager": "Анна", "paid": 5.0, "trial": 7.0}]
    )
    result = _result(funnel=_funnel(), trial=trial)
    plans = render(result, config, RUN_AT)
    assert [plan.key for plan in plans] == [tab.KEY for tab in TABS]
    assert [plan.title for plan in plans] == [config.tab_title(tab.KEY) for tab in TABS]
    # each tab module lays its tab out alone, from the same input render() gives it
    source = TabInput(result, config, datetime(2026, 11, 22, 9, 30), {})
    assert [tab.build(source) for tab in TABS] == plans


def test_run_time_is_shown_on_the_wall_clock_it_was_given_in_whole_seconds() -> None:
    # the caller converts to the agency's zone (options.run_at); the core only drops tzinfo
    ekaterinburg = datetime(2026, 11, 22, 11, 30, 15, 999999, tzinfo=ZoneInfo("Asia/Yekaterinburg"))
    summary = render(_result(), Config(timezone="Asia/Yekaterinburg"), ekaterinburg)[0]
    assert summary.rows[1][1].value == datetime(2026, 11, 22, 11, 30, 15)
    banner = render_fatal([], Config(), ekaterinburg)[0]
    assert "(22.11.2026 11:30)" in str(banner.rows[0][0].value)


def test_summary_sections_appear_only_for_the_figures_computed_in_their_order() -> None:
    plain = _first_cells(render(_result(), Config(), RUN_AT)[0])
    assert not {"Что нужно, чтобы выполнить план", "Воронка — ноябрь 2026"} & set(plain)
    gap = _frame(PLAN_GAP_COLUMNS, [{"manager": None, "revenue_needed": 50000.0}])
    losses = _frame(LOSS_REASON_COLUMNS, [{"month": "2026-11", "reason": "дорого", "count": 2}])
    activity = _frame(ACTIVITY_COLUMNS, [{"month": "2026-11", "manager": None, "calls": 14}])
    full = render(
        _result(plan_gap=gap, funnel=_funnel(), loss_reasons=losses, activity=activity),
        Config(),
        RUN_AT,
    )[0]
    titles = [
        "Что нужно, чтобы выполнить план",
        "Воронка — ноябрь 2026",
        "Причины отказов — ноябрь 2026",
        "Активность — ноябрь 2026",
    ]
    cells = _first_cells(full)
    positions = [cells.index(title) for title in titles]
    assert positions == sorted(positions)
    # the first screen (the team at today's pace, with its forecast) comes first
    team_title = next(i for i, c in enumerate(cells) if str(c).startswith("Команда — ноябрь"))
    assert team_title < positions[0]
    # the plan gap's team row (manager None) is named «Команда»
    assert cells[positions[0] + 2] == "Команда"


def test_loss_reasons_show_the_teams_top_five_of_the_month_most_frequent_first() -> None:
    # team rows of 2026-11: е 1, а 1, б 4, в 3, г 2, д 2 → б 4, в 3, г 2, д 2, then а 1
    # (ties by name); Анна's own row and October's are not the team's month
    counts = {"а": 1, "б": 4, "в": 3, "г": 2, "д": 2, "е": 1}
    rows: list[dict[str, object]] = [
        {"month": "2026-11", "reason": reason, "count": count} for reason, count in counts.items()
    ]
    rows += [
        {"month": "2026-11", "manager": "Анна", "reason": "ж", "count": 9},
        {"month": "2026-10", "reason": "з", "count": 9},
    ]
    summary = render(_result(loss_reasons=_frame(LOSS_REASON_COLUMNS, rows)), Config(), RUN_AT)[0]
    values = _values(summary)
    start = _first_cells(summary).index("Причины отказов — ноябрь 2026")
    top = [row for row in values if row][start + 2 : start + 8]
    assert top == [["б", 4], ["в", 3], ["г", 2], ["д", 2], ["а", 1], ["Данные для графиков"]]


def test_funnel_chart_reads_this_months_leads_and_their_outcome() -> None:
    # of 8 leads created this month: 3 won, 2 lost, 3 still open (the parts add up)
    outcomes = LeadOutcomes(month="2026-11", leads=8, won=3, lost=2, open=3)
    summary = render(_result(funnel=_funnel(), lead_outcomes=outcomes), Config(), RUN_AT)[0]
    assert len(summary.charts) == 3  # by manager, team by month, this month's leads
    funnel_chart = summary.charts[2]
    rows = _values(summary)
    stages = range(funnel_chart.categories.first_row, funnel_chart.categories.last_row + 1)
    assert [rows[row - 1][:2] for row in stages] == [
        ["Заявки", 8],
        ["Выиграно", 3],
        ["Проиграно", 2],
        ["Ещё в работе", 3],
    ]
    # under the revenue-by-manager chart, in column A
    assert (funnel_chart.anchor_row, funnel_chart.anchor_column) == (60, 1)
    # without the leads' outcomes (no Сделки) there is no funnel chart
    assert len(render(_result(funnel=_funnel()), Config(), RUN_AT)[0].charts) == 2


def test_monthly_joins_funnel_figures_to_the_managers_row_of_each_month() -> None:
    plans = render(_result(funnel=_funnel()), Config(), RUN_AT)
    rows = _values(next(plan for plan in plans if plan.key == "monthly"))
    leads = rows[1].index("Заявки")
    # November: Анна (sales and funnel), the team; October: Анна from the funnel alone
    assert [(row[0], row[1], row[leads]) for row in rows[2:]] == [
        ("2026-11", "Анна", 8),
        ("2026-11", "Команда", 8),
        ("2026-10", "Анна", 3),
    ]


def test_banner_names_the_first_error_and_counts_the_others() -> None:
    def problem(message: str, severity: str = "error") -> Problem:
        return Problem("Продажи", None, None, None, "missing_column", severity, message)

    problems = [problem("Шум", "warning"), problem("Нет столбца «Сумма»"), problem("Нет даты")]
    text = str(render_fatal(problems, Config(), RUN_AT, date(2026, 11, 22))[0].rows[0][0].value)
    # the first *error*, closed with a full stop, then the one more error; the warning is no error
    assert "(22.11.2026 09:30, данные на 22.11.2026): Нет столбца «Сумма». (и ещё 1" in text
    nothing = render_fatal([problem("Шум", "warning")], replace(Config(), language="en"), RUN_AT)
    assert "the input could not be read." in str(nothing[0].rows[0][0].value)
