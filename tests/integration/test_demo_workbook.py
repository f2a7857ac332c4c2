"""The demo workbook on disk: read back by the xlsx backend, laid out like `init`, and every
story it was built to tell shows up as an alert."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from sheets_kpi.backends.xlsx import XlsxBackend
from sheets_kpi.core.inputs import validate
from sheets_kpi.core.output.initplan import input_tab_inits
from sheets_kpi.core.output.sheetplan import InputTabInit
from sheets_kpi.core.settings import Config
from sheets_kpi.demo import build_demo, demo_rows

AS_OF = date(2026, 11, 22)


def demo_tab_inits(as_of: date | None = AS_OF) -> list[InputTabInit]:
    """init's plans of the input tabs the demo agency fills: the five of SPEC §2 at least (an
    optional tab of §14 it has no rows for, such as Корректировки, it leaves out)."""
    used = demo_rows(AS_OF)
    assert {"sales", "deals", "activity", "plan", "roster"} <= set(used)
    return [plan for plan in input_tab_inits(Config(), as_of=as_of) if plan.key in used]


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.xlsx"
    build_demo(path, AS_OF, Config())
    return path


def test_read_back_the_demo_has_exactly_the_deliberate_mistakes(demo_path: Path) -> None:
    config = Config()
    raw = XlsxBackend(demo_path).read(validate.wanted_tabs(config))
    inputs = validate.validate(raw, config, AS_OF)
    assert sorted(p.code for p in inputs.problems) == [
        "bad_date",
        "bad_value",
        "duplicate_id",
        "future_date",
        "missing_client",
        "missing_loss_reason",
        "nonpositive_amount",
        "unknown_manager",
    ]
    # amounts typed as text («120 000 ₽») were read as money, not rejected
    assert len(inputs.sales) == len(raw.tabs["Продажи"].rows) - 1 - 6


def test_demo_tabs_are_laid_out_like_init(demo_path: Path, tmp_path: Path) -> None:
    init_path = tmp_path / "init.xlsx"
    XlsxBackend(init_path).init(demo_tab_inits())
    demo_book = openpyxl.load_workbook(demo_path)
    init_book = openpyxl.load_workbook(init_path)
    # the demo's input tabs are init's, in init's order; an empty Сводка follows them
    assert demo_book.sheetnames == [*init_book.sheetnames, "Сводка"]
    for title in init_book.sheetnames:
        demo_sheet, init_sheet = demo_book[title], init_book[title]
        assert [c.value for c in demo_sheet[1]] == [c.value for c in init_sheet[1]]
        assert demo_sheet.freeze_panes == init_sheet.freeze_panes == "A2"

        def lists(sheet: object) -> dict[str, str]:
            return {
                str(v.sqref).split(":")[0]: v.formula1
                for v in sheet.data_validations.dataValidation  # type: ignore[attr-defined]
            }

        assert lists(demo_sheet) == lists(init_sheet)
        # the example row of init and the first demo row have the same kinds of values:
        # the same number format wherever both hold a number or a date
        for demo_cell, init_cell in zip(demo_sheet[2], init_sheet[2], strict=False):
            if isinstance(demo_cell.value, int | float) and isinstance(
                init_cell.value, int | float
            ):
                assert demo_cell.number_format == init_cell.number_format


def test_init_on_the_demo_adds_nothing(demo_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.xlsx"
    copy.write_bytes(demo_path.read_bytes())
    assert XlsxBackend(copy).init(demo_tab_inits(as_of=None)) == []
    assert copy.read_bytes() == demo_path.read_bytes()


def test_every_alert_the_demo_was_built_for_fires(demo_path: Path) -> None:
    pipeline = pytest.importorskip("sheets_kpi.pipeline")
    config = Config()
    inputs = validate.validate(
        XlsxBackend(demo_path).read(validate.wanted_tabs(config)), config, AS_OF
    )
    result = pipeline.compute(inputs, config, AS_OF)
    by_kind: dict[str, set[str | None]] = {}
    for alert in result.alerts:
        by_kind.setdefault(alert.kind, set()).add(alert.manager)
    assert by_kind["plan_missed_2_months"] == {"Мария Лебедева"}
    assert by_kind["plan_spike"] == {"Дмитрий Ковалёв"}
    assert by_kind["possible_fake_client"] == {"Дмитрий Ковалёв"}  # «ИП Мельников», 102 000
    assert by_kind["slow_first_contact"] == {"Сергей Волков"}
    assert by_kind["low_activity"] == {"Сергей Волков"}
    assert "Сергей Волков" in by_kind["stale_deals"]
    assert "shared_client" in by_kind and "data_errors" in by_kind
    # every scheme pays something over the 14 months
    assert {item.scheme for item in result.bonus_items if item.amount > 0} == {
        "tiers",
        "two_step",
        "margin",
        "fixed",
    }
    assert any(item.scheme == "two_step" and item.step == 2 for item in result.bonus_items)
    assert not [p for p in result.problems if p.code == "bad_setting"]
