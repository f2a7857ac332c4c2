"""SPEC §15 end to end through `cli.main`: `init` adds the new `Мотивация` columns with their
formats and drop-downs on both backends, and a run on a small workbook with versions, a leaver
and a trial scheme gives the report's items and `trial`."""

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
ROSTER = [
    "Менеджер", "Схема", "Параметры", "Оклад", "Активен",
    "Действует с", "Работает до", "Пробная схема", "Пробные параметры",
]  # fmt: skip
SALES = ["Дата", "Менеджер", "Клиент", "Сумма", "Маржа", "Канал", "Тип", "Оплачено"]
SCHEMES = ["уровни", "два шага", "маржа", "фикс"]


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)


def test_init_adds_the_new_roster_columns_with_a_date_format_and_a_scheme_list(
    tmp_path: Path,
) -> None:
    book = tmp_path / "new.xlsx"
    assert main(["init", str(book), "--as-of", AS_OF]) == 0
    roster = openpyxl.load_workbook(book)["Мотивация"]
    assert [cell.value for cell in roster[1]] == ROSTER
    assert roster["G2"].number_format == "DD.MM.YYYY"  # Работает до: a date
    lists = {str(v.sqref): v.formula1 for v in roster.data_validations.dataValidation}
    # Схема (B) and Пробная схема (H) offer the same four schemes
    assert lists["B2:B1000"] == lists["H2:H1000"] == '"' + ",".join(SCHEMES) + '"'


def test_init_on_google_adds_the_same_columns_formats_and_lists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = FakeSheetsApi()
    key, email = key_file(api, tmp_path)
    api.create_spreadsheet(SPREADSHEET_ID, {"Лист1": []}, editors=[email])
    wire_cli_to_fake(monkeypatch, api, RecordedWaits())
    assert main(["init", "--sheet", SPREADSHEET_ID, "--credentials", str(key)]) == 0
    assert api.values(SPREADSHEET_ID, "Мотивация")[0] == ROSTER
    cells = api.sheet(SPREADSHEET_ID, "Мотивация").cells
    assert cells[(1, 6)]["userEnteredFormat"]["numberFormat"]["type"] == "DATE"  # G2
    trial_list = cells[(1, 7)]["dataValidation"]["condition"]  # H2
    assert [value["userEnteredValue"] for value in trial_list["values"]] == SCHEMES


def make_book(path: Path, roster: list[list[object]], sales: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Продажи"
    for row in [SALES, *sales]:
        sheet.append(row)
    tab = workbook.create_sheet("Мотивация")
    for row in [ROSTER, *roster]:
        tab.append(row)
    workbook.save(path)
    return path


def report_of(tmp_path: Path, book: Path, *config: str) -> dict:
    report = tmp_path / "report.json"
    args = ["run", "--once", "--xlsx", str(book), "--as-of", AS_OF, "--report", str(report)]
    assert main([*args, *config]) == 0
    return json.loads(report.read_text(encoding="utf-8"))


def test_a_run_with_a_scheme_change_a_leaver_and_a_trial_scheme(tmp_path: Path) -> None:
    # Анна: «уровни» until 2026-11, then «два шага» 10 %; 10 %; 2; trial «фикс» 2 000 for all.
    # Борис: «два шага» 15 %; 15 %; 2, works until 30.09.2026.
    # Ромашка (Анна) 162 000 in 09 → tier 2 = 35 000; trial 2 000.
    # Мак (Борис) 100 000 in 09 → step 1 = 15 000; paid to Анна in 10 → step 2 of 15 000
    #   accrues after his leaving: nobody, 0.
    # Лютик (Анна) 50 000 in 11 → step 1 of the November version: 10 % × 50 000 = 5 000;
    #   trial 2 000.
    roster = [
        ["Анна", "уровни", None, None, None, None, None, "фикс", "2000; все"],
        ["Анна", "два шага", "10%; 10%; 2", None, None, "2026-11", None, "фикс", "2000; все"],
        ["Борис", "два шага", "15%; 15%; 2", None, None, None, datetime(2026, 9, 30)],
    ]
    sales = [
        [datetime(2026, 9, 5), "Анна", "Ромашка", 162000, None, None, None, "да"],
        [datetime(2026, 9, 10), "Борис", "Мак", 100000, None, None, None, "да"],
        [datetime(2026, 10, 10), "Анна", "Мак", 40000, None, None, None, "да"],
        [datetime(2026, 11, 3), "Анна", "Лютик", 50000, None, None, None, "да"],
    ]
    book = make_book(tmp_path / "book.xlsx", roster, sales)
    data = report_of(tmp_path, book)
    assert data["errors"] == []
    items = [
        (i["month"], i["manager"], i["client"], i["step"], i["amount"], i["withheld"])
        for i in data["bonus_items"]
    ]
    nobody = "Работает до 2026-09-30: шаг 2 не начисляется (after_leaving = nobody)"
    assert items == [
        ("2026-09", "Анна", "Ромашка", 1, 35000, None),
        ("2026-09", "Борис", "Мак", 1, 15000, None),
        ("2026-10", "Борис", "Мак", 2, 0, nobody),
        ("2026-11", "Анна", "Лютик", 1, 5000, None),
    ]
    assert data["bonus_items"][0]["explain"].startswith("схема до 2026-11 «уровни»: уровень 2")
    assert data["bonus_items"][3]["explain"].startswith("схема с 2026-11 «два шага»: шаг 1")
    assert data["trial"] == [
        {"month": "2026-09", "manager": "Анна", "paid": 35000, "trial": 2000},
        {"month": "2026-11", "manager": "Анна", "paid": 5000, "trial": 2000},
    ]
    # Мак was paid by Борис and Анна, but Борис has left: no shared_client alert
    assert "shared_client" not in [alert["kind"] for alert in data["alerts"]]
    # run never writes an input tab
    assert [c.value for c in openpyxl.load_workbook(book)["Мотивация"][1]] == ROSTER


def test_after_leaving_current_manager_in_the_config_hands_the_item_over(tmp_path: Path) -> None:
    # As above for Мак: step 2 = 15 % × 100 000 = 15 000 in 10, now Анна's (her last payment).
    (tmp_path / "sheets_kpi.toml").write_text(
        '[bonus]\nafter_leaving = "current_manager"\n', encoding="utf-8"
    )
    roster = [
        ["Анна", "фикс", "1000"],
        ["Борис", "два шага", "15%; 15%; 2", None, None, None, datetime(2026, 9, 30)],
    ]
    sales = [
        [datetime(2026, 9, 10), "Борис", "Мак", 100000, None, None, None, "да"],
        [datetime(2026, 10, 10), "Анна", "Мак", 40000, None, None, None, "да"],
    ]
    book = make_book(tmp_path / "book.xlsx", roster, sales)
    data = report_of(tmp_path, book, "--config", str(tmp_path / "sheets_kpi.toml"))
    [october] = [i for i in data["bonus_items"] if i["month"] == "2026-10"]
    assert (october["manager"], october["amount"], october["withheld"]) == ("Анна", 15000, None)
    assert october["explain"].startswith("перешёл от менеджера Борис (работал до 2026-09-30)")
    bonus = {(row["month"], row["manager"]): row["bonus"] for row in data["monthly"]}
    assert bonus[("2026-10", "Анна")] == 15000
