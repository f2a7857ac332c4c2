"""The worker through `cli.main` with a moved clock: what each cycle reads and writes.

`Worker.run` is swapped for a driver that runs the first cycle, then moves the clock and lets
the worker's own scheduler run what is due; the rest (config, targets, fingerprints, leases,
backends, state files) is the product's own wiring.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from freezegun import freeze_time

from sheets_kpi import worker
from sheets_kpi.backends.gsheets.requests import serial_date
from sheets_kpi.cli import main
from tests.fakes.google_env import SPREADSHEET_ID, RecordedWaits, key_file
from tests.fakes.sheets_api import FakeSheetsApi, python_cell
from tests.reliability.google_cli import wire_cli_to_fake

SALES_HEADER = ["Дата", "Менеджер", "Клиент", "Сумма"]
SALES = [
    ["05.11.2026", "Анна Смирнова", "Ромашка", 162000],
    ["12.11.2026", "Борис Петров", "Лютик", 120000],
]
Step = tuple[timedelta, Callable[[], None] | None]


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    monkeypatch.setenv("SHEETS_KPI_STATE_DIR", str(tmp_path / "state"))


def make_workbook(path: Path, rows: list[list[object]] = SALES) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Продажи"
    sheet.append(SALES_HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def drive(monkeypatch: pytest.MonkeyPatch, clock, steps: list[Step]) -> None:
    """`Worker.run`: the first cycle, then for each step an optional change and a clock move."""

    def run(self: worker.Worker, *, max_idle_wait: float = 60.0) -> int:
        self.run_cycle()
        for tick, change in steps:
            if change is not None:
                change()
            clock.tick(tick)
            self.scheduler.run_pending()
        return 0

    monkeypatch.setattr(worker.Worker, "run", run)


def summary_status(path: Path) -> dict[str, object]:
    """Сводка's label → value rows at the top (Обновлено, Данные на, the worker's lines)."""
    sheet = openpyxl.load_workbook(path)["Сводка"]
    rows = sheet.iter_rows(min_row=2, max_row=8, max_col=2, values_only=True)
    return {str(label): value for label, value in rows if label}


def test_unchanged_workbook_is_not_rewritten_and_a_new_row_is(monkeypatch, tmp_path):
    book = make_workbook(tmp_path / "book.xlsx")
    seen: list[tuple[bytes, int]] = []

    def look() -> None:
        seen.append((book.read_bytes(), book.stat().st_mtime_ns))

    def add_row() -> None:
        look()
        extra = openpyxl.load_workbook(book)
        extra["Продажи"].append(["15.11.2026", "Борис Петров", "Мак", 9000])
        extra.save(book)
        look()

    with freeze_time("2026-11-23 07:00:00") as clock:
        drive(monkeypatch, clock, [(timedelta(minutes=15), look), (timedelta(minutes=15), add_row)])
        assert main(["run", "--every", "15m", "--xlsx", str(book)]) == 0
    first, unchanged, edited = seen  # after cycle 1, after cycle 2, after the edit
    assert unchanged == first  # cycle 2: same bytes, same mtime
    assert book.read_bytes() != edited[0]  # cycle 3: the new row was counted and written
    status = summary_status(book)
    assert status["Следующий запуск"] == "2026-11-23 10:45"  # 07:30 UTC = 10:30 MSK, +15 min
    # written at 07:30 UTC, held for 2 × 15 minutes
    assert str(status["Обслуживает бот"]).endswith("до 2026-11-23 08:00:00 UTC")


def test_a_new_month_rewrites_the_same_input(monkeypatch, tmp_path):
    book = make_workbook(tmp_path / "book.xlsx")
    stamps: list[int] = []

    def look() -> None:
        stamps.append(book.stat().st_mtime_ns)

    # 30 November 23:00 in Moscow; an hour later it is December there
    with freeze_time("2026-11-30 20:00:00") as clock:
        drive(monkeypatch, clock, [(timedelta(minutes=30), look), (timedelta(minutes=30), look)])
        assert main(["run", "--every", "30m", "--xlsx", str(book)]) == 0
        look()
    after_first, after_same_month, after_new_month = stamps
    assert after_same_month == after_first  # 23:30, still November: nothing written
    assert after_new_month != after_same_month  # 00:00, December: written again
    assert openpyxl.load_workbook(book)["Сводка"]["B3"].value.month == 12  # Данные на 01.12


def test_a_failed_cycle_then_a_good_one_shows_the_failure_on_summary(monkeypatch, tmp_path):
    book = make_workbook(tmp_path / "book.xlsx")
    good = book.read_bytes()
    book.write_bytes(b"not a workbook")  # the first cycle cannot read it

    with freeze_time("2026-11-23 07:00:00") as clock:
        drive(monkeypatch, clock, [(timedelta(minutes=15), lambda: book.write_bytes(good))])
        assert main(["run", "--every", "15m", "--xlsx", str(book)]) == 0
    status = summary_status(book)
    # on the agency's clock: 07:00 UTC is 10:00 in Moscow
    assert str(status["Последний сбой"]).startswith("2026-11-23 10:00: ")
    state = worker.read_state(worker.state_path(tmp_path / "state", str(book.resolve())))
    assert state.consecutive_failures == 0 and state.last_failure is None
    assert state.as_of == "2026-11-23"


def several_config(tmp_path: Path) -> Path:
    make_workbook(tmp_path / "a.xlsx")
    make_workbook(tmp_path / "b.xlsx")
    config = tmp_path / "sheets_kpi.toml"
    config.write_text(
        '[schedule]\nevery = "15m"\n'
        '[[spreadsheet]]\nname = "Москва"\nxlsx = "a.xlsx"\n'
        '[[spreadsheet]]\nname = "Пропавшая"\nxlsx = "missing.xlsx"\n'
        '[[spreadsheet]]\nname = "Питер"\nxlsx = "b.xlsx"\n',
        encoding="utf-8",
    )
    return config


def test_worker_serves_several_spreadsheets_and_one_failing_stops_none(
    monkeypatch, tmp_path, caplog, capsys
):
    config = several_config(tmp_path)
    caplog.set_level(logging.INFO, logger="sheets_kpi")
    with freeze_time("2026-11-23 07:00:00") as clock:
        drive(monkeypatch, clock, [(timedelta(minutes=15), None)])
        assert main(["run", "--config", str(config)]) == 0
    for name in ("a.xlsx", "b.xlsx"):
        assert "Сводка" in openpyxl.load_workbook(tmp_path / name).sheetnames
    failures = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(failures) == 2 and all(m.startswith("Пропавшая: ") for m in failures)
    state_dir = tmp_path / "state"
    missing = worker.read_state(worker.state_path(state_dir, str(tmp_path / "missing.xlsx")))
    assert missing.consecutive_failures == 2 and "missing.xlsx" in missing.last_failure

    capsys.readouterr()
    assert main(["status", "--config", str(config)]) == 0
    shown = capsys.readouterr().out
    # Moscow time: written at 10:00, checked at 10:15, next at 10:30
    for text in ("Москва", "Питер", "Пропавшая", "2026-11-23 10:00:00", "2026-11-23 10:30:00"):
        assert text in shown


def test_run_once_serves_each_spreadsheet_and_exits_with_the_worst_code(tmp_path, capsys):
    config = several_config(tmp_path)
    assert main(["run", "--once", "--config", str(config)]) == 3  # the missing one: exit 3
    for name in ("a.xlsx", "b.xlsx"):
        assert "Сводка" in openpyxl.load_workbook(tmp_path / name).sheetnames
    assert "Пропавшая: ошибка" in capsys.readouterr().err


def test_status_of_a_spreadsheet_never_run_says_so(tmp_path, capsys):
    book = make_workbook(tmp_path / "book.xlsx")
    assert main(["status", "--xlsx", str(book)]) == 0
    assert "ещё не запускался" in capsys.readouterr().out


# --- Google, on the in-process fake ----------------------------------------------------------


def google_tabs() -> dict[str, list[list[object]]]:
    rows = [[serial_date_of(row[0]), *row[1:]] for row in SALES]
    return {"Продажи": [SALES_HEADER, *rows]}


def serial_date_of(text: str) -> float:
    from datetime import date

    day, month, year = (int(part) for part in text.split("."))
    return serial_date(date(year, month, day))


@pytest.fixture
def google(monkeypatch, tmp_path) -> tuple[FakeSheetsApi, Path]:
    api = FakeSheetsApi()
    key, email = key_file(api, tmp_path)
    api.create_spreadsheet(SPREADSHEET_ID, google_tabs(), editors=[email])
    wire_cli_to_fake(monkeypatch, api, RecordedWaits())
    return api, key


def test_google_cycle_costs_one_request_unchanged_and_two_changed(monkeypatch, google):
    api, key = google
    per_cycle: list[int] = []

    def count() -> None:
        per_cycle.append(api.count())
        api.reset_counts()

    def edit_amount() -> None:
        count()
        api.sheet(SPREADSHEET_ID, "Продажи").cells[(2, 3)] = python_cell(125000)

    with freeze_time("2026-11-23 07:00:00") as clock:
        steps = [(timedelta(minutes=15), count), (timedelta(minutes=15), edit_amount)]
        drive(monkeypatch, clock, [*steps, (timedelta(minutes=15), count)])
        assert (
            main(["run", "--every", "15m", "--sheet", SPREADSHEET_ID, "--credentials", str(key)])
            == 0
        )
    count()
    # first: read + write; unchanged: the read only; changed: read + write; unchanged again
    assert per_cycle == [2, 1, 2, 1]
    assert api.values(SPREADSHEET_ID, "Сводка")  # written


def test_second_machine_skips_its_cycles_while_the_lease_is_fresh(
    monkeypatch, google, tmp_path, caplog
):
    api, key = google
    command = ["run", "--every", "15m", "--sheet", SPREADSHEET_ID, "--credentials", str(key)]
    caplog.set_level(logging.INFO, logger="sheets_kpi")
    with freeze_time("2026-11-23 07:00:00") as clock:
        monkeypatch.setattr(socket, "gethostname", lambda: "server-a")
        drive(monkeypatch, clock, [])
        assert main(command) == 0  # server-a writes; lease until 07:30 (2 × 15 min)
        written = api.snapshot(SPREADSHEET_ID, "Сводка")
        api.reset_counts()

        monkeypatch.setattr(socket, "gethostname", lambda: "server-b")
        monkeypatch.setenv("SHEETS_KPI_STATE_DIR", str(tmp_path / "state-b"))  # another machine
        drive(monkeypatch, clock, [(timedelta(minutes=15), None), (timedelta(minutes=15), None)])
        assert main(command) == 0
    # 07:00 and 07:15: skipped, one read each and no write; 07:30: the lease ran out, b writes
    # (b's first read is a spreadsheets.get, its later ones values.batchGet)
    assert api.count("get", "values.batchGet") == 3 and api.count("batchUpdate") == 1
    assert api.count() == 4
    skipped = [r.getMessage() for r in caplog.records if "другой бот (server-a" in r.getMessage()]
    assert len(skipped) == 2
    assert api.snapshot(SPREADSHEET_ID, "Сводка") != written
    values = api.values(SPREADSHEET_ID, "Сводка")
    lease_row = next(row for row in values if row and row[0] == "Обслуживает бот")
    assert lease_row[1].startswith("server-b, pid ")


def test_run_once_records_its_state_for_status(tmp_path, capsys):
    book = make_workbook(tmp_path / "book.xlsx")
    with freeze_time("2026-11-23 07:00:00"):
        assert main(["run", "--once", "--xlsx", str(book)]) == 0
    state = worker.read_state(worker.state_path(tmp_path / "state", str(book.resolve())))
    # Moscow time; a cron run has no next run of its own
    assert (state.last_update_at, state.as_of, state.next_run) == (
        "2026-11-23 10:00:00",
        "2026-11-23",
        None,
    )
    capsys.readouterr()
    assert main(["status", "--xlsx", str(book)]) == 0
    assert "2026-11-23 10:00:00" in capsys.readouterr().out
