"""Speed measures of the core that must not change what it computes (benchmarks/README.md).

Speed itself is measured in benchmarks, never here; these tests pin the side conditions."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import date, datetime

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_kpi import pipeline
from sheets_kpi.core.inputs import columns, schema
from sheets_kpi.core.inputs.names import name_column, norm_many

PAUSES: list[Callable[[], AbstractContextManager[None]]] = [pipeline.cycle_collector_paused]


@pytest.fixture
def collector_enabled() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.enable()
    yield
    if not was_enabled:
        gc.disable()


@pytest.mark.parametrize("paused", PAUSES)
def test_cycle_collector_is_paused_inside_and_back_on_after(
    paused: Callable[[], AbstractContextManager[None]], collector_enabled: None
) -> None:
    with paused():
        assert not gc.isenabled()
    assert gc.isenabled()


@pytest.mark.parametrize("paused", PAUSES)
def test_cycle_collector_is_back_on_after_an_error(
    paused: Callable[[], AbstractContextManager[None]], collector_enabled: None
) -> None:
    with pytest.raises(ValueError), paused():
        raise ValueError("boom")
    assert gc.isenabled()


@pytest.mark.parametrize("paused", PAUSES)
def test_cycle_collector_switched_off_by_the_caller_stays_off(
    paused: Callable[[], AbstractContextManager[None]], collector_enabled: None
) -> None:
    gc.disable()
    with paused():
        pass
    assert not gc.isenabled()
    gc.enable()


# The quick paths for plain ASCII text (IDs, invoice numbers) must give what the general
# passes give: these alphabets sit on the border (tabs, double spaces, quotes, an empty cell).
ASCII_BORDER = st.text(st.sampled_from(list("aZ09-_ \t\x1c\"'`")), max_size=6)
ANY_NAME = st.text(st.sampled_from(list('aZё «»"\u00a0\u200b\t ')), max_size=6)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(ASCII_BORDER, ANY_NAME), max_size=8))
def test_norm_many_is_schema_norm_of_each_text(texts: list[str]) -> None:
    assert norm_many(texts) == [schema.norm(text) for text in texts]


@settings(max_examples=200, deadline=None)
@given(st.lists(ASCII_BORDER, min_size=1, max_size=8))
def test_plain_ascii_names_get_schema_keys_and_display(texts: list[str]) -> None:
    names = name_column(pd.Series(texts, dtype=object))
    # blank when nothing but spaces and quotes is left, as schema.norm says
    expected_keys = [schema.norm(text) or None for text in texts]
    assert names.key.tolist() == expected_keys
    expected_display = [schema.display(text) if schema.norm(text) else None for text in texts]
    assert names.display.tolist() == expected_display


def test_ids_without_spaces_are_blank_only_when_empty() -> None:
    column = columns.distinct(pd.Series(["S1", "", "S2", None, "S1"], dtype=object))
    # distinct values S1, "", S2, then the slot for empty cells (None)
    assert column.uniques == ["S1", "", "S2"]
    assert column.blank.tolist() == [False, True, False, True]


def test_every_kind_of_space_in_names_is_collapsed_like_schema_display() -> None:
    # The quick check for "does the space pass have anything to change" must know every
    # character schema treats as a space; a miss would leave it in the display form.
    spaces = [
        char
        for char in map(chr, range(sys.maxunicode + 1))
        if char != " " and schema._SPACES.fullmatch(char)
    ]
    assert "\u00a0" in spaces and "\u200b" in spaces and "\t" in spaces
    for char in spaces:
        texts = [f"Лид{char}1", f"{char}ООО{char}{char}«Альфа»{char}", "Клиент"]
        names = name_column(pd.Series(texts, dtype=object))
        assert names.display.tolist() == [schema.display(text) for text in texts], repr(char)
        assert names.key.tolist() == [schema.norm(text) for text in texts], repr(char)


def test_pandas_na_among_numbers_counts_as_an_empty_cell() -> None:
    # The float64 quick path cannot hold pd.NA; the column falls back to hashing objects.
    parsed = columns.money_column(pd.Series([1000, pd.NA, 250.5, 1000], dtype=object))
    assert parsed.values.tolist() == [100_000, pd.NA, 25_050, 100_000]
    assert parsed.blank.tolist() == [False, True, False, False]
    assert not parsed.failed.any()


_CELLS = st.one_of(
    st.none(),
    st.just(float("nan")),
    st.text(max_size=3),
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2030, 12, 31)),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(-5, 5),
    st.booleans(),
    st.floats(-10, 10, allow_nan=False),
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_CELLS, max_size=12),
    st.sampled_from([[], ["Клиент"], [datetime(2026, 3, 1, 9, 30)]]),
)
def test_distinct_codes_map_every_cell_to_an_equal_value_of_its_kind(
    cells: list[object], first: list[object]
) -> None:
    # Texts and dates take a quick path that reads the column's type from its distinct
    # values only; whatever path a column takes, each filled cell must map to a distinct
    # value equal to it and of its own kind, and the column's flags must say what it holds.
    cells = first + cells
    column = columns.distinct(pd.Series(cells, dtype=object))
    filled = [cell for cell in cells if not (cell is None or cell != cell)]
    for cell, code in zip(cells, column.codes, strict=True):
        if cell is None or cell != cell:
            assert code == -1
            continue
        value = column.uniques[code]
        assert value == cell and isinstance(value, bool) == isinstance(cell, bool)
        assert isinstance(value, datetime) == isinstance(cell, datetime)
        assert isinstance(value, str) == isinstance(cell, str)
    assert len(set(map(repr, column.uniques))) == len(column.uniques)
    assert column.all_text == (bool(filled) and all(isinstance(cell, str) for cell in filled))
    if filled and all(type(cell) is datetime for cell in filled):
        assert column.moments is not None
        assert [pd.Timestamp(moment) for moment in column.moments] == column.uniques
    else:
        assert column.moments is None


_CYCLES_AFTER_VALIDATION = """
import gc, json, sys
from datetime import date
from sheets_kpi.core.settings import Config
from sheets_kpi.core.inputs import validate
from sheets_kpi.core.model import RawTab, RawWorkbook

tabs = json.loads(sys.argv[1])
raw = RawWorkbook(tuple(tabs), {title: RawTab(title, rows) for title, rows in tabs.items()})
gc.collect()
gc.disable()
inputs = validate.validate(raw, Config(), date(2026, 11, 22))
gc.set_debug(gc.DEBUG_SAVEALL)
gc.collect()
codes = sorted({problem.code for problem in inputs.problems})
print(json.dumps({"codes": codes, "left": [type(thing).__name__ for thing in gc.garbage]}))
"""


def test_validation_leaves_no_reference_cycles_for_the_paused_collector() -> None:
    # The core runs with the cycle collector paused, so whatever validation leaves in a
    # reference cycle stays in memory for the whole run. Unreadable cells are the risk: a
    # kept ParseError with its traceback holds the frames (and whole columns) it went through.
    # A fresh process: in the test run, other tests' threads may drop cyclic garbage of their
    # own (credentials, sockets) while validation runs.
    sales = [
        ["Дата", "Менеджер", "Клиент", "Сумма", "Маржа"],
        ["вчера", "Иванова Анна", "Ромашка", "сто", "много"],
        ["03.11.2026", "Иванова Анна", "Ромашка", 100000, None],
        [None, None, None, 5000, None],
    ]
    deals = [
        ["Дата заявки", "Менеджер", "Клиент", "Первый контакт", "Касаний", "Дата закрытия"],
        ["01.11.2026", "Иванова Анна", "Ромашка", "потом", "два", "никогда"],
    ]
    tabs = json.dumps({"Продажи": sales, "Сделки": deals})
    answer = subprocess.run(
        [sys.executable, "-c", _CYCLES_AFTER_VALIDATION, tabs],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    found = json.loads(answer.stdout.strip().splitlines()[-1])
    assert {"bad_date", "bad_amount"} <= set(found["codes"])
    assert found["left"] == []
