"""The local workbook backend against real .xlsx files in a temporary folder."""

from __future__ import annotations

import os
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.datavalidation import DataValidation

from sheets_kpi.backends.xlsx import XlsxBackend
from sheets_kpi.core.output.sheetplan import (
    Cell,
    CellRange,
    CellRef,
    Chart,
    ConditionalRule,
    Formula,
    InputTabInit,
    Series,
    TabWrite,
)
from sheets_kpi.errors import BackendError
from tests.reliability.full_disk import fill_disk_after

SNEAKY = '=IMPORTXML("http://x","//a")'


def _input_workbook(path: Path) -> None:
    """A workbook with a user's input tab: values, a formula, a format, a drop-down, a merge."""
    workbook = openpyxl.Workbook()
    sales = workbook.active
    sales.title = "Продажи"
    sales.append(["Дата", "Менеджер", "Клиент", "Сумма", "Канал"])
    sales.append([datetime(2026, 11, 2), "Анна", "Ромашка", 100000, "входящий"])
    sales.append([datetime(2026, 11, 3), "Борис", "Лютик", 50000.5, None])
    sales["F2"] = "=D2*2"
    sales["D2"].number_format = '#,##0 "₽"'
    sales.column_dimensions["C"].width = 33
    sales.merge_cells("G1:H1")
    validation = DataValidation(type="list", formula1='"входящий,исходящий"')
    validation.add("E2:E100")
    sales.add_data_validation(validation)
    notes = workbook.create_sheet("Заметки")
    notes["A1"] = "мои заметки"
    workbook.save(path)


def _snapshot(path: Path) -> dict[str, object]:
    """Everything a user would notice on the input tabs."""
    workbook = openpyxl.load_workbook(path)
    state: dict[str, object] = {}
    for title in ("Продажи", "Заметки"):
        sheet = workbook[title]
        state[title] = [
            [(cell.value, cell.number_format, cell.data_type) for cell in row]
            for row in sheet.iter_rows()
        ]
        state[title + ":validation"] = [
            (dv.formula1, str(dv.sqref)) for dv in sheet.data_validations.dataValidation
        ]
        state[title + ":merged"] = sorted(str(r) for r in sheet.merged_cells.ranges)
        state[title + ":widths"] = {
            key: dim.width for key, dim in sheet.column_dimensions.items() if dim.customWidth
        }
    state["order"] = workbook.sheetnames[:2]
    return state


def _plan(title: str = "Сводка", **extra: object) -> TabWrite:
    rows = (
        (Cell("Менеджер", style="header"), Cell("Выручка", style="header"), Cell("План")),
        (Cell(SNEAKY), Cell(150000.5, fmt="money"), Cell(1.25, fmt="percent")),
        (Cell("Борис"), Cell(40000.0, fmt="money"), Cell(0.4, fmt="percent")),
        (Cell(Formula("SUM(B2:B3)"), fmt="money", style="subtotal"), Cell(None)),
        (Cell("к строке", link=CellRef("Продажи", 3, 4)), Cell(date(2026, 11, 22), fmt="date")),
    )
    fields: dict[str, object] = {
        "key": "summary",
        "title": title,
        "rows": rows,
        "frozen_rows": 1,
        "column_widths": (30, 16, 12),
        "conditional": (
            ConditionalRule(CellRange(2, 3, 3, 3), "<", 1.0, "#F4CCCC"),
            ConditionalRule(CellRange(2, 3, 3, 3), ">=", 1.0, "#D9EAD3"),
        ),
        "charts": (
            Chart(
                kind="column",
                title="Выручка и план",
                categories=CellRange(2, 1, 3, 1),
                series=(
                    Series("Выручка", CellRange(2, 2, 3, 2)),
                    Series("План", CellRange(2, 3, 3, 3)),
                ),
                anchor_row=2,
                anchor_column=6,
                line_series=(1,),
            ),
        ),
    }
    fields.update(extra)
    return TabWrite(**fields)  # type: ignore[arg-type]


@pytest.fixture
def book(tmp_path: Path) -> Path:
    path = tmp_path / "продажи.xlsx"
    _input_workbook(path)
    return path


def test_read_gives_raw_values_of_wanted_tabs_and_every_title(book: Path) -> None:
    raw = XlsxBackend(book).read(lambda title: title == "Продажи")
    assert raw.titles == ("Продажи", "Заметки")
    assert set(raw.tabs) == {"Продажи"}
    rows = raw.tabs["Продажи"].rows
    # trailing empty cells dropped; dates stay datetime, numbers stay numbers
    assert rows[0] == ["Дата", "Менеджер", "Клиент", "Сумма", "Канал"]
    assert rows[2] == [datetime(2026, 11, 3), "Борис", "Лютик", 50000.5]
    assert len(rows) == 3


def test_read_trims_trailing_empty_rows_but_keeps_inner_ones(tmp_path: Path) -> None:
    path = tmp_path / "gaps.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = "Дата"
    sheet["A3"] = "x"
    sheet["B500"].number_format = "0.00"  # formatted but empty, far below
    workbook.save(path)
    rows = XlsxBackend(path).read(lambda title: True).tabs[sheet.title].rows
    assert rows == [["Дата"], [], ["x"]]


def test_write_leaves_input_tabs_unchanged(book: Path) -> None:
    before = _snapshot(book)
    XlsxBackend(book).write([_plan(), _plan("Ошибки", key="errors")])
    assert _snapshot(book) == before
    workbook = openpyxl.load_workbook(book)
    assert workbook.sheetnames == ["Продажи", "Заметки", "Сводка", "Ошибки"]


def test_rewrite_keeps_the_tab_position_and_clears_old_content(book: Path) -> None:
    backend = XlsxBackend(book)
    backend.write([_plan()])
    workbook = openpyxl.load_workbook(book)
    workbook.move_sheet("Сводка", offset=-2)  # the owner dragged it to the front
    workbook["Сводка"]["Z50"] = "старое"
    workbook.save(book)
    backend.write([_plan()])
    workbook = openpyxl.load_workbook(book)
    assert workbook.sheetnames[0] == "Сводка"
    assert workbook["Сводка"]["Z50"].value is None


def test_user_text_starting_with_equals_reloads_as_text(book: Path) -> None:
    XlsxBackend(book).write([_plan()])
    sheet = openpyxl.load_workbook(book)["Сводка"]
    assert sheet["A2"].value == SNEAKY
    assert sheet["A2"].data_type == "s"
    # only the bot's own Formula becomes a formula
    assert sheet["A4"].value == "=SUM(B2:B3)"
    assert sheet["A4"].data_type == "f"


def test_write_applies_formats_styles_freeze_links_rules_charts_and_protection(
    book: Path,
) -> None:
    XlsxBackend(book).write([_plan()])
    sheet = openpyxl.load_workbook(book)["Сводка"]
    assert sheet["B2"].number_format == '#,##0.00 "₽"'
    assert sheet["C2"].number_format == "0.0%"
    assert sheet["B5"].number_format == "DD.MM.YYYY"
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 30
    assert sheet["A5"].hyperlink.location == "'Продажи'!D3"
    assert sheet.protection.sheet
    assert not sheet.protection.password
    ranges = [str(rule.sqref) for rule in sheet.conditional_formatting]
    assert ranges == ["C2:C3"]
    with zipfile.ZipFile(book) as archive:
        charts = [name for name in archive.namelist() if name.startswith("xl/charts/chart")]
        chart_xml = archive.read(charts[0]).decode()
    assert len(charts) == 1
    # revenue as columns, the plan as a line over them, both from the cells written
    assert "<barChart>" in chart_xml and "<lineChart>" in chart_xml
    assert "'Сводка'!$B$2:$B$3" in chart_xml and "'Сводка'!$C$2:$C$3" in chart_xml
    assert "<strRef><f>'Сводка'!$A$2:$A$3</f></strRef>" in chart_xml  # names, not 1, 2, 3


def test_banner_write_changes_only_row_one(book: Path) -> None:
    backend = XlsxBackend(book)
    backend.write([_plan()])
    banner = TabWrite(
        key="summary",
        title="Сводка",
        rows=((Cell("Данные не пересчитаны", style="banner"),),),
        mode="banner",
    )
    backend.write([banner])
    sheet = openpyxl.load_workbook(book)["Сводка"]
    assert sheet["A1"].value == "Данные не пересчитаны"
    assert sheet["A1"].fill.fgColor.rgb == "FFC00000"
    assert sheet["B1"].value is None  # the old header of row 1 is cleared
    assert sheet["A2"].value == SNEAKY  # the last good figures stay
    assert sheet["B2"].value == 150000.5


def test_failure_during_save_leaves_the_original_byte_identical(
    book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = book.read_bytes()
    fill_disk_after(monkeypatch, len(b"half a workbook"))  # then ENOSPC

    with pytest.raises(BackendError, match="Книга осталась как была"):
        XlsxBackend(book).write([_plan()])
    assert book.read_bytes() == original
    assert sorted(path.name for path in book.parent.iterdir()) == [book.name]


def test_unexpected_error_mid_write_also_leaves_no_trace(
    book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = book.read_bytes()

    def broken_fsync(descriptor: int) -> None:  # the temp file is written, then a bug
        raise RuntimeError("boom")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(RuntimeError):
        XlsxBackend(book).write([_plan()])
    assert book.read_bytes() == original
    assert [path.name for path in book.parent.iterdir()] == [book.name]


def _sales_init() -> InputTabInit:
    return InputTabInit(
        key="sales",
        title="Продажи",
        headers=("Дата", "Менеджер", "Клиент", "Сумма", "Канал"),
        formats=("date", None, None, "money", None),
        dropdowns={5: ("входящий", "исходящий")},
        example=(date(2026, 11, 2), "Анна", SNEAKY, 100000, "входящий"),
    )


def _plan_init() -> InputTabInit:
    return InputTabInit(
        key="plan",
        title="План",
        headers=("Месяц", "Менеджер", "План выручки"),
        formats=(None, None, "money"),
        dropdowns={},
        example=("2026-11", "Анна", 500000),
    )


def test_init_creates_a_new_workbook_with_headers_and_dropdowns(tmp_path: Path) -> None:
    path = tmp_path / "new" / "книга.xlsx"
    created = XlsxBackend(path).init([_sales_init(), _plan_init()])
    assert created == ["Продажи", "План"]
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Продажи", "План"]  # openpyxl's empty "Sheet" removed
    sales = workbook["Продажи"]
    assert [cell.value for cell in sales[1]] == ["Дата", "Менеджер", "Клиент", "Сумма", "Канал"]
    assert sales["A1"].font.bold
    assert sales.freeze_panes == "A2"
    [validation] = sales.data_validations.dataValidation
    assert validation.formula1 == '"входящий,исходящий"'
    assert str(validation.sqref) == "E2:E1000"
    assert sales["A2"].value == datetime(2026, 11, 2)
    assert sales["A2"].number_format == "DD.MM.YYYY"
    assert sales["D7"].number_format == '#,##0.00 "₽"'
    assert sales["C2"].value == SNEAKY and sales["C2"].data_type == "s"


def test_init_never_touches_a_tab_with_data_and_fills_an_empty_one(book: Path) -> None:
    workbook = openpyxl.load_workbook(book)
    workbook.create_sheet("План")  # exists, but empty
    workbook.save(book)
    before = _snapshot(book)
    created = XlsxBackend(book).init([_sales_init(), _plan_init()])
    assert created == ["План"]
    assert _snapshot(book) == before
    plan = openpyxl.load_workbook(book)["План"]
    assert plan["C1"].value == "План выручки"


def test_init_next_to_real_data_adds_no_example_row(book: Path) -> None:
    # «Продажи» has real sales: an example plan for a made-up manager would count, so the
    # new «План» gets its header, formats and drop-downs but no row 2.
    created = XlsxBackend(book).init([_sales_init(), _plan_init()])
    assert created == ["План"]
    plan = openpyxl.load_workbook(book)["План"]
    assert [cell.value for cell in plan[1]] == ["Месяц", "Менеджер", "План выручки"]
    assert [cell.value for cell in plan[2]] == [None, None, None]
    assert plan.max_row == 1 or all(cell.value is None for row in plan.iter_rows(2) for cell in row)


def test_init_of_a_blank_book_adds_the_example_rows(tmp_path: Path) -> None:
    path = tmp_path / "пустая.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "Продажи"  # exists, but empty
    workbook.save(path)
    assert XlsxBackend(path).init([_sales_init(), _plan_init()]) == ["Продажи", "План"]
    saved = openpyxl.load_workbook(path)
    assert saved["Продажи"]["B2"].value == "Анна"
    assert [cell.value for cell in saved["План"][2]] == ["2026-11", "Анна", 500000]


def test_init_with_nothing_to_do_does_not_rewrite_the_file(book: Path) -> None:
    original = book.read_bytes()
    assert XlsxBackend(book).init([_sales_init()]) == []
    assert book.read_bytes() == original


@pytest.mark.parametrize(
    ("make", "phrase"),
    [
        (lambda path: None, "не найден"),
        (lambda path: path.mkdir(), "папка"),
        (lambda path: path.write_bytes(b""), "пустой"),
        (lambda path: path.write_bytes(b"just some text, not a zip"), "повреждён"),
        (
            lambda path: path.write_bytes(
                b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
                + b"\0" * 64
                + "EncryptionInfo".encode("utf-16-le")
            ),
            "паролем",
        ),
        (lambda path: path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64), ".xls"),
    ],
    ids=["missing", "folder", "zero-bytes", "not-xlsx", "encrypted", "old-xls"],
)
def test_unopenable_workbook_gives_a_backend_error_in_russian(
    tmp_path: Path, make: object, phrase: str
) -> None:
    path = tmp_path / "книга.xlsx"
    make(path)  # type: ignore[operator]
    backend = XlsxBackend(path)
    with pytest.raises(BackendError, match=phrase) as caught:
        backend.read(lambda title: True)
    assert caught.value.exit_code == 3
    with pytest.raises(BackendError):
        backend.write([_plan()])


def test_corrupt_zip_gives_a_backend_error(tmp_path: Path) -> None:
    path = tmp_path / "битая.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<not really>")
    with pytest.raises(BackendError, match="повреждён"):
        XlsxBackend(path).read(lambda title: True)


def test_unreadable_file_gives_a_backend_error(book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = Path.open

    def denied(self: Path, *args: object, **kwargs: object) -> object:
        if self == book:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", denied)
    with pytest.raises(BackendError, match="Нет прав на чтение"):
        XlsxBackend(book).read(lambda title: True)


def test_describe_is_the_absolute_path(book: Path) -> None:
    assert XlsxBackend(book).describe() == str(book.resolve())


def _with_cached_results(path: Path) -> None:
    """Give the formulas of a workbook results, as Excel does when it saves one."""
    workbook = openpyxl.load_workbook(path)
    workbook["Продажи"]["G2"] = '=IF(D2>0,"да","нет")'
    workbook.save(path)
    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w") as archive:
        for info, data in members:
            if info.filename == "xl/worksheets/sheet1.xml":
                xml = data.decode()
                xml = xml.replace("<f>D2*2</f><v />", "<f>D2*2</f><v>200000</v>")
                xml = xml.replace(
                    '<c r="G2"><f>IF(D2&gt;0,"да","нет")</f><v />',
                    '<c r="G2" t="str"><f>IF(D2&gt;0,"да","нет")</f><v>да</v>',
                )
                data = xml.encode()
            archive.writestr(info, data)


def test_formulas_in_input_tabs_keep_their_results_after_a_write(book: Path) -> None:
    _with_cached_results(book)
    backend = XlsxBackend(book)
    assert backend.read(lambda title: True).tabs["Продажи"].rows[1][5:7] == [200000, "да"]
    backend.write([_plan()])
    backend.write([_plan()])
    # read as the next run will: the results are still there, the formulas too
    assert backend.read(lambda title: True).tabs["Продажи"].rows[1][5:7] == [200000, "да"]
    sheet = openpyxl.load_workbook(book)["Продажи"]
    assert sheet["F2"].value == "=D2*2"


def test_read_ignores_a_wrong_size_declared_in_the_file(tmp_path: Path) -> None:
    path = tmp_path / "wrong.xlsx"
    workbook = openpyxl.Workbook()
    for number in range(1, 6):
        workbook.active.append(["строка", number, "x"])
    workbook.save(path)
    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w") as archive:
        for info, data in members:
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:C5"', b'<dimension ref="A1:B2"')
            archive.writestr(info, data)
    rows = XlsxBackend(path).read(lambda title: True).tabs["Sheet"].rows
    assert rows[-1] == ["строка", 5, "x"]  # all five rows, all three columns
    assert len(rows) == 5


def test_a_tab_title_excel_cannot_hold_is_a_backend_error(book: Path) -> None:
    original = book.read_bytes()
    with pytest.raises(BackendError, match="Переименуйте"):
        XlsxBackend(book).write([_plan("Итоги/ноябрь")])
    assert book.read_bytes() == original
