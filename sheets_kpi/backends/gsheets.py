"""Google Sheets backend: the only module that talks to Google (SPEC §11).

gspread's `HTTPClient` over a google-auth service-account session, scope `spreadsheets` only.
A run costs ONE `spreadsheets.get` (tab metadata and raw cell values together) and ONE
`spreadsheets.batchUpdate` (every generated tab at once, all or nothing), whatever the number
of rows, managers or tabs. Retries are ours, bounded by `RetryConfig`; gspread's own backoff
client is not used.
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

from sheets_kpi.backends.gsheets_requests import (
    SheetMeta,
    init_requests,
    parse_sheet_meta,
    write_requests,
)
from sheets_kpi.core.model import RawCell, RawTab, RawWorkbook
from sheets_kpi.core.output.sheetplan import InputTabInit, TabWrite
from sheets_kpi.core.settings import RetryConfig
from sheets_kpi.errors import BackendError, ConfigError, CredentialsError
from sheets_kpi.redact import key_path, remember_key

log = logging.getLogger(__name__)

SCOPE = "https://www.googleapis.com/auth/spreadsheets"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
PAYLOAD_WARNING_BYTES = 2 * 1024 * 1024
_BACKOFF_BASE = 1.0
_BACKOFF_CAP = 32.0

_META_FIELDS = (
    "properties(sheetId,title,index,gridProperties(rowCount,columnCount,frozenRowCount)),"
    "charts(chartId),conditionalFormats(ranges(sheetId)),"
    "protectedRanges(protectedRangeId,description,range(sheetId))"
)
READ_FIELDS = f"sheets({_META_FIELDS},data(startRow,startColumn,rowData(values(effectiveValue))))"
META_FIELDS = f"sheets({_META_FIELDS})"

_ID_IN_URL = re.compile(r"/spreadsheets/d/([A-Za-z0-9_-]+)")
_PLAIN_ID = re.compile(r"^[A-Za-z0-9_-]{10,}$")

_ERROR_TEXT = {
    "NULL_VALUE": "#NULL!",
    "DIVIDE_BY_ZERO": "#DIV/0!",
    "VALUE": "#VALUE!",
    "REF": "#REF!",
    "NAME": "#NAME?",
    "NUM": "#NUM!",
    "N_A": "#N/A",
    "LOADING": "Loading...",
}

T = TypeVar("T")


def spreadsheet_id(sheet: str) -> str:
    """The spreadsheet ID from `--sheet`: an ID or a full `docs.google.com` URL."""
    text = sheet.strip()
    found = _ID_IN_URL.search(text)
    if found:
        return found.group(1)
    if _PLAIN_ID.match(text):
        return text
    raise ConfigError(
        f"«{sheet}» не похоже на таблицу Google: укажите в --sheet ссылку вида "
        "https://docs.google.com/spreadsheets/d/<ID>/edit или сам ID (часть ссылки между /d/ и "
        "/edit)."
    )


def load_credentials(path: Path | None) -> service_account.Credentials:
    """Service-account credentials from `path`, else `GOOGLE_APPLICATION_CREDENTIALS`.

    Every problem is a CredentialsError with a Russian sentence; key material never leaks.
    """
    if path is None:
        env = os.environ.get("GOOGLE_APPLICATION_CREDENTIALS")
        if not env:
            raise CredentialsError(
                "Не указан ключ сервисного аккаунта Google: передайте --credentials ФАЙЛ.json, "
                "пропишите credentials в конфиге или задайте переменную "
                "GOOGLE_APPLICATION_CREDENTIALS (см. README, раздел про Google Sheets)."
            )
        path = Path(key_path(env, "GOOGLE_APPLICATION_CREDENTIALS"))
    if not path.is_file():
        raise CredentialsError(
            f"Файл ключа {path} не найден: проверьте путь или скачайте ключ сервисного аккаунта "
            "заново (Google Cloud → IAM → Сервисные аккаунты → Ключи → Добавить ключ → JSON)."
        )
    _warn_if_readable_by_others(path)
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        raise CredentialsError(
            f"Файл {path} — не JSON-ключ сервисного аккаунта: скачайте ключ в формате JSON "
            "(Google Cloud → IAM → Сервисные аккаунты → Ключи → Добавить ключ → JSON)."
        ) from None
    if not isinstance(info, dict):
        raise CredentialsError(f"Файл {path} — не ключ сервисного аккаунта: скачайте JSON-ключ.")
    remember_key(info)  # from now on no log line or message can show a piece of it
    if "installed" in info or "web" in info:
        raise CredentialsError(
            f"Файл {path} — это OAuth-клиент («client secret»), а нужен ключ сервисного "
            "аккаунта: создайте сервисный аккаунт (Google Cloud → IAM → Сервисные аккаунты), "
            "скачайте его JSON-ключ и откройте таблице доступ для его e-mail."
        )
    if info.get("type") != "service_account":
        raise CredentialsError(
            f'Файл {path} — не ключ сервисного аккаунта (в нём нет "type": '
            '"service_account"): скачайте JSON-ключ сервисного аккаунта.'
        )
    try:
        return service_account.Credentials.from_service_account_info(info, scopes=[SCOPE])
    except (ValueError, KeyError, TypeError):
        # the library's message may quote the key; say what to do instead
        raise CredentialsError(
            f"Ключ сервисного аккаунта в {path} повреждён или неполон: скачайте новый JSON-ключ."
        ) from None


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
        self._meta: dict[str, SheetMeta] | None = None  # from the last read, for the next write

    # -- Backend protocol ---------------------------------------------------------------

    def describe(self) -> str:
        """The spreadsheet's URL."""
        return f"https://docs.google.com/spreadsheets/d/{self.spreadsheet_id}/edit"

    def read(self, wanted: Callable[[str], bool]) -> RawWorkbook:
        """Every tab title and the raw values of wanted tabs, in ONE `spreadsheets.get`."""
        answer = self._with_retries("чтение", lambda _again: self._get(READ_FIELDS))
        sheets = answer.get("sheets", [])
        self._meta = {meta.title: meta for meta in map(parse_sheet_meta, sheets)}
        titles: list[str] = []
        tabs: dict[str, RawTab] = {}
        sheet_ids: dict[str, int] = {}
        for sheet in sheets:
            title = str(sheet.get("properties", {}).get("title", ""))
            titles.append(title)
            sheet_ids[title] = int(sheet.get("properties", {}).get("sheetId", 0))
            if wanted(title):
                tabs[title] = RawTab(title, _raw_rows(sheet.get("data", ())))
        return RawWorkbook(tuple(titles), tabs, sheet_ids)

    def write(self, plans: Sequence[TabWrite]) -> None:
        """All plans in ONE `spreadsheets.batchUpdate`, which Google applies all or nothing."""
        if not plans:
            return

        def attempt(after_ambiguous: bool) -> None:
            if after_ambiguous or self._meta is None:
                # a failed write may have been applied: build from what the sheet holds now
                self._meta = self._read_meta()
            self._batch_update(write_requests(plans, self._meta))

        try:
            self._with_retries("запись", attempt)
        finally:
            self._meta = None  # sheetIds, charts and rules have changed

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
        params = {"includeGridData": "true", "fields": fields}
        return self._client().spreadsheets_get(self.spreadsheet_id, params=params)

    def _parse_meta(self, answer: Mapping[str, Any]) -> dict[str, SheetMeta]:
        sheets = map(parse_sheet_meta, answer.get("sheets", []))
        return {meta.title: meta for meta in sheets}

    def _read_meta(self) -> dict[str, SheetMeta]:
        return self._parse_meta(self._get(META_FIELDS))

    def _batch_update(self, requests_: list[dict[str, Any]]) -> None:
        body = {"requests": requests_}
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
            self._client().request(
                "post",
                SPREADSHEET_BATCH_UPDATE_URL % self.spreadsheet_id,
                data=payload,
                headers={"Content-Type": "application/json; charset=utf-8"},
            )
        except APIError as error:
            if error.response.status_code >= 500:
                raise _Ambiguous(error) from error
            raise
        except (requests.Timeout, requests.ConnectionError) as error:
            raise _Ambiguous(error) from error

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
                reason = self._reason(cause)
                if isinstance(cause, APIError):
                    retry_after = _retry_after(cause.response)
            except APIError as error:
                status = error.response.status_code
                if status not in RETRY_STATUSES:
                    raise self._permanent(error, action) from None
                reason = self._reason(error)
                retry_after = _retry_after(error.response)
            except (requests.Timeout, requests.ConnectionError) as error:
                reason = self._reason(error)
            except google.auth.exceptions.TransportError as error:
                reason = f"нет связи с сервером авторизации Google ({type(error).__name__})"
            except google.auth.exceptions.RefreshError as error:
                if not getattr(error, "retryable", False):
                    raise self._refresh_failed(str(error)) from None
                reason = "сервер авторизации Google временно недоступен"
            elapsed = self._clock() - started
            delay = self._rand() * min(_BACKOFF_CAP, _BACKOFF_BASE * 2 ** (tries - 1))
            if retry_after is not None:
                delay = max(delay, retry_after)
            if tries >= self.retry.attempts or elapsed + delay > self.retry.total_seconds:
                raise self._exhausted(action, tries, elapsed, reason, after_ambiguous)
            log.warning(
                "Google Sheets %s: %s; retry %d of %d in %.1f s",
                action,
                reason,
                tries,
                self.retry.attempts - 1,
                delay,
            )
            self._sleep(delay)

    def _reason(self, error: BaseException) -> str:
        if isinstance(error, APIError):
            status = error.response.status_code
            if status == 429:
                return "превышена квота запросов Google (429)"
            return f"ошибка сервера Google ({status})"
        if isinstance(error, requests.Timeout):
            return "Google не ответил вовремя (таймаут)"
        return f"обрыв соединения с Google ({type(error).__name__})"

    def _client_email(self) -> str:
        email = getattr(self._credentials, "service_account_email", None)
        return str(email) if email else "e-mail сервисного аккаунта (поле client_email в ключе)"

    def _permanent(self, error: APIError, action: str) -> Exception:
        status = error.response.status_code
        message = str(error.error.get("message", "")) if isinstance(error.error, dict) else ""
        if status == 403 and ("has not been used" in message or "disabled" in message):
            return BackendError(
                "Google Sheets API не включён в проекте Google Cloud этого сервисного аккаунта: "
                "откройте console.cloud.google.com → «API и сервисы» → «Библиотека», включите "
                "Google Sheets API и через пару минут запустите снова. Ничего не записано."
            )
        if status == 403:
            return BackendError(
                f"Нет доступа к таблице {self.spreadsheet_id}: откройте доступ к таблице для "
                f"{self._client_email()} с правами редактора (кнопка «Настройки доступа» в "
                "таблице) и запустите снова. Ничего не записано."
            )
        if status == 404:
            return BackendError(
                f"Таблица {self.spreadsheet_id} не найдена: ID неверен. Проверьте --sheet — "
                "скопируйте ссылку на таблицу из адресной строки браузера целиком. "
                "Ничего не записано."
            )
        if status == 401:
            return self._refresh_failed()
        what = "прочитать таблицу" if action == "чтение" else "записать листы"
        return BackendError(
            f"Google отказался {what} (ошибка {status}: {message or 'без пояснения'}). "
            "Ничего не записано; если ошибка повторяется, сообщите о ней разработчикам."
        )

    def _refresh_failed(self, detail: str = "") -> CredentialsError:
        if "short-lived" in detail or "Invalid JWT: Token" in detail:
            # Google refuses a signed request whose time is off by more than a few minutes
            return CredentialsError(
                "Google не принял вход сервисного аккаунта: часы этого компьютера спешат или "
                "отстают. Включите синхронизацию времени (например, `timedatectl set-ntp true`) "
                "и запустите снова."
            )
        return CredentialsError(
            f"Google не принял ключ сервисного аккаунта {self._client_email()}: ключ отозван, "
            "удалён или аккаунт отключён. Создайте новый JSON-ключ (Google Cloud → IAM → "
            "Сервисные аккаунты → Ключи) и укажите его в --credentials."
        )

    def _exhausted(
        self, action: str, tries: int, elapsed: float, reason: str, maybe_applied: bool
    ) -> BackendError:
        outcome = (
            "Запись могла не дойти до конца; следующий запуск перепишет листы бота целиком."
            if maybe_applied
            else "Ничего не записано."
        )
        what = "прочитать таблицу" if action == "чтение" else "записать листы"
        return BackendError(
            f"Не удалось {what} Google: {tries} попыток за {elapsed:.0f} с, последняя "
            f"причина — {reason}. {outcome} Попробуйте позже или увеличьте [retry] в конфиге."
        )


def _retry_after(response: requests.Response) -> float | None:
    """Seconds from a `Retry-After` header (only the delta-seconds form is used by Google)."""
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def _raw_value(cell: Mapping[str, Any]) -> RawCell:
    value = cell.get("effectiveValue")
    if not value:
        return None
    if "numberValue" in value:
        number = value["numberValue"]
        if isinstance(number, float) and number.is_integer() and abs(number) < 2**53:
            return int(number)
        return number
    if "stringValue" in value:
        return value["stringValue"]
    if "boolValue" in value:
        return bool(value["boolValue"])
    if "errorValue" in value:
        kind = value["errorValue"].get("type", "ERROR")
        return _ERROR_TEXT.get(kind, "#ERROR!")
    return None


def _raw_rows(blocks: Sequence[Mapping[str, Any]]) -> list[list[RawCell]]:
    """Grid data → rows of raw values, trimmed of trailing empty rows and columns."""
    rows: list[list[RawCell]] = []
    for block in blocks:
        start_row = int(block.get("startRow", 0))
        start_column = int(block.get("startColumn", 0))
        for offset, row_data in enumerate(block.get("rowData", ())):
            index = start_row + offset
            while len(rows) <= index:
                rows.append([])
            values = [_raw_value(cell) for cell in row_data.get("values", ())]
            row = rows[index]
            needed = start_column + len(values)
            if len(row) < needed:
                row.extend([None] * (needed - len(row)))
            row[start_column:needed] = values
    for row in rows:
        while row and row[-1] is None:
            row.pop()
    while rows and not rows[-1]:
        rows.pop()
    return rows
