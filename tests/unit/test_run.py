"""core/run.py: the decisions of one run made without I/O (what pipeline.py used to decide)."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pandas as pd

from sheets_kpi.core.model import Problem, RawTab, RawWorkbook
from sheets_kpi.core.output.report import to_json
from sheets_kpi.core.run import (
    config_problem,
    fatal_plans,
    fatal_result,
    input_fingerprint,
    plan_pct,
    sort_problems,
)
from sheets_kpi.core.settings import Config

AS_OF = date(2026, 11, 22)
RUN_AT = datetime(2026, 11, 22, 9, 30, tzinfo=ZoneInfo("Europe/Moscow"))


def problem(tab: str, row: int | None, code: str) -> Problem:
    return Problem(tab, row, None, None, code, "error", "")


def test_problems_sort_by_input_tab_then_row_tab_level_first() -> None:
    problems = [
        problem("План", 3, "bad_setting"),
        problem("Продажи", 7, "bad_date"),
        problem("Мотивация", 2, "bad_setting"),
        problem("Продажи", None, "missing_column"),
        problem("Продажи", 3, "bad_amount"),
        problem("Продажи", 3, "bad_date"),  # same row: the order found is kept
    ]
    ordered = [(p.tab, p.row, p.code) for p in sort_problems(problems, Config())]
    assert ordered == [
        ("Продажи", None, "missing_column"),
        ("Продажи", 3, "bad_amount"),
        ("Продажи", 3, "bad_date"),
        ("Продажи", 7, "bad_date"),
        ("План", 3, "bad_setting"),
        ("Мотивация", 2, "bad_setting"),
    ]


def test_problems_of_a_tab_that_is_no_input_tab_come_last() -> None:
    # the config file's problem names the file, not an input tab: after every input tab
    problems = [config_problem("sheets_kpi.toml", "bad"), problem("Мотивация", 2, "bad_setting")]
    ordered = [p.tab for p in sort_problems(problems, Config())]
    assert ordered == ["Мотивация", "sheets_kpi.toml"]


def test_plan_pct_keeps_only_the_months_with_a_plan() -> None:
    # Анна had a plan in October (80 %) but none in November; Борис 125 % in November
    monthly = pd.DataFrame(
        {
            "manager_key": ["анна", "анна", "борис"],
            "month": ["2026-10", "2026-11", "2026-11"],
            "plan_pct": [0.8, float("nan"), 1.25],
        }
    )
    assert plan_pct(monthly) == {("анна", "2026-10"): 0.8, ("борис", "2026-11"): 1.25}


def test_config_problem_is_one_tab_level_error_naming_the_file() -> None:
    found = config_problem("sheets_kpi.toml", "В [bonus] ставка 150 % больше 100 %.")
    assert (found.tab, found.row, found.column, found.code, found.severity) == (
        "sheets_kpi.toml",
        None,
        None,
        "bad_setting",
        "error",
    )
    assert found.message == "В [bonus] ставка 150 % больше 100 %."


def test_fatal_plans_write_the_banner_and_errors_only() -> None:
    problems = [config_problem("sheets_kpi.toml", "Ставка больше 100 %.")]
    plans = fatal_plans(problems, Config(), RUN_AT, AS_OF, titles=["Продажи", "Сводка"])
    assert [(plan.key, plan.mode) for plan in plans] == [
        ("summary", "banner"),
        ("errors", "replace"),
    ]


def test_fatal_banner_speaks_of_earlier_figures_only_when_summary_exists() -> None:
    problems = [config_problem("sheets_kpi.toml", "Ставка больше 100 %.")]

    def banner(titles: list[str]) -> str:
        plans = fatal_plans(problems, Config(), RUN_AT, AS_OF, titles=titles)
        return str(plans[0].rows[0][0].value)

    assert "последнего успешного" in banner(["Продажи", "Сводка"])
    assert banner(["Продажи"]).startswith("⚠ Посчитать не удалось")
    assert "последнего успешного" not in banner(["Продажи"])


def test_fatal_result_carries_only_the_problems() -> None:
    problems = (config_problem("sheets_kpi.toml", "Ставка больше 100 %."),)
    result = fatal_result(problems, Config(), AS_OF)
    assert result.fatal and result.problems == problems
    assert result.month == "2026-11" and not result.bonus_items
    assert result.monthly.empty and result.leaderboard.empty
    report = json.loads(to_json(result))
    assert report["monthly"] == [] and report["bonus_items"] == []
    assert [item["code"] for item in report["errors"]] == ["bad_setting"]


def workbook(amount: str) -> RawWorkbook:
    rows = [["Дата", "Менеджер", "Клиент", "Сумма"], ["01.11.2026", "Анна", "Ромашка", amount]]
    return RawWorkbook(("Продажи",), {"Продажи": RawTab("Продажи", rows)})


def test_fingerprint_changes_with_a_cell_the_month_or_the_config_not_the_day() -> None:
    same = input_fingerprint(workbook("100"), Config(), AS_OF)
    assert input_fingerprint(workbook("100"), Config(), date(2026, 11, 30)) == same
    assert input_fingerprint(workbook("101"), Config(), AS_OF) != same
    assert input_fingerprint(workbook("100"), Config(), date(2026, 12, 1)) != same
    assert input_fingerprint(workbook("100"), Config(language="en"), AS_OF) != same
