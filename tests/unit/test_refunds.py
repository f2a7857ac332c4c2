"""SPEC §14 «Refunds»: a test per sentence, through `validate` and `run.compute`, on small
sales logs with the hand-worked answer in a comment. Default bonus settings unless a test says
otherwise: tiers 100 000 → 25 000, 150 000 → 35 000; clawback proportional, 3 months."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pandas as pd
from validate_tables import PLAN, SALES, sale

from sheets_kpi.core.inputs.validate import validate
from sheets_kpi.core.model import CLAWBACK, BonusItem, Inputs, RawTab, RawWorkbook
from sheets_kpi.core.output.report import Result, to_json
from sheets_kpi.core.run import compute
from sheets_kpi.core.settings import BonusConfig, Config

AS_OF = date(2026, 11, 22)
ANNA = "Анна"
BORIS = "Борис"


def inputs_of(
    rows: list[list[object]], config: Config | None = None, plan: list[list[object]] | None = None
) -> Inputs:
    tabs = {"Продажи": RawTab("Продажи", [SALES, *rows])}
    if plan:
        tabs["План"] = RawTab("План", [PLAN, *plan])
    return validate(RawWorkbook(tuple(tabs), tabs), config or Config(), AS_OF)


def result_of(
    rows: list[list[object]], config: Config | None = None, plan: list[list[object]] | None = None
) -> Result:
    config = config or Config()
    return compute(inputs_of(rows, config, plan), config, AS_OF)


def refund(day: str, amount: object, client: str = "Ромашка", manager: str = ANNA, **kw: object):
    return sale(day, manager, client, amount, kind="возврат", **kw)  # type: ignore[arg-type]


def figures(result: Result, month: str, manager: str = ANNA) -> dict[str, float]:
    monthly = result.monthly
    row = monthly[(monthly["month"] == month) & (monthly["manager"] == manager)]
    assert len(row) == 1, (month, manager)
    return row.iloc[0].to_dict()


def items(result: Result, scheme: str | None = None) -> list[BonusItem]:
    return [item for item in result.bonus_items if scheme is None or item.scheme == scheme]


def codes(inputs: Inputs) -> list[tuple[int | None, str, str]]:
    return [(p.row, p.code, p.severity) for p in inputs.problems]


def two_step(**changes: object) -> Config:
    return Config(bonus=replace(BonusConfig(default_scheme="two_step"), **changes))


# --- «its amount may be written positive or negative and means the same» ----------------------


def test_a_refund_written_positive_or_negative_means_the_same() -> None:
    def log(amount: object) -> list[list[object]]:
        return [sale("10.09.2026", ANNA, "Ромашка", 120000), refund("15.10.2026", amount)]

    plus, minus = inputs_of(log("20 000")), inputs_of(log("-20 000"))
    assert plus.problems == [] and minus.problems == []
    for inputs in (plus, minus):
        assert inputs.sales["amount_kop"].tolist() == [12_000_000, 2_000_000]
        assert inputs.sales["refund"].tolist() == [False, True]
    assert to_json(compute(plus, Config(), AS_OF)) == to_json(compute(minus, Config(), AS_OF))
    # a refund's margin written with a minus is its margin; the English word works too
    margin = inputs_of([sale("10.09.2026"), refund("15.10.2026", -500, margin=-200)])
    assert margin.problems == [] and margin.sales["margin_kop"].tolist()[1] == 20_000
    english = inputs_of([sale("10.09.2026"), sale("15.10.2026", kind="refund", amount=-500)])
    assert english.problems == [] and english.sales["refund"].tolist() == [False, True]


def test_a_negative_amount_without_a_refund_type_stays_nonpositive_and_suggests_it() -> None:
    inputs = inputs_of([sale("10.09.2026", amount="-20 000")])
    assert codes(inputs) == [(2, "nonpositive_amount", "error")] and inputs.sales.empty
    assert "«возврат» в столбец «Тип»" in inputs.problems[0].message
    english = inputs_of([sale("10.09.2026", amount=-5)], Config(language="en"))
    assert "write «refund» in the «Тип» column" in english.problems[0].message
    # a refund of zero is no refund either
    zero = inputs_of([sale("10.09.2026"), refund("15.10.2026", 0)])
    assert codes(zero) == [(3, "nonpositive_amount", "error")]
    assert "сумма возврата не может быть нулевой" in zero.problems[0].message


# --- «A refund is not a payment … payments, avg_check» ------------------------------------------


def test_a_refund_is_no_payment_and_leaves_payments_and_avg_check_alone() -> None:
    rows = [
        sale("10.09.2026", ANNA, "Ромашка", 120000),
        sale("10.10.2026", ANNA, "Ромашка", 60000),
        refund("15.10.2026", 30000),
        refund("16.10.2026", 5000, paid="нет"),  # not refunded yet: counts nowhere
    ]
    october = figures(result_of(rows), "2026-10")
    # revenue 60 000 − 30 000; one payment of 60 000: avg_check = 60 000 (payments' sum ÷ 1)
    assert october["revenue"] == 30000.0 and october["repeat_revenue"] == 30000.0
    assert october["payments"] == 1 and october["avg_check"] == 60000.0
    assert october["receivables"] == 0.0  # the unpaid refund is not money owed


def test_a_refund_is_no_paying_month_so_it_never_reaches_step_2() -> None:
    # two_step 15 % / 15 % at the client's 2nd paying month. Ромашка pays 100 000 in
    # September only; the October refund of 10 000 is not a 2nd paying month: no step 2.
    # It claws back 15 000 × 10 000 / 100 000 = 1 500.
    result = result_of(
        [sale("10.09.2026", ANNA, "Ромашка", 100000), refund("15.10.2026", 10000)],
        two_step(second_month=2),
    )
    assert [(i.month, i.scheme, i.step, i.amount) for i in items(result)] == [
        ("2026-09", "two_step", 1, Decimal("15000.00")),
        ("2026-10", CLAWBACK, None, Decimal("-1500.00")),
    ]
    assert result.pending_bonuses[0].paid_months == 1


def test_the_plan_gap_and_the_pace_count_a_refund_as_no_payment() -> None:
    # October: one payment of 100 000 and a refund of 40 000 (revenue 60 000). November has
    # no payment yet, so the plan gap's average check is October's: 100 000 ÷ 1 payment, and
    # a plan of 300 000 needs 3 deals (not 300 000 ÷ 60 000 = 5). The pace compares November
    # with 1–22 October: revenue 60 000, 1 payment.
    result = result_of(
        [sale("10.10.2026", ANNA, "Ромашка", 100000), refund("15.10.2026", 40000)],
        plan=[["2026-11", ANNA, 300000, None]],
    )
    gap = result.plan_gap.set_index("manager").loc[ANNA]
    assert (gap["avg_check"], gap["deals_needed"]) == (100000.0, 3.0)
    assert result.pace.previous_revenue == 60000.0 and result.pace.previous_payments == 1


# --- «It lowers revenue (and margin) of its row's manager in its month» ------------------------


def test_a_refund_lowers_revenue_and_margin_of_its_rows_manager_in_its_month() -> None:
    rows = [
        sale("10.09.2026", ANNA, "Ромашка", 160000, margin=80000),
        refund("20.09.2026", 20000, margin=10000),  # month 1: new revenue
        sale("05.10.2026", ANNA, "Ромашка", 50000),
        refund("25.10.2026", 7000, manager=BORIS),  # month 2, logged by Борис: his repeat revenue
    ]
    result = result_of(rows)
    september = figures(result, "2026-09")
    # 160 000 − 20 000 = 140 000, all of it the month-1 check; margin 80 000 − 10 000
    assert (september["revenue"], september["new_revenue"], september["repeat_revenue"]) == (
        140000.0,
        140000.0,
        0.0,
    )
    assert september["margin"] == 70000.0 and september["avg_check"] == 160000.0
    boris = figures(result, "2026-10", BORIS)
    assert (boris["revenue"], boris["repeat_revenue"], boris["payments"]) == (-7000.0, -7000.0, 0)
    assert figures(result, "2026-10")["revenue"] == 50000.0
    team = result.team.set_index("month")
    assert team.loc["2026-10", "revenue"] == 43000.0 and team.loc["2026-10", "payments"] == 1


# --- «A refund in the client's month 1 lowers its month-1 check, and every bonus on it» -------


def test_a_month_1_refund_lowers_the_tiers_level() -> None:
    # month-1 check 160 000 − 20 000 = 140 000 < 150 000: level 1, 25 000 instead of 35 000
    result = result_of([sale("10.09.2026", ANNA, "Ромашка", 160000), refund("20.09.2026", 20000)])
    assert [(i.month, i.scheme, i.basis, i.amount) for i in items(result)] == [
        ("2026-09", "tiers", Decimal("140000.00"), Decimal("25000.00")),
    ]
    assert figures(result, "2026-09")["bonus"] == 25000.0


def test_a_month_1_refund_lowers_both_two_step_steps() -> None:
    # check 100 000 − 40 000 = 60 000; step 1 and step 2 (2nd paying month, October) are
    # 15 % × 60 000 = 9 000 each; a month-1 refund claws nothing back
    result = result_of(
        [
            sale("10.09.2026", ANNA, "Ромашка", 100000),
            refund("11.09.2026", 40000),
            sale("10.10.2026", ANNA, "Ромашка", 100000),
        ],
        two_step(second_month=2),
    )
    assert [(i.step, i.basis, i.amount) for i in items(result)] == [
        (1, Decimal("60000.00"), Decimal("9000.00")),
        (2, Decimal("60000.00"), Decimal("9000.00")),
    ]


def test_a_month_1_refund_with_a_margin_lowers_the_margin_bonus() -> None:
    # margin scheme 50 %: month-1 margin 80 000 − the refund's 10 000 = 70 000 → 35 000
    result = result_of(
        [
            sale("10.09.2026", ANNA, "Ромашка", 160000, margin=80000),
            refund("20.09.2026", 20000, margin=10000),
        ],
        Config(bonus=BonusConfig(default_scheme="margin")),
    )
    assert [(i.scheme, i.basis, i.amount) for i in items(result)] == [
        ("margin", Decimal("70000.00"), Decimal("35000.00")),
    ]


# --- clawbacks ------------------------------------------------------------------------------------


def test_a_refund_in_month_2_claws_back_its_share_of_the_bonus() -> None:
    # check 120 000 → tiers 25 000 in September; the October refund of 20 000 claws back
    # 25 000 × 20 000 / 120 000 = 4 166,666… → 4 166,67, for Анна in October
    result = result_of([sale("10.09.2026", ANNA, "Ромашка", 120000), refund("15.10.2026", 20000)])
    [clawback] = items(result, CLAWBACK)
    assert (clawback.manager, clawback.month, clawback.client, clawback.step) == (
        ANNA,
        "2026-10",
        "Ромашка",
        None,
    )
    assert clawback.amount == Decimal("-4166.67") and clawback.basis == Decimal("25000.00")
    assert clawback.explain == (
        "возврат 20 000 по «Ромашка» (строка 3, 2026-10): бонус 25 000 × 20 000 / 120 000 чека "
        "1-го месяца → −4 166,67"
    )
    assert figures(result, "2026-10")["bonus"] == -4166.67
    assert figures(result, "2026-09")["bonus"] == 25000.0
    reported = json.loads(to_json(result))["bonus_items"]
    assert [(i["scheme"], i["step"], i["amount"]) for i in reported] == [
        ("tiers", 1, 25000.0),
        ("clawback", None, -4166.67),
    ]


def test_a_clawback_is_never_capped_by_the_monthly_cap() -> None:
    # monthly cap 1 000: September's 25 000 is cut to 1 000, but the clawback (taken from
    # the items as given: 1 000 × 20 000 / 120 000 = 166,67) is not cut by any limit
    config = Config(bonus=replace(BonusConfig(), monthly_cap=Decimal(1000)))
    result = result_of(
        [sale("10.09.2026", ANNA, "Ромашка", 120000), refund("15.10.2026", 20000)], config
    )
    [clawback] = items(result, CLAWBACK)
    assert clawback.amount == Decimal("-166.67") and clawback.withheld is None


def test_the_clawbacks_of_a_client_never_exceed_its_scheme_items() -> None:
    # 25 000 earned in September (check 120 000). October: refund 80 000 → 25 000 × 80/120 =
    # 16 666,67. November: refund 80 000 → again 16 666,67, but only 25 000 − 16 666,67 =
    # 8 333,33 is left. Together exactly −25 000.
    result = result_of(
        [
            sale("10.09.2026", ANNA, "Ромашка", 120000),
            sale("05.10.2026", ANNA, "Ромашка", 50000),
            refund("15.10.2026", 80000),
            refund("10.11.2026", 80000),
        ]
    )
    assert [(i.month, i.amount) for i in items(result, CLAWBACK)] == [
        ("2026-10", Decimal("-16666.67")),
        ("2026-11", Decimal("-8333.33")),
    ]
    assert sum(i.amount for i in items(result)) == 0
    assert items(result, CLAWBACK)[1].explain.endswith(
        "→ −16 666,67, но вместе с прежними возвратами — не больше бонуса: −8 333,33"
    )


def test_a_refund_after_clawback_months_claws_nothing_back() -> None:
    # month 1 = May. August is 3 calendar months after it: 25 000 × 12 000 / 120 000 = 2 500.
    # September (month 5) claws nothing; its refund still lowers September's revenue.
    result = result_of(
        [
            sale("10.05.2026", ANNA, "Ромашка", 120000),
            refund("15.08.2026", 12000),
            refund("15.09.2026", 12000),
        ]
    )
    assert [(i.month, i.amount) for i in items(result, CLAWBACK)] == [
        ("2026-08", Decimal("-2500.00"))
    ]
    assert figures(result, "2026-09")["revenue"] == -12000.0
    # with clawback_months = 4, September claws back 2 500 too
    longer = result_of(
        [sale("10.05.2026", ANNA, "Ромашка", 120000), refund("15.09.2026", 12000)],
        Config(bonus=replace(BonusConfig(), clawback_months=4)),
    )
    assert [i.amount for i in items(longer, CLAWBACK)] == [Decimal("-2500.00")]


def test_clawback_none_claws_nothing_back() -> None:
    config = Config(bonus=replace(BonusConfig(), clawback="none"))
    result = result_of(
        [sale("10.09.2026", ANNA, "Ромашка", 120000), refund("15.10.2026", 20000)], config
    )
    assert items(result, CLAWBACK) == []
    assert figures(result, "2026-10")["revenue"] == -20000.0  # the refund still counts
    assert figures(result, "2026-10")["bonus"] == 0.0


def test_a_clawback_in_english() -> None:
    result = result_of(
        [sale("10.09.2026", ANNA, "Ромашка", 120000), refund("15.10.2026", 200000)],
        Config(language="en"),
    )
    [clawback] = items(result, CLAWBACK)
    # 200 000 ≥ the month-1 check: the whole 25 000
    assert clawback.explain == (
        "refund 200,000 of «Ромашка» (row 3, 2026-10): bonus 25,000 × 1 (the refund is at "
        "least the month-1 check 120,000) → −25,000"
    )


# --- refund_without_payment, refund_exceeds_payments --------------------------------------------


def test_a_refund_without_a_payment_on_or_before_it_is_an_error() -> None:
    inputs = inputs_of(
        [
            sale("10.09.2026", ANNA, "Ромашка", 120000),
            refund("10.09.2026", 1000),  # same day as the payment: fine
            refund("05.09.2026", 1000, client="Лютик"),  # before Лютик's first payment
            sale("06.09.2026", ANNA, "Лютик", 50000),
            refund("15.09.2026", 1000, client="Василёк"),  # Василёк never paid
            sale("01.09.2026", ANNA, "Кактус", 50000, paid="нет"),
            refund("15.09.2026", 1000, client="Кактус"),  # its only row is unpaid
        ]
    )
    assert codes(inputs) == [
        (4, "refund_without_payment", "error"),
        (6, "refund_without_payment", "error"),
        (8, "refund_without_payment", "error"),
    ]
    assert inputs.sales["row"].tolist() == [2, 3, 5, 7]
    assert inputs.problems[0].message == (
        "Возврат клиенту «Лютик» от 05.09.2026, но оплат этого клиента с датой не позже нет. "
        "Проверьте название клиента (как в строке его оплаты) и дату возврата; если оплаты не "
        "было — удалите строку."
    )
    assert inputs.problems[0].column == "Клиент"


def test_a_refund_of_a_whole_payment_is_no_repeat_of_it() -> None:
    # same date, manager, client and amount as the payment above: a refund, not a repeat;
    # two such refunds are a repeat of each other
    inputs = inputs_of(
        [
            sale("10.09.2026", ANNA, "Ромашка", 120000),
            sale("10.10.2026", ANNA, "Ромашка", 120000),
            refund("10.10.2026", -120000),
            refund("10.10.2026", 120000),
        ]
    )
    assert codes(inputs) == [(5, "possible_duplicate", "warning")]


def test_a_refund_above_the_payments_so_far_warns_and_the_month_1_check_stops_at_zero() -> None:
    rows = [
        sale("10.09.2026", ANNA, "Ромашка", 120000),
        refund("20.09.2026", 100000),  # 100 000 of 120 000: fine
        refund("25.09.2026", 50000),  # 120 000 − 100 000 = 20 000 left: warns
    ]
    inputs = inputs_of(rows)
    assert codes(inputs) == [(4, "refund_exceeds_payments", "warning")]
    assert "заплатил к этой дате за вычетом прежних возвратов (20 000)" in (
        inputs.problems[0].message
    )
    result = compute(inputs, Config(), AS_OF)
    september = figures(result, "2026-09")
    # revenue falls by both refunds: 120 000 − 150 000 = −30 000; the month-1 check (new
    # revenue) stops at 0, below every tier: no bonus
    assert september["revenue"] == -30000.0 and september["new_revenue"] == 0.0
    assert items(result) == []


def test_refunds_leave_the_payments_frame_and_are_listed_apart() -> None:
    from sheets_kpi.core.compute.clients import analyse

    inputs = inputs_of(
        [
            sale("10.09.2026", ANNA, "Ромашка", 120000),
            refund("20.09.2026", 20000),
            refund("20.10.2026", 5000, manager=BORIS),
        ]
    )
    clients = analyse(inputs.sales)
    assert clients.payments["row"].tolist() == [2]
    refunds = clients.refunds
    assert refunds[["row", "month", "client_key", "manager", "amount_kop", "month1"]].to_dict(
        "records"
    ) == [
        {
            "row": 3,
            "month": "2026-09",
            "client_key": "ромашка",
            "manager": ANNA,
            "amount_kop": 2_000_000,
            "month1": True,
        },
        {
            "row": 4,
            "month": "2026-10",
            "client_key": "ромашка",
            "manager": BORIS,
            "amount_kop": 500_000,
            "month1": False,
        },
    ]
    assert refunds["date"].tolist() == [pd.Timestamp(2026, 9, 20), pd.Timestamp(2026, 10, 20)]
    table = clients.table.iloc[0]
    assert (table["month1_check_kop"], table["paying_months"]) == (10_000_000, 1)
