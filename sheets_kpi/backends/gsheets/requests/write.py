"""TabWrite plans → the requests of one run's write: each generated tab replaced (cells,
formats lifted into runs, widths, freezes, protections, charts) or, for a fatal run, only
the banner of Сводка. Pure: no HTTP, no clock."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sheets_kpi.backends.gsheets.requests.cells import Request, cell_data, pixels
from sheets_kpi.backends.gsheets.requests.charts import (
    CHART_COLUMNS,
    CHART_ROWS,
    chart_request,
    conditional_request,
)
from sheets_kpi.backends.gsheets.requests.sheets import (
    PROTECTION_MARKER,
    SheetMeta,
    cleanup_requests,
    stable_sheet_id,
)
from sheets_kpi.core.output.sheetplan import (
    Cell,
    TabWrite,
)


def _grid_size(plan: TabWrite) -> tuple[int, int]:
    rows = max(len(plan.rows), plan.frozen_rows + 1, 1)
    columns = max([len(row) for row in plan.rows] + [len(plan.column_widths), 1])
    for rule in plan.conditional:
        rows = max(rows, rule.cells.last_row)
        columns = max(columns, rule.cells.last_column)
    for chart in plan.charts:
        rows = max(rows, chart.anchor_row + CHART_ROWS)
        columns = max(columns, chart.anchor_column + CHART_COLUMNS)
        for block in (chart.categories, *(item.values for item in chart.series)):
            rows = max(rows, block.last_row)
            columns = max(columns, block.last_column)
    return rows, columns


def row_data(row: Sequence[Cell], gids: Mapping[str, int]) -> dict[str, Any]:
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


def width_requests(sheet_id: int, widths: Sequence[int]) -> list[Request]:
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
                "rows": [row_data(row, gids)],
                "fields": "userEnteredValue,userEnteredFormat",
            }
        }
    )
    return requests


def _replace_requests(plan: TabWrite, meta: SheetMeta, gids: Mapping[str, int]) -> list[Request]:
    sheet_id = meta.sheet_id
    rows, columns = _grid_size(plan)
    requests = cleanup_requests(meta)
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
    rows_data = [row_data(row, gids) for row in plan.rows]
    format_runs = _lift_format_runs(sheet_id, rows_data)
    # one updateCells over the whole grid: cells the rows do not cover are cleared
    requests.append(
        {"updateCells": {"range": {"sheetId": sheet_id}, "rows": rows_data, "fields": "*"}}
    )
    requests += format_runs
    requests += width_requests(sheet_id, plan.column_widths)
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
