"""The tabs a spreadsheet holds now (`SheetMeta` from `spreadsheets.get`), the sheetIds the bot
gives new tabs, and the requests that clear what the bot drew on its own tab last time."""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sheets_kpi.backends.gsheets.requests.cells import Request

# Protected ranges the bot adds carry this description, so it deletes only its own.
PROTECTION_MARKER = "sheets_kpi: лист заполняет бот, ручные правки перезапишутся"

DEFAULT_ROWS = 1000
DEFAULT_COLUMNS = 26


@dataclass
class SheetMeta:
    """What the bot needs to know about one existing tab before writing."""

    sheet_id: int
    title: str
    index: int
    row_count: int = DEFAULT_ROWS
    column_count: int = DEFAULT_COLUMNS
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
        row_count=int(grid.get("rowCount", DEFAULT_ROWS)),
        column_count=int(grid.get("columnCount", DEFAULT_COLUMNS)),
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


def stable_sheet_id(key: str, taken: Iterable[int]) -> int:
    """A sheetId derived from the tab's key, so a re-created tab gets its old gid back."""
    used = set(taken)
    candidate = zlib.crc32(f"sheets_kpi:{key}".encode()) % 2_000_000_000 + 1
    while candidate in used:
        candidate = candidate % 2_000_000_000 + 1
    return candidate


def cleanup_requests(meta: SheetMeta) -> list[Request]:
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
