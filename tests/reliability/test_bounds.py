"""Bounded inputs (issue 15): dates, money, intervals and retry settings far outside any real
use are a usage or config error (exit 2) or a row error with a Russian message — never an
internal error (exit 4), a run of minutes or gigabytes, or a bonus of 10²⁵ ₽."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from sheets_kpi.cli import main

AS_OF = "2026-11-22"
SALES = [
    ["Дата", "Менеджер", "Клиент", "Сумма"],
    ["05.11.2026", "Анна Смирнова", "Ромашка", 120000],
    ["06.11.2026", "Борис Петров", "Лютик", 90000],
]


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    monkeypatch.setenv("SHEETS_KPI_STATE_DIR", str(tmp_path / "state"))


def make_workbook(path: Path, roster: list[list[object]] | None = None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Продажи"
    for line in SALES:
        sheet.append(line)
    if roster is not None:
        tab = book.create_sheet("Мотивация")
        tab.append(["Менеджер", "Схема", "Параметры"])
        for line in roster:
            tab.append(line)
    book.save(path)
    return path


@pytest.mark.parametrize("as_of", ["9999-12-31", "2999-12-31", "1999-12-31", "0001-01-01"])
def test_an_as_of_outside_2000_to_2100_is_a_usage_error_naming_the_range(
    as_of: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = make_workbook(tmp_path / "book.xlsx")
    before = book.read_bytes()

    codes = [
        main(["check", "--xlsx", str(book), "--as-of", as_of]),
        main(["run", "--once", "--xlsx", str(book), "--as-of", as_of]),
    ]

    err = capsys.readouterr().err
    assert codes == [2, 2]
    assert err.count("с 2000-01-01 по 2100-12-31") == 2
    assert book.read_bytes() == before


@pytest.mark.parametrize("as_of", ["2000-01-01", "2100-12-31"])
def test_the_edges_of_the_as_of_range_are_accepted(as_of: str, tmp_path: Path) -> None:
    book = make_workbook(tmp_path / "book.xlsx")

    assert main(["run", "--once", "--xlsx", str(book), "--as-of", as_of]) == 0


def test_a_huge_motivation_parameter_is_a_row_error_and_the_rest_is_computed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Анна's fixed bonus has 28 digits and Вера's tier bonus 19: both rows are bad_setting;
    # Борис (tiers 50000=10000, one client paying 90 000 ₽ ≥ 50 000) still earns 10 000 ₽,
    # and the team's revenue is 120 000 + 90 000 = 210 000 ₽.
    book = make_workbook(
        tmp_path / "book.xlsx",
        [
            ["Анна Смирнова", "фикс", "1000000000000000000000000000"],
            ["Борис Петров", "уровни", "50000=10000"],
            ["Вера Соколова", "уровни", "100000=1000000000000000000"],
        ],
    )
    report = tmp_path / "r.json"

    code = main(["run", "--once", "--xlsx", str(book), "--as-of", AS_OF, "--report", str(report)])

    assert code == 0, capsys.readouterr().err
    data = json.loads(report.read_text(encoding="utf-8"))
    settings = [
        (p["tab"], p["row"], p["code"]) for p in data["errors"] if p["code"] == "bad_setting"
    ]
    assert settings == [("Мотивация", 2, "bad_setting"), ("Мотивация", 4, "bad_setting")]
    assert all("10¹² ₽" in p["message"] for p in data["errors"] if p["code"] == "bad_setting")
    assert sum(float(month["revenue"] or 0) for month in data["team"]) == 210000
    paid = {(item["manager"], float(item["amount"])) for item in data["bonus_items"]}
    assert paid == {("Борис Петров", 10000.0)}
    assert "Бонусы" in openpyxl.load_workbook(book).sheetnames


def test_a_sale_of_25_digits_is_a_bad_amount_row(tmp_path: Path) -> None:
    book = make_workbook(tmp_path / "book.xlsx")
    workbook = openpyxl.load_workbook(book)
    workbook["Продажи"]["D3"] = 10**25
    workbook.save(book)
    report = tmp_path / "r.json"

    code = main(["check", "--xlsx", str(book), "--as-of", AS_OF, "--report", str(report)])

    problems = json.loads(report.read_text(encoding="utf-8"))["errors"]
    assert code == 1
    assert [(p["code"], p["row"]) for p in problems] == [("bad_amount", 3)]


@pytest.mark.parametrize(
    ("toml", "says"),
    [
        ("[bonus]\ntiers = [[1e300, 1e300]]", "меньше 10¹² ₽"),
        ("[bonus]\nfixed = {amount = 1e13}", "меньше 10¹² ₽"),
        ("[bonus]\nmonthly_cap = 1000000000000000000000", "меньше 10¹² ₽"),
        ("[bonus]\ntwo_step = {second_month = 100000}", "не больше 120"),
        ("[retry]\nattempts = 9223372036854775807", "не больше 20"),
        ("[retry]\ntotal_seconds = 1e308", "не больше 3600"),
        ("[retry]\nread_timeout = 1e308", "не больше 3600"),
        ("[retry]\nconnect_timeout = 100000", "не больше 300"),
        ("[alerts]\nstale_deal_days = 99999999999999", "не больше 3650"),
        ('[schedule]\nevery = "99999999999999999999d"', "от 10s до 7d"),
        ('[schedule]\nlease = "400d"', "от 10s до 7d"),
    ],
)
def test_a_config_value_out_of_range_is_a_config_error_naming_the_range(
    toml: str, says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = make_workbook(tmp_path / "book.xlsx")
    config = tmp_path / "sheets_kpi.toml"
    config.write_text(toml + "\n", encoding="utf-8")

    code = main(["check", "--xlsx", str(book), "--as-of", AS_OF, "--config", str(config)])

    err = capsys.readouterr().err
    assert code == 2, err
    assert says in err and "Внутренняя ошибка" not in err


@pytest.mark.parametrize("every", ["99999999999999999999d", "8d", "5s", "0m"])
def test_an_every_out_of_range_is_refused_before_the_worker_starts(
    every: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = make_workbook(tmp_path / "book.xlsx")
    before = book.read_bytes()

    code = main(["run", "--every", every, "--xlsx", str(book)])

    err = capsys.readouterr().err
    assert code == 2, err
    assert "--every 15m" in err and "Внутренняя ошибка" not in err
    assert book.read_bytes() == before


@pytest.mark.parametrize("at", ["9:00", "", "９:00", "24:00"])
def test_an_unreadable_daily_time_is_a_usage_error_before_the_worker_starts(
    at: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `--at 9:00` reached the lease arithmetic unchecked and ended in exit 4 (audit of issue 15)
    book = make_workbook(tmp_path / "book.xlsx")
    before = book.read_bytes()

    code = main(["run", "--at", at, "--xlsx", str(book)])

    err = capsys.readouterr().err
    assert code == 2, err
    assert "ЧЧ:ММ" in err and "Внутренняя ошибка" not in err
    assert book.read_bytes() == before


def run_cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """The command in a child process, so a read that never ends fails the test by timeout."""
    return subprocess.run(
        [sys.executable, "-m", "sheets_kpi", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("command", [["run", "--once"], ["check"]])
def test_a_config_that_is_a_device_or_a_pipe_is_refused_without_reading_it(
    command: list[str], tmp_path: Path
) -> None:
    book = make_workbook(tmp_path / "book.xlsx")
    pipe = tmp_path / "pipe.toml"
    os.mkfifo(pipe)  # nobody writes: opening it would wait forever

    for config in ("/dev/zero", str(pipe)):
        done = run_cli([*command, "--config", config, "--xlsx", str(book)], tmp_path)

        assert done.returncode == 2, done.stderr
        assert f"{config} — не обычный файл (устройство или канал)" in done.stderr
        assert "Traceback" not in done.stderr


def test_a_config_larger_than_a_megabyte_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = make_workbook(tmp_path / "book.xlsx")
    config = tmp_path / "big.toml"
    config.write_text("# padding\n" * 110_000, encoding="utf-8")  # 1.1 MB of comments
    small = tmp_path / "small.toml"
    small.write_text("# padding\n" * 100_000, encoding="utf-8")  # 1.0 MB: still read

    code = main(["check", "--config", str(config), "--xlsx", str(book), "--as-of", AS_OF])
    small_code = main(["check", "--config", str(small), "--xlsx", str(book), "--as-of", AS_OF])

    assert code == 2 and small_code == 0
    assert "больше 1024 КБ" in capsys.readouterr().err


def test_a_config_that_is_a_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = make_workbook(tmp_path / "book.xlsx")
    (tmp_path / "settings").mkdir()

    code = main(["check", "--config", "settings", "--xlsx", str(book)])

    assert code == 2
    assert "settings — это папка, а не файл настроек" in capsys.readouterr().err


def test_a_workbook_that_is_a_pipe_or_a_device_is_refused_without_waiting(
    tmp_path: Path,
) -> None:
    pipe = tmp_path / "book.xlsx"
    os.mkfifo(pipe)

    for workbook in (str(pipe), "/dev/null", "/dev/zero"):
        done = run_cli(["run", "--once", "--xlsx", workbook, "--as-of", AS_OF], tmp_path)

        assert done.returncode == 3, done.stderr
        assert f"«{workbook}» — не обычный файл (устройство или канал)" in done.stderr
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)
