"""`init`: input tabs set up with headers, drop-downs, number formats and an example row."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from sheets_kpi.backends.xlsx.layout import (
    FONTS,
    HEADER_FILL,
    NUMBER_FORMATS,
    plain_text,
    write_cell,
)
from sheets_kpi.core.output.sheetplan import Cell, InputTabInit

_DROPDOWN_LAST_ROW = 1000


def add_dropdowns(sheet: Worksheet, dropdowns: Mapping[int, Sequence[str]], last_row: int) -> None:
    """Drop-down lists on data rows 2..`last_row` of the given 1-based columns. A value outside
    the list gets a warning, not a refusal: the bot reports it on Ошибки instead."""
    for column, values in sorted(dropdowns.items()):
        letter = get_column_letter(column)
        validation = DataValidation(
            type="list",
            formula1='"' + ",".join(value.replace('"', "") for value in values) + '"',
            allow_blank=True,
            showDropDown=False,  # False = show the arrow (the name in OOXML is inverted)
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle="Значение не из списка",
            error="Выберите значение из списка, иначе бот не учтёт эту ячейку.",
        )
        validation.add(f"{letter}2:{letter}{last_row}")
        sheet.add_data_validation(validation)


def add_nonzero_rules(sheet: Worksheet, notes: Mapping[int, str], last_row: int) -> None:
    """A number other than 0 on data rows 2..`last_row` of the given 1-based columns, each with
    its note. Anything else gets a warning, not a refusal: the bot reports it on Ошибки."""
    for column, note in sorted(notes.items()):
        letter = get_column_letter(column)
        validation = DataValidation(
            type="decimal",
            operator="notEqual",
            formula1="0",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle="Не 0",
            error=note,
        )
        validation.add(f"{letter}2:{letter}{last_row}")
        sheet.add_data_validation(validation)


def set_up_input_tab(sheet: Worksheet, tab: InputTabInit) -> None:
    for column, header in enumerate(tab.headers, start=1):
        cell = sheet.cell(1, column)
        cell.value = plain_text(header)
        cell.data_type = "s"
        cell.font = FONTS["header"]
        cell.fill = HEADER_FILL
    sheet.freeze_panes = "A2"
    for column, fmt in enumerate(tab.formats, start=1):
        if fmt is None:
            continue
        number_format = NUMBER_FORMATS[fmt]
        for row in range(2, _DROPDOWN_LAST_ROW + 1):
            sheet.cell(row, column).number_format = number_format
    add_dropdowns(sheet, tab.dropdowns, _DROPDOWN_LAST_ROW)
    add_nonzero_rules(sheet, tab.nonzero, _DROPDOWN_LAST_ROW)
    for column, value in enumerate(tab.example, start=1):
        write_cell(sheet.cell(2, column), Cell(value))
    widths = tab.column_widths or tuple(max(12, len(header) + 4) for header in tab.headers)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
