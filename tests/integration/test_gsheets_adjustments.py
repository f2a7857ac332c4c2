"""`Корректировки` (SPEC §14 adjustments) on the fake Google spreadsheet: read within the one
read of a cycle (request counts unchanged), part of the change fingerprint, created by init."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sheets_kpi.backends.gsheets.requests import serial_date
from sheets_kpi.core.model import ADJUSTMENT
from sheets_kpi.core.output.initplan import input_tab_inits
from sheets_kpi.core.settings import Config
from sheets_kpi.pipeline import run_once
from tests.fakes.google_env import SPREADSHEET_ID, backend_on_fake
from tests.fakes.sheets_api import FakeSheetsApi, python_cell

AS_OF = date(2026, 11, 22)
RUN_AT = datetime(2026, 11, 22, 9, 30, tzinfo=ZoneInfo("Europe/Moscow"))
# Default tiers: Анна's Ромашка 162 000 in October → 35 000.
SALES = [
    ["Дата", "Менеджер", "Клиент", "Сумма"],
    [serial_date(date(2026, 10, 5)), "Анна", "Ромашка", 162000],
]
# Анна's October: 35 000 − 50 000 = −15 000 (a month may be negative). The month is a date
# serial, as Google holds a month typed into a cell formatted as a month.
ADJUSTMENTS = [
    ["Месяц", "Менеджер", "Сумма", "Причина"],
    [serial_date(date(2026, 10, 1)), "Анна", -50000, "штраф"],
]


def anna_october(outcome) -> float:
    monthly = outcome.result.monthly
    [bonus] = monthly.loc[monthly["month"] == "2026-10", "bonus"].tolist()
    return bonus


def test_the_tab_is_read_in_the_one_read_and_is_part_of_the_fingerprint(
    tmp_path: Path,
) -> None:
    api = FakeSheetsApi()
    tabs = {"Продажи": SALES, "Корректировки": ADJUSTMENTS}
    backend, _ = backend_on_fake(api, tmp_path, tabs)
    before = api.snapshot(SPREADSHEET_ID, "Корректировки")

    first = run_once(backend, Config(), AS_OF, RUN_AT)
    # the first cycle: one spreadsheets.get (every tab's cells) and one batchUpdate
    assert api.count("get") == 1 and api.count("batchUpdate") == 1 and api.count() == 2
    assert [item.amount for item in first.result.bonus_items if item.scheme == ADJUSTMENT] == [
        -50000
    ]
    assert anna_october(first) == -15000.0
    assert api.snapshot(SPREADSHEET_ID, "Корректировки") == before  # an input tab: untouched

    api.reset_counts()
    unchanged = run_once(backend, Config(), AS_OF, RUN_AT, skip_if=first.fingerprint)
    assert unchanged.unchanged
    assert api.count("values.batchGet") == 1 and api.count() == 1  # the read only

    # the owner softens the penalty to −20 000: 35 000 − 20 000 = 15 000
    api.reset_counts()
    api.sheet(SPREADSHEET_ID, "Корректировки").cells[(1, 2)] = python_cell(-20000)
    changed = run_once(backend, Config(), AS_OF, RUN_AT, skip_if=first.fingerprint)
    assert not changed.unchanged and changed.wrote
    assert api.count("values.batchGet") == 1 and api.count("batchUpdate") == 1
    assert api.count() == 2
    assert anna_october(changed) == 15000.0


def test_init_creates_the_adjustments_tab_with_formats_but_not_the_closed_months_tab(
    tmp_path: Path,
) -> None:
    api = FakeSheetsApi()
    backend, _ = backend_on_fake(api, tmp_path, {"Лист1": []})

    created = backend.init(input_tab_inits(Config(), AS_OF))

    assert "Корректировки" in created and "Закрытые месяцы" not in created
    assert api.count("get") == 1 and api.count("batchUpdate") == 1
    titles = [sheet.title for sheet in api.book(SPREADSHEET_ID).sheets]
    assert "Закрытые месяцы" not in titles
    values = api.values(SPREADSHEET_ID, "Корректировки")
    assert values[0] == ["Месяц", "Менеджер", "Сумма", "Причина", "Клиент", "ID"]
    assert values[1][1] == "Пример: Анна Смирнова" and values[1][2] == -5000
    sheet = api.sheet(SPREADSHEET_ID, "Корректировки")
    assert sheet.grid["frozenRowCount"] == 1

    def pattern(row: int, column: int) -> str:
        return sheet.cells[(row, column)]["userEnteredFormat"]["numberFormat"]["pattern"]

    # Месяц (column A) as a month, Сумма (column C) as money: the example and the rows below
    assert pattern(1, 0) == pattern(40, 0) == "mm.yyyy"
    assert pattern(1, 2) == pattern(40, 2) == '#,##0.00 "₽"'
    # Сумма: a number other than 0 expected, with a note; not strict (the bot reports the rest)
    rule = sheet.cells[(1, 2)]["dataValidation"]
    assert rule["condition"] == {"type": "NUMBER_NOT_EQ", "values": [{"userEnteredValue": "0"}]}
    assert rule["strict"] is False and rule["inputMessage"].startswith("Сумма не 0")
    assert sheet.cells[(40, 2)]["dataValidation"] == rule
    assert "dataValidation" not in sheet.cells[(1, 3)]
    # and the tab reads back as a valid book: the example row is only an example_row warning
    outcome = run_once(backend, Config(), AS_OF, RUN_AT, write=False)
    adjustments = [p for p in outcome.problems if p.tab == "Корректировки"]
    assert [(p.row, p.code) for p in adjustments] == [(2, "example_row")]
