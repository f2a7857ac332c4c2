"""Issue 15, the local workbook: no lost update when another program saves it, no write while
Excel or LibreOffice holds it open, symlinks kept, hard links never split, zip bombs refused
before inflating, stale temporary files cleaned, and a full disk without a traceback."""

from __future__ import annotations

import gc
import json
import os
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from sheets_kpi.backends.xlsx import XlsxBackend
from sheets_kpi.cli import main
from tests.corpus.corpus_cases import Case, build, row, sales, zip_bomb
from tests.reliability.full_disk import fill_disk_after

AS_OF = "2026-11-22"
OPEN_ELSEWHERE = "книга открыта в Excel/LibreOffice — закройте её, и бот обновит листы"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SHEETS_KPI_STATE_DIR", str(tmp_path / "state"))


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """One paid sale of 120 000 ₽ on Продажи."""
    return build(Case("book", sales(row()), 0), tmp_path)


def run(path: Path, *extra: str) -> int:
    return main(["run", "--once", "--xlsx", str(path), "--as-of", AS_OF, *extra])


def temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp" in p.name)


def revenue(report: Path) -> float:
    return sum(float(month["revenue"] or 0) for month in json.loads(report.read_text())["team"])


def another_program_adds_a_sale(path: Path) -> None:
    """A person saves the workbook from their spreadsheet program with a new sale of 30 000 ₽."""
    workbook = openpyxl.load_workbook(path)
    workbook["Продажи"].append(["06.11.2026", "Борис Петров", "Лютик", 30000])
    workbook.save(path)


# ------------------------------------------------------------------ lost update


def test_a_save_by_another_program_between_read_and_write_is_kept_not_overwritten(
    book: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real_read = XlsxBackend.read

    def read_then_someone_saves(self: XlsxBackend, wanted: Any) -> Any:
        raw = real_read(self, wanted)
        another_program_adds_a_sale(self.path)
        return raw

    monkeypatch.setattr(XlsxBackend, "read", read_then_someone_saves)
    code = run(book)
    saved_by_the_person = book.read_bytes()

    err = capsys.readouterr().err
    assert code == 3, err
    assert "изменилась, пока бот её обновлял" in err and "Внутренняя ошибка" not in err
    assert "Сводка" not in openpyxl.load_workbook(book).sheetnames  # nothing of the bot's
    assert temp_files(book.parent) == []

    # the next run (the worker's next cycle) counts the person's sale: 120 000 + 30 000
    monkeypatch.setattr(XlsxBackend, "read", real_read)
    assert run(book, "--report", "r.json") == 0
    assert revenue(Path("r.json")) == 150000
    assert saved_by_the_person != book.read_bytes()


def test_a_save_by_another_program_during_the_write_is_kept(
    book: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real_save = openpyxl.Workbook.save
    saves: list[int] = []

    def lay_out_while_someone_saves(workbook: openpyxl.Workbook, target: Any) -> None:
        real_save(workbook, target)
        saves.append(1)
        if len(saves) == 1:  # the bot's save; the person's own save comes next
            another_program_adds_a_sale(book)

    monkeypatch.setattr(openpyxl.Workbook, "save", lay_out_while_someone_saves)
    assert run(book) == 3
    assert "изменилась" in capsys.readouterr().err
    assert openpyxl.load_workbook(book)["Продажи"].max_row == 3  # the person's row is there


# ------------------------------------------------------------------- lock files


@pytest.mark.parametrize("lock_name", [".~lock.{name}#", "~${name}"], ids=["libreoffice", "excel"])
def test_no_write_while_the_workbook_is_open_in_excel_or_libreoffice(
    lock_name: str, book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lock = book.parent / lock_name.format(name=book.name)
    lock.write_text("Анна")
    before = book.read_bytes()

    assert main(["check", "--xlsx", str(book), "--as-of", AS_OF]) == 0  # reading is fine
    assert run(book) == 3
    assert main(["init", str(book), "--as-of", AS_OF]) == 3

    err = capsys.readouterr().err
    assert OPEN_ELSEWHERE in err and lock.name in err
    assert book.read_bytes() == before
    lock.unlink()  # the editor is closed
    assert run(book) == 0


# ------------------------------------------------------------------------ links


def test_a_symlinked_workbook_is_written_through_the_link_which_stays_a_link(
    tmp_path: Path, book: Path
) -> None:
    real = tmp_path / "общая" / "продажи.xlsx"
    real.parent.mkdir()
    book.rename(real)
    link = tmp_path / "ссылка.xlsx"
    link.symlink_to(real)

    assert run(link) == 0

    assert link.is_symlink() and link.resolve() == real
    assert "Сводка" in openpyxl.load_workbook(real).sheetnames
    assert temp_files(tmp_path) == [] and temp_files(real.parent) == []


def test_a_hard_linked_workbook_is_refused_rather_than_split(
    tmp_path: Path, book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other_name = tmp_path / "копия.xlsx"
    os.link(book, other_name)
    before = book.read_bytes()

    assert run(book) == 3

    err = capsys.readouterr().err
    assert "2 жёстких ссылки" in err and "ничего не записал" in err
    assert book.read_bytes() == before
    assert os.stat(book).st_ino == os.stat(other_name).st_ino  # still one file, two names
    other_name.unlink()
    assert run(book) == 0  # a single link: written in place of the inode's path


# --------------------------------------------------------------------- zip bomb


def test_a_zip_bomb_is_refused_from_the_zip_directory_before_inflating_anything(
    book: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    zip_bomb(book)  # xl/sharedStrings.xml: 60 MB from about 60 KB
    before = book.read_bytes()
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def recording_open(self: zipfile.ZipFile, name: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(getattr(name, "filename", name))
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", recording_open)

    assert main(["check", "--xlsx", str(book), "--as-of", AS_OF]) == 3
    assert run(book) == 3

    err = capsys.readouterr().err
    assert err.count("книга повреждена или слишком велика") == 2
    assert "xl/sharedStrings.xml" in err
    assert opened == []  # not a single part was inflated
    assert book.read_bytes() == before


# ---------------------------------------------------------- stale temporary files


def test_stale_temp_files_of_this_workbook_are_removed_younger_ones_kept(
    tmp_path: Path, book: Path
) -> None:
    two_hours_ago = time.time() - 2 * 3600
    stale = tmp_path / f".{book.stem}.k9x2.tmp.xlsx"  # left by a run killed while saving
    writing_now = tmp_path / f".{book.stem}.a1b2.tmp.xlsx"  # another run may be writing it
    other_book = tmp_path / ".отчёт.zz11.tmp.xlsx"  # another workbook's
    for leftover in (stale, writing_now, other_book):
        leftover.write_bytes(b"PK half a workbook")
    os.utime(stale, (two_hours_ago, two_hours_ago))
    os.utime(other_book, (two_hours_ago, two_hours_ago))

    assert run(book) == 0

    assert temp_files(tmp_path) == sorted([writing_now.name, other_book.name])


# -------------------------------------------------------------------- full disk


def test_a_full_disk_ends_in_a_russian_message_without_any_traceback(
    book: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(book) == 0  # the generated tabs exist: there is something to lose
    before = book.read_bytes()
    unraisable: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    fill_disk_after(monkeypatch, len(before) // 2)
    capsys.readouterr()

    code = run(book)
    gc.collect()  # a zip writer left open would complain here, from its __del__

    err = capsys.readouterr().err
    assert code == 3
    assert os.strerror(28) in err and "Книга осталась как была" in err
    assert "Traceback" not in err and "Exception ignored" not in err
    assert unraisable == []
    assert book.read_bytes() == before
    assert temp_files(book.parent) == []
