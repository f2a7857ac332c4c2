"""The (ru, en) word catalogues of the generated tabs (core/output/labels.py, texts.py)."""

from __future__ import annotations

from string import Formatter

import pytest

from sheets_kpi.core.output import labels, texts
from sheets_kpi.core.output.initplan import example_rows, list_label, list_values

CATALOGUES = {
    "COLUMNS": labels.COLUMNS,
    "STATUS": labels.STATUS,
    "VALUES": labels.VALUES,
    "TITLES": texts.TITLES,
    "NOTES": texts.NOTES,
    "BANNERS": texts.BANNERS,
}


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


def test_every_key_lives_in_exactly_one_catalogue() -> None:
    seen: dict[str, str] = {}
    for name, catalogue in CATALOGUES.items():
        for key in catalogue:
            assert key not in seen, f"{key} is in both {seen[key]} and {name}"
            seen[key] = name


@pytest.mark.parametrize("name", CATALOGUES)
def test_both_languages_say_something_with_the_same_placeholders(name: str) -> None:
    for key, (ru, en) in CATALOGUES[name].items():
        assert ru.strip() and en.strip(), key
        assert _placeholders(ru) == _placeholders(en), key


def test_label_reads_words_and_sentences_in_the_configured_language() -> None:
    assert labels.label("revenue", "ru") == "Выручка"
    assert labels.label("revenue", "en") == "Revenue"
    assert labels.label("no_errors", "en") == "No errors: every row was taken into account"
    assert labels.label("fatal_more", "ru", count=2) == " (и ещё 2 — см. список)"
    assert labels.month_label("2026-01", "en") == "January 2026"
    assert labels.month_label("2026-12", "ru") == "декабрь 2026"


def test_init_lists_and_example_names_follow_the_language() -> None:
    assert list_label("paid", "yes", "ru") == "да"
    assert list_label("paid", "yes", "en") == "yes"
    assert "да" in list_values("paid", "ru") and "да" not in list_values("paid", "en")
    # one made-up manager across the example rows, named and marked in the book's language
    # (issue 20: the mark «Пример: » sets the example rows aside)
    russian, english = example_rows("ru"), example_rows("en")
    every_tab = ("sales", "deals", "activity", "plan", "roster")
    assert {russian[tab]["manager"] for tab in every_tab} == {"Пример: Анна Смирнова"}
    assert english["sales"]["manager"] == "Example: Anna Smirnova"
    assert english["sales"]["client"] == "Romashka LLC" and english["sales"]["paid"] == "yes"
