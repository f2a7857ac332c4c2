"""Crash safety of the local workbook: a failure at each stage of the write (temp file, a disk
that fills up at the start, middle or end of the file, flushing, permissions, rename) leaves
the original workbook byte-identical, no temporary file behind, and the next run succeeds."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook

from sheets_kpi.backends import xlsx
from sheets_kpi.cli import main
from tests.corpus.corpus_cases import CASES, build
from tests.reliability.full_disk import fill_disk_after

AS_OF = "2026-11-22"
FORMULAS = next(case for case in CASES if case.name == "formulas_in_input_cells")


def disk_full(*_: Any, **__: Any) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def patch(owner: Callable[[], object], name: str, replacement: object) -> Breakage:
    return lambda monkeypatch, _book: monkeypatch.setattr(owner(), name, replacement)


def disk_fills_at(fraction: float) -> Breakage:
    """The disk fills up when `fraction` of the new workbook (about as big as the old one) is
    written; 0.99 lands in the zip's directory at the end of the file."""
    return lambda monkeypatch, book: fill_disk_after(
        monkeypatch, int(book.stat().st_size * fraction)
    )


def refuse(error: OSError) -> Callable[..., None]:
    def raiser(*_: Any, **__: Any) -> None:
        raise error

    return raiser


Breakage = Callable[[pytest.MonkeyPatch, Path], None]

# every stage of writing the local workbook (backends/xlsx/safety.py, replace_atomically)
STAGES: dict[str, Breakage] = {
    "temp_file_cannot_be_created": patch(lambda: tempfile, "mkstemp", disk_full),
    "disk_full_at_the_start_of_the_file": disk_fills_at(0),
    "disk_full_while_saving": disk_fills_at(0.5),
    "disk_full_at_the_end_of_the_file": disk_fills_at(0.99),
    "flush_to_disk_fails": patch(lambda: os, "fsync", refuse(OSError(errno.EIO, "I/O error"))),
    "permissions_cannot_be_copied": patch(lambda: os, "chmod", disk_full),
    "rename_fails": patch(
        lambda: os, "replace", refuse(OSError(errno.EXDEV, "Invalid cross-device link"))
    ),
    "rename_refused": patch(
        lambda: os, "replace", refuse(PermissionError(errno.EACCES, "Permission denied"))
    ),
}


@pytest.fixture
def workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SHEETS_KPI_STATE_DIR", str(tmp_path / "state"))
    path = build(FORMULAS, tmp_path)
    # a first good run: generated tabs exist, so a failed rewrite has something to lose
    assert main(["run", "--once", "--xlsx", str(path), "--as-of", AS_OF]) == 0
    return path


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp" in p.name)


@pytest.mark.parametrize("stage", STAGES, ids=list(STAGES))
def test_failure_at_each_stage_of_the_write_leaves_the_workbook_byte_identical(
    stage: str,
    workbook: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = workbook.read_bytes()
    capsys.readouterr()
    with monkeypatch.context() as patched:
        STAGES[stage](patched, workbook)
        code = main(["run", "--once", "--xlsx", str(workbook), "--as-of", "2026-11-23"])

    err = capsys.readouterr().err
    assert code == 3, err
    assert "Ошибка:" in err and "Внутренняя ошибка" not in err
    assert workbook.read_bytes() == before
    assert leftovers(workbook.parent) == []
    assert main(["run", "--once", "--xlsx", str(workbook), "--as-of", "2026-11-23"]) == 0


def test_full_disk_message_says_the_workbook_is_as_it_was(
    workbook: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fill_disk_after(monkeypatch, workbook.stat().st_size // 2)
    capsys.readouterr()

    assert main(["run", "--once", "--xlsx", str(workbook), "--as-of", AS_OF]) == 3

    err = capsys.readouterr().err
    assert os.strerror(errno.ENOSPC) in err and "Книга осталась как была" in err


real_save = Workbook.save


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_a_bug_or_ctrl_c_after_the_temp_file_leaves_no_trace(
    error: type[BaseException], workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = workbook.read_bytes()

    def save_then_stop(book: Workbook, filename: str | Path) -> None:
        real_save(book, filename)
        raise error("stopped after the temp file was written")

    monkeypatch.setattr(Workbook, "save", save_then_stop)

    code = main(["run", "--once", "--xlsx", str(workbook), "--as-of", AS_OF])

    assert code != 0
    assert workbook.read_bytes() == before
    assert leftovers(workbook.parent) == []


def test_formulas_typed_in_input_tabs_survive_a_run_with_their_results(workbook: Path) -> None:
    typed = openpyxl.load_workbook(workbook)["Продажи"]
    shown = openpyxl.load_workbook(workbook, data_only=True)["Продажи"]

    assert (typed["D2"].value, typed["L2"].value) == ("=100000+20000", "=D2*2")
    assert (shown["D2"].value, shown["L2"].value) == (120000, 240000)


def test_a_run_keeps_the_file_mode(workbook: Path) -> None:
    os.chmod(workbook, 0o640)

    assert main(["run", "--once", "--xlsx", str(workbook), "--as-of", AS_OF]) == 0

    assert os.stat(workbook).st_mode & 0o777 == 0o640
    assert xlsx.XlsxBackend(workbook).describe() == str(workbook.resolve())
