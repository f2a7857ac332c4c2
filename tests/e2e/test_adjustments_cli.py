"""`Корректировки` (SPEC §14 adjustments) through the command line on a local workbook: init
creates the tab, check reports its bad rows, run pays its rows and never touches the tab."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from sheets_kpi.cli import main

AS_OF = "2026-11-22"
SALES_HEADER = ["Дата", "Менеджер", "Клиент", "Сумма"]
ADJUSTMENTS_HEADER = ["Месяц", "Менеджер", "Сумма", "Причина", "Клиент", "ID"]
# Default tiers: Анна's Ромашка 162 000 in October → 35 000; Борис's Лютик 120 000 → 25 000.
SALES = [
    ["05.10.2026", "Анна Смирнова", "Ромашка", "162 000"],
    ["03.11.2026", "Борис Петров", "Лютик", "120000"],
]
# Анна's October: 35 000 − 50 000 = −15 000; Вера (no sales) November: +5 000;
# team: October −15 000, November 25 000 + 5 000 = 30 000.
ADJUSTMENTS = [
    ["2026-10", "анна смирнова", "-50 000", "штраф: сорван срок", "Ромашка", None],
    ["ноябрь 2026", "Вера", 5000, "премия за отзыв", None, None],
]


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)


def make_workbook(path: Path, adjustments: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sales = workbook.active
    sales.title = "Продажи"
    for row in [SALES_HEADER, *SALES]:
        sales.append(row)
    tab = workbook.create_sheet("Корректировки")
    for row in [ADJUSTMENTS_HEADER, *adjustments]:
        tab.append(row)
    workbook.save(path)
    return path


def tab_values(path: Path, title: str) -> list[tuple[object, ...]]:
    return list(openpyxl.load_workbook(path)[title].iter_rows(values_only=True))


def test_run_pays_the_adjustments_and_leaves_the_tab_as_it_was(tmp_path: Path) -> None:
    book = make_workbook(tmp_path / "book.xlsx", ADJUSTMENTS)
    before = tab_values(book, "Корректировки")
    report = tmp_path / "report.json"
    args = ["run", "--once", "--xlsx", str(book), "--as-of", AS_OF, "--report", str(report)]
    assert main(args) == 0
    assert tab_values(book, "Корректировки") == before
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["errors"] == []
    monthly = {(row["month"], row["manager"]): row["bonus"] for row in data["monthly"]}
    assert monthly == {
        ("2026-10", "Анна Смирнова"): -15000,
        ("2026-11", "Борис Петров"): 25000,
        ("2026-11", "Вера"): 5000,
    }
    assert {row["month"]: row["bonus"] for row in data["team"]} == {
        "2026-10": -15000,
        "2026-11": 30000,
    }
    adjustments = [
        (item["manager"], item["amount"], item["step"], item["explain"])
        for item in data["bonus_items"]
        if item["scheme"] == "adjustment"
    ]
    assert adjustments == [
        ("Анна Смирнова", -50000, None, "корректировка, строка 2: штраф: сорван срок"),
        ("Вера", 5000, None, "корректировка, строка 3: премия за отзыв"),
    ]
    # Бонусы lists the penalty beside the scheme line, and the month's total is negative
    bonuses = tab_values(book, "Бонусы")
    penalty = [row for row in bonuses if "корректировка, строка 2: штраф: сорван срок" in row]
    assert len(penalty) == 1 and -50000 in penalty[0]
    totals = [row for row in bonuses if row[:2] == ("Анна Смирнова", "2026-10") and -15000 in row]
    assert totals  # «Итого за месяц» of Анна's October
    # a second run gives the same report, byte for byte
    second = tmp_path / "second.json"
    args = ["run", "--once", "--xlsx", str(book), "--as-of", AS_OF, "--report", str(second)]
    assert main(args) == 0
    assert second.read_bytes() == report.read_bytes()


def test_check_reports_each_bad_adjustment_row_and_exits_1(tmp_path: Path) -> None:
    book = make_workbook(
        tmp_path / "book.xlsx",
        [
            *ADJUSTMENTS,
            ["2026-10", "Борис Петров", 0, "премия", None, None],  # row 4: zero
            ["2026-10", "Борис Петров", 300, None, None, None],  # row 5: no reason
            ["2027-01", "Борис Петров", 300, "премия", None, None],  # row 6: future month
        ],
    )
    report = tmp_path / "check.json"
    assert main(["check", "--xlsx", str(book), "--as-of", AS_OF, "--report", str(report)]) == 1
    errors = json.loads(report.read_text(encoding="utf-8"))["errors"]
    assert [(e["tab"], e["row"], e["column"], e["code"]) for e in errors] == [
        ("Корректировки", 4, "Сумма", "zero_amount"),
        ("Корректировки", 5, "Причина", "missing_reason"),
        ("Корректировки", 6, "Месяц", "future_date"),
    ]
    assert all(error["message"] for error in errors)


def test_init_creates_the_adjustments_tab_with_formats_and_not_the_closed_months_tab(
    tmp_path: Path,
) -> None:
    book = tmp_path / "new.xlsx"
    assert main(["init", str(book), "--as-of", AS_OF]) == 0
    workbook = openpyxl.load_workbook(book)
    assert "Закрытые месяцы" not in workbook.sheetnames
    sheet = workbook["Корректировки"]
    assert [cell.value for cell in sheet[1]] == ADJUSTMENTS_HEADER
    assert sheet.freeze_panes == "A2"
    # the example row: a penalty in November, marked as an example by its manager
    example = [cell.value for cell in sheet[2]]
    assert example[1] == "Пример: Анна Смирнова" and example[2] == -5000
    # Месяц shows a month, Сумма money, on the rows people add too
    assert sheet["A2"].number_format == sheet["A50"].number_format == "MM.YYYY"
    assert sheet["C2"].number_format == sheet["C50"].number_format == '#,##0.00 "₽"'
    # Сумма: a number other than 0 expected (a warning, never a refusal)
    [rule] = sheet.data_validations.dataValidation
    assert (rule.type, rule.operator, rule.formula1) == ("decimal", "notEqual", "0")
    assert str(rule.sqref) == "C2:C1000" and rule.errorStyle == "warning"
    assert rule.error == "Сумма не 0: премия — плюс (5 000), штраф — минус (-5 000)."
    # the example is set aside: check finds nothing else (exit 0)
    assert main(["check", "--xlsx", str(book), "--as-of", AS_OF]) == 0
