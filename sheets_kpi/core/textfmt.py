"""Numbers inside sentences: money, percents, counts and Russian plural nouns.

Tabs carry numbers as numbers with a number format (`core/render.py`); these helpers are for the
numbers a message or an explanation spells out. Two money forms exist, kept as they were
built: bonus explanations (`format_money`, Decimal roubles, no currency sign) and alert messages
(`money_text`, integer kopecks, with ₽); in English they group thousands differently
(`100 000.03` vs `100,000.03 ₽`). Unifying them would change user-facing text.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from sheets_kpi.core.schema import Language

_KOPECK = Decimal("0.01")


def format_money(amount: Decimal, language: Language) -> str:
    """`162 000`, `100 000,03` (ru) / `100 000.03` (en): spaces between thousands, kopecks only
    when non-zero."""
    rounded = amount.quantize(_KOPECK, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    whole, cents = divmod(abs(int(rounded.scaleb(2))), 100)
    text = f"{whole:,}".replace(",", " ")
    if cents:
        text += f"{',' if language == 'ru' else '.'}{cents:02d}"
    return sign + text


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
    roubles, rest = divmod(int(kopecks), 100)
    whole = f"{roubles:,}"
    if language == "ru":
        whole = whole.replace(",", " ")
        return f"{whole},{rest:02d} ₽" if rest else f"{whole} ₽"
    return f"{whole}.{rest:02d} ₽" if rest else f"{whole} ₽"


def plural_ru(count: int, one: str, few: str, many: str) -> str:
    """The Russian noun form for `count` (1 ошибка, 2 ошибки, 5 ошибок, 21 ошибка)."""
    if count % 10 == 1 and count % 100 != 11:
        return one
    if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        return few
    return many
