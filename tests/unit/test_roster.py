"""The Roster decides a manager's display name and the scheme in force (SPEC §2.5, §5)."""

from __future__ import annotations

from decimal import Decimal

from kpi_tables import make_inputs, roster_frame

from sheets_kpi.core.roster import Roster
from sheets_kpi.core.settings import BonusConfig, FixedScheme, MarginScheme, TwoStepScheme

DEFAULT = TwoStepScheme(Decimal("0.15"), Decimal("0.15"), 4)
MARGIN = MarginScheme(Decimal("0.5"))


def test_display_name_is_the_rosters_else_the_name_seen_in_the_tabs() -> None:
    roster = Roster.from_frame(roster_frame([("Иванов Иван", MARGIN, None, True)]))
    # the roster spells the name; a manager it does not list keeps the spelling seen in the tabs
    assert roster.display_name("иванов иван", "иванов  иван") == "Иванов Иван"
    assert roster.display_name("петров", "Петров") == "Петров"


def test_without_roster_rows_the_name_seen_stands() -> None:
    assert Roster.from_frame(roster_frame([])).display_name("петров", "Петров") == "Петров"


def test_scheme_in_force_is_the_roster_rows_with_rows_else_the_default() -> None:
    listed = Roster.from_frame(
        roster_frame([("Иванов", MARGIN, None, True), ("Петров", None, None, True)]), DEFAULT
    )
    assert listed.scheme_for("иванов", "2026-05") == MARGIN
    # an unusable scheme cell earns nothing, the default does not step in
    assert listed.scheme_for("петров", "2026-05") is None
    empty = Roster.from_frame(roster_frame([]), DEFAULT)
    assert empty.scheme_for("кто угодно", "2026-05") == DEFAULT


def test_first_row_of_a_manager_wins() -> None:
    fixed = FixedScheme(Decimal(1000), inbound_only=False)
    roster = Roster.from_frame(
        roster_frame([("Иванов", MARGIN, 50000, True), ("иванов", fixed, 70000, False)])
    )
    assert roster.names == {"иванов": "Иванов"}
    assert roster.scheme_for("иванов", "2026-01") == MARGIN
    assert roster.salaries_kop == {"иванов": 5_000_000}
    assert roster.is_active("иванов")


def test_salary_and_activity_come_from_the_roster_in_row_order() -> None:
    roster = Roster.from_frame(
        roster_frame([("Волков", None, 60000.5, True), ("Гусев", None, None, False)])
    )
    assert list(roster) == ["волков", "гусев"]
    assert roster.salaries_kop == {"волков": 6_000_050}  # no salary: not listed
    assert roster.is_active("волков") and not roster.is_active("гусев")
    assert roster.inactive == frozenset({"гусев"})


def test_the_runs_roster_puts_everyone_on_the_config_scheme_without_rows() -> None:
    inputs = make_inputs([], roster=[])
    bonus = BonusConfig(default_scheme="margin", margin_rate=Decimal("0.3"))
    # no roster rows: the config's default scheme, margin 30 %, for any manager and month
    assert Roster.of(inputs, bonus).scheme_for("анна", "2026-05") == MarginScheme(Decimal("0.3"))
