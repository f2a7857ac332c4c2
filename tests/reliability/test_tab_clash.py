"""A user's tab named like a generated tab up to case, ё/е or spaces (issue 15): both backends
refuse the same way (exit 2, a message naming both tabs and the two ways out), write nothing
and never rename the user's tab. Before, the local workbook got `Сводка1` next to `СВОДКА`."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from sheets_kpi.cli import main
from tests.fakes.google_env import SPREADSHEET_ID, RecordedWaits, key_file
from tests.fakes.sheets_api import FakeSheetsApi
from tests.reliability.google_cli import state_of, wire_cli_to_fake

AS_OF = "2026-11-22"
SALES = [["Дата", "Менеджер", "Клиент", "Сумма"], ["05.11.2026", "Анна", "Ромашка", 1000]]
# (the user's tab, the config, the generated tab it clashes with)
CLASHES = [
    ("СВОДКА", "", "Сводка"),
    ("ошибки", "", "Ошибки"),
    ("Бонусы ", "", "Бонусы"),
    ("Счет", '[tabs]\nsummary = "Счёт"\n', "Счёт"),  # ё/е
    ("LEADERBOARD", 'language = "en"\n', "Leaderboard"),
]


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    monkeypatch.delenv("SHEETS_KPI_LANG", raising=False)
    monkeypatch.setenv("SHEETS_KPI_STATE_DIR", str(tmp_path / "state"))


def config_file(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    return ["--config", str(path)]


@pytest.mark.parametrize(("yours", "config", "ours"), CLASHES)
def test_a_clashing_tab_in_a_workbook_stops_the_run_and_nothing_is_written(
    yours: str, config: str, ours: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "book.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Sales" if "en" in config else "Продажи"
    for line in SALES:
        book.active.append(line)
    book.create_sheet(yours)["A1"] = "мои цифры"
    book.save(path)
    before = path.read_bytes()
    where = ["--xlsx", str(path), "--as-of", AS_OF, *config_file(tmp_path, config)]

    codes = [main(["check", *where]), main(["run", "--once", *where])]

    err = capsys.readouterr().err
    assert codes == [2, 2]
    assert err.count(f"«{yours}»") + err.count(f"'{yours}'") >= 2  # names the user's tab
    assert ours in err and "[tabs]" in err
    assert path.read_bytes() == before
    assert openpyxl.load_workbook(path).sheetnames == [book.active.title, yours]


@pytest.mark.parametrize(("yours", "config", "ours"), CLASHES[:3])
def test_a_clashing_tab_on_google_stops_the_run_and_nothing_is_written(
    yours: str,
    config: str,
    ours: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    api = FakeSheetsApi()
    key, email = key_file(api, tmp_path)
    api.create_spreadsheet(
        SPREADSHEET_ID, {"Продажи": SALES, yours: [["мои цифры"]]}, editors=[email]
    )
    wire_cli_to_fake(monkeypatch, api, RecordedWaits())
    before = state_of(api, SPREADSHEET_ID)
    where = ["--sheet", SPREADSHEET_ID, "--credentials", str(key), "--as-of", AS_OF]

    codes = [main(["check", *where]), main(["run", "--once", *where])]

    err = capsys.readouterr().err
    assert codes == [2, 2]
    assert f"В таблице есть лист «{yours}», а бот пишет свой лист «{ours}»" in err
    assert api.last_batch_update is None  # not a single write request
    assert state_of(api, SPREADSHEET_ID) == before


def test_a_tab_with_exactly_the_generated_title_is_the_bots_own_and_is_rewritten(
    tmp_path: Path,
) -> None:
    path = tmp_path / "book.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Продажи"
    for line in SALES:
        book.active.append(line)
    book.create_sheet("Сводка")["A1"] = "старые цифры"
    book.save(path)

    assert main(["run", "--once", "--xlsx", str(path), "--as-of", AS_OF]) == 0
    assert openpyxl.load_workbook(path)["Сводка"]["A1"].value != "старые цифры"
