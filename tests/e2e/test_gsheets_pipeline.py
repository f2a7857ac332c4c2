"""pipeline.run_once on the fake Google spreadsheet: the demo agency, end to end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sheets_kpi.backends.gsheets import GSheetsBackend
from sheets_kpi.backends.gsheets.requests import serial_date
from sheets_kpi.backends.xlsx import XlsxBackend
from sheets_kpi.core.output.report import to_json
from sheets_kpi.core.settings import Config
from sheets_kpi.demo import build_demo, demo_rows
from sheets_kpi.pipeline import RunOutcome, run_once
from tests.fakes.google_env import SPREADSHEET_ID, backend_on_fake
from tests.fakes.sheets_api import FakeSheetsApi

AS_OF = date(2026, 11, 22)
RUN_AT = datetime(2026, 11, 22, 9, 30, tzinfo=ZoneInfo("Europe/Moscow"))
GENERATED = ["Сводка", "Лидерборд", "Бонусы", "Помесячно", "Ошибки"]


def as_google_holds_it(value: object) -> object:
    """A demo cell as Google stores it: dates become serial numbers."""
    if isinstance(value, date | datetime):
        return serial_date(value)
    return value


@pytest.fixture(scope="module")
def demo_tabs() -> dict[str, list[list[object]]]:
    config = Config()
    rows = demo_rows(AS_OF)
    return {
        config.tab_title(key): [[as_google_holds_it(v) for v in row] for row in tab_rows]
        for key, tab_rows in rows.items()
    }


@pytest.fixture
def api() -> FakeSheetsApi:
    return FakeSheetsApi()


@pytest.fixture
def backend(
    api: FakeSheetsApi, tmp_path: Path, demo_tabs: dict[str, list[list[object]]]
) -> GSheetsBackend:
    made, _ = backend_on_fake(api, tmp_path, demo_tabs)
    return made


@dataclass
class FirstRun:
    api: FakeSheetsApi
    outcome: RunOutcome
    inputs_before: dict[str, bytes]


@pytest.fixture(scope="module")
def first_run(
    tmp_path_factory: pytest.TempPathFactory, demo_tabs: dict[str, list[list[object]]]
) -> FirstRun:
    """One run of the demo on a fresh fake spreadsheet, shared by the tests that only look."""
    api = FakeSheetsApi()
    backend, _ = backend_on_fake(api, tmp_path_factory.mktemp("google"), demo_tabs)
    inputs_before = {title: api.snapshot(SPREADSHEET_ID, title) for title in demo_tabs}
    outcome = run_once(backend, Config(), AS_OF, RUN_AT)
    return FirstRun(api, outcome, inputs_before)


def test_demo_run_writes_the_five_tabs_in_one_read_and_one_write(
    first_run: FirstRun, demo_tabs: dict[str, list[list[object]]]
) -> None:
    api = first_run.api

    assert first_run.outcome.wrote and not first_run.outcome.fatal
    assert api.count("get") == 1 and api.count("batchUpdate") == 1
    titles = [sheet.title for sheet in api.book(SPREADSHEET_ID).sheets]
    assert titles == [*demo_tabs, *GENERATED]
    for title, snapshot in first_run.inputs_before.items():
        assert api.snapshot(SPREADSHEET_ID, title) == snapshot, title
    assert api.last_batch_update is not None
    charts_sent = sum("addChart" in request for request in api.last_batch_update["requests"])
    assert charts_sent >= 2  # revenue by manager, team revenue vs plan
    assert len(api.sheet(SPREADSHEET_ID, "Сводка").charts) == charts_sent
    assert all(len(api.sheet(SPREADSHEET_ID, title).protected_ranges) == 1 for title in GENERATED)


def test_error_rows_link_to_the_offending_cells(first_run: FirstRun) -> None:
    api = first_run.api

    errors = api.sheet(SPREADSHEET_ID, "Ошибки")
    formulas = [
        cell["userEnteredValue"]["formulaValue"]
        for cell in errors.cells.values()
        if "formulaValue" in cell.get("userEnteredValue", {})
    ]
    sales_gid = api.sheet(SPREADSHEET_ID, "Продажи").sheet_id
    assert formulas  # the demo has deliberate mistakes
    assert all(f.startswith('=HYPERLINK("#gid=') for f in formulas)
    assert any(f"#gid={sales_gid}&range=" in f for f in formulas)


def test_second_run_keeps_sheet_ids_and_one_set_of_bot_objects(
    api: FakeSheetsApi, backend: GSheetsBackend
) -> None:
    run_once(backend, Config(), AS_OF, RUN_AT)
    ids = {title: api.sheet(SPREADSHEET_ID, title).sheet_id for title in GENERATED}
    charts = len(api.sheet(SPREADSHEET_ID, "Сводка").charts)

    run_once(backend, Config(), AS_OF, RUN_AT)

    assert {title: api.sheet(SPREADSHEET_ID, title).sheet_id for title in GENERATED} == ids
    summary = api.sheet(SPREADSHEET_ID, "Сводка")
    assert len(summary.charts) == charts
    assert len(summary.protected_ranges) == 1
    assert api.count() == 4


def test_google_and_the_local_workbook_give_the_same_report(
    backend: GSheetsBackend, tmp_path: Path
) -> None:
    workbook = tmp_path / "demo.xlsx"
    build_demo(workbook, AS_OF, Config())

    from_google = run_once(backend, Config(), AS_OF, RUN_AT, write=False)
    from_xlsx = run_once(XlsxBackend(workbook), Config(), AS_OF, RUN_AT, write=False)

    assert from_google.result is not None and from_xlsx.result is not None
    assert to_json(from_google.result) == to_json(from_xlsx.result)


def test_fatal_run_writes_errors_and_only_the_banner_of_the_summary(
    api: FakeSheetsApi, backend: GSheetsBackend
) -> None:
    run_once(backend, Config(), AS_OF, RUN_AT)
    summary_rows = api.values(SPREADSHEET_ID, "Сводка")
    bonuses = api.snapshot(SPREADSHEET_ID, "Бонусы")
    book = api.book(SPREADSHEET_ID)
    sales = book.sheet_by_title("Продажи")
    assert sales is not None
    sales.properties["title"] = "Продажи (старое)"  # the sales tab is gone: a fatal input

    outcome = run_once(backend, Config(), AS_OF, RUN_AT)

    assert outcome.fatal
    assert api.values(SPREADSHEET_ID, "Сводка")[1:] == summary_rows[1:]
    assert api.values(SPREADSHEET_ID, "Сводка")[0] != summary_rows[0]
    assert api.snapshot(SPREADSHEET_ID, "Бонусы") == bonuses
