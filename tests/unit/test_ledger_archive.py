"""The `Архив` tab as data (SPEC §14 «The archive»): its cells, the seal and its canonical form,
reading either backend's cells back, rows it cannot read."""

from __future__ import annotations

import hashlib
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st
from ledger_tables import D, as_google, as_xlsx, item, listed, written_and_read

from sheets_kpi.core.ledger.archive import (
    Archive,
    ArchiveRow,
    UnreadRow,
    archive_cells,
    read_archive,
)
from sheets_kpi.core.ledger.settle import settle
from sheets_kpi.core.model import RawTab

NOV_5 = date(2026, 11, 5)
OCTOBER = [
    item("Анна", "2026-10", "Ромашка", 35000, explain="Ромашка: 10 % от 350 000"),
    item("Анна", "2026-10", "Лютик", "1234.56"),
]
HEADER_RU = [
    "Месяц",
    "Менеджер",
    "Клиент",
    "Схема",
    "Шаг",
    "За месяц",
    "База",
    "Сумма",
    "Пояснение",
]


def closed_october() -> Archive:
    return settle(OCTOBER, Archive(), listed("2026-10"), NOV_5, "ru").archive


def test_closing_writes_one_row_per_item_then_a_seal_of_the_canonical_rows():
    # Анна's October: «Лютик» 1 234,56 (basis 12 345,60) and «Ромашка» 35 000 (basis 350 000),
    # in report order (client names: Лютик before Ромашка); then the seal row.
    cells = archive_cells(closed_october(), "2026-11-05 10:00 UTC", "ru")
    assert cells[0] == HEADER_RU
    assert cells[1] == [
        "2026-10", "Анна", "Лютик", "two_step", 1, None, 12345.6, 1234.56, "Лютик: 10 %",
    ]  # fmt: skip
    assert cells[2] == [
        "2026-10", "Анна", "Ромашка", "two_step", 1, None, 350000, 35000,
        "Ромашка: 10 % от 350 000",
    ]  # fmt: skip
    # The canonical form by hand: version, then each row's nine fields (amounts in kopecks)
    # joined by U+001F, rows joined by U+001E.
    canonical = "\x1e".join(
        [
            "ledger v1",
            "\x1f".join(
                [
                    "2026-10",
                    "Анна",
                    "Лютик",
                    "two_step",
                    "1",
                    "",
                    "1234560",
                    "123456",
                    "Лютик: 10 %",
                ]
            ),
            "\x1f".join(
                [
                    "2026-10",
                    "Анна",
                    "Ромашка",
                    "two_step",
                    "1",
                    "",
                    "35000000",
                    "3500000",
                    "Ромашка: 10 % от 350 000",
                ]
            ),
        ]
    )
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    assert cells[3] == [
        "2026-10", None, None, "печать", None, None, None, None,
        f"Закрыт 2026-11-05 10:00 UTC. SHA-256: {digest}",
    ]  # fmt: skip
    assert len(cells) == 4


def test_the_seal_survives_google_floats_and_date_serials():
    # Google hands back 35000.0, 1234.56, the month as serial 46296.0 (2026-10-01) and "" for
    # empty cells: the parsed values, and so the digest, are the same.
    tab = as_google(archive_cells(closed_october(), "2026-11-05 10:00 UTC", "ru"))
    assert tab.rows[1][0] == 46296.0 and tab.rows[2][7] == 35000.0
    archive = read_archive(tab)
    assert archive.changed_months() == ()
    assert archive.unsealed_months() == ()
    assert [row.amount for row in archive.rows] == [D("1234.56"), D("35000.00")]
    assert [row.basis for row in archive.rows] == [D("12345.60"), D("350000.00")]
    assert archive.seal_of("2026-10").closed_at == "2026-11-05 10:00 UTC"


def test_the_seal_survives_a_workbook_date_cell_and_an_english_header():
    cells = archive_cells(closed_october(), "2026-11-05 10:00 UTC", "en")
    assert cells[0][-1] == "Explanation" and cells[-1][3] == "seal"
    assert cells[-1][-1].startswith("Closed 2026-11-05 10:00 UTC. SHA-256: ")
    archive = read_archive(as_xlsx(cells))
    assert archive.months() == ("2026-10",)
    assert archive.changed_months() == ()


def test_writing_back_what_was_read_changes_no_cell():
    # A run that closes nothing writes the tab as it read it, the closing time included.
    first = archive_cells(closed_october(), "2026-11-05 10:00 UTC", "ru")
    again = archive_cells(read_archive(RawTab("Архив", first)), "2026-11-20 09:00 UTC", "ru")
    assert again == first


def test_amounts_written_as_text_read_as_the_same_money():
    # A person retyping 35000 as "35 000" or "35 000,00" leaves the seal valid: same kopecks.
    cells = archive_cells(closed_october(), "t", "ru")
    cells[2][7] = "35 000,00"
    cells[2][6] = "350 000"
    assert read_archive(RawTab("Архив", cells)).changed_months() == ()


def test_a_row_that_cannot_be_read_is_kept_as_it_reads_and_flags_its_month():
    cells = archive_cells(closed_october(), "t", "ru")
    cells[2][7] = "много"  # Ромашка's amount edited into a word
    cells.append(["что-то", None, 5])  # no month at all
    archive = read_archive(RawTab("Архив", cells))
    assert archive.unread == (
        UnreadRow(row=3, cells=tuple(cells[2]), month="2026-10"),
        UnreadRow(row=5, cells=("что-то", None, 5), month=None),
    )
    assert [row.client for row in archive.rows] == ["Лютик"]  # the money: only readable rows
    assert archive.changed_months() == ("2026-10",)
    assert archive_cells(archive, "later", "ru") == cells  # written back as read, in place


def test_empty_rows_are_skipped_and_a_missing_tab_is_an_empty_archive():
    assert read_archive(None) == Archive()
    assert read_archive(RawTab("Архив", [])) == Archive()
    cells = archive_cells(closed_october(), "t", "ru")
    tab = RawTab("Архив", [cells[0], [], ["", None, "  "], *cells[1:]])
    archive = read_archive(tab)
    assert [row.row for row in archive.rows] == [4, 5] and archive.unread == ()


def test_a_new_seal_goes_right_after_its_months_rows():
    # The seal of October deleted, November archived after it: October's new seal is written
    # after October's last row, not at the end.
    rows = (
        ArchiveRow(
            month="2026-10", manager="Анна", client="Ромашка", scheme="two_step", step=1,
            for_month=None, basis=D("350000"), amount=D("35000"), explain="", row=2,
        ),
        ArchiveRow(
            month="2026-11", manager="Анна", client=None, scheme="adjustment", step=None,
            for_month=None, basis=D("0"), amount=D("-500"), explain="штраф", row=3,
        ),
    )  # fmt: skip
    november = Archive(rows=rows).without("2026-10")
    sealed_november = november.resealed().seals
    archive = Archive(rows=rows, seals=()).resealed()
    cells = archive_cells(archive, "RUN", "ru")
    assert [row[0] for row in cells[1:]] == ["2026-10", "2026-10", "2026-11", "2026-11"]
    assert [row[3] for row in cells[1:]] == ["two_step", "печать", "adjustment", "печать"]
    assert cells[2][8].startswith("Закрыт RUN. SHA-256: ")
    assert cells[4][8].endswith(sealed_november[0].digest)


def test_a_new_archive_read_back_holds_the_same_items():
    archive = written_and_read(closed_october())
    assert [
        (row.manager, row.client, row.scheme, row.step, row.amount) for row in archive.rows
    ] == [
        ("Анна", "Лютик", "two_step", 1, D("1234.56")),
        ("Анна", "Ромашка", "two_step", 1, D("35000.00")),
    ]


@settings(max_examples=60, deadline=None)
@given(
    kopecks=st.lists(st.integers(min_value=-(10**13), max_value=10**13), min_size=1, max_size=5),
    english=st.booleans(),
)
def test_any_amounts_keep_their_seal_through_google(kopecks, english):
    # Whatever the kopecks (negative, fractional roubles, up to 100 billion roubles), what a run
    # writes and Google hands back as floats and serials reads as the same money and seal.
    items = [
        item("Анна", "2026-10", f"Клиент {n}", str(D(value) / 100), scheme="adjustment", step=None)
        for n, value in enumerate(kopecks)
    ]
    language = "en" if english else "ru"
    archive = settle(items, Archive(), listed("2026-10"), NOV_5, language).archive
    back = read_archive(as_google(archive_cells(archive, "2026-11-05", language)))
    assert back.changed_months() == () and back.unread == ()
    assert sorted(row.amount for row in back.rows) == sorted(D(value) / 100 for value in kopecks)


def test_columns_moved_or_added_by_a_person_read_the_same():
    # The owner dragged `Сумма` to the front and added a `Заметки` column: same rows, same seal.
    cells = archive_cells(closed_october(), "t", "ru")
    moved = [[row[7], *row[:7], *row[8:], "заметка"] for row in cells]
    moved[0][-1] = "Заметки"
    archive = read_archive(RawTab("Архив", moved))
    assert [row.amount for row in archive.rows] == [D("1234.56"), D("35000.00")]
    assert archive.changed_months() == () and archive.unread == ()
