"""Raw cell → typed value (SPEC §2.6): every accepted form, and every form that must not be
guessed."""

from __future__ import annotations

import math
from datetime import date, datetime, time

import pandas as pd
import pytest

from sheets_kpi.core.inputs.columns import (
    blank_mask,
    choice_column,
    count_column,
    date_column,
    distinct,
    money_column,
)
from sheets_kpi.core.inputs.dates import parse_date, parse_month
from sheets_kpi.core.inputs.names import name_column
from sheets_kpi.core.inputs.parse import (
    ParseError,
    parse_choice,
    parse_count,
    parse_money,
    parse_yes_no,
)
from sheets_kpi.core.inputs.schema import CHANNELS, STATUSES

# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "03.11.2026",
        "3.11.2026",
        "03.11.26",
        "2026-11-03",
        "03/11/2026",
        " 03.11.2026 ",
        "03.11.2026 г.",
        datetime(2026, 11, 3),
        date(2026, 11, 3),
        pd.Timestamp(2026, 11, 3),
        46329,  # Excel 1900 serial of 2026-11-03
        46329.0,
    ],
)
def test_every_date_form_reads_the_same_day(raw: object) -> None:
    assert parse_date(raw) == datetime(2026, 11, 3)


def test_two_digit_year_means_this_century() -> None:
    assert parse_date("01.02.99") == datetime(2099, 2, 1)


def test_slash_date_is_day_first() -> None:
    # 04/11/2026 is 4 November, never April 11th.
    assert parse_date("04/11/2026") == datetime(2026, 11, 4)


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (1, datetime(1900, 1, 1)),
        (59, datetime(1900, 2, 28)),
        (61, datetime(1900, 3, 1)),
        (45658, datetime(2025, 1, 1)),
    ],
)
def test_serial_numbers_follow_the_excel_1900_system(serial: int, expected: datetime) -> None:
    assert parse_date(serial) == expected


@pytest.mark.parametrize("serial", [60, 0, -5, 0.5, math.nan, math.inf, 10**8])
def test_serials_that_are_no_day_are_bad_date(serial: float) -> None:
    # 60 is Lotus' phantom 29 February 1900.
    with pytest.raises(ParseError) as caught:
        parse_date(serial)
    assert caught.value.code == "bad_date"


def test_serial_fraction_is_the_time_of_day_when_time_is_allowed() -> None:
    # 46329.75 = 2026-11-03 + 0.75 × 24 h = 18:00.
    assert parse_date(46329.75, allow_time=True) == datetime(2026, 11, 3, 18, 0)
    assert parse_date(46329.75) == datetime(2026, 11, 3)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("03.11.2026 14:30", datetime(2026, 11, 3, 14, 30)),
        ("2026-11-03 9:05:07", datetime(2026, 11, 3, 9, 5, 7)),
        ("2026-11-03T14:30", datetime(2026, 11, 3, 14, 30)),
        ("03/11/2026 00:15", datetime(2026, 11, 3, 0, 15)),
        (datetime(2026, 11, 3, 14, 30), datetime(2026, 11, 3, 14, 30)),
    ],
)
def test_date_times_keep_their_time_when_allowed(raw: object, expected: datetime) -> None:
    assert parse_date(raw, allow_time=True) == expected


def test_a_date_column_drops_the_time_part() -> None:
    # Decision: a payment typed with its hour still counts for its day.
    assert parse_date("03.11.2026 23:59") == datetime(2026, 11, 3)
    assert parse_date(datetime(2026, 11, 3, 23, 59)) == datetime(2026, 11, 3)


@pytest.mark.parametrize(
    "raw",
    [
        "31.02.2026",
        "29.02.2025",
        "00.00.0000",
        "32.01.2026",
        "15.13.2026",
        "2026/11/03",
        "03-11-2026",
        "11/2026",
        "вчера",
        "03.11.2026 25:00",
        "03.11.2026 14:61",
        "46329",  # text digits are not a serial
        True,
        False,
        time(14, 30),
        None,
        "  ",
    ],
)
def test_impossible_or_unknown_dates_are_bad_date_never_guessed(raw: object) -> None:
    with pytest.raises(ParseError) as caught:
        parse_date(raw, allow_time=True)
    assert caught.value.code == "bad_date"
    assert "03.11.2026" in caught.value.hint  # the hint shows how to write a date


def test_leap_day_of_a_leap_year_is_a_date() -> None:
    assert parse_date("29.02.2028") == datetime(2028, 2, 29)


# --- money --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "kopecks"),
    [
        (100000, 10_000_000),
        (100000.0, 10_000_000),
        (100000.5, 10_000_050),
        ("100000", 10_000_000),
        ("100 000", 10_000_000),
        ("100\u00a0000", 10_000_000),  # non-breaking space
        ("100\u202f000", 10_000_000),  # narrow no-break space
        ("100\u2009000", 10_000_000),  # thin space
        ("1 000 000", 100_000_000),
        ("100 000,50", 10_000_050),
        ("100000.5", 10_000_050),
        ("100000,5", 10_000_050),
        ("100 000 ₽", 10_000_000),
        ("100000₽", 10_000_000),
        ("100000 руб.", 10_000_000),
        ("100000 руб", 10_000_000),
        ("100 000 р.", 10_000_000),
        ("100 000 р", 10_000_000),
        ("100 000 РУБ.", 10_000_000),
        ("0,50", 50),
        ("1234,567", 123_457),  # four digits before the comma: it can only be decimals
        ("100 000,505", 10_000_051),  # spaces group the thousands, so the comma is decimal
        ("-100", -10_000),
        ("−100", -10_000),  # typographic minus
        ("-0", 0),
        ("0", 0),
    ],
)
def test_every_money_form_reads_as_kopecks(raw: object, kopecks: int) -> None:
    assert parse_money(raw) == kopecks


@pytest.mark.parametrize(
    ("raw", "kopecks"),
    [
        (1.005, 101),  # typed 1,005 → half-up → 1,01
        ("1 000,005", 100001),  # grouped thousands, so 0,005 → half-up → 0,01
        ("0,125", 13),
        (0.125, 13),
        (2.675, 268),  # float 2.675 is 2.67499…; the typed value 2,675 rounds half-up
        ("-0,005", -1),
    ],
)
def test_money_rounds_half_up_to_kopecks(raw: object, kopecks: int) -> None:
    assert parse_money(raw) == kopecks


@pytest.mark.parametrize(
    "raw",
    [
        "1.000.000",
        "1,000,000.50",
        "1.000,50",
        "100,505",  # 100 505 roubles or 100,505 roubles?
        "1,005",
        "10.004",
        "1.000",
        "1 00 000",
        "100 0000",
        "сто тысяч",
        "100к",
        "",
        "   ",
        None,
        True,
        math.nan,
        math.inf,
        -math.inf,
        "1e5",
        "₽",
        "--100",
        "10**20",
    ],
)
def test_ambiguous_or_unreadable_money_is_bad_amount(raw: object) -> None:
    with pytest.raises(ParseError) as caught:
        parse_money(raw)
    assert caught.value.code == "bad_amount"
    assert caught.value.hint


def test_ambiguous_money_hint_explains_the_two_readings() -> None:
    with pytest.raises(ParseError) as caught:
        parse_money("100,505")
    assert "100 505" in caught.value.hint and "100,50" in caught.value.hint


def test_a_trillion_roubles_is_a_typo() -> None:
    with pytest.raises(ParseError):
        parse_money(10**13)


# --- counts, months, lists ----------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "count"), [(3, 3), (3.0, 3), ("3", 3), (" 12 ", 12), (0, 0)])
def test_counts_are_whole_non_negative_numbers(raw: object, count: int) -> None:
    assert parse_count(raw) == count


@pytest.mark.parametrize("raw", [2.5, "2.5", -1, "-1", "три", True, math.nan, None])
def test_fractional_negative_or_text_counts_are_bad_count(raw: object) -> None:
    with pytest.raises(ParseError) as caught:
        parse_count(raw)
    assert caught.value.code == "bad_count"


@pytest.mark.parametrize(
    "raw",
    [
        "2026-11",
        "2026-11-03",
        "11.2026",
        "ноябрь 2026",
        "Ноябрь 2026",
        "НОЯБРЬ 2026",
        "ноября 2026",
        "нояб. 2026",
        "ноябрь 2026 г.",
        "November 2026",
        "nov 2026",
        "15.11.2026",
        date(2026, 11, 30),
        datetime(2026, 11, 1, 10, 0),
        46329,  # serial of 2026-11-03
    ],
)
def test_every_month_form_reads_as_yyyy_mm(raw: object) -> None:
    assert parse_month(raw) == "2026-11"


@pytest.mark.parametrize("raw", ["13.2026", "2026-13", "ноябрь", "2026", "брюмер 2026", None])
def test_unreadable_months_are_errors(raw: object) -> None:
    with pytest.raises(ParseError):
        parse_month(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("да", True), ("Да", True), ("yes", True), ("нет", False), ("No", False), (True, True)],
)
def test_yes_no(raw: object, expected: bool) -> None:
    assert parse_yes_no(raw) is expected


def test_yes_no_outside_the_list_is_bad_value() -> None:
    with pytest.raises(ParseError) as caught:
        parse_yes_no("может быть")
    assert caught.value.code == "bad_value"


def test_list_values_ignore_case_and_yo() -> None:
    assert parse_choice(CHANNELS, " Входящий ") == "inbound"
    assert parse_choice(STATUSES, "выиграна") == "won"
    with pytest.raises(ParseError) as caught:
        parse_choice(CHANNELS, "сарафан")
    assert caught.value.code == "bad_value"
    assert "входящий" in caught.value.hint


def test_english_hint_when_asked() -> None:
    with pytest.raises(ParseError) as caught:
        parse_money("abc")
    assert caught.value.text("en").startswith("«abc» is not an amount")


# --- column helpers -----------------------------------------------------------------------------


def test_date_column_maps_distinct_values_back_to_their_rows() -> None:
    raw = pd.Series(["03.11.2026", None, 46329, "31.02.2026", "03.11.2026"], index=[2, 3, 4, 5, 6])
    parsed = date_column(raw)
    assert list(parsed.values.index) == [2, 3, 4, 5, 6]
    assert str(parsed.values.dtype) == "datetime64[ns]"
    assert parsed.values[2] == pd.Timestamp(2026, 11, 3) == parsed.values[4] == parsed.values[6]
    assert pd.isna(parsed.values[3]) and pd.isna(parsed.values[5])
    assert parsed.blank.tolist() == [False, True, False, False, False]
    assert parsed.code.tolist() == [None, None, None, "bad_date", None]
    assert parsed.ok.tolist() == [True, False, True, False, True]


def test_money_column_vector_path_agrees_with_parse_money() -> None:
    values = [100000.0, 1.005, 0.125, 2.675, 99.99, 123, "100 000 ₽", "1.000", None, -5.5]
    parsed = money_column(pd.Series(values, dtype=object))
    for raw, got, code in zip(values, parsed.values, parsed.code, strict=True):
        if raw is None:
            assert pd.isna(got)
        elif code is None:
            assert got == parse_money(raw)
        else:
            with pytest.raises(ParseError):
                parse_money(raw)


def test_money_column_of_plain_numbers_is_int64_kopecks() -> None:
    parsed = money_column(pd.Series([1500.0, None, 2500.25, 1500.0], dtype=object))
    assert str(parsed.values.dtype) == "Int64"
    assert parsed.values.tolist() == [150000, pd.NA, 250025, 150000]
    assert parsed.blank.tolist() == [False, True, False, False]


def test_true_is_never_read_as_one() -> None:
    # Python's True == 1 hashes alike; a checkbox in a count column is still an error.
    parsed = count_column(pd.Series([1, True, 1.0, False, 0], dtype=object))
    assert parsed.values.tolist() == [1, pd.NA, 1, pd.NA, 0]
    assert parsed.code.tolist() == [None, "bad_count", None, "bad_count", None]


def test_blank_cells_are_none_nan_or_spaces() -> None:
    raw = pd.Series([None, "", "  ", "\u00a0", math.nan, "x", 0], dtype=object)
    assert blank_mask(raw).tolist() == [True, True, True, True, True, False, False]


def test_choice_column_flags_values_outside_the_list() -> None:
    parsed = choice_column(pd.Series(["входящий", "Исходящий", "сарафан", None]), CHANNELS)
    assert parsed.values.tolist() == ["inbound", "outbound", None, None]
    assert parsed.code.tolist() == [None, None, "bad_value", None]


def test_name_column_keys_ignore_case_yo_quotes_and_spaces() -> None:
    raw = pd.Series(
        ["Ёлкин  Пётр", "ёлкин пётр", "«Елкин Петр»", ' "ЕЛКИН ПЕТР" ', "", "«»", 42.0, None],
        dtype=object,
    )
    names = name_column(raw)
    assert names.key.tolist() == ["елкин петр"] * 4 + [None, None, "42", None]
    assert names.display.tolist()[:4] == [
        "Ёлкин Пётр",
        "ёлкин пётр",
        "«Елкин Петр»",
        '"ЕЛКИН ПЕТР"',
    ]
    assert names.blank.tolist() == [False] * 4 + [True, True, False, True]


def test_a_distinct_column_can_be_shared_by_several_helpers() -> None:
    column = distinct(pd.Series(["100", "200", "100", None], dtype=object))
    assert money_column(column).values.tolist() == [10000, 20000, 10000, pd.NA]
    assert count_column(column).values.tolist() == [100, 200, 100, pd.NA]
