"""A generated tab laid out with openpyxl: values, number formats, styles, links, conditional
colours, charts, protection (SPEC §8, §11)."""

from __future__ import annotations

from datetime import date, datetime

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.cell.cell import Cell as XlCell
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart import Series as XlSeries
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from sheets_kpi.core.output.sheetplan import (
    Cell,
    CellRange,
    CellRef,
    Chart,
    ConditionalRule,
    Formula,
    NumberFormat,
    Style,
    TabWrite,
)

NUMBER_FORMATS: dict[NumberFormat, str] = {
    "money": '#,##0.00 "₽"',
    "money_whole": '#,##0 "₽"',
    "percent": "0.0%",
    "integer": "0",
    "decimal": "#,##0.0",
    "date": "DD.MM.YYYY",
    "month": "MM.YYYY",
    "datetime": "DD.MM.YYYY HH:MM",
    "hours": '0.0 "ч"',
    "place_change": '"↑"0;"↓"0;"—"',  # a number shown as ↑2 / ↓1 / —: sortable, never text
}

HEADER_FILL = PatternFill("solid", start_color="FFD9E1F2", end_color="FFD9E1F2")
_SUBTOTAL_FILL = PatternFill("solid", start_color="FFF2F2F2", end_color="FFF2F2F2")
_BANNER_FILL = PatternFill("solid", start_color="FFC00000", end_color="FFC00000")
FONTS: dict[Style, Font] = {
    "title": Font(bold=True, size=13),
    "header": Font(bold=True),
    "subtotal": Font(bold=True),
    "banner": Font(bold=True, color="FFFFFFFF"),
    "note": Font(italic=True, color="FF595959"),
    "muted": Font(color="FF808080"),
}
_FILLS: dict[Style, PatternFill] = {
    "header": HEADER_FILL,
    "subtotal": _SUBTOTAL_FILL,
    "banner": _BANNER_FILL,
}
_LINK_FONT = Font(color="FF0563C1", underline="single")
_MAX_TEXT = 32767  # Excel's limit on characters in one cell


def apply_plan(workbook: Workbook, plan: TabWrite) -> None:
    if plan.mode == "banner":
        _write_banner(workbook, plan)
        return
    if plan.title in workbook.sheetnames:
        old = workbook[plan.title]
        position = workbook.index(old)
        workbook.remove(old)
        sheet = workbook.create_sheet(plan.title, position)
    else:
        sheet = workbook.create_sheet(plan.title)
    for row_number, row in enumerate(plan.rows, start=1):
        for column_number, cell in enumerate(row, start=1):
            write_cell(sheet.cell(row_number, column_number), cell)
    if plan.frozen_rows:
        sheet.freeze_panes = f"A{plan.frozen_rows + 1}"
    for index, width in enumerate(plan.column_widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for rule in plan.conditional:
        _add_conditional(sheet, rule)
    for chart in plan.charts:
        sheet.add_chart(
            _chart(sheet, chart), f"{get_column_letter(chart.anchor_column)}{chart.anchor_row}"
        )
    if plan.protected:
        _protect(sheet)


def _write_banner(workbook: Workbook, plan: TabWrite) -> None:
    """Only row 1: the last good figures below stay as they are."""
    if plan.title in workbook.sheetnames:
        sheet = workbook[plan.title]
    else:
        sheet = workbook.create_sheet(plan.title)
    for merged in list(sheet.merged_cells.ranges):
        if merged.min_row == 1:
            sheet.unmerge_cells(str(merged))
    for cell in list(sheet[1]) if sheet.max_row >= 1 else []:
        cell.value = None
        cell.hyperlink = None
        cell.font = Font()
        cell.fill = PatternFill()
    row = plan.rows[0] if plan.rows else ()
    for column_number, cell in enumerate(row, start=1):
        write_cell(sheet.cell(1, column_number), cell)
    if plan.protected:
        _protect(sheet)


def plain_text(text: str) -> str:
    """Text as a cell can hold it: no control characters, at most 32 767 characters."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:_MAX_TEXT]


def write_cell(target: XlCell, cell: Cell) -> None:
    value = cell.value
    if isinstance(value, Formula):
        target.value = "=" + value.text
    elif isinstance(value, str):
        target.value = plain_text(value)
        # openpyxl would take "=..." for a formula: user text must stay text (SPEC §13)
        target.data_type = "s"
    elif isinstance(value, datetime):
        target.value = value.replace(tzinfo=None)
    elif isinstance(value, float) and value != value:  # NaN: an empty cell
        target.value = None
    elif isinstance(value, bool | int | float | date) or value is None:
        target.value = value
    else:
        target.value = plain_text(str(value))
        target.data_type = "s"
    if cell.fmt is not None:
        target.number_format = NUMBER_FORMATS[cell.fmt]
    if cell.style is not None:
        target.font = FONTS[cell.style]
        if cell.style in _FILLS:
            target.fill = _FILLS[cell.style]
    if cell.link is not None:
        target.hyperlink = Hyperlink(ref=target.coordinate, location=cell_address(cell.link))
        if cell.style is None:
            target.font = _LINK_FONT


def cell_address(ref: CellRef) -> str:
    """`'Продажи'!B5`: a cell of another tab, quoted as Excel wants."""
    quoted = ref.tab.replace("'", "''")
    return f"'{quoted}'!{get_column_letter(ref.column)}{ref.row}"


def _range(cells: CellRange) -> str:
    first = f"{get_column_letter(cells.first_column)}{cells.first_row}"
    last = f"{get_column_letter(cells.last_column)}{cells.last_row}"
    return f"{first}:{last}"


def _add_conditional(sheet: Worksheet, rule: ConditionalRule) -> None:
    colour = "FF" + rule.fill.lstrip("#").upper()
    fill = PatternFill("solid", start_color=colour, end_color=colour, bgColor=colour)
    if rule.op == "<":
        # an empty cell counts as 0 for "less than": only colour cells that hold a number
        top_left = f"{get_column_letter(rule.cells.first_column)}{rule.cells.first_row}"
        formula = f"AND(ISNUMBER({top_left}),{top_left}<{rule.value})"
        sheet.conditional_formatting.add(
            _range(rule.cells), FormulaRule(formula=[formula], fill=fill)
        )
    else:
        sheet.conditional_formatting.add(
            _range(rule.cells),
            CellIsRule(operator="greaterThanOrEqual", formula=[str(rule.value)], fill=fill),
        )


def _reference(sheet: Worksheet, cells: CellRange) -> Reference:
    return Reference(
        sheet,
        min_col=cells.first_column,
        min_row=cells.first_row,
        max_col=cells.last_column,
        max_row=cells.last_row,
    )


def _chart(sheet: Worksheet, chart: Chart) -> BarChart | LineChart:
    main: BarChart | LineChart = BarChart() if chart.kind == "column" else LineChart()
    if isinstance(main, BarChart):
        main.type = "col"
    main.title = chart.title
    main.width = 18
    main.height = 9
    # categories are labels (names, months): a string reference, or Excel numbers them 1, 2, 3
    categories = _reference(sheet, chart.categories)
    lines = LineChart() if chart.line_series and chart.kind == "column" else None
    for index, series in enumerate(chart.series):
        xl_series = XlSeries(_reference(sheet, series.values), title=series.name)
        xl_series.cat = AxDataSource(strRef=StrRef(f=str(categories)))
        if lines is not None and index in chart.line_series:
            lines.series.append(xl_series)
        else:
            main.series.append(xl_series)
    main.x_axis.delete = False
    main.y_axis.delete = False
    if len(chart.series) == 1:
        main.legend = None
    else:
        main.legend.position = "b"
    if lines is not None:
        main += lines
    return main


def _protect(sheet: Worksheet) -> None:
    """Protection without a password: a warning against accidental edits, easy to lift."""
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # people may still widen columns
    sheet.protection.formatRows = False
