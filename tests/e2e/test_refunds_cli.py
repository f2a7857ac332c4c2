"""SPEC §14 refunds through the command line on a local workbook: a refund row counts, its
clawback reaches `Бонусы`, `Помесячно` and the JSON report (step null, a negative amount), and
a re-run gives the same report byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from sheets_kpi.cli import main

AS_OF = "2026-11-22"
HEADER = ["Дата", "Менеджер", "Клиент", "Сумма", "Маржа", "Канал", "Тип", "Оплачено"]
SALES: list[list[object]] = [
    ["10.09.2026", "Анна", "Ромашка", "120 000", None, None, "новый", "да"],
    ["15.10.2026", "Анна", "Ромашка", "-20 000", None, None, "возврат", None],  # row 3
    ["15.10.2026", "Борис", "Лютик", "-5 000", None, None, "возврат", None],  # row 4: never paid
]


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)


def workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Продажи"
    for row in (HEADER, *SALES):
        sheet.append(row)
    book.save(path)
    return path


def test_a_refund_and_its_clawback_through_run_once(tmp_path: Path) -> None:
    book = workbook(tmp_path / "book.xlsx")
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    for report in (first, second):
        args = ["run", "--once", "--xlsx", str(book), "--as-of", AS_OF, "--report", str(report)]
        assert main(args) == 0
    assert first.read_bytes() == second.read_bytes()
    data = json.loads(first.read_text(encoding="utf-8"))
    assert [(e["row"], e["code"]) for e in data["errors"]] == [(4, "refund_without_payment")]
    # tiers: check 120 000 → 25 000 in September; the October refund of 20 000 claws back
    # 25 000 × 20 000 / 120 000 = 4 166,67 from Анна in October
    assert [
        (i["month"], i["scheme"], i["step"], i["for_month"], i["amount"])
        for i in data["bonus_items"]
    ] == [
        ("2026-09", "tiers", 1, None, 25000),
        ("2026-10", "clawback", None, None, -4166.67),
    ]
    october = next(m for m in data["monthly"] if m["month"] == "2026-10")
    assert (october["revenue"], october["payments"], october["bonus"]) == (-20000, 0, -4166.67)

    written = openpyxl.load_workbook(book)
    lines = [
        row
        for row in written["Бонусы"].iter_rows(min_row=2, values_only=True)
        if row[4] == "возврат бонуса"  # the Russian label of a clawback line
    ]
    assert len(lines) == 1
    manager, month, amount, client, _, step = lines[0][:6]
    assert (manager, month, amount, client, step) == ("Анна", "2026-10", -4166.67, "Ромашка", None)
    assert lines[0][8].startswith("возврат 20 000 по «Ромашка» (строка 3, 2026-10)")
    # the input tab is left as it was
    assert [list(r) for r in written["Продажи"].iter_rows(min_row=2, values_only=True)] == SALES
