"""Monthly KPIs per manager and team (SPEC §6), each pinned by a small table worked by hand."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kpi_tables import bonus_item, clients_of, make_inputs, sale

from sheets_kpi.core.compute.cost import add_bonus
from sheets_kpi.core.compute.kpi import monthly_figures
from sheets_kpi.core.compute.trends import retention_4_counts
from sheets_kpi.core.inputs.schema import norm
from sheets_kpi.core.output.report import MONTHLY_COLUMNS
from sheets_kpi.core.roster import Roster
from sheets_kpi.core.settings import Config

AS_OF = date(2026, 11, 10)


def figures(inputs, as_of: date = AS_OF) -> tuple[pd.DataFrame, pd.DataFrame]:
    return monthly_figures(inputs, clients_of(inputs.sales), Config(), as_of)


def figures_with_bonus(inputs, items: list) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`figures` with the bonus line items added (cost.add_bonus), as the pipeline does."""
    monthly, team = figures(inputs)
    return add_bonus(
        monthly, team, items, Roster.from_frame(inputs.roster), clients=clients_of(inputs.sales)
    )


def row(frame: pd.DataFrame, month: str, manager: str | None = None) -> pd.Series:
    wanted = frame["month"] == month
    if manager is not None:
        wanted &= frame["manager"] == manager
    found = frame[wanted]
    assert len(found) == 1, f"expected one row for {month} {manager}, got {len(found)}"
    return found.iloc[0]


def test_frames_have_exactly_the_report_columns() -> None:
    inputs = make_inputs([sale("2026-09-03", "Иванов", "А", 100000)])
    monthly, team = figures(inputs)
    assert list(monthly.columns) == [*MONTHLY_COLUMNS, "manager_key"]
    assert list(team.columns) == [c for c in MONTHLY_COLUMNS if c != "manager"]


def test_no_sales_gives_empty_frames_with_columns() -> None:
    inputs = make_inputs([])
    monthly, team = figures(inputs)
    assert monthly.empty and team.empty
    assert list(monthly.columns) == [*MONTHLY_COLUMNS, "manager_key"]


def test_revenue_payments_average_check_and_known_margin() -> None:
    inputs = make_inputs(
        [
            sale("2026-09-03", "Иванов", "А", 100000, margin=30000),
            sale("2026-09-20", "Иванов", "Б", 50000),
            sale("2026-09-25", "Петров", "В", 80000),
        ]
    )
    monthly, team = figures(inputs)
    ivanov = row(monthly, "2026-09", "Иванов")
    # 100 000 + 50 000 = 150 000 over 2 payments → 75 000; margin only the known 30 000
    assert ivanov["revenue"] == 150000.0
    assert ivanov["payments"] == 2
    assert ivanov["avg_check"] == 75000.0
    assert ivanov["margin"] == 30000.0
    # Петров logged no margin at all: absent, not 0
    assert math.isnan(row(monthly, "2026-09", "Петров")["margin"])
    sep = row(team, "2026-09")
    # 230 000 / 3 = 76 666.666… → 76 666.67 (kopecks, half up)
    assert sep["revenue"] == 230000.0
    assert sep["payments"] == 3
    assert sep["avg_check"] == 76666.67
    assert sep["margin"] == 30000.0


def test_new_clients_count_their_whole_first_month_check_for_the_acquiring_manager() -> None:
    inputs = make_inputs(
        [
            sale("2026-08-05", "Иванов", "А", 100000),
            sale("2026-08-20", "Петров", "А", 20000),  # А's month 1, logged by Петров
            sale("2026-09-05", "Петров", "А", 40000),  # А's month 2 → repeat
            sale("2026-09-06", "Иванов", "Б", 70000, kind="existing"),  # existing → repeat
        ]
    )
    monthly, team = figures(inputs)
    aug_ivanov = row(monthly, "2026-08", "Иванов")
    # А's month-1 check = 100 000 + 20 000 = 120 000, credited to its acquirer Иванов
    assert (aug_ivanov["new_clients"], aug_ivanov["new_revenue"]) == (1, 120000.0)
    assert aug_ivanov["revenue"] == 100000.0
    aug_petrov = row(monthly, "2026-08", "Петров")
    assert (aug_petrov["new_clients"], aug_petrov["new_revenue"]) == (0, 0.0)
    assert aug_petrov["repeat_revenue"] == 0.0  # a month-1 payment is never repeat revenue
    assert row(monthly, "2026-09", "Петров")["repeat_revenue"] == 40000.0
    sep_ivanov = row(monthly, "2026-09", "Иванов")
    assert (sep_ivanov["new_clients"], sep_ivanov["repeat_revenue"]) == (0, 70000.0)
    assert row(team, "2026-08")["new_revenue"] == 120000.0
    # 40 000 + 70 000
    assert row(team, "2026-09")["repeat_revenue"] == 110000.0


def test_unpaid_rows_are_receivables_only() -> None:
    inputs = make_inputs(
        [
            sale("2026-09-03", "Петров", "А", 50000),
            sale("2026-10-07", "Петров", "Б", 30000, paid=False),
            sale("2026-10-08", "Петров", "В", 12000.5, paid=False),
        ]
    )
    monthly, team = figures(inputs)
    october = row(monthly, "2026-10", "Петров")
    # 30 000 + 12 000.50 invoiced, nothing paid: revenue is a real 0, the check is unknown
    assert october["receivables"] == 42000.5
    assert (october["revenue"], october["payments"], october["new_clients"]) == (0.0, 0, 0)
    assert math.isnan(october["avg_check"])
    assert row(monthly, "2026-09", "Петров")["receivables"] == 0.0
    assert row(team, "2026-10")["receivables"] == 42000.5


def test_growth_is_empty_when_the_previous_month_has_no_revenue() -> None:
    inputs = make_inputs(
        [
            sale("2025-10-10", "Иванов", "А", 80000),
            sale("2026-07-10", "Иванов", "А", 100000),
            # no August
            sale("2026-09-10", "Иванов", "А", 150000),
            sale("2026-10-10", "Иванов", "А", 120000),
        ]
    )
    monthly, team = figures(inputs)
    assert math.isnan(row(monthly, "2026-09", "Иванов")["growth_mom"])
    october = row(monthly, "2026-10", "Иванов")
    # (120 000 − 150 000) / 150 000 = −0.2; year on year (120 000 − 80 000) / 80 000 = 0.5
    assert october["growth_mom"] == pytest.approx(-0.2)
    assert october["growth_yoy"] == pytest.approx(0.5)
    assert math.isnan(row(monthly, "2026-09", "Иванов")["growth_yoy"])
    assert row(team, "2026-10")["growth_mom"] == pytest.approx(-0.2)


def test_plan_completion_and_a_real_zero_for_a_planned_month_without_sales() -> None:
    inputs = make_inputs(
        [sale("2026-10-10", "Иванов", "А", 150000)],
        plan=[("2026-10", "Иванов", 200000, 2), ("2026-10", "Петров", 100000, 1)],
    )
    monthly, _ = figures(inputs)
    ivanov = row(monthly, "2026-10", "Иванов")
    # 150 000 / 200 000 = 0.75
    assert ivanov["plan_pct"] == 0.75
    assert (ivanov["plan_revenue"], ivanov["plan_new_clients"]) == (200000.0, 2.0)
    petrov = row(monthly, "2026-10", "Петров")
    assert (petrov["revenue"], petrov["plan_pct"]) == (0.0, 0.0)
    assert math.isnan(petrov["avg_check"])


def test_a_plan_written_ahead_leaves_the_future_months_sales_figures_empty() -> None:
    inputs = make_inputs(
        [sale("2026-11-02", "Иванов", "А", 50000)],
        plan=[("2026-11", "Иванов", 100000, None), ("2026-12", "Иванов", 120000, None)],
    )
    monthly, team = figures(inputs)  # as_of 10 November: December has not happened
    december = row(monthly, "2026-12", "Иванов")
    assert december["plan_revenue"] == 120000.0
    for column in ("revenue", "payments", "plan_pct", "growth_mom", "avg_check", "retention_4"):
        assert math.isnan(december[column]), column
    assert math.isnan(row(team, "2026-12")["revenue"])
    # the current month is measured: 50 000 / 100 000
    assert row(monthly, "2026-11", "Иванов")["plan_pct"] == 0.5


def test_month_without_a_plan_has_empty_plan_figures() -> None:
    inputs = make_inputs([sale("2026-10-10", "Иванов", "А", 150000)])
    ivanov = row(figures(inputs)[0], "2026-10", "Иванов")
    assert math.isnan(ivanov["plan_revenue"])
    assert math.isnan(ivanov["plan_pct"])
    assert math.isnan(ivanov["plan_new_clients"])


def test_team_plan_is_the_team_row_else_the_sum_of_managers_plans() -> None:
    inputs = make_inputs(
        [sale("2026-09-10", "Иванов", "А", 150000), sale("2026-10-10", "Иванов", "Б", 90000)],
        plan=[
            ("2026-10", "Иванов", 200000, 2),
            ("2026-10", "Петров", 100000, 1),
            ("2026-11", "Иванов", 250000, 2),
            ("2026-11", None, 500000, None),
        ],
    )
    _, team = figures(inputs)
    # October: no team row → 200 000 + 100 000 = 300 000; 90 000 / 300 000 = 0.3
    october = row(team, "2026-10")
    assert (october["plan_revenue"], october["plan_new_clients"]) == (300000.0, 3.0)
    assert october["plan_pct"] == pytest.approx(0.3)
    # November: the team row wins for revenue; its empty new-clients cell falls back to 2
    november = row(team, "2026-11")
    assert (november["plan_revenue"], november["plan_new_clients"]) == (500000.0, 2.0)
    # September: no plan at all
    assert math.isnan(row(team, "2026-09")["plan_revenue"])


def test_forecast_runs_the_current_month_rate_to_its_end() -> None:
    # as_of = 10 November, a 30-day month
    inputs = make_inputs(
        [
            sale("2026-10-10", "Иванов", "А", 100000),
            sale("2026-11-03", "Иванов", "А", 60000),
            sale("2026-11-05", "Петров", "Б", 40000),
        ],
        plan=[
            ("2026-10", "Иванов", 100000, None),
            ("2026-11", "Иванов", 300000, None),
            ("2026-11", None, 500000, None),
        ],
    )
    monthly, team = figures(inputs, date(2026, 11, 10))
    # Иванов: 60 000 / 10 days × 30 days / 300 000 = 0.6
    assert row(monthly, "2026-11", "Иванов")["forecast_pct"] == pytest.approx(0.6)
    # Петров has no plan → no forecast; past months never have one
    assert math.isnan(row(monthly, "2026-11", "Петров")["forecast_pct"])
    assert math.isnan(row(monthly, "2026-10", "Иванов")["forecast_pct"])
    # team: (60 000 + 40 000) / 10 × 30 / 500 000 = 0.6
    assert row(team, "2026-11")["forecast_pct"] == pytest.approx(0.6)


def test_retention_counts_distinct_paying_months_not_calendar_gaps() -> None:
    inputs = make_inputs(
        [
            # А: paying months 01, 03, 05, 06 → its 4th paying month is 2026-06
            sale("2026-01-10", "Иванов", "А", 10000),
            sale("2026-02-10", "Иванов", "Б", 10000),  # Б: 02, 03 only
            sale("2026-03-10", "Иванов", "А", 10000),
            sale("2026-03-11", "Иванов", "Б", 10000),
            sale("2026-05-10", "Иванов", "А", 10000),
            sale("2026-05-11", "Иванов", "В", 10000),  # В: first month 05
            sale("2026-06-10", "Иванов", "А", 10000),
            sale("2026-08-10", "Иванов", "Г", 10000),
            # an existing client never counts in retention
            sale("2026-01-12", "Иванов", "Д", 10000, kind="existing"),
        ]
    )
    monthly, team = figures(inputs)
    # March: eligible = first month ≤ 2025-12 → nobody
    assert math.isnan(row(monthly, "2026-03", "Иванов")["retention_4"])
    # May: eligible А, Б (first ≤ 02); neither has a 4th paying month yet → 0 / 2
    assert row(monthly, "2026-05", "Иванов")["retention_4"] == 0.0
    # June: А reached its 4th paying month in 06 → 1 / 2
    assert row(monthly, "2026-06", "Иванов")["retention_4"] == 0.5
    # August: eligible А, Б, В (first ≤ 05) → 1 / 3
    assert row(monthly, "2026-08", "Иванов")["retention_4"] == pytest.approx(1 / 3)
    assert row(team, "2026-08")["retention_4"] == pytest.approx(1 / 3)
    counts = retention_4_counts(clients_of(inputs.sales).table, "2026-08")
    assert counts.loc["иванов"].tolist() == [3, 1]


def test_team_retention_pools_every_managers_clients() -> None:
    inputs = make_inputs(
        [
            sale("2026-01-10", "Иванов", "А", 10000),
            sale("2026-02-10", "Иванов", "А", 10000),
            sale("2026-03-10", "Иванов", "А", 10000),
            sale("2026-04-10", "Иванов", "А", 10000),
            sale("2026-01-11", "Петров", "Б", 10000),
            sale("2026-04-11", "Петров", "В", 10000),
        ]
    )
    monthly, team = figures(inputs)
    # April: Иванов 1 of 1 retained, Петров 0 of 1 (В is too recent) → team 1 / 2
    assert row(monthly, "2026-04", "Иванов")["retention_4"] == 1.0
    assert row(monthly, "2026-04", "Петров")["retention_4"] == 0.0
    assert row(team, "2026-04")["retention_4"] == 0.5


def test_salary_comes_from_the_roster_and_is_empty_without_one() -> None:
    inputs = make_inputs(
        [sale("2026-09-03", "иванов  иван", "А", 100000), sale("2026-09-04", "Петров", "Б", 1)],
        roster=[("Иванов Иван", None, 60000, True), ("Петров", None, None, True)],
    )
    monthly, team = figures(inputs)
    # the roster's spelling is the display form
    assert row(monthly, "2026-09", "Иванов Иван")["salary"] == 60000.0
    assert math.isnan(row(monthly, "2026-09", "Петров")["salary"])
    assert row(team, "2026-09")["salary"] == 60000.0


def test_rows_are_sorted_by_month_then_manager() -> None:
    inputs = make_inputs(
        [
            sale("2026-10-03", "Петров", "А", 1000),
            sale("2026-09-03", "Петров", "Б", 1000),
            sale("2026-10-04", "Андреев", "В", 1000),
        ]
    )
    monthly, team = figures(inputs)
    assert list(zip(monthly["month"], monthly["manager"], strict=True)) == [
        ("2026-09", "Петров"),
        ("2026-10", "Андреев"),
        ("2026-10", "Петров"),
    ]
    assert list(team["month"]) == ["2026-09", "2026-10"]


def test_bonus_cost_and_roi_where_salary_is_known() -> None:
    inputs = make_inputs(
        [
            sale("2026-09-03", "Иванов", "А", 100000, margin=30000),
            sale("2026-09-04", "Петров", "Б", 50000, margin=10000),
        ],
        roster=[("Иванов", None, 60000, True), ("Петров", None, None, True)],
    )
    items = [bonus_item("Иванов", "2026-09", "25000"), bonus_item("Иванов", "2026-09", "5000.50")]
    monthly, team = figures_with_bonus(inputs, items)
    ivanov = row(monthly, "2026-09", "Иванов")
    # bonus 25 000 + 5 000.50 = 30 000.50; cost 60 000 + 30 000.50 = 90 000.50;
    # roi (30 000 − 90 000.50) / 90 000.50
    assert ivanov["bonus"] == 30000.5
    assert ivanov["cost"] == 90000.5
    assert ivanov["roi"] == pytest.approx(-60000.5 / 90000.5)
    petrov = row(monthly, "2026-09", "Петров")
    assert petrov["bonus"] == 0.0
    assert math.isnan(petrov["cost"]) and math.isnan(petrov["roi"])
    september = row(team, "2026-09")
    # team: bonus 30 000.50, salary of the known one 60 000, margin 40 000
    assert (september["bonus"], september["salary"], september["cost"]) == (
        30000.5,
        60000.0,
        90000.5,
    )
    assert september["roi"] == pytest.approx((40000 - 90000.5) / 90000.5)


def test_a_bonus_in_a_month_without_sales_gets_its_own_row() -> None:
    inputs = make_inputs(
        [sale("2026-08-03", "Иванов", "А", 100000)],
        roster=[("Иванов", None, 60000, True)],
    )
    monthly, team = figures_with_bonus(inputs, [bonus_item("Иванов", "2026-10", "15000")])
    october = row(monthly, "2026-10", "Иванов")
    assert (october["revenue"], october["payments"], october["bonus"]) == (0.0, 0, 15000.0)
    # cost 60 000 + 15 000; no margin known → no roi
    assert october["cost"] == 75000.0
    assert math.isnan(october["roi"])
    assert list(monthly["month"]) == ["2026-08", "2026-10"]
    assert row(team, "2026-10")["bonus"] == 15000.0
    assert row(team, "2026-08")["bonus"] == 0.0


def test_a_bonus_only_month_has_its_retention_4() -> None:
    # Иванов acquires А (May) and Б (June); Б pays in June, July, August and, logged by
    # Петров, September: its 4th paying month. Иванов logs nothing in October, where a
    # bonus lands. Eligible in October: clients acquired by July (А, Б); retained: Б → 1/2.
    inputs = make_inputs(
        [
            sale("2026-05-03", "Иванов", "А", 100000),
            sale("2026-06-03", "Иванов", "Б", 100000),
            sale("2026-07-03", "Иванов", "Б", 10000),
            sale("2026-08-03", "Иванов", "Б", 10000),
            sale("2026-09-03", "Петров", "Б", 10000),
        ]
    )
    monthly, team = figures_with_bonus(inputs, [bonus_item("Иванов", "2026-10", "15000")])
    october = row(monthly, "2026-10", "Иванов")
    assert (october["revenue"], october["bonus"]) == (0.0, 15000.0)
    assert october["retention_4"] == 0.5
    assert row(team, "2026-10")["retention_4"] == 0.5


SALE_ROWS = st.lists(
    st.tuples(
        st.sampled_from(["2025-11", "2026-01", "2026-02", "2026-04", "2026-05", "2026-08"]),
        st.sampled_from(["Иванов", "Петров", "Сидоров"]),
        st.sampled_from(["А", "Б", "В", "Г", "Д"]),
        st.integers(min_value=1, max_value=500000),
        st.booleans(),
        st.sampled_from([None, None, "existing"]),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=20, deadline=None)
@given(SALE_ROWS)
def test_team_sums_match_managers_and_retention_matches_its_reference(rows) -> None:
    inputs = make_inputs(
        [
            sale(f"{month}-15", manager, client, amount, paid=paid, kind=kind)
            for month, manager, client, amount, paid, kind in rows
        ]
    )
    clients = clients_of(inputs.sales)
    monthly, team = monthly_figures(inputs, clients, Config(), AS_OF)
    summed = monthly.groupby("month")[
        ["revenue", "payments", "new_clients", "new_revenue", "repeat_revenue", "receivables"]
    ].sum()
    for column in summed.columns:
        assert team.set_index("month")[column].to_dict() == pytest.approx(summed[column].to_dict())
    # every paid rouble is either a new client's month-1 payment or repeat revenue
    assert (monthly["repeat_revenue"] <= monthly["revenue"] + 1e-9).all()
    for month, manager_key, share in zip(
        monthly["month"], monthly["manager_key"], monthly["retention_4"], strict=True
    ):
        counts = retention_4_counts(clients.table, month)
        if manager_key in counts.index:
            eligible, retained = counts.loc[manager_key]
            assert share == pytest.approx(retained / eligible)
        else:
            assert math.isnan(share)


@settings(max_examples=30, deadline=None)
@given(SALE_ROWS)
def test_manager_month_sums_match_a_plain_recount(rows) -> None:
    # The grid sums of kpi._sales_aggregates against one loop over the rows: revenue and
    # payments of paid rows, receivables of unpaid ones, new clients by their earliest payment
    # (all on the 15th here, so the upper row) unless that row says «existing».
    inputs = make_inputs(
        [
            sale(f"{month}-15", manager, client, amount, paid=paid, kind=kind)
            for month, manager, client, amount, paid, kind in rows
        ]
    )
    monthly, _ = monthly_figures(inputs, clients_of(inputs.sales), Config(), AS_OF)
    expected: dict[tuple[str, str], dict[str, float]] = {}
    earliest: dict[str, tuple[str, str, str | None]] = {}
    for month, manager, client, amount, paid, kind in rows:
        cell = expected.setdefault(
            (month, norm(manager)),
            {"revenue": 0.0, "payments": 0, "receivables": 0.0, "new_clients": 0},
        )
        if not paid:
            cell["receivables"] += amount
            continue
        cell["revenue"] += amount
        cell["payments"] += 1
        if client not in earliest or month < earliest[client][0]:
            earliest[client] = (month, norm(manager), kind)
    for month, manager_key, kind in earliest.values():
        if kind != "existing":
            expected[(month, manager_key)]["new_clients"] += 1
    found = {
        (row.month, row.manager_key, figure): getattr(row, figure)
        for row in monthly.itertuples(index=False)
        for figure in ("revenue", "payments", "receivables", "new_clients")
    }
    flat = {
        (*key, figure): value for key, cell in expected.items() for figure, value in cell.items()
    }
    assert found == pytest.approx(flat)
