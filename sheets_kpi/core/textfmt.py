"""Numbers and names inside sentences: money, percents, counts, Russian plural nouns, and
client names in quotes.

Tabs carry numbers as numbers with a number format (`core/render.py`); these helpers are for the
numbers a message or an explanation spells out. Money has one written form, `kopecks_text`:
`100 000,03` in Russian, `100,000.03` in English, kopecks only when there are some; bonus
explanations use it bare, messages add ` ₽` (`money_text`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from sheets_kpi.core.inputs.schema import Language

_KOPECK = Decimal("0.01")
LANGUAGES: tuple[Language, Language] = ("ru", "en")  # the order of every (ru, en) catalogue


def pick(texts: tuple[str, str], language: Language) -> str:
    """The text of a (ru, en) pair in the output language."""
    return texts[LANGUAGES.index(language)]


# Digit grouping, decimal point and percent sign, (ru, en).
_THOUSANDS = (" ", ",")
_POINT = (",", ".")
_GROUPING: dict[Language, str] = {language: pick(_THOUSANDS, language) for language in LANGUAGES}
_PERCENT_SIGN = (" %", "%")
# The kopecks part of a money text by the number of kopecks: none when 0, else `,03` / `.03`.
_CENTS: dict[Language, list[str]] = {
    language: [""] + [f"{pick(_POINT, language)}{cents:02d}" for cents in range(1, 100)]
    for language in LANGUAGES
}


def kopecks_text(kopecks: int, language: Language) -> str:
    """A whole number of kopecks as `162 000`, `100 000,03` (ru) / `162,000`, `100,000.03` (en):
    thousands grouped, kopecks only when non-zero."""
    kopecks = int(kopecks)
    if kopecks < 0:
        return "-" + kopecks_text(-kopecks, language)
    text = f"{kopecks // 100:,}"
    grouping = _GROUPING[language]
    if grouping != ",":
        text = text.replace(",", grouping)
    return text + _CENTS[language][kopecks % 100]


def kopecks_texts(kopecks: Sequence[int], language: Language) -> list[str]:
    """`kopecks_text` of each whole number of kopecks, in one list comprehension."""
    if not kopecks or min(kopecks) < 0:
        return [kopecks_text(value, language) for value in kopecks]
    cents = _CENTS[language]
    thousands = _GROUPING[language]
    if thousands == ",":
        return [f"{value // 100:,}" + cents[value % 100] for value in kopecks]
    return [f"{value // 100:,}".replace(",", thousands) + cents[value % 100] for value in kopecks]


def format_money(amount: Decimal, language: Language) -> str:
    """Roubles (a Decimal) rounded half-up to kopecks, written as `kopecks_text` writes them."""
    return kopecks_text(int(amount.quantize(_KOPECK, rounding=ROUND_HALF_UP) * 100), language)


def format_percent(fraction: Decimal, language: Language) -> str:
    """`15 %`, `12,5 %` (ru) / `12.5 %` (en) for a fraction such as 0.15."""
    percent = (fraction * 100).normalize()
    text = f"{percent:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text.replace('.', pick(_POINT, language))} %"


def number_text(value: float, language: Language) -> str:
    """A count or measure with at most one decimal; a decimal comma in Russian."""
    rounded = round(float(value), 1)
    text = f"{rounded:.0f}" if rounded == int(rounded) else f"{rounded:.1f}"
    return text.replace(".", pick(_POINT, language))


def percent_text(fraction: float, language: Language) -> str:
    """A fraction as percent, cut (not rounded) to one decimal so 99.96 % never reads 100 %."""
    tenths = math.floor(float(fraction) * 1000 + 1e-9) / 10
    return number_text(tenths, language) + pick(_PERCENT_SIGN, language)


def money_text(kopecks: int, language: Language) -> str:
    """Kopecks as `102 000 ₽` (`102,000 ₽` in English), kopecks shown only when there are some."""
    return f"{kopecks_text(kopecks, language)} ₽"


def ordinal(number: int, language: Language) -> str:
    """`4-й` (ru) / `4th` (en)."""
    return _ORDINALS[language](number)


def _english_ordinal(number: int) -> str:
    if number % 100 in (11, 12, 13):
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


_ORDINALS: dict[Language, Callable[[int], str]] = {
    "ru": lambda number: f"{number}-й",
    "en": _english_ordinal,
}


# A noun's forms by count: Russian (one, few, many) as `plural_ru` takes them, English (one, more).
Noun = tuple[tuple[str, str, str], tuple[str, str]]

_PLURAL: dict[Language, Callable[[int, Noun], str]] = {
    "ru": lambda count, noun: plural_ru(count, *noun[0]),
    "en": lambda count, noun: noun[1][0] if count == 1 else noun[1][1],
}


def count_noun(count: int, noun: Noun, language: Language) -> str:
    """The form of `noun` that goes with `count` (2 → «ошибки» / "errors")."""
    return _PLURAL[language](count, noun)


def plural_ru(count: int, one: str, few: str, many: str) -> str:
    """The Russian noun form for `count` (1 ошибка, 2 ошибки, 5 ошибок, 21 ошибка)."""
    if count % 10 == 1 and count % 100 != 11:
        return one
    if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        return few
    return many


def quoted_name(name: object) -> str:
    """A client name in «», unless it already stands in quotes as typed (`«Альфа»`): the
    display form keeps the first spelling, quotes included (SPEC §2.6)."""
    text = str(name)
    if len(text) > 1 and text[0] in '«"' and text[-1] in '»"':
        return text
    return f"«{text}»"
