"""Rendering of the generated tabs (SPEC §8): what each tab shows, user text never a formula."""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pandas as pd

from sheets_kpi.core.model import Alert, BonusItem, PendingBonus, Problem, RawTab, RawWorkbook
from sheets_kpi.core.output.render import column_links, render, render_fatal
from sheets_kpi.core.output.report import LEADERBOARD_COLUMNS, MONTHLY_COLUMNS, Result
from sheets_kpi.core.output.sheetplan import Cell, CellRef, Formula, TabWrite
from sheets_kpi.core.settings import Config

MOSCOW = ZoneInfo("Europe/Moscow")
# The caller (options.run_at) passes the run time on the agency's wall clock already.
RUN_AT = datetime(2026, 11, 22, 9, 30, tzinfo=MOSCOW)
SNEAKY = '=HYPERLINK("http://x","y")'


def _figures(month: str, manager: str | None, revenue: float, plan: float | None) -> dict:
    row: dict[str, object] = {column: math.nan for column in MONTHLY_COLUMNS}
    row.update(month=month, manager=manager, revenue=revenue, payments=2, new_clients=1)
    if plan is not None:
        row.update(plan_revenue=plan, plan_pct=revenue / plan)
    return row


def _item(manager: str, month: str, client: str, amount: str, step: int = 1) -> BonusItem:
    return BonusItem(
        manager_key=manager.casefold(),
        manager=manager,
        month=month,
        client=client,
        scheme="two_step",
        step=step,
        basis=Decimal(amount) / Decimal("0.15"),
        rate=Decimal("0.15"),
        tier=None,
        amount=Decimal(amount),
        explain=f"шаг {step} из 2",
    )


def _result(problems: tuple[Problem, ...] = ()) -> Result:
    monthly = pd.DataFrame(
        [
            _figures("2026-10", "Анна", 90000.0, 100000.0),
            _figures("2026-11", "Анна", 150000.0, 100000.0),
            _figures("2026-11", SNEAKY, 40000.0, None),
        ]
    )
    monthly["manager_key"] = monthly["manager"].str.casefold()
    team = pd.DataFrame(
        [_figures("2026-10", None, 90000.0, 100000.0), _figures("2026-11", None, 190000.0, None)]
    ).drop(columns=["manager"])
    leaderboard = pd.DataFrame(
        [
            [1, "Анна", 150000.0, 1.5, 1, 22500.0, 1, 0],
            [2, SNEAKY, 40000.0, math.nan, 1, 6000.0, None, 2],
        ],
        columns=list(LEADERBOARD_COLUMNS),
    )
    items = (
        _item("Анна", "2026-10", "Ромашка", "13500"),
        _item("Анна", "2026-11", "Лютик", "9000"),
        _item(SNEAKY, "2026-11", SNEAKY, "6000"),
        _item("Анна", "2026-11", "Ромашка", "13500", step=2),
    )
    return Result(
        as_of=date(2026, 11, 22),
        month="2026-11",
        language="ru",
        monthly=monthly,
        team=team,
        bonus_items=items,
        leaderboard=leaderboard,
        alerts=(Alert("shared_client", SNEAKY, "2026-11", f"Клиент {SNEAKY} у двоих"),),
        problems=problems,
        pending_bonuses=(PendingBonus("анна", "Анна", "Лютик", Decimal("9000"), 1, 4, False),),
    )


def _tab(plans: list[TabWrite], key: str) -> TabWrite:
    return next(plan for plan in plans if plan.key == key)


def _values(plan: TabWrite) -> list[list[object]]:
    return [[cell.value for cell in row] for row in plan.rows]


def _all_cells(plans: list[TabWrite]) -> list[Cell]:
    return [cell for plan in plans for row in plan.rows for cell in row]


def test_tabs_come_in_spec_order_and_are_protected() -> None:
    plans = render(_result(), Config(), RUN_AT)
    assert [plan.title for plan in plans] == [
        "Сводка",
        "Лидерборд",
        "Бонусы",
        "Помесячно",
        "Ошибки",
    ]
    assert all(plan.protected and plan.mode == "replace" for plan in plans)


def test_user_text_that_looks_like_a_formula_stays_plain_text() -> None:
    plans = render(_result(), Config(), RUN_AT)
    cells = [cell for cell in _all_cells(plans) if cell.value == SNEAKY]
    # the manager's name shows on every tab that names managers
    assert len(cells) >= 5
    assert not any(isinstance(cell.value, Formula) for cell in _all_cells(plans))
    assert all(type(cell.value) is str for cell in cells)


def test_leaderboard_hides_bonus_unless_configured() -> None:
    hidden = _values(_tab(render(_result(), Config(), RUN_AT), "leaderboard"))
    shown = _values(
        _tab(render(_result(), Config(leaderboard_shows_bonus=True), RUN_AT), "leaderboard")
    )
    assert "Бонус" not in hidden[1]
    assert 22500.0 not in hidden[2]
    assert shown[1][5] == "Бонус"
    assert shown[2][5] == 22500.0
    # place change: +1 is the number 1, shown ↑1 by its format (SPEC §8: numbers as numbers);
    # not ranked last month → empty; two rejected rows count
    assert hidden[2][5] == 1
    assert hidden[3][5] is None
    assert hidden[3][6] == 2
    formats = {
        cell.fmt
        for row in _tab(render(_result(), Config(), RUN_AT), "leaderboard").rows
        for cell in row[5:6]
    }
    assert "place_change" in formats


def test_bonuses_newest_month_first_with_subtotal_per_manager_month() -> None:
    rows = _values(_tab(render(_result(), Config(), RUN_AT), "bonuses"))
    assert rows[0][0] == "Менеджер"
    assert rows[0][2] == "Сумма"  # the amount is the third column, on screen by the names
    # 2026-11 by name ("=" sorts before "А"): the second manager (6 000), then Анна
    # (9 000 + 13 500 = 22 500), then the team's 28 500; 2026-10 last
    assert rows[2][3] == "Итого за месяц" and rows[2][2] == 6000.0
    assert [[row[0], row[1], row[3]] for row in rows[3:6]] == [
        ["Анна", "2026-11", "Лютик"],
        ["Анна", "2026-11", "Ромашка"],
        ["Анна", "2026-11", "Итого за месяц"],
    ]
    assert rows[5][2] == 22500.0
    assert rows[6][:4] == ["Команда", "2026-11", 28500.0, "Итого по команде за месяц"]
    assert rows[7][1] == "2026-10"
    assert rows[8][2] == 13500.0
    assert rows[9][:3] == ["Команда", "2026-10", 13500.0]
    assert rows[3][4] == "два шага"
    assert rows[3][7] == 0.15


def test_summary_stamps_run_time_in_one_cell_and_marks_plan_completion() -> None:
    plans_a = render(_result(), Config(), RUN_AT, {"Следующий запуск": "09:45"})
    later = datetime(2026, 11, 22, 10, 0, tzinfo=MOSCOW)
    plans_b = render(_result(), Config(), later, {"Следующий запуск": "09:45"})
    summary = _tab(plans_a, "summary")
    assert summary.timestamp_cells == ((2, 2),)
    assert summary.rows[1][1].value == datetime(2026, 11, 22, 9, 30)  # Moscow wall clock
    assert summary.rows[0] == (Cell(None),)  # banner row empty on a good run
    assert ["Следующий запуск", "09:45"] in _values(summary)
    differing = [
        (row, column)
        for row, (first, second) in enumerate(
            zip(plans_a[0].rows, plans_b[0].rows, strict=True), start=1
        )
        for column, (a, b) in enumerate(zip(first, second, strict=True), start=1)
        if a != b
    ]
    assert differing == [(2, 2)]
    assert plans_a[1:] == plans_b[1:]
    fills = {(rule.op, rule.fill) for rule in summary.conditional}
    assert fills == {("<", "#F4CCCC"), (">=", "#D9EAD3")}
    assert "Замечаний нет" not in [row[0] for row in _values(summary) if row]
    assert len(summary.charts) == 2
    assert summary.charts[1].line_series == (1,)


def test_summary_charts_read_the_cells_they_point_at() -> None:
    summary = _tab(render(_result(), Config(), RUN_AT), "summary")
    by_manager = summary.charts[0]
    rows = _values(summary)
    names = [
        rows[row - 1][0]
        for row in range(by_manager.categories.first_row, by_manager.categories.last_row + 1)
    ]
    revenue = [
        rows[row - 1][1]
        for row in range(by_manager.categories.first_row, by_manager.categories.last_row + 1)
    ]
    assert names == ["Анна", SNEAKY]
    assert revenue == [150000.0, 40000.0]


def test_monthly_history_newest_first_with_team_rows_and_empty_cells_for_nan() -> None:
    plan = _tab(render(_result(), Config(), RUN_AT), "monthly")
    rows = _values(plan)
    # two header rows: the column groups, then the columns
    assert rows[0][2] == "Продажи, план и бонусы"
    assert rows[1][:3] == ["Месяц", "Менеджер", "Выручка"]
    assert [row[:2] for row in rows[2:]] == [
        ["2026-11", SNEAKY],
        ["2026-11", "Анна"],
        ["2026-11", "Команда"],
        ["2026-10", "Анна"],
        ["2026-10", "Команда"],
    ]
    growth = rows[1].index("Рост к прошлому году")
    assert rows[3][growth] is None
    assert plan.rows[3][2] == Cell(150000.0, fmt="money_whole")  # sums in whole roubles
    assert plan.frozen_rows == 2


def test_errors_link_to_the_offending_cell_and_say_when_there_are_none() -> None:
    raw = RawWorkbook(
        titles=("Продажи",),
        tabs={"Продажи": RawTab("Продажи", [["Дата", "Менеджер", "Клиент", " сумма "]])},
    )
    problem = Problem("Продажи", 7, "Сумма", "-5", "nonpositive_amount", "error", "Сумма ≤ 0")
    tab_level = Problem("Продажи", None, "Клиент", None, "missing_column", "error", "Нет столбца")
    errors = _tab(
        render(_result((problem, tab_level)), Config(), RUN_AT, links=column_links(raw)),
        "errors",
    )
    assert errors.rows[1][1].link == CellRef("Продажи", 7, 4)
    assert errors.rows[1][5].value == "ошибка"
    assert all(cell.link is None for cell in errors.rows[2])
    clean = _tab(render(_result(), Config(), RUN_AT), "errors")
    assert clean.rows[1][0].value == "Ошибок нет — все строки приняты в расчёт"


def test_fatal_run_writes_a_red_banner_and_the_errors_tab_only() -> None:
    problem = Problem("Продажи", None, None, None, "missing_tab", "error", "Нет вкладки «Продажи».")
    plans = render_fatal([problem], Config(), RUN_AT, date(2026, 11, 22))
    assert [(plan.title, plan.mode) for plan in plans] == [
        ("Сводка", "banner"),
        ("Ошибки", "replace"),
    ]
    banner = plans[0].rows[0][0]
    assert banner.style == "banner"
    assert isinstance(banner.value, str)
    assert "не пересчитаны" in banner.value
    assert "Нет вкладки «Продажи»." in banner.value
    assert "последнего успешного" in banner.value
    assert plans[1].rows[1][4].value == "missing_tab"
    # A workbook that was never calculated has no figures below to speak of.
    first = render_fatal([problem], Config(), RUN_AT, date(2026, 11, 22), first_run=True)
    text = first[0].rows[0][0].value
    assert isinstance(text, str)
    assert "Посчитать не удалось" in text and "Нет вкладки «Продажи»." in text
    assert "последнего успешного" not in text


def test_english_labels_when_configured() -> None:
    plans = render(_result(), Config(language="en"), RUN_AT)
    assert [plan.title for plan in plans] == [
        "Summary",
        "Leaderboard",
        "Bonuses",
        "Monthly",
        "Errors",
    ]
    assert _values(_tab(plans, "bonuses"))[0][0] == "Manager"
