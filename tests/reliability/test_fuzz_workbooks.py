"""Whole workbooks from hypothesis (random tabs, headers and cells of every type: text that looks
like a formula, numbers with nan/inf/huge, dates, bools, empties) through `sheets-kpi run
--once` and `check` on both backends. The bot exits only with 0/1/2/3 (never an internal error),
never changes an input tab, and never writes user text as a formula — the `Ошибки` tab, which
echoes offending values, included."""

from __future__ import annotations

import math
import os
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from sheets_kpi.backends.gsheets.requests import serial_date
from sheets_kpi.cli import main
from tests.fakes.google_env import SPREADSHEET_ID, RecordedWaits, key_file
from tests.fakes.sheets_api import FakeSheetsApi
from tests.reliability.google_cli import state_of, user_formulas, wire_cli_to_fake

AS_OF = "2026-11-22"
EXCEL_MAX = 9.99999999999999e307
# per backend; each example is two full CLI runs. A deeper search: SHEETS_KPI_FUZZ_EXAMPLES=500
EXAMPLES = int(os.environ.get("SHEETS_KPI_FUZZ_EXAMPLES", "40"))
GENERATED = ("Сводка", "Лидерборд", "Бонусы", "Помесячно", "Ошибки")
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

TAB_TITLES = st.sampled_from(
    ["Продажи", "Продажи ", "ПРОДАЖИ", "План", "Мотивация", "Сделки", "Активность", "Лист1"]
)
HEADERS = st.sampled_from(
    [
        "Дата",
        "Менеджер",
        "Клиент",
        "Сумма",
        "Маржа",
        "Канал",
        "Тип",
        "Оплачено",
        "ID",
        "Date",
        " сумма\u00a0",
        "МЕНЕДЖЕР",
        "Месяц",
        "План выручки",
        "Схема",
        "Параметры",
        "Оклад",
        "Активен",
        "Дата заявки",
        "Статус",
        "Дата закрытия",
        "Касаний",
        "Звонки",
        "Причина отказа",
        "Температура",
    ]
)
FORMULA_TEXT = st.sampled_from(
    [
        '=IMPORTXML("http://evil.example";"//a")',
        "=1+1",
        "+79991234567",
        "-ООО Ромашка",
        "@romashka",
        '=HYPERLINK("http://evil";"x")',
        'Лютик", "x")&HYPERLINK("http://evil',
        "=cmd|' /C calc'!A0",
        '"; =1+1; "',
    ]
)
TYPED_TEXT = st.sampled_from(
    [
        "05.11.2026",
        "31.02.2026",
        "29.02.2025",
        "00.00.0000",
        "2026-11-05 14:30",
        "100 000 р",
        "1.000.000",
        "1,000,000.50",
        "-0",
        "NaN",
        "1e308",
        "да",
        "нет",
        "входящий",
        "повторный",
        "выиграна",
        "уровни",
        "два шага",
        "15%; 15%; 4",
        "ноябрь 2026",
        "Анна Смирнова",
        "анна  смирнова",
        "Ромашка 🌼",
        "\u200fАнна\u200b",
    ]
)
CELLS = st.one_of(
    st.none(),
    TYPED_TEXT,
    FORMULA_TEXT,
    st.text(max_size=30),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1e308, 60.0, 46000.5, 2958465.0, 1e-300]),
    st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 12, 31)),
    st.booleans(),
)


@st.composite
def workbooks(draw: st.DrawFn) -> dict[str, list[list[Any]]]:
    """1–3 tabs, each a header row (mostly known headers) and up to 6 rows of any cells."""
    tabs: dict[str, list[list[Any]]] = {}
    for _ in range(draw(st.integers(1, 3))):
        title = draw(TAB_TITLES)
        if title.strip().casefold() in {t.strip().casefold() for t in tabs}:
            continue
        width = draw(st.integers(0, 7))
        header = draw(st.lists(st.one_of(HEADERS, CELLS), min_size=width, max_size=width))
        rows = draw(st.lists(st.lists(CELLS, max_size=width + 1), max_size=6))
        tabs[title] = [header, *rows]
    return tabs


def for_xlsx(value: Any) -> Any:
    """A cell as a .xlsx file can hold it (no control characters, 32 767 characters, numbers
    within Excel's range)."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)[:32767]
    if isinstance(value, float) and math.isfinite(value) and abs(value) > EXCEL_MAX:
        return math.copysign(EXCEL_MAX, value)  # Excel cannot hold more; openpyxl reads inf
    return value


def for_google(value: Any) -> Any:
    """A cell as Google holds it: dates as serial numbers, no NaN/inf (JSON cannot carry them)."""
    if isinstance(value, datetime | date):
        return serial_date(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def save_xlsx(tabs: dict[str, list[list[Any]]], path: Path) -> None:
    workbook = openpyxl.Workbook()
    default = workbook.active
    for title, rows in tabs.items():
        sheet = workbook.create_sheet(title)
        for row_number, values in enumerate(rows, start=1):
            for column_number, value in enumerate(values, start=1):
                cell = sheet.cell(row_number, column_number, for_xlsx(value))
                if isinstance(value, str):
                    cell.data_type = "s"  # typed text, "=..." included
    workbook.remove(default)
    workbook.save(path)


def xlsx_inputs(path: Path) -> dict[str, list[list[Any]]]:
    """Input tabs as (value, is a formula) per cell. An empty text cell counts as empty:
    openpyxl does not keep one when it saves, and nobody can see the difference."""
    workbook = openpyxl.load_workbook(path)
    tabs: dict[str, list[list[Any]]] = {}
    for sheet in workbook.worksheets:
        if sheet.title in GENERATED:
            continue
        rows = []
        for line in sheet.iter_rows():
            cells = [(None if c.value == "" else c.value, c.data_type == "f") for c in line]
            while cells and cells[-1] == (None, False):
                cells.pop()
            rows.append(cells)
        while rows and not rows[-1]:
            rows.pop()
        tabs[sheet.title] = rows
    return tabs


def formula_cells(path: Path) -> list[str]:
    workbook = openpyxl.load_workbook(path)
    return [
        f"{sheet.title}!{cell.coordinate}={cell.value}"
        for sheet in workbook.worksheets
        for line in sheet.iter_rows()
        for cell in line
        if cell.data_type == "f"
    ]


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SHEETS_KPI_STATE_DIR", str(tmp_path / "state"))


@FUZZ
@given(tabs=workbooks())
def test_any_workbook_on_the_local_backend(
    tabs: dict[str, list[list[Any]]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "fuzz.xlsx"
    path.unlink(missing_ok=True)
    save_xlsx(tabs, path)
    before = path.read_bytes()
    inputs = xlsx_inputs(path)

    checked = main(["check", "--xlsx", str(path), "--as-of", AS_OF])
    assert path.read_bytes() == before
    ran = main(["run", "--once", "--xlsx", str(path), "--as-of", AS_OF])

    err = capsys.readouterr().err
    assert checked in (0, 1), err
    assert ran in (0, 1), err
    assert xlsx_inputs(path) == inputs
    assert formula_cells(path) == []  # no user text became a formula, Ошибки included
    assert "Ошибки" in openpyxl.load_workbook(path, read_only=True).sheetnames


@FUZZ
@given(tabs=workbooks())
def test_any_spreadsheet_on_google(
    tabs: dict[str, list[list[Any]]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    api = FakeSheetsApi()
    key, email = key_file(api, tmp_path)
    google_tabs = {
        title: [[for_google(v) for v in row] for row in rows] for title, rows in tabs.items()
    }
    api.create_spreadsheet(SPREADSHEET_ID, google_tabs, editors=[email])
    inputs = state_of(api, SPREADSHEET_ID)
    where = ["--sheet", SPREADSHEET_ID, "--credentials", str(key), "--as-of", AS_OF]
    with monkeypatch.context() as patch:
        wire_cli_to_fake(patch, api, RecordedWaits())
        checked = main(["check", *where])
        ran = main(["run", "--once", *where])

    err = capsys.readouterr().err
    assert checked in (0, 1), err
    assert ran in (0, 1), err
    after = state_of(api, SPREADSHEET_ID)
    assert {title: after[title] for title in inputs} == inputs
    assert user_formulas(api, SPREADSHEET_ID) == []
    assert "Ошибки" in after
