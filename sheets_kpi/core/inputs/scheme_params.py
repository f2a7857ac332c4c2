"""The `Параметры` grammar of bonus schemes (SPEC §5); the scheme objects live in core.settings.

`parse_scheme` turns a roster row's `Схема` and `Параметры` cells into a scheme, filling what the
cell leaves out from the config's defaults. It raises `SchemeError` with a Russian sentence that
says how to write the cell.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Literal

from sheets_kpi.core.inputs.parse import MAX_AMOUNT_RUB
from sheets_kpi.core.inputs.schema import LIST_LABELS, SCHEMES, lookup, norm
from sheets_kpi.core.settings import (
    BonusConfig,
    FixedScheme,
    MarginScheme,
    Scheme,
    TiersScheme,
    TwoStepScheme,
)


class SchemeError(ValueError):
    """A `Схема` / `Параметры` cell that cannot be used; str() is a Russian how-to-fix sentence."""


# Examples shown in error messages, one per scheme (SPEC §5 defaults from practice).
_EXAMPLES = {
    "tiers": "«100000=25000; 150000=35000» (порог=бонус через «;»; можно добавить «база=месяц»)",
    "two_step": "«15%; 15%; 4» (ставка 1-го шага; ставка 2-го шага; номер месяца оплаты)",
    "margin": "«50%» (доля маржи 1-го месяца)",
    "fixed": "«10000; входящие» или «10000» (сумма за нового клиента; «входящие» — только "
    "за клиентов с входящего канала)",
}
# The paying month of a two-step bonus's second step: beyond ten years it is a typo.
MAX_SECOND_MONTH = 120
_SEPARATORS = re.compile(r"[;\n\r]+")
_SPACES = re.compile(r"[\s\u00a0\u2007\u2009\u202f]+")
_CURRENCY = re.compile(r"(₽|руб\.?|р\.|р|rub\.?)$", re.IGNORECASE)
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
_ORDINAL = re.compile(r"(\d+)\s*(-?й|-?ый|th|st|nd|rd)?\s*(мес[а-я]*\.?|months?)?", re.IGNORECASE)
_BASIS_KEYS = ("база", "basis")
_BASIS_VALUES = {"month": ("месяц", "month"), "client": ("клиент", "client")}
_INBOUND_WORDS = ("входящие", "входящий", "входящих", "inbound")
_ALL_WORDS = ("все", "всех", "all", "любые", "any")


def _is_empty(cell: object) -> bool:
    if cell is None:
        return True
    if isinstance(cell, float) and cell != cell:  # NaN from pandas
        return True
    return isinstance(cell, str) and not cell.strip()


def _cell_text(cell: object) -> str:
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _problem(name: str, what: str) -> SchemeError:
    label = LIST_LABELS["scheme"][name][0]  # the Russian name, as the drop-down spells it
    return SchemeError(f"{what} Для схемы «{label}» напишите, например, {_EXAMPLES[name]}.")


def _number(text: str) -> Decimal | None:
    """A number written with spaces, a comma or dot and maybe «₽»/«руб.»; None if it is not."""
    compact = _SPACES.sub("", text)
    compact = _CURRENCY.sub("", compact).replace(",", ".")
    if not _NUMBER.fullmatch(compact):
        return None
    return Decimal(compact)


def _rate(text: str, name: str, what: str) -> Decimal:
    """A rate written as `15%`, `15 %`, `0,15` or `0.15`, checked to be 0 < rate ≤ 100 %."""
    compact = _SPACES.sub("", text)
    percent = compact.endswith("%")
    value = _number(compact.rstrip("%"))
    if value is None:
        raise _problem(name, f"{what} «{text}» — не число и не процент.")
    if percent:
        value = value / 100
    if value <= 0 or value > 1:
        raise _problem(
            name, f"{what} «{text}» должна быть больше 0 и не больше 100 % (0,15 или 15%)."
        )
    return value


def _positive(text: str, name: str, what: str) -> Decimal:
    value = _number(text)
    if value is None:
        raise _problem(name, f"{what} «{text}» — не число.")
    if value <= 0:
        raise _problem(name, f"{what}: «{text}» — нужно число больше нуля.")
    if value >= MAX_AMOUNT_RUB:
        raise _problem(
            name, f"{what}: «{text}» — больше 10¹² ₽ (триллиона), проверьте лишние цифры."
        )
    return value


def _parse_tiers(parts: list[str], defaults: BonusConfig) -> TiersScheme:
    basis: Literal["client", "month"] = defaults.tiers_basis
    tiers: list[tuple[Decimal, Decimal]] = []
    for part in parts:
        left, sep, right = part.partition("=")
        if not sep:
            raise _problem("tiers", f"Не понятна часть «{part}»: нужен знак «=».")
        if norm(left) in _BASIS_KEYS:
            chosen = lookup(_BASIS_VALUES, right)
            if chosen is None:
                raise _problem(
                    "tiers", f"База «{right.strip()}» не распознана: «месяц» или «клиент»."
                )
            basis = "month" if chosen == "month" else "client"
            continue
        threshold = _positive(left.strip(), "tiers", "Порог")
        bonus = _positive(right.strip(), "tiers", "Бонус")
        tiers.append((threshold, bonus))
    if not tiers:
        return TiersScheme(defaults.tiers, basis)
    thresholds = [threshold for threshold, _ in tiers]
    if len(set(thresholds)) != len(thresholds):
        repeated = next(t for t in thresholds if thresholds.count(t) > 1)
        raise _problem("tiers", f"Порог {repeated} указан дважды.")
    return TiersScheme(tuple(sorted(tiers)), basis)


def _parse_two_step(parts: list[str], defaults: BonusConfig) -> TwoStepScheme:
    if len(parts) not in (2, 3):
        raise _problem("two_step", f"Нужно две ставки и номер месяца, а частей {len(parts)}.")
    first_rate = _rate(parts[0], "two_step", "Ставка 1-го шага")
    second_rate = _rate(parts[1], "two_step", "Ставка 2-го шага")
    second_month = defaults.second_month
    shown = str(second_month)
    if len(parts) == 3:
        match = _ORDINAL.fullmatch(parts[2].strip())
        if match is None:
            raise _problem(
                "two_step", f"Номер месяца «{parts[2].strip()}» должен быть целым числом."
            )
        digits = match.group(1).lstrip("0") or "0"
        second_month = int(digits) if len(digits) <= 6 else MAX_SECOND_MONTH + 1
        shown = digits if len(digits) <= 12 else digits[:12] + "…"
    if not 2 <= second_month <= MAX_SECOND_MONTH:
        raise _problem(
            "two_step",
            f"Номер месяца 2-го шага ({shown}) должен быть 2 или больше (и не больше "
            f"{MAX_SECOND_MONTH}).",
        )
    return TwoStepScheme(first_rate, second_rate, second_month)


def _parse_margin(parts: list[str]) -> MarginScheme:
    if len(parts) != 1:
        raise _problem("margin", f"Нужна одна ставка, а частей {len(parts)}.")
    return MarginScheme(_rate(parts[0], "margin", "Ставка"))


def _parse_fixed(parts: list[str], defaults: BonusConfig) -> FixedScheme:
    if len(parts) not in (1, 2):
        raise _problem("fixed", f"Нужна сумма и, может быть, «входящие», а частей {len(parts)}.")
    amount = _positive(parts[0], "fixed", "Сумма")
    inbound_only = False
    if len(parts) == 2:
        word = norm(parts[1])
        if word in _INBOUND_WORDS:
            inbound_only = True
        elif word not in _ALL_WORDS:
            raise _problem("fixed", f"Слово «{parts[1].strip()}» не распознано.")
    return FixedScheme(amount, inbound_only)


def scheme_name(scheme_cell: object, defaults: BonusConfig) -> str:
    """English name of the scheme a `Схема` cell names; empty = the config default."""
    if _is_empty(scheme_cell):
        return defaults.default_scheme
    name = lookup(SCHEMES, _cell_text(scheme_cell))
    if name is None:
        raise SchemeError(
            f"Схема «{_cell_text(scheme_cell)}» не распознана. Напишите одну из: "
            "уровни, два шага, маржа, фикс (или tiers, two_step, margin, fixed)."
        )
    return str(name)


def parse_scheme(scheme_cell: object, params_cell: object, defaults: BonusConfig) -> Scheme:
    """The scheme a `Мотивация` row asks for (SPEC §5 `Параметры` grammar).

    An empty `Схема` means the config's default scheme; an empty `Параметры` means that
    scheme's defaults from the config. Russian and English scheme names are accepted; parts are
    separated by `;` or new lines; rates are `15%` or `0.15`; numbers may have spaces.
    """
    name = scheme_name(scheme_cell, defaults)
    if _is_empty(params_cell):
        return defaults.scheme(name)
    parts = [part.strip() for part in _SEPARATORS.split(_cell_text(params_cell))]
    parts = [part for part in parts if part]
    if not parts:
        return defaults.scheme(name)
    if name == "tiers":
        return _parse_tiers(parts, defaults)
    if name == "two_step":
        return _parse_two_step(parts, defaults)
    if name == "margin":
        return _parse_margin(parts)
    return _parse_fixed(parts, defaults)
