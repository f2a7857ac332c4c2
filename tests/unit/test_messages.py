"""The command line's catalogue: counts agree with their nouns in both languages."""

from __future__ import annotations

import pytest

from sheets_kpi.messages import text


@pytest.mark.parametrize(
    ("n", "failing_ru", "again_ru", "failing_en"),
    [
        (1, "1 неудачный цикл подряд", "после 1 неудачного цикла.", "1 failed cycle in"),
        (2, "2 неудачных цикла подряд", "после 2 неудачных циклов.", "2 failed cycles in"),
        (3, "3 неудачных цикла подряд", "после 3 неудачных циклов.", "3 failed cycles in"),
        (5, "5 неудачных циклов подряд", "после 5 неудачных циклов.", "5 failed cycles in"),
        (12, "12 неудачных циклов подряд", "после 12 неудачных циклов.", "12 failed cycles in"),
        (21, "21 неудачный цикл подряд", "после 21 неудачного цикла.", "21 failed cycles in"),
        (24, "24 неудачных цикла подряд", "после 24 неудачных циклов.", "24 failed cycles in"),
    ],
)
def test_failed_cycle_counts_agree_with_their_nouns(
    n: int, failing_ru: str, again_ru: str, failing_en: str
) -> None:
    assert failing_ru in text("failing_in_a_row", "ru", name="Таблица", n=n)
    assert again_ru in text("working_again", "ru", name="Таблица", n=n)
    assert failing_en in text("failing_in_a_row", "en", name="Sheet", n=n)


def test_a_message_without_counts_is_formatted_as_before() -> None:
    assert text("cycle_failed", "ru", name="A", error="{x}") == "A: цикл не удался: {x}"
