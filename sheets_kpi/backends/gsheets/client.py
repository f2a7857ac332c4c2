"""Google Sheets backend: the only module that talks to Google (SPEC §11).

gspread's `HTTPClient` over a google-auth service-account session, scope `spreadsheets` only.
A run costs ONE read and ONE `spreadsheets.batchUpdate` (every generated tab at once, all or
nothing), whatever the number of rows, managers or tabs. The first read of a process is a
`spreadsheets.get` (every tab's metadata and values); later reads are a `values.batchGet` of
the wanted tabs, with the tab list of the previous cycle (the batchUpdate reply carries it).
Every request asks for compact JSON (`prettyPrint=false`). Retries are ours, bounded by
`RetryConfig`; gspread's own backoff client is not used.
"""

from __future__ import annotations

import json
import logging
import os
import random
import re
import stat
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import google.auth.exceptions
import gspread
import requests
from google.auth.transport.requests import AuthorizedSession
from google.auth.transport.requests import Request as AuthRequest
from google.oauth2 import service_account
from gspread.exceptions import APIError
from gspread.urls import SPREADSHEET_BATCH_UPDATE_URL

from sheets_kpi.backends.gsheets import errors as api_errors
from sheets_kpi.backends.gsheets.read import (
    META_FIELDS,
    READ_FIELDS,
    WRITE_REPLY_FIELDS,
    a1_tab,
    raw_rows,
    value_rows,
)
from sheets_kpi.backends.gsheets.requests import (
    SheetMeta,
    init_requests,
    parse_sheet_meta,
    write_requests,
)
from sheets_kpi.backends.gsheets.texts import pair
from sheets_kpi.core.model import RawCell, RawTab, RawWorkbook
from sheets_kpi.core.output.sheetplan import InputTabInit, TabWrite
from sheets_kpi.core.settings import RetryConfig
from sheets_kpi.errors import ConfigError, CredentialsError
from sheets_kpi.redact import key_path, remember_key

log = logging.getLogger(__name__)

SCOPE = "https://www.googleapis.com/auth/spreadsheets"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
PAYLOAD_WARNING_BYTES = 2 * 1024 * 1024
_BACKOFF_BASE = 1.0
_BACKOFF_CAP = 32.0

# every Sheets request asks for compact JSON (Google pretty-prints by default)
_PLAIN: dict[str, str] = {"prettyPrint": "false"}
# a tab list from an earlier cycle is trusted this long; then the read fetches it again, so a
# tab a person added (say Сделки) is seen within this time even when no input changes
TAB_LIST_MAX_AGE = 3600.0

_ID_IN_URL = re.compile(r"/spreadsheets/d/([A-Za-z0-9_-]+)")
_PLAIN_ID = re.compile(r"^[A-Za-z0-9_-]{10,}$")

T = TypeVar("T")


def spreadsheet_id(sheet: str) -> str:
    """The spreadsheet ID from `--sheet`: an ID or a full `docs.google.com` URL."""
    text = sheet.strip()
    found = _ID_IN_URL.search(text)
    if found:
        return found.group(1)
    if _PLAIN_ID.match(text):
        return text
    raise ConfigError(*pair("not_a_sheet", sheet=sheet))


def load_credentials(path: Path | None) -> service_account.Credentials:
    """Service-account credentials from `path`, else `GOOGLE_APPLICATION_CREDENTIALS`.

    Every problem is a CredentialsError in Russian and English; key material never leaks.
    """
    if path is None:
        env = os.environ.get("GOOGLE_APPLICATION_CREDENTIALS")
        if not env:
            raise CredentialsError(*pair("no_key"))
        path = Path(key_path(env, "GOOGLE_APPLICATION_CREDENTIALS"))
    if not path.is_file():
        raise CredentialsError(*pair("key_missing", path=path))
    _warn_if_readable_by_others(path)
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        raise CredentialsError(*pair("not_json", path=path)) from None
    if not isinstance(info, dict):
        raise CredentialsError(*pair("not_a_key", path=path))
    remember_key(info)  # from now on no log line or message can show a piece of it
    if "installed" in info or "web" in info:
        raise CredentialsError(*pair("oauth_client", path=path))
    if info.get("type") != "service_account":
        raise CredentialsError(*pair("no_type", path=path))
    try:
        return service_account.Credentials.from_service_account_info(info, scopes=[SCOPE])
    except (ValueError, KeyError, TypeError):
        # the library's message may quote the key; say what to do instead
        raise CredentialsError(*pair("damaged_key", path=path)) from None


def _warn_if_readable_by_others(path: Path) -> None:
    """A key file other users of the computer can read is a leaked key waiting to happen."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return
    if os.name == "posix" and mode & (stat.S_IRGRP | stat.S_IROTH):
        log.warning(
            "Файл ключа %s могут прочитать другие пользователи компьютера (права %o). "
            "Оставьте доступ только себе: chmod 600 %s",
            path,
            stat.S_IMODE(mode),
            path,
        )


class _Ambiguous(Exception):
    """A write failed in a way that may still have applied it (5xx, timeout, reset)."""


class GSheetsBackend:
    """A Google spreadsheet behind `backends.base.Backend`.

    `adapter` (a `requests` transport adapter) is mounted for every request, token requests
    included: tests pass the in-process fake; `sleep`, `rand` and `clock` make retries testable.
    """

    def __init__(
        self,
        spreadsheet: str,
        credentials: Path | None = None,
        retry: RetryConfig | None = None,
        *,
        adapter: requests.adapters.BaseAdapter | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rand: Callable[[], float] = random.random,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.spreadsheet_id = spreadsheet_id(spreadsheet)
        self.credentials_path = credentials
        self.retry = retry or RetryConfig()
        self._adapter = adapter
        self._sleep = sleep
        self._rand = rand
        self._clock = clock
        self._credentials: service_account.Credentials | None = None
        self._http: gspread.HTTPClient | None = None
        # the tabs as of the last read or write (for the next read and write), and when
        self._meta: dict[str, SheetMeta] | None = None
        self._meta_at = 0.0
        self._meta_fresh = False  # read in this cycle, not carried over from an earlier one

    # -- Backend protocol ---------------------------------------------------------------

    def describe(self) -> str:
        """The spreadsheet's URL."""
        return f"https://docs.google.com/spreadsheets/d/{self.spreadsheet_id}/edit"

    def read(self, wanted: Callable[[str], bool]) -> RawWorkbook:
        """Every tab title and the raw values of wanted tabs, in ONE request.

        With the tab list of an earlier cycle: a `values.batchGet` of the wanted tabs plus A1 of
        every other grid tab, which Google fails whole (400) when a tab was renamed or deleted;
        then, and on the first read, one `spreadsheets.get` with every tab's grid data."""
        meta = self._meta
        if meta is not None and self._clock() - self._meta_at <= TAB_LIST_MAX_AGE:
            titles = [title for title in meta if wanted(title)]
            if titles:
                answer = self._with_retries("чтение", lambda _again: self._values(meta, titles))
                if answer is not None:
                    self._meta_fresh = False
                    tabs = {title: RawTab(title, answer[title]) for title in titles}
                    ids = {title: tab.sheet_id for title, tab in meta.items()}
                    return RawWorkbook(tuple(meta), tabs, ids)
                log.info("Google Sheets: tabs were renamed or deleted; reading every tab again")
        return self._read_all(wanted)

    def write(self, plans: Sequence[TabWrite]) -> None:
        """All plans in ONE `spreadsheets.batchUpdate`, which Google applies all or nothing.

        Its reply carries the tabs' metadata after the write, for the next cycle."""
        if not plans:
            return
        stale = not self._meta_fresh  # the tab list is from an earlier cycle

        def attempt(after_ambiguous: bool) -> dict[str, Any]:
            nonlocal stale
            if after_ambiguous or self._meta is None:
                # a failed write may have been applied: build from what the sheet holds now
                self._meta, stale = self._read_meta(), False
            try:
                return self._batch_update(write_requests(plans, self._meta), reply=True)
            except APIError as error:
                if not stale or error.response.status_code != 400:
                    raise
            # a person changed the bot's tabs since the last cycle (a chart or tab deleted):
            # nothing was applied; build again from what the sheet holds now
            log.info("Google Sheets: the bot's tabs changed since the last cycle; re-reading")
            self._meta, stale = self._read_meta(), False
            return self._batch_update(write_requests(plans, self._meta), reply=True)

        try:
            answer = self._with_retries("запись", attempt)
        except BaseException:
            self._meta = None  # sheetIds, charts and rules may have changed
            raise
        self._remember(answer.get("updatedSpreadsheet", {}).get("sheets"), fresh=False)

    def init(self, tabs: Sequence[InputTabInit]) -> list[str]:
        """Add missing input tabs (headers, drop-downs, formats, frozen header) in one write;
        a tab with data is never touched. Returns the titles created or filled."""
        meta = self._with_retries("чтение", lambda _again: self._parse_meta(self._get(READ_FIELDS)))
        created: list[str] = []

        def attempt(after_ambiguous: bool) -> None:
            nonlocal meta, created
            if after_ambiguous:
                meta = self._parse_meta(self._get(READ_FIELDS))
            requests_, created = init_requests(tabs, meta)
            if requests_:
                self._batch_update(requests_)

        self._with_retries("запись", attempt)
        self._meta = None
        return created

    # -- HTTP ------------------------------------------------------------------------------

    def _client(self) -> gspread.HTTPClient:
        if self._http is None:
            self._credentials = load_credentials(self.credentials_path)
            token_session = requests.Session()
            session = AuthorizedSession(self._credentials, auth_request=AuthRequest(token_session))
            if self._adapter is not None:
                for mounted in (token_session, session):
                    mounted.mount("https://", self._adapter)
                    mounted.mount("http://", self._adapter)
            http = gspread.Client(self._credentials, session=session).http_client
            http.set_timeout((self.retry.connect_timeout, self.retry.read_timeout))
            self._http = http
        return self._http

    def _get(self, fields: str) -> dict[str, Any]:
        params = {**_PLAIN, "includeGridData": "true", "fields": fields}
        return self._client().spreadsheets_get(self.spreadsheet_id, params=params)

    def _parse_meta(self, answer: Mapping[str, Any]) -> dict[str, SheetMeta]:
        sheets = map(parse_sheet_meta, answer.get("sheets", []))
        return {meta.title: meta for meta in sheets}

    def _read_meta(self) -> dict[str, SheetMeta]:
        return self._parse_meta(self._get(META_FIELDS))

    def _remember(self, sheets: Sequence[Mapping[str, Any]] | None, *, fresh: bool) -> None:
        """Keep the tab list for the next read and write (None: the next read fetches it)."""
        self._meta = None if sheets is None else self._parse_meta({"sheets": sheets})
        self._meta_at = self._clock()
        self._meta_fresh = fresh

    def _read_all(self, wanted: Callable[[str], bool]) -> RawWorkbook:
        """Every tab's metadata and the grid data of every tab, in ONE `spreadsheets.get`."""
        answer = self._with_retries("чтение", lambda _again: self._get(READ_FIELDS))
        sheets = answer.get("sheets", [])
        self._remember(sheets, fresh=True)
        titles: list[str] = []
        tabs: dict[str, RawTab] = {}
        sheet_ids: dict[str, int] = {}
        for sheet in sheets:
            title = str(sheet.get("properties", {}).get("title", ""))
            titles.append(title)
            sheet_ids[title] = int(sheet.get("properties", {}).get("sheetId", 0))
            if wanted(title):
                tabs[title] = RawTab(title, raw_rows(sheet.get("data", ())))
        return RawWorkbook(tuple(titles), tabs, sheet_ids)

    def _values(
        self, meta: Mapping[str, SheetMeta], titles: Sequence[str]
    ) -> dict[str, list[list[RawCell]]] | None:
        """Raw rows of `titles` by one `values.batchGet`; None when Google refuses a range (a
        tab of `meta` was renamed or deleted; or the URL is too long for very many tabs). A1
        of every other grid tab checks that it is still there at the cost of one cell."""
        wanted = set(titles)
        checked = [t for t, tab in meta.items() if t in wanted or tab.sheet_type == "GRID"]
        ranges = [a1_tab(title) if title in wanted else a1_tab(title, "A1") for title in checked]
        params = {
            **_PLAIN,
            "valueRenderOption": "UNFORMATTED_VALUE",
            "dateTimeRenderOption": "SERIAL_NUMBER",
            "majorDimension": "ROWS",
            "fields": "valueRanges.values",
        }
        try:
            answer = self._client().values_batch_get(self.spreadsheet_id, ranges, params=params)
        except APIError as error:
            if error.response.status_code in (400, 414):
                return None
            raise
        found = answer.get("valueRanges", [])
        if len(found) != len(ranges):  # never seen: read every tab rather than guess
            return None
        by_title = dict(zip(checked, found, strict=True))
        return {title: value_rows(by_title[title].get("values", ())) for title in titles}

    def _batch_update(self, requests_: list[dict[str, Any]], *, reply: bool = False) -> Any:
        """One batchUpdate; with `reply`, its answer carries every tab's metadata after it."""
        body: dict[str, Any] = {"requests": requests_}
        params = dict(_PLAIN)
        if reply:
            body.update(includeSpreadsheetInResponse=True, responseIncludeGridData=False)
            params["fields"] = WRITE_REPLY_FIELDS
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        payload = data.encode("utf-8")
        if len(payload) > PAYLOAD_WARNING_BYTES:
            log.warning(
                "batchUpdate payload is %.1f MB (%d bytes), above Google's 2 MB recommendation",
                len(payload) / 1024 / 1024,
                len(payload),
            )
        log.debug("batchUpdate: %d requests, %d bytes", len(requests_), len(payload))
        try:
            response = self._client().request(
                "post",
                SPREADSHEET_BATCH_UPDATE_URL % self.spreadsheet_id,
                params=params,
                data=payload,
                headers={"Content-Type": "application/json; charset=utf-8"},
            )
        except APIError as error:
            if error.response.status_code >= 500:
                raise _Ambiguous(error) from error
            raise
        except (requests.Timeout, requests.ConnectionError) as error:
            raise _Ambiguous(error) from error
        return response.json() if reply else None

    # -- retries ---------------------------------------------------------------------------

    def _with_retries(self, action: str, attempt: Callable[[bool], T]) -> T:
        """Run `attempt` until it succeeds, a permanent error, or the budget is spent.

        `attempt(after_ambiguous)` is told when the previous try may have been applied.
        """
        started = self._clock()
        after_ambiguous = False
        tries = 0
        while True:
            tries += 1
            retry_after: float | None = None
            try:
                return attempt(after_ambiguous)
            except _Ambiguous as wrapped:
                after_ambiguous = True
                cause = wrapped.args[0]
                reason = api_errors.reason(cause)
                if isinstance(cause, APIError):
                    retry_after = api_errors.retry_after(cause.response)
            except APIError as error:
                status = error.response.status_code
                if status not in RETRY_STATUSES:
                    raise api_errors.permanent(
                        error, action, self.spreadsheet_id, self._client_email()
                    ) from None
                reason = api_errors.reason(error)
                retry_after = api_errors.retry_after(error.response)
            except (requests.Timeout, requests.ConnectionError) as error:
                reason = api_errors.reason(error)
            except google.auth.exceptions.TransportError as error:
                reason = pair("auth_unreachable", name=type(error).__name__)
            except google.auth.exceptions.RefreshError as error:
                if not getattr(error, "retryable", False):
                    raise api_errors.refresh_failed(self._client_email(), str(error)) from None
                reason = pair("auth_unavailable")
            elapsed = self._clock() - started
            delay = self._rand() * min(_BACKOFF_CAP, _BACKOFF_BASE * 2 ** (tries - 1))
            if retry_after is not None:
                delay = max(delay, retry_after)
            if tries >= self.retry.attempts or elapsed + delay > self.retry.total_seconds:
                raise api_errors.exhausted(action, tries, elapsed, reason, after_ambiguous)
            log.warning(
                "Google Sheets %s: %s; retry %d of %d in %.1f s",
                action,
                reason[0],
                tries,
                self.retry.attempts - 1,
                delay,
            )
            self._sleep(delay)

    def _client_email(self) -> tuple[str, str]:
        """The service account's e-mail for a message, (ru, en)."""
        email = getattr(self._credentials, "service_account_email", None)
        return (str(email), str(email)) if email else pair("no_email")
