"""Secrets: a real-looking service-account key (a freshly generated RSA key) never shows up in
a log line (captured at DEBUG), a message, a report or a traceback, even with --verbose; a key
file other users can read gets a warning."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from sheets_kpi import cli, pipeline
from sheets_kpi.backends.gsheets import load_credentials
from tests.fakes.google_env import SPREADSHEET_ID, RecordedWaits
from tests.fakes.sheets_api import FakeSheetsApi
from tests.reliability.google_cli import wire_cli_to_fake

AS_OF = "2026-11-22"
SALES = [["Дата", "Менеджер", "Клиент", "Сумма"], ["05.11.2026", "Анна", "Ромашка", 1000]]
KEY_ID = "9f3c2b1a0e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b"


@dataclass
class Secret:
    api: FakeSheetsApi
    info: dict[str, Any]
    path: Path
    argv: list[str]

    def fragments(self) -> list[str]:
        """What must never be printed: the key id, the PEM, and every line of its body."""
        pem = str(self.info["private_key"])
        body = [line for line in pem.splitlines() if line and not line.startswith("-----")]
        return [KEY_ID, pem, pem.replace("\n", "\\n"), *body]


@pytest.fixture
def secret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Secret]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SHEETS_KPI_STATE_DIR", str(tmp_path / "state"))
    api = FakeSheetsApi()
    info = api.service_account_info()  # a real 2048-bit RSA key the fake verifies
    info["private_key_id"] = KEY_ID
    path = tmp_path / "agency-kpi-9f3c2b1a0e8d.json"
    path.write_text(json.dumps(info, indent=2), encoding="utf-8")
    os.chmod(path, 0o600)
    api.create_spreadsheet(SPREADSHEET_ID, {"Продажи": SALES}, editors=[info["client_email"]])
    wire_cli_to_fake(monkeypatch, api, RecordedWaits())
    argv = ["--sheet", SPREADSHEET_ID, "--credentials", str(path), "--as-of", AS_OF, "--verbose"]
    yield Secret(api, info, path, argv)


def everything_shown(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture, *files: Path
) -> str:
    printed = capsys.readouterr()
    records = []
    for record in caplog.records:
        records.append(record.getMessage())
        if record.exc_info:
            records.append(logging.Formatter().formatException(record.exc_info))
    reports = [file.read_text(encoding="utf-8") for file in files if file.exists()]
    return "\n".join([printed.out, printed.err, *records, *reports])


def assert_no_secret(text: str, secret: Secret) -> None:
    assert text.strip()  # something was shown: the check is not vacuous
    for fragment in secret.fragments():
        assert fragment not in text


def run_and_show(
    argv: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> tuple[int, str]:
    caplog.set_level(logging.DEBUG)
    report = tmp_path / "report.json"
    code = cli.main([*argv, "--report", str(report)])
    return code, everything_shown(capsys, caplog, report)


def test_a_good_run_shows_no_key_material(
    secret: Secret,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    code, shown = run_and_show(["run", "--once", *secret.argv], tmp_path, capsys, caplog)

    assert code == 0
    assert_no_secret(shown, secret)


def test_a_revoked_key_shows_no_key_material(
    secret: Secret,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    secret.api.revoke(secret.info["client_email"])

    code, shown = run_and_show(["check", *secret.argv], tmp_path, capsys, caplog)

    assert code == 2
    assert "Создайте новый JSON-ключ" in shown
    assert_no_secret(shown, secret)


def test_a_damaged_key_shows_no_key_material(
    secret: Secret,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    damaged = dict(secret.info)
    pem = str(damaged["private_key"])
    damaged["private_key"] = pem[: len(pem) // 2] + "\n-----END PRIVATE KEY-----\n"
    secret.path.write_text(json.dumps(damaged), encoding="utf-8")

    code, shown = run_and_show(["run", "--once", *secret.argv], tmp_path, capsys, caplog)

    assert code == 2
    assert "повреждён" in shown
    assert_no_secret(shown, secret)


def test_an_internal_error_traceback_with_verbose_shows_no_key_material(
    secret: Secret,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("a bug in the middle of a run")

    monkeypatch.setattr(pipeline, "compute", broken)

    code, shown = run_and_show(["run", "--once", *secret.argv], tmp_path, capsys, caplog)

    assert code == 4
    assert "Traceback" in shown and "a bug in the middle of a run" in shown
    assert_no_secret(shown, secret)


def test_a_world_readable_key_gets_a_warning(
    secret: Secret, caplog: pytest.LogCaptureFixture
) -> None:
    os.chmod(secret.path, 0o644)
    caplog.set_level(logging.WARNING, logger="sheets_kpi")

    load_credentials(secret.path)

    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("chmod 600" in message and "644" in message for message in warnings)
    assert_no_secret("\n".join(warnings), secret)


def test_a_private_key_file_gets_no_warning(
    secret: Secret, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="sheets_kpi")

    load_credentials(secret.path)

    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
