"""Helpers of the bonus schemes: `schemes.records.rate_kopecks` and `textfmt.kopecks_texts` give
exactly what the `Decimal` path and `kopecks_text` give."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_kpi.core.compute.schemes.records import rate_kopecks
from sheets_kpi.core.textfmt import kopecks_text, kopecks_texts


def _decimal_way(rate: Decimal, kopecks: int) -> Decimal:
    return (rate * Decimal(kopecks).scaleb(-2)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_rate_times_check_rounds_half_up_to_kopecks() -> None:
    # 15 % of 1 000,03 ₽ = 150,0045 → 150,00; 15 % of 1 000,10 ₽ = 150,015 → 150,02 (half up);
    # 50 % of 0,01 ₽ = 0,005 → 0,01
    whole, amounts = rate_kopecks(Decimal("0.15"), np.array([100_003, 100_010], dtype=np.int64))
    assert whole == [15_000, 15_002]
    assert amounts == [Decimal("150.00"), Decimal("150.02")]
    assert rate_kopecks(Decimal("0.5"), np.array([1], dtype=np.int64)) == ([1], [Decimal("0.01")])


def test_negative_margin_keeps_the_decimal_signed_zero() -> None:
    # 10 % of −0,01 ₽ = −0,001 → −0,00 exactly as Decimal rounds it (a negative zero)
    whole, amounts = rate_kopecks(Decimal("0.1"), np.array([-1], dtype=np.int64))
    assert whole == [0]
    assert str(amounts[0]) == "-0.00"


def test_zero_check_at_a_huge_rate_is_zero_kopecks() -> None:
    # 10**19 × 0 ₽ = 0 ₽: the rate itself is beyond int64, so the Decimal way is taken
    assert rate_kopecks(Decimal(10**19), np.array([0], dtype=np.int64)) == ([0], [Decimal("0.00")])


@settings(max_examples=200, deadline=None)
@given(
    coefficient=st.integers(min_value=0, max_value=10**30),
    exponent=st.integers(min_value=-32, max_value=0),
    kopecks=st.lists(st.integers(min_value=-(10**12), max_value=10**15) | st.just(0), max_size=8),
)
def test_integer_half_up_equals_decimal_quantize(
    coefficient: int, exponent: int, kopecks: list[int]
) -> None:
    rate = Decimal(coefficient).scaleb(exponent)
    try:
        expected = [_decimal_way(rate, value) for value in kopecks]
    except InvalidOperation:  # beyond the decimal precision: both ways refuse
        with pytest.raises(InvalidOperation):
            rate_kopecks(rate, np.array(kopecks, dtype=np.int64))
        return
    whole, amounts = rate_kopecks(rate, np.array(kopecks, dtype=np.int64))
    assert [str(amount) for amount in amounts] == [str(amount) for amount in expected]
    assert whole == [int(amount.scaleb(2)) for amount in expected]


@settings(max_examples=200, deadline=None)
@given(
    kopecks=st.lists(st.integers(min_value=-(10**14), max_value=10**14), max_size=8),
    language=st.sampled_from(["ru", "en"]),
)
def test_many_kopeck_texts_read_as_one_at_a_time(kopecks: list[int], language: str) -> None:
    assert kopecks_texts(kopecks, language) == [kopecks_text(k, language) for k in kopecks]  # type: ignore[arg-type]


def test_kopeck_texts_group_thousands_and_show_kopecks_only_when_some() -> None:
    # 10 200 003 kopecks = 102 000,03 ₽; 500 kopecks = 5 ₽
    assert kopecks_texts([10_200_003, 500], "ru") == ["102 000,03", "5"]
    assert kopecks_texts([10_200_003, 500], "en") == ["102,000.03", "5"]
