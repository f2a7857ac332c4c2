"""Set-up shared by tests that talk to the fake Google: a key file, a spreadsheet, a backend."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gspread
import requests
from google.auth.transport.requests import AuthorizedSession
from google.auth.transport.requests import Request as AuthRequest
from google.oauth2 import service_account

from sheets_kpi.backends.gsheets import SCOPE, GSheetsBackend
from sheets_kpi.core.settings import RetryConfig
from tests.fakes.sheets_api import FakeSheetsApi

SPREADSHEET_ID = "1FakeSpreadsheetIdForTests0123456789abcdef"


@dataclass
class RecordedWaits:
    """An injected `sleep` that records the delays instead of sleeping, and a clock it moves."""

    delays: list[float] = field(default_factory=list)
    now: float = 0.0

    def sleep(self, seconds: float) -> None:
        self.delays.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


def key_file(api: FakeSheetsApi, folder: Path, email: str | None = None) -> tuple[Path, str]:
    """A service-account JSON key the fake accepts, written to `folder`; returns (path, email)."""
    info = api.service_account_info(email) if email else api.service_account_info()
    path = folder / "service-account.json"
    path.write_text(json.dumps(info), encoding="utf-8")
    return path, info["client_email"]


def backend_on_fake(
    api: FakeSheetsApi,
    folder: Path,
    tabs: Mapping[str, Sequence[Sequence[Any]]] | None = None,
    *,
    retry: RetryConfig | None = None,
    waits: RecordedWaits | None = None,
    shared: bool = True,
) -> tuple[GSheetsBackend, str]:
    """A spreadsheet on the fake (shared with a new service account) and a backend for it."""
    path, email = key_file(api, folder)
    api.create_spreadsheet(SPREADSHEET_ID, tabs, editors=[email] if shared else [])
    waits = waits or RecordedWaits()
    backend = GSheetsBackend(
        SPREADSHEET_ID,
        path,
        retry or RetryConfig(),
        adapter=api.adapter,
        sleep=waits.sleep,
        rand=lambda: 0.5,
        clock=waits.clock,
    )
    return backend, email


def http_client(api: FakeSheetsApi, info: Mapping[str, Any]) -> gspread.HTTPClient:
    """gspread's own HTTP client with a real service-account session, wired to the fake."""
    credentials = service_account.Credentials.from_service_account_info(dict(info), scopes=[SCOPE])
    token_session = requests.Session()
    token_session.mount("https://", api.adapter)
    session = AuthorizedSession(credentials, auth_request=AuthRequest(token_session))
    session.mount("https://", api.adapter)
    return gspread.Client(credentials, session=session).http_client
