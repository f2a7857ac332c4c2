"""Leaderboard ranking (SPEC §8): plan_pct or revenue, ties, place change, rejected rows."""

from __future__ import annotations

import math

import pandas as pd
from kpi_tables import rejected_frame, roster_frame

from sheets_kpi.core.compute.leaderboard import leaderboard
from sheets_kpi.core.inputs.schema import norm
from sheets_kpi.core.output.report import LEADERBOARD_COLUMNS
from sheets_kpi.core.roster import Roster

NO_ROSTER = Roster.from_frame(roster_frame([]))
NO_REJECTS = rejected_frame([])


def monthly_of(rows: list[tuple[str, str, float, float | None]]) -> pd.DataFrame:
    """Monthly rows: (month, manager, revenue, plan_pct or None); new_clients 1, bonus 1000."""
    return pd.DataFrame(
        {
            "month": [month for month, _, _, _ in rows],
            "manager": [name for _, name, _, _ in rows],
            "manager_key": [norm(name) for _, name, _, _ in rows],
            "revenue": [float(revenue) for _, _, revenue, _ in rows],
            "plan_pct": [math.nan if pct is None else pct for _, _, _, pct in rows],
            "new_clients": [1] * len(rows),
            "bonus": [1000.0] * len(rows),
        }
    )


def order(board: pd.DataFrame) -> list[tuple[int, str]]:
    return list(zip(board["rank"], board["manager"], strict=True))


def test_board_has_exactly_the_report_columns() -> None:
    board = leaderboard(
        monthly_of([("2026-11", "Орлова", 1, None)]), NO_REJECTS, "2026-11", NO_ROSTER
    )
    assert list(board.columns) == list(LEADERBOARD_COLUMNS)


def test_ranked_by_plan_completion_when_everyone_has_a_plan_ties_by_revenue() -> None:
    monthly = monthly_of(
        [
            ("2026-11", "Алексеев", 100000, 1.2),
            ("2026-11", "Борисов", 300000, 0.9),
            ("2026-11", "Волков", 150000, 1.2),
        ]
    )
    board = leaderboard(monthly, NO_REJECTS, "2026-11", NO_ROSTER)
    # 120 % ties: Волков's 150 000 beats Алексеев's 100 000; Борисов's 90 % is last
    assert order(board) == [(1, "Волков"), (2, "Алексеев"), (3, "Борисов")]


def test_ranked_by_revenue_when_someone_has_no_plan() -> None:
    monthly = monthly_of(
        [
            ("2026-11", "Алексеев", 100000, 1.2),
            ("2026-11", "Борисов", 300000, None),
            ("2026-11", "Волков", 150000, 1.2),
        ]
    )
    board = leaderboard(monthly, NO_REJECTS, "2026-11", NO_ROSTER)
    assert order(board) == [(1, "Борисов"), (2, "Волков"), (3, "Алексеев")]


def test_equal_plan_and_revenue_are_ordered_by_name() -> None:
    monthly = monthly_of(
        [
            ("2026-11", "Яковлева", 100000, 1.0),
            ("2026-11", "Ёлкин", 100000, 1.0),
            ("2026-11", "Андреева", 100000, 1.0),
            ("2026-11", "Елисеев", 100000, 1.0),
        ]
    )
    board = leaderboard(monthly, NO_REJECTS, "2026-11", NO_ROSTER)
    # ё is read as е (Ёлкин sorts as «елкин», after «елисеев»); places are never shared
    assert order(board) == [(1, "Андреева"), (2, "Елисеев"), (3, "Ёлкин"), (4, "Яковлева")]


def test_place_change_is_last_months_place_minus_this_place() -> None:
    monthly = monthly_of(
        [
            ("2026-10", "Алексеев", 300000, None),  # October: 1st
            ("2026-10", "Борисов", 200000, None),  # 2nd
            ("2026-10", "Волков", 100000, None),  # 3rd
            ("2026-11", "Волков", 500000, None),  # November: 1st (+2)
            ("2026-11", "Алексеев", 400000, None),  # 2nd (−1)
            ("2026-11", "Борисов", 100000, None),  # 3rd (−1)
            ("2026-11", "Григорьев", 50000, None),  # new: not ranked in October
        ]
    )
    board = leaderboard(monthly, NO_REJECTS, "2026-11", NO_ROSTER)
    changes = dict(zip(board["manager"], board["place_change"], strict=True))
    assert changes == {"Волков": 2, "Алексеев": -1, "Борисов": -1, "Григорьев": None}


def test_no_place_change_when_last_month_has_no_figures() -> None:
    monthly = monthly_of([("2026-11", "Волков", 500000, None)])
    roster = Roster.from_frame(
        roster_frame([("Волков", None, None, True), ("Борисов", None, None, True)])
    )
    board = leaderboard(monthly, NO_REJECTS, "2026-11", roster)
    assert list(board["place_change"]) == [None, None]


def test_inactive_managers_are_left_off_and_active_idle_ones_are_shown() -> None:
    monthly = monthly_of(
        [("2026-11", "Волков", 500000, 1.0), ("2026-11", "Уволенный", 900000, 2.0)]
    )
    roster = Roster.from_frame(
        roster_frame(
            [
                ("Волков", None, None, True),
                ("Уволенный", None, None, False),
                ("Новенькая", None, None, True),
            ]
        )
    )
    board = leaderboard(monthly, NO_REJECTS, "2026-11", roster)
    # Новенькая has no plan, so the board ranks by revenue; she logged nothing: a real 0
    assert order(board) == [(1, "Волков"), (2, "Новенькая")]
    idle = board.iloc[1]
    assert (idle["revenue"], idle["new_clients"], idle["bonus"]) == (0.0, 0, 0.0)
    assert math.isnan(idle["plan_pct"])


def test_rejected_rows_count_this_month_and_undated_rows() -> None:
    monthly = monthly_of(
        [("2026-11", "Волков", 500000, None), ("2026-11", "Борисов", 100000, None)]
    )
    rejected = rejected_frame(
        [
            ("Волков", "2026-11"),
            ("Волков", None),  # unreadable date: counts in the current month
            ("Волков", "2026-10"),  # another month: not counted
            ("Борисов", "2026-09"),
            (None, "2026-11"),  # unreadable manager: nobody's
        ]
    )
    board = leaderboard(monthly, rejected, "2026-11", NO_ROSTER)
    counts = dict(zip(board["manager"], board["rejected_rows"], strict=True))
    assert counts == {"Волков": 2, "Борисов": 0}
