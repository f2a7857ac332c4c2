"""Adjustments as line items (SPEC §14, core/compute/adjustments.py) and through
`run.compute`: bonuses and penalties in their month, never limited, a month's total may be
negative."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pandas as pd
from validate_tables import ROSTER, SALES, run, sale

from sheets_kpi.core.compute.adjustments import adjustment_items
from sheets_kpi.core.model import ADJUSTMENT, BonusItem
from sheets_kpi.core.output.report import to_json
from sheets_kpi.core.roster import Roster
from sheets_kpi.core.run import compute
from sheets_kpi.core.settings import BonusConfig, Config

AS_OF = date(2026, 11, 22)
ADJUSTMENTS = ["Месяц", "Менеджер", "Сумма", "Причина", "Клиент", "ID"]

# Default tiers (≥ 100 000 → 25 000, ≥ 150 000 → 35 000), one new client each:
#   Анна,  Ромашка, 05.10.2026, 162 000 → October:  35 000 (tier 2)
#   Борис, Лютик,   03.11.2026, 120 000 → November: 25 000 (tier 1)
BOOK_SALES = [
    SALES,
    sale("05.10.2026", "Анна", "Ромашка", "162 000"),
    sale("03.11.2026", "Борис", "Лютик", 120000),
]
# Корректировки:
#   row 2: October, Анна, −50 000 (a penalty) → Анна's October: 35 000 − 50 000 = −15 000
#   row 3: November, Вера, +5 000 (Вера logged no sale) → a November row of her own: 5 000
#   row 4: November, Борис, +1 000,50 → Борис's November: 25 000 + 1 000,50 = 26 000,50
# Team: October −15 000; November 25 000 + 5 000 + 1 000,50 = 31 000,50.
BOOK_ADJUSTMENTS = [
    ADJUSTMENTS,
    ["2026-10", "анна", "-50 000", "штраф: сорван срок сдачи", "ромашка", None],
    ["ноябрь 2026", "Вера", 5000, "премия за отзыв клиента", None, None],
    ["11.2026", "Борис", "1 000,50", "доплата за выезд", None, "K-1"],
]


def result(config: Config | None = None, adjustments: list[list[object]] = BOOK_ADJUSTMENTS):
    config = config or Config()
    inputs = run(config, AS_OF, sales=BOOK_SALES, **{"Корректировки": adjustments})
    assert inputs.problems == []
    return compute(inputs, config, AS_OF)


def bonus_of(monthly: pd.DataFrame, month: str, manager: str) -> float:
    [value] = monthly.loc[
        (monthly["month"] == month) & (monthly["manager"] == manager), "bonus"
    ].tolist()
    return value


def test_each_row_is_one_adjustment_item_named_as_the_roster_names_the_manager() -> None:
    inputs = run(
        sales=[SALES, sale()],
        roster=[ROSTER, ["Иванова Анна"]],
        **{
            "Корректировки": [
                ADJUSTMENTS,
                ["2026-11", "иванова анна", "-2 500,5", "опоздал с отчётом", None, None],
                ["2026-10", "ИВАНОВА АННА", 700, "премия", "Ромашка", None],
            ]
        },
    )
    roster = Roster.of(inputs, BonusConfig())
    items = adjustment_items(inputs.adjustments, roster, "ru")
    # −2 500,50 ₽ and +700 ₽, in sheet order, basis 0, no rate, tier or step
    assert items == [
        BonusItem(
            manager_key="иванова анна",
            manager="Иванова Анна",
            month="2026-11",
            client=None,
            scheme=ADJUSTMENT,
            step=None,
            basis=Decimal(0),
            rate=None,
            tier=None,
            amount=Decimal("-2500.50"),
            explain="корректировка, строка 2: опоздал с отчётом",
        ),
        BonusItem(
            manager_key="иванова анна",
            manager="Иванова Анна",
            month="2026-10",
            client="Ромашка",
            scheme=ADJUSTMENT,
            step=None,
            basis=Decimal(0),
            rate=None,
            tier=None,
            amount=Decimal("700.00"),
            explain="корректировка, строка 3: премия",
        ),
    ]
    english = adjustment_items(inputs.adjustments, roster, "en")
    assert [item.explain for item in english] == [
        "adjustment, row 2: опоздал с отчётом",
        "adjustment, row 3: премия",
    ]


def test_no_tab_no_items() -> None:
    assert adjustment_items(None, Roster(), "ru") == []


def test_adjustments_go_into_the_month_bonus_and_a_month_may_be_negative() -> None:
    figures = result()
    # Анна's October: 35 000 − 50 000 = −15 000
    assert bonus_of(figures.monthly, "2026-10", "Анна") == -15000.0
    # Борис's November: 25 000 + 1 000,50 = 26 000,50
    assert bonus_of(figures.monthly, "2026-11", "Борис") == 26000.5
    # Вера logged nothing: her November row has only the adjustment
    assert bonus_of(figures.monthly, "2026-11", "Вера") == 5000.0
    vera = figures.monthly[figures.monthly["manager"] == "Вера"].iloc[0]
    assert vera["revenue"] == 0
    team = figures.team.set_index("month")["bonus"]
    assert team["2026-10"] == -15000.0
    assert team["2026-11"] == 31000.5


def test_adjustments_follow_the_scheme_items_of_their_manager_month() -> None:
    figures = result()
    lines = [
        (item.month, item.manager, item.scheme, item.client, item.amount)
        for item in figures.bonus_items
    ]
    assert lines == [
        ("2026-10", "Анна", "tiers", "Ромашка", Decimal("35000.00")),
        ("2026-10", "Анна", "adjustment", "Ромашка", Decimal("-50000.00")),
        ("2026-11", "Борис", "tiers", "Лютик", Decimal("25000.00")),
        ("2026-11", "Борис", "adjustment", None, Decimal("1000.50")),
        ("2026-11", "Вера", "adjustment", None, Decimal("5000.00")),
    ]


def test_adjustments_are_never_capped_or_withheld() -> None:
    # A 20 000 monthly cap cuts the tier bonuses (§5), not the adjustments:
    # Борис's November = 20 000 (25 000 capped) + 1 000,50 = 21 000,50;
    # Анна's October = 20 000 (35 000 capped) − 50 000 = −30 000; Вера's 5 000 stays.
    capped = Config(bonus=replace(BonusConfig(), monthly_cap=Decimal(20000)))
    figures = result(capped)
    assert bonus_of(figures.monthly, "2026-11", "Борис") == 21000.5
    assert bonus_of(figures.monthly, "2026-10", "Анна") == -30000.0
    assert bonus_of(figures.monthly, "2026-11", "Вера") == 5000.0
    adjustments = [item for item in figures.bonus_items if item.scheme == ADJUSTMENT]
    assert [item.withheld for item in adjustments] == [None, None, None]


def test_the_report_has_the_items_with_a_null_step() -> None:
    data = json.loads(to_json(result()))
    items = [item for item in data["bonus_items"] if item["scheme"] == "adjustment"]
    assert items == [
        {
            "manager": "Анна",
            "month": "2026-10",
            "client": "Ромашка",
            "scheme": "adjustment",
            "step": None,
            "for_month": None,
            "basis": 0,
            "rate": None,
            "tier": None,
            "amount": -50000,
            "explain": "корректировка, строка 2: штраф: сорван срок сдачи",
            "withheld": None,
        },
        {
            "manager": "Борис",
            "month": "2026-11",
            "client": None,
            "scheme": "adjustment",
            "step": None,
            "for_month": None,
            "basis": 0,
            "rate": None,
            "tier": None,
            "amount": 1000.5,
            "explain": "корректировка, строка 4: доплата за выезд",
            "withheld": None,
        },
        {
            "manager": "Вера",
            "month": "2026-11",
            "client": None,
            "scheme": "adjustment",
            "step": None,
            "for_month": None,
            "basis": 0,
            "rate": None,
            "tier": None,
            "amount": 5000,
            "explain": "корректировка, строка 3: премия за отзыв клиента",
            "withheld": None,
        },
    ]
    monthly = {(row["month"], row["manager"]): row["bonus"] for row in data["monthly"]}
    assert monthly[("2026-10", "Анна")] == -15000


def test_without_adjustments_the_items_are_the_scheme_items_alone() -> None:
    only_header = result(adjustments=[ADJUSTMENTS])
    assert [item.scheme for item in only_header.bonus_items] == ["tiers", "tiers"]
    absent = compute(run(sales=BOOK_SALES), Config(), AS_OF)
    assert absent.bonus_items == only_header.bonus_items


def test_adjustments_are_paid_when_a_missed_plan_withholds_the_scheme_bonus() -> None:
    # Борис's November plan 1 000 000, done 120 000 = 12 % < the 80 % minimum: his 25 000 tier
    # bonus is withheld (0), his +1 000,50 adjustment is not → November bonus 1 000,50.
    config = Config(bonus=replace(BonusConfig(), min_plan_pct=Decimal("0.8")))
    inputs = run(
        config,
        AS_OF,
        sales=BOOK_SALES,
        plan=[["Месяц", "Менеджер", "План выручки"], ["2026-11", "Борис", 1_000_000]],
        **{"Корректировки": BOOK_ADJUSTMENTS},
    )
    figures = compute(inputs, config, AS_OF)
    boris = [item for item in figures.bonus_items if item.manager == "Борис"]
    assert [(item.scheme, item.amount, item.withheld is None) for item in boris] == [
        ("tiers", Decimal(0), False),
        ("adjustment", Decimal("1000.50"), True),
    ]
    assert bonus_of(figures.monthly, "2026-11", "Борис") == 1000.5
