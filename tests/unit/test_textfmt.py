"""Numbers inside sentences (core/textfmt.py) and the label helpers (core/labels.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sheets_kpi.core.output.labels import label, month_label, scheme_label, severity_label
from sheets_kpi.core.textfmt import (
    format_money,
    format_percent,
    money_text,
    number_text,
    percent_text,
    plural_ru,
)


def test_alert_money_groups_thousands_by_language_and_shows_kopecks_only_when_some() -> None:
    # 10 200 000 kopecks = 102 000 ₽; 10 200 003 kopecks = 102 000,03 ₽
    assert money_text(10_200_000, "ru") == "102 000 ₽"
    assert money_text(10_200_003, "ru") == "102 000,03 ₽"
    assert money_text(10_200_003, "en") == "102,000.03 ₽"


def test_bonus_money_groups_like_messages_and_rounds_half_up() -> None:
    # 1 234.565 → 1,234.57 (half-up to kopecks); English groups thousands with a comma,
    # the same written form as in messages (money_text)
    assert format_money(Decimal("1234.565"), "en") == "1,234.57"
    assert format_money(Decimal("-1500"), "ru") == "-1 500"


def test_bonus_percent_drops_trailing_zeros() -> None:
    # 0.100 → 10 %, 0.075 → 7,5 % (decimal comma in Russian)
    assert format_percent(Decimal("0.100"), "ru") == "10 %"
    assert format_percent(Decimal("0.075"), "ru") == "7,5 %"


def test_alert_percent_is_cut_not_rounded_so_it_never_reads_100() -> None:
    # 0.9996 → 99.96 % → cut to 99.9 %, not rounded to 100 %
    assert percent_text(0.9996, "ru") == "99,9 %"
    assert percent_text(0.9996, "en") == "99.9%"


def test_number_text_shows_one_decimal_only_when_needed() -> None:
    assert number_text(24.0, "ru") == "24"
    assert number_text(30.46, "ru") == "30,5"
    assert number_text(30.46, "en") == "30.5"


@pytest.mark.parametrize(
    ("count", "form"),
    [(1, "ошибка"), (2, "ошибки"), (5, "ошибок"), (11, "ошибок"), (12, "ошибок"), (21, "ошибка")],
)
def test_russian_plural_follows_the_last_digits(count: int, form: str) -> None:
    assert plural_ru(count, "ошибка", "ошибки", "ошибок") == form


def test_month_label_names_the_month_and_keeps_an_unreadable_month_as_it_is() -> None:
    assert month_label("2026-09", "ru") == "сентябрь 2026"
    assert month_label("2026-09", "en") == "September 2026"
    assert month_label("сентябрь", "ru") == "сентябрь"


def test_labels_fill_placeholders_and_unknown_codes_pass_through() -> None:
    assert label("team_title", "en", month="May 2026") == "Team — May 2026"
    assert severity_label("notice", "ru") == "notice"
    assert scheme_label("no_such_scheme", "ru") == "no_such_scheme"
