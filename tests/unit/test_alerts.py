"""Alert rules (SPEC §7, issue 6): each one firing and not firing on a small table."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pandas as pd
from kpi_tables import clients_of, make_inputs, sale

from sheets_kpi.core.compute.alerts import KINDS, compute
from sheets_kpi.core.compute.cost import add_bonus
from sheets_kpi.core.compute.kpi import monthly_figures
from sheets_kpi.core.inputs.schema import norm
from sheets_kpi.core.model import Alert, Problem
from sheets_kpi.core.roster import Roster
from sheets_kpi.core.settings import Config, TiersScheme, TwoStepScheme

AS_OF = date(2026, 11, 10)  # current month 2026-11; last complete months 2026-10, 2026-09
TWO_STEP = TwoStepScheme(Decimal("0.15"), Decimal("0.15"), 4)


def alerts_for(
    inputs, as_of: date = AS_OF, funnel=None, config: Config | None = None
) -> list[Alert]:
    config = config or Config()
    clients = clients_of(inputs.sales)
    monthly, team = monthly_figures(inputs, clients, config, as_of)
    monthly, team = add_bonus(monthly, team, [], Roster.from_frame(inputs.roster), clients=clients)
    return compute(inputs, clients, monthly, funnel, config, as_of)


def of_kind(alerts: list[Alert], kind: str) -> list[Alert]:
    return [alert for alert in alerts if alert.kind == kind]


# --- plan_missed_2_months ----------------------------------------------------------------------


def test_plan_missed_in_both_last_complete_months_suggests_next_steps() -> None:
    inputs = make_inputs(
        [sale("2026-09-10", "Иванов", "А", 80000), sale("2026-10-10", "Иванов", "А", 90000)],
        plan=[("2026-09", "Иванов", 100000, None), ("2026-10", "Иванов", 100000, None)],
    )
    [alert] = of_kind(alerts_for(inputs), "plan_missed_2_months")
    assert (alert.manager, alert.month) == ("Иванов", "2026-10")
    # 80 000 / 100 000 and 90 000 / 100 000
    assert "80 %" in alert.message and "90 %" in alert.message
    assert "причины" in alert.message and "в пару с сильным коллегой" in alert.message


def test_plan_met_in_one_of_the_two_months_is_no_alert() -> None:
    inputs = make_inputs(
        [sale("2026-09-10", "Иванов", "А", 80000), sale("2026-10-10", "Иванов", "А", 100000)],
        plan=[("2026-09", "Иванов", 100000, None), ("2026-10", "Иванов", 100000, None)],
    )
    assert of_kind(alerts_for(inputs), "plan_missed_2_months") == []


def test_a_month_without_a_plan_breaks_the_run() -> None:
    inputs = make_inputs(
        [sale("2026-09-10", "Иванов", "А", 80000), sale("2026-10-10", "Иванов", "А", 90000)],
        plan=[("2026-10", "Иванов", 100000, None), ("2026-11", "Иванов", 100000, None)],
    )
    # the current month (November) is not complete, September had no plan
    assert of_kind(alerts_for(inputs), "plan_missed_2_months") == []


# --- possible_fake_client ----------------------------------------------------------------------


def test_check_just_above_a_tier_threshold_and_no_second_payment_is_suspicious() -> None:
    # default tiers: 100 000 and 150 000; 100 000 ≤ 102 000 ≤ 105 000
    inputs = make_inputs([sale("2026-08-10", "Иванов", "Рога и копыта", 102000)])
    [alert] = of_kind(alerts_for(inputs), "possible_fake_client")
    assert (alert.manager, alert.month) == ("Иванов", "2026-08")
    assert "Рога и копыта" in alert.message and "100 000 ₽" in alert.message


def test_check_more_than_five_percent_above_the_threshold_is_fine() -> None:
    # 106 000 > 100 000 × 1.05
    inputs = make_inputs([sale("2026-08-10", "Иванов", "А", 106000)])
    assert of_kind(alerts_for(inputs), "possible_fake_client") == []


def test_fake_client_waits_for_two_complete_months() -> None:
    inputs = make_inputs([sale("2026-08-10", "Иванов", "А", 102000)])
    # as_of in October: only September is complete after August
    assert of_kind(alerts_for(inputs, date(2026, 10, 31)), "possible_fake_client") == []


def test_client_who_paid_again_is_not_suspicious() -> None:
    inputs = make_inputs(
        [sale("2026-08-10", "Иванов", "А", 102000), sale("2026-10-10", "Иванов", "А", 5000)]
    )
    assert of_kind(alerts_for(inputs), "possible_fake_client") == []


def test_existing_client_is_never_a_fake_new_one() -> None:
    inputs = make_inputs([sale("2026-08-10", "Иванов", "А", 102000, kind="existing")])
    assert of_kind(alerts_for(inputs), "possible_fake_client") == []


def test_roster_tiers_scheme_gives_the_thresholds() -> None:
    own_tiers = TiersScheme(((Decimal(50000), Decimal(5000)),))
    inputs = make_inputs(
        [sale("2026-08-10", "Иванов", "А", 51000), sale("2026-08-11", "Петров", "Б", 102000)],
        roster=[("Иванов", own_tiers, None, True), ("Петров", TWO_STEP, None, True)],
    )
    # Иванов: 50 000 ≤ 51 000 ≤ 52 500; Петров is on two_step: no thresholds, no plan
    alerts = of_kind(alerts_for(inputs), "possible_fake_client")
    assert [alert.manager for alert in alerts] == ["Иванов"]


def test_check_that_just_closes_the_plan_gap_is_suspicious() -> None:
    inputs = make_inputs(
        [
            sale("2026-08-05", "Петров", "Б", 200000),
            sale("2026-09-05", "Петров", "Б", 200000),  # Б paid again: not suspicious
            sale("2026-08-30", "Петров", "А", 101000),
        ],
        plan=[("2026-08", "Петров", 300000, None)],
        roster=[("Петров", TWO_STEP, None, True)],
    )
    # gap for А = 300 000 − (301 000 − 101 000) = 100 000; 100 000 ≤ 101 000 ≤ 105 000
    [alert] = of_kind(alerts_for(inputs), "possible_fake_client")
    assert alert.manager == "Петров" and "«А»" in alert.message
    assert "100 000 ₽" in alert.message and "план" in alert.message


# --- low_retention -----------------------------------------------------------------------------


def retention_sales(weak_clients: int) -> list[dict[str, object]]:
    """Петров: 4 clients who each pay Jan–Apr. Иванов: `weak_clients` who pay once in Jan."""
    rows = [
        sale(f"2026-{month:02d}-10", "Петров", f"П{number}", 10000)
        for number in range(4)
        for month in range(1, 5)
    ]
    rows += [sale("2026-01-12", "Иванов", f"И{number}", 10000) for number in range(weak_clients)]
    return rows


def test_retention_below_half_the_teams_is_flagged() -> None:
    inputs = make_inputs(retention_sales(4))
    # Иванов 0 / 4 = 0 %; team 4 / 8 = 50 %; 0 < 25 %
    [alert] = of_kind(alerts_for(inputs), "low_retention")
    assert (alert.manager, alert.month) == ("Иванов", "2026-11")
    assert "0 из 4" in alert.message and "50 %" in alert.message


def test_retention_needs_four_eligible_clients() -> None:
    inputs = make_inputs(retention_sales(3))
    assert of_kind(alerts_for(inputs), "low_retention") == []


# --- plan_spike --------------------------------------------------------------------------------


def test_plan_rising_more_than_thirty_percent_is_flagged_in_any_month() -> None:
    inputs = make_inputs(
        [sale("2026-11-02", "Иванов", "А", 1000)],
        plan=[
            ("2026-08", "Иванов", 100000, None),
            ("2026-09", "Иванов", 100000, None),
            ("2026-10", "Иванов", 200000, None),  # a past spike: +100 %
            ("2026-11", "Иванов", 200000, None),
            ("2026-12", "Иванов", 261000, None),  # +30.5 %
            ("2027-01", "Иванов", 339300, None),  # exactly +30 %: not more than 30 %
            ("2026-12", None, 900000, None),  # team rows are not a manager's plan
            ("2026-06", "Петров", 100000, None),  # no plan for July: nothing to compare
            ("2026-08", "Петров", 500000, None),
        ],
    )
    past, coming = of_kind(alerts_for(inputs), "plan_spike")
    assert (past.manager, past.month) == ("Иванов", "2026-10")
    assert "100 %" in past.message and "опечатка" in past.message
    assert "лидерборд" in past.message and "обсудите" not in past.message
    assert (coming.manager, coming.month) == ("Иванов", "2026-12")
    assert "30,5 %" in coming.message and "обсудите с менеджером" in coming.message


# --- shared_client -----------------------------------------------------------------------------


def test_client_logged_by_two_managers_gives_one_alert_naming_both() -> None:
    inputs = make_inputs(
        [
            sale("2026-08-10", "Иванов", "А", 10000),
            sale("2026-09-10", "Петров", "А", 10000),
            sale("2026-10-10", "Иванов", "А", 10000),
            sale("2026-10-11", "Петров", "Б", 10000),
        ]
    )
    [alert] = of_kind(alerts_for(inputs), "shared_client")
    assert (alert.manager, alert.month) == (None, "2026-10")
    assert "Иванов, Петров" in alert.message and "«А»" in alert.message


def test_a_client_name_typed_in_quotes_is_not_quoted_twice() -> None:
    inputs = make_inputs(
        [sale("2026-10-10", "Иванов", "«Альфа»", 10000), sale("2026-10-11", "Петров", "Альфа", 10)]
    )
    [alert] = of_kind(alerts_for(inputs), "shared_client")
    assert "клиента «Альфа» вносили" in alert.message
    assert "««" not in alert.message


# --- data_errors -------------------------------------------------------------------------------


def problem(severity: str) -> Problem:
    return Problem("Продажи", 5, "Сумма", "abc", "bad_amount", severity, "Сумма не число")


def test_data_errors_counts_errors_and_points_to_the_errors_tab() -> None:
    inputs = make_inputs(
        [sale("2026-11-02", "Иванов", "А", 1000)],
        problems=[problem("error"), problem("warning"), problem("error")],
    )
    [alert] = of_kind(alerts_for(inputs), "data_errors")
    assert "2 ошибки" in alert.message and "«Ошибки»" in alert.message
    english = of_kind(alerts_for(inputs, config=Config(language="en")), "data_errors")
    assert "2 errors" in english[0].message and "«Errors»" in english[0].message


def test_warnings_alone_are_no_data_errors_alert() -> None:
    inputs = make_inputs([sale("2026-11-02", "Иванов", "А", 1000)], problems=[problem("warning")])
    assert of_kind(alerts_for(inputs), "data_errors") == []


def test_data_errors_counts_the_errors_found_while_computing_bonuses() -> None:
    from sheets_kpi.core.settings import MarginScheme
    from sheets_kpi.pipeline import compute as compute_run

    # A margin-scheme client's month-1 payment without a margin: a bad_setting error found by
    # the bonus step (the payment still counts in revenue; the bonus is not computed).
    inputs = make_inputs(
        [sale("2026-11-02", "Иванов", "А", 1000)],
        roster=[("Иванов", MarginScheme(Decimal("0.5")), None, True)],
        problems=[problem("error")],
    )
    result = compute_run(inputs, Config(), AS_OF)
    assert sorted(problem.code for problem in result.problems) == ["bad_amount", "bad_setting"]
    [alert] = of_kind(list(result.alerts), "data_errors")
    assert "2 ошибки" in alert.message


# --- slow_first_contact, stale_deals, low_activity (issue 6) ------------------------------------


def funnel_of(rows: list[tuple[str, str | None, float]]) -> SimpleNamespace:
    """Funnel rows: (month, manager or None for the team, first_contact_hours_median)."""
    frame = pd.DataFrame(
        {
            "month": [month for month, _, _ in rows],
            "manager": [name for _, name, _ in rows],
            "manager_key": [None if name is None else norm(name) for _, name, _ in rows],
            "first_contact_hours_median": [hours for _, _, hours in rows],
        }
    )
    return SimpleNamespace(funnel=frame, activity=None)


def test_slow_first_contact_this_month_is_flagged() -> None:
    inputs = make_inputs([sale("2026-11-02", "Иванов", "А", 1000)])
    funnel = funnel_of(
        [
            ("2026-11", "Иванов", 30.0),  # above 24 h
            ("2026-11", "Петров", 20.0),
            ("2026-11", None, 40.0),  # the team row is nobody's
            ("2026-10", "Сидоров", 50.0),  # last month
        ]
    )
    [alert] = of_kind(alerts_for(inputs, funnel=funnel), "slow_first_contact")
    assert (alert.manager, alert.month) == ("Иванов", "2026-11")
    assert "30 ч" in alert.message and "24 ч" in alert.message


def test_first_contact_limit_comes_from_the_config() -> None:
    from sheets_kpi.core.settings import AlertConfig

    inputs = make_inputs([sale("2026-11-02", "Иванов", "А", 1000)])
    config = Config(alerts=AlertConfig(slow_first_contact_hours=48.0))
    funnel = funnel_of([("2026-11", "Иванов", 30.0)])
    assert of_kind(alerts_for(inputs, funnel=funnel, config=config), "slow_first_contact") == []


def deals_of(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """Deals: (lead date, manager, status)."""
    return pd.DataFrame(
        {
            "row": list(range(2, len(rows) + 2)),
            "lead_date": pd.to_datetime([day for day, _, _ in rows]),
            "month": [day[:7] for day, _, _ in rows],
            "manager_key": [norm(name) for _, name, _ in rows],
            "manager": [name for _, name, _ in rows],
            "status": [status for _, _, status in rows],
        }
    )


def test_open_deals_older_than_sixty_days_are_counted_per_manager() -> None:
    deals = deals_of(
        [
            ("2026-08-01", "Иванов", "open"),  # 101 days before 10 Nov
            ("2026-09-05", "Иванов", "open"),  # 66 days
            ("2026-09-15", "Иванов", "open"),  # 56 days: not stale yet
            ("2026-01-10", "Иванов", "won"),  # closed
            ("2026-09-11", "Петров", "open"),  # exactly 60 days: not more than 60
        ]
    )
    inputs = make_inputs([sale("2026-11-02", "Иванов", "А", 1000)], deals=deals)
    [alert] = of_kind(alerts_for(inputs), "stale_deals")
    assert (alert.manager, alert.month) == ("Иванов", "2026-11")
    assert "2 сделки" in alert.message and "01.08.2026" in alert.message


def activity_of(rows: list[tuple[str, str | None, int, int, int]]) -> SimpleNamespace:
    """Activity rows: (month, manager or None, calls, meetings, presentations)."""
    frame = pd.DataFrame(
        {
            "month": [row[0] for row in rows],
            "manager": [row[1] for row in rows],
            "manager_key": [None if row[1] is None else norm(row[1]) for row in rows],
            "calls": pd.array([row[2] for row in rows], dtype="Int64"),
            "meetings": pd.array([row[3] for row in rows], dtype="Int64"),
            "presentations": pd.array([row[4] for row in rows], dtype="Int64"),
            "proposals": pd.array([0] * len(rows), dtype="Int64"),
        }
    )
    return SimpleNamespace(funnel=None, activity=frame)


def test_communications_below_half_the_team_median_are_flagged() -> None:
    inputs = make_inputs([sale("2026-11-02", "Иванов", "А", 1000)])
    activity = activity_of(
        [
            ("2026-11", "Иванов", 90, 5, 5),  # 100
            ("2026-11", "Петров", 70, 5, 5),  # 80: the median
            ("2026-11", "Сидоров", 30, 0, 9),  # 39 < 40
            ("2026-11", None, 190, 10, 19),  # team row
        ]
    )
    [alert] = of_kind(alerts_for(inputs, funnel=activity), "low_activity")
    assert (alert.manager, alert.month) == ("Сидоров", "2026-11")
    assert "39 коммуникаций" in alert.message and "(80)" in alert.message


def test_low_activity_needs_three_active_managers() -> None:
    inputs = make_inputs([sale("2026-11-02", "Иванов", "А", 1000)])
    activity = activity_of([("2026-11", "Иванов", 100, 0, 0), ("2026-11", "Петров", 10, 0, 0)])
    assert of_kind(alerts_for(inputs, funnel=activity), "low_activity") == []


def test_low_activity_leaves_out_managers_marked_inactive_in_the_roster() -> None:
    # Active: 100, 60, 20 → median 60, half 30: Сидоров (20) is below it. Counting Гусев, who
    # has left (Активен = нет), would make the median 40 and flag Гусев instead of Сидоров.
    inputs = make_inputs(
        [sale("2026-11-02", "Иванов", "А", 1000)],
        roster=[
            ("Иванов", None, None, True),
            ("Петров", None, None, True),
            ("Сидоров", None, None, True),
            ("Гусев", None, None, False),
        ],
    )
    activity = activity_of(
        [
            ("2026-11", "Иванов", 100, 0, 0),
            ("2026-11", "Петров", 60, 0, 0),
            ("2026-11", "Сидоров", 20, 0, 0),
            ("2026-11", "Гусев", 0, 0, 0),
        ]
    )
    [alert] = of_kind(alerts_for(inputs, funnel=activity), "low_activity")
    assert alert.manager == "Сидоров"
    assert "20 коммуникаций" in alert.message and "(60)" in alert.message


def test_low_activity_counts_only_active_managers_towards_three() -> None:
    inputs = make_inputs(
        [sale("2026-11-02", "Иванов", "А", 1000)],
        roster=[("Иванов", None, None, True), ("Петров", None, None, True),
                ("Гусев", None, None, False)],
    )  # fmt: skip
    activity = activity_of(
        [
            ("2026-11", "Иванов", 100, 0, 0),
            ("2026-11", "Петров", 10, 0, 0),
            ("2026-11", "Гусев", 90, 0, 0),
        ]
    )
    assert of_kind(alerts_for(inputs, funnel=activity), "low_activity") == []


# --- order -------------------------------------------------------------------------------------


def test_alerts_are_sorted_by_kind_then_manager_then_month() -> None:
    inputs = make_inputs(
        [
            sale("2026-08-10", "Петров", "Б", 102000),
            sale("2026-07-10", "Петров", "В", 151000),
            sale("2026-08-10", "Андреев", "Г", 100500),
            sale("2026-09-10", "Андреев", "Д", 1000),
            sale("2026-10-10", "Петров", "Д", 1000),
        ],
        problems=[problem("error")],
    )
    alerts = alerts_for(inputs)
    assert [(alert.kind, alert.manager, alert.month) for alert in alerts] == [
        ("possible_fake_client", "Андреев", "2026-08"),
        ("possible_fake_client", "Петров", "2026-07"),
        ("possible_fake_client", "Петров", "2026-08"),
        ("shared_client", None, "2026-10"),
        ("data_errors", None, "2026-11"),
    ]
    assert [alert.kind for alert in alerts] == sorted(
        (alert.kind for alert in alerts), key=KINDS.index
    )


def test_english_messages_have_no_russian_words() -> None:
    import re

    inputs = make_inputs(
        [
            *[
                sale(f"2026-{month:02d}-10", "Olga", f"P{number}", 10000)
                for number in range(4)
                for month in range(1, 5)
            ],
            *[sale("2026-01-12", "Ivan", f"I{number}", 10000) for number in range(4)],
            sale("2026-08-10", "Ivan", "Horns", 102000),
            sale("2026-09-10", "Ivan", "Shared", 1000),
            sale("2026-10-10", "Olga", "Shared", 1000),
            sale("2026-09-12", "Ivan", "X", 80000),
            sale("2026-10-12", "Ivan", "X", 80000),
        ],
        plan=[
            ("2026-09", "Ivan", 100000, None),
            ("2026-10", "Ivan", 100000, None),
            ("2026-11", "Ivan", 200000, None),
        ],
        problems=[problem("error")],
        deals=deals_of([("2026-08-01", "Ivan", "open")]),
    )
    funnel = SimpleNamespace(
        funnel=funnel_of([("2026-11", "Ivan", 30.0)]).funnel,
        activity=activity_of(
            [
                ("2026-11", "Ivan", 10, 0, 0),
                ("2026-11", "Olga", 100, 0, 0),
                ("2026-11", "Petr", 90, 0, 0),
            ]
        ).activity,
    )
    alerts = alerts_for(inputs, funnel=funnel, config=Config(language="en"))
    assert {alert.kind for alert in alerts} == set(KINDS)
    for alert in alerts:
        assert not re.search("[а-яё]", alert.message, re.IGNORECASE), alert.message
