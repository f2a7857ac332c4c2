"""The owner-facing outputs of SPEC §14 and §15 through `render()`: Сводка's «К выплате»
(beside the team block, and part by part), the §14 lines on Бонусы, the Пробная схема tab and
Сводка's trial block. The Results are typed in (`payout_results`, worked totals there)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from payout_results import ITEMS, MONTH, item, result, trial_frame

from sheets_kpi.core.model import ADJUSTMENT
from sheets_kpi.core.output.render import render
from sheets_kpi.core.output.sheetplan import TabWrite
from sheets_kpi.core.settings import Config

RUN_AT = datetime(2026, 11, 22, 9, 30)


def _tab(plans: list[TabWrite], key: str) -> TabWrite:
    return next(plan for plan in plans if plan.key == key)


def _values(plan: TabWrite) -> list[list[object]]:
    return [[cell.value for cell in row] for row in plan.rows]


def _block(plan: TabWrite, title: str, width: int) -> list[list[object]]:
    """The rows under the row whose first cell is `title`, up to the next empty row, `width`
    cells each."""
    rows = _values(plan)
    start = next(index for index, row in enumerate(rows) if row and row[0] == title)
    block = []
    for row in rows[start + 1 :]:
        if not any(value is not None for value in row):
            break
        block.append((row + [None] * width)[:width])
    return block


def _beside(plan: TabWrite, title: str) -> list[list[object]]:
    """The «К выплате» headline beside the team block: columns J–L from its title down."""
    rows = _values(plan)
    start = next(index for index, row in enumerate(rows) if title in row)
    column = rows[start].index(title)
    block = []
    for row in rows[start + 1 :]:
        cells = (row + [None] * 12)[column : column + 3]
        if not any(value is not None for value in cells):
            break
        block.append(cells)
    return block


def test_to_pay_sums_each_kind_of_line_per_manager_and_for_the_team() -> None:
    summary = _tab(render(result(), Config(), RUN_AT), "summary")
    # Анна 40 000,50 − 10 000 + 3 000 − 5 000 = 28 000,50; Борис −2 000 (a penalty only);
    # October's 60 000 is not November's payout
    assert _block(summary, "К выплате за ноябрь 2026: из чего складывается", 6) == [
        ["Менеджер", "По схемам", "Пересчёты", "Корректировки", "Возвраты", "К выплате"],
        ["Анна", 40000.5, -10000.0, 3000.0, -5000.0, 28000.5],
        ["Борис", 0.0, 0.0, -2000.0, 0.0, -2000.0],
        ["Команда", 40000.5, -10000.0, 1000.0, -5000.0, 26000.5],
    ]
    # beside the team block, on the first screen: the totals to pay, largest first
    assert _beside(summary, "К выплате за ноябрь 2026") == [
        ["Менеджер", None, "К выплате"],
        ["Анна", None, 28000.5],
        ["Борис", None, -2000.0],
        ["Итого", None, 26000.5],
    ]
    title_row = next(
        i for i, row in enumerate(_values(summary)) if "К выплате за ноябрь 2026" in row
    )
    assert title_row < 40 and _values(summary)[title_row].index("К выплате за ноябрь 2026") == 9


def test_to_pay_is_shown_in_whole_roubles_with_the_team_row_bold() -> None:
    summary = _tab(render(result(), Config(), RUN_AT), "summary")
    rows = summary.rows
    start = next(i for i, row in enumerate(rows) if row and row[0].value == "Команда" and
                 len(row) == 6)  # fmt: skip
    assert {cell.fmt for cell in rows[start][1:]} == {"money_whole"}
    assert {cell.style for cell in rows[start]} == {"subtotal"}


def test_a_month_without_lines_keeps_the_block_with_a_note() -> None:
    october_only = tuple(line for line in ITEMS if line.month != MONTH)
    summary = _tab(render(result(items=october_only), Config(), RUN_AT), "summary")
    block = _block(summary, "К выплате за ноябрь 2026: из чего складывается", 6)
    assert block[1] == ["В этом месяце выплат нет", None, None, None, None, None]
    assert _beside(summary, "К выплате за ноябрь 2026")[1] == ["Бонусов пока нет", None, None]


def test_a_manager_whose_lines_cancel_out_is_listed_but_not_in_the_headline() -> None:
    # Борис: +2 000 adjustment and −2 000 adjustment → 0 to pay; Анна 28 000,50 as before
    items = (*ITEMS, item("Борис", MONTH, "2000", ADJUSTMENT, explain="возврат штрафа"))
    summary = _tab(render(result(items=items), Config(), RUN_AT), "summary")
    block = _block(summary, "К выплате за ноябрь 2026: из чего складывается", 6)
    assert block[2] == ["Борис", 0.0, 0.0, 0.0, 0.0, 0.0]
    assert [row[0] for row in _beside(summary, "К выплате за ноябрь 2026")] == [
        "Менеджер",
        "Анна",
        "Итого",
    ]


def test_bonuses_list_the_ledger_lines_with_their_words_no_step_and_the_settled_month() -> None:
    bonuses = _tab(render(result(), Config(), RUN_AT), "bonuses")
    rows = _values(bonuses)
    # manager, month, amount, client, scheme, step, basis, rate/tier, explanation, withheld
    assert rows[1:8] == [
        ["Анна", MONTH, 25000.0, "Ромашка", "уровни", 1, 100000.0, None, "уровень 1", None],
        ["Анна", MONTH, 15000.5, "Лютик", "два шага", 1, 100000.0, None, "шаг 1 из 2", None],
        ["Анна", MONTH, -5000.0, "Лютик", "возврат бонуса", None, 0.0, None,
         "возврат 20 000 (строка 9)", None],
        ["Анна", MONTH, 3000.0, None, "корректировка", None, 0.0, None,
         "премия за отзыв клиента", None],
        ["Анна", MONTH, -10000.0, None, "пересчёт за 2026-10", None, 0.0, None,
         "пересчёт за 2026-10: было 60 000, стало 50 000 — «Ромашка»: 35 000 → 25 000", None],
        # the subtotal with negative lines: 25 000 + 15 000,50 − 5 000 + 3 000 − 10 000
        ["Анна", MONTH, 28000.5, "Итого за месяц", None, None, None, None, None, None],
        ["Борис", MONTH, -2000.0, None, "корректировка", None, 0.0, None,
         "штраф за просроченный отчёт", None],
    ]  # fmt: skip
    # Борис's month total is negative; the team's November is 28 000,50 − 2 000
    assert rows[8][:4] == ["Борис", MONTH, -2000.0, "Итого за месяц"]
    assert rows[9][:4] == ["Команда", MONTH, 26000.5, "Итого по команде за месяц"]
    assert rows[10][:3] == ["Анна", "2026-10", 60000.0]
    assert bonuses.rows[5][2].fmt == "money"  # kopecks kept on every line


def test_english_config_names_the_lines_and_the_blocks_in_english() -> None:
    plans = render(result(trial=trial_frame()), Config(language="en"), RUN_AT)
    bonuses = _values(_tab(plans, "bonuses"))
    assert [row[4] for row in bonuses[3:6]] == ["clawback", "adjustment", "correction for 2026-10"]
    summary = _tab(plans, "summary")
    assert _block(summary, "To pay for November 2026: what it is made of", 6)[0] == [
        "Manager",
        "Scheme bonuses",
        "Corrections",
        "Adjustments",
        "Clawbacks",
        "To pay",
    ]
    trial = _tab(plans, "trial")
    assert trial.title == "Trial scheme"
    assert trial.rows[0][0].value == "Trial scheme: what it would have paid, had it been in force"


def test_trial_tab_shows_each_month_and_the_totals_of_complete_months() -> None:
    trial = _tab(render(result(trial=trial_frame()), Config(), RUN_AT), "trial")
    assert trial.title == "Пробная схема" and trial.protected and trial.mode == "replace"
    rows = _values(trial)
    assert rows[0][0] == "Пробная схема: сколько заплатила бы, если бы действовала"
    assert rows[2][0] == (
        "Пробная схема не выплачивается: это расчёт «что было бы», только для сравнения."
    )
    assert rows[4][0] == (
        "Полные месяцы: 3 — август 2026 – октябрь 2026; 12 — ноябрь 2025 – октябрь 2026."
    )
    # worked in payout_results: the current month (2026-11) and 2025-10 count in neither
    assert rows[5:9] == [
        ["Менеджер", "Выплачено за 3 мес.", "Пробная за 3 мес.", "Разница за 3 мес.",
         "Выплачено за 12 мес.", "Пробная за 12 мес.", "Разница за 12 мес."],
        ["Анна", 50000.0, 55000.25, 5000.25, 60000.0, 67000.25, 7000.25],
        ["Борис", 0.0, 8000.0, 8000.0, 0.0, 8000.0, 8000.0],
        ["Итого", 50000.0, 63000.25, 13000.25, 60000.0, 75000.25, 15000.25],
    ]  # fmt: skip
    assert rows[10][0] == "По месяцам"
    # newest month first, managers by name; the difference is trial − paid
    assert rows[11:] == [
        ["Месяц", "Менеджер", "Выплачено по схеме", "По пробной схеме",
         "Разница (пробная − выплачено)"],
        [MONTH, "Анна", 50000.0, 0.0, -50000.0],
        ["2026-10", "Анна", 30000.0, 40000.25, 10000.25],
        ["2026-09", "Борис", 0.0, 8000.0, 8000.0],
        ["2026-08", "Анна", 20000.0, 15000.0, -5000.0],
        ["2025-11", "Анна", 10000.0, 12000.0, 2000.0],
        ["2025-10", "Анна", 1000.0, 9999.0, 8999.0],
    ]  # fmt: skip
    money = {cell.fmt for row in trial.rows[6:9] + trial.rows[12:] for cell in row[1:]}
    assert money - {None} == {"money_whole"}


def test_summary_trial_block_has_the_same_totals_and_says_it_is_never_paid() -> None:
    summary = _tab(render(result(trial=trial_frame()), Config(), RUN_AT), "summary")
    block = _block(summary, "Пробная схема", 7)
    assert block[0][0] == (
        "Пробная схема не выплачивается: это расчёт «что было бы», только для сравнения."
    )
    # the header takes its short forms in Сводка's 15-character columns
    assert block[2] == ["Менеджер", "Выпл. 3 мес.", "Пробн. 3 мес.", "Разн. 3 мес.",
                        "Выпл. 12 мес.", "Пробн. 12 мес.", "Разн. 12 мес."]  # fmt: skip
    assert block[3:] == [
        ["Анна", 50000.0, 55000.25, 5000.25, 60000.0, 67000.25, 7000.25],
        ["Борис", 0.0, 8000.0, 8000.0, 0.0, 8000.0, 8000.0],
        ["Итого", 50000.0, 63000.25, 13000.25, 60000.0, 75000.25, 15000.25],
    ]


def test_without_a_trial_there_is_no_trial_tab_and_no_summary_block() -> None:
    plans = render(result(), Config(), RUN_AT)
    assert "trial" not in [plan.key for plan in plans]
    firsts = {row[0].value for row in _tab(plans, "summary").rows if row}
    assert "Пробная схема" not in firsts


def test_a_removed_trial_rewrites_the_tab_still_in_the_workbook_with_a_note() -> None:
    titles = ("Продажи", "Мотивация", "Сводка", "Пробная схема")
    plans = render(result(), Config(), RUN_AT, titles=titles)
    trial = _tab(plans, "trial")
    assert trial.protected
    assert _values(trial)[2][0] == (
        "Пробная схема сейчас не задана ни одному менеджеру (столбец «Пробная схема» вкладки "
        "«Мотивация»). Задайте её, и сравнение появится здесь снова."
    )
    assert len(trial.rows) == 3  # the title, the date, the note: no stale figures
    # a renamed trial tab is found by its configured title
    renamed = Config(tabs={"trial": "Эксперимент"})
    assert "trial" not in [p.key for p in render(result(), renamed, RUN_AT, titles=titles)]


def test_new_headers_fit_their_columns_in_both_languages() -> None:
    for language in ("ru", "en"):
        config = Config(language=language)
        for plan in render(result(trial=trial_frame()), config, RUN_AT):
            for row in plan.rows:
                for column, cell in enumerate(row):
                    if cell.style == "header" and cell.value is not None:
                        width = plan.column_widths[column]
                        assert len(str(cell.value)) <= width - 1, (plan.title, cell.value)


def test_a_result_without_ledger_lines_shows_only_scheme_bonuses_to_pay() -> None:
    schemes_only = tuple(line for line in ITEMS if line.step is not None)
    summary = _tab(render(replace(result(), bonus_items=schemes_only), Config(), RUN_AT), "summary")
    # Анна: 25 000 + 15 000,50 = 40 000,50, nothing else
    assert _block(summary, "К выплате за ноябрь 2026: из чего складывается", 6)[1:] == [
        ["Анна", 40000.5, 0.0, 0.0, 0.0, 40000.5],
        ["Команда", 40000.5, 0.0, 0.0, 0.0, 40000.5],
    ]
