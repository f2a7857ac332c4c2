"""The rules of «Корректировки» (SPEC §14 adjustments, §3): the frame, and every rejected row
with its sheet row, its code and a message that says how to fix it."""

from __future__ import annotations

from datetime import date, datetime

from validate_tables import ROSTER, SALES, found, run, sale

from sheets_kpi.core.settings import Config

ADJUSTMENTS = ["Месяц", "Менеджер", "Сумма", "Причина", "Клиент", "ID"]
ROSTER_ROWS = [ROSTER, ["Иванова Анна"], ["Петров Борис"]]


def adjustments(*rows: list[object], config: Config | None = None, roster: bool = True):
    tabs: dict[str, list[list[object]]] = {
        "sales": [SALES, sale()],
        "Корректировки": [ADJUSTMENTS, *rows],
    }
    if roster:
        tabs["roster"] = ROSTER_ROWS
    return run(config, **tabs)


def test_adjustment_rows_become_the_adjustments_frame() -> None:
    inputs = adjustments(
        ["2026-10", "иванова  анна", "-5 000", " опоздал с отчётом ", None, None],
        ["ноябрь 2026", "Петров Борис", 12500.5, "премия за отзыв", "ромашка", "A-1"],
        [date(2026, 9, 14), "Иванова Анна", "1 000,25 ₽", "доплата", None, 7],
    )
    assert inputs.problems == []
    frame = inputs.adjustments
    assert frame is not None
    assert list(frame.columns) == [
        "row", "month", "manager_key", "manager", "amount_kop", "reason", "client", "id",
    ]  # fmt: skip
    assert frame["row"].tolist() == [2, 3, 4]
    # every SPEC §2.4 month form; a date stands for its month
    assert frame["month"].tolist() == ["2026-10", "2026-11", "2026-09"]
    # the roster's display form of the manager
    assert frame["manager"].tolist() == ["Иванова Анна", "Петров Борис", "Иванова Анна"]
    assert frame["manager_key"].tolist() == ["иванова анна", "петров борис", "иванова анна"]
    # −5 000 ₽ = −500 000 kopecks (a penalty); 12 500,50 ₽; 1 000,25 ₽
    assert frame["amount_kop"].tolist() == [-500_000, 1_250_050, 100_025]
    assert frame["amount_kop"].dtype == "int64"
    assert frame["reason"].tolist() == ["опоздал с отчётом", "премия за отзыв", "доплата"]
    # a client named as on Продажи keeps the sales' spelling («Ромашка»)
    assert frame["client"].tolist() == [None, "Ромашка", None]
    assert frame["id"].tolist() == [None, "A-1", "7"]


def test_an_absent_or_empty_tab_gives_no_frame_and_no_problem() -> None:
    absent = run(sales=[SALES, sale()])
    assert absent.adjustments is None and absent.problems == []
    empty = run(sales=[SALES, sale()], **{"Корректировки": []})
    assert empty.adjustments is None and empty.problems == []


def test_header_only_gives_an_empty_frame() -> None:
    inputs = adjustments()
    assert inputs.problems == []
    assert inputs.adjustments is not None and inputs.adjustments.empty


def test_every_bad_row_is_rejected_with_its_row_code_and_a_fix() -> None:
    inputs = adjustments(
        ["2026-10", "Иванова Анна", -3000, "штраф", None, "x"],  # 2: valid
        [None, "Иванова Анна", 100, "премия", None, None],  # 3: no month
        ["2026-13", "Иванова Анна", 100, "премия", None, None],  # 4: no such month
        ["2026-12", "Иванова Анна", 100, "премия", None, None],  # 5: after as_of's month
        ["1999-12", "Иванова Анна", 100, "премия", None, None],  # 6: before 2000
        ["2026-10", None, 100, "премия", None, None],  # 7: no manager
        ["2026-10", "Иванова Анн", 100, "премия", None, None],  # 8: not in the roster
        ["2026-10", "Иванова Анна", None, "премия", None, None],  # 9: no amount
        ["2026-10", "Иванова Анна", "сто", "премия", None, None],  # 10: not an amount
        ["2026-10", "Иванова Анна", "0,00", "премия", None, None],  # 11: zero
        ["2026-10", "Иванова Анна", 100, "  ", None, None],  # 12: no reason
        ["2026-10", "Иванова Анна", 100, "премия", None, "X"],  # 13: ID of row 2 again
    )
    assert found(inputs) == [
        ("Корректировки", 3, "Месяц", "bad_date"),
        ("Корректировки", 4, "Месяц", "bad_date"),
        ("Корректировки", 5, "Месяц", "future_date"),
        ("Корректировки", 6, "Месяц", "too_old_date"),
        ("Корректировки", 7, "Менеджер", "missing_manager"),
        ("Корректировки", 8, "Менеджер", "unknown_manager"),
        ("Корректировки", 9, "Сумма", "bad_amount"),
        ("Корректировки", 10, "Сумма", "bad_amount"),
        ("Корректировки", 11, "Сумма", "zero_amount"),
        ("Корректировки", 12, "Причина", "missing_reason"),
        ("Корректировки", 13, "ID", "duplicate_id"),
    ]
    assert all(problem.severity == "error" for problem in inputs.problems)
    messages = {problem.row: problem.message for problem in inputs.problems}
    assert messages[3] == (
        "Месяц: месяц не указан. Пишите месяц как 2026-11, 11.2026 или «ноябрь 2026»."
    )
    assert messages[4].startswith("Месяц: «2026-13» — нет такого месяца. Пишите месяц как")
    assert messages[5] == (
        "Месяц: месяц 2026-12 ещё не наступил (дата расчёта — 22.11.2026). Корректировку вносят "
        "в текущий или прошедший месяц — проверьте год и месяц."
    )
    assert "раньше 2000 года. Проверьте год" in messages[6]
    assert messages[7] == "Не указан менеджер. Впишите имя менеджера в столбец «Менеджер»."
    assert messages[8] == (
        "Менеджера «Иванова Анн» нет на листе «Мотивация». Возможно, имелся в виду «Иванова "
        "Анна». Исправьте имя или добавьте менеджера на лист «Мотивация»."
    )
    assert messages[9].startswith("Сумма: сумма не указана. Пишите сумму цифрами")
    assert messages[10].startswith("Сумма: «сто» — не сумма.")
    assert messages[11] == (
        "Сумма: корректировка не может быть нулевой. Премию впишите положительной суммой, штраф "
        "— отрицательной (например, -5 000); если корректировки нет, удалите строку."
    )
    assert messages[12] == (
        "Не указана причина. Впишите в столбец «Причина», за что премия или штраф — менеджер "
        "увидит её в пояснении к бонусу."
    )
    assert messages[13].startswith("ID «X» уже есть в строке 2; учтена та строка.")
    # only row 2 counts; the owner's rejected rows are no manager's on the leaderboard
    assert inputs.adjustments is not None and inputs.adjustments["row"].tolist() == [2]
    assert "Корректировки" not in set(inputs.rejected["tab"])


def test_a_row_with_several_problems_reports_each() -> None:
    inputs = adjustments(["", "", "0", "", None, None])
    assert found(inputs) == [
        ("Корректировки", 2, "Месяц", "bad_date"),
        ("Корректировки", 2, "Менеджер", "missing_manager"),
        ("Корректировки", 2, "Сумма", "zero_amount"),
        ("Корректировки", 2, "Причина", "missing_reason"),
    ]


def test_without_a_roster_any_manager_may_have_an_adjustment() -> None:
    inputs = adjustments(["2026-11", "Вера", 5000, "премия", None, None], roster=False)
    assert inputs.problems == []
    assert inputs.adjustments is not None and inputs.adjustments["manager"].tolist() == ["Вера"]


def test_a_missing_required_column_sets_the_tab_aside_like_any_optional_tab() -> None:
    inputs = run(
        sales=[SALES, sale()],
        **{"Корректировки": [["Месяц", "Менеджер", "Сумма"], ["2026-11", "Вера", 5000]]},
    )
    assert found(inputs) == [("Корректировки", None, "Причина", "missing_column")]
    assert inputs.adjustments is None
    assert inputs.problems[0].severity == "error"


def test_english_headers_and_messages() -> None:
    config = Config(language="en")
    inputs = run(
        config,
        sales=[SALES, sale()],
        roster=ROSTER_ROWS,
        Adjustments=[
            ["Month", "Manager", "Amount", "Reason"],
            ["2026-11", "Петров Борис", 0, "bonus"],
            ["2026-11", "Петров Борис", -100, None],
        ],
    )
    assert [(p.tab, p.row, p.column, p.code) for p in inputs.problems] == [
        ("Adjustments", 2, "Amount", "zero_amount"),
        ("Adjustments", 3, "Reason", "missing_reason"),
    ]
    assert inputs.problems[0].message == (
        "Amount: an adjustment cannot be zero. Write a bonus as a positive amount and a penalty "
        "as a negative one (e.g. -5,000); if there is no adjustment, delete the row."
    )
    assert inputs.problems[1].message == (
        "The reason is empty. Write in the «Reason» column what the bonus or penalty is for — "
        "the manager sees it in the bonus explanation."
    )


def test_the_example_row_of_init_is_set_aside() -> None:
    inputs = adjustments(
        [datetime(2026, 11, 1), "Пример: Анна Смирнова", -5000, "Штраф", "ООО Ромашка", None],
        ["2026-11", "Петров Борис", 700, "премия", None, None],
    )
    assert [(p.row, p.code) for p in inputs.problems] == [(2, "example_row")]
    assert inputs.adjustments is not None
    assert inputs.adjustments["row"].tolist() == [3]
    assert inputs.adjustments["amount_kop"].tolist() == [70_000]


def test_problems_of_the_tab_come_after_the_other_input_tabs() -> None:
    inputs = run(
        sales=[SALES, sale(amount=-1)],
        plan=[["Месяц", "Менеджер", "План выручки"], ["13.2026", None, 1]],
        **{"Корректировки": [ADJUSTMENTS, ["2026-11", "Вера", 0, "x", None, None]]},
    )
    assert [p.tab for p in inputs.problems] == ["Продажи", "План", "Корректировки"]
    assert inputs.adjustments is not None and inputs.adjustments.empty
