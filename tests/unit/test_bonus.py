"""Bonus line items of every scheme (SPEC §5) and pending two-step bonuses (§6), worked by hand."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_kpi.core.compute.bonus import BonusOutcome, compute
from sheets_kpi.core.compute.clients import analyse
from sheets_kpi.core.inputs.schema import display, norm
from sheets_kpi.core.model import Inputs
from sheets_kpi.core.roster import Roster
from sheets_kpi.core.settings import (
    BonusConfig,
    FixedScheme,
    MarginScheme,
    Scheme,
    TiersScheme,
    TwoStepScheme,
)
from sheets_kpi.core.textfmt import format_money, format_percent

D = Decimal
AS_OF = date(2026, 11, 22)
TWO_STEP = TwoStepScheme(D("0.15"), D("0.15"), 4)


def sales_frame(*rows: dict) -> pd.DataFrame:
    """An `Inputs.sales` frame; amounts and margins in roubles (str), converted to kopecks."""
    records = []
    for position, row in enumerate(rows):
        day = date.fromisoformat(row["date"])
        margin = row.get("margin")
        records.append(
            {
                "row": position + 2,
                "date": pd.Timestamp(day),
                "month": f"{day.year:04d}-{day.month:02d}",
                "manager_key": norm(row["manager"]),
                "manager": display(row["manager"]),
                "client_key": norm(row["client"]),
                "client": display(row["client"]),
                "amount_kop": int(D(row["amount"]) * 100),
                "margin_kop": None if margin is None else int(D(margin) * 100),
                "channel": row.get("channel"),
                "type": row.get("type"),
                "paid": row.get("paid", True),
                "id": None,
            }
        )
    frame = pd.DataFrame(records)
    frame["amount_kop"] = frame["amount_kop"].astype("int64")
    frame["margin_kop"] = frame["margin_kop"].astype("Int64")
    frame["paid"] = frame["paid"].astype(bool)
    return frame


def roster_frame(schemes: Mapping[str, Scheme | None]) -> pd.DataFrame:
    managers = list(schemes)
    return pd.DataFrame(
        {
            "row": list(range(2, len(managers) + 2)),
            "manager_key": [norm(name) for name in managers],
            "manager": managers,
            "scheme": list(schemes.values()),
            "salary_kop": pd.array([None] * len(managers), dtype="Int64"),
            "active": [True] * len(managers),
        }
    )


def run(
    sales: pd.DataFrame,
    schemes: Mapping[str, Scheme | None] | None = None,
    config: BonusConfig | None = None,
    plan_pct: Mapping[tuple[str, str], float | None] | None = None,
    language: str = "ru",
    as_of: date = AS_OF,
) -> BonusOutcome:
    roster = roster_frame(schemes or {})
    inputs = Inputs(
        sales=sales,
        plan=pd.DataFrame(),
        roster=roster,
        problems=[],
        rejected=pd.DataFrame(),
        tab_titles={"sales": "Продажи"},
    )
    config = config or BonusConfig()
    return compute(
        inputs,
        analyse(sales),
        Roster.from_frame(roster, config.scheme()),
        config,
        plan_pct or {},
        as_of,
        language,  # type: ignore[arg-type]
    )


def sale(day: str, manager: str, client: str, amount: str, **extra: object) -> dict:
    return {"date": day, "manager": manager, "client": client, "amount": amount, **extra}


# ---- tiers --------------------------------------------------------------------------------------


def test_tiers_pay_the_highest_tier_the_month_one_check_reaches() -> None:
    # Default tiers 100 000 → 25 000, 150 000 → 35 000.
    # А: 99 999,99 < 100 000 → nothing; Б: 100 000 → 25 000; В: 100 000 + 62 000 = 162 000 → 35 000.
    outcome = run(
        sales_frame(
            sale("2026-03-02", "Анна", "А", "99999.99"),
            sale("2026-03-03", "Анна", "Б", "100000"),
            sale("2026-03-04", "Анна", "В", "100000"),
            sale("2026-03-20", "Анна", "В", "62000"),
        )
    )
    assert [(item.client, item.amount, item.tier) for item in outcome.items] == [
        ("Б", D("25000.00"), D(100000)),
        ("В", D("35000.00"), D(150000)),
    ]
    top = outcome.items[1]
    assert top.explain == "уровень 2: чек 1-го месяца 162 000 ≥ 150 000 → 35 000"
    assert (top.scheme, top.step, top.month, top.basis, top.rate) == (
        "tiers",
        1,
        "2026-03",
        D("162000.00"),
        None,
    )
    assert top.withheld is None


def test_tiers_month_basis_sums_new_clients_of_the_month_into_one_item() -> None:
    # March: new А 60 000 + new Б 50 000 = 110 000 ≥ 100 000 → 25 000 (existing В's 200 000 and
    # А's April payment do not count). April: new Г 40 000 < 100 000 → nothing.
    scheme = TiersScheme(((D(100000), D(25000)), (D(150000), D(35000))), "month")
    outcome = run(
        sales_frame(
            sale("2026-03-02", "Анна", "А", "60000"),
            sale("2026-03-05", "Анна", "Б", "50000"),
            sale("2026-03-06", "Анна", "В", "200000", type="existing"),
            sale("2026-04-06", "Анна", "А", "90000"),
            sale("2026-04-07", "Анна", "Г", "40000"),
        ),
        {"Анна": scheme},
    )
    assert len(outcome.items) == 1
    item = outcome.items[0]
    assert (item.month, item.client, item.basis, item.tier, item.amount) == (
        "2026-03",
        None,
        D("110000.00"),
        D(100000),
        D("25000.00"),
    )
    assert "110 000 ≥ 100 000 → 25 000" in item.explain
    assert "2026-03: 2" in item.explain


# ---- two steps ---------------------------------------------------------------------------------


def test_second_step_comes_in_the_fourth_paying_month_gaps_not_counted() -> None:
    # Jan 120 000 (month 1), Mar (2), Apr (3), Jul (4): 15 % × 120 000 = 18 000 in Jan and in Jul.
    outcome = run(
        sales_frame(
            sale("2026-01-15", "Анна", "Ромашка", "120000"),
            sale("2026-03-15", "Анна", "Ромашка", "5000"),
            sale("2026-04-15", "Анна", "Ромашка", "5000"),
            sale("2026-07-15", "Анна", "Ромашка", "5000"),
            sale("2026-08-15", "Анна", "Ромашка", "5000"),
        ),
        {"Анна": TWO_STEP},
    )
    assert [(item.month, item.step, item.amount) for item in outcome.items] == [
        ("2026-01", 1, D("18000.00")),
        ("2026-07", 2, D("18000.00")),
    ]
    assert outcome.items[0].explain == "шаг 1 из 2: 15 % × 120 000 (чек 1-го месяца) → 18 000"
    assert outcome.items[1].explain == (
        "шаг 2 из 2: 15 % × 120 000 (чек 1-го месяца), 4-й месяц оплаты — 2026-07 → 18 000"
    )
    assert outcome.items[1].rate == D("0.15")
    assert outcome.pending == ()


def test_second_step_waits_for_fourth_paying_month_and_is_pending() -> None:
    # Three paying months (Aug, Sep, Oct; as_of Nov 22): step 1 only; step 2 pending:
    # 10 % × 80 000 = 8 000, 3 of 4 months, last payment in Oct = last complete month → not at risk.
    outcome = run(
        sales_frame(
            sale("2026-08-10", "Анна", "Ромашка", "80000"),
            sale("2026-09-10", "Анна", "Ромашка", "1000"),
            sale("2026-10-10", "Анна", "Ромашка", "1000"),
        ),
        {"Анна": TwoStepScheme(D("0.15"), D("0.10"), 4)},
    )
    assert [(item.step, item.amount) for item in outcome.items] == [(1, D("12000.00"))]
    assert len(outcome.pending) == 1
    pending = outcome.pending[0]
    assert (pending.manager, pending.client, pending.amount) == ("Анна", "Ромашка", D("8000.00"))
    assert (pending.paid_months, pending.months_needed, pending.at_risk) == (3, 4, False)


def test_pending_bonus_is_at_risk_when_a_whole_month_was_skipped() -> None:
    # as_of 2026-11-22: last complete month is October. Лютик last paid in September → at risk;
    # Ромашка paid in November (current month) → not at risk.
    outcome = run(
        sales_frame(
            sale("2026-08-10", "Анна", "Лютик", "10000"),
            sale("2026-09-10", "Анна", "Лютик", "10000"),
            sale("2026-11-02", "Анна", "Ромашка", "10000"),
        ),
        {"Анна": TWO_STEP},
    )
    risk = {pending.client: (pending.paid_months, pending.at_risk) for pending in outcome.pending}
    assert risk == {"Лютик": (2, True), "Ромашка": (1, False)}


def test_half_up_rounding_to_kopecks_per_item() -> None:
    # 15 % × 100 000,30 = 15 000,045 → 15 000,05 (half-up; half-even would give 15 000,04).
    # 15 % × 100 000,03 = 15 000,0045 → 15 000,00.
    outcome = run(
        sales_frame(
            sale("2026-05-05", "Анна", "А", "100000.30"),
            sale("2026-05-06", "Анна", "Б", "100000.03"),
        ),
        {"Анна": TWO_STEP},
    )
    amounts = {item.client: item.amount for item in outcome.items}
    assert amounts == {"А": D("15000.05"), "Б": D("15000.00")}
    assert outcome.items[0].explain == "шаг 1 из 2: 15 % × 100 000,30 (чек 1-го месяца) → 15 000,05"


# ---- who earns ----------------------------------------------------------------------------------


def test_acquiring_manager_earns_even_when_another_logged_month_one_payments() -> None:
    # Анна's 100 000 on Mar 5 is earliest; Борис's 62 000 on Mar 20 adds to the check:
    # 162 000 ≥ 150 000 → 35 000 for Анна, nothing for Борис.
    outcome = run(
        sales_frame(
            sale("2026-03-20", "Борис", "Ромашка", "62000"),
            sale("2026-03-05", "Анна", "Ромашка", "100000"),
        )
    )
    assert [(item.manager, item.amount) for item in outcome.items] == [("Анна", D("35000.00"))]


def test_same_day_tie_goes_to_the_manager_on_the_upper_row() -> None:
    outcome = run(
        sales_frame(
            sale("2026-03-05", "Борис", "Ромашка", "50000"),
            sale("2026-03-05", "Анна", "Ромашка", "60000"),
        )
    )
    # 50 000 + 60 000 = 110 000 → 25 000 for Борис (row 2 is above row 3).
    assert [(item.manager, item.amount) for item in outcome.items] == [("Борис", D("25000.00"))]


def test_existing_client_never_earns_and_is_never_pending() -> None:
    outcome = run(
        sales_frame(
            sale("2026-01-05", "Анна", "Старый", "200000", type="existing"),
            sale("2026-02-05", "Анна", "Старый", "200000"),
            sale("2026-03-05", "Анна", "Старый", "200000"),
            sale("2026-04-05", "Анна", "Старый", "200000"),
        ),
        {"Анна": TWO_STEP},
    )
    assert outcome.items == ()
    assert outcome.pending == ()


def test_unpaid_rows_earn_nothing() -> None:
    # The 200 000 invoice is unpaid; the paid 90 000 is below the lowest tier → no item.
    outcome = run(
        sales_frame(
            sale("2026-03-02", "Анна", "Ромашка", "200000", paid=False),
            sale("2026-03-09", "Анна", "Ромашка", "90000"),
        )
    )
    assert outcome.items == ()


def test_roster_scheme_per_manager_and_bad_cell_earns_nothing() -> None:
    # Анна: fixed 5 000 for every new client; Борис: bad scheme cell (None) → nothing.
    outcome = run(
        sales_frame(
            sale("2026-03-02", "Анна", "А", "1000"),
            sale("2026-03-03", "Борис", "Б", "500000"),
        ),
        {"Анна": FixedScheme(D(5000), False), "Борис": None},
    )
    assert [(item.manager, item.scheme, item.amount) for item in outcome.items] == [
        ("Анна", "fixed", D("5000.00"))
    ]
    assert outcome.items[0].explain == "фикс за нового клиента → 5 000"


def test_without_roster_the_config_default_scheme_applies() -> None:
    config = BonusConfig(default_scheme="margin", margin_rate=D("0.4"))
    outcome = run(sales_frame(sale("2026-03-02", "Анна", "А", "1000", margin="250")), None, config)
    # 40 % × 250 = 100
    assert [(item.scheme, item.amount) for item in outcome.items] == [("margin", D("100.00"))]


# ---- margin and fixed --------------------------------------------------------------------------


def test_margin_pays_rate_of_month_one_margin() -> None:
    # Month-1 margins 50 000 + 30 000 = 80 000 × 50 % = 40 000; the April margin is month 2.
    outcome = run(
        sales_frame(
            sale("2026-03-02", "Анна", "Ромашка", "100000", margin="50000"),
            sale("2026-03-12", "Анна", "Ромашка", "60000", margin="30000"),
            sale("2026-04-12", "Анна", "Ромашка", "60000", margin="30000"),
        ),
        {"Анна": MarginScheme(D("0.5"))},
    )
    assert len(outcome.items) == 1
    item = outcome.items[0]
    assert (item.basis, item.rate, item.amount) == (D("80000.00"), D("0.5"), D("40000.00"))
    assert item.explain == "маржа 1-го месяца 80 000 × 50 % → 40 000"
    assert outcome.problems == ()


def test_margin_missing_message_does_not_quote_a_quoted_client_twice() -> None:
    outcome = run(
        sales_frame(sale("2026-03-02", "Анна", "«Альфа»", "100000")),
        {"Анна": MarginScheme(D("0.5"))},
    )
    [problem] = outcome.problems
    assert "у оплаты клиента «Альфа» в его первом месяце" in problem.message
    assert "««" not in problem.message


def test_margin_missing_in_month_one_gives_an_error_and_no_item() -> None:
    # Row 3 (a month-1 payment of Ромашка) has no margin → bad_setting on row 3, no item.
    # Лютик is fine: 10 000 × 50 % = 5 000.
    outcome = run(
        sales_frame(
            sale("2026-03-02", "Анна", "Ромашка", "100000", margin="50000"),
            sale("2026-03-12", "Анна", "Ромашка", "60000"),
            sale("2026-03-13", "Анна", "Лютик", "60000", margin="10000"),
        ),
        {"Анна": MarginScheme(D("0.5"))},
    )
    assert [(item.client, item.amount) for item in outcome.items] == [("Лютик", D("5000.00"))]
    assert len(outcome.problems) == 1
    problem = outcome.problems[0]
    assert (problem.tab, problem.row, problem.column, problem.code, problem.severity) == (
        "Продажи",
        3,
        "Маржа",
        "bad_setting",
        "error",
    )
    assert "Строка 3" in problem.message
    assert "Ромашка" in problem.message
    assert "Заполните" in problem.message


def test_fixed_inbound_only_looks_at_the_earliest_row_channel() -> None:
    # А: inbound on its earliest row → 10 000. Б: outbound first, inbound later → nothing.
    # В: no channel → nothing.
    outcome = run(
        sales_frame(
            sale("2026-03-02", "Анна", "А", "1000", channel="inbound"),
            sale("2026-03-03", "Анна", "Б", "1000", channel="outbound"),
            sale("2026-03-09", "Анна", "Б", "1000", channel="inbound"),
            sale("2026-03-04", "Анна", "В", "1000"),
        ),
        {"Анна": FixedScheme(D(10000), True)},
    )
    assert [(item.client, item.amount, item.basis) for item in outcome.items] == [
        ("А", D("10000.00"), D(0))
    ]
    assert outcome.items[0].explain == "фикс за нового клиента (входящий) → 10 000"


# ---- limits --------------------------------------------------------------------------------------


def test_monthly_cap_cuts_the_crossing_item_and_zeroes_later_ones() -> None:
    # Cap 50 000. In accrual order (first rows 2, 3, 4): 35 000 kept; 25 000 cut to 15 000;
    # 25 000 → 0. March total = 50 000. Борис is under the cap alone: 25 000 kept.
    outcome = run(
        sales_frame(
            sale("2026-03-20", "Анна", "А", "160000"),
            sale("2026-03-02", "Анна", "Б", "100000"),
            sale("2026-03-03", "Анна", "В", "120000"),
            sale("2026-03-03", "Борис", "Г", "120000"),
        ),
        config=BonusConfig(monthly_cap=D(50000)),
    )
    by_client = {item.client: item for item in outcome.items}
    assert by_client["А"].amount == D("35000.00")
    assert by_client["А"].withheld is None
    assert by_client["Б"].amount == D("15000.00")
    assert by_client["Б"].withheld == "лимит 50 000 ₽ в месяц: начислено 15 000 из 25 000"
    assert by_client["Б"].explain == "уровень 1: чек 1-го месяца 100 000 ≥ 100 000 → 25 000"
    assert by_client["В"].amount == D("0.00")
    assert by_client["В"].withheld == "лимит 50 000 ₽ в месяц исчерпан"
    assert by_client["Г"].amount == D("25000.00")
    assert by_client["Г"].withheld is None


def test_min_plan_withholds_the_whole_month_when_plan_is_known_and_below() -> None:
    # Minimum 80 %. Анна: 72 % → her March item is listed with 0. Борис: exactly 80 % → paid.
    # Вера: no plan known (None) → not withheld.
    outcome = run(
        sales_frame(
            sale("2026-03-02", "Анна", "А", "100000"),
            sale("2026-03-03", "Борис", "Б", "100000"),
            sale("2026-03-04", "Вера", "В", "100000"),
        ),
        config=BonusConfig(min_plan_pct=D("0.8")),
        plan_pct={("анна", "2026-03"): 0.72, ("борис", "2026-03"): 0.8, ("вера", "2026-03"): None},
    )
    by_manager = {item.manager: item for item in outcome.items}
    assert by_manager["Анна"].amount == D("0.00")
    assert by_manager["Анна"].withheld == "план выполнен на 72 % < 80 %"
    assert by_manager["Борис"].amount == D("25000.00")
    assert by_manager["Вера"].amount == D("25000.00")
    assert by_manager["Вера"].withheld is None


def test_min_plan_applies_before_the_cap() -> None:
    outcome = run(
        sales_frame(
            sale("2026-03-02", "Анна", "А", "200000"),
            sale("2026-03-03", "Анна", "Б", "200000"),
        ),
        config=BonusConfig(min_plan_pct=D("0.5"), monthly_cap=D(40000)),
        plan_pct={("анна", "2026-03"): 0.3},
    )
    assert [(item.amount, item.withheld) for item in outcome.items] == [
        (D("0.00"), "план выполнен на 30 % < 50 %"),
        (D("0.00"), "план выполнен на 30 % < 50 %"),
    ]


def test_limit_reasons_are_in_english_when_asked() -> None:
    # Tiers 100 000 → 25 000 (the default). Cap 30 000: А's 25 000 kept, Б's 25 000 cut to 5 000,
    # В's to 0. With plan 30 % < 50 %, everything is withheld instead.
    sales = sales_frame(
        sale("2026-03-02", "Anna", "А", "100000"),
        sale("2026-03-03", "Anna", "Б", "100000"),
        sale("2026-03-04", "Anna", "В", "100000"),
    )
    capped = run(sales, config=BonusConfig(monthly_cap=D(30000)), language="en")
    assert [(item.amount, item.withheld) for item in capped.items] == [
        (D("25000.00"), None),
        (D("5000.00"), "cap 30,000 ₽ a month: 5,000 of 25,000 paid"),
        (D("0.00"), "cap 30,000 ₽ a month reached"),
    ]
    assert capped.items[0].explain == "tier 1: month-1 check 100,000 ≥ 100,000 → 25,000"
    short = run(
        sales,
        config=BonusConfig(min_plan_pct=D("0.5")),
        plan_pct={("anna", "2026-03"): 0.3},
        language="en",
    )
    assert {item.withheld for item in short.items} == {"plan 30 % complete < 50 %"}


# ---- output shape -------------------------------------------------------------------------------


def test_items_sorted_by_month_manager_client_step() -> None:
    outcome = run(
        sales_frame(
            sale("2026-04-02", "Борис", "Я", "100000"),
            sale("2026-05-02", "Борис", "Я", "100000"),
            sale("2026-03-02", "Борис", "Б", "100000"),
            sale("2026-03-03", "Анна", "В", "100000"),
            sale("2026-03-04", "Анна", "А", "100000"),
        ),
        {"Анна": TWO_STEP, "Борис": TwoStepScheme(D("0.1"), D("0.1"), 2)},
    )
    assert [(item.month, item.manager, item.client, item.step) for item in outcome.items] == [
        ("2026-03", "Анна", "А", 1),
        ("2026-03", "Анна", "В", 1),
        ("2026-03", "Борис", "Б", 1),
        ("2026-04", "Борис", "Я", 1),
        ("2026-05", "Борис", "Я", 2),
    ]


def test_english_explanations() -> None:
    sales = sales_frame(
        sale("2026-01-15", "Anna", "Daisy", "120000"),
        sale("2026-02-15", "Anna", "Daisy", "1000"),
        sale("2026-03-15", "Anna", "Daisy", "1000"),
        sale("2026-04-15", "Anna", "Daisy", "1000"),
    )
    outcome = run(sales, {"Anna": TWO_STEP}, language="en")
    assert [item.explain for item in outcome.items] == [
        "step 1 of 2: 15 % × 120,000 (month-1 check) → 18,000",
        "step 2 of 2: 15 % × 120,000 (month-1 check), 4th paying month — 2026-04 → 18,000",
    ]


def test_money_and_percent_formats() -> None:
    assert format_money(D("162000"), "ru") == "162 000"
    assert format_money(D("1234567.5"), "ru") == "1 234 567,50"
    assert format_money(D("100000.03"), "en") == "100,000.03"
    assert format_percent(D("0.125"), "ru") == "12,5 %"
    assert format_percent(D("0.15"), "en") == "15 %"


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.integers(1, 400_000_00), min_size=1, max_size=8),
    st.integers(1, 200_000),
)
def test_cap_pays_exactly_the_smaller_of_the_cap_and_the_uncapped_total(
    checks_kop: list[int], cap: int
) -> None:
    # Two-step 15 % on each new client in one month: paid total = min(cap, Σ uncapped items).
    sales = sales_frame(
        *(
            sale("2026-03-02", "Анна", f"Клиент {n}", str(D(kop).scaleb(-2)))
            for n, kop in enumerate(checks_kop)
        )
    )
    uncapped = run(sales, {"Анна": TWO_STEP})
    capped = run(sales, {"Анна": TWO_STEP}, BonusConfig(monthly_cap=D(cap)))
    full = sum((item.amount for item in uncapped.items), D(0))
    paid = sum((item.amount for item in capped.items), D(0))
    assert paid == min(D(cap), full)
    assert all(item.amount >= 0 for item in capped.items)
    assert all(
        (item.withheld is None) == (item.amount == full_item.amount)
        for item, full_item in zip(capped.items, uncapped.items, strict=True)
    )
