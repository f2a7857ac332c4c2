"""The optional bonus limits (SPEC §5), per manager and month: the minimum plan completion first,
then the monthly cap. `bonus.compute` drafts the items of every scheme, then calls
`apply_limits`; withheld and cut items say why in `withheld`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

import pandas as pd

from sheets_kpi.core.inputs.schema import Language
from sheets_kpi.core.model import BonusItem
from sheets_kpi.core.settings import BonusConfig
from sheets_kpi.core.textfmt import format_money, format_percent, pick

_KOPECK = Decimal("0.01")

# Why an item is withheld or cut, (ru, en).
REASONS: dict[str, tuple[str, str]] = {
    "min_plan": ("план выполнен на {done} < {need}", "plan {done} complete < {need}"),
    "cap_cut": (
        "лимит {limit} ₽ в месяц: начислено {paid} из {full}",
        "cap {limit} ₽ a month: {paid} of {full} paid",
    ),
    "cap_reached": ("лимит {limit} ₽ в месяц исчерпан", "cap {limit} ₽ a month reached"),
}

# An item with its place in the accrual order of its manager-month: (client's first row, step).
Draft = tuple[tuple[int, int], BonusItem]


def _plan_shortfall(
    plan_pct: Mapping[tuple[str, str], float | None],
    key: tuple[str, str],
    minimum: Decimal,
    language: Language,
) -> str | None:
    """The reason a manager-month is withheld for a plan below the minimum, else None.

    Without a known plan nothing is withheld: there is nothing to measure against."""
    done = plan_pct.get(key)
    if minimum <= 0 or done is None or pd.isna(done) or float(done) >= float(minimum):
        return None
    # Shown rounded down to 0.1 %, so the figure never looks like it reached the minimum.
    shown = (Decimal(str(float(done))) * 100).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
    return pick(REASONS["min_plan"], language).format(
        done=format_percent(shown / 100, language), need=format_percent(minimum, language)
    )


def _cap_reason(cap: Decimal, paid: Decimal, full: Decimal, language: Language) -> str:
    return pick(REASONS["cap_cut" if paid > 0 else "cap_reached"], language).format(
        limit=format_money(cap, language),
        paid=format_money(paid, language),
        full=format_money(full, language),
    )


def apply_limits(
    drafts: list[Draft],
    config: BonusConfig,
    plan_pct: Mapping[tuple[str, str], float | None],
    language: Language,
) -> list[BonusItem]:
    """The minimum plan completion, then the monthly cap, per manager-month (off when 0).

    Withheld items stay listed with amount 0; a cut item keeps its explanation and says why in
    `withheld`. The cap is spent in accrual order: client's first row, then step."""
    groups: dict[tuple[str, str], list[Draft]] = {}
    for draft in drafts:
        groups.setdefault((draft[1].manager_key, draft[1].month), []).append(draft)
    result: list[BonusItem] = []
    for key, group in groups.items():
        group.sort(key=lambda draft: draft[0])
        reason = _plan_shortfall(plan_pct, key, config.min_plan_pct, language)
        if reason is not None:
            result.extend(
                replace(item, amount=Decimal("0.00"), withheld=reason) for _, item in group
            )
            continue
        left = config.monthly_cap
        for _, item in group:
            if config.monthly_cap <= 0 or item.amount <= left:
                left -= item.amount
                result.append(item)
                continue
            paid = max(left, Decimal(0))
            left = Decimal(0)
            withheld = _cap_reason(config.monthly_cap, paid, item.amount, language)
            result.append(
                replace(
                    item, amount=paid.quantize(_KOPECK, rounding=ROUND_HALF_UP), withheld=withheld
                )
            )
    return result
