"""Properties of parsing (SPEC §2.6): every allowed way of writing a value reads the same."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_kpi.core.inputs import schema
from sheets_kpi.core.inputs.columns import money_column
from sheets_kpi.core.inputs.dates import parse_date
from sheets_kpi.core.inputs.names import missing_names, name_column
from sheets_kpi.core.inputs.parse import ParseError, parse_money

SPACES = [" ", "\u00a0", "\u202f", "\u2009"]
SUFFIXES = ["", " ₽", "₽", " руб.", " руб", " р.", " р", "\u00a0₽"]


def grouped(roubles: int, separator: str) -> str:
    text = f"{roubles:,}"
    return text.replace(",", separator)


@st.composite
def money_forms(draw: st.DrawFn) -> tuple[int, str]:
    """(kopecks, one way a person writes that amount as text)."""
    kopecks = draw(st.integers(min_value=0, max_value=10**11))
    roubles, cents = divmod(kopecks, 100)
    whole = draw(st.sampled_from([str(roubles), grouped(roubles, draw(st.sampled_from(SPACES)))]))
    decimal_mark = draw(st.sampled_from([",", "."]))
    if cents == 0:
        fraction = draw(st.sampled_from(["", f"{decimal_mark}00", f"{decimal_mark}0"]))
    elif cents % 10 == 0:
        fraction = draw(
            st.sampled_from([f"{decimal_mark}{cents:02d}", f"{decimal_mark}{cents // 10}"])
        )
    else:
        fraction = f"{decimal_mark}{cents:02d}"
    text = whole + fraction
    suffix = draw(st.sampled_from(SUFFIXES))
    padding = draw(st.sampled_from(["", " ", "\u00a0"]))
    return kopecks, f"{padding}{text}{suffix}{padding}"


@settings(max_examples=150, deadline=None)
@given(money_forms())
def test_money_in_any_allowed_text_form_reads_the_same_kopecks(form: tuple[int, str]) -> None:
    kopecks, text = form
    assert parse_money(text) == kopecks
    assert parse_money("-" + text.strip()) == -kopecks


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=10**11))
def test_money_as_a_number_reads_the_same_as_text(kopecks: int) -> None:
    roubles, cents = divmod(kopecks, 100)
    as_float = float(f"{roubles}.{cents:02d}")
    assert parse_money(as_float) == kopecks
    assert parse_money(f"{roubles},{cents:02d}") == kopecks
    column = money_column(pd.Series([as_float, f"{roubles},{cents:02d}", None], dtype=object))
    assert column.values.tolist() == [kopecks, kopecks, pd.NA]


@settings(max_examples=150, deadline=None)
@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
def test_money_column_agrees_with_parse_money_for_any_float(number: float) -> None:
    column = money_column(pd.Series([number], dtype=object))
    assert column.values.tolist() == [parse_money(number)]


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_a_date_in_any_allowed_form_reads_the_same_day(day: date) -> None:
    expected = datetime(day.year, day.month, day.day)
    serial = (day - date(1899, 12, 30)).days
    forms: list[object] = [
        day.strftime("%d.%m.%Y"),
        day.strftime("%d.%m.%y"),
        day.strftime("%Y-%m-%d"),
        day.strftime("%d/%m/%Y"),
        f"{day.day}.{day.month}.{day.year}",
        serial,
        float(serial),
        day,
        expected,
        expected + timedelta(hours=13, minutes=5),
    ]
    for form in forms:
        assert parse_date(form) == expected, form


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="0123456789./-: ", max_size=12))
def test_a_date_is_never_guessed_from_parts_that_are_not_there(text: str) -> None:
    # Whatever is typed, either it is bad_date or its day, month and year are all written in it.
    try:
        moment = parse_date(text)
    except ParseError as error:
        assert error.code == "bad_date"
        return
    numbers = [int(group) for group in re.findall(r"\d+", text)]
    assert moment.day in numbers and moment.month in numbers
    assert moment.year in numbers or moment.year - 2000 in numbers


LETTERS = "абвгдеёжзийклмнопрстуфхцчшщыэюяabcdefxyz"


@st.composite
def name_variants(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A name and ways of writing it that differ only in case, ё/е, spaces and quotes."""
    words = draw(
        st.lists(st.text(alphabet=LETTERS, min_size=1, max_size=6), min_size=1, max_size=3)
    )
    base = " ".join(words)
    variants = []
    for _ in range(4):
        text = "".join(
            draw(st.sampled_from([char, char.upper()])) if char != " " else " " for char in base
        )
        if draw(st.booleans()):
            text = text.replace("е", "ё").replace("Е", "Ё")
        else:
            text = text.replace("ё", "е").replace("Ё", "Е")
        gap = draw(st.sampled_from([" ", "  ", "\u00a0", " \u00a0 ", "\t"]))
        text = text.replace(" ", gap)
        opening, closing = draw(st.sampled_from([("", ""), ("«", "»"), ('"', '"'), ("“", "”")]))
        outer = draw(st.sampled_from(["", " ", "  "]))
        variants.append(f"{outer}{opening}{text}{closing}{outer}")
    return base, variants


@settings(max_examples=100, deadline=None)
@given(name_variants())
def test_names_differing_in_case_yo_spaces_and_quotes_have_one_key(
    sample: tuple[str, list[str]],
) -> None:
    base, variants = sample
    names = name_column(pd.Series([base, *variants], dtype=object))
    assert set(names.key) == {schema.norm(base)}


ANY_TEXT = st.text(
    alphabet=st.sampled_from(list("aAёЁеЕxX«»\"'“”„‘’` \t\n.\u00a0\u2009\u202f\u200b\ufeff1")),
    max_size=10,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(ANY_TEXT, min_size=1, max_size=8))
def test_name_column_agrees_with_schema_norm_and_display(texts: list[str]) -> None:
    names = name_column(pd.Series(texts, dtype=object))
    for text, key, shown in zip(texts, names.key, names.display, strict=True):
        if schema.norm(text):
            assert key == schema.norm(text)
            assert shown == schema.display(text)
        else:  # empty, spaces or quotes only: as good as an empty cell
            assert key is None and shown is None


NAME_CELLS = st.one_of(
    ANY_TEXT,
    st.text(alphabet=st.sampled_from(list(" a«\x00")), max_size=4),  # the joining separator
    st.none(),
    st.just(float("nan")),
    st.integers(min_value=-5, max_value=5),
    st.floats(allow_nan=False, allow_infinity=False),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(NAME_CELLS, max_size=8))
def test_missing_names_agrees_with_name_column(cells: list[object]) -> None:
    """The deals' clients are checked cell by cell without keying: the same empty cells."""
    values = np.empty(len(cells), dtype=object)
    values[:] = cells
    expected = name_column(pd.Series(values, dtype=object)).blank.tolist()
    assert missing_names(values).tolist() == expected
