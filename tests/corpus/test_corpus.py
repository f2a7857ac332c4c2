"""The bad-input corpus (corpus_cases.py) through `sheets-kpi check` and `run --once`.

For every case: the exit codes, the exact problems (code, tab, row, column) with a Russian
message each, `check` writes nothing, `run` never changes an input tab (values, formulas,
merged cells, hidden rows), never writes user text as a formula, loses no valid row, and a
failed run leaves the file byte-identical with no temporary file behind.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from sheets_kpi.cli import main
from tests.corpus.corpus_cases import AS_OF, CASES, Case, build
from tests.fakes.google_env import SPREADSHEET_ID, RecordedWaits, key_file
from tests.fakes.sheets_api import FakeSheetsApi
from tests.reliability.google_cli import (
    longest_text_sent,
    state_of,
    user_formulas,
    wire_cli_to_fake,
)

GENERATED = ("Сводка", "Лидерборд", "Бонусы", "Помесячно", "Ошибки")
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
XLSX_CASES = [case for case in CASES if "google" not in case.tags]
# on Google too: what only Google can hold, formula-looking text, cells at Google's size limit
GOOGLE_CASES = [
    case
    for case in CASES
    if {"google", "formula_text"} & case.tags or case.name.startswith("fifty_thousand")
]


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SHEETS_KPI_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)


@dataclass(frozen=True)
class Look:
    """What a run must not change in the input tabs (typed values and formulas, the values
    they show, merged cells, hidden rows), every formula cell, and the tab titles."""

    inputs: dict[str, object]
    formulas: list[tuple[str, str]]
    titles: list[str]


def look(path: Path) -> Look:
    typed = openpyxl.load_workbook(path)
    shown = openpyxl.load_workbook(path, data_only=True)
    inputs: dict[str, object] = {}
    formulas: list[tuple[str, str]] = []
    for sheet in typed.worksheets:
        rows = [list(line) for line in sheet.iter_rows()]
        formulas += [
            (sheet.title, c.coordinate) for line in rows for c in line if c.data_type == "f"
        ]
        if sheet.title in GENERATED:
            continue
        inputs[sheet.title] = (
            [[cell.value for cell in line] for line in rows],
            [[cell.value for cell in line] for line in shown[sheet.title].iter_rows()],
            sorted(str(merged) for merged in sheet.merged_cells.ranges),
            sorted(n for n, dimension in sheet.row_dimensions.items() if dimension.hidden),
        )
    return Look(inputs, formulas, typed.sheetnames)


def problems_of(report: Path) -> list[dict[str, object]]:
    return list(json.loads(report.read_text(encoding="utf-8"))["errors"])


def payments_counted(report: Path) -> int:
    return sum(int(entry["payments"] or 0) for entry in json.loads(report.read_text())["team"])


def revenue_counted(report: Path) -> float:
    return sum(float(entry["revenue"] or 0) for entry in json.loads(report.read_text())["team"])


def assert_problems(case: Case, found: list[dict[str, object]]) -> None:
    keys = {(p["code"], p["tab"], p["row"], p["column"]) for p in found}
    assert set(case.expect) <= keys, f"{case.name}: missing {set(case.expect) - keys}"
    if case.exact:
        assert keys == set(case.expect), f"{case.name}: unexpected {keys - set(case.expect)}"
    for problem in found:
        assert CYRILLIC.search(str(problem["message"])), problem


def test_the_corpus_has_at_least_sixty_cases() -> None:
    assert len(CASES) >= 60
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", XLSX_CASES, ids=[case.name for case in XLSX_CASES])
def test_bad_workbook(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = build(case, tmp_path)
    before = path.read_bytes() if path.is_file() else None
    opened = before is not None and case.check_exit not in (2, 3)
    seen = look(path) if opened else None
    report = tmp_path / "check.json"

    code = main(["check", "--xlsx", str(path), "--as-of", AS_OF, "--report", str(report)])

    printed = capsys.readouterr()
    assert code == case.check_exit, printed.err
    assert "Внутренняя ошибка" not in printed.err
    if before is not None:
        assert path.read_bytes() == before  # check writes nothing
    if case.check_exit in (2, 3):  # refused before anything is computed
        assert case.message in printed.err
        assert not report.exists()
    else:
        assert_problems(case, problems_of(report))
        if case.message and case.run_exit != 3:
            assert any(case.message in str(p["message"]) for p in problems_of(report))

    run_exit = case.check_exit if case.run_exit is None else case.run_exit
    run_report = tmp_path / "run.json"
    code = main(
        ["run", "--once", "--xlsx", str(path), "--as-of", AS_OF, "--report", str(run_report)]
    )

    printed = capsys.readouterr()
    assert code == run_exit, printed.err
    assert "Внутренняя ошибка" not in printed.err
    leftovers = [p.name for p in path.parent.iterdir() if ".tmp" in p.name]
    assert leftovers == []
    if run_exit in (2, 3):
        assert case.message in printed.err
        if before is not None:
            assert path.read_bytes() == before  # nothing half-written
        return
    assert seen is not None
    after = look(path)
    assert after.inputs == seen.inputs, "an input tab changed"
    if run_exit == 1:  # fatal: Ошибки and the banner of Сводка
        assert {"Ошибки", "Сводка"} <= set(after.titles)
    else:
        assert set(GENERATED) <= set(after.titles)
        assert payments_counted(run_report) == case.clean_rows  # no valid row lost
        if case.revenue is not None:
            assert revenue_counted(run_report) == case.revenue
    # only the formulas that were typed into input tabs; the bot writes none in a workbook
    assert after.formulas == seen.formulas
    assert_problems(case, problems_of(run_report))


@pytest.mark.parametrize("case", GOOGLE_CASES, ids=[case.name for case in GOOGLE_CASES])
def test_bad_spreadsheet_on_google(
    case: Case,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    api = FakeSheetsApi()
    key, email = key_file(api, tmp_path)
    assert case.tabs is not None
    api.create_spreadsheet(SPREADSHEET_ID, case.tabs, editors=[email])
    wire_cli_to_fake(monkeypatch, api, RecordedWaits())
    inputs = state_of(api, SPREADSHEET_ID)
    where = ["--sheet", SPREADSHEET_ID, "--credentials", str(key), "--as-of", AS_OF]

    check_code = main(["check", *where, "--report", str(tmp_path / "check.json")])
    run_code = main(["run", "--once", *where, "--report", str(tmp_path / "run.json")])

    printed = capsys.readouterr()
    assert (check_code, run_code) == (case.check_exit, case.run_exit), printed.err
    assert api.last_batch_update is not None
    assert_problems(case, problems_of(tmp_path / "run.json"))
    assert payments_counted(tmp_path / "run.json") == case.clean_rows
    if case.revenue is not None:
        assert revenue_counted(tmp_path / "run.json") == case.revenue
    after = state_of(api, SPREADSHEET_ID)
    assert {title: after[title] for title in inputs} == inputs
    assert set(GENERATED) <= set(after)
    assert user_formulas(api, SPREADSHEET_ID) == []
    assert longest_text_sent(api) <= 50_000  # else Google refuses the whole write
