"""The worker as a real process: SIGTERM while idle and mid-cycle, and two processes on one
workbook. Uses the demo workbook (big enough that a cycle takes a noticeable moment)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from sheets_kpi.core.settings import Config
from sheets_kpi.demo import build_demo

ROOT = Path(__file__).resolve().parents[2]
WROTE = "листы обновлены"
WAIT_SECONDS = 60.0


@pytest.fixture(scope="module")
def demo_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.xlsx"
    build_demo(path, date(2026, 11, 22), Config())
    return path


@pytest.fixture
def book(demo_book: Path, tmp_path: Path) -> Path:
    return Path(shutil.copy(demo_book, tmp_path / "demo.xlsx"))


class Worker:
    """`python -m sheets_kpi run ...` with its log in a file."""

    def __init__(self, folder: Path, *args: str, name: str = "worker") -> None:
        self.log = folder / f"{name}.log"
        env = {**os.environ, "PYTHONPATH": str(ROOT), "SHEETS_KPI_STATE_DIR": str(folder / "state")}
        env.pop("GOOGLE_APPLICATION_CREDENTIALS", None)
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "sheets_kpi", "run", *args],
                cwd=folder,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_for(self, needle: str) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        while needle not in self.text():
            if self.process.poll() is not None:
                pytest.fail(f"the worker exited {self.process.returncode}:\n{self.text()}")
            if time.monotonic() > deadline:
                self.process.kill()
                pytest.fail(f"no «{needle}» in the log:\n{self.text()}")
            time.sleep(0.02)

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=WAIT_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise


def assert_valid_workbook(path: Path) -> None:
    book = openpyxl.load_workbook(path)
    assert {"Продажи", "Сводка", "Бонусы", "Ошибки"} <= set(book.sheetnames)
    assert book["Сводка"]["A2"].value == "Обновлено"


def test_sigterm_while_idle_exits_0_with_a_valid_workbook(book: Path, tmp_path: Path) -> None:
    worker = Worker(tmp_path, "--every", "1m", "--xlsx", str(book))
    worker.wait_for(WROTE)  # the first cycle runs at start; then it waits a minute
    assert worker.stop() == 0
    assert "Остановлен по сигналу" in worker.text()
    assert_valid_workbook(book)


def test_sigterm_mid_cycle_finishes_the_cycle_then_exits_0(book: Path, tmp_path: Path) -> None:
    worker = Worker(tmp_path, "--every", "1m", "--xlsx", str(book))
    worker.wait_for("validated")  # read and validated; computing and writing still to come
    assert worker.stop() == 0
    log = worker.text()
    # the cycle that was running when the signal came was finished and written
    assert log.index("validated") < log.index(WROTE) < log.index("Остановлен по сигналу")
    assert log.count(WROTE) == 1
    assert_valid_workbook(book)


def test_second_worker_on_one_workbook_exits_2_naming_the_holder(
    book: Path, tmp_path: Path
) -> None:
    first = Worker(tmp_path, "--every", "1m", "--xlsx", str(book), name="first")
    try:
        first.wait_for(WROTE)
        second = Worker(tmp_path, "--every", "1m", "--xlsx", str(book), name="second")
        assert second.process.wait(timeout=WAIT_SECONDS) == 2
        assert f"pid {first.process.pid}" in second.text()
        once = Worker(tmp_path, "--once", "--xlsx", str(book), name="once")
        assert once.process.wait(timeout=WAIT_SECONDS) == 2
        assert f"pid {first.process.pid}" in once.text()
    finally:
        assert first.stop() == 0
    assert_valid_workbook(book)
