"""Google Sheets answers → the backend's raw cells (pure functions, no network).

Two shapes of answer carry the same cells: `spreadsheets.get` grid data (`effectiveValue` per
cell; the first read of a process, which also needs every tab's metadata) and
`spreadsheets.values.batchGet` with `UNFORMATTED_VALUE` + `SERIAL_NUMBER` (every later read;
about a fifth of the bytes). Both give the same `RawCell`s: numbers (integral ones as int),
strings with their whitespace, booleans, dates as serial numbers, a formula's result, and an
error cell as the text Google shows for it (`#DIV/0!`, `#N/A`, ...).

One difference cannot be told apart by `values.batchGet`: a formula whose result is the empty
string (`=""`) comes back as `""`, exactly like an empty cell inside a row, so it reads as an
empty cell (grid data gives `""`). The core treats an empty string and an empty cell alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sheets_kpi.core.model import RawCell

_META_FIELDS = (
    "properties(sheetId,title,index,sheetType,gridProperties(rowCount,columnCount,frozenRowCount)),"
    "charts(chartId),conditionalFormats(ranges(sheetId)),"
    "protectedRanges(protectedRangeId,description,range(sheetId))"
)
READ_FIELDS = f"sheets({_META_FIELDS},data(startRow,startColumn,rowData(values(effectiveValue))))"
META_FIELDS = f"sheets({_META_FIELDS})"
# the batchUpdate reply: the tabs' metadata after the write, for the next cycle's read and write
WRITE_REPLY_FIELDS = f"updatedSpreadsheet.{META_FIELDS}"

_ERROR_TEXT = {
    "NULL_VALUE": "#NULL!",
    "DIVIDE_BY_ZERO": "#DIV/0!",
    "VALUE": "#VALUE!",
    "REF": "#REF!",
    "NAME": "#NAME?",
    "NUM": "#NUM!",
    "N_A": "#N/A",
    "LOADING": "Loading...",
}


def a1_tab(title: str, cells: str = "") -> str:
    """A1 notation for a whole tab (or `cells` of it); the title is always quoted."""
    quoted = "'" + title.replace("'", "''") + "'"
    return f"{quoted}!{cells}" if cells else quoted


def _number(number: int | float) -> int | float:
    if isinstance(number, float) and number.is_integer() and abs(number) < 2**53:
        return int(number)
    return number


def raw_value(cell: Mapping[str, Any]) -> RawCell:
    """One grid-data `CellData` → its raw value."""
    value = cell.get("effectiveValue")
    if not value:
        return None
    if "numberValue" in value:
        return _number(value["numberValue"])
    if "stringValue" in value:
        return value["stringValue"]
    if "boolValue" in value:
        return bool(value["boolValue"])
    if "errorValue" in value:
        kind = value["errorValue"].get("type", "ERROR")
        return _ERROR_TEXT.get(kind, "#ERROR!")
    return None


def raw_rows(blocks: Sequence[Mapping[str, Any]]) -> list[list[RawCell]]:
    """Grid data → rows of raw values, trimmed of trailing empty rows and columns."""
    rows: list[list[RawCell]] = []
    for block in blocks:
        start_row = int(block.get("startRow", 0))
        start_column = int(block.get("startColumn", 0))
        for offset, row_data in enumerate(block.get("rowData", ())):
            index = start_row + offset
            while len(rows) <= index:
                rows.append([])
            values = [raw_value(cell) for cell in row_data.get("values", ())]
            row = rows[index]
            needed = start_column + len(values)
            if len(row) < needed:
                row.extend([None] * (needed - len(row)))
            row[start_column:needed] = values
    return _trimmed(rows)


def _unformatted(value: Any) -> RawCell:
    """One value of a `values.batchGet` UNFORMATTED_VALUE answer → its raw value.

    Google sends an empty cell before the row's last value as "", numbers (date serials too)
    as JSON numbers, booleans as true/false and an error cell as its shown text."""
    if value == "" or value is None:
        return None
    if isinstance(value, bool | str):
        return value
    if isinstance(value, int | float):
        return _number(value)
    return str(value)


def value_rows(values: Iterable[Sequence[Any]]) -> list[list[RawCell]]:
    """The `values` of one ValueRange (rows, from A1) → raw rows, trimmed as `raw_rows`."""
    return _trimmed([[_unformatted(value) for value in row] for row in values])


def _trimmed(rows: list[list[RawCell]]) -> list[list[RawCell]]:
    for row in rows:
        while row and row[-1] is None:
            row.pop()
    while rows and not rows[-1]:
        rows.pop()
    return rows
