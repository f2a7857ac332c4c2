"""Corrections (SPEC §14 «Corrections», and «Adjustments»' sentence on archived months): the
amount, where it goes, that it is paid once, and what its explanation says per client."""

from __future__ import annotations

from datetime import date

from ledger_tables import D, item, listed, written_and_read

from sheets_kpi.core.ledger.archive import Archive
from sheets_kpi.core.ledger.settle import settle

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
ROMASHKA_25 = item("Анна", "2026-10", "Ромашка", 25000)


def closed(items, months, as_of, archive=None):
    """One run that closes `months`, and its archive as the next run reads it."""
    ledger = settle(items, archive or Archive(), listed(*months), as_of, "ru")
    return written_and_read(ledger.archive)


def corrections(ledger):
    return [i for i in ledger.items if i.scheme == "correction"]


def test_a_correction_is_recomputed_minus_archived_with_its_explanation():
    # Archived October: Анна 60 000. Now «Ромашка» 25 000: 50 000 − 60 000 − 0 = −10 000,
    # one line in November for Анна; Борис unchanged (18 000 − 18 000 = 0): no line.
    archive = closed(OCTOBER, ["2026-10"], NOV_5)
    ledger = settle([ROMASHKA_25, *OCTOBER[1:]], archive, listed("2026-10"), NOV_20, "ru")
    (line,) = corrections(ledger)
    assert (line.month, line.manager_key, line.manager, line.client) == (
        "2026-11", "анна", "Анна", None,
    )  # fmt: skip
    assert (line.step, line.for_month, line.rate, line.tier) == (None, "2026-10", None, None)
    assert line.amount == D("-10000.00")
    assert (
        line.explain
        == "пересчёт за 2026-10: было 60 000, стало 50 000 — «Ромашка»: 35 000 → 25 000"
    )


def test_the_explanation_in_english():
    archive = closed(OCTOBER, ["2026-10"], NOV_5)
    ledger = settle([ROMASHKA_25, *OCTOBER[1:]], archive, listed("2026-10"), NOV_20, "en")
    (line,) = corrections(ledger)
    assert (
        line.explain
        == "recalculated for 2026-10: was 60,000, now 50,000 — «Ромашка»: 35,000 → 25,000"
    )


def test_a_correction_goes_to_the_first_month_after_with_no_archive_rows():
    # October and November archived, as of 5 January: a correction for October skips November
    # and goes to December (not yet closed), not to January.
    archive = closed(
        [*OCTOBER, item("Анна", "2026-11", "Роза", 5000)], ["2026-10", "2026-11"], DEC_5
    )
    live = [ROMASHKA_25, *OCTOBER[1:], item("Анна", "2026-11", "Роза", 5000)]
    ledger = settle(live, archive, listed("2026-10", "2026-11"), JAN_5, "ru")
    (line,) = corrections(ledger)
    assert (line.month, line.for_month, line.amount) == ("2026-12", "2026-10", D("-10000.00"))


def test_a_correction_goes_no_later_than_the_current_month():
    # September and October archived, as of 20 November: a September change goes to November.
    september = [item("Анна", "2026-09", "Астра", 10000)]
    archive = closed([*september, *OCTOBER], ["2026-09", "2026-10"], NOV_5)
    live = [item("Анна", "2026-09", "Астра", 12000), *OCTOBER]
    (line,) = corrections(settle(live, archive, listed("2026-09", "2026-10"), NOV_20, "ru"))
    assert (line.month, line.for_month, line.amount) == ("2026-11", "2026-09", D("2000.00"))


def test_a_correction_is_paid_once_across_two_closes():
    # 5 Nov: close October (Анна 60 000). 20 Nov: «Ромашка» → 25 000, correction −10 000 in
    # November. 5 Dec: close November: the correction is archived in November. 20 Dec:
    # 50 000 − 60 000 − (−10 000) = 0 — no second correction, and none ever after.
    archive = closed(OCTOBER, ["2026-10"], NOV_5)
    edited = [ROMASHKA_25, *OCTOBER[1:]]
    assert [
        i.amount for i in corrections(settle(edited, archive, listed("2026-10"), NOV_20, "ru"))
    ] == [D("-10000.00")]
    archive = closed(edited, ["2026-10", "2026-11"], DEC_5, archive)
    assert [r.amount for r in archive.rows_of("2026-11")] == [D("-10000.00")]
    for as_of in (date(2026, 12, 20), JAN_5):
        ledger = settle(edited, archive, listed("2026-10", "2026-11"), as_of, "ru")
        assert corrections(ledger) == [i for i in ledger.items if i.month == "2026-11"]
        assert [a.kind for a in ledger.alerts] == []


def test_corrections_already_archived_count_against_a_new_one():
    # As above, November archived with Анна's −10 000 for October. Then «Лютик» drops from
    # 25 000 to 20 000: 45 000 − 60 000 − (−10 000) = −5 000, in December.
    archive = closed(OCTOBER, ["2026-10"], NOV_5)
    archive = closed([ROMASHKA_25, *OCTOBER[1:]], ["2026-10", "2026-11"], DEC_5, archive)
    live = [ROMASHKA_25, item("Анна", "2026-10", "Лютик", 20000), OCTOBER[2]]
    ledger = settle(live, archive, listed("2026-10", "2026-11"), date(2026, 12, 20), "ru")
    archived, line = corrections(ledger)  # November's as archived, and the new one
    assert (archived.month, archived.amount) == ("2026-11", D("-10000.00"))
    assert (line.month, line.for_month, line.amount) == ("2026-12", "2026-10", D("-5000.00"))
    assert line.explain == (
        "пересчёт за 2026-10: было 60 000, стало 45 000, уже исправлено на -10 000 — "
        "«Лютик»: 25 000 → 20 000; «Ромашка»: 35 000 → 25 000"
    )


def test_a_month_closed_in_the_same_run_takes_corrections_against_the_archive_as_read():
    # The run that closes November also first settles October against the archive it read:
    # November's rows carry October's −10 000, and November itself has no correction.
    archive = closed(OCTOBER, ["2026-10"], NOV_5)
    live = [ROMASHKA_25, *OCTOBER[1:], item("Анна", "2026-11", "Роза", 5000)]
    ledger = settle(live, archive, listed("2026-10", "2026-11"), DEC_5, "ru")
    assert [(i.month, i.for_month, i.amount) for i in corrections(ledger)] == [
        ("2026-11", "2026-10", D("-10000.00"))
    ]
    assert [r.amount for r in ledger.archive.rows_of("2026-11")] == [D("5000.00"), D("-10000.00")]


def test_a_deleted_or_moved_row_and_a_new_row_are_named():
    # Борис's «Василёк» 18 000 deleted from October and logged in November (so gone from
    # October: 0 − 18 000 = −18 000); Анна gains a new October client «Лютик-2» 3 000.
    archive = closed(OCTOBER, ["2026-10"], NOV_5)
    live = [
        *OCTOBER[:2],
        item("Анна", "2026-10", "Лютик-2", 3000),
        item("Борис", "2026-11", "Василёк", 18000),
    ]
    ledger = settle(live, archive, listed("2026-10"), NOV_20, "ru")
    anna, boris = corrections(ledger)
    assert (anna.amount, boris.amount) == (D("3000.00"), D("-18000.00"))
    assert (
        anna.explain
        == "пересчёт за 2026-10: было 60 000, стало 63 000 — «Лютик-2»: 0 → 3 000 (новая строка)"
    )
    assert boris.explain == (
        "пересчёт за 2026-10: было 18 000, стало 0 — «Василёк»: 18 000 → 0 (строки больше нет)"
    )


def test_a_renamed_client_and_a_changed_scheme_are_named():
    # Анна's «Лютик» renamed «ИП Лютик» (same 25 000) and «Ромашка» moved from two_step to
    # tiers at 30 000: 55 000 − 60 000 = −5 000.
    archive = closed(OCTOBER, ["2026-10"], NOV_5)
    live = [
        item("Анна", "2026-10", "Ромашка", 30000, scheme="tiers"),
        item("Анна", "2026-10", "ИП Лютик", 25000),
        OCTOBER[2],
    ]
    (line,) = corrections(settle(live, archive, listed("2026-10"), NOV_20, "ru"))
    assert line.amount == D("-5000.00")
    assert line.explain == (
        "пересчёт за 2026-10: было 60 000, стало 55 000 — «Лютик» → «ИП Лютик»: 25 000 "
        "(похоже, клиент переименован); «Ромашка»: 35 000 → 30 000 (схема: два шага → уровни)"
    )


def test_an_adjustment_dated_in_an_archived_month_is_settled_by_a_correction():
    # A −2 500,50 adjustment for Борис dated October, entered after October was archived:
    # October's own items become 18 000 − 2 500,50 = 15 499,50, correction −2 500,50 in November.
    archive = closed(OCTOBER, ["2026-10"], NOV_5)
    fine = item(
        "Борис", "2026-10", None, "-2500.50", scheme="adjustment", step=None, explain="штраф"
    )
    ledger = settle([*OCTOBER, fine], archive, listed("2026-10"), NOV_20, "ru")
    (line,) = corrections(ledger)
    assert (line.month, line.manager, line.amount) == ("2026-11", "Борис", D("-2500.50"))
    assert line.explain == (
        "пересчёт за 2026-10: было 18 000, стало 15 499,50 — "
        "корректировки: 0 → -2 500,50 (новая строка)"
    )
    assert fine not in ledger.items  # October shows what was paid


def test_closed_month_changed_lists_the_managers_and_amounts():
    archive = closed(OCTOBER, ["2026-10"], NOV_5)
    live = [ROMASHKA_25, OCTOBER[1], item("Борис", "2026-10", "Василёк", 20000)]
    ledger = settle(live, archive, listed("2026-10"), NOV_20, "ru")
    (alert,) = ledger.alerts
    assert (alert.kind, alert.month, alert.manager) == ("closed_month_changed", "2026-10", None)
    assert "Анна -10 000 ₽, Борис +2 000 ₽" in alert.message and "2026-11" in alert.message


def test_a_clawback_dated_in_an_archived_month_is_one_of_its_own_items():
    # A clawback of −8 750 for Анна's «Ромашка» computed into October after October was
    # archived (own items: scheme items, adjustments and clawbacks): 51 250 − 60 000 = −8 750.
    archive = closed(OCTOBER, ["2026-10"], NOV_5)
    clawback = item("Анна", "2026-10", "Ромашка", "-8750", scheme="clawback", step=None)
    (line,) = corrections(settle([*OCTOBER, clawback], archive, listed("2026-10"), NOV_20, "ru"))
    assert (line.month, line.amount) == ("2026-11", D("-8750.00"))
    assert line.explain == (
        "пересчёт за 2026-10: было 60 000, стало 51 250 — «Ромашка»: 35 000 → 26 250 "
        "(возврат бонуса: 0 → -8 750)"
    )
