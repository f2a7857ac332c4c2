"""The command line end to end through `cli.main`: exit codes, demo, init, check, run, report."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from sheets_kpi.cli import main

AS_OF = "2026-11-22"
SALES_HEADER = ["Дата", "Менеджер", "Клиент", "Сумма", "Маржа", "Канал", "Тип", "Оплачено"]


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test runs in its own folder (no stray sheets_kpi.toml) without Google credentials."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)


def make_workbook(path: Path, sales: list[list[object]] | None) -> Path:
    """A workbook with a `Продажи` tab (header + rows), or without it when `sales` is None."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if sales is None:
        sheet.title = "Заметки"
        sheet.append(["просто лист"])
    else:
        sheet.title = "Продажи"
        sheet.append(SALES_HEADER)
        for row in sales:
            sheet.append(row)
    workbook.save(path)
    return path


CLEAN_SALES: list[list[object]] = [
    ["05.10.2026", "Анна Смирнова", "Ромашка", "162 000", "", "входящий", "", "да"],
    ["12.11.2026", "Анна Смирнова", "Ромашка", "50000", "", "", "", "да"],
    ["03.11.2026", "Борис Петров", "Лютик", "120000", "", "исходящий", "", "да"],
]
# Row 5: an impossible date (bad_date), row 6: a negative amount (nonpositive_amount).
SALES_WITH_ERRORS: list[list[object]] = [
    *CLEAN_SALES,
    ["31.02.2026", "Борис Петров", "Лютик", "1000", "", "", "", "да"],
    ["10.11.2026", "Борис Петров", "Василёк", "-5", "", "", "", "да"],
]


def test_help_exits_0_and_shows_an_example_for_each_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--help"]) == 0
    text = capsys.readouterr().out
    for command in (
        "sheets-kpi demo",
        "sheets-kpi init",
        "sheets-kpi run --once",
        "sheets-kpi check",
    ):
        assert command in text
    for command in ("demo", "init", "run", "check"):
        assert main([command, "--help"]) == 0
        assert f"sheets-kpi {command}" in capsys.readouterr().out.split("пример", 1)[1]


def test_help_lists_every_exit_code_the_cli_returns(capsys: pytest.CaptureFixture[str]) -> None:
    # README's table and cli.main know exit codes 0-4; the top-level help names each one.
    assert main(["--help"]) == 0
    codes_line = capsys.readouterr().out.split("коды выхода:", 1)[1]
    for code in range(5):
        assert f"{code} — " in codes_line


def test_no_command_is_a_usage_error() -> None:
    assert main([]) == 2


def test_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--once", "--bogus"]) == 2
    assert "ошибка" in capsys.readouterr().err


@pytest.mark.parametrize("as_of", ["22.11.2026", "2026-13-01", "2026-02-30", "вчера"])
def test_bad_as_of_exits_2(tmp_path: Path, as_of: str, capsys: pytest.CaptureFixture[str]) -> None:
    book = make_workbook(tmp_path / "book.xlsx", CLEAN_SALES)
    assert main(["check", "--xlsx", str(book), "--as-of", as_of]) == 2
    err = capsys.readouterr().err
    assert "--as-of" in err
    assert "Traceback" not in err


def test_missing_workbook_exits_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--once", "--xlsx", str(tmp_path / "нет.xlsx"), "--as-of", AS_OF]) == 3
    assert "sheets-kpi init" in capsys.readouterr().err


def test_file_that_is_not_a_workbook_exits_3(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_text("not a zip", encoding="utf-8")
    assert main(["check", "--xlsx", str(broken), "--as-of", AS_OF]) == 3


def test_missing_config_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = make_workbook(tmp_path / "book.xlsx", CLEAN_SALES)
    code = main(["check", "--xlsx", str(book), "--config", str(tmp_path / "нет.toml")])
    assert code == 2
    assert "не найден" in capsys.readouterr().err


def test_bad_config_value_exits_2_naming_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = make_workbook(tmp_path / "book.xlsx", CLEAN_SALES)
    config = tmp_path / "sheets_kpi.toml"
    config.write_text("[bonus]\nmargin_rate = 50\n", encoding="utf-8")
    assert main(["check", "--xlsx", str(book), "--config", str(config)]) == 2
    assert "margin_rate" in capsys.readouterr().err


def test_run_with_a_bad_computing_setting_shows_it_in_the_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # SPEC §3: an invalid config is fatal like a missing tab: Ошибки and a banner on Сводка,
    # the last good figures kept; SPEC §10: exit 2 (a configuration error).
    book = make_workbook(tmp_path / "book.xlsx", CLEAN_SALES)
    assert main(["run", "--once", "--xlsx", str(book), "--as-of", AS_OF]) == 0
    board_before = [
        [cell.value for cell in row] for row in openpyxl.load_workbook(book)["Лидерборд"].rows
    ]
    config = tmp_path / "sheets_kpi.toml"
    config.write_text('[bonus]\ndefault_scheme = "nonsense"\n', encoding="utf-8")
    capsys.readouterr()
    code = main(["run", "--once", "--xlsx", str(book), "--as-of", AS_OF, "--config", str(config)])
    assert code == 2
    assert "default_scheme" in capsys.readouterr().err
    workbook = openpyxl.load_workbook(book)
    errors = [[cell.value for cell in row] for row in workbook["Ошибки"].iter_rows(min_row=2)]
    assert [row[:6] for row in errors if row[0]] == [
        ["sheets_kpi.toml", None, None, None, "bad_setting", "ошибка"]
    ]
    assert "default_scheme" in errors[0][6]
    assert "default_scheme" in workbook["Сводка"]["A1"].value
    assert workbook["Сводка"]["A1"].value.startswith("⚠ Данные не пересчитаны")
    board = [[cell.value for cell in row] for row in workbook["Лидерборд"].rows]
    assert board == board_before


def test_a_bad_computing_setting_on_a_never_calculated_book_speaks_of_no_earlier_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = make_workbook(tmp_path / "book.xlsx", CLEAN_SALES)
    config = tmp_path / "sheets_kpi.toml"
    config.write_text('[bonus]\ndefault_scheme = "nonsense"\n', encoding="utf-8")
    code = main(["run", "--once", "--xlsx", str(book), "--as-of", AS_OF, "--config", str(config)])
    assert code == 2
    banner = openpyxl.load_workbook(book)["Сводка"]["A1"].value
    assert banner.startswith("⚠ Посчитать не удалось") and "default_scheme" in banner
    assert "Цифры ниже" not in banner


def test_run_with_a_config_that_cannot_say_where_to_write_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = make_workbook(tmp_path / "book.xlsx", CLEAN_SALES)
    before = book.read_bytes()
    config = tmp_path / "sheets_kpi.toml"
    config.write_text('[tabs]\nsales = ""\n[bonus]\nmargin_rate = 50\n', encoding="utf-8")
    code = main(["run", "--once", "--xlsx", str(book), "--as-of", AS_OF, "--config", str(config)])
    assert code == 2
    assert capsys.readouterr().err
    assert book.read_bytes() == before


def test_config_in_current_folder_is_picked_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_workbook(tmp_path / "book.xlsx", CLEAN_SALES)
    (tmp_path / "sheets_kpi.toml").write_text('xlsx = "book.xlsx"\nlanguag = "en"\n', "utf-8")
    assert main(["check", "--as-of", AS_OF]) == 2  # the typo proves the file was read
    assert "languag" in capsys.readouterr().err


def test_sheet_without_credentials_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", "--sheet", "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789", "--as-of", AS_OF])
    assert code == 2
    err = capsys.readouterr().err
    assert "README" in err
    assert "Traceback" not in err


def test_no_spreadsheet_at_all_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--once", "--as-of", AS_OF]) == 2
    assert "--xlsx" in capsys.readouterr().err


def test_run_without_once_or_schedule_exits_2(tmp_path: Path) -> None:
    book = make_workbook(tmp_path / "book.xlsx", CLEAN_SALES)
    assert main(["run", "--xlsx", str(book)]) == 2


def test_check_on_a_workbook_with_errors_exits_1_and_lists_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = make_workbook(tmp_path / "book.xlsx", SALES_WITH_ERRORS)
    before = book.read_bytes()
    assert main(["check", "--xlsx", str(book), "--as-of", AS_OF]) == 1
    out = capsys.readouterr().out
    assert "bad_date" in out
    assert "nonpositive_amount" in out
    assert book.read_bytes() == before  # check never writes


def test_check_on_a_clean_workbook_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = make_workbook(tmp_path / "book.xlsx", CLEAN_SALES)
    assert main(["check", "--xlsx", str(book), "--as-of", AS_OF]) == 0
    assert "Ошибок нет" in capsys.readouterr().out


def test_run_with_row_errors_writes_tabs_and_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = make_workbook(tmp_path / "book.xlsx", SALES_WITH_ERRORS)
    assert main(["run", "--once", "--xlsx", str(book), "--as-of", AS_OF]) == 0
    titles = openpyxl.load_workbook(book).sheetnames
    for title in ("Продажи", "Сводка", "Лидерборд", "Бонусы", "Помесячно", "Ошибки"):
        assert title in titles
    out = " ".join(capsys.readouterr().out.split())  # rich wraps long lines
    assert "Анна Смирнова" in out  # the leaderboard table
    assert "Ошибок во входных данных: 2" in out


def test_run_without_sales_tab_is_fatal_exits_1_and_writes_errors(tmp_path: Path) -> None:
    book = make_workbook(tmp_path / "book.xlsx", None)
    report = tmp_path / "report.json"
    code = main(["run", "--once", "--xlsx", str(book), "--as-of", AS_OF, "--report", str(report)])
    assert code == 1
    assert "Ошибки" in openpyxl.load_workbook(book).sheetnames
    errors = json.loads(report.read_text(encoding="utf-8"))["errors"]
    assert [error["code"] for error in errors] == ["missing_tab"]


def test_report_is_identical_for_two_runs_with_same_as_of(tmp_path: Path) -> None:
    book = make_workbook(tmp_path / "book.xlsx", SALES_WITH_ERRORS)
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    for report in (first, second):
        args = ["run", "--once", "--xlsx", str(book), "--as-of", AS_OF, "--report", str(report)]
        assert main(args) == 0
    assert first.read_bytes() == second.read_bytes()
    data = json.loads(first.read_text(encoding="utf-8"))
    assert data["as_of"] == AS_OF
    assert data["month"] == "2026-11"
    assert {error["code"] for error in data["errors"]} == {"bad_date", "nonpositive_amount"}
    # Ромашка: month-1 (2026-10) check 162 000 ≥ 150 000 → tier 2 → 35 000 (default tiers)
    items = [item for item in data["bonus_items"] if item["client"] == "Ромашка"]
    assert [(item["month"], item["amount"]) for item in items] == [("2026-10", 35000)]


def test_check_report_has_the_errors(tmp_path: Path) -> None:
    book = make_workbook(tmp_path / "book.xlsx", SALES_WITH_ERRORS)
    report = tmp_path / "check.json"
    assert main(["check", "--xlsx", str(book), "--as-of", AS_OF, "--report", str(report)]) == 1
    rows = [
        (error["row"], error["code"]) for error in json.loads(report.read_text("utf-8"))["errors"]
    ]
    assert rows == [(5, "bad_date"), (6, "nonpositive_amount")]


def test_report_into_missing_folder_exits_2(tmp_path: Path) -> None:
    book = make_workbook(tmp_path / "book.xlsx", CLEAN_SALES)
    report = tmp_path / "нет" / "report.json"
    assert main(["check", "--xlsx", str(book), "--as-of", AS_OF, "--report", str(report)]) == 2


def test_demo_builds_a_workbook_runs_it_and_says_where_to_look(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "demo.json"
    assert main(["demo", "--as-of", AS_OF, "--report", str(report)]) == 0
    book = tmp_path / "demo.xlsx"  # the default name, in the current folder
    titles = openpyxl.load_workbook(book).sheetnames
    for title in ("Продажи", "План", "Мотивация", "Сводка", "Лидерборд", "Бонусы", "Ошибки"):
        assert title in titles
    assert "Сводка" in capsys.readouterr().out
    data = json.loads(report.read_text(encoding="utf-8"))
    assert len({row["manager"] for row in data["monthly"]}) >= 6
    assert data["errors"]  # the demo's deliberate mistakes
    assert {item["scheme"] for item in data["bonus_items"]} == {
        "tiers",
        "two_step",
        "margin",
        "fixed",
    }


def test_init_creates_input_tabs_and_the_result_checks_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "new.xlsx"
    assert main(["init", str(book), "--as-of", AS_OF]) == 0
    titles = openpyxl.load_workbook(book).sheetnames
    for title in ("Продажи", "Сделки", "Активность", "План", "Мотивация"):
        assert title in titles
    assert main(["check", "--xlsx", str(book), "--as-of", AS_OF]) == 0
    capsys.readouterr()
    assert main(["init", "--xlsx", str(book), "--as-of", AS_OF]) == 0
    assert "уже есть" in capsys.readouterr().out


def test_worker_rewrites_only_when_inputs_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sheets_kpi import worker
    from sheets_kpi.backends.xlsx import XlsxBackend

    book = make_workbook(tmp_path / "book.xlsx", CLEAN_SALES)
    writes: list[int] = []
    original_write = XlsxBackend.write

    def counting_write(self: XlsxBackend, plans: object) -> None:
        writes.append(1)
        original_write(self, plans)  # type: ignore[arg-type]

    def three_cycles(self: worker.Worker, *, max_idle_wait: float = 60.0) -> int:
        self.run_cycle()  # first cycle: writes
        self.run_cycle()  # nothing changed: skipped
        extra = openpyxl.load_workbook(book)
        extra["Продажи"].append(["15.11.2026", "Борис Петров", "Мак", "9000", "", "", "", "да"])
        extra.save(book)
        self.run_cycle()  # a new row: writes again
        return 0

    monkeypatch.setattr(XlsxBackend, "write", counting_write)
    monkeypatch.setattr(worker.Worker, "run", three_cycles)
    monkeypatch.setenv("SHEETS_KPI_STATE_DIR", str(tmp_path / "state"))
    assert main(["run", "--every", "15m", "--xlsx", str(book), "--as-of", AS_OF]) == 0
    assert len(writes) == 2


def test_run_while_another_run_holds_the_spreadsheet_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sheets_kpi.worker import acquire_lock

    book = make_workbook(tmp_path / "book.xlsx", CLEAN_SALES)
    monkeypatch.setenv("SHEETS_KPI_STATE_DIR", str(tmp_path / "state"))
    held = acquire_lock(tmp_path / "state", str(book.resolve()))
    try:
        assert main(["run", "--once", "--xlsx", str(book), "--as-of", AS_OF]) == 2
    finally:
        held.release()
    assert "другой процесс" in capsys.readouterr().err
    assert main(["run", "--once", "--xlsx", str(book), "--as-of", AS_OF]) == 0


def test_english_config_gives_english_terminal_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = make_workbook(tmp_path / "book.xlsx", SALES_WITH_ERRORS)
    config = tmp_path / "en.toml"
    config.write_text('language = "en"\n', encoding="utf-8")
    args = ["run", "--once", "--xlsx", str(book), "--as-of", AS_OF, "--config", str(config)]
    assert main(args) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Input errors: 2" in out
    assert "Leaderboard" in out
    assert "120,000 ₽" in out  # Борис Петров's November revenue, written the English way
    assert "Summary" in openpyxl.load_workbook(book).sheetnames


def test_demo_refuses_to_overwrite_a_workbook_that_is_not_its_own(tmp_path: Path) -> None:
    book = make_workbook(tmp_path / "продажи.xlsx", CLEAN_SALES)
    before = book.read_bytes()
    assert main(["demo", str(book), "--as-of", AS_OF]) == 2
    assert book.read_bytes() == before
