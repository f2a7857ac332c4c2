"""Small builders for the ledger's tests (SPEC §14): line items, `Закрытые месяцы` rows, and
the `Архив` tab as each backend hands its cells back after a write."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from sheets_kpi.core.inputs.schema import display, norm
from sheets_kpi.core.ledger.archive import Archive, Cell, archive_cells, read_archive
from sheets_kpi.core.model import BonusItem, RawTab

D = Decimal
RATE = D("0.10")  # every scheme item here is 10 % of its basis: 35 000 = 10 % of 350 000


def item(
    manager: str,
    month: str,
    client: str | None,
    amount: str | int,
    *,
    scheme: str = "two_step",
    step: int | None = 1,
    explain: str = "",
) -> BonusItem:
    """A live own item: a scheme item at 10 % of its basis, or (step None) a ledger item."""
    money = D(amount).quantize(D("0.01"))
    scheme_item = step is not None
    return BonusItem(
        manager_key=norm(manager),
        manager=display(manager),
        month=month,
        client=client,
        scheme=scheme,
        step=step,
        basis=(money / RATE).quantize(D("0.01")) if scheme_item else D("0.00"),
        rate=RATE if scheme_item else None,
        tier=None,
        amount=money,
        explain=explain or f"{client}: 10 %",
    )


def listed(*months: str) -> list[tuple[int, str]]:
    """The valid rows of `Закрытые месяцы`: (sheet row, month), from row 2."""
    return [(row, month) for row, month in enumerate(months, start=2)]


def serial(day: date) -> float:
    """A date as Google's serial number (days since 1899-12-30)."""
    return float((day - date(1899, 12, 30)).days)


def as_google(cells: Sequence[Sequence[Cell]]) -> RawTab:
    """What Google hands back for written cells (UNFORMATTED_VALUE, SERIAL_NUMBER): numbers as
    floats, a `YYYY-MM` month turned into a date serial, empty cells as "" with the trailing
    ones cut."""

    def cell(value: Cell, column: int) -> object:
        if value is None:
            return ""
        if isinstance(value, int):
            return float(value)
        if column in (0, 5) and isinstance(value, str) and len(value) == 7:
            return serial(date(int(value[:4]), int(value[5:]), 1))
        return value

    rows = []
    for row in cells:
        values = [cell(value, column) for column, value in enumerate(row)]
        while values and values[-1] == "":
            values.pop()
        rows.append(values)
    return RawTab("Архив", rows)


def as_xlsx(cells: Sequence[Sequence[Cell]]) -> RawTab:
    """What a workbook hands back: the month a date cell (Excel turns `2026-10` into one)."""
    rows = [list(row) for row in cells]
    for row in rows[1:]:
        if isinstance(row[0], str) and len(row[0]) == 7:
            row[0] = datetime(int(row[0][:4]), int(row[0][5:]), 1)
    return RawTab("Архив", rows)


def written_and_read(archive: Archive, run_at: str = "2026-11-05 10:00 UTC") -> Archive:
    """The archive a run writes, as the next run reads it back from Google."""
    return read_archive(as_google(archive_cells(archive, run_at, "ru")))
