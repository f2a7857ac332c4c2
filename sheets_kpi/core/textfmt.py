"""Numbers and names inside sentences: money, percents, counts, Russian plural nouns, and
client names in quotes.

Tabs carry numbers as numbers with a number format (`core/render.py`); these helpers are for the
numbers a message or an explanation spells out. Money has one written form, `kopecks_text`:
`100 000,03` in Russian, `100,000.03` in English, kopecks only when there are some; bonus
explanations use it bare, messages add ` ₽` (`money_text`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from sheets_kpi.core.inputs.schema import Language

_KOPECK = Decimal("0.01")
# The kopecks part of a money text by the number of kopecks: none when 0, else `,03` / `.03`.
_CENTS: dict[Language, list[str]] = {
    language: [""] + [f"{point}{cents:02d}" for cents in range(1, 100)]
    for language, point in (("ru", ","), ("en", "."))
}


def kopecks_text(kopecks: int, language: Language) -> str:
    """A whole number of kopecks as `162 000`, `100 000,03` (ru) / `162,000`, `100,000.03` (en):
    thousands grouped, kopecks only when non-zero."""
    whole, cents = divmod(abs(int(kopecks)), 100)
    text = f"{whole:,}"
    if language == "ru":
        text = text.replace(",", " ")
    if cents:
        text += f"{',' if language == 'ru' else '.'}{cents:02d}"
    return "-" + text if kopecks < 0 else text


def kopecks_texts(kopecks: Sequence[int], language: Language) -> list[str]:
    """`kopecks_text` of each whole number of kopecks, in one list comprehension."""
    if not kopecks or min(kopecks) < 0:
        return [kopecks_text(value, language) for value in kopecks]
    cents = _CENTS[language]
    if language == "ru":
        return [f"{value // 100:,}".replace(",", " ") + cents[value % 100] for value in kopecks]
    return [f"{value // 100:,}" + cents[value % 100] for value in kopecks]


def format_money(amount: Decimal, language: Language) -> str:
    """Roubles (a Decimal) rounded half-up to kopecks, written as `kopecks_text` writes them."""
    rounded = amount.quantize(_KOPECK, rounding=ROUND_HALF_UP)
    return kopecks_text(int(rounded.scaleb(2)), language)


def format_percent(fraction: Decimal, language: Language) -> str:
    """`15 %`, `12,5 %` (ru) / `12.5 %` (en) for a fraction such as 0.15."""
    percent = (fraction * 100).normalize()
    text = f"{percent:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if language == "ru":
        text = text.replace(".", ",")
    return f"{text} %"


def number_text(value: float, language: Language) -> str:
    """A count or measure with at most one decimal; a decimal comma in Russian."""
    rounded = round(float(value), 1)
    text = f"{rounded:.0f}" if rounded == int(rounded) else f"{rounded:.1f}"
    return text.replace(".", ",") if language == "ru" else text


def percent_text(fraction: float, language: Language) -> str:
    """A fraction as percent, cut (not rounded) to one decimal so 99.96 % never reads 100 %."""
    tenths = math.floor(float(fraction) * 1000 + 1e-9) / 10
    text = number_text(tenths, language)
    return f"{text} %" if language == "ru" else f"{text}%"


def money_text(kopecks: int, language: Language) -> str:
    """Kopecks as `102 000 ₽` (`102,000 ₽` in English), kopecks shown only when there are some."""
    return f"{kopecks_text(kopecks, language)} ₽"


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
