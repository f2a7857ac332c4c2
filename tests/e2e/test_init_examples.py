"""Issue 20, the example-row trap: `init`'s example rows are not data. Through `cli.main` on a
local workbook made by `init` (or laid out as the old `init` made it)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from sheets_kpi.cli import main
from tests.fakes.google_env import SPREADSHEET_ID, RecordedWaits, key_file
from tests.fakes.sheets_api import FakeSheetsApi
from tests.reliability.google_cli import wire_cli_to_fake

AS_OF = "2026-11-22"
TABS = ("Продажи", "Сделки", "Активность", "План", "Мотивация", "Корректировки")
# Three payments of a manager no example names: 50 000 + 30 000 + 20 000 = 100 000 ₽ in November.
REAL_SALES = [
    [datetime(2026, 11, 3), "Борис Петров", "Лютик", 50000, None, None, None, "да"],
    [datetime(2026, 11, 10), "Борис Петров", "Василёк", 30000, None, None, None, "да"],
    [datetime(2026, 11, 20), "Борис Петров", "Лютик", 20000, None, None, None, "да"],
]


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)


def write_rows(book: Path, title: str, first_row: int, rows: list[list[object]]) -> None:
    """Type `rows` into tab `title` from sheet row `first_row` on, as a person would."""
    workbook = openpyxl.load_workbook(book)
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            workbook[title].cell(first_row + offset, column).value = value  # None clears
    workbook.save(book)


def report_of(tmp_path: Path, *args: str) -> dict:
    report = tmp_path / "report.json"
    assert main([*args, "--as-of", AS_OF, "--report", str(report)]) == 0
    return json.loads(report.read_text(encoding="utf-8"))


def test_init_then_three_sales_of_a_new_manager_checks_clean_and_counts_only_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "new.xlsx"
    assert main(["init", str(book), "--as-of", AS_OF]) == 0
    write_rows(book, "Продажи", 3, REAL_SALES)  # below the example row, which is left in place
    capsys.readouterr()

    assert main(["check", "--xlsx", str(book), "--as-of", AS_OF]) == 0
    out = capsys.readouterr().out
    assert "unknown_manager" not in out
    assert out.count("example_row") == len(TABS)

    data = report_of(tmp_path, "run", "--once", "--xlsx", str(book))
    # One example_row warning per tab, on row 2 where init wrote the example; nothing else.
    assert [(e["tab"], e["row"], e["code"], e["severity"]) for e in data["errors"]] == [
        (tab, 2, "example_row", "warning") for tab in TABS
    ]
    assert all("строка-пример" in e["message"] for e in data["errors"])
    listed = openpyxl.load_workbook(book)["Ошибки"].iter_rows(min_row=2, values_only=True)
    assert [(row[0], row[1], row[4]) for row in listed if row[0]] == [
        (tab, 2, "example_row") for tab in TABS
    ]
    # The run left every input tab as it was: the example rows are still there to delete.
    assert openpyxl.load_workbook(book)["Мотивация"]["A2"].value == "Пример: Анна Смирнова"
    # The example sale of 120 000 ₽ is not revenue: 50 000 + 30 000 + 20 000 = 100 000.
    [november] = [row for row in data["team"] if row["month"] == "2026-11"]
    assert (november["revenue"], november["payments"], november["new_clients"]) == (100000, 3, 2)
    # The example plan (300 000 ₽) is no plan, the example manager no one on the leaderboard.
    assert november["plan_revenue"] is None
    assert [row["manager"] for row in data["leaderboard"]] == ["Борис Петров"]
    assert data["funnel"] == [] and data["activity"] == []


def test_the_example_roster_row_next_to_a_real_one_is_set_aside_and_real_names_are_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "new.xlsx"
    assert main(["init", str(book), "--as-of", AS_OF]) == 0
    write_rows(book, "Мотивация", 3, [["Борис Петров", "фикс", "5000", 40000, "да"]])
    write_rows(book, "Продажи", 3, [*REAL_SALES, [datetime(2026, 11, 21), "Вера", "Мак", 10, None]])
    data = report_of(tmp_path, "run", "--once", "--xlsx", str(book))
    # The roster is Борис alone: Вера (row 6) is unknown, the example manager is not a name.
    unknown = [(e["tab"], e["row"]) for e in data["errors"] if e["code"] == "unknown_manager"]
    assert unknown == [("Продажи", 6)]
    [november] = [row for row in data["team"] if row["month"] == "2026-11"]
    assert november["revenue"] == 100000


def old_init_book(path: Path) -> Path:
    """The five tabs as `init` wrote them before issue 20 (its example rows, unmarked, dated
    2026-11-05), plus the three real sales below the example."""
    old = {
        "Продажи": (
            ["Дата", "Менеджер", "Клиент", "Сумма", "Маржа", "Канал", "Тип", "Оплачено", "ID"],
            [datetime(2026, 11, 5), "Анна Смирнова", "ООО Ромашка", 120000, 60000, "входящий",
             "новый", "да", 1],
        ),
        "Сделки": (
            ["Дата заявки", "Менеджер", "Клиент", "Канал", "Первый контакт", "Касаний",
             "Температура", "Статус", "Дата закрытия", "Сумма сделки", "Причина отказа"],
            [datetime(2026, 10, 27), "Анна Смирнова", "ООО Ромашка", "входящий",
             datetime(2026, 10, 27, 11, 30), 4, "горячий", "выиграна", datetime(2026, 11, 5),
             120000, None],
        ),
        "Мотивация": (
            ["Менеджер", "Схема", "Параметры", "Оклад", "Активен"],
            ["Анна Смирнова", "два шага", "15%; 15%; 4", 60000, "да"],
        ),
    }  # fmt: skip
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, (header, example) in old.items():
        sheet = workbook.create_sheet(title)
        sheet.append(header)
        sheet.append(example)
    for row in REAL_SALES:
        workbook["Продажи"].append(row)
    workbook.save(path)
    return path


def test_the_old_inits_unmarked_examples_are_recognised_on_sales_and_deals(
    tmp_path: Path,
) -> None:
    book = old_init_book(tmp_path / "old.xlsx")
    data = report_of(tmp_path, "run", "--once", "--xlsx", str(book))
    examples = [(e["tab"], e["row"]) for e in data["errors"] if e["code"] == "example_row"]
    assert examples == [("Продажи", 2), ("Сделки", 2)]
    # Its roster row cannot be told from a real «Анна Смирнова» (the demo has the very same),
    # so it stays the roster; the unknown_manager message says it is only the example.
    unknown = [e for e in data["errors"] if e["code"] == "unknown_manager"]
    assert [(e["tab"], e["row"]) for e in unknown] == [
        ("Продажи", 3),
        ("Продажи", 4),
        ("Продажи", 5),
    ]
    assert all("только строка-пример из `sheets-kpi init`" in e["message"] for e in unknown)
    assert all("Возможно" not in e["message"] for e in unknown)
    # Nothing is counted in November: the example sale is set aside, Борис's rows rejected.
    assert not [row for row in data["team"] if row["month"] == "2026-11"]

    # The owner deletes the roster's example row as told: Борис's three rows count, and the
    # old example sale's 120 000 ₽ still does not: 50 000 + 30 000 + 20 000 = 100 000.
    write_rows(book, "Мотивация", 2, [[None] * 5])
    data = report_of(tmp_path, "run", "--once", "--xlsx", str(book))
    assert {e["code"] for e in data["errors"]} == {"example_row"}
    [november] = [row for row in data["team"] if row["month"] == "2026-11"]
    assert november["revenue"] == 100000


def test_a_real_sale_like_the_old_example_but_one_cell_is_data(tmp_path: Path) -> None:
    book = old_init_book(tmp_path / "old.xlsx")
    workbook = openpyxl.load_workbook(book)
    workbook["Продажи"]["D2"] = 120001  # the amount differs by 1 ₽ from the old example's
    workbook.save(book)
    data = report_of(tmp_path, "run", "--once", "--xlsx", str(book))
    assert not [e for e in data["errors"] if e["code"] == "example_row" and e["tab"] == "Продажи"]
    [november] = [row for row in data["team"] if row["month"] == "2026-11"]
    # Only Анна's 120 001 ₽: the roster is Анна alone, so Борис's three rows are unknown_manager.
    assert november["revenue"] == 120001


def test_english_init_examples_are_marked_and_set_aside(tmp_path: Path) -> None:
    (tmp_path / "sheets_kpi.toml").write_text('language = "en"\n', encoding="utf-8")
    book = tmp_path / "new.xlsx"
    assert main(["init", str(book), "--as-of", AS_OF]) == 0
    assert openpyxl.load_workbook(book)["Sales"]["B2"].value == "Example: Anna Smirnova"
    write_rows(book, "Sales", 3, [[*row[:4], None, None, None, "yes"] for row in REAL_SALES])
    data = report_of(tmp_path, "run", "--once", "--xlsx", str(book))
    assert {e["code"] for e in data["errors"]} == {"example_row"}
    assert data["errors"][0]["message"].startswith("This is an example row")
    [november] = [row for row in data["team"] if row["month"] == "2026-11"]
    assert november["revenue"] == 100000


def test_init_on_google_then_check_reports_each_example_row_and_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same examples through Google's cells (dates as serial numbers, numbers as floats).
    api = FakeSheetsApi()
    key, email = key_file(api, tmp_path)
    api.create_spreadsheet(SPREADSHEET_ID, {"Лист1": []}, editors=[email])
    wire_cli_to_fake(monkeypatch, api, RecordedWaits())
    where = ["--sheet", SPREADSHEET_ID, "--credentials", str(key)]
    assert main(["init", *where, "--as-of", AS_OF]) == 0
    assert api.values(SPREADSHEET_ID, "Продажи")[1][1] == "Пример: Анна Смирнова"

    data = report_of(tmp_path, "check", *where)
    assert [(e["tab"], e["row"], e["code"]) for e in data["errors"]] == [
        (tab, 2, "example_row") for tab in TABS
    ]
    assert not [row for row in data["team"] if row["revenue"]]
