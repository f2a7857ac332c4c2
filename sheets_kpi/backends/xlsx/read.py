"""Raw rows of the input tabs: through python-calamine (fast), or through openpyxl when
calamine would read a cell differently; `init`, the demo and the readers' agreement test use
openpyxl too."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from pathlib import Path

import python_calamine
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from sheets_kpi.backends.xlsx.parts import sheet_parts
from sheets_kpi.core.model import RawCell, RawTab, RawWorkbook


def read_with_openpyxl(workbook: Workbook, wanted: Callable[[str], bool]) -> RawWorkbook:
    """Every tab title, and the raw values of the wanted tabs of a workbook openpyxl opened
    (`read_only=True, data_only=True`)."""
    tabs = {
        sheet.title: RawTab(sheet.title, sheet_rows(sheet))
        for sheet in workbook.worksheets
        if wanted(sheet.title)
    }
    return RawWorkbook(titles=tuple(workbook.sheetnames), tabs=tabs)


def sheet_rows(sheet: object) -> list[list[RawCell]]:
    """Raw values row by row, trailing empty cells and rows dropped without holding the empty
    rows of a sheet formatted down to row 1 048 576."""
    iter_rows = getattr(sheet, "iter_rows", None)
    if iter_rows is None:  # a chart sheet: no cells
        return []
    reset_dimensions = getattr(sheet, "reset_dimensions", None)
    if reset_dimensions is not None:
        # the size a file declares may be wrong (cut rows off) or huge (a million empty rows):
        # read the cells that are really there
        reset_dimensions()
    return _trimmed(list(values) for values in iter_rows(values_only=True))


def _trimmed(rows_read: Iterable[list[RawCell]]) -> list[list[RawCell]]:
    """Rows without their trailing empty cells ("" is empty too), and without the empty rows
    after the last one with data; an empty row between two is kept as []."""
    rows: list[list[RawCell]] = []
    pending_empty = 0
    for row in rows_read:
        while row and (row[-1] is None or row[-1] == ""):
            row.pop()
        if not row:
            pending_empty += 1
            continue
        rows.extend([] for _ in range(pending_empty))
        pending_empty = 0
        rows.append(row)
    return rows


def has_data(sheet: Worksheet) -> bool:
    return any(
        value is not None and value != ""
        for row in sheet.iter_rows(values_only=True)
        for value in row
    )


# --------------------------------------------------------------- calamine (issue 19)

# what calamine reads differently from openpyxl, found in the XML before trusting it:
# error cells (calamine gives an empty string, openpyxl "#DIV/0!") and text that starts or ends
# with whitespace without xml:space="preserve" (calamine trims it, openpyxl keeps it)
_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*\bt="e"')
_UNPRESERVED_SPACE = re.compile(rb"<(?:\w+:)?t>(?:\s[^<]*|[^<]*\s)</(?:\w+:)?t>")
# cheap first looks (literal prefixes): the exact patterns run only where these find something
_MAYBE_ERROR = re.compile(rb't="e"')
_MAYBE_SPACE = re.compile(rb"t>\s|\s</(?:\w+:)?t>")
_EXACT_INTEGERS = 2**53  # a float beyond this may not be the integer the file holds


def read_with_calamine(path: Path, wanted: Callable[[str], bool]) -> RawWorkbook | None:
    """Every tab title, and the raw values of the wanted tabs, as `read_with_openpyxl` gives
    them (integers as int, dates as datetime, formulas as their cached results), but 5–10×
    faster. None when the workbook holds what calamine reads differently (error cells, text
    with unmarked leading or trailing spaces): the caller then reads it with openpyxl. Empty
    cells and empty strings are both None (core/parse.is_blank treats them alike)."""
    with zipfile.ZipFile(path) as archive:
        parts = sheet_parts(archive)
        wanted_parts = [part for title, part in parts.items() if wanted(title)]
        if _calamine_differs(archive, wanted_parts):
            return None
    with python_calamine.CalamineWorkbook.from_path(str(path)) as workbook:
        titles = tuple(sheet.name for sheet in workbook.sheets_metadata)
        tabs: dict[str, RawTab] = {}
        for sheet in workbook.sheets_metadata:
            if not wanted(sheet.name):
                continue
            if sheet.typ != python_calamine.SheetTypeEnum.WorkSheet:
                tabs[sheet.name] = RawTab(sheet.name, [])
                continue
            tabs[sheet.name] = RawTab(
                sheet.name, _calamine_rows(workbook.get_sheet_by_name(sheet.name))
            )
    return RawWorkbook(titles=titles, tabs=tabs)


def _calamine_differs(archive: zipfile.ZipFile, parts: list[str]) -> bool:
    names = set(archive.namelist())
    wanted = [part for part in parts if part in names]
    if wanted and "xl/sharedStrings.xml" in names:
        if _found(archive, "xl/sharedStrings.xml", errors=False):
            return True
    return any(_found(archive, part, errors=True) for part in wanted)


# A part is searched in pieces of this size, not read whole: a 1M-row sheet is 441 MB of XML,
# and reading it at once was the read's peak memory (970 MiB) and took 5.5 s.
_PIECE = 8 << 20


def _found(archive: zipfile.ZipFile, part: str, *, errors: bool) -> bool:
    """True when the part holds an error cell (`errors`) or text with unmarked outer spaces.

    Read in pieces; each search runs over the unsearched tail of the previous piece from its
    second-to-last `<` on, plus the new piece. A match holds at most two `<` (`<t>…</t>`,
    `<c … t="e"`), so one that the previous search cut off starts in that tail.
    """
    carry = b""
    with archive.open(part) as stream:
        while piece := stream.read(_PIECE):
            data = carry + piece
            if errors and _MAYBE_ERROR.search(data) and _ERROR_CELL.search(data):
                return True
            if _MAYBE_SPACE.search(data) and _UNPRESERVED_SPACE.search(data):
                return True
            last = data.rfind(b"<")
            cut = data.rfind(b"<", 0, last) if last > 0 else -1
            carry = data[cut:] if cut >= 0 else data
    return False


def _calamine_rows(sheet: python_calamine.CalamineSheet) -> list[list[RawCell]]:
    """The sheet's rows from row 1 and column A, as `read_with_openpyxl` gives them.

    Row by row (`iter_rows`), not the whole grid at once (`to_python`): calamine's row lists
    become the raw rows (no second list per row), and each text or date is kept once however
    many cells repeat it (a manager's name, a client's, a channel, a day). `iter_rows` starts
    at the first row but at the sheet's first used column, so rows are padded back to column A.
    """
    start = sheet.start
    if start is None:
        return []
    first_column = start[1]
    texts: dict[str, str] = {}
    moments: dict[RawCell, RawCell] = {}
    rows: list[list[RawCell]] = []
    for values in sheet.iter_rows():
        for column, value in enumerate(values):
            if type(value) is str:
                values[column] = texts.setdefault(value, value) if value else None
            else:
                value = _as_openpyxl_gives(value)
                if type(value) is datetime:
                    value = moments.setdefault(value, value)
                values[column] = value
        rows.append([None] * first_column + values if first_column else values)
    return _trimmed(rows)


def _as_openpyxl_gives(value: object) -> RawCell:
    """A cell as openpyxl reads it: "120000" is an int, a date-formatted whole number a
    datetime at midnight; empty text is None."""
    if value == "":
        return None
    if type(value) is float and value.is_integer() and abs(value) < _EXACT_INTEGERS:
        return int(value)
    if type(value) is date:
        return datetime.combine(value, time())
    return value
