"""TabWrite plans → Sheets API v4 `batchUpdate` requests. Pure: no HTTP, no clock.

`gsheets/client.py` reads the spreadsheet's metadata (`SheetMeta` per tab), calls
`write_requests` / `init_requests` and sends the result as ONE `spreadsheets.batchUpdate`.
Everything about how a generated tab looks in Google Sheets is decided here, one idea a
module: `cells` (one cell's value and format), `sheets` (the tabs there are), `charts`
(conditional formats and charts), `write` (a run's write), `init` (`sheets-kpi init`).
"""

from sheets_kpi.backends.gsheets.requests.cells import (
    Request,
    column_letter,
    hyperlink_formula,
    serial_date,
)
from sheets_kpi.backends.gsheets.requests.charts import chart_request, conditional_request
from sheets_kpi.backends.gsheets.requests.init import init_requests
from sheets_kpi.backends.gsheets.requests.sheets import (
    PROTECTION_MARKER,
    SheetMeta,
    parse_sheet_meta,
)
from sheets_kpi.backends.gsheets.requests.write import write_requests

__all__ = [
    "PROTECTION_MARKER",
    "Request",
    "SheetMeta",
    "chart_request",
    "column_letter",
    "conditional_request",
    "hyperlink_formula",
    "init_requests",
    "parse_sheet_meta",
    "serial_date",
    "write_requests",
]
