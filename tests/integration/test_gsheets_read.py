"""GSheetsBackend's read after the first one: `values.batchGet` with the tab list of the last
cycle, and its fallbacks (real gspread/google-auth stack against the in-process fake)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheets_kpi.backends.gsheets import TAB_LIST_MAX_AGE, GSheetsBackend
from sheets_kpi.core.output.sheetplan import Cell, TabWrite
from sheets_kpi.worker import LeasedBackend, LeaseHeld
from tests.fakes.google_env import SPREADSHEET_ID, RecordedWaits, backend_on_fake
from tests.fakes.sheets_api import FakeSheet, FakeSheetsApi, formula_cell, python_cell
from tests.integration.test_gsheets_backend import errors_plan, summary_plan


def error_cell(kind: str) -> dict[str, Any]:
    """A formula cell whose result is an error of `kind` (ErrorValue.type)."""
    return formula_cell("=1/0", None) | {"effectiveValue": {"errorValue": {"type": kind}}}


SALES: list[list[Any]] = [
    ["Дата", "Менеджер", "Клиент", "Сумма", "Оплачено"],
    [46000, "  Иван Петров ", "ООО «Ромашка»", 120000.0, "да"],
    [46001.5, "Анна", None, 0.1, True],
    [None, None, None, None, None],
    [error_cell("DIVIDE_BY_ZERO"), error_cell("N_A"), formula_cell("=D2*2", 240000), False],
    [error_cell("REF"), error_cell("NAME"), error_cell("LOADING"), "#DIV/0!", None],
    [None, None, None, None, 7],
]


def is_sales(title: str) -> bool:
    return title == "Продажи"


@pytest.fixture
def api() -> FakeSheetsApi:
    return FakeSheetsApi()


@pytest.fixture
def waits() -> RecordedWaits:
    return RecordedWaits()


@pytest.fixture
def backend(api: FakeSheetsApi, tmp_path: Path, waits: RecordedWaits) -> GSheetsBackend:
    made, _ = backend_on_fake(api, tmp_path, {"Продажи": SALES, "Заметки": [["x"]]}, waits=waits)
    return made


def test_a_later_read_gives_the_same_raw_cells_as_the_first(
    api: FakeSheetsApi, backend: GSheetsBackend
) -> None:
    first = backend.read(is_sales)  # spreadsheets.get with grid data
    later = backend.read(is_sales)  # values.batchGet with the tab list of the first

    assert (later.titles, later.tabs, later.sheet_ids) == (
        first.titles,
        first.tabs,
        first.sheet_ids,
    )
    assert api.count("get") == 1 and api.count("values.batchGet") == 1
    rows = later.tabs["Продажи"].rows
    # whitespace kept, a whole float as int, a formula's result, an error as the text it shows
    assert rows[1] == [46000, "  Иван Петров ", "ООО «Ромашка»", 120000, "да"]
    assert isinstance(rows[1][3], int)
    assert rows[2] == [46001.5, "Анна", None, 0.1, True]
    assert rows[3] == []
    assert rows[4] == ["#DIV/0!", "#N/A", 240000, False]
    # a typed "#DIV/0!" and an error cell read alike, as they did from grid data
    assert rows[5] == ["#REF!", "#NAME?", "Loading...", "#DIV/0!"]
    assert rows[6] == [None, None, None, None, 7]


values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**9), 10**9),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(alphabet=" аб\tx#=.-0", max_size=6),
    st.sampled_from(["DIVIDE_BY_ZERO", "N_A", "VALUE", "ERROR"]).map(error_cell),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.lists(values, max_size=5), max_size=6))
def test_batch_get_and_grid_data_agree_on_any_cells(tmp_path: Path, grid: list[list[Any]]) -> None:
    api = FakeSheetsApi()
    backend, _ = backend_on_fake(api, tmp_path, {"Продажи": grid, "Сводка": [["x"]]})

    first = backend.read(is_sales)
    later = backend.read(is_sales)

    # the one kind values.batchGet cannot tell apart: a text "" reads as an empty cell
    expected = [
        [None if value == "" else value for value in row] for row in first.tabs["Продажи"].rows
    ]
    for row in expected:
        while row and row[-1] is None:
            row.pop()
    while expected and not expected[-1]:
        expected.pop()
    assert later.tabs["Продажи"].rows == expected
    assert api.count("values.batchGet") == 1


def test_the_write_reply_gives_the_next_read_its_tab_list(
    api: FakeSheetsApi, backend: GSheetsBackend
) -> None:
    backend.read(is_sales)
    backend.write([summary_plan(), errors_plan()])
    api.reset_counts()

    workbook = backend.read(is_sales)

    assert workbook.titles == ("Продажи", "Заметки", "Сводка", "Ошибки")
    book = api.book(SPREADSHEET_ID)
    assert workbook.sheet_ids == {sheet.title: sheet.sheet_id for sheet in book.sheets}
    assert api.counts() == {"values.batchGet": 1}


def test_every_sheets_request_asks_for_compact_json(
    api: FakeSheetsApi, backend: GSheetsBackend
) -> None:
    backend.read(is_sales)
    backend.write([summary_plan(), errors_plan()])
    backend.read(is_sales)
    api.sheet(SPREADSHEET_ID, "Сводка").charts.pop()  # a person deletes a chart
    backend.write([summary_plan(), errors_plan()])  # refused, meta re-read, written
    api.sheet(SPREADSHEET_ID, "Заметки").properties["title"] = "Идеи"
    backend.read(is_sales)  # refused, every tab read again
    backend.init([])

    sheets_calls = [call for call in api.calls if call.kind != "token"]
    assert {call.kind for call in sheets_calls} == {"get", "values.batchGet", "batchUpdate"}
    assert [call for call in sheets_calls if call.pretty_printed] == []


def test_a_renamed_tab_costs_one_more_read_and_is_seen(
    api: FakeSheetsApi, backend: GSheetsBackend
) -> None:
    backend.read(is_sales)
    api.sheet(SPREADSHEET_ID, "Заметки").properties["title"] = "Идеи"
    api.reset_counts()

    workbook = backend.read(is_sales)

    assert workbook.titles == ("Продажи", "Идеи")
    assert workbook.tabs["Продажи"].rows[1][0] == 46000
    # the batchGet names the old title and is refused whole; one spreadsheets.get reads all
    assert [(call.kind, call.status) for call in api.calls] == [
        ("values.batchGet", 400),
        ("get", 200),
    ]


def test_a_deleted_bot_tab_is_noticed_by_the_read_and_written_again(
    api: FakeSheetsApi, backend: GSheetsBackend
) -> None:
    backend.read(is_sales)
    backend.write([summary_plan(), errors_plan()])
    book = api.book(SPREADSHEET_ID)
    book.sheets.remove(api.sheet(SPREADSHEET_ID, "Ошибки"))
    api.reset_counts()

    workbook = backend.read(is_sales)
    backend.write([summary_plan(), errors_plan()])

    assert "Ошибки" not in workbook.titles
    assert api.values(SPREADSHEET_ID, "Ошибки")[0] == ["Лист", "Значение"]
    assert [call.kind for call in api.calls] == ["values.batchGet", "get", "batchUpdate"]


def test_a_chart_deleted_by_a_person_costs_one_metadata_read_and_the_write_goes_through(
    api: FakeSheetsApi, backend: GSheetsBackend
) -> None:
    backend.read(is_sales)
    backend.write([summary_plan(), errors_plan()])
    api.sheet(SPREADSHEET_ID, "Сводка").charts.pop()
    api.reset_counts()

    backend.read(is_sales)
    backend.write([summary_plan(), errors_plan()])

    summary = api.sheet(SPREADSHEET_ID, "Сводка")
    assert len(summary.charts) == 2 and len(summary.conditional_formats) == 2
    # the batchUpdate built from the last cycle's tab list is refused whole (400: no such
    # chart), so nothing is applied; the metadata is read and the batch sent again
    assert [(call.kind, call.status) for call in api.calls] == [
        ("values.batchGet", 200),
        ("batchUpdate", 400),
        ("get", 200),
        ("batchUpdate", 200),
    ]


def test_a_tab_a_person_adds_is_read_once_the_tab_list_is_an_hour_old(
    api: FakeSheetsApi, backend: GSheetsBackend, waits: RecordedWaits
) -> None:
    def wanted(title: str) -> bool:
        return title in ("Продажи", "Сделки")

    backend.read(wanted)
    book = api.book(SPREADSHEET_ID)
    deals = FakeSheet({"sheetId": book.new_id(), "title": "Сделки", "index": 2})
    deals.cells[(0, 0)] = python_cell("Клиент")
    book.sheets.append(deals)

    within = backend.read(wanted)  # values.batchGet: the tab list is from the first read
    waits.now += TAB_LIST_MAX_AGE + 1
    api.reset_counts()
    after = backend.read(wanted)

    assert "Сделки" not in within.tabs
    assert after.tabs["Сделки"].rows == [["Клиент"]]
    assert api.counts() == {"get": 1}  # still one request for the read


def test_the_lease_cells_come_in_the_same_single_read(
    api: FakeSheetsApi, backend: GSheetsBackend
) -> None:
    lease_row = (Cell("Обслуживает бот"), Cell("server-a, pid 42, до 2999-01-01 00:00:00 UTC"))
    backend.read(is_sales)
    backend.write([TabWrite("summary", "Сводка", (lease_row,)), errors_plan()])
    api.reset_counts()
    leased = LeasedBackend(backend, "Сводка", seconds=600, host="server-b")

    with pytest.raises(LeaseHeld, match="server-a"):
        leased.read(is_sales)

    assert api.counts() == {"values.batchGet": 1}


@pytest.mark.parametrize("status", [400, 414])
def test_a_refused_batch_get_falls_back_to_one_full_read(
    api: FakeSheetsApi, backend: GSheetsBackend, waits: RecordedWaits, status: int
) -> None:
    # 414: a URL too long for a spreadsheet with very many tabs; it is not retried either
    first = backend.read(is_sales)
    api.fail_next(status, kinds=["values.batchGet"])
    api.reset_counts()

    again = backend.read(is_sales)

    assert again.tabs == first.tabs
    assert [(call.kind, call.status) for call in api.calls] == [
        ("values.batchGet", status),
        ("get", 200),
    ]
    assert waits.delays == []
