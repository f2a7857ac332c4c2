"""--report never clobbers (issue 15): it is resolved before anything is read and refused
(exit 2, nothing read or written) when it is the workbook, the config, a folder, a device or a
pipe, or in a missing folder; it is written via a temporary file in its own folder and an
existing report keeps its permissions."""

from __future__ import annotations

import json
import os
import shlex
import stat
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from sheets_kpi.cli import main

AS_OF = "2026-11-22"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    monkeypatch.setenv("SHEETS_KPI_STATE_DIR", str(tmp_path / "state"))


def make_workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Продажи"
    sheet.append(["Дата", "Менеджер", "Клиент", "Сумма"])
    sheet.append(["05.11.2026", "Анна", "Ромашка", 162000])
    book.save(path)
    return path


def listing(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes() if path.is_file() else b"<dir>"
        for path in sorted(folder.rglob("*"))
        if "state" not in path.parts
    }


@pytest.mark.parametrize("command", [["run", "--once"], ["check"]])
def test_a_report_naming_the_workbook_is_refused_and_the_workbook_kept(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = make_workbook(tmp_path / "book.xlsx")
    before = listing(tmp_path)

    code = main([*command, "--xlsx", str(book), "--as-of", AS_OF, "--report", str(book)])

    assert code == 2
    assert "это сама книга" in capsys.readouterr().err
    assert listing(tmp_path) == before


def test_a_report_reaching_the_workbook_through_a_symlink_or_a_hard_link_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = make_workbook(tmp_path / "book.xlsx")
    (tmp_path / "soft.json").symlink_to(book)
    os.link(book, tmp_path / "hard.json")
    before = listing(tmp_path)

    codes = [
        main(["run", "--once", "--xlsx", str(book), "--as-of", AS_OF, "--report", str(link)])
        for link in (tmp_path / "soft.json", tmp_path / "hard.json")
    ]

    assert codes == [2, 2]
    assert capsys.readouterr().err.count("это сама книга") == 2
    assert listing(tmp_path) == before


def test_a_demo_whose_report_is_its_own_workbook_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "demo-book.xlsx"

    code = main(["demo", str(book), "--as-of", AS_OF, "--report", str(book)])

    assert code == 2
    assert "это сама книга" in capsys.readouterr().err
    assert listing(tmp_path) == {"cwd": b"<dir>"}


def test_a_report_naming_the_config_is_refused_and_the_config_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = make_workbook(tmp_path / "book.xlsx")
    config = tmp_path / "cwd" / "sheets_kpi.toml"  # found without --config
    config.write_text(f'xlsx = "{book}"\n', encoding="utf-8")
    before = listing(tmp_path)

    code = main(["run", "--once", "--as-of", AS_OF, "--report", "sheets_kpi.toml"])

    assert code == 2
    assert "это файл настроек" in capsys.readouterr().err
    assert listing(tmp_path) == before


def test_a_report_into_a_missing_folder_is_refused_before_the_workbook_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = make_workbook(tmp_path / "book.xlsx")
    before = listing(tmp_path)

    code = main(["run", "--once", "--xlsx", str(book), "--report", str(tmp_path / "no" / "r.json")])

    assert code == 2
    assert "папки" in capsys.readouterr().err
    assert listing(tmp_path) == before  # the workbook was not rewritten


def test_a_report_naming_a_folder_is_refused_and_leaves_no_temporary_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = make_workbook(tmp_path / "book.xlsx")
    (tmp_path / "reports").mkdir()
    before = listing(tmp_path)

    code = main(["run", "--once", "--xlsx", str(book), "--report", str(tmp_path / "reports")])

    assert code == 2
    assert "это папка" in capsys.readouterr().err
    assert listing(tmp_path) == before


def test_a_report_naming_a_device_or_a_pipe_is_refused_and_they_stay_what_they_were(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = make_workbook(tmp_path / "book.xlsx")
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    before = listing(tmp_path / "cwd")
    book_bytes = book.read_bytes()

    codes = [
        main(["run", "--once", "--xlsx", str(book), "--report", target])
        for target in ("/dev/full", str(pipe), "/dev/null")
    ]

    assert codes == [2, 2, 2]
    assert capsys.readouterr().err.count("не обычный файл") == 3
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode) and stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)
    assert book.read_bytes() == book_bytes and listing(tmp_path / "cwd") == before


def test_a_report_is_written_in_its_own_folder_and_keeps_its_permissions(
    tmp_path: Path,
) -> None:
    book = make_workbook(tmp_path / "book.xlsx")
    reports = tmp_path / "reports"
    reports.mkdir()
    report = reports / "r.json"
    report.write_text("old", encoding="utf-8")
    os.chmod(report, 0o644)

    check = main(["check", "--xlsx", str(book), "--as-of", AS_OF, "--report", str(report)])
    run = main(["run", "--once", "--xlsx", str(book), "--as-of", AS_OF, "--report", str(report)])

    assert (check, run) == (0, 0)
    assert json.loads(report.read_text(encoding="utf-8"))["as_of"] == AS_OF
    assert stat.S_IMODE(report.stat().st_mode) == 0o644  # was replaced with 0600 before
    assert sorted(path.name for path in reports.iterdir()) == ["r.json"]
    assert list((tmp_path / "cwd").iterdir()) == []  # no temporary file in the current folder


def test_the_worker_refuses_a_report_naming_its_workbook_before_the_first_cycle(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = make_workbook(tmp_path / "book.xlsx")
    before = listing(tmp_path)

    code = main(["run", "--every", "15m", "--xlsx", str(book), "--report", str(book)])

    assert code == 2
    assert "это сама книга" in capsys.readouterr().err
    assert listing(tmp_path) == before


def google_key(path: Path) -> Path:
    path.write_text('{"type": "service_account", "client_email": "bot@x.iam"}', encoding="utf-8")
    return path


@pytest.mark.parametrize("command", [["run", "--once"], ["check"]])
@pytest.mark.parametrize("named_by", ["--credentials", "config", "environment"])
def test_a_report_naming_the_google_key_is_refused_and_the_key_kept(
    command: list[str],
    named_by: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    book = make_workbook(tmp_path / "book.xlsx")
    google_key(tmp_path / "cwd" / "key.json")
    extra: list[str] = []
    if named_by == "--credentials":
        extra = ["--credentials", "key.json"]
    elif named_by == "config":
        (tmp_path / "cwd" / "sheets_kpi.toml").write_text('credentials = "key.json"\n')
    else:
        monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(tmp_path / "cwd" / "key.json"))
    before = listing(tmp_path)

    code = main([*command, "--xlsx", str(book), "--as-of", AS_OF, *extra, "--report", "key.json"])

    assert code == 2
    assert "это файл ключа Google" in capsys.readouterr().err
    assert listing(tmp_path) == before


def test_the_configs_key_is_kept_when_another_key_is_given_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # --credentials names one key and the config another: neither may become the report
    book = make_workbook(tmp_path / "book.xlsx")
    google_key(tmp_path / "cwd" / "key.json")
    google_key(tmp_path / "cwd" / "other.json")
    (tmp_path / "cwd" / "sheets_kpi.toml").write_text('credentials = "key.json"\n')
    before = listing(tmp_path)

    argv = ["check", "--xlsx", str(book), "--as-of", AS_OF, "--credentials", "other.json"]
    code = main([*argv, "--report", "key.json"])

    assert code == 2
    assert "это файл ключа Google" in capsys.readouterr().err
    assert listing(tmp_path) == before


def test_a_report_beside_the_key_is_written_and_the_key_kept(tmp_path: Path) -> None:
    book = make_workbook(tmp_path / "book.xlsx")
    key = google_key(tmp_path / "cwd" / "key.json")
    key_bytes = key.read_bytes()

    code = main(["check", "--xlsx", str(book), "--as-of", AS_OF, "--credentials", "key.json",
                 "--report", "report.json"])  # fmt: skip

    assert code == 0
    assert json.loads((tmp_path / "cwd" / "report.json").read_text(encoding="utf-8"))
    assert key.read_bytes() == key_bytes


@pytest.mark.parametrize(
    "target",
    [
        "/dev/stdout",
        "/dev/stderr",
        "/dev/fd/1",
        "/proc/self/fd/1",
        "../../../../../../../../../dev/fd/2",
    ],
)
def test_a_report_in_dev_or_proc_is_refused(
    target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = make_workbook(tmp_path / "book.xlsx")
    before = listing(tmp_path)

    code = main(["run", "--once", "--xlsx", str(book), "--as-of", AS_OF, "--report", target])

    assert code == 2
    assert "системный путь (/dev или /proc)" in capsys.readouterr().err
    assert listing(tmp_path) == before


def test_a_report_to_stdout_appended_to_a_log_keeps_the_log(tmp_path: Path) -> None:
    book = make_workbook(tmp_path / "book.xlsx")
    log = tmp_path / "cron.log"
    log.write_text("yesterday's runs\n", encoding="utf-8")
    command = (
        f"{shlex.quote(sys.executable)} -m sheets_kpi run --once --xlsx {shlex.quote(str(book))}"
        f" --as-of {AS_OF} --report /dev/stdout >> {shlex.quote(str(log))} 2>&1"
    )

    done = subprocess.run(["sh", "-c", command], cwd=tmp_path / "cwd", check=False)

    assert done.returncode == 2
    text = log.read_text(encoding="utf-8")
    assert text.startswith("yesterday's runs\n")  # appended to, not replaced
    assert "не обычный файл" in text


def test_a_report_named_dash_is_refused_and_no_file_is_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = make_workbook(tmp_path / "book.xlsx")
    before = listing(tmp_path)

    code = main(["check", "--xlsx", str(book), "--as-of", AS_OF, "--report", "-"])

    assert code == 2
    assert "Укажите имя файла, например --report отчёт.json" in capsys.readouterr().err
    assert listing(tmp_path) == before
