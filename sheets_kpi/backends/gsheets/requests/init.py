"""`sheets-kpi init` on Google: the requests that add the missing input tabs (or fill an
empty one) with their headers and a few examples. Pure: no HTTP, no clock."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sheets_kpi.backends.gsheets.requests.cells import NUMBER_FORMATS, Request
from sheets_kpi.backends.gsheets.requests.sheets import (
    DEFAULT_COLUMNS,
    DEFAULT_ROWS,
    SheetMeta,
    stable_sheet_id,
)
from sheets_kpi.backends.gsheets.requests.write import row_data, width_requests
from sheets_kpi.core.output.sheetplan import (
    Cell,
    InputTabInit,
    examples_for_a_blank_book,
)


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
            row_count = DEFAULT_ROWS
            columns = max(columns, DEFAULT_COLUMNS)
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
                "rows": [row_data(row, {}) for row in rows],
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
    for column, note in sorted(tab.nonzero.items()):
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
                            "type": "NUMBER_NOT_EQ",
                            "values": [{"userEnteredValue": "0"}],
                        },
                        "inputMessage": note,
                        "strict": False,
                    },
                }
            }
        )
    requests += width_requests(sheet_id, tab.column_widths)
    return requests
