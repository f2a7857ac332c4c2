"""Each bonus scheme as a plain function (core/compute/schemes/): new clients in, lines out,
on small inline tables worked by hand; and every scheme against a plain one-client-at-a-time
recount in `Decimal` (the columns are the fast path, the recount says what they must give)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_kpi.core.compute.schemes import fixed, margin, tiers, two_step
from sheets_kpi.core.compute.schemes.records import Accruals, NewClients
from sheets_kpi.core.compute.schemes.wording import explanations
from sheets_kpi.core.settings import FixedScheme, MarginScheme, TiersScheme, TwoStepScheme

D = Decimal


def new_clients(*rows: dict) -> NewClients:
    """Clients in first-row order: manager, client, months (paying), check and margin in
    roubles (margin None = missing), inbound."""

    def column(values: list, dtype: object = object) -> np.ndarray:
        array = np.empty(len(values), dtype=dtype)
        array[:] = values
        return array

    return NewClients(
        manager_key=column([row["manager"].lower() for row in rows]),
        manager=column([row["manager"] for row in rows]),
        client_key=column([row["client"].lower() for row in rows]),
        client=column([row["client"] for row in rows]),
        first_month=column([row["months"][0] for row in rows]),
        first_row=column([position + 2 for position in range(len(rows))], np.int64),
        inbound=column([row.get("inbound", False) for row in rows], bool),
        check_kop=column([int(D(row["check"]) * 100) for row in rows], np.int64),
        margin_kop=column(
            [0 if row.get("margin") is None else int(D(row["margin"]) * 100) for row in rows],
            np.int64,
        ),
        lacks_margin=column([row.get("margin") is None for row in rows], bool),
        months=column([tuple(row["months"]) for row in rows]),
        paying_months=column([len(row["months"]) for row in rows], np.int64),
    )


def lines_of(found: list[Accruals]) -> list[tuple]:
    """(month, client, step, basis, amount) of every line."""
    return [
        (month, client, lines.step, basis, amount)
        for lines in found
        for month, client, basis, amount in zip(
            lines.month, lines.client, lines.basis, lines.amount, strict=True
        )
    ]


TIERS = ((D(100000), D(10000)), (D(150000), D(20000)))


def test_tiers_client_basis_pays_the_highest_tier_each_check_reaches() -> None:
    clients = new_clients(
        {"manager": "Анна", "client": "А", "months": ["2026-05"], "check": "99999.99"},
        {"manager": "Анна", "client": "Б", "months": ["2026-05"], "check": "100000"},
        {"manager": "Анна", "client": "В", "months": ["2026-06"], "check": "160000"},
    )
    found = tiers.accrue(clients, TiersScheme(TIERS))
    # А is a kopeck short of 100 000: nothing; Б reaches tier 1 (10 000); В tier 2 (20 000)
    assert lines_of(found) == [
        ("2026-05", "Б", 1, D("100000.00"), D("10000.00")),
        ("2026-06", "В", 1, D("160000.00"), D("20000.00")),
    ]
    assert found[0].tier == [D(100000), D(150000)] and found[0].level == [1, 2]
    assert (
        explanations(found[0], "ru")[0] == "уровень 1: чек 1-го месяца 100 000 ≥ 100 000 → 10 000"
    )


def test_tiers_month_basis_sums_a_managers_new_clients_of_the_month() -> None:
    clients = new_clients(
        {"manager": "Анна", "client": "А", "months": ["2026-05"], "check": "60000"},
        {"manager": "Борис", "client": "Б", "months": ["2026-05"], "check": "90000"},
        {"manager": "Анна", "client": "В", "months": ["2026-05"], "check": "50000"},
    )
    [found] = tiers.accrue(clients, TiersScheme(TIERS, basis="month"))
    # Анна: 60 000 + 50 000 = 110 000 ≥ 100 000 → 10 000 for 2 clients; Борис: 90 000, nothing
    assert lines_of([found]) == [("2026-05", None, 1, D("110000.00"), D("10000.00"))]
    assert found.manager == ["Анна"] and found.clients == [2] and found.order == [2]
    assert explanations(found, "en") == [
        "tier 1: 2 new clients in 2026-05, month-1 checks total 110,000 ≥ 100,000 → 10,000"
    ]


def test_two_step_pays_step_two_in_the_nth_paying_month_and_keeps_the_rest_pending() -> None:
    clients = new_clients(
        {"manager": "Анна", "client": "А", "check": "1000.10",
         "months": ["2026-01", "2026-02", "2026-04", "2026-05"]},
        {"manager": "Анна", "client": "Б", "check": "2000", "months": ["2026-03", "2026-09"]},
    )  # fmt: skip
    scheme = TwoStepScheme(D("0.15"), D("0.10"), 4)
    found = two_step.accrue(clients, scheme)
    # А: 15 % × 1 000,10 = 150,015 → 150,02 (half-up); its 4th paying month is 2026-05:
    # 10 % × 1 000,10 = 100,01. Б: 15 % × 2 000 = 300; two paying months, step 2 waits
    assert lines_of(found) == [
        ("2026-01", "А", 1, D("1000.10"), D("150.02")),
        ("2026-03", "Б", 1, D("2000.00"), D("300.00")),
        ("2026-05", "А", 2, D("1000.10"), D("100.01")),
    ]
    assert explanations(found[1], "ru") == [
        "шаг 2 из 2: 10 % × 1 000,10 (чек 1-го месяца), 4-й месяц оплаты — 2026-05 → 100,01"
    ]
    [(row, waiting)] = two_step.pending(clients, scheme, "2026-10")
    # Б last paid in 2026-09, before the last complete month 2026-10: at risk; 10 % × 2 000
    assert (row, waiting.client, waiting.amount, waiting.paid_months) == (3, "Б", D("200.00"), 2)
    assert waiting.at_risk


def test_margin_pays_a_rate_of_the_month_one_margin_and_skips_a_missing_one() -> None:
    month = ["2026-05"]
    clients = new_clients(
        {"manager": "Анна", "client": "А", "months": month, "check": "9000", "margin": "3000.01"},
        {"manager": "Анна", "client": "Б", "months": month, "check": "9000", "margin": None},
    )
    found = margin.accrue(clients, MarginScheme(D("0.5")))
    # 50 % × 3 000,01 = 1 500,005 → 1 500,01; Б has no margin: no line (bonus.py reports it)
    assert lines_of(found) == [("2026-05", "А", 1, D("3000.01"), D("1500.01"))]
    assert explanations(found[0], "en") == ["month-1 margin 3,000.01 × 50 % → 1,500.01"]


def test_fixed_pays_every_new_client_or_only_inbound_ones() -> None:
    clients = new_clients(
        {"manager": "Анна", "client": "А", "months": ["2026-05"], "check": "10", "inbound": True},
        {"manager": "Анна", "client": "Б", "months": ["2026-06"], "check": "10"},
    )
    # 5 000 per client; inbound only: А alone
    every = fixed.accrue(clients, FixedScheme(D(5000), inbound_only=False))
    assert [line[1] for line in lines_of(every)] == ["А", "Б"]
    inbound = fixed.accrue(clients, FixedScheme(D(5000), inbound_only=True))
    assert lines_of(inbound) == [("2026-05", "А", 1, D(0), D("5000.00"))]
    assert explanations(inbound[0], "ru") == ["фикс за нового клиента (входящий) → 5 000"]


# ---- the columns against a plain recount --------------------------------------------------------


def half_up(amount: Decimal) -> Decimal:
    return amount.quantize(D("0.01"), rounding=ROUND_HALF_UP)


def plain(rows: list[dict], scheme: object) -> list[tuple]:
    """(month, client, step, basis, amount) of each line, one client at a time, as SPEC §5 says."""
    found = []
    for row in rows:
        check, month = D(row["check"]), row["months"][0]
        if isinstance(scheme, TiersScheme):
            reached = [bonus for threshold, bonus in scheme.tiers if threshold <= check]
            if reached:
                found.append((month, row["client"], 1, check, half_up(reached[-1])))
        elif isinstance(scheme, TwoStepScheme):
            found.append((month, row["client"], 1, check, half_up(scheme.first_rate * check)))
            if len(row["months"]) >= scheme.second_month:
                second = row["months"][scheme.second_month - 1]
                found.append((second, row["client"], 2, check, half_up(scheme.second_rate * check)))
        elif isinstance(scheme, MarginScheme) and row["margin"] is not None:
            basis = D(row["margin"])
            found.append((month, row["client"], 1, basis, half_up(scheme.rate * basis)))
    return sorted(found, key=lambda line: (line[2], line[1]))


money = st.integers(min_value=0, max_value=10**9).map(lambda kopecks: str(D(kopecks) / 100))
rate = st.integers(min_value=0, max_value=10**4).map(lambda basis_points: D(basis_points) / 10**4)
months = st.lists(st.sampled_from(["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"]),
                  min_size=1, max_size=5, unique=True).map(sorted)  # fmt: skip
clients_strategy = st.lists(
    st.fixed_dictionaries(
        {"check": money, "margin": st.none() | money, "months": months},
    ),
    max_size=12,
).map(
    lambda rows: [{**row, "manager": "Анна", "client": f"К{i:02d}"} for i, row in enumerate(rows)]
)
schemes = st.one_of(
    st.lists(money, min_size=1, max_size=3, unique=True).map(
        lambda thresholds: TiersScheme(
            tuple((D(threshold), D(level * 1000)) for level, threshold in enumerate(
                sorted(thresholds, key=D), start=1))
        )
    ),
    st.builds(TwoStepScheme, rate, rate, st.integers(min_value=2, max_value=5)),
    st.builds(MarginScheme, rate),
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(rows=clients_strategy, scheme=schemes)
def test_every_scheme_gives_what_a_plain_recount_gives(rows: list[dict], scheme: object) -> None:
    accrue = {
        TiersScheme: tiers.accrue,
        TwoStepScheme: two_step.accrue,
        MarginScheme: margin.accrue,
    }
    found = lines_of(accrue[type(scheme)](new_clients(*rows), scheme))  # type: ignore[operator]
    assert sorted(found, key=lambda line: (line[2], line[1])) == plain(rows, scheme)
    # amounts and bases keep two decimals, as the report shows them
    assert all(line[3].as_tuple().exponent == -2 == line[4].as_tuple().exponent for line in found)
