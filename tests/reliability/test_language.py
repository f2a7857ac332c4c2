"""One language per run (issue 15): with `language = "en"` (or $SHEETS_KPI_LANG=en) every line
the command line prints — argparse's usage and errors, help, config errors, usage errors — is
English; by default it is Russian, argparse's own sentences included. A config saved with a
UTF-8 BOM (Windows Notepad) reads as if there were none."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from sheets_kpi import worker
from sheets_kpi.backends.gsheets.texts import GSHEETS_TEXTS
from sheets_kpi.backends.xlsx import XlsxBackend
from sheets_kpi.backends.xlsx.texts import XLSX_TEXTS
from sheets_kpi.cli import main
from tests.corpus.corpus_cases import zip_bomb

AS_OF = "2026-11-22"
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
# argparse's English words that must not show up inside a Russian run
ARGPARSE_ENGLISH = re.compile(r"usage:|error:|unrecognized|required|invalid choice|expected")


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    monkeypatch.delenv("SHEETS_KPI_LANG", raising=False)
    monkeypatch.setenv("SHEETS_KPI_STATE_DIR", str(tmp_path / "state"))


def english_config(tmp_path: Path, extra: str = "", *, bom: bool = False) -> Path:
    path = tmp_path / "sheets_kpi.toml"  # found without --config
    text = f'language = "en"\n{extra}'
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def english_workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    book.active.title = "Sales"
    book.active.append(["Date", "Manager", "Client", "Amount"])
    book.active.append(["05.11.2026", "Anna Smith", "Acme", 120000])
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["check", "--xlsx", "book.xlsx", "--bogus"], "error: unrecognized arguments: --bogus"),
        (["frobnicate"], "error: argument COMMAND: invalid choice"),
        (["check", "--xlsx"], "error: argument --xlsx: expected one argument"),
        (["check", "--xlsx", "book.xlsx", "--as-of", "9999-12-31"], "is out of range"),
        (["check", "--xlsx", "book.xlsx", "--as-of", "31.12.2026"], "Write YYYY-MM-DD"),
        (["check", "--xlsx", "book.xlsx", "--report", "book.xlsx"], "is the workbook itself"),
        (["check", "--xlsx", "book.xlsx", "--sheet", "ID"], "Give one of the two"),
        (["run", "--xlsx", "book.xlsx", "--every", "5s"], "is out of range"),
        (["run", "--xlsx", "book.xlsx", "--at", "25:00"], "Could not read the time"),
        (["run", "--once", "--every", "15m", "--xlsx", "book.xlsx"], "--once cannot be"),
        (["demo", "book.xlsx"], "already exists and demo would overwrite it"),
        (["check", "--xlsx", "book.xlsx", "--credentials", "{\n}"], "contents of a key"),
    ],
)
def test_an_english_run_speaks_english_only(
    argv: list[str], says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    english_config(tmp_path)
    english_workbook(tmp_path / "book.xlsx")

    code = main(argv)

    printed = capsys.readouterr()
    assert code == 2, printed.err
    assert says in printed.err
    assert not CYRILLIC.search(printed.out + printed.err), printed.err


def test_a_missing_workbook_is_said_in_english(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    english_config(tmp_path)

    code = main(["run", "--once", "--xlsx", "missing.xlsx"])

    err = capsys.readouterr().err
    assert code == 3
    assert "The workbook missing.xlsx was not found" in err and not CYRILLIC.search(err)


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        ("[bonus]\ntiers = [[1e300, 1e300]]\n", "thresholds and bonuses must be below 10¹² ₽"),
        ("[retry]\nattempts = 1000\n", "a whole number from 1 to 20"),
        ("[bonus]\ntier = 1\n", "unknown key [bonus] tier. Did you mean tiers?"),
        ("[schedule]\nevery = 15m\n", "has a TOML mistake (line 3, column 11)"),
        ('[tabs]\nsummary = "a:b"\n', "a tab name must be at most 31 characters"),
    ],
)
def test_config_errors_of_an_english_config_are_english(
    extra: str, says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    english_config(tmp_path, extra)
    english_workbook(tmp_path / "book.xlsx")

    code = main(["check", "--xlsx", "book.xlsx", "--as-of", AS_OF])

    printed = capsys.readouterr()
    assert code == 2
    assert says in printed.err
    assert not CYRILLIC.search(printed.err), printed.err


@pytest.mark.parametrize("command", [[], ["run"], ["check"], ["status"], ["demo"], ["init"]])
def test_english_help_has_no_russian(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    english_config(tmp_path)

    code = main([*command, "--help"])

    printed = capsys.readouterr().out
    assert code == 0
    assert "usage: sheets-kpi" in printed and "options:" in printed
    assert not CYRILLIC.search(printed), printed


def test_the_environment_variable_chooses_english_without_a_config(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHEETS_KPI_LANG", "en")

    code = main(["check", "--nope"])

    err = capsys.readouterr().err
    assert code == 2
    assert "usage: sheets-kpi" in err and "error: unrecognized arguments: --nope" in err
    assert not CYRILLIC.search(err)


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["check", "--bogus"], "ошибка: непонятные аргументы: --bogus"),
        (["frobnicate"], "ошибка: КОМАНДА: нет такого варианта"),
        (["check", "--xlsx"], "ошибка: после --xlsx нужно значение"),
    ],
)
def test_a_russian_run_translates_argparse_and_never_mixes(
    argv: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(argv)

    err = capsys.readouterr().err
    assert code == 2
    assert says in err and "использование: sheets-kpi" in err
    assert not ARGPARSE_ENGLISH.search(err), err


def test_a_russian_toml_error_names_the_place_in_russian(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "sheets_kpi.toml").write_text("[schedule]\nevery = 15m\n", encoding="utf-8")

    code = main(["check", "--xlsx", "book.xlsx"])

    err = capsys.readouterr().err
    assert code == 2
    assert "написан с ошибкой TOML (строка 2, столбец 11)" in err
    assert "Invalid" not in err and "at line" not in err


def test_a_config_with_a_bom_reads_as_without(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    english_config(tmp_path, "leaderboard_shows_bonus = true\n", bom=True)
    english_workbook(tmp_path / "book.xlsx")

    code = main(["run", "--once", "--xlsx", "book.xlsx", "--as-of", AS_OF])

    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert "Done: tabs updated" in printed.out and "Bonus" in printed.out
    assert not CYRILLIC.search(printed.out + printed.err)
    assert "Summary" in openpyxl.load_workbook(tmp_path / "book.xlsx").sheetnames


def test_an_english_worker_logs_in_english(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    english_config(tmp_path)
    book = english_workbook(tmp_path / "book.xlsx")

    def two_cycles(self: worker.Worker, *, max_idle_wait: float = 60.0) -> int:
        self.run_cycle()  # writes the tabs
        workbook = openpyxl.load_workbook(book)
        workbook.create_sheet("Summary ")  # a tab of the user's named like the bot's
        workbook.save(book)
        self.run_cycle()  # refused
        self.stop()
        return 0

    monkeypatch.setattr(worker.Worker, "run", two_cycles)

    code = main(["run", "--every", "15m", "--xlsx", "book.xlsx", "--as-of", AS_OF])

    err = capsys.readouterr().err
    assert code == 0
    assert "book.xlsx: tabs updated; errors: 0" in err
    assert "book.xlsx: the cycle failed: The spreadsheet has a tab 'Summary '" in err
    assert not CYRILLIC.search(err), err


def _truncated(book: Path) -> str:
    book.write_bytes(book.read_bytes()[:1500])
    return str(book)


def _hard_linked(book: Path) -> str:
    os.link(book, book.parent / "other-name.xlsx")
    return str(book)


def _read_only(book: Path) -> str:
    book.chmod(0o444)
    return str(book)


def _locked(book: Path) -> str:
    (book.parent / f"~${book.name}").write_text("Anna")
    return str(book)


def _folder(book: Path) -> str:
    (book.parent / "d.xlsx").mkdir()
    return "d.xlsx/"


def _empty(book: Path) -> str:
    book.write_bytes(b"")
    return str(book)


def _bomb(book: Path) -> str:
    return str(zip_bomb(book))


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda book: "sheets_kpi.toml", "does not look like an Excel .xlsx workbook"),
        (_truncated, "does not look like an Excel .xlsx workbook"),
        (_folder, "is a folder, not a workbook file. Give the path of an .xlsx file, e.g."),
        (lambda book: "/dev/null", "is not a regular file (a device or a pipe)"),
        (_empty, "is empty (0 bytes)"),
        (_hard_linked, "has 2 hard links"),
        (_read_only, "is read-only; the bot will not change it"),
        (_locked, "it is open in Excel/LibreOffice"),
        (_bomb, "the workbook is damaged or too big"),
    ],
    ids=["config", "truncated", "folder", "dev-null", "empty", "hard-link", "read-only",
         "lock-file", "zip-bomb"],
)  # fmt: skip
def test_workbook_errors_of_an_english_run_are_english(
    make: Callable[[Path], str], says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    english_config(tmp_path)
    workbook = make(english_workbook(tmp_path / "book.xlsx"))

    code = main(["run", "--once", "--xlsx", workbook, "--as-of", AS_OF])

    err = capsys.readouterr().err
    assert code == 3, err
    assert says in err and not CYRILLIC.search(err), err


def test_a_lost_update_is_said_in_english(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    english_config(tmp_path)
    book = english_workbook(tmp_path / "book.xlsx")
    real_read = XlsxBackend.read

    def read_then_someone_saves(self: XlsxBackend, wanted: Any) -> Any:
        raw = real_read(self, wanted)
        english_workbook(self.path)  # another program saves the workbook
        return raw

    monkeypatch.setattr(XlsxBackend, "read", read_then_someone_saves)
    code = main(["run", "--once", "--xlsx", str(book), "--as-of", AS_OF])

    err = capsys.readouterr().err
    assert code == 3, err
    assert "changed while the bot was updating it" in err and not CYRILLIC.search(err), err


def test_every_workbook_message_has_an_english_text_without_russian() -> None:
    assert XLSX_TEXTS
    for key, (ru, en) in XLSX_TEXTS.items():
        assert CYRILLIC.search(ru), key
        assert en and not CYRILLIC.search(en), key


OAUTH_CLIENT = '{"installed": {"client_id": "x.apps.googleusercontent.com", "client_secret": "s"}}'


@pytest.mark.parametrize(
    ("key_text", "says"),
    [
        (None, "The key file missing.json was not found"),
        ("not json at all", "is not a JSON service-account key"),
        (OAUTH_CLIENT, "is an OAuth client"),
        ('{"type": "authorized_user"}', 'it has no "type": "service_account"'),
    ],
)
@pytest.mark.parametrize("english_by", ["config", "environment"])
def test_a_google_key_problem_is_said_in_english(
    key_text: str | None,
    says: str,
    english_by: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if english_by == "config":
        english_config(tmp_path)
    else:
        monkeypatch.setenv("SHEETS_KPI_LANG", "en")
    key = tmp_path / "missing.json"
    if key_text is not None:
        key.write_text(key_text, encoding="utf-8")
        key.chmod(0o600)

    code = main(["check", "--sheet", "someid1234567", "--credentials", "missing.json"])

    printed = capsys.readouterr()
    assert code == 2, printed.err
    assert says in printed.err, printed.err
    assert not CYRILLIC.search(printed.out + printed.err), printed.err


def test_every_google_message_has_an_english_text_without_russian() -> None:
    fields = re.compile(r"{(\w+)")
    assert GSHEETS_TEXTS
    for key, (ru, en) in GSHEETS_TEXTS.items():
        assert CYRILLIC.search(ru), key
        assert en and not CYRILLIC.search(en), key
        assert set(fields.findall(ru)) == set(fields.findall(en)), key
