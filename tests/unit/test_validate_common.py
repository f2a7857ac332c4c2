"""Validation across the input tabs (SPEC §2, §3): empty and ragged rows, unknown columns,
identity of names, rejected rows, the order of problems, the output language."""

from __future__ import annotations

from validate_tables import (
    DEALS,
    PLAN,
    ROSTER,
    SALES,
    deal,
    found,
    run,
    sale,
)

from sheets_kpi.core.settings import Config


def test_empty_rows_are_skipped_silently_even_thousands_of_them() -> None:
    blank_rows: list[list[object]] = [[None] * 9 for _ in range(5000)]
    blank_rows[10] = ["", "  ", None, "\u00a0"]  # spaces only, a short ragged row
    inputs = run(sales=[SALES, sale(), *blank_rows, sale(client="Лютик")])
    assert inputs.problems == []
    assert inputs.sales["row"].tolist() == [2, 5003]  # sheet rows keep their numbers


def test_unknown_columns_are_ignored_even_in_otherwise_empty_rows() -> None:
    # A helper column filled down (e.g. a formula) does not turn empty rows into errors.
    inputs = run(sales=[[*SALES, "Заметка"], [*sale(), "ok"], [None] * 9 + ["=A2"]])
    assert inputs.problems == []
    assert len(inputs.sales) == 1


def test_rows_of_any_length_are_read_by_their_header() -> None:
    # Google drops trailing empty cells, and people type notes right of the last column.
    inputs = run(
        sales=[
            SALES,
            ["03.11.2026", "Иванова Анна", "Ромашка", 1000],
            [*sale(client="Астра", amount=2000, paid="нет"), "заметка", None, "ещё"],
            ["04.11.2026", "Иванова Анна"],
        ]
    )
    assert found(inputs) == [
        ("Продажи", 4, "Клиент", "missing_client"),
        ("Продажи", 4, "Сумма", "bad_amount"),
    ]
    assert inputs.sales["client"].tolist() == ["Ромашка", "Астра"]
    assert inputs.sales["amount_kop"].tolist() == [100000, 200000]
    assert inputs.sales["paid"].tolist() == [True, False]


# --- identity, rejected rows, order -------------------------------------------------------------


def test_display_names_are_the_first_seen_when_there_is_no_roster() -> None:
    inputs = run(
        sales=[
            SALES,
            sale(manager="петров", client="«Лютик»"),
            sale(manager="Петров  ", client="ЛЮТИК"),
        ]
    )
    assert inputs.sales["manager"].tolist() == ["петров", "петров"]
    assert inputs.sales["client"].tolist() == ["«Лютик»", "«Лютик»"]
    assert inputs.sales["client_key"].tolist() == ["лютик", "лютик"]


def test_each_error_row_is_rejected_once_with_manager_and_month() -> None:
    inputs = run(
        sales=[
            SALES,
            sale(day="05.12.2026", client=None, amount=0),  # three errors, one row
            sale(day="31.02.2026", manager=None),
            sale(margin="x"),  # a warning only: not rejected
        ]
    )
    rejected = inputs.rejected
    assert list(rejected.columns) == ["tab", "row", "manager_key", "month"]
    assert rejected.values.tolist() == [
        ["Продажи", 2, "иванова анна", "2026-12"],
        ["Продажи", 3, None, None],
    ]


def test_problems_are_sorted_by_tab_then_row_then_column() -> None:
    inputs = run(
        sales=[SALES, sale(amount="x"), sale(day="x", client=None)],
        plan=[PLAN, ["bad", None, None, None]],
        deals=[DEALS, deal(touches=-1)],
        roster=[ROSTER, ["Иванова Анна", "нечто", None, None, None]],
    )
    assert found(inputs) == [
        ("Продажи", 2, "Сумма", "bad_amount"),
        ("Продажи", 3, "Дата", "bad_date"),
        ("Продажи", 3, "Клиент", "missing_client"),
        ("Сделки", 2, "Касаний", "bad_count"),
        ("План", 2, "Месяц", "bad_setting"),
        ("Мотивация", 2, "Схема", "bad_setting"),
    ]


def test_messages_are_in_english_when_configured() -> None:
    inputs = run(Config(language="en"), sales=[SALES, sale(amount="abc"), sale(day="05.12.2026")])
    assert inputs.problems[0].message.startswith("Сумма: «abc» is not an amount")
    assert "is after the run date" in inputs.problems[1].message


def test_error_rows_of_settings_tabs_are_reported_but_not_charged_to_a_manager() -> None:
    # A bad plan cell or a repeated roster row is the owner's mistake: it is in Ошибки, but
    # the leaderboard's "rows rejected" counts only what managers log (SPEC §8).
    inputs = run(
        sales=[SALES, sale(day="33.11.2026", manager="Петров")],
        plan=[PLAN, ["2026-11", "Петров", "много", None]],
        roster=[ROSTER, ["Петров", None, None, None, None], ["Петров", None, None, None, None]],
    )
    assert [(p.tab, p.row, p.code) for p in inputs.problems if p.severity == "error"] == [
        ("Продажи", 2, "bad_date"),
        ("План", 2, "bad_setting"),
        ("Мотивация", 3, "bad_setting"),
    ]
    assert inputs.rejected.values.tolist() == [["Продажи", 2, "петров", None]]


def test_row_messages_are_in_english_when_configured() -> None:
    # Row 2: a manager spelt unlike the roster's; row 3: a negative margin (a warning).
    inputs = run(
        Config(language="en"),
        sales=[SALES, sale(manager="Иванва Анна"), sale(margin=-10)],
        roster=[ROSTER, ["Иванова Анна", None, None, None, None]],
    )
    assert [p.message for p in inputs.problems] == [
        "Manager «Иванва Анна» is not on the «Мотивация» tab. Did you mean «Иванова Анна»? Fix "
        "the name or add the manager to the «Мотивация» tab.",
        "Маржа: the margin cannot be below zero. Until fixed, the row counts without a margin.",
    ]


def test_a_header_twice_is_explained_in_english_when_configured() -> None:
    header = ["Дата", "Менеджер", "Клиент", "Сумма", "сумма"]
    inputs = run(Config(language="en"), sales=[header, ["03.11.2026", "Петров", "Лютик", 100, 9]])
    assert [p.message for p in inputs.problems] == [
        "Column «сумма» appears twice on the «Продажи» tab (D and E). The first one is read; "
        "delete or rename the second."
    ]
