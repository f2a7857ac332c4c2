"""The rules of «План» (SPEC §3): the plan frame, bad_setting naming the cell."""

from __future__ import annotations

from datetime import date

import pandas as pd
from validate_tables import (
    PLAN,
    ROSTER,
    SALES,
    found,
    run,
)

from sheets_kpi.core.settings import Config

# --- План ---------------------------------------------------------------------------------------


def test_plan_rows_become_the_plan_frame() -> None:
    inputs = run(
        sales=[SALES],
        plan=[
            PLAN,
            ["ноябрь 2026", "Иванова Анна", "300 000", 3],
            ["11.2026", None, 900000, None],
            [date(2026, 12, 15), "иванова анна", None, 0],
        ],
    )
    assert inputs.problems == []
    plan = inputs.plan
    assert list(plan.columns) == [
        "row", "month", "manager_key", "manager", "plan_revenue_kop", "plan_new_clients",
    ]  # fmt: skip
    assert plan["month"].tolist() == ["2026-11", "2026-11", "2026-12"]
    assert plan["manager_key"].tolist() == ["иванова анна", None, "иванова анна"]
    assert plan["manager"].tolist() == ["Иванова Анна", None, "Иванова Анна"]
    assert plan["plan_revenue_kop"].tolist() == [30_000_000, 90_000_000, pd.NA]
    assert plan["plan_new_clients"].tolist() == [3, pd.NA, 0]


def test_bad_plan_cells_are_bad_settings_naming_the_cell() -> None:
    inputs = run(
        sales=[SALES],
        plan=[
            PLAN,
            ["13.2026", "Петров", 1000, None],
            ["2026-11", "Петров", "много", None],
            ["2026-11", "Сидоров", 0, None],
            ["2026-11", "Сидоров", 1000, 2.5],
            [None, "Петров", 1000, None],
        ],
    )
    assert found(inputs) == [
        ("План", 2, "Месяц", "bad_setting"),
        ("План", 3, "План выручки", "bad_setting"),
        ("План", 4, "План выручки", "bad_setting"),
        ("План", 5, "План новых клиентов", "bad_setting"),
        ("План", 6, "Месяц", "bad_setting"),
    ]
    assert inputs.problems[0].message.startswith("Ячейка План!A2: ")
    assert inputs.plan.empty


def test_the_same_manager_and_month_twice_rejects_the_later_plan_row() -> None:
    inputs = run(
        sales=[SALES],
        plan=[
            PLAN,
            ["2026-11", "Петров", 1000, None],
            ["ноябрь 2026", "петров", 2000, None],
            ["2026-11", None, 5000, None],
            ["2026-11", "", 6000, None],
        ],
    )
    assert found(inputs) == [
        ("План", 3, "Менеджер", "bad_setting"),
        ("План", 5, "Менеджер", "bad_setting"),
    ]
    assert "строке 2" in inputs.problems[0].message
    assert "всей команды" in inputs.problems[1].message
    assert inputs.plan["plan_revenue_kop"].tolist() == [100_000, 500_000]


def test_plan_for_someone_outside_the_roster_is_unknown_manager() -> None:
    inputs = run(
        sales=[SALES],
        plan=[PLAN, ["2026-11", "Петорв", 1000, None]],
        roster=[ROSTER, ["Петров", None, None, None, None]],
    )
    assert found(inputs) == [("План", 2, "Менеджер", "unknown_manager")]


def test_plan_settings_are_explained_in_english_when_configured() -> None:
    # Row 3 (a zero plan) has an error, so Петров's first usable November row is 5: row 6
    # repeats it; row 8 repeats the team's row 7.
    inputs = run(
        Config(language="en"),
        sales=[SALES],
        plan=[
            PLAN,
            ["1999-12", "Петров", 1000, None],
            ["2026-11", "Петров", 0, None],
            [None, "Петров", 1000, None],
            ["2026-11", "Петров", 1000, None],
            ["ноябрь 2026", "петров", 2000, None],
            ["2026-11", None, 5000, None],
            ["2026-11", None, 6000, None],
        ],
    )
    assert [(p.row, p.column, p.message) for p in inputs.problems] == [
        (2, "Месяц", "Cell План!A2: before 2000."),
        (
            3,
            "План выручки",
            "Cell План!C3: the plan must be above zero; leave the cell empty when there is no "
            "plan.",
        ),
        (4, "Месяц", "Cell План!A4: fill in «Месяц»."),
        (
            6,
            "Менеджер",
            "Cell План!B6: the 2026-11 plan for «Петров» is already in row 5. Keep one row.",
        ),
        (
            8,
            "Менеджер",
            "Cell План!B8: the 2026-11 plan for the team is already in row 7. Keep one row.",
        ),
    ]
    assert {p.code for p in inputs.problems} == {"bad_setting"}
    assert inputs.plan["row"].tolist() == [5, 7]


def test_a_repeated_team_plan_is_explained_in_russian() -> None:
    inputs = run(
        sales=[SALES],
        plan=[PLAN, ["2026-11", None, 5000, None], ["2026-11", " ", 6000, None]],
    )
    assert [p.message for p in inputs.problems] == [
        "Ячейка План!B3: план на 2026-11 для всей команды уже задан в строке 2. "
        "Оставьте одну строку."
    ]
