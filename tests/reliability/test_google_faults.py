"""Faults injected into the fake Google while `sheets-kpi run --once` runs through `cli.main`.

Each fault ends with the right exit code and a Russian message, leaves the spreadsheet either
exactly as it was or fully written (never half), and the next run succeeds. Waiting happens in
`RecordedWaits`, never in real time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests

from sheets_kpi import cli, options
from tests.fakes.google_env import SPREADSHEET_ID, RecordedWaits, key_file
from tests.fakes.sheets_api import FakeSheetsApi
from tests.reliability.google_cli import state_of, user_formulas, wire_cli_to_fake

AS_OF = "2026-11-22"
RUN_AT = datetime(2026, 11, 22, 9, 30, tzinfo=ZoneInfo("Europe/Moscow"))
GENERATED = ("Сводка", "Лидерборд", "Бонусы", "Помесячно", "Ошибки")
SALES = [
    ["Дата", "Менеджер", "Клиент", "Сумма"],
    ["05.10.2026", "Анна Смирнова", "Ромашка", 162000],
    ["12.11.2026", "Анна Смирнова", "Ромашка", 50000],
    ["03.11.2026", "Борис Петров", '=IMPORTXML("http://x";"//a")', 120000],
    ["31.02.2026", "Борис Петров", 'Лютик", "x")&HYPERLINK("http://evil', 1000],
]


@dataclass
class Google:
    api: FakeSheetsApi
    waits: RecordedWaits
    argv: list[str]
    auth_sleeps: list[float]

    def run(self) -> int:
        return cli.main(["run", "--once", *self.argv])

    def state(self) -> dict[str, bytes]:
        return state_of(self.api, SPREADSHEET_ID)


@pytest.fixture
def google(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Google]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SHEETS_KPI_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setattr(options, "run_at", lambda config: RUN_AT)  # one clock for every run
    auth_sleeps: list[float] = []
    # google-auth retries the token endpoint itself, sleeping in real time: record instead
    import google.auth._exponential_backoff as auth_backoff

    monkeypatch.setattr(auth_backoff.time, "sleep", auth_sleeps.append)
    api = FakeSheetsApi()
    key, email = key_file(api, tmp_path)
    api.create_spreadsheet(SPREADSHEET_ID, {"Продажи": SALES}, editors=[email])
    waits = RecordedWaits()
    wire_cli_to_fake(monkeypatch, api, waits)
    argv = ["--sheet", SPREADSHEET_ID, "--credentials", str(key), "--as-of", AS_OF]
    yield Google(api, waits, argv, auth_sleeps)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[list[Any]]]:
    """The generated tabs' values after a run with no fault at all: what "fully written" is."""
    api = FakeSheetsApi()
    folder = tmp_path_factory.mktemp("reference")
    key, email = key_file(api, folder)
    api.create_spreadsheet(SPREADSHEET_ID, {"Продажи": SALES}, editors=[email])
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        patch.setenv("SHEETS_KPI_STATE_DIR", str(folder / "state"))
        patch.setattr(options, "run_at", lambda config: RUN_AT)
        wire_cli_to_fake(patch, api, RecordedWaits())
        argv = ["--sheet", SPREADSHEET_ID, "--credentials", str(key), "--as-of", AS_OF]
        assert cli.main(["run", "--once", *argv]) == 0
    return {title: api.values(SPREADSHEET_ID, title) for title in GENERATED}


def assert_fully_written(google: Google, written: dict[str, list[list[Any]]]) -> None:
    """Every generated tab holds exactly what a run without faults writes, once."""
    api = google.api
    assert {title: api.values(SPREADSHEET_ID, title) for title in GENERATED} == written
    for title in GENERATED:
        assert len(api.sheet(SPREADSHEET_ID, title).protected_ranges) == 1, title
    charts = sum(len(sheet.charts) for sheet in api.book(SPREADSHEET_ID).sheets)
    assert charts == 2  # revenue by manager, team revenue vs plan: never doubled by a retry
    assert user_formulas(api, SPREADSHEET_ID) == []


def fail_token(api: FakeSheetsApi, monkeypatch: pytest.MonkeyPatch, times: int, status: int = 503):
    """The OAuth token endpoint answers `status` to the next `times` requests."""
    real = api._token
    left = [times]

    def token(body: bytes) -> tuple[int, Any, dict[str, str]]:
        if left[0] > 0:
            left[0] -= 1
            return status, {"error": "internal_failure", "error_description": "Injected"}, {}
        return real(body)

    monkeypatch.setattr(api, "_token", token)


Fault = Callable[[FakeSheetsApi], None]

# Faults the run recovers from: it ends with exit 0 and the tabs fully written.
RECOVERED: dict[str, Fault] = {
    "429_with_retry_after_on_read": lambda api: api.fail_next(
        429, times=2, headers={"Retry-After": "30"}, kinds=["get"]
    ),
    "429_without_retry_after_on_write": lambda api: api.fail_next(
        429, times=3, kinds=["batchUpdate"]
    ),
    "burst_of_500_and_503": lambda api: (
        api.fail_next(500, times=2, kinds=["batchUpdate"]),
        api.fail_next(503, times=2, kinds=["batchUpdate"]),
    ),
    "503_after_the_write_was_applied": lambda api: api.fail_next(
        503, times=2, apply=True, kinds=["batchUpdate"]
    ),
    "connection_reset_on_read": lambda api: api.raise_next(
        requests.ConnectionError(ConnectionResetError(104, "Connection reset by peer")),
        kinds=["get"],
    ),
    "connection_reset_after_the_write_was_applied": lambda api: api.raise_next(
        requests.ConnectionError(ConnectionResetError(104, "Connection reset by peer")),
        apply=True,
        kinds=["batchUpdate"],
    ),
    "read_timeout_on_read": lambda api: api.raise_next(
        requests.ReadTimeout("Read timed out. (read timeout=120)"), times=2, kinds=["get"]
    ),
    "read_timeout_on_write_applied": lambda api: api.raise_next(
        requests.ReadTimeout("Read timed out."), apply=True, kinds=["batchUpdate"]
    ),
}


@pytest.mark.parametrize("fault", RECOVERED, ids=list(RECOVERED))
def test_run_recovers_from_a_passing_fault(
    fault: str, google: Google, written: dict[str, list[list[Any]]]
) -> None:
    RECOVERED[fault](google.api)

    assert google.run() == 0

    assert_fully_written(google, written)
    assert not google.api.faults  # every injected fault was met
    assert google.waits.delays and google.waits.now <= 120  # waited, within the budget
    assert google.run() == 0  # and the next run is ordinary
    assert_fully_written(google, written)


def test_retry_after_is_honoured(google: Google) -> None:
    google.api.fail_next(429, times=1, headers={"Retry-After": "30"}, kinds=["get"])

    assert google.run() == 0

    assert google.waits.delays == [30.0]


def test_token_endpoint_hiccup_is_retried(
    google: Google, monkeypatch: pytest.MonkeyPatch, written: dict[str, list[list[Any]]]
) -> None:
    fail_token(google.api, monkeypatch, times=2)

    assert google.run() == 0

    assert_fully_written(google, written)
    assert len(google.auth_sleeps) == 2  # google-auth's own two retries, recorded not slept


def test_token_endpoint_down_longer_than_the_budget_exits_3_and_writes_nothing(
    google: Google, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = google.state()
    fail_token(google.api, monkeypatch, times=1000)

    assert google.run() == 3

    err = capsys.readouterr().err
    assert "сервер авторизации Google" in err and "Ничего не записано" in err
    assert google.state() == before


def test_revoked_key_exits_2_with_what_to_do(
    google: Google, capsys: pytest.CaptureFixture[str]
) -> None:
    before = google.state()
    google.api.revoke("kpi-bot@agency-kpi.iam.gserviceaccount.com")

    assert google.run() == 2

    err = capsys.readouterr().err
    assert "Создайте новый JSON-ключ" in err
    assert google.state() == before


def test_400_on_the_write_exits_3_writes_nothing_and_the_next_run_succeeds(
    google: Google, written: dict[str, list[list[Any]]], capsys: pytest.CaptureFixture[str]
) -> None:
    before = google.state()
    google.api.fail_next(400, kinds=["batchUpdate"])

    assert google.run() == 3

    err = capsys.readouterr().err
    assert "Google отказался записать листы" in err and "Ничего не записано" in err
    assert google.state() == before
    assert google.waits.delays == []  # a 400 is not retried
    assert google.run() == 0
    assert_fully_written(google, written)


def test_quota_exhausted_longer_than_the_budget_exits_3_and_writes_nothing(
    google: Google, written: dict[str, list[list[Any]]], capsys: pytest.CaptureFixture[str]
) -> None:
    before = google.state()
    google.api.fail_next(429, times=1000, headers={"Retry-After": "60"})

    assert google.run() == 3

    err = capsys.readouterr().err
    assert "квота" in err and "Попробуйте позже" in err and "Ничего не записано" in err
    assert google.state() == before
    assert google.waits.now <= 120  # the budget (RetryConfig.total_seconds) is kept
    google.api.faults.clear()  # the quota comes back
    assert google.run() == 0
    assert_fully_written(google, written)


def test_server_errors_for_the_whole_budget_on_write_exit_3_and_nothing_is_half_written(
    google: Google, written: dict[str, list[list[Any]]], capsys: pytest.CaptureFixture[str]
) -> None:
    before = google.state()
    google.api.fail_next(503, times=1000, kinds=["batchUpdate"])

    assert google.run() == 3

    assert "ошибка сервера Google (503)" in capsys.readouterr().err
    assert google.state() == before  # all or nothing: nothing
    google.api.faults.clear()
    assert google.run() == 0
    assert_fully_written(google, written)


def test_write_applied_but_every_answer_lost_exits_3_and_the_tabs_are_whole(
    google: Google, written: dict[str, list[list[Any]]], capsys: pytest.CaptureFixture[str]
) -> None:
    google.api.fail_next(503, times=1000, apply=True, kinds=["batchUpdate"])

    assert google.run() == 3

    assert "могла не дойти до конца" in capsys.readouterr().err
    assert_fully_written(google, written)  # applied whole, each time: one set of objects
    google.api.faults.clear()
    assert google.run() == 0
    assert_fully_written(google, written)
