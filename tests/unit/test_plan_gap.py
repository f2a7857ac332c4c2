"""The plan-gap calculator: what it takes to reach this month's revenue plan (issue 6)."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from sheets_kpi.core.compute import funnel, plangap
from sheets_kpi.core.output.report import MONTHLY_COLUMNS

AS_OF = date(2026, 11, 20)  # a Friday: Mon 23 – Fri 27 and Mon 30 are left → 6 working days


def monthly_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    """`Result.monthly`: MONTHLY_COLUMNS + manager_key; figures not given are NaN."""
    records = []
    for row in rows:
        record: dict[str, object] = dict.fromkeys(MONTHLY_COLUMNS, math.nan)
        record.update(row)
        record["manager_key"] = str(record["manager"]).casefold()
        records.append(record)
    return pd.DataFrame(records, columns=[*MONTHLY_COLUMNS, "manager_key"])


def team_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    columns = [column for column in MONTHLY_COLUMNS if column != "manager"]
    records = []
    for row in rows:
        record: dict[str, object] = dict.fromkeys(columns, math.nan)
        record.update(row)
        records.append(record)
    return pd.DataFrame(records, columns=columns)


def funnel_figures(rows: list[tuple[str, str | None, int, int]]) -> funnel.FunnelFigures:
    """A funnel frame with (month, manager, won, lost); other figures are irrelevant here."""
    records = []
    for month, manager, won, lost in rows:
        record: dict[str, object] = dict.fromkeys(funnel.FUNNEL_COLUMNS, math.nan)
        key = None if manager is None else manager.casefold()
        record.update(month=month, manager=manager, manager_key=key, won=won, lost=lost)
        records.append(record)
    frame = pd.DataFrame(records, columns=list(funnel.FUNNEL_COLUMNS))
    frame["manager"] = frame["manager"].astype(object)
    frame["manager_key"] = frame["manager_key"].astype(object)
    return funnel.FunnelFigures(funnel=frame, loss_reasons=None, activity=None)


MONTHLY = monthly_frame(
    [
        {"month": "2026-07", "manager": "Борис", "revenue": 1_000_000.0, "payments": 10},
        {"month": "2026-08", "manager": "Борис", "revenue": 30_000.0, "payments": 1},
        {"month": "2026-09", "manager": "Борис", "revenue": 90_000.0, "payments": 2},
        {
            "month": "2026-11",
            "manager": "Анна",
            "revenue": 200_000.0,
            "payments": 2,
            "avg_check": 100_000.0,
            "plan_revenue": 500_000.0,
        },
        {"month": "2026-11", "manager": "Борис", "revenue": 0.0, "payments": 0},
        {
            "month": "2026-11",
            "manager": "Виктор",
            "revenue": 150_000.0,
            "payments": 1,
            "avg_check": 150_000.0,
            "plan_revenue": 100_000.0,
        },
        {"month": "2026-11", "manager": "Галина", "revenue": 0.0, "payments": 0},
        {"month": "2026-11", "manager": "Дмитрий", "revenue": 10_000.0, "payments": 1},
    ]
)
MONTHLY.loc[MONTHLY["manager"] == "Галина", "plan_revenue"] = 50_000.0
MONTHLY.loc[(MONTHLY["manager"] == "Борис") & (MONTHLY["month"] == "2026-11"), "plan_revenue"] = (
    100_000.0
)

TEAM = team_frame(
    [
        {
            "month": "2026-11",
            "revenue": 360_000.0,
            "payments": 3,
            "avg_check": 120_000.0,
            "plan_revenue": 750_000.0,
        }
    ]
)

FIGURES = funnel_figures(
    [
        ("2026-11", "Анна", 3, 1),
        ("2026-11", "Борис", 1, 2),
        ("2026-11", None, 4, 3),
    ]
)


def gap_row(frame: pd.DataFrame, manager: str | None) -> pd.Series:
    if manager is None:
        matches = frame[frame["manager"].isna()]
    else:
        matches = frame[frame["manager"] == manager]
    assert len(matches) == 1
    return matches.iloc[0]


def test_plan_gap_rows_are_managers_with_a_plan_then_the_team() -> None:
    gap = plangap.plan_gap(MONTHLY, TEAM, FIGURES, AS_OF)
    assert gap is not None
    assert tuple(gap.columns) == plangap.PLAN_GAP_COLUMNS
    # Дмитрий has no plan → no row; the team row comes last with manager and key None
    assert gap["manager"].tolist() == ["Анна", "Борис", "Виктор", "Галина", None]
    assert gap["manager_key"].tolist()[-1] is None


def test_plan_gap_at_this_months_check_and_win_rate() -> None:
    anna = gap_row(plangap.plan_gap(MONTHLY, TEAM, FIGURES, AS_OF), "Анна")
    # 500 000 − 200 000 = 300 000; ⌈300 000 / 100 000⌉ = 3 deals;
    # win rate 3 / (3 + 1) = 0.75 → ⌈3 / 0.75⌉ = 4 leads; 6 working days left
    assert anna["revenue_needed"] == pytest.approx(300_000.0)
    assert anna["avg_check"] == pytest.approx(100_000.0)
    assert anna["deals_needed"] == 3
    assert anna["win_rate"] == pytest.approx(0.75)
    assert anna["leads_needed"] == 4
    assert anna["working_days_left"] == 6
    assert anna["revenue_per_day"] == pytest.approx(50_000.0)  # 300 000 / 6
    assert anna["deals_per_day"] == pytest.approx(0.5)  # 3 / 6
    assert anna["leads_per_day"] == pytest.approx(4 / 6)


def test_avg_check_falls_back_to_last_three_complete_months_without_payments() -> None:
    boris = gap_row(plangap.plan_gap(MONTHLY, TEAM, FIGURES, AS_OF), "Борис")
    # no payments in November; Aug–Oct: (30 000 + 90 000) / (1 + 2) = 40 000 (July is older)
    assert boris["avg_check"] == pytest.approx(40_000.0)
    assert boris["deals_needed"] == 3  # ⌈100 000 / 40 000⌉ = ⌈2.5⌉
    # win rate 1 / 3 → ⌈3 / (1/3)⌉ = 9, not 10 through float noise
    assert boris["win_rate"] == pytest.approx(1 / 3)
    assert boris["leads_needed"] == 9


def test_plan_already_reached_needs_nothing() -> None:
    victor = gap_row(plangap.plan_gap(MONTHLY, TEAM, FIGURES, AS_OF), "Виктор")
    # revenue 150 000 ≥ plan 100 000 → nothing needed, even without a win rate
    assert victor["revenue_needed"] == 0
    assert victor["deals_needed"] == 0
    assert math.isnan(victor["win_rate"])
    assert victor["leads_needed"] == 0
    assert victor["revenue_per_day"] == 0


def test_figures_without_inputs_are_empty() -> None:
    galina = gap_row(plangap.plan_gap(MONTHLY, TEAM, FIGURES, AS_OF), "Галина")
    # no payments ever → no average check → deals and leads unknown; revenue still known
    assert galina["revenue_needed"] == pytest.approx(50_000.0)
    assert math.isnan(galina["avg_check"])
    assert math.isnan(galina["deals_needed"])
    assert math.isnan(galina["win_rate"])
    assert math.isnan(galina["leads_needed"])
    assert galina["revenue_per_day"] == pytest.approx(8_333.33)  # 50 000 / 6, to kopecks
    assert math.isnan(galina["deals_per_day"])


def test_team_row_adds_up_the_managers_rows() -> None:
    team = gap_row(plangap.plan_gap(MONTHLY, TEAM, FIGURES, AS_OF), None)
    # Анна 300 000 / 3 deals / 4 leads; Борис 100 000 / 3 / 9; Виктор 0 / 0 / 0;
    # Галина 50 000 with no check or win rate of her own → the team's: ⌈50 000 / 120 000⌉ = 1
    # deal, ⌈1 / (4/7)⌉ = ⌈1.75⌉ = 2 leads. Sum: 450 000, 7 deals, 15 leads (the team's own gap,
    # 750 000 − 360 000 = 390 000, is smaller: Виктор's extra 50 000 does not help the others).
    assert team["revenue_needed"] == pytest.approx(450_000.0)
    assert team["deals_needed"] == 7
    assert team["leads_needed"] == 15
    # the check and win rate these imply: 450 000 / 7 = 64 285.71; 7 / 15
    assert team["avg_check"] == pytest.approx(64_285.71)
    assert team["win_rate"] == pytest.approx(7 / 15)
    assert team["revenue_per_day"] == pytest.approx(75_000.0)  # 450 000 / 6
    assert team["leads_per_day"] == pytest.approx(15 / 6)


def test_team_plan_above_the_managers_adds_the_rest_at_team_figures() -> None:
    team = TEAM.assign(plan_revenue=1_000_000.0)
    row = gap_row(plangap.plan_gap(MONTHLY, team, FIGURES, AS_OF), None)
    # own gap 1 000 000 − 360 000 = 640 000; managers 450 000 → 190 000 more at the team's
    # check 120 000: ⌈1.58⌉ = 2 deals, at 4/7: ⌈3.5⌉ = 4 leads → 640 000, 9 deals, 19 leads
    assert row["revenue_needed"] == pytest.approx(640_000.0)
    assert row["deals_needed"] == 9
    assert row["leads_needed"] == 19


def test_team_row_alone_uses_team_figures() -> None:
    monthly = MONTHLY.assign(plan_revenue=math.nan)  # only the team has a plan
    team = gap_row(plangap.plan_gap(monthly, TEAM, FIGURES, AS_OF), None)
    # 750 000 − 360 000 = 390 000; ⌈390 000 / 120 000⌉ = ⌈3.25⌉ = 4 deals;
    # win rate 4 / 7 → ⌈4 / (4/7)⌉ = 7 leads
    assert team["revenue_needed"] == pytest.approx(390_000.0)
    assert team["deals_needed"] == 4
    assert team["win_rate"] == pytest.approx(4 / 7)
    assert team["leads_needed"] == 7


def test_win_rate_falls_back_to_last_three_months_without_closes_this_month() -> None:
    figures = funnel_figures(
        [
            ("2026-07", "Анна", 5, 0),  # older than three months: not used
            ("2026-08", "Анна", 1, 1),
            ("2026-10", "Анна", 1, 3),
            ("2026-11", "Анна", 0, 0),
        ]
    )
    anna = gap_row(plangap.plan_gap(MONTHLY, TEAM, figures, AS_OF), "Анна")
    # (1 + 1) / (1 + 1 + 1 + 3) = 1/3 → ⌈3 deals / (1/3)⌉ = 9 leads
    assert anna["win_rate"] == pytest.approx(1 / 3)
    assert anna["leads_needed"] == 9


def test_zero_win_rate_leaves_leads_needed_empty() -> None:
    figures = funnel_figures([("2026-11", "Анна", 0, 2)])
    anna = gap_row(plangap.plan_gap(MONTHLY, TEAM, figures, AS_OF), "Анна")
    assert anna["win_rate"] == 0
    assert math.isnan(anna["leads_needed"])  # no number of leads reaches plan at 0 %
    assert math.isnan(anna["leads_per_day"])


def test_without_deals_tab_win_rate_and_leads_are_empty() -> None:
    anna = gap_row(plangap.plan_gap(MONTHLY, TEAM, None, AS_OF), "Анна")
    assert anna["deals_needed"] == 3
    assert math.isnan(anna["win_rate"])
    assert math.isnan(anna["leads_needed"])


def test_no_working_day_left_on_the_last_day_of_the_month() -> None:
    last_day = date(2026, 11, 30)
    anna = gap_row(plangap.plan_gap(MONTHLY, TEAM, FIGURES, last_day), "Анна")
    assert anna["working_days_left"] == 0
    assert anna["revenue_needed"] == pytest.approx(300_000.0)
    assert math.isnan(anna["revenue_per_day"])
    assert math.isnan(anna["deals_per_day"])
    assert math.isnan(anna["leads_per_day"])


@pytest.mark.parametrize(
    ("as_of", "days"),
    [
        (date(2026, 11, 27), 1),  # Friday: only Monday 30th is left
        (date(2026, 11, 28), 1),  # Saturday: Monday 30th
        (date(2026, 11, 1), 21),  # Sunday 1st: Mon 2 – Mon 30, 4 full weeks + Monday 30th
    ],
)
def test_working_days_left_counts_weekdays_after_as_of(as_of: date, days: int) -> None:
    assert plangap.working_days_left(as_of) == days


def test_no_plan_this_month_gives_no_plan_gap() -> None:
    monthly = monthly_frame([{"month": "2026-11", "manager": "Анна", "revenue": 1.0}])
    team = team_frame([{"month": "2026-11", "revenue": 1.0}])
    assert plangap.plan_gap(monthly, team, FIGURES, AS_OF) is None
