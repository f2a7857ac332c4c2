"""Settling a run against the archive (SPEC §14): which months are closed, reopened or changed
since their seal, what every month shows as paid, and the corrections that settle what
changed in closed months.

`settle` is the one entry point `core/run.py` calls, after the bonuses are computed and before
anything that shows a bonus (`cost.add_bonus`, the report, the tabs) uses them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sheets_kpi.core.inputs.schema import Language
from sheets_kpi.core.ledger.archive import Archive
from sheets_kpi.core.model import Alert, BonusItem, Problem


@dataclass(frozen=True)
class Ledger:
    """What settling a run decided.

    items: every bonus line item to show, in report order (`bonus.in_report_order`): archived
        months' items as archived, live months' own items, and the corrections;
    archive: the archive to write back (`archive_cells`): as read, with the month reopened by
        this run dropped, the months closed by this run appended with their seals, and a new
        seal for every month whose seal row was deleted;
    closed_months: the archived months after this run, oldest first (`Result.closed_months`);
    alerts: `archive_changed` (one per changed month, every run) and `closed_month_changed`
        (one per archived month that a correction settles);
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

    `closed_tab` / `archive_tab` are the tabs' titles in the workbook, for messages (default:
    their names in `language`)."""
    raise NotImplementedError


def paid_view(
    items: Sequence[BonusItem],
    archive: Archive,
    names: Mapping[str, str] | None = None,
) -> list[BonusItem]:
    """`items` with those of the archive's months replaced by the archived ones: basis from
    the archive, rate and tier None, step and for_month as archived. An archive row's manager
    is keyed like an input name (`schema.norm`) and shown by `names` (manager key → display
    name; default: the names `items` carry), else as archived. Other months' items as given,
    in the order given, the archived ones after them."""
    raise NotImplementedError
