"""Words after money: the explanation of each bonus line, written from the line's fields
(`records.Accruals`) through one (ru, en) template per kind of line."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from sheets_kpi.core.compute.schemes.records import Accruals
from sheets_kpi.core.inputs.schema import Language
from sheets_kpi.core.textfmt import (
    LANGUAGES,
    format_money,
    format_percent,
    kopecks_texts,
    ordinal,
    pick,
)

# wording → (ru, en). Fields: level, clients, month, basis, tier, rate, nth (an ordinal), amount.
TEMPLATES: dict[str, tuple[str, str]] = {
    "tiers_client": (
        "уровень {level}: чек 1-го месяца {basis} ≥ {tier} → {amount}",
        "tier {level}: month-1 check {basis} ≥ {tier} → {amount}",
    ),
    "tiers_month": (
        "уровень {level}: новых клиентов за {month}: {clients}, "
        "сумма чеков 1-го месяца {basis} ≥ {tier} → {amount}",
        "tier {level}: {clients} new clients in {month}, "
        "month-1 checks total {basis} ≥ {tier} → {amount}",
    ),
    "two_step_1": (
        "шаг 1 из 2: {rate} × {basis} (чек 1-го месяца) → {amount}",
        "step 1 of 2: {rate} × {basis} (month-1 check) → {amount}",
    ),
    "two_step_2": (
        "шаг 2 из 2: {rate} × {basis} (чек 1-го месяца), {nth} месяц оплаты — {month} → {amount}",
        "step 2 of 2: {rate} × {basis} (month-1 check), {nth} paying month — {month} → {amount}",
    ),
    "margin": (
        "маржа 1-го месяца {basis} × {rate} → {amount}",
        "month-1 margin {basis} × {rate} → {amount}",
    ),
    "fixed": ("фикс за нового клиента → {amount}", "fixed for a new client → {amount}"),
    "fixed_inbound": (
        "фикс за нового клиента (входящий) → {amount}",
        "fixed for a new client (inbound) → {amount}",
    ),
}


def explanations(lines: Accruals, language: Language) -> list[str]:
    """The explanation of each line in the output language, from the line's fields."""
    count = len(lines)
    if not count:
        return []
    template = _TEMPLATES[language][lines.wording]
    rate = "" if lines.rate is None else _percent(lines.rate, language)
    nth = ordinal(lines.nth_month, language)
    return [
        template.format(
            level=level,
            clients=clients,
            month=month,
            basis=basis,
            tier="" if tier is None else _setting_money(tier, language),
            rate=rate,
            nth=nth,
            amount=amount,
        )
        for level, clients, month, basis, tier, amount in zip(
            lines.level or [0] * count,
            lines.clients or [1] * count,
            lines.month,
            kopecks_texts(lines.basis_kop, language),
            lines.tier or [None] * count,
            kopecks_texts(lines.amount_kop, language),
            strict=True,
        )
    ]


_TEMPLATES: dict[Language, dict[str, str]] = {
    language: {wording: pick(pair, language) for wording, pair in TEMPLATES.items()}
    for language in LANGUAGES
}


@lru_cache(maxsize=1024)
def _setting_money(amount: Decimal, language: Language) -> str:
    """A scheme's own figure (a threshold): few distinct values, each written once."""
    return format_money(amount, language)


@lru_cache(maxsize=256)
def _percent(rate: Decimal, language: Language) -> str:
    return format_percent(rate, language)
