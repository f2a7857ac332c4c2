"""The SPEC §14/§15 owner outputs written by both backends: «К выплате» on Сводка, the §14 lines
on Бонусы and the Пробная схема tab (protected; rewritten with a note once the trial is
removed), from hand-built Results (`tests/unit/payout_results.py`, worked totals there); and
«К выплате» from a real run through the command line."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from sheets_kpi.backends.gsheets.requests import PROTECTION_MARKER
from sheets_kpi.backends.xlsx import XlsxBackend
from sheets_kpi.cli import main
from sheets_kpi.core.output.render import render
from sheets_kpi.core.settings import Config
from tests.fakes.google_env import SPREADSHEET_ID, backend_on_fake
from tests.fakes.sheets_api import FakeSheetsApi
from tests.unit.payout_results import result, trial_frame

RUN_AT = datetime(2026, 11, 22, 9, 30)
SALES = [["Дата", "Менеджер", "Клиент", "Сумма"], ["02.11.2026", "Анна", "Ромашка", 100000]]
REMOVED_NOTE = (
    "Пробная схема сейчас не задана ни одному менеджеру (столбец «Пробная схема» вкладки "
    "«Мотивация»). Задайте её, и сравнение появится здесь снова."
)
# Анна's totals and all trial managers' over 3 and 12 complete months (payout_results)
ANNA_TOTALS = [50000, 55000.25, 5000.25, 60000, 67000.25, 7000.25]
TRIAL_TOTALS = [50000, 63000.25, 13000.25, 60000, 75000.25, 15000.25]


def _rows(sheet: openpyxl.worksheet.worksheet.Worksheet) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _find_row(rows: list[list[object]], first: object) -> int:
    return next(index for index, row in enumerate(rows) if row and row[0] == first)


def _xlsx_cycle(book: Path, trial: bool) -> None:
    """One run as the pipeline makes it: read the titles, render, write."""
    backend = XlsxBackend(book)
    titles = backend.read(lambda title: title == "Продажи").titles
    made = result(trial=trial_frame() if trial else None)
    backend.write(render(made, Config(), RUN_AT, titles=titles))


def test_xlsx_writes_the_trial_tab_protected_and_the_payout_blocks(tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "Продажи"
    for row in SALES:
        workbook.active.append(row)
    workbook.save(book)

    _xlsx_cycle(book, trial=True)

    saved = openpyxl.load_workbook(book)
    assert saved.sheetnames[-1] == "Пробная схема"
    trial = saved["Пробная схема"]
    assert trial.protection.sheet and not trial.protection.password
    rows = _rows(trial)
    assert rows[6][:7] == ["Анна", *ANNA_TOTALS]
    assert rows[8][:7] == ["Итого", *TRIAL_TOTALS]
    assert trial.cell(7, 2).number_format == '#,##0 "₽"'
    # Сводка: Анна 28 000,50 to pay, Борис −2 000, the team 26 000,50
    summary = _rows(saved["Сводка"])
    block = _find_row(summary, "К выплате за ноябрь 2026: из чего складывается")
    assert summary[block + 2][:6] == ["Анна", 40000.5, -10000, 3000, -5000, 28000.5]
    assert summary[block + 4][:6] == ["Команда", 40000.5, -10000, 1000, -5000, 26000.5]
    assert saved["Сводка"].cell(block + 4, 6).value == -2000  # F of Борис (1-based row)
    # Бонусы: the correction names October, no step; Борис's November total is negative
    bonuses = _rows(saved["Бонусы"])
    correction = next(row for row in bonuses if row[4] == "пересчёт за 2026-10")
    assert correction[2] == -10000 and correction[5] is None
    assert ["Борис", "2026-11", -2000, "Итого за месяц"] in [row[:4] for row in bonuses]

    _xlsx_cycle(book, trial=False)  # the trial scheme removed from Мотивация

    rows = _rows(openpyxl.load_workbook(book)["Пробная схема"])
    assert rows[2][0] == REMOVED_NOTE
    assert len(rows) == 3  # the old figures are gone


def test_xlsx_without_a_trial_gets_no_trial_tab(tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "Продажи"
    workbook.save(book)
    _xlsx_cycle(book, trial=False)
    assert "Пробная схема" not in openpyxl.load_workbook(book).sheetnames


def test_google_writes_the_trial_tab_in_the_same_two_requests_per_cycle(
    tmp_path: Path,
) -> None:
    api = FakeSheetsApi()
    backend, _email = backend_on_fake(api, tmp_path, {"Продажи": SALES})

    def cycle(trial: object) -> None:
        titles = backend.read(lambda title: title == "Продажи").titles
        made = result(trial=trial)  # type: ignore[arg-type]
        backend.write(render(made, Config(), RUN_AT, titles=titles))

    cycle(None)  # before any trial: 2 requests, no trial tab
    assert api.count() == 2
    assert "Пробная схема" not in [sheet.title for sheet in api.book(SPREADSHEET_ID).sheets]

    cycle(trial_frame())  # the tab is added within the same read + batchUpdate
    assert api.count() == 4
    assert api.count("batchUpdate") == 2
    sheet = api.sheet(SPREADSHEET_ID, "Пробная схема")
    assert [item["description"] for item in sheet.protected_ranges] == [PROTECTION_MARKER]
    values = api.values(SPREADSHEET_ID, "Пробная схема")
    assert values[6][:7] == ["Анна", *ANNA_TOTALS]

    changed = trial_frame()
    changed.loc[changed["month"] == "2026-10", "trial"] = 30000.25  # Анна's 3 months: −4 999,75
    cycle(changed)
    assert api.count() == 6
    assert api.values(SPREADSHEET_ID, "Пробная схема")[6][3] == pytest.approx(-4999.75)

    cycle(None)  # the trial removed: the tab says so, still 2 requests
    assert api.count() == 8
    values = api.values(SPREADSHEET_ID, "Пробная схема")
    assert values[2][0] == REMOVED_NOTE and len(values) == 3
    assert len(api.sheet(SPREADSHEET_ID, "Пробная схема").protected_ranges) == 1


def test_cli_run_shows_the_scheme_bonuses_to_pay(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    book = tmp_path / "book.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "Продажи"
    workbook.active.append(["Дата", "Менеджер", "Клиент", "Сумма"])
    # default tiers: Ромашка's month-1 check 162 000 ≥ 150 000 → 35 000; Лютик's
    # 120 000 ≥ 100 000 → 25 000; both first paid in November, so both are November's
    for row in (
        ["05.11.2026", "Анна Смирнова", "Ромашка", 162000],
        ["03.11.2026", "Борис Петров", "Лютик", 120000],
    ):
        workbook.active.append(row)
    workbook.save(book)

    assert main(["run", "--once", "--xlsx", str(book), "--as-of", "2026-11-22"]) == 0

    saved = openpyxl.load_workbook(book)
    assert "Пробная схема" not in saved.sheetnames
    summary = _rows(saved["Сводка"])
    block = _find_row(summary, "К выплате за ноябрь 2026: из чего складывается")
    assert [row[:6] for row in summary[block + 1 : block + 5]] == [
        ["Менеджер", "По схемам", "Пересчёты", "Корректировки", "Возвраты", "К выплате"],
        ["Анна Смирнова", 35000, 0, 0, 0, 35000],
        ["Борис Петров", 25000, 0, 0, 0, 25000],
        ["Команда", 60000, 0, 0, 0, 60000],
    ]
    assert summary[4][9] == "К выплате за ноябрь 2026"  # J5, beside the team block
    assert summary[6][9:12] == ["Анна Смирнова", None, 35000]
