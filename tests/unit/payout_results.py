"""Hand-built Results for the owner-facing outputs of SPEC §14 and §15 (the «К выплате» block,
the §14 lines on Бонусы, the Пробная схема tab): the figures are typed in, so these tests
depend on no computation.

November 2026 is the current month (as of 2026-11-22). The line items of November:
- Анна: tiers 25 000 («Ромашка»), two-step 15 000,50 («Лютик»), a correction of October
  −10 000, an adjustment +3 000, a clawback −5 000 («Лютик»)
  → scheme bonuses 40 000,50, to pay 40 000,50 − 10 000 + 3 000 − 5 000 = 28 000,50;
- Борис: only an adjustment −2 000 (a penalty) → to pay −2 000;
- the team: 40 000,50 | −10 000 | 1 000 | −5 000 → 26 000,50.
October: Анна's tiers 60 000, not part of November's payout.

The trial (`trial_frame`), last 3 complete months = 2026-08…2026-10, last 12 = 2025-11…2026-10:
- Анна: 2025-10 (13 months back, in neither window) paid 1 000, trial 9 999;
  2025-11 paid 10 000, trial 12 000; 2026-08 paid 20 000, trial 15 000;
  2026-10 paid 30 000, trial 40 000,25; 2026-11 (current, in neither) paid 50 000, trial 0
  → 3 months: paid 50 000, trial 55 000,25, difference 5 000,25;
    12 months: paid 60 000, trial 67 000,25, difference 7 000,25;
- Борис (Decimal figures): 2026-09 paid 0, trial 8 000 → 3 and 12 months: 0 | 8 000 | 8 000;
- their total: 3 months 50 000 | 63 000,25 | 13 000,25; 12 months 60 000 | 75 000,25 | 15 000,25.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

import pandas as pd

from sheets_kpi.core.model import ADJUSTMENT, CLAWBACK, CORRECTION, BonusItem
from sheets_kpi.core.output.report import LEADERBOARD_COLUMNS, MONTHLY_COLUMNS, Result

MONTH = "2026-11"
AS_OF = date(2026, 11, 22)


def item(
    manager: str,
    month: str,
    amount: str,
    scheme: str,
    *,
    client: str | None = None,
    step: int | None = None,
    for_month: str | None = None,
    explain: str = "",
) -> BonusItem:
    return BonusItem(
        manager_key=manager.casefold(),
        manager=manager,
        month=month,
        client=client,
        scheme=scheme,
        step=step,
        basis=Decimal(0) if step is None else Decimal("100000"),
        rate=None,
        tier=None,
        amount=Decimal(amount),
        explain=explain,
        for_month=for_month,
    )


CORRECTION_TEXT = "пересчёт за 2026-10: было 60 000, стало 50 000 — «Ромашка»: 35 000 → 25 000"

ITEMS = (
    item("Анна", "2026-10", "60000", "tiers", client="Ромашка", step=1, explain="уровень 2"),
    item("Анна", MONTH, "25000", "tiers", client="Ромашка", step=1, explain="уровень 1"),
    item("Анна", MONTH, "15000.50", "two_step", client="Лютик", step=1, explain="шаг 1 из 2"),
    item("Анна", MONTH, "-5000", CLAWBACK, client="Лютик", explain="возврат 20 000 (строка 9)"),
    item("Анна", MONTH, "3000", ADJUSTMENT, explain="премия за отзыв клиента"),
    item("Анна", MONTH, "-10000", CORRECTION, for_month="2026-10", explain=CORRECTION_TEXT),
    item("Борис", MONTH, "-2000", ADJUSTMENT, explain="штраф за просроченный отчёт"),
)


def trial_frame() -> pd.DataFrame:
    rows = [
        ("2025-10", "Анна", 1000.0, 9999.0),
        ("2025-11", "Анна", 10000.0, 12000.0),
        ("2026-08", "Анна", 20000.0, 15000.0),
        ("2026-10", "Анна", 30000.0, 40000.25),
        ("2026-11", "Анна", 50000.0, 0.0),
        ("2026-09", "Борис", Decimal("0"), Decimal("8000.00")),
    ]
    return pd.DataFrame(
        [
            {"month": m, "manager_key": who.casefold(), "manager": who, "paid": p, "trial": t}
            for m, who, p, t in rows
        ]
    )


def result(
    items: tuple[BonusItem, ...] = ITEMS, trial: pd.DataFrame | None = None, **extra: object
) -> Result:
    """November 2026 with Анна and Борис selling, the line items `items` and the trial."""
    monthly = pd.DataFrame(
        [
            {column: math.nan for column in MONTHLY_COLUMNS}
            | {"month": MONTH, "manager": who, "revenue": revenue, "payments": 1}
            for who, revenue in (("Анна", 150000.0), ("Борис", 50000.0))
        ]
    )
    monthly["manager_key"] = monthly["manager"].str.casefold()
    team = pd.DataFrame(
        [{column: math.nan for column in MONTHLY_COLUMNS if column != "manager"}]
    ).assign(month=MONTH, revenue=200000.0, payments=2)
    leaderboard = pd.DataFrame(
        [[1, "Анна", 150000.0, math.nan, 1, 0.0, None, 0]], columns=list(LEADERBOARD_COLUMNS)
    )
    return Result(
        as_of=AS_OF,
        month=MONTH,
        language="ru",
        monthly=monthly,
        team=team,
        bonus_items=items,
        leaderboard=leaderboard,
        alerts=(),
        problems=(),
        trial=trial,
        **extra,  # type: ignore[arg-type]
    )
