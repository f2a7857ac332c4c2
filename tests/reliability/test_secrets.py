"""Secrets: a real-looking service-account key (a freshly generated RSA key) never shows up in
a log line (captured at DEBUG), a message, a report or a traceback, even with --verbose; a key
file other users can read gets a warning."""

from __future__ import annotations

import json
import logging
import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from sheets_kpi import cli, pipeline, worker
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


# --- a key pasted where a key *path* belongs (issue 15) -----------------------------------------


def pem_body(secret: Secret) -> str:
    pem = str(secret.info["private_key"])
    return "".join(line for line in pem.splitlines() if not line.startswith("-----"))


def files_written(folder: Path, secret: Secret) -> str:
    """Every file under `folder` but the key file itself (workbooks unzipped), as text."""
    texts = []
    for file in sorted(folder.rglob("*")):
        if not file.is_file() or file == secret.path:
            continue
        data = file.read_bytes()
        if zipfile.is_zipfile(file):
            with zipfile.ZipFile(file) as book:
                data = b"".join(book.read(name) for name in book.namelist())
        texts.append(data.decode("utf-8", errors="replace"))
    return "\n".join(texts)


def spreadsheet_text(secret: Secret) -> str:
    return "\n".join(
        secret.api.snapshot(SPREADSHEET_ID, sheet.title).decode("utf-8", errors="replace")
        for sheet in secret.api.book(SPREADSHEET_ID).sheets
    )


def assert_no_key_slice(text: str, secret: Secret) -> None:
    """No 40-character slice of the PEM body (line breaks and their JSON escapes ignored) and
    not the private_key_id anywhere in `text`."""
    assert text.strip()
    flat = re.sub(r"\\n|\s", "", text)
    body = pem_body(secret)
    assert len(body) > 1000  # a real 2048-bit key
    leaked = [body[start : start + 40] for start in range(len(body) - 39)]
    assert not [piece for piece in leaked if piece in flat]
    assert KEY_ID not in flat


def cli_output(capsys: pytest.CaptureFixture[str]) -> str:
    printed = capsys.readouterr()
    return printed.out + "\n" + printed.err


def test_a_key_pasted_into_credentials_is_refused_without_echoing_it(
    secret: Secret, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pasted = secret.path.read_text(encoding="utf-8")
    argv = ["--sheet", SPREADSHEET_ID, "--credentials", pasted, "--as-of", AS_OF, "--verbose"]

    codes = [cli.main(["run", "--once", *argv]), cli.main(["check", *argv])]
    shown = cli_output(capsys)

    assert codes == [2, 2]
    assert shown.count("Ошибка: --credentials: похоже на содержимое ключа, а не путь к файлу") == 2
    assert "--credentials credentials.json" in shown  # says how to fix it
    assert_no_key_slice(shown + files_written(tmp_path, secret), secret)


def test_a_key_in_the_environment_variable_is_refused_without_echoing_it(
    secret: Secret,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", secret.path.read_text(encoding="utf-8"))

    code = cli.main(["run", "--once", "--sheet", SPREADSHEET_ID, "--as-of", AS_OF, "--verbose"])
    shown = cli_output(capsys)

    assert code == 2
    assert "GOOGLE_APPLICATION_CREDENTIALS: похоже на содержимое ключа" in shown
    assert_no_key_slice(shown + files_written(tmp_path, secret), secret)


def test_a_pem_in_the_config_is_refused_without_echoing_it(
    secret: Secret, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pem = str(secret.info["private_key"])
    config = tmp_path / "sheets_kpi.toml"
    config.write_text(f'sheet = "{SPREADSHEET_ID}"\ncredentials = """{pem}"""\n', encoding="utf-8")

    code = cli.main(["run", "--once", "--as-of", AS_OF, "--verbose"])
    shown = cli_output(capsys)

    assert code == 2
    assert "credentials: похоже на содержимое ключа" in shown
    assert_no_key_slice(shown + files_written(tmp_path, secret).replace(pem, ""), secret)


def test_a_pem_in_a_spreadsheet_entry_stops_the_worker_before_any_state_is_written(
    secret: Secret, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pem = str(secret.info["private_key"])
    config = tmp_path / "sheets_kpi.toml"
    config.write_text(
        f'[[spreadsheet]]\nsheet = "{SPREADSHEET_ID}"\ncredentials = """{pem}"""\n'
        '[[spreadsheet]]\nxlsx = "other.xlsx"\n',
        encoding="utf-8",
    )

    code = cli.main(["run", "--every", "15m", "--config", str(config), "--verbose"])
    status = cli.main(["status", "--config", str(config)])
    shown = cli_output(capsys)

    assert (code, status) == (2, 2)
    assert shown.count("Ошибка: " + str(config) + ", [[spreadsheet]] №1: credentials: похоже") == 2
    assert not (tmp_path / "state").exists() or not list((tmp_path / "state").iterdir())
    assert_no_key_slice(shown + files_written(tmp_path, secret).replace(pem, ""), secret)


def test_a_worker_cycle_failure_quoting_the_key_is_scrubbed_everywhere(
    secret: Secret,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a library error that quotes the key it was given: the dict repr and a bare slice of the
    # body without its BEGIN line (caught because load_credentials remembered the key)
    body = pem_body(secret)
    failures = iter([repr(secret.info), f"bad padding near {body[300:700]}"])

    def leaky(*_: object, **__: object) -> None:
        raise RuntimeError(next(failures))

    def two_cycles(self: worker.Worker, *, max_idle_wait: float = 60.0) -> int:
        self.run_cycle()
        self.run_cycle()
        stored.append(files_written(tmp_path / "state", secret))
        monkeypatch.setattr(pipeline, "compute", real_compute)
        self.run_cycle()  # the third cycle writes Сводка with the last failure on it
        return 0

    stored: list[str] = []
    real_compute = pipeline.compute
    monkeypatch.setattr(pipeline, "compute", leaky)
    monkeypatch.setattr(worker.Worker, "run", two_cycles)

    code = cli.main(["run", "--every", "15m", *secret.argv[:4], "--verbose"])
    status = cli.main(["status", *secret.argv[:4]])
    shown = cli_output(capsys)

    assert (code, status) == (0, 0)
    assert "цикл не удался" in shown and "Traceback" in shown  # --verbose: the traceback too
    assert "bad padding near [ключ скрыт]" in stored[0]  # the state file after the failures
    assert "bad padding near [ключ скрыт]" in spreadsheet_text(secret)  # Сводка's last failure
    everything = shown + stored[0] + files_written(tmp_path, secret) + spreadsheet_text(secret)
    assert_no_key_slice(everything, secret)


def test_a_verbose_traceback_and_the_state_of_a_failed_run_once_hide_a_slice_of_the_key(
    secret: Secret,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    body = pem_body(secret)

    def leaky(*_: object, **__: object) -> None:
        raise ValueError(f"could not parse {body[64:500]} (key id {KEY_ID})")

    monkeypatch.setattr(pipeline, "compute", leaky)

    code = cli.main(["run", "--once", *secret.argv, "--report", str(tmp_path / "r.json")])
    status = cli.main(["status", *secret.argv[:4]])
    shown = cli_output(capsys)

    assert (code, status) == (4, 0)
    assert "Traceback" in shown and "could not parse" in shown
    assert_no_key_slice(shown + files_written(tmp_path, secret), secret)


def test_a_long_value_is_not_taken_for_a_path_and_not_echoed(
    secret: Secret, capsys: pytest.CaptureFixture[str]
) -> None:
    long_value = "x" * 300  # longer than any path a person types (Windows' limit is 260)

    code = cli.main(["check", "--sheet", SPREADSHEET_ID, "--credentials", long_value])
    shown = cli_output(capsys)

    assert code == 2
    assert "похоже на содержимое ключа" in shown and long_value not in shown


def test_a_library_log_line_quoting_the_key_is_redacted_with_verbose(
    secret: Secret,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a library (not the bot) logs a warning with a piece of the key; without --verbose such a
    # line is not shown at all (test_cli_noise.py, in a subprocess: pytest's own log handler
    # would hide what Python's last-resort handler prints)
    body = pem_body(secret)
    real_compute = pipeline.compute

    def chatty(*args: object, **kwargs: object) -> object:
        logging.getLogger("urllib3.connectionpool").warning("Retrying after %s", body[:200])
        return real_compute(*args, **kwargs)

    monkeypatch.setattr(pipeline, "compute", chatty)

    code = cli.main(["run", "--once", *secret.argv])
    shown = cli_output(capsys)

    assert code == 0
    assert "Retrying after [ключ скрыт]" in shown
    assert_no_key_slice(shown, secret)


# A line of a PEM body and a private_key_id of a key this process never read (so only the
# patterns can catch them, not `remember_key`): random base64 with and without `/` and `+`.
LONE_PEM_LINES = [
    "oA697pCQv/vMEPsFKDHgt5/ZPnkL+vrvRvjRHUNzniurmZ1nqvLMRHVh93JSEaqP",
    "kYHGNMqVdX4J1gJxVKAsumyPIguE3cTGL96z8GrsHUI2q2z94M4cJA0kIgWgXzO7",
]
LONE_KEY_ID = "98f51751049de8379eb1872a2ed72deed8ca2fc7"
# What looks a bit like them and must stay: a spreadsheet URL with its 44-character ID, and
# long paths of letters, digits and slashes.
KEPT = [
    f"https://docs.google.com/spreadsheets/d/{SPREADSHEET_ID}/edit",
    "/home/anna/Documents/Reports2026/November/Q4Backup/key.json",
    "C:/Users/Anna/AppData/Roaming/SheetsKpi/Q4Report2026/key.json",
]


@pytest.mark.parametrize("value", [*LONE_PEM_LINES, LONE_KEY_ID])
def test_a_lone_pem_line_or_key_id_given_as_the_key_path_is_not_echoed(
    value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    code = cli.main(["check", "--sheet", SPREADSHEET_ID, "--credentials", value])
    shown = cli_output(capsys)

    assert code == 2
    assert "Файл ключа [ключ скрыт] не найден" in shown
    assert value not in shown


@pytest.mark.parametrize("path", KEPT[1:])
def test_a_long_ordinary_key_path_is_shown_in_full(
    path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(["check", "--sheet", SPREADSHEET_ID, "--credentials", path])

    assert code == 2
    assert f"Файл ключа {path} не найден" in cli_output(capsys)


def test_status_hides_a_lone_pem_line_and_key_id_of_the_last_failure_and_keeps_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SHEETS_KPI_STATE_DIR", str(tmp_path / "state"))
    book = tmp_path / "book.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "Продажи"
    for line in SALES:
        workbook.active.append(line)
    workbook.save(book)
    said = f"{' '.join(LONE_PEM_LINES)} id {LONE_KEY_ID} at {' '.join(KEPT)}"

    def leaky(*_: object, **__: object) -> None:
        raise ValueError(said)

    real_compute = pipeline.compute
    monkeypatch.setattr(pipeline, "compute", leaky)
    code = cli.main(["run", "--once", "--xlsx", str(book), "--as-of", AS_OF])
    monkeypatch.setattr(pipeline, "compute", real_compute)
    status = cli.main(["status", "--xlsx", str(book)])
    shown = cli_output(capsys) + "\n".join(
        file.read_text(encoding="utf-8")
        for file in (tmp_path / "state").rglob("*")
        if file.is_file()
    )

    assert (code, status) == (4, 0)
    assert shown.count("[ключ скрыт] [ключ скрыт] id [ключ скрыт]") >= 2  # status and state
    for secret_part in [*LONE_PEM_LINES, LONE_KEY_ID]:
        assert secret_part not in shown
    for kept in KEPT:
        assert kept in shown
