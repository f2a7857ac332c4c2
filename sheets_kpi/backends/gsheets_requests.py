"""TabWrite plans → Sheets API v4 `batchUpdate` requests. Pure: no HTTP, no clock.

`backends/gsheets.py` reads the spreadsheet's metadata (`SheetMeta` per tab), calls
`write_requests` / `init_requests` and sends the result as ONE `spreadsheets.batchUpdate`.
Everything about how a generated tab looks in Google Sheets is decided here.
"""

from __future__ import annotations

import functools
import math
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sheets_kpi.core.cells import column_letter
from sheets_kpi.core.output.sheetplan import (
    Cell,
    CellRange,
    Chart,
    ConditionalRule,
    Formula,
    InputTabInit,
    NumberFormat,
    Style,
    TabWrite,
    examples_for_a_blank_book,
)

Request = dict[str, Any]

# Google refuses a whole batchUpdate when one cell holds more characters than this
MAX_CELL_TEXT = 50_000

# Protected ranges the bot adds carry this description, so it deletes only its own.
PROTECTION_MARKER = "sheets_kpi: лист заполняет бот, ручные правки перезапишутся"

NUMBER_FORMATS: dict[str, dict[str, str]] = {
    "integer": {"type": "NUMBER", "pattern": "#,##0"},
    "money": {"type": "NUMBER", "pattern": '#,##0.00 "₽"'},
    "money_whole": {"type": "NUMBER", "pattern": '#,##0 "₽"'},
    "percent": {"type": "PERCENT", "pattern": "0.0%"},
    "decimal": {"type": "NUMBER", "pattern": "#,##0.00"},
    "date": {"type": "DATE", "pattern": "dd.mm.yyyy"},
    "datetime": {"type": "DATE_TIME", "pattern": "dd.mm.yyyy hh:mm"},
    "hours": {"type": "NUMBER", "pattern": "0.0"},
    # a number shown as ↑2 / ↓1 / — (up, down, no change): sortable, never text
    "place_change": {"type": "NUMBER", "pattern": '"↑"0;"↓"0;"—"'},
}

_EPOCH = date(1899, 12, 30)  # day 0 of spreadsheet serial dates
_DEFAULT_ROWS = 1000
_DEFAULT_COLUMNS = 26
_CHART_ROWS = 20  # rows a chart covers below its anchor, kept inside the grid
_CHART_COLUMNS = 7
_CHART_SIZE = (640, 360)


def _rgb(hex_colour: str) -> dict[str, float]:
    value = hex_colour.lstrip("#")
    red, green, blue = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return {"red": round(red, 4), "green": round(green, 4), "blue": round(blue, 4)}


STYLES: dict[str, dict[str, Any]] = {
    "title": {"textFormat": {"bold": True, "fontSize": 14}},
    "header": {
        "textFormat": {"bold": True},
        "backgroundColor": _rgb("#E8EAED"),
        "wrapStrategy": "WRAP",
        "verticalAlignment": "MIDDLE",
    },
    "subtotal": {"textFormat": {"bold": True}},
    "banner": {
        "textFormat": {"bold": True, "foregroundColor": _rgb("#FFFFFF")},
        "backgroundColor": _rgb("#C62828"),
    },
    "note": {"textFormat": {"italic": True, "foregroundColor": _rgb("#5F6368")}},
    "muted": {"textFormat": {"foregroundColor": _rgb("#80868B")}},
}


@dataclass
class SheetMeta:
    """What the bot needs to know about one existing tab before writing."""

    sheet_id: int
    title: str
    index: int
    row_count: int = _DEFAULT_ROWS
    column_count: int = _DEFAULT_COLUMNS
    frozen_rows: int = 0
    chart_ids: list[int] = field(default_factory=list)
    conditional_count: int = 0
    # (protectedRangeId, description) of protected ranges on this tab
    protected: list[tuple[int, str]] = field(default_factory=list)
    has_data: bool = False
    sheet_type: str = "GRID"  # OBJECT for a tab that is one chart


def parse_sheet_meta(sheet: Mapping[str, Any]) -> SheetMeta:
    """One `Sheet` resource of a `spreadsheets.get` answer → SheetMeta."""
    props = sheet.get("properties", {})
    grid = props.get("gridProperties", {})
    has_data = any(
        "effectiveValue" in cell or "userEnteredValue" in cell
        for block in sheet.get("data", ())
        for row in block.get("rowData", ())
        for cell in row.get("values", ())
    )
    return SheetMeta(
        sheet_id=int(props.get("sheetId", 0)),
        title=str(props.get("title", "")),
        index=int(props.get("index", 0)),
        row_count=int(grid.get("rowCount", _DEFAULT_ROWS)),
        column_count=int(grid.get("columnCount", _DEFAULT_COLUMNS)),
        frozen_rows=int(grid.get("frozenRowCount", 0)),
        chart_ids=[
            int(chart["chartId"]) for chart in sheet.get("charts", ()) if "chartId" in chart
        ],
        conditional_count=len(sheet.get("conditionalFormats", ())),
        protected=[
            (int(item["protectedRangeId"]), str(item.get("description", "")))
            for item in sheet.get("protectedRanges", ())
            if "protectedRangeId" in item
        ],
        has_data=has_data,
        sheet_type=str(props.get("sheetType", "GRID")),
    )


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


def stable_sheet_id(key: str, taken: Iterable[int]) -> int:
    """A sheetId derived from the tab's key, so a re-created tab gets its old gid back."""
    used = set(taken)
    candidate = zlib.crc32(f"sheets_kpi:{key}".encode()) % 2_000_000_000 + 1
    while candidate in used:
        candidate = candidate % 2_000_000_000 + 1
    return candidate


def _number_text(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def conditional_request(sheet_id: int, rule: ConditionalRule, index: int) -> Request:
    kind = "NUMBER_LESS" if rule.op == "<" else "NUMBER_GREATER_THAN_EQ"
    return {
        "addConditionalFormatRule": {
            "index": index,
            "rule": {
                "ranges": [grid_range(sheet_id, rule.cells)],
                "booleanRule": {
                    "condition": {
                        "type": kind,
                        "values": [{"userEnteredValue": _number_text(rule.value)}],
                    },
                    "format": {"backgroundColor": _rgb(rule.fill)},
                },
            },
        }
    }


def chart_request(sheet_id: int, chart: Chart) -> Request:
    """A plan chart → `addChart`: COLUMN, LINE, or COMBO when some series are lines."""
    # the row above the data is its header: it names the series in the legend
    header = 1 if chart.categories.first_row > 1 else 0
    if chart.kind == "line":
        chart_type = "LINE"
    elif chart.line_series:
        chart_type = "COMBO"
    else:
        chart_type = "COLUMN"
    series = []
    for position, item in enumerate(chart.series):
        entry: dict[str, Any] = {
            "series": {
                "sourceRange": {
                    "sources": [grid_range(sheet_id, item.values, extra_rows_above=header)]
                }
            },
            "targetAxis": "LEFT_AXIS",
        }
        if chart_type == "COMBO":
            entry["type"] = "LINE" if position in chart.line_series else "COLUMN"
        series.append(entry)
    width, height = _CHART_SIZE
    return {
        "addChart": {
            "chart": {
                "spec": {
                    "title": chart.title,
                    "basicChart": {
                        "chartType": chart_type,
                        "legendPosition": "BOTTOM_LEGEND",
                        "headerCount": header,
                        "domains": [
                            {
                                "domain": {
                                    "sourceRange": {
                                        "sources": [
                                            grid_range(
                                                sheet_id,
                                                chart.categories,
                                                extra_rows_above=header,
                                            )
                                        ]
                                    }
                                }
                            }
                        ],
                        "series": series,
                    },
                },
                "position": {
                    "overlayPosition": {
                        "anchorCell": {
                            "sheetId": sheet_id,
                            "rowIndex": chart.anchor_row - 1,
                            "columnIndex": chart.anchor_column - 1,
                        },
                        "widthPixels": width,
                        "heightPixels": height,
                    }
                },
            }
        }
    }


def _grid_size(plan: TabWrite) -> tuple[int, int]:
    rows = max(len(plan.rows), plan.frozen_rows + 1, 1)
    columns = max([len(row) for row in plan.rows] + [len(plan.column_widths), 1])
    for rule in plan.conditional:
        rows = max(rows, rule.cells.last_row)
        columns = max(columns, rule.cells.last_column)
    for chart in plan.charts:
        rows = max(rows, chart.anchor_row + _CHART_ROWS)
        columns = max(columns, chart.anchor_column + _CHART_COLUMNS)
        for block in (chart.categories, *(item.values for item in chart.series)):
            rows = max(rows, block.last_row)
            columns = max(columns, block.last_column)
    return rows, columns


def _row_data(row: Sequence[Cell], gids: Mapping[str, int]) -> dict[str, Any]:
    return {"values": [cell_data(cell, gids) for cell in row]}


_MIN_RUN = 4  # shorter runs of one format stay in the cells: a repeatCell costs more


def _lift_format_runs(sheet_id: int, rows_data: list[dict[str, Any]]) -> list[Request]:
    """Take runs of one format down a column out of the cells into one `repeatCell` each.

    A money column of 1,000 rows then carries its format once instead of 1,000 times, which
    keeps the write well under Google's 2 MB advice. Formats come from the `cell_format` cache,
    so equal formats are the same object.
    """
    requests: list[Request] = []
    width = max([len(row["values"]) for row in rows_data] + [0])
    for column in range(width):
        start = 0
        while start < len(rows_data):
            fmt = _format_at(rows_data, start, column)
            end = start + 1
            while end < len(rows_data) and fmt is not None:
                if _format_at(rows_data, end, column) is not fmt:
                    break
                end += 1
            if fmt is not None and end - start >= _MIN_RUN:
                for row in rows_data[start:end]:
                    del row["values"][column]["userEnteredFormat"]
                requests.append(
                    {
                        "repeatCell": {
                            "range": {
                                "sheetId": sheet_id,
                                "startRowIndex": start,
                                "endRowIndex": end,
                                "startColumnIndex": column,
                                "endColumnIndex": column + 1,
                            },
                            "cell": {"userEnteredFormat": fmt},
                            "fields": "userEnteredFormat",
                        }
                    }
                )
            start = end
    return requests


def _format_at(rows_data: list[dict[str, Any]], row: int, column: int) -> object | None:
    values = rows_data[row]["values"]
    return values[column].get("userEnteredFormat") if column < len(values) else None


def _width_requests(sheet_id: int, widths: Sequence[int]) -> list[Request]:
    """Column widths, consecutive equal widths merged into one request."""
    requests: list[Request] = []
    start = 0
    for position in range(1, len(widths) + 1):
        if position == len(widths) or widths[position] != widths[start]:
            if widths[start] > 0:
                requests.append(
                    {
                        "updateDimensionProperties": {
                            "range": {
                                "sheetId": sheet_id,
                                "dimension": "COLUMNS",
                                "startIndex": start,
                                "endIndex": position,
                            },
                            "properties": {"pixelSize": pixels(widths[start])},
                            "fields": "pixelSize",
                        }
                    }
                )
            start = position
    return requests


def _cleanup_requests(meta: SheetMeta) -> list[Request]:
    """Delete the bot's previous charts, conditional rules and protections on its own tab."""
    requests: list[Request] = [
        {"deleteEmbeddedObject": {"objectId": chart_id}} for chart_id in meta.chart_ids
    ]
    # deleting from the end keeps the remaining indexes valid
    requests += [
        {"deleteConditionalFormatRule": {"sheetId": meta.sheet_id, "index": index}}
        for index in reversed(range(meta.conditional_count))
    ]
    requests += [
        {"deleteProtectedRange": {"protectedRangeId": range_id}}
        for range_id, description in meta.protected
        if description.startswith(PROTECTION_MARKER.split(":")[0])
    ]
    return requests


def write_requests(plans: Sequence[TabWrite], sheets: Mapping[str, SheetMeta]) -> list[Request]:
    """Every request of one run's write, given the tabs the spreadsheet holds now (by title).

    Missing tabs are added with explicit sheetIds; existing ones keep theirs. Only the tabs named
    in `plans` are touched.
    """
    gids = {title: meta.sheet_id for title, meta in sheets.items()}
    taken = set(gids.values())
    added: list[Request] = []
    body: list[Request] = []
    for plan in plans:
        meta = sheets.get(plan.title)
        if meta is None:
            sheet_id = stable_sheet_id(plan.key, taken)
            taken.add(sheet_id)
            gids[plan.title] = sheet_id
            rows, columns = _grid_size(plan) if plan.mode == "replace" else (1, 1)
            columns = max(columns, len(plan.rows[0]) if plan.rows else 1)
            added.append(
                {
                    "addSheet": {
                        "properties": {
                            "sheetId": sheet_id,
                            "title": plan.title,
                            "gridProperties": {"rowCount": rows, "columnCount": columns},
                        }
                    }
                }
            )
            meta = SheetMeta(sheet_id, plan.title, len(sheets) + len(added), rows, columns)
        if plan.mode == "banner":
            body += _banner_requests(plan, meta, gids)
        else:
            body += _replace_requests(plan, meta, gids)
    return added + body


def _banner_requests(plan: TabWrite, meta: SheetMeta, gids: Mapping[str, int]) -> list[Request]:
    row = plan.rows[0] if plan.rows else ()
    requests: list[Request] = []
    if len(row) > meta.column_count:
        requests.append(
            {
                "updateSheetProperties": {
                    "properties": {
                        "sheetId": meta.sheet_id,
                        "gridProperties": {"columnCount": len(row)},
                    },
                    "fields": "gridProperties.columnCount",
                }
            }
        )
    requests.append(
        {
            "updateCells": {
                "range": {
                    "sheetId": meta.sheet_id,
                    "startRowIndex": 0,
                    "endRowIndex": 1,
                    "startColumnIndex": 0,
                    "endColumnIndex": max(meta.column_count, len(row), 1),
                },
                "rows": [_row_data(row, gids)],
                "fields": "userEnteredValue,userEnteredFormat",
            }
        }
    )
    return requests


def _replace_requests(plan: TabWrite, meta: SheetMeta, gids: Mapping[str, int]) -> list[Request]:
    sheet_id = meta.sheet_id
    rows, columns = _grid_size(plan)
    requests = _cleanup_requests(meta)
    requests.append(
        {
            "updateSheetProperties": {
                "properties": {
                    "sheetId": sheet_id,
                    "gridProperties": {
                        "rowCount": rows,
                        "columnCount": columns,
                        "frozenRowCount": plan.frozen_rows,
                    },
                },
                "fields": "gridProperties(rowCount,columnCount,frozenRowCount)",
            }
        }
    )
    rows_data = [_row_data(row, gids) for row in plan.rows]
    format_runs = _lift_format_runs(sheet_id, rows_data)
    # one updateCells over the whole grid: cells the rows do not cover are cleared
    requests.append(
        {"updateCells": {"range": {"sheetId": sheet_id}, "rows": rows_data, "fields": "*"}}
    )
    requests += format_runs
    requests += _width_requests(sheet_id, plan.column_widths)
    requests += [
        conditional_request(sheet_id, rule, index) for index, rule in enumerate(plan.conditional)
    ]
    requests += [chart_request(sheet_id, chart) for chart in plan.charts]
    if plan.protected:
        requests.append(
            {
                "addProtectedRange": {
                    "protectedRange": {
                        "range": {"sheetId": sheet_id},
                        "description": PROTECTION_MARKER,
                        "warningOnly": True,
                    }
                }
            }
        )
    return requests


def init_requests(
    tabs: Sequence[InputTabInit], sheets: Mapping[str, SheetMeta]
) -> tuple[list[Request], list[str]]:
    """Requests adding missing input tabs (or filling an empty one) and the titles they touch.

    A tab that has any data is left alone; when any input tab has data, no example row is added
    (`examples_for_a_blank_book`).
    """
    taken = {meta.sheet_id for meta in sheets.values()}
    added: list[Request] = []
    body: list[Request] = []
    titles: list[str] = []
    with_data = {title for title, meta in sheets.items() if meta.has_data}
    for tab in examples_for_a_blank_book(tabs, with_data):
        meta = sheets.get(tab.title)
        if meta is not None and meta.has_data:
            continue
        columns = max(len(tab.headers), len(tab.column_widths), 1)
        if meta is None:
            sheet_id = stable_sheet_id(f"input:{tab.key}", taken)
            taken.add(sheet_id)
            row_count = _DEFAULT_ROWS
            columns = max(columns, _DEFAULT_COLUMNS)
            added.append(
                {
                    "addSheet": {
                        "properties": {
                            "sheetId": sheet_id,
                            "title": tab.title,
                            "gridProperties": {
                                "rowCount": row_count,
                                "columnCount": columns,
                                "frozenRowCount": 1,
                            },
                        }
                    }
                }
            )
        else:
            sheet_id = meta.sheet_id
            row_count = max(meta.row_count, 2)
            columns = max(columns, meta.column_count)
            body.append(
                {
                    "updateSheetProperties": {
                        "properties": {
                            "sheetId": sheet_id,
                            "gridProperties": {
                                "rowCount": row_count,
                                "columnCount": columns,
                                "frozenRowCount": 1,
                            },
                        },
                        "fields": "gridProperties(rowCount,columnCount,frozenRowCount)",
                    }
                }
            )
        titles.append(tab.title)
        body += _init_tab_requests(tab, sheet_id, row_count)
    return added + body, titles


def _init_tab_requests(tab: InputTabInit, sheet_id: int, row_count: int) -> list[Request]:
    header = [Cell(text, style="header") for text in tab.headers]
    example = [
        Cell(value, fmt=tab.formats[position] if position < len(tab.formats) else None)
        for position, value in enumerate(tab.example)
    ]
    rows = [header] + ([example] if tab.example else [])
    requests: list[Request] = [
        {
            "updateCells": {
                "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0},
                "rows": [_row_data(row, {}) for row in rows],
                "fields": "userEnteredValue,userEnteredFormat",
            }
        }
    ]
    first_data_row = len(rows)  # 0-based index of the first row below the example
    for position, fmt in enumerate(tab.formats):
        if fmt is None or first_data_row >= row_count:
            continue
        requests.append(
            {
                "repeatCell": {
                    "range": {
                        "sheetId": sheet_id,
                        "startRowIndex": first_data_row,
                        "endRowIndex": row_count,
                        "startColumnIndex": position,
                        "endColumnIndex": position + 1,
                    },
                    "cell": {"userEnteredFormat": {"numberFormat": dict(NUMBER_FORMATS[fmt])}},
                    "fields": "userEnteredFormat.numberFormat",
                }
            }
        )
    for column, values in sorted(tab.dropdowns.items()):
        requests.append(
            {
                "setDataValidation": {
                    "range": {
                        "sheetId": sheet_id,
                        "startRowIndex": 1,
                        "endRowIndex": row_count,
                        "startColumnIndex": column - 1,
                        "endColumnIndex": column,
                    },
                    "rule": {
                        "condition": {
                            "type": "ONE_OF_LIST",
                            "values": [{"userEnteredValue": value} for value in values],
                        },
                        "strict": False,
                        "showCustomUi": True,
                    },
                }
            }
        )
    requests += _width_requests(sheet_id, tab.column_widths)
    return requests
