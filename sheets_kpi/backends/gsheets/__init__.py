"""The Google Sheets backend (SPEC §11), one idea a module: `client` (the only code that talks
to Google: HTTP, the key, retries), `read` (API answers → raw cells), `requests` (plans →
`batchUpdate` requests, pure) and `errors` (Google's failures → our errors)."""

from sheets_kpi.backends.gsheets.client import (
    SCOPE,
    TAB_LIST_MAX_AGE,
    GSheetsBackend,
    load_credentials,
    spreadsheet_id,
)

__all__ = ["SCOPE", "TAB_LIST_MAX_AGE", "GSheetsBackend", "load_credentials", "spreadsheet_id"]
