"""The rules of «Активность» (SPEC §3): the activity frame and its counts."""

from __future__ import annotations

import pandas as pd
import pytest
from validate_tables import (
    ACTIVITY,
    SALES,
    found,
    run,
)


def test_activity_rows_and_bad_counts() -> None:
    inputs = run(
        sales=[SALES],
        activity=[
            ACTIVITY,
            ["02.11.2026", "Петров", 10, 2, None, "1"],
            ["03.11.2026", "Петров", -1, 2.5, "три", None],
            ["33.11.2026", "Петров", 1, 1, 1, 1],
        ],
    )
    assert found(inputs) == [
        ("Активность", 3, "Звонки", "bad_count"),
        ("Активность", 3, "Встречи", "bad_count"),
        ("Активность", 3, "Презентации", "bad_count"),
        ("Активность", 4, "Дата", "bad_date"),
    ]
    activity = inputs.activity
    assert activity is not None
    assert activity[["calls", "meetings", "presentations", "proposals"]].values.tolist() == [
        [10, 2, pd.NA, 1]
    ]
    assert str(activity["calls"].dtype) == "Int64"
    assert activity["month"].tolist() == ["2026-11"]


def test_bad_count_message_quotes_a_whole_number_as_typed() -> None:
    # A column of numbers is read as floats; the message must still say «-2», not «-2.0».
    inputs = run(
        sales=[SALES],
        activity=[ACTIVITY, ["02.11.2026", "Петров", -2, 1, 0, 0]],
    )
    (problem,) = [p for p in inputs.problems if p.code == "bad_count"]
    assert (problem.row, problem.column, problem.value) == (2, "Звонки", "-2")
    assert "«-2» — не целое неотрицательное число" in problem.message
    assert "-2.0" not in problem.message


@pytest.mark.parametrize(
    "calls", [10**20, 10**400, 1e300, "100000000000000000000", "9" * 5000, " ".join(["999"] * 1500)]
)
def test_a_count_too_big_for_any_counter_is_a_bad_count_not_a_crash(calls: object) -> None:
    # 10**400 is beyond the float range, 10**20 beyond int64; openpyxl reads a long number
    # in a hand-made xlsx as a Python int.
    inputs = run(
        sales=[SALES],
        activity=[
            ACTIVITY,
            ["02.11.2026", "Петров", calls, 1, 0, 0],
            ["03.11.2026", "Петров", 10**9, 1, 0, 0],  # the largest count taken
        ],
    )
    (problem,) = inputs.problems
    assert (problem.row, problem.column, problem.code) == (2, "Звонки", "bad_count")
    assert "слишком большое число" in problem.message
    assert inputs.activity is not None
    assert inputs.activity["calls"].tolist() == [10**9]


def test_a_huge_float_is_quoted_as_python_writes_it_not_as_301_digits() -> None:
    inputs = run(sales=[SALES], activity=[ACTIVITY, ["02.11.2026", "Петров", 1e300, 1, 0, 0]])
    (problem,) = inputs.problems
    assert problem.value == "1e+300"
    assert "«1e+300»" in problem.message
