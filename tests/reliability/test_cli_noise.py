"""No noise on the terminal (issue 15): a library's English warnings go to the log (shown with
--verbose only) and an unexpected OSError is exit 3 with a Russian sentence, never a Python
traceback unless --verbose asks for one."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from sheets_kpi.cli import main

AS_OF = "2026-11-22"
# openpyxl warns «Data Validation extension is not supported and will be removed» on reading a
# sheet that carries Excel's x14 data-validation extension
DATA_VALIDATION_EXTENSION = b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}"/></extLst>'


def workbook_openpyxl_warns_about(path: Path) -> Path:
    book = openpyxl.Workbook()
    book.active.title = "Продажи"
    book.active.append(["Дата", "Менеджер", "Клиент", "Сумма"])
    book.active.append(["05.11.2026", "Анна", "Ромашка", 1000])
    plain = path.with_name("plain.xlsx")
    book.save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", DATA_VALIDATION_EXTENSION + b"</worksheet>")
            target.writestr(info, data)
    plain.unlink()
    return path


def sheets_kpi(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SHEETS_KPI_STATE_DIR": str(cwd / "state"), "PYTHONWARNINGS": ""}
    return subprocess.run(
        [sys.executable, "-m", "sheets_kpi", *argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_an_openpyxl_warning_reaches_the_log_and_never_stderr_without_verbose(
    tmp_path: Path,
) -> None:
    # `init` still opens the workbook with openpyxl (runs read it with calamine since issue 19),
    # so it is the command that meets openpyxl's warning about the drop-down extension; each
    # call gets its own copy, since init saves the workbook.
    quiet_book = workbook_openpyxl_warns_about(tmp_path / "quiet.xlsx")
    verbose_book = workbook_openpyxl_warns_about(tmp_path / "verbose.xlsx")
    quiet = sheets_kpi("init", "--xlsx", str(quiet_book), cwd=tmp_path)
    verbose = sheets_kpi("init", "--xlsx", str(verbose_book), "-v", cwd=tmp_path)

    assert (quiet.returncode, verbose.returncode) == (0, 0), quiet.stderr
    assert quiet.stderr == ""
    assert "UserWarning" not in quiet.stdout
    lines = [line for line in verbose.stderr.splitlines() if "will be removed" in line]
    assert len(lines) == 1 and " DEBUG sheets_kpi.library: UserWarning" in lines[0]


# `cli.main` in a fresh interpreter, with a library that logs a warning in the middle of a run
CHATTY_LIBRARY = """
import logging, sys
from sheets_kpi import cli, pipeline
real_compute = pipeline.compute
def chatty(*args, **kwargs):
    logging.getLogger("urllib3.connectionpool").warning(
        "Retrying after %s", "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC"
    )
    return real_compute(*args, **kwargs)
pipeline.compute = chatty
sys.exit(cli.main(sys.argv[1:]))
"""


def test_a_library_log_line_is_hidden_without_verbose_and_redacted_with_it(
    tmp_path: Path,
) -> None:
    book = workbook_openpyxl_warns_about(tmp_path / "book.xlsx")
    env = {**os.environ, "SHEETS_KPI_STATE_DIR": str(tmp_path / "state")}
    argv = [sys.executable, "-c", CHATTY_LIBRARY, "check", "--xlsx", str(book), "--as-of", AS_OF]

    def run(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*argv, *extra], env=env, capture_output=True, text=True, timeout=120, check=False
        )

    quiet, verbose = run(), run("--verbose")

    assert (quiet.returncode, verbose.returncode) == (0, 0), quiet.stderr
    assert "Retrying" not in quiet.stderr and "MIIE" not in quiet.stderr
    assert "urllib3.connectionpool: Retrying after [ключ скрыт]" in verbose.stderr
    assert "MIIE" not in verbose.stderr


@pytest.mark.parametrize("verbose", [False, True])
def test_an_unexpected_os_error_is_exit_3_with_a_russian_sentence(
    verbose: bool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    book = workbook_openpyxl_warns_about(tmp_path / "book.xlsx")
    blocker = tmp_path / "state-is-a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("SHEETS_KPI_STATE_DIR", str(blocker))  # the lock cannot be made there

    argv = ["run", "--once", "--xlsx", str(book), "--as-of", AS_OF]
    code = main([*argv, "--verbose"] if verbose else argv)

    err = capsys.readouterr().err
    assert code == 3
    assert "Не удалось прочитать или записать файл" in err and "права на папку" in err
    assert ("Traceback" in err) is verbose
