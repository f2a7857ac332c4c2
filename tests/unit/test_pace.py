"""The month's pace and the previous month over the same days (core/compute/pace.py), and
what became of this month's leads (core/compute/lead_outcomes.py), on small inline tables."""

from __future__ import annotations

from datetime import date

import pandas as pd

from sheets_kpi.core.compute.clients import analyse
from sheets_kpi.core.compute.lead_outcomes import lead_outcomes
from sheets_kpi.core.compute.pace import pace, previous_through_day
from tests.unit.test_clients import sales_frame


def _sales() -> pd.DataFrame:
    # amounts in kopecks; Ромашка is new in October, Лютик's first payment was in September
    return sales_frame(
        {"date": "2026-09-15", "manager": "Анна", "client": "Лютик", "amount": 5_000_00},
        {"date": "2026-10-01", "manager": "Анна", "client": "Ромашка", "amount": 10_000_00},
        {"date": "2026-10-04", "manager": "Анна", "client": "Лютик", "amount": 20_000_00},
        {"date": "2026-10-04", "manager": "Анна", "client": "Тюльпан", "amount": 7_000_00,
         "paid": False},
        {"date": "2026-10-05", "manager": "Анна", "client": "Астра", "amount": 40_000_00},
        {"date": "2026-10-31", "manager": "Анна", "client": "Ромашка", "amount": 1_000_00},
        {"date": "2026-11-02", "manager": "Анна", "client": "Ромашка", "amount": 3_000_00},
    )  # fmt: skip


def test_previous_month_counts_only_the_same_days_of_month() -> None:
    # as of 4 November: October 1–4 → 10 000 + 20 000 = 30 000 ₽ in 2 payments (the unpaid
    # 7 000 is a receivable, not revenue); new clients: Ромашка (Лютик came in September)
    figures = pace(analyse(_sales()), date(2026, 11, 4))
    assert figures.previous_month == "2026-10"
    assert figures.previous_through_day == 4
    assert figures.previous_revenue == 30_000.0
    assert figures.previous_payments == 2
    assert figures.previous_new_clients == 1


def test_last_day_of_the_month_compares_the_whole_previous_month() -> None:
    # 30 November is the last day: all of October, 10 000 + 20 000 + 40 000 + 1 000 = 71 000 ₽
    # in 4 payments; new: Ромашка and Астра
    figures = pace(analyse(_sales()), date(2026, 11, 30))
    assert figures.previous_through_day == 31
    assert figures.previous_revenue == 71_000.0
    assert figures.previous_payments == 4
    assert figures.previous_new_clients == 2


def test_a_shorter_previous_month_counts_whole_from_its_last_day() -> None:
    # 30 March: February 2026 has 28 days → through the 28th; 31 March: whole February too
    assert previous_through_day(date(2026, 3, 30)) == 28
    assert previous_through_day(date(2026, 3, 31)) == 28
    # 30 April is April's last day: the whole of March (31 days)
    assert previous_through_day(date(2026, 4, 30)) == 31
    assert previous_through_day(date(2026, 4, 29)) == 29


def test_expected_share_is_days_elapsed_over_days_in_month() -> None:
    # day 10 of a 30-day month → 10 / 30 = 1/3 of the plan is on pace
    figures = pace(analyse(_sales()), date(2026, 11, 10))
    assert (figures.day, figures.days_in_month) == (10, 30)
    assert abs(figures.expected_share - 1 / 3) < 1e-12


def _deals(*rows: tuple[str, str, str | None]) -> pd.DataFrame:
    """Deals of (lead date, status, close date or None)."""
    frame = pd.DataFrame(
        {
            "lead_date": pd.to_datetime([row[0] for row in rows]),
            "status": [row[1] for row in rows],
            "close_date": pd.to_datetime([row[2] for row in rows]),
        }
    )
    frame["month"] = frame["lead_date"].dt.strftime("%Y-%m")
    return frame


def test_lead_outcomes_split_this_months_leads_into_won_lost_and_open() -> None:
    deals = _deals(
        ("2026-10-20", "won", "2026-11-02"),  # October's lead: not this month's
        ("2026-10-25", "open", None),  # open, but October's
        ("2026-11-01", "won", "2026-11-03"),  # won
        ("2026-11-02", "lost", "2026-11-03"),  # lost
        ("2026-11-02", "won", "2026-11-09"),  # closes after as_of: still open today
        ("2026-11-03", "open", None),  # open
        ("2026-11-04", "open", None),  # on as_of: counts
        ("2026-11-05", "open", None),  # after as_of: ignored
    )
    outcomes = lead_outcomes(deals, date(2026, 11, 4))
    assert outcomes is not None
    # 5 leads of 1–4 November: 1 won, 1 lost, 3 open; the parts add up to the leads
    assert (outcomes.leads, outcomes.won, outcomes.lost, outcomes.open) == (5, 1, 1, 3)
    assert lead_outcomes(None, date(2026, 11, 4)) is None
