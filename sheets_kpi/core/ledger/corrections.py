"""Corrections (SPEC §14): for each archived month M and manager,
correction = (M's own items recomputed now) − (M's own items in the archive)
             − (corrections for M already in the archive),
one line item `scheme = "correction"`, `for_month = M`, in the first month after M that is not
archived (at most the current month), explained per client. Money first, words after.

What changed per client is found by comparing, for the manager and M, the archived own items
and the recomputed ones grouped by client (`schema.norm` of the name; items without a client by
scheme): an amount changed, a scheme changed (same client, other schemes), a row gone (the
client has no item now: deleted, or moved to another month or manager), a new row, and a
rename — a client gone and another new one whose amounts are equal, paired in order; the
words say "looks like", since equal amounts cannot prove it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from sheets_kpi.core.inputs.names import norm_many
from sheets_kpi.core.inputs.schema import Language
from sheets_kpi.core.ledger import texts
from sheets_kpi.core.ledger.archive import Archive
from sheets_kpi.core.model import CORRECTION, LEDGER_SCHEMES, BonusItem
from sheets_kpi.core.months import add_months
from sheets_kpi.core.textfmt import format_money, pick, quoted_name

_KOPECK = Decimal("0.01")
_ZERO = Decimal("0.00")


class Line(NamedTuple):
    """One item of a manager's month as the comparison sees it: its client group, how much."""

    group: str  # norm(client), or "\x00" + scheme for an item without a client
    name: str  # the client as shown, or the scheme's words
    scheme: str
    amount: Decimal


# An item of a (month, manager) as the sums see it: client, scheme, amount.
Piece = tuple[str | None, str, Decimal]


def target_month(month: str, archived: Iterable[str], current: str) -> str:
    """The month a correction for `month` goes to: the first one after it that is not archived
    (in the archive as this run read it), at most `current`."""
    taken = set(archived)
    target = add_months(month, 1)
    while target in taken and target < current:
        target = add_months(target, 1)
    return min(target, current)


def corrections(
    own: Sequence[BonusItem],
    archive: Archive,
    current: str,
    names: Mapping[str, str],
    language: Language,
) -> list[BonusItem]:
    """The correction items of every archived month and manager whose sum is not zero, by
    month, then manager key. `names`: manager key → display name, for every manager of `own`
    and of `archive`. Money first: the sums of every (month, manager); the per-client words
    only for the pairs whose correction is not zero."""
    archived = archive.months()
    months = set(archived)
    now: dict[tuple[str, str], list[Piece]] = {}
    for item in own:
        if item.month in months and item.scheme != CORRECTION:
            now.setdefault((item.month, item.manager_key), []).append(
                (item.client, item.scheme, item.amount)
            )
    was, earlier = _archived_pieces(archive)
    settled = {pair for pair in earlier if pair[0] in months}
    found: list[BonusItem] = []
    for month, manager_key in sorted(set(now) | set(was) | settled):
        now_pieces, was_pieces = (
            now.get((month, manager_key), []),
            was.get((month, manager_key), []),
        )
        before = earlier.get((month, manager_key), _ZERO)
        amount = _sum(now_pieces) - _sum(was_pieces) - before
        if amount == 0:
            continue
        found.append(
            BonusItem(
                manager_key=manager_key,
                manager=names[manager_key],
                month=target_month(month, archived, current),
                client=None,
                scheme=CORRECTION,
                step=None,
                basis=_ZERO,
                rate=None,
                tier=None,
                amount=amount.quantize(_KOPECK, rounding=ROUND_HALF_UP),
                explain=explanation(
                    month,
                    _lines(was_pieces, language),
                    _lines(now_pieces, language),
                    before,
                    language,
                ),
                for_month=month,
            )
        )
    return found


def _archived_pieces(
    archive: Archive,
) -> tuple[dict[tuple[str, str], list[Piece]], dict[tuple[str, str], Decimal]]:
    """The archive's own items per (month, manager key), and the sum of the corrections already
    archived per (settled month, manager key)."""
    keys = norm_many([row.manager for row in archive.rows])
    pieces: dict[tuple[str, str], list[Piece]] = {}
    earlier: dict[tuple[str, str], Decimal] = {}
    for row, key in zip(archive.rows, keys, strict=True):
        if row.scheme != CORRECTION:
            pieces.setdefault((row.month, key), []).append((row.client, row.scheme, row.amount))
        elif row.for_month is not None:
            settled = (row.for_month, key)
            earlier[settled] = earlier.get(settled, _ZERO) + row.amount
    return pieces, earlier


def _sum(pieces: Iterable[Piece]) -> Decimal:
    return sum((amount for _, _, amount in pieces), _ZERO)


def _lines(pieces: Sequence[Piece], language: Language) -> list[Line]:
    """A manager's items of a month as `Line`s, clients keyed at once."""
    keys = iter(norm_many([client for client, _, _ in pieces if client is not None]))
    found: list[Line] = []
    for client, scheme, amount in pieces:
        if client is None:
            words = texts.SCHEME_WORDS.get(scheme)
            name = pick(words, language) if words else scheme
            found.append(Line("\x00" + scheme, name, scheme, amount))
        else:
            found.append(Line(next(keys), quoted_name(client), scheme, amount))
    return found


def _total(lines: Iterable[Line]) -> Decimal:
    return sum((line.amount for line in lines), _ZERO)


# --- words ----------------------------------------------------------------------------------------


def explanation(
    month: str, was: Sequence[Line], now: Sequence[Line], earlier: Decimal, language: Language
) -> str:
    """`пересчёт за 2026-10: было 60 000, стало 50 000 — «Ромашка»: 35 000 → 25 000`."""
    text = pick(texts.RECALCULATED, language).format(
        month=month,
        was=format_money(_total(was), language),
        now=format_money(_total(now), language),
    )
    if earlier:
        text += pick(texts.EARLIER, language).format(earlier=format_money(earlier, language))
    changes = client_changes(was, now, language)
    if changes:
        joined = pick(texts.SEPARATOR, language).join(changes)
        text += pick(texts.CHANGES, language).format(changes=joined)
    return text


def client_changes(was: Sequence[Line], now: Sequence[Line], language: Language) -> list[str]:
    """What changed per client group, in the order the groups first appear (archived first)."""
    was_groups, now_groups = _groups(was), _groups(now)
    gone = [group for group in was_groups if group not in now_groups]
    new = [group for group in now_groups if group not in was_groups]
    renamed: dict[str, str] = {}  # gone group -> new group with the same amount
    for old in gone:
        twin = next(
            (
                group
                for group in new
                if group not in renamed.values()
                and _total(now_groups[group]) == _total(was_groups[old])
                and not old.startswith("\x00")
                and not group.startswith("\x00")
            ),
            None,
        )
        if twin is not None:
            renamed[old] = twin
    said: list[str] = []
    for group in [*was_groups, *(group for group in new if group not in renamed.values())]:
        before, after = was_groups.get(group, []), now_groups.get(group, [])
        if group in renamed:
            twin_lines = now_groups[renamed[group]]
            said.append(
                pick(texts.RENAMED, language).format(
                    was_name=before[0].name,
                    now_name=twin_lines[0].name,
                    now=format_money(_total(twin_lines), language),
                )
            )
        elif not after:
            said.append(
                pick(texts.GONE, language).format(
                    name=before[0].name, was=format_money(_total(before), language)
                )
            )
        elif not before:
            said.append(
                pick(texts.NEW, language).format(
                    name=after[0].name, now=format_money(_total(after), language)
                )
            )
        else:
            said.extend(_changed(before, after, language))
    return said


def _changed(before: Sequence[Line], after: Sequence[Line], language: Language) -> list[str]:
    """A group in both: its amount; when §5's schemes differ, which; and the clawbacks or
    adjustments of the client that changed."""
    was_schemes = _schemes(before, ledger=False)
    now_schemes = _schemes(after, ledger=False)
    was_total, now_total = _total(before), _total(after)
    if was_total == now_total and was_schemes == now_schemes:
        return []
    text = pick(texts.CHANGED, language).format(
        name=after[0].name,
        was=format_money(was_total, language),
        now=format_money(now_total, language),
    )
    if was_schemes != now_schemes:
        text += pick(texts.SCHEME_CHANGED, language).format(
            was=_schemes_words(was_schemes, language), now=_schemes_words(now_schemes, language)
        )
    for scheme in dict.fromkeys([*_schemes(before, ledger=True), *_schemes(after, ledger=True)]):
        was = _total(line for line in before if line.scheme == scheme)
        now = _total(line for line in after if line.scheme == scheme)
        if was != now:
            text += pick(texts.LEDGER_PART, language).format(
                what=_schemes_words([scheme], language),
                was=format_money(was, language),
                now=format_money(now, language),
            )
    return [text]


def _schemes(lines: Iterable[Line], *, ledger: bool) -> list[str]:
    """The distinct schemes of lines in order: §5's, or (`ledger`) adjustments and clawbacks."""
    return list(
        dict.fromkeys(line.scheme for line in lines if (line.scheme in LEDGER_SCHEMES) == ledger)
    )


def _schemes_words(schemes: Sequence[str], language: Language) -> str:
    words = (texts.SCHEME_WORDS.get(scheme) for scheme in schemes)
    return ", ".join(
        pick(word, language) if word else scheme
        for word, scheme in zip(words, schemes, strict=True)
    )


def _groups(lines: Iterable[Line]) -> dict[str, list[Line]]:
    found: dict[str, list[Line]] = {}
    for line in lines:
        found.setdefault(line.group, []).append(line)
    return found
