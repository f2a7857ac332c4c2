"""Closing, reopening, tampering and the paid view (SPEC §14 «Items», «Closing a month», «The
archive», «Closed months show what was paid»), run by run through `settle`, each run reading
back what the one before wrote (as Google hands it back)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from ledger_tables import D, as_google, item, listed, written_and_read

from sheets_kpi.core.ledger.archive import Archive, archive_cells, read_archive
from sheets_kpi.core.ledger.settle import paid_view, settle, standing_archive
from sheets_kpi.core.model import RawTab
from sheets_kpi.core.roster import Roster

NOV_5, NOV_20, DEC_5, JAN_5 = (
    date(2026, 11, 5),
    date(2026, 11, 20),
    date(2026, 12, 5),
    date(2027, 1, 5),
)

# Анна's October: «Ромашка» 35 000 + «Лютик» 25 000 = 60 000; Борис's: «Василёк» 18 000.
OCTOBER = [
    item("Анна", "2026-10", "Ромашка", 35000),
    item("Анна", "2026-10", "Лютик", 25000),
    item("Борис", "2026-10", "Василёк", 18000),
]
# September: Анна «Астра» 10 000. November: Анна «Роза» 5 000.
SEPTEMBER = [item("Анна", "2026-09", "Астра", 10000)]
NOVEMBER = [item("Анна", "2026-11", "Роза", 5000)]


def amounts(items, month=None):
    return [
        (i.month, i.manager, i.client, i.scheme, i.amount)
        for i in items
        if month is None or i.month == month
    ]


def test_a_months_bonus_is_its_own_items_plus_the_corrections_placed_in_it():
    # October closed at 60 000 for Анна; «Ромашка» now 25 000 → Анна's October is 50 000, a
    # correction of 50 000 − 60 000 = −10 000 goes to November, next to «Роза» 5 000:
    # November's bonus 5 000 − 10 000 = −5 000.
    archive = written_and_read(settle(OCTOBER, Archive(), listed("2026-10"), NOV_5, "ru").archive)
    edited = [item("Анна", "2026-10", "Ромашка", 25000), *OCTOBER[1:], *NOVEMBER]
    ledger = settle(edited, archive, listed("2026-10"), NOV_20, "ru")
    november = [i for i in ledger.items if i.month == "2026-11"]
    assert amounts(november) == [
        ("2026-11", "Анна", "Роза", "two_step", D("5000.00")),
        ("2026-11", "Анна", None, "correction", D("-10000.00")),
    ]
    assert sum(i.amount for i in november) == D("-5000.00")


def test_closing_a_month_archives_every_managers_items():
    # The month is closed for the whole team: Анна's two rows and Борис's one.
    ledger = settle([*OCTOBER, *NOVEMBER], Archive(), listed("2026-10"), NOV_5, "ru")
    assert [(r.manager, r.client, r.amount) for r in ledger.archive.rows] == [
        ("Анна", "Лютик", D("25000.00")),
        ("Анна", "Ромашка", D("35000.00")),
        ("Борис", "Василёк", D("18000.00")),
    ]
    assert [seal.month for seal in ledger.archive.seals] == ["2026-10"]
    assert ledger.closed_months == ("2026-10",)
    assert ledger.alerts == () and ledger.problems == ()


def test_a_closed_month_with_no_items_still_gets_its_seal():
    ledger = settle(NOVEMBER, Archive(), listed("2026-10"), NOV_5, "ru")
    assert ledger.archive.rows == ()
    assert [(seal.month, seal.closed_at) for seal in ledger.archive.seals] == [("2026-10", None)]
    again = written_and_read(ledger.archive)
    assert again.months() == ("2026-10",) and again.changed_months() == ()
    # the next run finds October archived (a seal, no rows) and appends nothing
    next_run = settle(NOVEMBER, again, listed("2026-10"), NOV_20, "ru")
    assert archive_cells(next_run.archive, "x", "ru") == archive_cells(again, "y", "ru")


def test_the_current_month_is_never_archived():
    # Validation refuses such a row; settle would not archive it anyway.
    ledger = settle(NOVEMBER, Archive(), listed("2026-11"), NOV_20, "ru")
    assert ledger.archive == Archive() and ledger.closed_months == ()


def test_the_archive_is_written_back_unchanged_when_nothing_closes_or_reopens():
    first = archive_cells(
        settle(OCTOBER, Archive(), listed("2026-10"), NOV_5, "ru").archive, "2026-11-05", "ru"
    )
    read = read_archive(as_google(first))
    ledger = settle([*OCTOBER, *NOVEMBER], read, listed("2026-10"), NOV_20, "ru")
    assert archive_cells(ledger.archive, "2026-11-20", "ru") == first


def test_archive_rows_are_never_recomputed():
    # October recomputed now: Анна «Ромашка» 0 (the client's row deleted); the archive keeps
    # 35 000 and every bonus of October shows it, the difference going to a correction.
    archive = written_and_read(settle(OCTOBER, Archive(), listed("2026-10"), NOV_5, "ru").archive)
    ledger = settle(OCTOBER[1:], archive, listed("2026-10"), NOV_20, "ru")
    assert [r.amount for r in ledger.archive.rows] == [D("25000"), D("35000"), D("18000")]
    assert amounts(ledger.items, "2026-10") == [
        ("2026-10", "Анна", "Лютик", "two_step", D("25000.00")),
        ("2026-10", "Анна", "Ромашка", "two_step", D("35000.00")),
        ("2026-10", "Борис", "Василёк", "two_step", D("18000.00")),
    ]


def test_the_appended_month_holds_its_own_items_and_the_corrections_placed_in_it():
    # Run 1 (5 Nov): October closed at Анна 60 000. Run 2 (5 Dec): «Ромашка» edited to
    # 25 000 and November closed: November's rows are «Роза» 5 000 and the correction
    # −10 000 for October, computed against the archive as read, then November's seal.
    archive = written_and_read(settle(OCTOBER, Archive(), listed("2026-10"), NOV_5, "ru").archive)
    edited = [item("Анна", "2026-10", "Ромашка", 25000), *OCTOBER[1:], *NOVEMBER]
    ledger = settle(edited, archive, listed("2026-10", "2026-11"), DEC_5, "ru")
    november = ledger.archive.rows_of("2026-11")
    assert [(r.client, r.scheme, r.step, r.for_month, r.amount) for r in november] == [
        ("Роза", "two_step", 1, None, D("5000.00")),
        (None, "correction", None, "2026-10", D("-10000.00")),
    ]
    cells = archive_cells(ledger.archive, "2026-12-05", "ru")
    assert [row[3] for row in cells[-3:]] == ["two_step", "correction", "печать"]
    assert ledger.closed_months == ("2026-10", "2026-11")


def test_removing_the_latest_archived_month_reopens_it():
    # October and November archived; November removed from the list: its rows and seal are
    # dropped and it is live again («Роза» as computed now: 7 000, not the archived 5 000).
    closed = settle([*OCTOBER, *NOVEMBER], Archive(), listed("2026-10", "2026-11"), DEC_5, "ru")
    archive = written_and_read(closed.archive)
    live = [*OCTOBER, item("Анна", "2026-11", "Роза", 7000)]
    ledger = settle(live, archive, listed("2026-10"), DEC_5, "ru")
    assert ledger.archive.months() == ("2026-10",)
    assert ledger.closed_months == ("2026-10",)
    assert amounts(ledger.items, "2026-11") == [
        ("2026-11", "Анна", "Роза", "two_step", D("7000.00"))
    ]
    assert ledger.problems == ()


def test_removing_an_older_archived_month_is_a_bad_setting_and_it_stays_closed():
    closed = settle([*OCTOBER, *NOVEMBER], Archive(), listed("2026-10", "2026-11"), DEC_5, "ru")
    archive = written_and_read(closed.archive)
    ledger = settle([*OCTOBER, *NOVEMBER], archive, listed("2026-11"), DEC_5, "ru")
    (problem,) = ledger.problems
    assert (problem.tab, problem.row, problem.code, problem.severity, problem.value) == (
        "Закрытые месяцы", None, "bad_setting", "error", "2026-10",
    )  # fmt: skip
    assert "2026-10" in problem.message and "2026-11" in problem.message
    assert ledger.archive.months() == ("2026-10", "2026-11")
    assert ledger.closed_months == ("2026-10", "2026-11")


def test_removing_several_months_reopens_the_latest_only_one_per_run():
    # September, October, November archived; October and November removed at once.
    live = [*SEPTEMBER, *OCTOBER, *NOVEMBER]
    closed = settle(live, Archive(), listed("2026-09", "2026-10", "2026-11"), DEC_5, "ru")
    archive = written_and_read(closed.archive)
    first = settle(live, archive, listed("2026-09"), DEC_5, "ru")
    assert first.closed_months == ("2026-09", "2026-10")  # November reopened
    assert [p.value for p in first.problems] == ["2026-10"]  # October waits
    second = settle(live, written_and_read(first.archive), listed("2026-09"), DEC_5, "ru")
    assert second.closed_months == ("2026-09",)  # then October reopens
    assert second.problems == ()


def test_an_edited_archive_row_alerts_every_run_and_is_used_as_it_reads():
    # Someone changes Борис's archived 18 000 to 20 000. Every run names October; October shows
    # 20 000; the live 18 000 against the archived 20 000 makes a correction of −2 000.
    cells = archive_cells(
        settle(OCTOBER, Archive(), listed("2026-10"), NOV_5, "ru").archive, "t", "ru"
    )
    cells[3][7] = 20000
    for as_of in (NOV_20, date(2026, 11, 21)):
        ledger = settle(
            OCTOBER, read_archive(RawTab("Архив", cells)), listed("2026-10"), as_of, "ru"
        )
        (changed,) = [alert for alert in ledger.alerts if alert.kind == "archive_changed"]
        assert changed.month == "2026-10" and "2026-10" in changed.message
        assert amounts(ledger.items, "2026-10")[2] == (
            "2026-10", "Борис", "Василёк", "two_step", D("20000.00"),
        )  # fmt: skip
        (correction,) = [i for i in ledger.items if i.scheme == "correction"]
        assert (correction.manager, correction.amount) == ("Борис", D("-2000.00"))
        cells = archive_cells(ledger.archive, "t", "ru")  # written back as it read


def test_deleting_the_seal_row_accepts_the_edit():
    cells = archive_cells(
        settle(OCTOBER, Archive(), listed("2026-10"), NOV_5, "ru").archive, "t", "ru"
    )
    cells[3][7] = 20000
    del cells[4]  # the seal row
    ledger = settle(OCTOBER, read_archive(RawTab("Архив", cells)), listed("2026-10"), NOV_20, "ru")
    assert [a.kind for a in ledger.alerts if a.kind == "archive_changed"] == []
    (seal,) = ledger.archive.seals
    assert seal.closed_at is None  # a new seal, written with this run's time
    after = read_archive(as_google(archive_cells(ledger.archive, "2026-11-20 12:00", "ru")))
    assert after.changed_months() == () and after.rows_of("2026-10")[2].amount == D("20000.00")
    next_run = settle(OCTOBER, after, listed("2026-10"), NOV_20, "ru")
    assert [a.kind for a in next_run.alerts if a.kind == "archive_changed"] == []


def test_closed_months_show_the_archived_items():
    # Archived: «ромашка » of «анна» 35 000 on basis 350 000. Recomputed: 25 000 at tier 250 000.
    # The paid view keeps the archived item: basis 350 000, rate and tier None, the manager keyed
    # like an input name and shown by the roster's name.
    archive = written_and_read(
        settle(OCTOBER[:1], Archive(), listed("2026-10"), NOV_5, "ru").archive
    )
    archive = replace(archive, rows=(replace(archive.rows[0], manager="анна "),))
    live = [replace(item("Анна", "2026-10", "Ромашка", 25000), tier=D("250000")), *NOVEMBER]
    shown = paid_view(live, archive, {"анна": "Анна Петрова"})
    assert [
        (i.month, i.manager_key, i.manager, i.amount, i.basis, i.rate, i.tier) for i in shown
    ] == [
        ("2026-11", "анна", "Анна", D("5000.00"), D("50000.00"), D("0.10"), None),
        ("2026-10", "анна", "Анна Петрова", D("35000.00"), D("350000.00"), None, None),
    ]
    assert shown[1].step == 1 and shown[1].for_month is None and shown[1].explain == "Ромашка: 10 %"


def test_the_standing_archive_is_the_one_read_less_the_month_reopened():
    # What a clawback asks as "paid": October and November archived, November removed → only
    # October stands; removing October (not the latest) leaves both standing.
    closed = settle([*OCTOBER, *NOVEMBER], Archive(), listed("2026-10", "2026-11"), DEC_5, "ru")
    archive = written_and_read(closed.archive)
    assert standing_archive(archive, listed("2026-10"), DEC_5).months() == ("2026-10",)
    assert standing_archive(archive, listed("2026-11"), DEC_5).months() == ("2026-10", "2026-11")
    assert standing_archive(archive, listed("2026-10", "2026-11"), DEC_5) == archive


def test_the_messages_in_english_name_the_tabs_as_configured():
    # An English workbook whose tabs the config renamed: the messages say those titles.
    closed = settle([*OCTOBER, *NOVEMBER], Archive(), listed("2026-10", "2026-11"), DEC_5, "en")
    cells = archive_cells(closed.archive, "t", "en")
    cells[1][7] = 1  # tampered
    archive = read_archive(RawTab("Paid", cells))
    ledger = settle(
        [*OCTOBER, *NOVEMBER], archive, listed("2026-11"), DEC_5, "en",
        closed_tab="Closed", archive_tab="Paid",
    )  # fmt: skip
    (problem,) = ledger.problems
    assert problem.tab == "Closed"
    assert problem.message.startswith("The month 2026-10 was removed from «Closed», but it is not")
    (changed,) = [alert for alert in ledger.alerts if alert.kind == "archive_changed"]
    assert changed.message.startswith("The rows of 2026-10 in the «Paid» tab were changed")


def test_the_paid_view_takes_the_rosters_names():
    # The roster calls Борис «Борис Иванов»: his archived October row shows that name.
    roster = Roster(names={"борис": "Борис Иванов"})
    archive = written_and_read(
        settle(OCTOBER[2:], Archive(), listed("2026-10"), NOV_5, "ru").archive
    )
    (shown,) = paid_view(OCTOBER[2:], archive, roster)
    assert (shown.manager_key, shown.manager, shown.amount) == (
        "борис",
        "Борис Иванов",
        D("18000.00"),
    )


def test_rows_without_a_readable_month_make_one_alert_however_many():
    # 12 rows whose month cell was wiped: one alert naming the first 10 and «и ещё 2»; the
    # month cells of October's rows still read, so October is flagged on its own.
    cells = archive_cells(
        settle(OCTOBER, Archive(), listed("2026-10"), NOV_5, "ru").archive, "t", "ru"
    )
    cells += [[None, "Анна", None, "two_step", 1, None, 0, 1000, ""] for _ in range(12)]
    ledger = settle(OCTOBER, read_archive(RawTab("Архив", cells)), listed("2026-10"), NOV_20, "ru")
    (lost,) = [alert for alert in ledger.alerts if alert.month is None]
    assert lost.kind == "archive_changed"
    assert (
        "строки без понятного месяца: 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 и ещё 2." in lost.message
    )
    assert [alert.kind for alert in ledger.alerts if alert.month == "2026-10"] == []
    assert archive_cells(ledger.archive, "t", "ru") == cells  # kept as they read
