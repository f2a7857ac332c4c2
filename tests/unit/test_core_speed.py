"""Speed measures of the core that must not change what it computes (benchmarks/README.md).

Speed itself is measured in benchmarks, never here; these tests pin the side conditions."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_kpi import pipeline
from sheets_kpi.core import parse, schema

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
    assert parse.norm_many(texts) == [schema.norm(text) for text in texts]


@settings(max_examples=200, deadline=None)
@given(st.lists(ASCII_BORDER, min_size=1, max_size=8))
def test_plain_ascii_names_get_schema_keys_and_display(texts: list[str]) -> None:
    names = parse.name_column(pd.Series(texts, dtype=object))
    # blank when nothing but spaces and quotes is left, as schema.norm says
    expected_keys = [schema.norm(text) or None for text in texts]
    assert names.key.tolist() == expected_keys
    expected_display = [schema.display(text) if schema.norm(text) else None for text in texts]
    assert names.display.tolist() == expected_display


def test_ids_without_spaces_are_blank_only_when_empty() -> None:
    column = parse.distinct(pd.Series(["S1", "", "S2", None, "S1"], dtype=object))
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
        names = parse.name_column(pd.Series(texts, dtype=object))
        assert names.display.tolist() == [schema.display(text) for text in texts], repr(char)
        assert names.key.tolist() == [schema.norm(text) for text in texts], repr(char)


def test_pandas_na_among_numbers_counts_as_an_empty_cell() -> None:
    # The float64 quick path cannot hold pd.NA; the column falls back to hashing objects.
    parsed = parse.money_column(pd.Series([1000, pd.NA, 250.5, 1000], dtype=object))
    assert parsed.values.tolist() == [100_000, pd.NA, 25_050, 100_000]
    assert parsed.blank.tolist() == [False, True, False, False]
    assert not parsed.failed.any()
