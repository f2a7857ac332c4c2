"""One cell of a plan → the Sheets API's `CellData`: values, number formats, styles, links,
serial dates, column letters and grid ranges. Pure: no HTTP, no clock."""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sheets_kpi.core.cells import column_letter
from sheets_kpi.core.output.sheetplan import (
    Cell,
    CellRange,
    Formula,
    NumberFormat,
    Style,
)

Request = dict[str, Any]

# Google refuses a whole batchUpdate when one cell holds more characters than this
MAX_CELL_TEXT = 50_000

NUMBER_FORMATS: dict[str, dict[str, str]] = {
    "integer": {"type": "NUMBER", "pattern": "#,##0"},
    "money": {"type": "NUMBER", "pattern": '#,##0.00 "₽"'},
    "money_whole": {"type": "NUMBER", "pattern": '#,##0 "₽"'},
    "percent": {"type": "PERCENT", "pattern": "0.0%"},
    "decimal": {"type": "NUMBER", "pattern": "#,##0.00"},
    "date": {"type": "DATE", "pattern": "dd.mm.yyyy"},
    "month": {"type": "DATE", "pattern": "mm.yyyy"},
    "datetime": {"type": "DATE_TIME", "pattern": "dd.mm.yyyy hh:mm"},
    "hours": {"type": "NUMBER", "pattern": "0.0"},
    # a number shown as ↑2 / ↓1 / — (up, down, no change): sortable, never text
    "place_change": {"type": "NUMBER", "pattern": '"↑"0;"↓"0;"—"'},
}

_EPOCH = date(1899, 12, 30)  # day 0 of spreadsheet serial dates


def rgb(hex_colour: str) -> dict[str, float]:
    value = hex_colour.lstrip("#")
    red, green, blue = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return {"red": round(red, 4), "green": round(green, 4), "blue": round(blue, 4)}


STYLES: dict[str, dict[str, Any]] = {
    "title": {"textFormat": {"bold": True, "fontSize": 14}},
    "header": {
        "textFormat": {"bold": True},
        "backgroundColor": rgb("#E8EAED"),
        "wrapStrategy": "WRAP",
        "verticalAlignment": "MIDDLE",
    },
    "subtotal": {"textFormat": {"bold": True}},
    "banner": {
        "textFormat": {"bold": True, "foregroundColor": rgb("#FFFFFF")},
        "backgroundColor": rgb("#C62828"),
    },
    "note": {"textFormat": {"italic": True, "foregroundColor": rgb("#5F6368")}},
    "muted": {"textFormat": {"foregroundColor": rgb("#80868B")}},
}


def serial_date(value: date | datetime) -> float | int:
    """A date as a spreadsheet serial number (days since 1899-12-30); time as a fraction."""
    if isinstance(value, datetime):
        days = (value.date() - _EPOCH).days
        seconds = value.hour * 3600 + value.minute * 60 + value.second
        return days + round(seconds / 86400, 10)
    return (value - _EPOCH).days


def quote_formula_text(text: str) -> str:
    """A string literal for a formula: quotes doubled so user text cannot end the literal."""
    return '"' + text.replace('"', '""') + '"'


def hyperlink_formula(gid: int, row: int, column: int, label: str) -> str:
    """The bot's own link to a cell of the same spreadsheet, label escaped."""
    target = f"#gid={gid}&range={column_letter(column)}{row}"
    # even with every quote doubled the formula stays under Google's limit for one cell
    label = label[: MAX_CELL_TEXT // 2 - 100]
    return f"=HYPERLINK({quote_formula_text(target)};{quote_formula_text(label)})"


def _label(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Formula):
        return ""
    return str(value)


def extended_value(value: object) -> dict[str, Any] | None:
    """A plan value → Sheets `ExtendedValue`; None for an empty cell (None, NaN, ±inf)."""
    if value is None:
        return None
    if isinstance(value, Formula):
        text = value.text
        return {"formulaValue": text if text.startswith("=") else "=" + text}
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int):
        return {"numberValue": value}
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        return {"numberValue": value}
    if isinstance(value, datetime | date):
        return {"numberValue": serial_date(value)}
    # any other value (str, Decimal, numpy scalar) is written as what it is, never parsed
    if hasattr(value, "item") and not isinstance(value, str):
        return extended_value(value.item())  # numpy scalar
    if type(value).__name__ == "Decimal":
        return {"numberValue": float(value)}  # type: ignore[arg-type]
    return {"stringValue": str(value)[:MAX_CELL_TEXT]}


@functools.cache
def cell_format(fmt: NumberFormat | None, style: Style | None) -> dict[str, Any] | None:
    """Number format and style of a cell → Sheets `CellFormat`, or None for the default.

    Cached and shared between cells: callers must not change the dict."""
    result: dict[str, Any] = {}
    if style is not None:
        result.update(STYLES[style])
    if fmt is not None:
        result["numberFormat"] = dict(NUMBER_FORMATS[fmt])
    return result or None


def cell_data(cell: Cell, gids: Mapping[str, int]) -> dict[str, Any]:
    """One plan cell → Sheets `CellData` (userEnteredValue + userEnteredFormat)."""
    fmt = cell.fmt
    if fmt is None and isinstance(cell.value, date | datetime):
        fmt = "datetime" if isinstance(cell.value, datetime) else "date"
    data: dict[str, Any] = {}
    gid = gids.get(cell.link.tab) if cell.link is not None else None
    if cell.link is not None and gid is not None:
        label = _label(cell.value) or f"{column_letter(cell.link.column)}{cell.link.row}"
        formula = hyperlink_formula(gid, cell.link.row, cell.link.column, label)
        data["userEnteredValue"] = {"formulaValue": formula}
    else:
        value = extended_value(cell.value)
        if value is not None:
            data["userEnteredValue"] = value
    cell_fmt = cell_format(fmt, cell.style)
    if cell_fmt is not None:
        data["userEnteredFormat"] = cell_fmt
    return data


def grid_range(
    sheet_id: int, block: CellRange | None = None, *, extra_rows_above: int = 0
) -> dict[str, int]:
    """A 1-based inclusive CellRange → a 0-based half-open Sheets `GridRange`."""
    if block is None:
        return {"sheetId": sheet_id}
    return {
        "sheetId": sheet_id,
        "startRowIndex": block.first_row - 1 - extra_rows_above,
        "endRowIndex": block.last_row,
        "startColumnIndex": block.first_column - 1,
        "endColumnIndex": block.last_column,
    }


def pixels(characters: int) -> int:
    """Column width in characters → pixels, as Google Sheets draws its default font."""
    return max(24, round(characters * 7.5 + 12))
