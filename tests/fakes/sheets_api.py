"""An in-process fake of Google Sheets API v4 and Google's OAuth token endpoint.

Reached through the real gspread + google-auth + requests stack: `FakeSheetsApi.adapter` is a
`requests` transport adapter; mount it (the backend's `adapter=` seam does) and every HTTPS
request lands here instead of the network. It

- issues access tokens for service-account JWTs it can verify (`service_account_info()` makes
  a real RSA key), answers 400 `invalid_grant` for revoked keys;
- validates every request body and query parameter against Google's discovery document
  (`sheets_schema.py`): unknown fields or parameters, wrong types, unknown enum values and two
  kinds in one `Request` are 400s;
- answers indented JSON, as Google does, unless the request says `prettyPrint=false`
  (`Call.pretty_printed` records which), and applies a `fields` mask to every answer;
- keeps a spreadsheet model (sheets, sheetIds, grid sizes, cells, formats, column widths,
  charts, conditional formats, protected ranges, data validation) and applies a batchUpdate
  all or nothing;
- answers `spreadsheets.get` (includeGridData, `fields` masks, `ranges`), `values:batchGet`
  (which, like Google, fails whole when a range names a missing tab, leaves out trailing empty
  cells and gives an error cell as the text it shows) and a batchUpdate's
  `includeSpreadsheetInResponse`;
- counts requests by kind and injects faults (a status with headers, or an exception) into the
  next N requests.
"""

from __future__ import annotations

import base64
import copy
import functools
import gzip
import itertools
import json
import re
import urllib.parse
from collections import Counter, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import requests
from google.auth import crypt
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from tests.fakes.sheets_schema import first_error, query_error

TOKEN_URI = "https://oauth2.googleapis.com/token"
SHEETS_PREFIX = "https://sheets.googleapis.com/v4/spreadsheets/"
SCOPE = "https://www.googleapis.com/auth/spreadsheets"
DEFAULT_ROWS = 1000
DEFAULT_COLUMNS = 26


class FakeApiError(Exception):
    """A request Google would refuse: becomes an HTTP error answer."""

    def __init__(self, status: int, message: str, reason: str = "INVALID_ARGUMENT") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.reason = reason


@dataclass
class Call:
    """One request the fake received."""

    kind: str  # token | get | batchUpdate | values.batchGet | other
    method: str
    url: str
    request_bytes: int
    response_bytes: int = 0
    response_gzip_bytes: int = 0  # what Google would send with gzip (only if measure_gzip)
    status: int = 200
    query: dict[str, list[str]] = field(default_factory=dict)  # the URL's query parameters

    @property
    def pretty_printed(self) -> bool:
        """Google's default (`prettyPrint=true`): the answer is indented, one value a line."""
        return self.query.get("prettyPrint", ["true"]) != ["false"]


@dataclass
class Fault:
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    exception: BaseException | None = None
    apply: bool = False  # process the request, then answer with the fault anyway
    kinds: frozenset[str] | None = None  # only requests of these kinds; None = any Sheets call


@dataclass
class FakeSheet:
    properties: dict[str, Any]
    cells: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    column_metadata: dict[int, dict[str, Any]] = field(default_factory=dict)
    row_metadata: dict[int, dict[str, Any]] = field(default_factory=dict)
    charts: list[dict[str, Any]] = field(default_factory=list)
    conditional_formats: list[dict[str, Any]] = field(default_factory=list)
    protected_ranges: list[dict[str, Any]] = field(default_factory=list)

    @property
    def sheet_id(self) -> int:
        return int(self.properties["sheetId"])

    @property
    def title(self) -> str:
        return str(self.properties["title"])

    @property
    def grid(self) -> dict[str, Any]:
        return self.properties.setdefault("gridProperties", {})

    @property
    def row_count(self) -> int:
        return int(self.grid.get("rowCount", DEFAULT_ROWS))

    @property
    def column_count(self) -> int:
        return int(self.grid.get("columnCount", DEFAULT_COLUMNS))


@dataclass
class FakeSpreadsheet:
    spreadsheet_id: str
    title: str
    sheets: list[FakeSheet] = field(default_factory=list)
    editors: set[str] = field(default_factory=set)
    next_id: int = 1000

    def sheet_by_id(self, sheet_id: Any) -> FakeSheet:
        for sheet in self.sheets:
            if sheet.sheet_id == int(sheet_id):
                return sheet
        raise FakeApiError(400, f"No grid with id: {sheet_id}")

    def sheet_by_title(self, title: str) -> FakeSheet | None:
        for sheet in self.sheets:
            if sheet.title == title:
                return sheet
        return None

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def reindex(self) -> None:
        for position, sheet in enumerate(self.sheets):
            sheet.properties["index"] = position


# -- values -------------------------------------------------------------------------------

_HYPERLINK = re.compile(
    r'^=\s*HYPERLINK\(\s*"((?:[^"]|"")*)"\s*[;,]\s*"((?:[^"]|"")*)"\s*\)\s*$', re.I
)


def effective_of(entered: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """What Google would show for an entered value: literals as they are, HYPERLINK its label.

    Other formulas are not evaluated (seed their results with `formula_cell`)."""
    if not entered:
        return None
    for kind in ("numberValue", "stringValue", "boolValue"):
        if kind in entered:
            return {kind: entered[kind]}
    formula = entered.get("formulaValue")
    if isinstance(formula, str):
        found = _HYPERLINK.match(formula)
        if found:
            return {"stringValue": found.group(2).replace('""', '"')}
        literal = formula.lstrip("=").strip()
        try:
            return {"numberValue": float(literal)}
        except ValueError:
            return None
    return None


def python_cell(value: Any) -> dict[str, Any]:
    """A Python value (None, str, bool, int, float) → CellData as a person would have typed it."""
    if value is None:
        return {}
    if isinstance(value, dict):
        return copy.deepcopy(value)
    if isinstance(value, bool):
        entered: dict[str, Any] = {"boolValue": value}
    elif isinstance(value, int | float):
        entered = {"numberValue": value}
    else:
        entered = {"stringValue": str(value)}
    # one dict for both: cells are never changed in place, and big sheets stay small
    return {"userEnteredValue": entered, "effectiveValue": entered}


def formula_cell(formula: str, result: Any) -> dict[str, Any]:
    """A cell holding a user formula and the result Google computed for it."""
    return {
        "userEnteredValue": {"formulaValue": formula},
        "effectiveValue": python_cell(result).get("effectiveValue", {}),
    }


def raw_of(cell: Mapping[str, Any], render: str = "UNFORMATTED_VALUE") -> Any:
    value = cell.get("effectiveValue") or {}
    if render == "FORMULA" and "formulaValue" in cell.get("userEnteredValue", {}):
        return cell["userEnteredValue"]["formulaValue"]
    for kind in ("numberValue", "stringValue", "boolValue"):
        if kind in value:
            result = value[kind]
            if render == "FORMATTED_VALUE":
                return str(result)
            if isinstance(result, float) and result.is_integer():
                return int(result)  # Google's JSON has no ".0" on a whole number
            return result
    if "errorValue" in value:
        # the values API gives an error cell as the text the cell shows, whatever the render
        return _SHOWN_ERRORS.get(value["errorValue"].get("type", "ERROR"), "#ERROR!")
    return None


# ErrorValue.type → what a cell with that error shows (and the values API returns)
_SHOWN_ERRORS = {
    "ERROR": "#ERROR!",
    "NULL_VALUE": "#NULL!",
    "DIVIDE_BY_ZERO": "#DIV/0!",
    "VALUE": "#VALUE!",
    "REF": "#REF!",
    "NAME": "#NAME?",
    "NUM": "#NUM!",
    "N_A": "#N/A",
    "LOADING": "Loading...",
}


# -- field masks ---------------------------------------------------------------------------

Mask = dict[str, Any]  # name -> sub-mask, or None for "the whole field"


def parse_mask(text: str) -> Mask:
    """`sheets(properties(title),data.rowData.values.effectiveValue)` → a nested dict."""
    # Google takes "/" as well as "." between path parts (gspread sends "gridProperties/rowCount")
    tokens = re.findall(r"[A-Za-z0-9_*]+|[.,()]", text.replace(" ", "").replace("/", "."))
    position = 0

    def parse_list(into: Mask) -> None:
        nonlocal position
        while position < len(tokens):
            parse_path(into)
            if position < len(tokens) and tokens[position] == ",":
                position += 1
                continue
            return

    def parse_path(into: Mask) -> None:
        nonlocal position
        name = tokens[position]
        if not re.match(r"[A-Za-z0-9_*]", name):
            raise FakeApiError(400, f"Invalid field selection {text}")
        position += 1
        following = tokens[position] if position < len(tokens) else None
        if following in (".", "("):
            position += 1
            if name in into and into[name] is None:
                child: Mask = {}  # already whole: parse and drop the narrower selection
            else:
                child = into.setdefault(name, {})
            if following == ".":
                parse_path(child)
            else:
                parse_list(child)
                if position >= len(tokens) or tokens[position] != ")":
                    raise FakeApiError(400, f"Invalid field selection {text}")
                position += 1
        else:
            into[name] = None

    mask: Mask = {}
    parse_list(mask)
    if position != len(tokens):
        raise FakeApiError(400, f"Invalid field selection {text}")
    return mask


def apply_mask(value: Any, mask: Mask | None) -> Any:
    """Keep only the masked fields of a response (lists are traversed)."""
    if mask is None or "*" in mask:
        return value
    if isinstance(value, list):
        return [apply_mask(item, mask) for item in value]
    if not isinstance(value, dict):
        return value
    kept = {}
    for name, child in mask.items():
        if name in value:
            filtered = apply_mask(value[name], child)
            if filtered not in ({}, []):
                kept[name] = filtered
    return kept


def set_masked(target: dict[str, Any], source: Mapping[str, Any], mask: Mask) -> None:
    """Write the masked fields of `source` into `target`; masked fields absent in `source`
    are cleared (Google's update semantics). Nested dicts of `target` are replaced, not
    changed in place."""
    if "*" in mask:
        target.clear()
        target.update(source)  # payloads are parsed afresh and never changed in place
        return
    for name, child in mask.items():
        if child is None or not isinstance(source.get(name, {}), dict):
            if name in source:
                target[name] = source[name]
            else:
                target.pop(name, None)
        else:
            inner = target.get(name)
            # copied, never changed in place: a batch works on shallow copies of the model
            inner = dict(inner) if isinstance(inner, dict) else {}
            set_masked(inner, source.get(name, {}), child)
            if inner:
                target[name] = inner
            else:
                target.pop(name, None)


# -- A1 ranges -----------------------------------------------------------------------------

_A1 = re.compile(r"^([A-Za-z]*)(\d*)$")


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def parse_a1(text: str) -> tuple[str, tuple[int, int, int, int] | None]:
    """`'My tab'!A1:C10` → ("My tab", (row0, row1, col0, col1)) 0-based half-open, or None
    for the whole tab. Bounds of -1 mean "to the end of the grid"."""
    if "!" in text:
        title, cells = text.rsplit("!", 1)
    else:
        title, cells = text, ""
    if title.startswith("'") and title.endswith("'") and len(title) >= 2:
        title = title[1:-1].replace("''", "'")
    if not cells:
        return title, None
    first, _, last = cells.partition(":")
    last = last or first
    start, end = _A1.match(first), _A1.match(last)
    if start is None or end is None:
        raise FakeApiError(400, f"Unable to parse range: {text}")
    row0 = int(start.group(2)) - 1 if start.group(2) else 0
    col0 = _column_number(start.group(1)) - 1 if start.group(1) else 0
    row1 = int(end.group(2)) if end.group(2) else -1
    col1 = _column_number(end.group(1)) if end.group(1) else -1
    return title, (row0, row1, col0, col1)


# -- the API -------------------------------------------------------------------------------


class FakeSheetsApi:
    """The fake Google: spreadsheets, service accounts, tokens, counters and faults."""

    def __init__(self) -> None:
        self.spreadsheets: dict[str, FakeSpreadsheet] = {}
        self.accounts: dict[str, str] = {}  # client_email -> public key PEM
        self.revoked: set[str] = set()
        self.tokens: dict[str, str] = {}  # access token -> client_email
        self.scopes_requested: list[str] = []
        self.calls: list[Call] = []
        self.faults: deque[Fault] = deque()
        self.last_batch_update: dict[str, Any] | None = None
        self.measure_gzip = False  # benchmarks: also size each answer as gzip on the wire
        self._token_numbers = itertools.count(1)
        self.adapter = FakeTransport(self)

    # -- set-up -----------------------------------------------------------------

    def service_account_info(
        self, email: str = "kpi-bot@agency-kpi.iam.gserviceaccount.com"
    ) -> dict[str, Any]:
        """A service-account key (as downloaded from Google Cloud) this fake will accept."""
        private_pem, public_pem = _key_pair()
        self.accounts[email] = public_pem
        return {
            "type": "service_account",
            "project_id": "agency-kpi",
            "private_key_id": "0123456789abcdef0123456789abcdef01234567",
            "private_key": private_pem,
            "client_email": email,
            "client_id": "100000000000000000001",
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": TOKEN_URI,
        }

    def revoke(self, email: str) -> None:
        """The key is deleted in Google Cloud: the token endpoint now answers invalid_grant."""
        self.revoked.add(email)
        self.tokens = {token: who for token, who in self.tokens.items() if who != email}

    def create_spreadsheet(
        self,
        spreadsheet_id: str,
        tabs: Mapping[str, Sequence[Sequence[Any]]] | None = None,
        *,
        editors: Iterable[str] = (),
        title: str = "Продажи агентства",
    ) -> FakeSpreadsheet:
        """A spreadsheet with tabs of Python values (a dict value is taken as raw CellData)."""
        book = FakeSpreadsheet(spreadsheet_id, title, editors=set(editors))
        for position, (tab_title, rows) in enumerate((tabs or {"Лист1": []}).items()):
            sheet = FakeSheet(
                {
                    "sheetId": 0 if position == 0 else book.new_id(),
                    "title": tab_title,
                    "index": position,
                    "sheetType": "GRID",
                    "gridProperties": {
                        "rowCount": max(DEFAULT_ROWS, len(rows)),
                        "columnCount": max([DEFAULT_COLUMNS] + [len(row) for row in rows]),
                    },
                }
            )
            for row_index, row in enumerate(rows):
                for column_index, value in enumerate(row):
                    cell = python_cell(value)
                    if cell:
                        sheet.cells[(row_index, column_index)] = cell
            book.sheets.append(sheet)
        self.spreadsheets[spreadsheet_id] = book
        return book

    def fail_next(
        self,
        status: int,
        *,
        times: int = 1,
        headers: Mapping[str, str] | None = None,
        apply: bool = False,
        kinds: Iterable[str] | None = None,
    ) -> None:
        """The next `times` Sheets requests answer `status` (after applying them, if `apply`)."""
        for _ in range(times):
            self.faults.append(
                Fault(
                    status=status,
                    headers=dict(headers or {}),
                    apply=apply,
                    kinds=frozenset(kinds) if kinds else None,
                )
            )

    def raise_next(
        self,
        exception: BaseException,
        *,
        times: int = 1,
        apply: bool = False,
        kinds: Iterable[str] | None = None,
    ) -> None:
        """The next `times` Sheets requests raise `exception` in the transport (a reset, a
        timeout), after applying the request if `apply`."""
        for _ in range(times):
            self.faults.append(
                Fault(
                    exception=exception,
                    apply=apply,
                    kinds=frozenset(kinds) if kinds else None,
                )
            )

    # -- inspection -------------------------------------------------------------

    def count(self, *kinds: str) -> int:
        """How many Sheets API requests were received (of `kinds`; token requests only when
        asked for by name)."""
        if kinds:
            return sum(1 for call in self.calls if call.kind in kinds)
        return sum(1 for call in self.calls if call.kind != "token")

    def counts(self) -> Counter[str]:
        return Counter(call.kind for call in self.calls)

    def reset_counts(self) -> None:
        self.calls.clear()

    def book(self, spreadsheet_id: str) -> FakeSpreadsheet:
        return self.spreadsheets[spreadsheet_id]

    def sheet(self, spreadsheet_id: str, title: str) -> FakeSheet:
        found = self.spreadsheets[spreadsheet_id].sheet_by_title(title)
        if found is None:
            raise KeyError(title)
        return found

    def snapshot(self, spreadsheet_id: str, title: str) -> bytes:
        """Everything the fake holds about one tab, as bytes, to compare before and after."""
        sheet = self.sheet(spreadsheet_id, title)
        book = self.spreadsheets[spreadsheet_id]
        charts = [
            chart
            for other in book.sheets
            for chart in other.charts
            if _chart_sheet_ids(chart) & {sheet.sheet_id}
        ]
        state = {
            "properties": sheet.properties,
            "cells": sorted((list(key), value) for key, value in sheet.cells.items()),
            "columns": sorted(sheet.column_metadata.items()),
            "rows": sorted(sheet.row_metadata.items()),
            "charts": charts,
            "conditional": sheet.conditional_formats,
            "protected": sheet.protected_ranges,
            "rule_ranges": [
                rule
                for other in book.sheets
                for rule in other.conditional_formats
                if any(item.get("sheetId") == sheet.sheet_id for item in rule.get("ranges", []))
            ],
        }
        return json.dumps(state, sort_keys=True, ensure_ascii=False, default=str).encode()

    def values(self, spreadsheet_id: str, title: str) -> list[list[Any]]:
        """Effective values of a tab as rows of Python values, trailing empties trimmed."""
        sheet = self.sheet(spreadsheet_id, title)
        return _value_rows(sheet, (0, sheet.row_count, 0, sheet.column_count), "UNFORMATTED_VALUE")

    def entered(self, spreadsheet_id: str, title: str, row: int, column: int) -> dict[str, Any]:
        """The userEnteredValue of a cell (1-based), e.g. {"stringValue": "=IMPORTXML(...)"}."""
        cell = self.sheet(spreadsheet_id, title).cells.get((row - 1, column - 1), {})
        return dict(cell.get("userEnteredValue", {}))

    # -- HTTP -------------------------------------------------------------------

    def handle(self, request: requests.PreparedRequest) -> requests.Response:
        url = request.url or ""
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        kind = _kind(request.method or "GET", url)
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query, keep_blank_values=True)
        call = Call(kind, request.method or "GET", url, len(body) + len(url), query=query)
        self.calls.append(call)
        if kind == "token":
            status, payload, headers = self._token(body)
        else:
            fault = self._take_fault(kind)
            if fault is not None and not fault.apply:
                if fault.exception is not None:
                    call.status = 0
                    raise fault.exception
                status, payload, headers = _error(fault.status or 500, "Injected fault", "INTERNAL")
                headers.update(fault.headers)
            else:
                status, payload, headers = self._sheets(request, url, body, kind)
                if fault is not None:
                    if fault.exception is not None:
                        call.status = 0
                        raise fault.exception
                    status, payload, headers = _error(
                        fault.status or 500, "Injected fault", "INTERNAL"
                    )
                    headers.update(fault.headers)
        if kind == "token" or not call.pretty_printed:
            content = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        else:
            content = json.dumps(payload, ensure_ascii=False, indent=2)
        content = content.encode("utf-8")
        call.status = status
        call.response_bytes = len(content)
        if self.measure_gzip:
            call.response_gzip_bytes = len(gzip.compress(content, compresslevel=6))
        return _response(request, status, content, headers)

    def _take_fault(self, kind: str) -> Fault | None:
        for fault in list(self.faults):
            if fault.kinds is None or kind in fault.kinds:
                self.faults.remove(fault)
                return fault
        return None

    def _token(self, body: bytes) -> tuple[int, Any, dict[str, str]]:
        form = urllib.parse.parse_qs(body.decode("utf-8"))
        assertion = (form.get("assertion") or [""])[0]
        try:
            signed, signature = assertion.rsplit(".", 1)
            _header, claims_b64 = signed.split(".")
            claims = json.loads(_unb64(claims_b64))
        except ValueError:
            return 400, {"error": "invalid_grant", "error_description": "Invalid JWT."}, {}
        email = claims.get("iss", "")
        public_pem = self.accounts.get(email)
        if public_pem is None or email in self.revoked:
            return (
                400,
                {"error": "invalid_grant", "error_description": "Invalid JWT Signature."},
                {},
            )
        verifier = crypt.RSAVerifier.from_string(public_pem)
        if not verifier.verify(signed.encode("ascii"), _unb64(signature)):
            return (
                400,
                {"error": "invalid_grant", "error_description": "Invalid JWT Signature."},
                {},
            )
        self.scopes_requested.append(str(claims.get("scope", "")))
        token = f"ya29.fake-{next(self._token_numbers)}"
        self.tokens[token] = email
        return 200, {"access_token": token, "expires_in": 3599, "token_type": "Bearer"}, {}

    def _sheets(
        self, request: requests.PreparedRequest, url: str, body: bytes, kind: str
    ) -> tuple[int, Any, dict[str, str]]:
        auth = request.headers.get("Authorization", "")
        email = self.tokens.get(auth.removeprefix("Bearer ").strip())
        if email is None:
            return _error(401, "Request had invalid authentication credentials.", "UNAUTHENTICATED")
        parsed = urllib.parse.urlsplit(url)
        query = urllib.parse.parse_qs(parsed.query)
        rest = urllib.parse.unquote(parsed.path.removeprefix("/v4/spreadsheets/"))
        spreadsheet_id = re.split(r"[:/]", rest, maxsplit=1)[0]
        book = self.spreadsheets.get(spreadsheet_id)
        if book is None:
            return _error(404, "Requested entity was not found.", "NOT_FOUND")
        if email not in book.editors:
            return _error(403, "The caller does not have permission", "PERMISSION_DENIED")
        try:
            method = _METHODS.get(kind)
            problem = query_error(method, query) if method else None
            if problem is not None:
                raise FakeApiError(400, problem)
            mask_text = (query.get("fields") or [""])[0]
            if kind == "get":
                return 200, self._get(book, query), {}  # the mask also decides on grid data
            mask = parse_mask(mask_text) if mask_text else None
            if kind == "values.batchGet":
                return 200, apply_mask(self._values_batch_get(book, query), mask), {}
            if kind in ("values.get", "values.update", "values.clear"):
                a1 = rest.split("/values/", 1)[1].removesuffix(":clear")
                if kind == "values.get":
                    return 200, self._values_get(book, a1, query), {}
                if kind == "values.clear":
                    return 200, self._values_clear(book, a1), {}
                return 200, self._values_update(book, a1, query, _json_body(body)), {}
            if kind == "batchUpdate":
                return 200, apply_mask(self._batch_update(book, _json_body(body)), mask), {}
        except FakeApiError as problem:
            return _error(problem.status, problem.message, problem.reason)
        return _error(
            400, f"The fake does not implement {request.method} {parsed.path}", "INVALID_ARGUMENT"
        )

    # -- spreadsheets.get ---------------------------------------------------------

    def _get(self, book: FakeSpreadsheet, query: Mapping[str, list[str]]) -> dict[str, Any]:
        mask_text = (query.get("fields") or [""])[0]
        mask = parse_mask(mask_text) if mask_text else None
        with_data = (query.get("includeGridData") or ["false"])[0] == "true" and mask is None
        if mask is not None:
            sheets_mask = mask.get("sheets", {}) if "sheets" in mask else {}
            with_data = sheets_mask is None or "data" in (sheets_mask or {})
        wanted: dict[int, list[tuple[int, int, int, int] | None]] | None = None
        if query.get("ranges"):
            wanted = {}
            for text in query["ranges"]:
                title, bounds = parse_a1(text)
                sheet = book.sheet_by_title(title)
                if sheet is None:
                    raise FakeApiError(400, f"Unable to parse range: {text}")
                wanted.setdefault(sheet.sheet_id, []).append(bounds)
        sheets = []
        for sheet in book.sheets:
            # the answer is serialised at once: no copies needed
            entry: dict[str, Any] = {"properties": sheet.properties}
            if with_data and (wanted is None or sheet.sheet_id in wanted):
                blocks = wanted[sheet.sheet_id] if wanted is not None else [None]
                entry["data"] = [_grid_data(sheet, bounds) for bounds in blocks]
            if sheet.charts:
                entry["charts"] = sheet.charts
            if sheet.conditional_formats:
                entry["conditionalFormats"] = sheet.conditional_formats
            if sheet.protected_ranges:
                entry["protectedRanges"] = sheet.protected_ranges
            sheets.append(entry)
        answer = {
            "spreadsheetId": book.spreadsheet_id,
            "properties": {"title": book.title, "locale": "ru_RU", "timeZone": "Europe/Moscow"},
            "sheets": sheets,
            "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{book.spreadsheet_id}/edit",
        }
        return apply_mask(answer, mask)

    def _values_batch_get(
        self, book: FakeSpreadsheet, query: Mapping[str, list[str]]
    ) -> dict[str, Any]:
        render = (query.get("valueRenderOption") or ["FORMATTED_VALUE"])[0]
        ranges = []
        for text in query.get("ranges", []):
            title, bounds = parse_a1(text)
            sheet = book.sheet_by_title(title)
            if sheet is None:
                # Google fails the whole request when one range names a missing tab
                raise FakeApiError(400, f"Unable to parse range: {text}")
            row0, row1, col0, col1 = _resolve_bounds(sheet, bounds)
            entry: dict[str, Any] = {"range": text, "majorDimension": "ROWS"}
            rows = _value_rows(sheet, (row0, row1, col0, col1), render)
            if rows:
                entry["values"] = rows
            ranges.append(entry)
        return {"spreadsheetId": book.spreadsheet_id, "valueRanges": ranges}

    def _values_get(
        self, book: FakeSpreadsheet, a1: str, query: Mapping[str, list[str]]
    ) -> dict[str, Any]:
        answer = self._values_batch_get(book, {**query, "ranges": [a1]})
        return answer["valueRanges"][0]

    def _values_clear(self, book: FakeSpreadsheet, a1: str) -> dict[str, Any]:
        title, bounds = parse_a1(a1)
        work = _clone(book)
        sheet = work.sheet_by_title(title)
        if sheet is None:
            raise FakeApiError(400, f"Unable to parse range: {a1}")
        row0, row1, col0, col1 = _resolve_bounds(sheet, bounds)
        for key in [k for k in sheet.cells if row0 <= k[0] < row1 and col0 <= k[1] < col1]:
            _write_cell(sheet, key, {}, {"userEnteredValue": None})
        self.spreadsheets[book.spreadsheet_id] = work
        return {"spreadsheetId": book.spreadsheet_id, "clearedRange": a1}

    def _values_update(
        self, book: FakeSpreadsheet, a1: str, query: Mapping[str, list[str]], payload: Any
    ) -> dict[str, Any]:
        """values.update: RAW keeps strings as text; USER_ENTERED parses them as a person's
        typing would (a leading `=` makes a formula, numbers become numbers)."""
        problem = first_error(payload, "ValueRange")
        if problem is not None:
            raise FakeApiError(400, problem)
        option = (query.get("valueInputOption") or [""])[0]
        if option not in ("RAW", "USER_ENTERED"):
            raise FakeApiError(400, "'valueInputOption' is required but not specified")
        title, bounds = parse_a1(a1)
        work = _clone(book)
        sheet = work.sheet_by_title(title)
        if sheet is None:
            raise FakeApiError(400, f"Unable to parse range: {a1}")
        row0, _row1, col0, _col1 = _resolve_bounds(sheet, bounds)
        rows = payload.get("values", [])
        _check_inside(sheet, row0, row0 + len(rows), col0, col0 + max([len(r) for r in rows] + [0]))
        for row_offset, row in enumerate(rows):
            for column_offset, value in enumerate(row):
                entered = _entered(value, option == "USER_ENTERED")
                cell = {"userEnteredValue": entered} if entered else {}
                key = (row0 + row_offset, col0 + column_offset)
                _write_cell(sheet, key, cell, {"userEnteredValue": None})
        self.spreadsheets[book.spreadsheet_id] = work
        return {"spreadsheetId": book.spreadsheet_id, "updatedRange": a1}

    # -- spreadsheets.batchUpdate ---------------------------------------------------

    def _batch_update(self, book: FakeSpreadsheet, payload: Any) -> dict[str, Any]:
        problem = first_error(payload, "BatchUpdateSpreadsheetRequest")
        if problem is not None:
            raise FakeApiError(400, problem)
        self.last_batch_update = payload
        work = _clone(book)
        replies = []
        for number, request in enumerate(payload.get("requests", [])):
            ((kind, detail),) = request.items()
            handler = getattr(self, f"_do_{kind}", None)
            if handler is None:
                raise FakeApiError(
                    400, f"Invalid requests[{number}]: the fake does not implement {kind}"
                )
            try:
                reply = handler(work, detail)
            except FakeApiError as error:
                raise FakeApiError(
                    400, f"Invalid requests[{number}].{kind}: {error.message}"
                ) from None
            replies.append({kind: reply} if reply is not None else {})
        # all or nothing: only a batch that fully succeeded replaces the spreadsheet
        self.spreadsheets[book.spreadsheet_id] = work
        answer: dict[str, Any] = {"spreadsheetId": book.spreadsheet_id, "replies": replies}
        if payload.get("includeSpreadsheetInResponse"):
            # the spreadsheet after the batch, as spreadsheets.get gives it (the query's `fields`
            # mask, applied to the whole answer, picks from it)
            query = {"ranges": payload.get("responseRanges", [])}
            if payload.get("responseIncludeGridData"):
                query["includeGridData"] = ["true"]
            answer["updatedSpreadsheet"] = self._get(work, query)
        return answer

    def _do_addSheet(self, book: FakeSpreadsheet, detail: Mapping[str, Any]) -> dict[str, Any]:
        props = copy.deepcopy(dict(detail.get("properties", {})))
        sheet_id = props.get("sheetId")
        if sheet_id is None:
            sheet_id = book.new_id()
        elif any(sheet.sheet_id == int(sheet_id) for sheet in book.sheets):
            raise FakeApiError(400, f"A sheet with id {sheet_id} already exists.")
        if int(sheet_id) < 0:
            raise FakeApiError(400, "sheetId must be non-negative")
        title = props.get("title") or f"Лист{len(book.sheets) + 1}"
        if any(sheet.title.casefold() == title.casefold() for sheet in book.sheets):
            raise FakeApiError(
                400,
                f'A sheet with the name "{title}" already exists. Please enter another name.',
            )
        grid = props.setdefault("gridProperties", {})
        grid.setdefault("rowCount", DEFAULT_ROWS)
        grid.setdefault("columnCount", DEFAULT_COLUMNS)
        _check_frozen(grid)
        props.update({"sheetId": int(sheet_id), "title": title, "sheetType": "GRID"})
        index = int(props.get("index", len(book.sheets)))
        sheet = FakeSheet(props)
        book.sheets.insert(min(index, len(book.sheets)), sheet)
        book.reindex()
        return {"properties": copy.deepcopy(sheet.properties)}

    def _do_deleteSheet(self, book: FakeSpreadsheet, detail: Mapping[str, Any]) -> None:
        sheet = book.sheet_by_id(detail.get("sheetId"))
        if len(book.sheets) == 1:
            raise FakeApiError(400, "You can't remove all the sheets in a document.")
        book.sheets.remove(sheet)
        for other in book.sheets:
            other.charts = [c for c in other.charts if sheet.sheet_id not in _chart_sheet_ids(c)]
        book.reindex()

    def _do_updateSheetProperties(self, book: FakeSpreadsheet, detail: Mapping[str, Any]) -> None:
        fields = detail.get("fields")
        if not fields:
            raise FakeApiError(400, "At least one field must be updated, but none was specified.")
        new = detail.get("properties", {})
        sheet = book.sheet_by_id(new.get("sheetId"))
        updated = copy.deepcopy(sheet.properties)
        set_masked(updated, new, parse_mask(fields))
        updated["sheetId"] = sheet.sheet_id
        title = updated.get("title", "")
        if not title:
            raise FakeApiError(400, "Sheet title cannot be empty.")
        for other in book.sheets:
            if other is not sheet and other.title.casefold() == title.casefold():
                raise FakeApiError(400, f'A sheet with the name "{title}" already exists.')
        grid = updated.setdefault("gridProperties", {})
        grid.setdefault("rowCount", DEFAULT_ROWS)
        grid.setdefault("columnCount", DEFAULT_COLUMNS)
        if grid["rowCount"] < 1 or grid["columnCount"] < 1:
            raise FakeApiError(400, "A sheet must have at least one row and one column.")
        _check_frozen(grid)
        sheet.properties = updated
        rows, columns = sheet.row_count, sheet.column_count
        sheet.cells = {k: v for k, v in sheet.cells.items() if k[0] < rows and k[1] < columns}
        sheet.column_metadata = {k: v for k, v in sheet.column_metadata.items() if k < columns}
        sheet.row_metadata = {k: v for k, v in sheet.row_metadata.items() if k < rows}
        if "index" in parse_mask(fields):
            book.sheets.remove(sheet)
            book.sheets.insert(int(updated.get("index", 0)), sheet)
            book.reindex()

    def _do_updateCells(self, book: FakeSpreadsheet, detail: Mapping[str, Any]) -> None:
        fields = detail.get("fields")
        if not fields:
            raise FakeApiError(400, "At least one field must be specified in 'fields'.")
        if ("start" in detail) == ("range" in detail):
            raise FakeApiError(400, "Exactly one of 'start' or 'range' must be set.")
        mask = parse_mask(fields)
        rows = detail.get("rows", [])
        if "range" in detail:
            sheet, (row0, row1, col0, col1) = _grid_bounds(book, detail["range"])
        else:
            start = detail["start"]
            sheet = book.sheet_by_id(start.get("sheetId", 0))
            row0, col0 = int(start.get("rowIndex", 0)), int(start.get("columnIndex", 0))
            row1 = row0 + len(rows)
            col1 = col0 + max([len(row.get("values", [])) for row in rows] + [0])
            _check_inside(sheet, row0, row1, col0, col1)
        written: set[tuple[int, int]] = set()
        for row_offset, row in enumerate(rows):
            for column_offset, cell in enumerate(row.get("values", [])):
                key = (row0 + row_offset, col0 + column_offset)
                if key[0] >= row1 or key[1] >= col1:
                    raise FakeApiError(400, "The rows in the request exceed the requested range.")
                _write_cell(sheet, key, cell, mask)
                written.add(key)
        if "range" in detail:
            # cells of the range that the rows do not cover are cleared per the fields mask
            for key in [k for k in sheet.cells if row0 <= k[0] < row1 and col0 <= k[1] < col1]:
                if key not in written:
                    _write_cell(sheet, key, {}, mask)

    def _do_repeatCell(self, book: FakeSpreadsheet, detail: Mapping[str, Any]) -> None:
        fields = detail.get("fields")
        if not fields:
            raise FakeApiError(400, "At least one field must be specified in 'fields'.")
        mask = parse_mask(fields)
        sheet, (row0, row1, col0, col1) = _grid_bounds(book, detail.get("range", {}))
        for row in range(row0, row1):
            for column in range(col0, col1):
                _write_cell(sheet, (row, column), detail.get("cell", {}), mask)

    def _do_setDataValidation(self, book: FakeSpreadsheet, detail: Mapping[str, Any]) -> None:
        sheet, (row0, row1, col0, col1) = _grid_bounds(book, detail.get("range", {}))
        rule = detail.get("rule")
        if rule is not None:
            condition = rule.get("condition", {})
            if condition.get("type") == "ONE_OF_LIST" and not condition.get("values"):
                raise FakeApiError(400, "ONE_OF_LIST condition needs at least one value.")
        for row in range(row0, row1):
            for column in range(col0, col1):
                _write_cell(
                    sheet,
                    (row, column),
                    {"dataValidation": rule} if rule else {},
                    {"dataValidation": None},
                )

    def _do_updateDimensionProperties(
        self, book: FakeSpreadsheet, detail: Mapping[str, Any]
    ) -> None:
        fields = detail.get("fields")
        if not fields:
            raise FakeApiError(400, "At least one field must be updated, but none was specified.")
        span = detail.get("range", {})
        sheet = book.sheet_by_id(span.get("sheetId"))
        columns = span.get("dimension") == "COLUMNS"
        limit = sheet.column_count if columns else sheet.row_count
        start, end = int(span.get("startIndex", 0)), int(span.get("endIndex", limit))
        if not 0 <= start < end <= limit:
            raise FakeApiError(
                400, f"Invalid dimension range {start}:{end}; the sheet has {limit}."
            )
        store = sheet.column_metadata if columns else sheet.row_metadata
        for index in range(start, end):
            target = store.setdefault(index, {})
            set_masked(target, detail.get("properties", {}), parse_mask(fields))

    def _do_addConditionalFormatRule(
        self, book: FakeSpreadsheet, detail: Mapping[str, Any]
    ) -> None:
        rule = copy.deepcopy(dict(detail.get("rule", {})))
        ranges = rule.get("ranges") or []
        if not ranges:
            raise FakeApiError(400, "A conditional format rule needs at least one range.")
        sheets = {_grid_bounds(book, item)[0].sheet_id for item in ranges}
        if len(sheets) != 1:
            raise FakeApiError(400, "All ranges of a conditional format rule must be on one sheet.")
        if ("booleanRule" in rule) == ("gradientRule" in rule):
            raise FakeApiError(400, "Exactly one of booleanRule or gradientRule must be set.")
        sheet = book.sheet_by_id(sheets.pop())
        index = int(detail.get("index", 0))
        if not 0 <= index <= len(sheet.conditional_formats):
            raise FakeApiError(400, f"Invalid index {index} for conditional format rules.")
        sheet.conditional_formats.insert(index, rule)

    def _do_deleteConditionalFormatRule(
        self, book: FakeSpreadsheet, detail: Mapping[str, Any]
    ) -> dict[str, Any]:
        sheet = book.sheet_by_id(detail.get("sheetId"))
        index = int(detail.get("index", 0))
        if not 0 <= index < len(sheet.conditional_formats):
            raise FakeApiError(
                400, f"No conditional format on sheet: {sheet.sheet_id} at index: {index}"
            )
        return {"rule": sheet.conditional_formats.pop(index)}

    def _do_addChart(self, book: FakeSpreadsheet, detail: Mapping[str, Any]) -> dict[str, Any]:
        chart = copy.deepcopy(dict(detail.get("chart", {})))
        if "spec" not in chart:
            raise FakeApiError(400, "A chart needs a spec.")
        existing = {c["chartId"] for s in book.sheets for c in s.charts}
        chart_id = chart.get("chartId")
        if chart_id is None:
            chart_id = book.new_id()
            while chart_id in existing:
                chart_id = book.new_id()
        elif int(chart_id) in existing:
            raise FakeApiError(400, f"An object with id {chart_id} already exists.")
        chart["chartId"] = int(chart_id)
        for sheet_id in _chart_sheet_ids(chart, sources_only=True):
            book.sheet_by_id(sheet_id)
        position = chart.get("position", {})
        anchor = position.get("overlayPosition", {}).get("anchorCell")
        if anchor is not None:
            sheet = book.sheet_by_id(anchor.get("sheetId"))
            row, column = int(anchor.get("rowIndex", 0)), int(anchor.get("columnIndex", 0))
            _check_inside(sheet, row, row + 1, column, column + 1)
        elif "sheetId" in position:
            sheet = book.sheet_by_id(position["sheetId"])
        else:
            raise FakeApiError(400, "The fake supports charts placed on an existing sheet only.")
        sheet.charts.append(chart)
        return {"chart": copy.deepcopy(chart)}

    def _do_deleteEmbeddedObject(self, book: FakeSpreadsheet, detail: Mapping[str, Any]) -> None:
        object_id = int(detail.get("objectId", -1))
        for sheet in book.sheets:
            for chart in sheet.charts:
                if chart["chartId"] == object_id:
                    sheet.charts.remove(chart)
                    return
        raise FakeApiError(400, f"No object with id: {object_id}")

    def _do_addProtectedRange(
        self, book: FakeSpreadsheet, detail: Mapping[str, Any]
    ) -> dict[str, Any]:
        protected = copy.deepcopy(dict(detail.get("protectedRange", {})))
        if protected.get("warningOnly") and protected.get("editors"):
            raise FakeApiError(400, "Editors cannot be set on a warning-only protected range.")
        sheet, _ = _grid_bounds(book, protected.get("range", {}))
        protected["protectedRangeId"] = book.new_id()
        protected.setdefault("requestingUserCanEdit", True)
        sheet.protected_ranges.append(protected)
        return {"protectedRange": copy.deepcopy(protected)}

    def _do_deleteProtectedRange(self, book: FakeSpreadsheet, detail: Mapping[str, Any]) -> None:
        wanted = int(detail.get("protectedRangeId", -1))
        for sheet in book.sheets:
            for protected in sheet.protected_ranges:
                if protected["protectedRangeId"] == wanted:
                    sheet.protected_ranges.remove(protected)
                    return
        raise FakeApiError(400, f"No protected range with id: {wanted}")


class FakeTransport(BaseAdapter):
    """The `requests` transport adapter through which the fake is reached."""

    def __init__(self, api: FakeSheetsApi) -> None:
        super().__init__()
        self.api = api

    def send(
        self, request: requests.PreparedRequest, *args: Any, **kwargs: Any
    ) -> requests.Response:
        return self.api.handle(request)

    def close(self) -> None:
        return None


# -- helpers -------------------------------------------------------------------------------


@functools.cache
def _key_pair() -> tuple[str, str]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public_pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private_pem, public_pem


def _clone(book: FakeSpreadsheet) -> FakeSpreadsheet:
    """A copy a batch can change freely. Cell dicts, charts, rules and protections are shared:
    the request handlers replace them, never change them in place."""
    sheets = [
        FakeSheet(
            properties=copy.deepcopy(sheet.properties),
            cells=dict(sheet.cells),
            column_metadata={key: dict(value) for key, value in sheet.column_metadata.items()},
            row_metadata={key: dict(value) for key, value in sheet.row_metadata.items()},
            # charts, rules and protections are added and removed whole, never edited in place
            charts=list(sheet.charts),
            conditional_formats=list(sheet.conditional_formats),
            protected_ranges=list(sheet.protected_ranges),
        )
        for sheet in book.sheets
    ]
    return FakeSpreadsheet(book.spreadsheet_id, book.title, sheets, set(book.editors), book.next_id)


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# the discovery document's method behind each kind of call (query parameters are checked)
_METHODS = {
    "get": "spreadsheets.get",
    "batchUpdate": "spreadsheets.batchUpdate",
    "values.batchGet": "spreadsheets.values.batchGet",
    "values.get": "spreadsheets.values.get",
    "values.update": "spreadsheets.values.update",
    "values.clear": "spreadsheets.values.clear",
}


def _kind(method: str, url: str) -> str:
    if url.startswith(TOKEN_URI):
        return "token"
    path = urllib.parse.urlsplit(url).path
    if path.endswith(":batchUpdate") and "/values" not in path:
        return "batchUpdate"
    if path.endswith("/values:batchGet"):
        return "values.batchGet"
    if "/values/" in path:
        if path.endswith(":clear"):
            return "values.clear"
        return {"GET": "values.get", "PUT": "values.update"}.get(method.upper(), "other")
    if method.upper() == "GET" and url.startswith(SHEETS_PREFIX) and path.count("/") == 3:
        return "get"
    return "other"


def _json_body(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8"))
    except ValueError:
        raise FakeApiError(400, "Invalid JSON payload received.") from None


def _entered(value: Any, user_entered: bool) -> dict[str, Any] | None:
    """A value of values.update as it is stored; "" and None clear the cell."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int | float):
        return {"numberValue": value}
    text = str(value)
    if user_entered:
        if text.startswith("="):
            return {"formulaValue": text}
        try:
            return {"numberValue": float(text.replace(" ", "").replace(",", "."))}
        except ValueError:
            pass
        if text.upper() in ("TRUE", "FALSE"):
            return {"boolValue": text.upper() == "TRUE"}
    return {"stringValue": text}


def _error(status: int, message: str, reason: str) -> tuple[int, Any, dict[str, str]]:
    return status, {"error": {"code": status, "message": message, "status": reason}}, {}


def _response(
    request: requests.PreparedRequest, status: int, content: bytes, headers: Mapping[str, str]
) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = content
    response.headers = CaseInsensitiveDict(
        {"Content-Type": "application/json; charset=UTF-8", **headers}
    )
    response.encoding = "utf-8"
    response.url = request.url or ""
    response.request = request
    response.reason = "OK" if status < 400 else "Error"
    return response


def _check_frozen(grid: Mapping[str, Any]) -> None:
    if int(grid.get("frozenRowCount", 0)) >= int(grid.get("rowCount", DEFAULT_ROWS)):
        raise FakeApiError(400, "You can't freeze all visible rows on the sheet.")
    if int(grid.get("frozenColumnCount", 0)) >= int(grid.get("columnCount", DEFAULT_COLUMNS)):
        raise FakeApiError(400, "You can't freeze all visible columns on the sheet.")


def _check_inside(sheet: FakeSheet, row0: int, row1: int, col0: int, col1: int) -> None:
    if row0 < 0 or col0 < 0 or row1 > sheet.row_count or col1 > sheet.column_count:
        raise FakeApiError(
            400,
            f"Range ('{sheet.title}'!R{row0 + 1}C{col0 + 1}:R{row1}C{col1}) exceeds grid limits. "
            f"Max rows: {sheet.row_count}, max columns: {sheet.column_count}",
        )


def _grid_bounds(
    book: FakeSpreadsheet, grid_range: Mapping[str, Any]
) -> tuple[FakeSheet, tuple[int, int, int, int]]:
    sheet = book.sheet_by_id(grid_range.get("sheetId", 0))
    row0 = int(grid_range.get("startRowIndex", 0))
    row1 = int(grid_range.get("endRowIndex", sheet.row_count))
    col0 = int(grid_range.get("startColumnIndex", 0))
    col1 = int(grid_range.get("endColumnIndex", sheet.column_count))
    if row1 < row0 or col1 < col0:
        raise FakeApiError(400, "Invalid range: end before start.")
    _check_inside(sheet, row0, row1, col0, col1)
    return sheet, (row0, row1, col0, col1)


def _resolve_bounds(
    sheet: FakeSheet, bounds: tuple[int, int, int, int] | None
) -> tuple[int, int, int, int]:
    if bounds is None:
        return 0, sheet.row_count, 0, sheet.column_count
    row0, row1, col0, col1 = bounds
    row1 = sheet.row_count if row1 < 0 else min(row1, sheet.row_count)
    col1 = sheet.column_count if col1 < 0 else min(col1, sheet.column_count)
    return row0, row1, col0, col1


def _write_cell(
    sheet: FakeSheet, key: tuple[int, int], source: Mapping[str, Any], mask: Mask
) -> None:
    target = dict(sheet.cells.get(key, {}))  # cells are shared with the last committed state
    entered_before = target.get("userEnteredValue")
    set_masked(target, source, mask)
    target.pop("effectiveValue", None) if "effectiveValue" in mask else None
    if (
        "*" in mask
        or "userEnteredValue" in mask
        or target.get("userEnteredValue") != entered_before
    ):
        effective = effective_of(target.get("userEnteredValue"))
        if effective is None:
            target.pop("effectiveValue", None)
        else:
            target["effectiveValue"] = effective
    if target:
        sheet.cells[key] = target
    else:
        sheet.cells.pop(key, None)


def _grid_data(sheet: FakeSheet, bounds: tuple[int, int, int, int] | None) -> dict[str, Any]:
    row0, row1, col0, col1 = _resolve_bounds(sheet, bounds)
    used = [key for key in sheet.cells if row0 <= key[0] < row1 and col0 <= key[1] < col1]
    data: dict[str, Any] = {}
    if row0:
        data["startRow"] = row0
    if col0:
        data["startColumn"] = col0
    if used:
        last_row = max(key[0] for key in used)
        by_row: dict[int, list[tuple[int, int]]] = {}
        for key in used:
            by_row.setdefault(key[0], []).append(key)
        row_data = []
        for row in range(row0, last_row + 1):
            keys = by_row.get(row)
            if not keys:
                row_data.append({})
                continue
            last_column = max(key[1] for key in keys)
            row_data.append(
                {
                    "values": [
                        sheet.cells.get((row, column), {})  # serialised at once, not kept
                        for column in range(col0, last_column + 1)
                    ]
                }
            )
        data["rowData"] = row_data
    data["columnMetadata"] = [
        {"pixelSize": 100, **sheet.column_metadata.get(column, {})} for column in range(col0, col1)
    ]
    return data


def _value_rows(
    sheet: FakeSheet, bounds: tuple[int, int, int, int], render: str
) -> list[list[Any]]:
    row0, row1, col0, col1 = bounds
    rows: list[list[Any]] = []
    for (row, column), cell in sheet.cells.items():
        if not (row0 <= row < row1 and col0 <= column < col1):
            continue
        value = raw_of(cell, render)
        if value is None:
            continue
        while len(rows) <= row - row0:
            rows.append([])
        line = rows[row - row0]
        while len(line) <= column - col0:
            line.append("")
        line[column - col0] = value
    return rows


def _chart_sheet_ids(chart: Mapping[str, Any], *, sources_only: bool = False) -> set[int]:
    """Every sheetId a chart refers to (its data sources, and its anchor unless sources_only)."""
    found: set[int] = set()

    def walk(node: Any, key: str = "") -> None:
        if isinstance(node, dict):
            for name, child in node.items():
                if name == "position" and sources_only:
                    continue
                if name == "sheetId" and isinstance(child, int):
                    found.add(child)
                walk(child, name)
        elif isinstance(node, list):
            for child in node:
                walk(child, key)

    walk(chart)
    return found
