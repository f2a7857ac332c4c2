"""`Сводка`'s money blocks (SPEC §14, §15): what each manager is paid for the current month —
the headline beside the team block and, among the details, what it is made of (scheme bonuses,
corrections of closed months, adjustments, clawbacks) — and the trial scheme against the
scheme paid.

The month's total to pay is the sum of its line items, whatever their sign: a clawback or a
negative adjustment may bring it below zero, and then it is shown so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sheets_kpi.core.inputs.schema import norm
from sheets_kpi.core.model import ADJUSTMENT, CLAWBACK, CORRECTION, BonusItem
from sheets_kpi.core.output.cells import figure_cell, text_cell
from sheets_kpi.core.output.labels import label, month_label
from sheets_kpi.core.output.report import Result
from sheets_kpi.core.output.sheetplan import Cell, Style
from sheets_kpi.core.output.tabbuilder import TabBuilder
from sheets_kpi.core.output.tabs import trial

Row = tuple[Cell, ...]

OWED_SHOWN = 8  # managers listed by name beside the team block; the rest share one line
# The parts of a month's payout, in the order of the table; each line item goes to one of them
PARTS = ("scheme_bonus", "corrections", "adjustments", "clawbacks")
_PART_OF = {CORRECTION: "corrections", ADJUSTMENT: "adjustments", CLAWBACK: "clawbacks"}


@dataclass(frozen=True)
class Payout:
    """One manager's money of a month, by part (roubles)."""

    manager: str
    parts: dict[str, Decimal]

    @property
    def to_pay(self) -> Decimal:
        return sum(self.parts.values(), Decimal(0))


def payouts(items: Iterable[BonusItem], month: str) -> list[Payout]:
    """Each manager with a line item in `month`, by name: the items summed per part (a scheme
    item is a scheme bonus; corrections, adjustments and clawbacks each their own part)."""
    by_manager: dict[str, tuple[str, dict[str, Decimal]]] = {}
    for item in items:
        if item.month != month:
            continue
        _, parts = by_manager.setdefault(
            item.manager_key, (item.manager, dict.fromkeys(PARTS, Decimal(0)))
        )
        part = _PART_OF.get(item.scheme, "scheme_bonus")
        parts[part] += item.amount
    lines = [Payout(manager, parts) for manager, parts in by_manager.values()]
    lines.sort(key=lambda line: norm(line.manager))
    return lines


def owed_rows(builder: TabBuilder, result: Result) -> list[Row]:
    """The headline beside the team block: each manager's total to pay this month, largest
    first (managers whose lines sum to 0 left out), and the team's total."""
    language, month = builder.language, result.month
    owed = [line for line in payouts(result.bonus_items, month) if line.to_pay != 0]
    owed.sort(key=lambda line: -line.to_pay)  # stable: equal totals stay by name
    rows: list[Row] = [
        (Cell(label("owed_title", language, month=month_label(month, language)), style="title"),),
        (
            *builder.header_cells(("manager",)),
            Cell(None, style="header"),
            *builder.header_cells(("to_pay",)),
        ),
    ]
    if not owed:
        return [*rows, (Cell(label("no_bonuses", language), style="muted"),)]
    for line in owed[:OWED_SHOWN]:
        rows.append((text_cell(line.manager), Cell(None), figure_cell("bonus", line.to_pay)))
    rest = owed[OWED_SHOWN:]
    if rest:
        others = sum((line.to_pay for line in rest), Decimal(0))
        rows.append(
            (
                Cell(label("others", language, count=len(rest))),
                Cell(None),
                figure_cell("bonus", others),
            )
        )
    total = sum((line.to_pay for line in owed), Decimal(0))
    rows.append(
        (
            Cell(label("total", language), style="subtotal"),
            Cell(None, style="subtotal"),
            figure_cell("bonus", total, style="subtotal"),
        )
    )
    return rows


def payout_block(builder: TabBuilder, result: Result) -> None:
    """«К выплате»: per manager this month's scheme bonuses, corrections, adjustments,
    clawbacks and the total to pay, then the team's row. Always there, so the tab keeps its
    shape from month to month; a note when the month has no line item yet."""
    language, month = builder.language, result.month
    builder.blank()
    builder.title("payout_title", month=month_label(month, language))
    keys = ("manager", *PARTS, "to_pay")
    builder.header(keys)
    lines = payouts(result.bonus_items, month)
    if not lines:
        builder.note("no_payout")
        return
    for line in lines:
        builder.add(text_cell(line.manager), *_money_cells(line))
    team = Payout(
        label("team", language),
        {part: sum((line.parts[part] for line in lines), Decimal(0)) for part in PARTS},
    )
    builder.add(text_cell(team.manager, style="subtotal"), *_money_cells(team, "subtotal"))


def _money_cells(line: Payout, style: Style | None = None) -> list[Cell]:
    amounts = [*(line.parts[part] for part in PARTS), line.to_pay]
    return [figure_cell("bonus", amount, style) for amount in amounts]


def trial_block(builder: TabBuilder, result: Result) -> None:
    """The trial scheme's totals over the last 3 and 12 complete months against the scheme
    paid, per manager with a trial scheme, and a line saying it is never paid; nothing when no
    manager has a trial scheme."""
    if result.trial is None:
        return
    builder.blank()
    builder.title("trial_summary_title")
    builder.note("trial_never_paid", style="note")
    trial.totals_table(builder, result)
