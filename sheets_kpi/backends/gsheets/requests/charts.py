"""A plan's conditional formats and charts → `addConditionalFormatRule` / `addChart`."""

from __future__ import annotations

from typing import Any

from sheets_kpi.backends.gsheets.requests.cells import Request, grid_range, rgb
from sheets_kpi.core.output.sheetplan import (
    Chart,
    ConditionalRule,
)

CHART_ROWS = 20  # rows a chart covers below its anchor, kept inside the grid
CHART_COLUMNS = 7
_CHART_SIZE = (640, 360)


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
                    "format": {"backgroundColor": rgb(rule.fill)},
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
