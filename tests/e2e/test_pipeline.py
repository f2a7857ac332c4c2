"""pipeline.run_once on an in-memory backend: what is read, what is written, what is counted."""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_kpi.core.model import RawTab, RawWorkbook
from sheets_kpi.core.output.report import Result, to_json
from sheets_kpi.core.output.sheetplan import InputTabInit, TabWrite
from sheets_kpi.core.settings import Config
from sheets_kpi.pipeline import run_once

AS_OF = date(2026, 11, 22)
RUN_AT = datetime(2026, 11, 22, 9, 30, tzinfo=ZoneInfo("Europe/Moscow"))
HEADER = ["Дата", "Менеджер", "Клиент", "Сумма", "Маржа", "Канал", "Тип", "Оплачено"]
SALES: list[list[object]] = [
    ["05.09.2026", "Анна", "Ромашка", "100000", "40000", "входящий", "", "да"],
    ["06.10.2026", "Анна", "Ромашка", "30000", "", "", "", "да"],
    ["07.10.2026", "Борис", "Лютик", "162 000", "", "", "", "да"],
    ["08.11.2026", "Борис", "Лютик", "20000", "", "", "", "да"],
    ["09.11.2026", "Анна", "Василёк", "90000", "", "", "", "нет"],
    ["10.11.2026", "Вера", "Мак", "155000", "", "исходящий", "", "да"],
]


class MemoryBackend:
    """A workbook held in memory: tabs of raw rows in, the last write's plans out."""

    def __init__(self, tabs: dict[str, list[list[object]]]) -> None:
        self.tabs = tabs
        self.writes: list[list[TabWrite]] = []

    def read(self, wanted: Callable[[str], bool]) -> RawWorkbook:
        titles = tuple(self.tabs)
        chosen = {title: RawTab(title, rows) for title, rows in self.tabs.items() if wanted(title)}
        return RawWorkbook(titles, chosen)

    def write(self, plans: Sequence[TabWrite]) -> None:
        self.writes.append(list(plans))

    def init(self, tabs: Sequence[InputTabInit]) -> list[str]:
        return []

    def describe(self) -> str:
        return "memory"


def sales_backend(rows: list[list[object]]) -> MemoryBackend:
    return MemoryBackend({"Продажи": [HEADER, *rows]})


def test_run_writes_the_five_generated_tabs_once() -> None:
    backend = sales_backend(SALES)
    outcome = run_once(backend, Config(), AS_OF, RUN_AT)
    assert outcome.wrote and not outcome.fatal
    assert len(backend.writes) == 1
    assert [plan.key for plan in backend.writes[0]] == [
        "summary",
        "leaderboard",
        "bonuses",
        "monthly",
        "errors",
    ]
    assert all(plan.mode == "replace" for plan in backend.writes[0])


def test_check_mode_computes_but_never_writes() -> None:
    backend = sales_backend(SALES)
    outcome = run_once(backend, Config(), AS_OF, RUN_AT, write=False)
    assert backend.writes == []
    assert outcome.wrote is False
    assert outcome.result is not None


def test_default_tiers_bonus_flows_into_the_result() -> None:
    outcome = run_once(sales_backend(SALES), Config(), AS_OF, RUN_AT, write=False)
    assert outcome.result is not None
    amounts = {(item.client, item.month): item.amount for item in outcome.result.bonus_items}
    # default tiers 100 000 → 25 000, 150 000 → 35 000 on each client's month-1 check:
    # Ромашка 100 000 (2026-09) → 25 000; Лютик 162 000 (2026-10) → 35 000;
    # Мак 155 000 (2026-11) → 35 000; Василёк is unpaid, so it is no client yet.
    assert amounts == {
        ("Ромашка", "2026-09"): 25000,
        ("Лютик", "2026-10"): 35000,
        ("Мак", "2026-11"): 35000,
    }


def test_missing_sales_tab_is_fatal_and_writes_only_errors_and_banner() -> None:
    backend = MemoryBackend({"Заметки": [["что-то"]]})
    outcome = run_once(backend, Config(), AS_OF, RUN_AT)
    assert outcome.fatal
    assert outcome.result is None
    assert [problem.code for problem in outcome.problems] == ["missing_tab"]
    assert outcome.error_count == 1 and outcome.warning_count == 0
    plans = backend.writes[0]
    assert {plan.key: plan.mode for plan in plans} == {"summary": "banner", "errors": "replace"}
    # never calculated before (no Сводка yet): the banner does not promise earlier figures
    banner = next(plan for plan in plans if plan.key == "summary").rows[0][0].value
    assert isinstance(banner, str) and banner.startswith("⚠ Посчитать не удалось")


def test_missing_required_column_is_fatal() -> None:
    header = [name for name in HEADER if name != "Сумма"]
    backend = MemoryBackend({"Продажи": [header, ["05.09.2026", "Анна", "Ромашка"]]})
    outcome = run_once(backend, Config(), AS_OF, RUN_AT, write=False)
    assert outcome.fatal
    assert "missing_column" in {problem.code for problem in outcome.problems}


def test_errors_and_warnings_are_counted_separately() -> None:
    rows = [
        *SALES,
        ["31.02.2026", "Анна", "Ромашка", "100", "", "", "", "да"],  # row 8: bad_date
        ["11.11.2026", "Вера", "Мак", "1000", "", "по звонку", "", "да"],  # row 9: bad_value
    ]
    outcome = run_once(sales_backend(rows), Config(), AS_OF, RUN_AT, write=False)
    assert outcome.error_count == 1
    assert outcome.warning_count == 1
    assert [(problem.row, problem.code) for problem in outcome.problems] == [
        (8, "bad_date"),
        (9, "bad_value"),
    ]


@functools.cache
def clean_result() -> Result:
    result = run_once(sales_backend(SALES), Config(), AS_OF, RUN_AT, write=False).result
    assert result is not None
    return result


def report_of(rows: list[list[object]]) -> str:
    outcome = run_once(sales_backend(rows), Config(), AS_OF, RUN_AT, write=False)
    assert outcome.result is not None
    return to_json(outcome.result)


@settings(max_examples=5, deadline=None)
@given(st.randoms(use_true_random=False))
def test_shuffling_rows_with_distinct_dates_keeps_the_figures(shuffler: random.Random) -> None:
    # Every row has its own date, so sheet order decides nothing (no ties for the acquiring
    # manager); only the row numbers inside problems could change, and there are none.
    shuffled = SALES.copy()
    shuffler.shuffle(shuffled)
    assert report_of(shuffled) == to_json(clean_result())


@settings(max_examples=5, deadline=None)
@given(
    st.sampled_from(
        [
            ["31.02.2026", "Анна", "Ромашка", "100", "", "", "", "да"],  # bad_date
            ["01.12.2026", "Борис", "Лютик", "100", "", "", "", "да"],  # future_date
            ["01.11.2026", "", "Лютик", "100", "", "", "", "да"],  # missing_manager
            ["01.11.2026", "Вера", "", "100", "", "", "", "да"],  # missing_client
            ["01.11.2026", "Вера", "Мак", "сто", "", "", "", "да"],  # bad_amount
            ["01.11.2026", "Вера", "Мак", "0", "", "", "", "да"],  # nonpositive_amount
        ]
    ),
    st.integers(min_value=0, max_value=len(SALES)),
)
def test_an_error_row_never_changes_the_valid_rows_figures(
    bad_row: list[object], position: int
) -> None:
    rows = [*SALES[:position], bad_row, *SALES[position:]]
    clean = clean_result()
    dirty = run_once(sales_backend(rows), Config(), AS_OF, RUN_AT, write=False).result
    assert dirty is not None
    assert len(dirty.problems) == 1 and dirty.problems[0].severity == "error"
    figures = ["month", "manager", "revenue", "payments", "new_clients", "bonus"]
    assert dirty.monthly[figures].equals(clean.monthly[figures])
    assert dirty.team.equals(clean.team)
    assert [item.amount for item in dirty.bonus_items] == [
        item.amount for item in clean.bonus_items
    ]


def test_unchanged_inputs_are_skipped_when_asked() -> None:
    backend = sales_backend(SALES)
    first = run_once(backend, Config(), AS_OF, RUN_AT)
    again = run_once(backend, Config(), AS_OF, RUN_AT, skip_if=first.fingerprint)
    assert again.unchanged and not again.wrote
    assert len(backend.writes) == 1
    # a later day of the same month with the same inputs is still unchanged (SPEC §12) ...
    later = run_once(backend, Config(), date(2026, 11, 23), RUN_AT, skip_if=first.fingerprint)
    assert later.unchanged
    # ... but a new month, or a changed cell, is not
    december = run_once(backend, Config(), date(2026, 12, 1), RUN_AT, skip_if=first.fingerprint)
    assert not december.unchanged
    backend.tabs["Продажи"][1] = [*SALES[0][:3], "100001", *SALES[0][4:]]
    changed = run_once(backend, Config(), AS_OF, RUN_AT, skip_if=first.fingerprint)
    assert not changed.unchanged and changed.wrote
