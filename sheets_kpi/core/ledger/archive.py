"""The `Архив` tab (SPEC §14) as data: its columns, its rows and seals, reading them from raw
cells of either backend, the canonical form a seal's digest is computed over, and the cells
the tab writer writes.

Layout (one header row, then one row per archived item and one seal row per month):
`Месяц, Менеджер, Клиент, Схема, Шаг, За месяц, База, Сумма, Пояснение`. A seal row has
`Схема` = `печать` (`seal` in English; both are read), the month in `Месяц`, nothing in the
other cells but `Пояснение` = `Закрыт {closed_at}. SHA-256: {64 lowercase hex}`.

The digest of a month is the SHA-256 of its canonical form: `ledger v1` then, for each of
the month's rows in sheet order (new rows after them, in the order appended), one record of
nine fields — month `YYYY-MM`, manager, client (empty for none), scheme, step (digits or
empty), for-month (`YYYY-MM` or empty), basis and amount as whole kopecks (`3500000`),
explanation — texts in their display form (`schema.display`: trimmed, spaces collapsed).
Fields are joined by U+001F, records by U+001E (display form never holds them: they count
as spaces). Each field is the *parsed* value, so `35000`, `35000.0`, `"35 000"`, a month
written as text or turned into a date serial all give the same digest: what a run writes and
reads back on either backend keeps its seal valid. A row that cannot be read is kept as it
reads (`UnreadRow`) and enters its month's digest as its cells' text, marked `?`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from sheets_kpi.core.inputs import schema
from sheets_kpi.core.inputs.dates import parse_month
from sheets_kpi.core.inputs.parse import ParseError, is_blank, name_text, parse_money
from sheets_kpi.core.inputs.schema import Column, InputTab, Language
from sheets_kpi.core.model import RawCell, RawTab
from sheets_kpi.core.textfmt import pick

# The tab and its columns, (ru, en); `schema.match_header` reads a header in either language.
ARCHIVE_TAB = InputTab(
    "archive",
    "Архив",
    "Archive",
    (
        Column("month", "Месяц", "Month", required=True),
        Column("manager", "Менеджер", "Manager", required=True),
        Column("client", "Клиент", "Client"),
        Column("scheme", "Схема", "Scheme", required=True),
        Column("step", "Шаг", "Step"),
        Column("for_month", "За месяц", "For month"),
        Column("basis", "База", "Basis", required=True),
        Column("amount", "Сумма", "Amount", required=True),
        Column("explain", "Пояснение", "Explanation"),
    ),
)
ARCHIVE_KEYS = tuple(column.key for column in ARCHIVE_TAB.columns)

SEAL_WORDS = ("печать", "seal")  # the `Схема` of a seal row, (ru, en)
_CLOSED_WORDS = ("Закрыт", "Closed")
_SEAL_TEXT = "{closed} {closed_at}. SHA-256: {digest}"
_DIGEST = re.compile(r"SHA-256:\s*([0-9a-fA-F]{64})")
_CLOSED_AT = re.compile(r"^\s*(?:закрыт|closed)\s+(.*?)\.?\s*SHA-256", re.IGNORECASE)
_CANON_VERSION = "ledger v1"
_FIELD = "\x1f"
_RECORD = "\x1e"
_KOPECK = Decimal("0.01")

Cell = str | int | float | None  # a cell `archive_cells` hands the tab writer


@dataclass(frozen=True, kw_only=True)
class ArchiveRow:
    """One archived line item. `manager` is the display name as written (the key is
    `schema.norm` of it); `row` is the sheet row it was read from, None for a row this run
    appends."""

    month: str
    manager: str
    client: str | None
    scheme: str  # the JSON scheme name: tiers, two_step, ..., adjustment, clawback, correction
    step: int | None
    for_month: str | None
    basis: Decimal
    amount: Decimal
    explain: str
    row: int | None = None


@dataclass(frozen=True, kw_only=True)
class Seal:
    """A month's seal: the digest of its rows when it was closed. `closed_at` is the closing
    time as written; None for a seal made by this run (the writer puts the run time there)."""

    month: str
    digest: str
    closed_at: str | None
    row: int | None = None


@dataclass(frozen=True, kw_only=True)
class UnreadRow:
    """A row of the tab that cannot be read as an item or a seal (a cell edited into something
    else). It is kept and written back as it reads, counts in its month's digest when its month
    can be read, and never in the money."""

    row: int
    cells: tuple[RawCell, ...]
    month: str | None


Entry = ArchiveRow | Seal | UnreadRow  # one row of the tab below its header


@dataclass(frozen=True)
class Archive:
    """The `Архив` tab: items, seals and unreadable rows, each in sheet order."""

    rows: tuple[ArchiveRow, ...] = ()
    seals: tuple[Seal, ...] = ()
    unread: tuple[UnreadRow, ...] = ()

    @cached_property
    def _by_month(self) -> dict[str, tuple[list[ArchiveRow], list[Seal], list[UnreadRow]]]:
        """Rows, seals and unread rows of each month, in order (built once: the archive is a
        value)."""
        found: dict[str, tuple[list[ArchiveRow], list[Seal], list[UnreadRow]]] = {}
        for row in self.rows:
            found.setdefault(row.month, ([], [], []))[0].append(row)
        for seal in self.seals:
            found.setdefault(seal.month, ([], [], []))[1].append(seal)
        for unread in self.unread:
            if unread.month is not None:
                found.setdefault(unread.month, ([], [], []))[2].append(unread)
        return found

    def months(self) -> tuple[str, ...]:
        """The archived months (with rows, a seal, or a readable month on an unread row)."""
        return tuple(sorted(self._by_month))

    def rows_of(self, month: str) -> tuple[ArchiveRow, ...]:
        """A month's item rows, in order."""
        return tuple(self._by_month.get(month, ([], [], []))[0])

    def seal_of(self, month: str) -> Seal | None:
        """A month's seal (the last one when a row was copied), None when it has none."""
        found = self._by_month.get(month, ([], [], []))[1]
        return found[-1] if found else None

    def digest_of(self, month: str) -> str:
        """The digest of a month's rows as they stand now (see the module docstring)."""
        return month_digest(self.rows_of(month), self.unread_of(month))

    def unread_of(self, month: str) -> tuple[UnreadRow, ...]:
        """A month's rows that cannot be read, in order."""
        return tuple(self._by_month.get(month, ([], [], []))[2])

    def changed_months(self) -> tuple[str, ...]:
        """The months whose rows no longer match their seal, or hold a row that cannot be read."""
        return tuple(
            month
            for month in self.months()
            if self.unread_of(month)
            or ((seal := self.seal_of(month)) is not None and seal.digest != self.digest_of(month))
        )

    def unsealed_months(self) -> tuple[str, ...]:
        """The archived months without a seal (deleted to accept an edit)."""
        return tuple(month for month in self.months() if self.seal_of(month) is None)

    def without(self, month: str) -> Archive:
        """The archive with a month's rows and seal dropped (a reopened month)."""
        return Archive(
            rows=tuple(row for row in self.rows if row.month != month),
            seals=tuple(seal for seal in self.seals if seal.month != month),
            unread=tuple(row for row in self.unread if row.month != month),
        )

    def closing(self, months: Mapping[str, Sequence[ArchiveRow]]) -> Archive:
        """The archive with months appended (month → its rows): each month's rows, then its new
        seal (no closing time yet)."""
        added: list[ArchiveRow] = []
        seals: list[Seal] = []
        for month, rows in months.items():
            new = [row if row.row is None else replace(row, row=None) for row in rows]
            added += new
            seals.append(Seal(month=month, digest=month_digest(new, ()), closed_at=None))
        return Archive(rows=(*self.rows, *added), seals=(*self.seals, *seals), unread=self.unread)

    def resealed(self) -> Archive:
        """The archive with a new seal for every month without one, over its rows as they
        stand: deleting a seal accepts an edit."""
        new = tuple(
            Seal(month=month, digest=self.digest_of(month), closed_at=None)
            for month in self.unsealed_months()
        )
        return replace(self, seals=(*self.seals, *new)) if new else self


def month_digest(rows: Iterable[ArchiveRow], unread: Iterable[UnreadRow]) -> str:
    """SHA-256 (lowercase hex) of a month's rows in their canonical form: read rows and
    unreadable ones in sheet order, then new rows in the order given."""
    placed = [(row.row, _canonical(row)) for row in rows if row.row is not None]
    placed += [(row.row, _canonical_unread(row)) for row in unread]
    placed.sort(key=lambda entry: entry[0])
    records = [text for _, text in placed]
    records += [_canonical(row) for row in rows if row.row is None]
    text = _RECORD.join([_CANON_VERSION, *records])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canonical(row: ArchiveRow) -> str:
    fields = (
        row.month,
        schema.display(row.manager),
        "" if row.client is None else schema.display(row.client),
        schema.display(row.scheme),
        "" if row.step is None else str(row.step),
        row.for_month or "",
        str(_kopecks(row.basis)),
        str(_kopecks(row.amount)),
        schema.display(row.explain),
    )
    return _FIELD.join(fields)


def _canonical_unread(row: UnreadRow) -> str:
    texts = ("" if is_blank(cell) else schema.display(name_text(cell)) for cell in row.cells)
    return _FIELD.join(("?", *texts))


def _kopecks(amount: Decimal) -> int:
    return int(amount.quantize(_KOPECK, rounding=ROUND_HALF_UP) * 100)


def _roubles(kopecks: int) -> Decimal:
    return (Decimal(kopecks) * _KOPECK).quantize(_KOPECK)


# --- reading ------------------------------------------------------------------------------------


def read_archive(tab: RawTab | None) -> Archive:
    """The archive from the tab's raw cells (None or no rows: an empty archive).

    The header is matched in Russian or English; cells are read as `core/inputs` reads input
    cells (money as int, float or text; months as `YYYY-MM` text, a date or a serial), so
    either backend's cells give the same archive. Empty rows are skipped; a row that cannot be
    read is kept as an `UnreadRow` (its month when that cell reads)."""
    if tab is None or not tab.rows:
        return Archive()
    columns = {
        key: position
        for position, header in reversed(list(enumerate(tab.rows[0])))
        if (key := schema.match_header(ARCHIVE_TAB, header)) is not None
    }
    read = _Reader()
    rows: list[ArchiveRow] = []
    seals: list[Seal] = []
    unread: list[UnreadRow] = []
    for index, cells in enumerate(tab.rows[1:], start=2):
        if all(is_blank(cell) for cell in cells):
            continue
        values = {key: _cell(cells, position) for key, position in columns.items()}
        try:
            if _is_seal(values.get("scheme")):
                seals.append(_seal(values, index))
            else:
                rows.append(read.row(values, index))
        except ParseError:
            unread.append(UnreadRow(row=index, cells=tuple(cells), month=_month_or_none(values)))
    return Archive(rows=tuple(rows), seals=tuple(seals), unread=tuple(unread))


def _cell(cells: Sequence[RawCell], position: int) -> RawCell:
    return cells[position] if position < len(cells) else None


def _is_seal(scheme: RawCell) -> bool:
    return isinstance(scheme, str) and schema.norm(scheme) in SEAL_WORDS


def _month_or_none(values: dict[str, RawCell]) -> str | None:
    try:
        return parse_month(values.get("month"))
    except ParseError:
        return None


def _seal(values: dict[str, RawCell], row: int) -> Seal:
    """A seal row; its text must hold the digest (else the row is unread)."""
    text = "" if is_blank(values.get("explain")) else name_text(values.get("explain"))
    digest = _DIGEST.search(text)
    if digest is None:
        raise ParseError("bad_value")
    closed_at = _CLOSED_AT.search(text)
    return Seal(
        month=parse_month(values.get("month")),
        digest=digest.group(1).lower(),
        # the closing time as written; without the word before it, whatever precedes the digest
        closed_at=(closed_at.group(1) if closed_at else text[: digest.start()]).strip(" ."),
        row=row,
    )


class _Reader:
    """Reads item rows, each distinct month and text cell once (an archive repeats its months,
    managers and schemes on every row). Keyed by type too: `1 == 1.0 == True`."""

    def __init__(self) -> None:
        self._months: dict[tuple[type, RawCell], str] = {}
        self._texts: dict[tuple[type, RawCell], str | None] = {}

    def row(self, values: dict[str, RawCell], row: int) -> ArchiveRow:
        """An item row; ParseError when a required cell is empty or a cell cannot be read."""
        for_month = values.get("for_month")
        return ArchiveRow(
            month=self.month(values.get("month")),
            manager=self.required(values.get("manager")),
            client=self.text(values.get("client")),
            scheme=self.required(values.get("scheme")),
            step=_step(values.get("step")),
            for_month=None if is_blank(for_month) else self.month(for_month),
            basis=_roubles(parse_money(values.get("basis"))),
            amount=_roubles(parse_money(values.get("amount"))),
            explain=self.text(values.get("explain")) or "",
            row=row,
        )

    def month(self, raw: RawCell) -> str:
        key = (type(raw), raw)
        if key not in self._months:
            self._months[key] = parse_month(raw)
        return self._months[key]

    def text(self, raw: RawCell) -> str | None:
        key = (type(raw), raw)
        if key not in self._texts:
            self._texts[key] = None if is_blank(raw) else schema.display(name_text(raw)) or None
        return self._texts[key]

    def required(self, raw: RawCell) -> str:
        text = self.text(raw)
        if text is None:
            raise ParseError("bad_value")
        return text


def _step(raw: RawCell) -> int | None:
    if is_blank(raw):
        return None
    if isinstance(raw, bool):
        raise ParseError("bad_value")
    if isinstance(raw, int | float) and float(raw).is_integer():
        return int(raw)
    if isinstance(raw, str) and schema.display(raw).isdigit():
        return int(schema.display(raw))
    raise ParseError("bad_value")


# --- writing ------------------------------------------------------------------------------------


def archive_cells(archive: Archive, run_at: str, language: Language) -> list[list[Cell]]:
    """The tab's cells to write: the header, then every entry in sheet order as read, a new
    seal of a month read without one right after that month's last row, and the months this
    run closes at the end (rows, then seal). New seals get `run_at` as their closing time;
    unreadable rows are written back as they read."""
    header: list[Cell] = [column.label(language) for column in ARCHIVE_TAB.columns]
    placed: list[tuple[int, Entry]] = sorted(
        [(row.row, row) for row in archive.rows if row.row is not None]
        + [(seal.row, seal) for seal in archive.seals if seal.row is not None]
        + [(row.row, row) for row in archive.unread],
        key=lambda entry: entry[0],
    )
    read_months = {entry.month for _, entry in placed} - {None}
    new_entries: list[Entry] = [row for row in archive.rows if row.row is None]
    new_entries += [seal for seal in archive.seals if seal.row is None]
    late_seals = [
        entry for entry in new_entries if isinstance(entry, Seal) and entry.month in read_months
    ]
    written = [entry for _, entry in placed]
    for seal in late_seals:
        last = max(i for i, entry in enumerate(written) if entry.month == seal.month)
        written.insert(last + 1, seal)
    appended = [entry for entry in new_entries if entry not in late_seals]
    order = list(dict.fromkeys(entry.month for entry in appended))
    appended.sort(key=lambda entry: (order.index(entry.month), isinstance(entry, Seal)))
    return [header, *(_cells(entry, run_at, language) for entry in [*written, *appended])]


def _cells(entry: Entry, run_at: str, language: Language) -> list[Cell]:
    if isinstance(entry, UnreadRow):
        return [_raw_cell(cell) for cell in entry.cells]
    if isinstance(entry, Seal):
        text = _SEAL_TEXT.format(
            closed=pick(_CLOSED_WORDS, language),
            closed_at=run_at if entry.closed_at is None else entry.closed_at,
            digest=entry.digest,
        )
        return [entry.month, None, None, pick(SEAL_WORDS, language), None, None, None, None, text]
    return [
        entry.month,
        entry.manager,
        entry.client,
        entry.scheme,
        entry.step,
        entry.for_month,
        _number(entry.basis),
        _number(entry.amount),
        entry.explain,
    ]


def _number(amount: Decimal) -> int | float:
    """Roubles as a cell: an int for whole roubles, else a float (exact to the kopeck)."""
    kopecks = _kopecks(amount)
    return kopecks // 100 if kopecks % 100 == 0 else kopecks / 100


def _raw_cell(cell: RawCell) -> Cell:
    if cell is None or isinstance(cell, str | int | float):
        return cell  # type: ignore[return-value]
    return name_text(cell)
