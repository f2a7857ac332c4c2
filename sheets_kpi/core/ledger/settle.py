"""Settling a run against the archive (SPEC §14): which months are closed, reopened or changed
since their seal, what every month shows as paid, and the corrections that settle what
changed in closed months.

`settle` is the one entry point `core/run.py` calls, after the bonuses are computed and before
anything that shows a bonus (`cost.add_bonus`, the report, the tabs) uses them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sheets_kpi.core.compute.bonus import in_report_order
from sheets_kpi.core.inputs.names import norm_many
from sheets_kpi.core.inputs.schema import ERROR, Language
from sheets_kpi.core.ledger import texts
from sheets_kpi.core.ledger.archive import Archive, ArchiveRow
from sheets_kpi.core.ledger.corrections import corrections, target_month
from sheets_kpi.core.model import Alert, BonusItem, Problem
from sheets_kpi.core.months import month_of
from sheets_kpi.core.roster import Roster
from sheets_kpi.core.textfmt import format_money, pick

BAD_SETTING = "bad_setting"


@dataclass(frozen=True)
class Ledger:
    """What settling a run decided.

    items: every bonus line item to show, in report order (`bonus.in_report_order`): archived
        months' items as archived, live months' own items, and the corrections;
    archive: the archive to write back (`archive_cells`): as read, with the month reopened by
        this run dropped, the months closed by this run appended with their seals, and a new
        seal for every month whose seal row was deleted;
    closed_months: the archived months after this run, oldest first (`Result.closed_months`);
    alerts: `archive_changed` (one per changed month, and one for the rows without a readable
        month; every run) and `closed_month_changed` (one per archived month that a correction
        settles);
    problems: a `bad_setting` error (no row) on `Закрытые месяцы` per archived month removed
        from it that this run does not reopen.
    """

    items: tuple[BonusItem, ...]
    archive: Archive
    closed_months: tuple[str, ...]
    alerts: tuple[Alert, ...]
    problems: tuple[Problem, ...]


def settle(
    own: Sequence[BonusItem],
    archive: Archive,
    closed: Sequence[tuple[int, str]],
    as_of: date,
    language: Language,
    *,
    closed_tab: str | None = None,
    archive_tab: str | None = None,
) -> Ledger:
    """Settle a run: `own` are every month's own items as computed now (scheme items,
    adjustments, clawbacks; never corrections), `archive` the `Архив` tab as read,
    `closed` the (sheet row, `YYYY-MM`) of the valid rows of `Закрытые месяцы`.

    A month listed and not archived is closed by this run: its own items and the corrections
    placed in it are appended, then its seal. An archived month no longer listed is reopened
    when it is the latest archived month (its rows and seal dropped); any other stays closed
    with a `bad_setting`. Corrections are computed against the archive as read (less the
    reopened month), before this run's appends. `closed_tab` / `archive_tab`: the tabs'
    titles in the workbook, for messages (default: their names in `language`)."""
    current = month_of(as_of)
    listed = {month for _, month in closed}
    kept = _reopening(archive.months(), listed, current)[1]
    standing = standing_archive(archive, closed, as_of)
    names = manager_names(own, standing)
    settling = corrections(own, standing, current, names, language)
    archived = standing.months()
    newly = sorted(month for month in listed - set(archived) if month < current)
    items = in_report_order([*paid_view(own, standing, names), *settling])
    # A month closing now is not archived yet: its items above are its own and its corrections.
    closing: dict[str, list[ArchiveRow]] = {month: [] for month in newly}
    for item in items:
        if item.month in closing:
            closing[item.month].append(archive_row(item))
    archive_title = archive_tab or pick(texts.TABS["archive"], language)
    closed_title = closed_tab or pick(texts.TABS["closed"], language)
    return Ledger(
        items=items,
        archive=standing.resealed().closing(closing),
        closed_months=tuple(sorted({*archived, *newly})),
        alerts=(
            *_changed_alerts(standing, archive_title, language),
            *_correction_alerts(settling, archived, current, language),
        ),
        problems=tuple(
            _not_latest(month, max(archive.months()), closed_title, language) for month in kept
        ),
    )


def standing_archive(archive: Archive, closed: Sequence[tuple[int, str]], as_of: date) -> Archive:
    """The archive this run stands on: as read, less the month it reopens. What a step before
    `settle` needs when it asks what was paid (a clawback takes back archived amounts)."""
    listed = {month for _, month in closed}
    reopened = _reopening(archive.months(), listed, month_of(as_of))[0]
    return archive.without(reopened) if reopened is not None else archive


def _reopening(
    archived: Sequence[str], listed: set[str], current: str
) -> tuple[str | None, list[str]]:
    """The month this run reopens (the latest archived month, when it is no longer listed) and
    the other archived months no longer listed, which stay closed. A month from the current
    one on is never reopened: listing it is refused by validation, so it is not in `listed`."""
    removed = [month for month in archived if month not in listed and month < current]
    if not removed:
        return None, []
    if removed[-1] == archived[-1]:
        return removed[-1], removed[:-1]
    return None, removed


def manager_names(items: Iterable[BonusItem], archive: Archive) -> dict[str, str]:
    """Manager key → display name: as the items show it (the roster's, or the input tabs'),
    else as the archive first writes it."""
    names = {item.manager_key: item.manager for item in items}
    rows = archive.rows
    for row, key in zip(rows, norm_many([row.manager for row in rows]), strict=True):
        names.setdefault(key, row.manager)
    return names


def paid_view(
    items: Sequence[BonusItem],
    archive: Archive,
    names: Mapping[str, str] | Roster | None = None,
) -> list[BonusItem]:
    """`items` with those of the archive's months replaced by the archived ones: basis from
    the archive, rate and tier None, step and for_month as archived. An archive row's manager
    is keyed like an input name (`schema.norm`) and shown by `names` (manager key → display
    name, or the `Roster`'s), else by the name `items` carry, else as archived. Other months'
    items as given, in the order given, the archived ones after them."""
    months = set(archive.months())
    shown = manager_names(items, Archive())
    shown.update(names.names if isinstance(names, Roster) else names or {})
    rows = archive.rows
    keys = norm_many([row.manager for row in rows])
    return [
        *(item for item in items if item.month not in months),
        *(
            BonusItem(
                manager_key=key,
                manager=shown.get(key, row.manager),
                month=row.month,
                client=row.client,
                scheme=row.scheme,
                step=row.step,
                basis=row.basis,
                rate=None,
                tier=None,
                amount=row.amount,
                explain=row.explain,
                for_month=row.for_month,
            )
            for row, key in zip(rows, keys, strict=True)
        ),
    ]


def archive_row(item: BonusItem) -> ArchiveRow:
    """An item as the archive keeps it (a new row: no sheet row yet)."""
    return ArchiveRow(
        month=item.month,
        manager=item.manager,
        client=item.client,
        scheme=item.scheme,
        step=item.step,
        for_month=item.for_month,
        basis=item.basis,
        amount=item.amount,
        explain=item.explain,
    )


def _changed_alerts(archive: Archive, tab: str, language: Language) -> list[Alert]:
    """`archive_changed`: a month whose rows no longer match its seal or hold a row that
    cannot be read, and every unreadable row without a month."""
    found: list[Alert] = []
    for month in archive.changed_months():
        unread = [str(row.row) for row in archive.unread_of(month)]
        rows = pick(texts.UNREAD_ROWS, language).format(rows=", ".join(unread)) if unread else ""
        message = pick(texts.ARCHIVE_CHANGED, language).format(month=month, tab=tab, unread=rows)
        found.append(Alert(kind="archive_changed", manager=None, month=month, message=message))
    lost = [row.row for row in archive.unread if row.month is None]
    if lost:  # one alert, however many: a tab whose header row was deleted loses every row
        message = pick(texts.UNREAD_NO_MONTH, language).format(
            rows=_rows_text(lost, language), tab=tab
        )
        found.append(Alert(kind="archive_changed", manager=None, month=None, message=message))
    return found


def _rows_text(rows: Sequence[int], language: Language) -> str:
    """`5, 7`, at most `texts.SHOWN_ROWS` rows, then how many more."""
    shown = ", ".join(str(row) for row in rows[: texts.SHOWN_ROWS])
    if len(rows) > texts.SHOWN_ROWS:
        more = len(rows) - texts.SHOWN_ROWS
        shown += pick(texts.MORE_ROWS, language).format(count=more)
    return shown


def _correction_alerts(
    settling: Sequence[BonusItem], archived: Sequence[str], current: str, language: Language
) -> list[Alert]:
    """`closed_month_changed`: one per settled month, listing the managers and amounts."""
    by_month: dict[str, list[BonusItem]] = {}
    for item in settling:
        by_month.setdefault(item.for_month or "", []).append(item)
    found: list[Alert] = []
    for month, items in sorted(by_month.items()):
        amounts = ", ".join(
            pick(texts.MANAGER_AMOUNT, language).format(
                manager=item.manager, amount=_signed(format_money(item.amount, language))
            )
            for item in items
        )
        message = pick(texts.CLOSED_MONTH_CHANGED, language).format(
            month=month, amounts=amounts, target=target_month(month, archived, current)
        )
        found.append(Alert(kind="closed_month_changed", manager=None, month=month, message=message))
    return found


def _signed(money: str) -> str:
    return money if money.startswith("-") else f"+{money}"


def _not_latest(month: str, latest: str, tab: str, language: Language) -> Problem:
    """The `bad_setting` of an archived month removed from `Закрытые месяцы` that is not the
    latest archived one."""
    return Problem(
        tab=tab,
        row=None,
        column=None,
        value=month,
        code=BAD_SETTING,
        severity=ERROR,
        message=pick(texts.NOT_LATEST, language).format(month=month, latest=latest, tab=tab),
    )
