"""The rules of «Мотивация» (SPEC §3, §5): the roster frame, bad_setting naming the cell."""

from __future__ import annotations

import pandas as pd
from validate_tables import (
    ROSTER,
    SALES,
    found,
    run,
    sale,
)

from sheets_kpi.core.settings import Config, TiersScheme, TwoStepScheme

# --- Мотивация ----------------------------------------------------------------------------------


def test_roster_rows_become_the_roster_frame() -> None:
    inputs = run(
        sales=[SALES, sale(manager="иванова анна")],
        roster=[
            ROSTER,
            ["Иванова Анна", "два шага", "10%; 5%; 3", "50 000", "да"],
            ["Петров", None, None, None, "нет"],
        ],
    )
    assert inputs.problems == []
    roster = inputs.roster
    assert roster["manager"].tolist() == ["Иванова Анна", "Петров"]
    assert roster["manager_key"].tolist() == ["иванова анна", "петров"]
    assert isinstance(roster["scheme"][0], TwoStepScheme)
    assert isinstance(roster["scheme"][1], TiersScheme)  # empty cell = the config's default
    assert roster["salary_kop"].tolist() == [5_000_000, pd.NA]
    assert roster["active"].tolist() == [True, False]
    assert inputs.sales["manager"].tolist() == ["Иванова Анна"]


def test_bad_scheme_is_a_bad_setting_naming_the_cell_and_the_manager_stays() -> None:
    inputs = run(
        sales=[SALES, sale(manager="Петров")],
        roster=[
            ROSTER,
            ["Иванова Анна", None, None, None, None],
            ["Петров", "премия", None, None, None],
        ],
    )
    assert found(inputs) == [("Мотивация", 3, "Схема", "bad_setting")]
    assert inputs.problems[0].message.startswith("Ячейка Мотивация!B3: ")
    assert inputs.roster["scheme"].tolist()[1] is None
    assert len(inputs.sales) == 1  # Петров's sale is still valid


def test_bad_parameters_name_the_parameters_cell() -> None:
    inputs = run(sales=[SALES], roster=[ROSTER, ["Петров", "уровни", "много", None, None]])
    assert found(inputs) == [("Мотивация", 2, "Параметры", "bad_setting")]
    assert "Мотивация!C2" in inputs.problems[0].message


def test_same_manager_twice_in_the_roster_rejects_the_later_row() -> None:
    inputs = run(
        sales=[SALES],
        roster=[ROSTER, ["Петров", None, None, 1000, None], ["ПЕТРОВ", "фикс", None, 2000, None]],
    )
    assert found(inputs) == [("Мотивация", 3, "Менеджер", "bad_setting")]
    assert "строке 2" in inputs.problems[0].message
    assert inputs.roster["salary_kop"].tolist() == [100_000]


def test_bad_salary_and_bad_active_flag() -> None:
    inputs = run(
        sales=[SALES],
        roster=[
            ROSTER,
            ["Петров", None, None, "много", "может"],
            ["Сидоров", None, None, -1, None],
        ],
    )
    assert found(inputs) == [
        ("Мотивация", 2, "Оклад", "bad_setting"),
        ("Мотивация", 2, "Активен", "bad_value"),
        ("Мотивация", 3, "Оклад", "bad_setting"),
    ]
    assert inputs.roster["salary_kop"].tolist() == [pd.NA, pd.NA]
    assert inputs.roster["active"].tolist() == [True, True]


def test_roster_settings_are_explained_in_english_when_configured() -> None:
    # D2 is a salary below zero; A3 repeats row 2's manager (the roster's form is «Петров»).
    inputs = run(
        Config(language="en"),
        sales=[SALES],
        roster=[ROSTER, ["Петров", None, None, -1, None], ["петров", None, None, None, None]],
    )
    assert [(p.row, p.column, p.code, p.message) for p in inputs.problems] == [
        (2, "Оклад", "bad_setting", "Cell Мотивация!D2: salary below zero."),
        (
            3,
            "Менеджер",
            "bad_setting",
            "Cell Мотивация!A3: manager «Петров» is already in row 2. Keep one row per manager.",
        ),
    ]
