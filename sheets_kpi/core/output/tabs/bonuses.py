"""`Бонусы` (SPEC §8, §14): every bonus line item with its explanation — scheme items, and
the corrections of closed months («пересчёт за 2026-10», the month settled), adjustments
(«корректировка») and clawbacks («возврат бонуса»), with no step — a subtotal per manager and
month (negative lines included, so it may be below 0), and the team's total of each month;
newest month first, managers by name within a month, items in the order computed. The amount
is the third column, so it is on screen next to the names; bonus lines show kopecks
(`BONUS_LINE_FORMAT`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

from sheets_kpi.core.inputs.schema import Language, norm
from sheets_kpi.core.model import LEDGER_SCHEMES, BonusItem
from sheets_kpi.core.output.cells import BONUS_LINE_FORMAT, figure_cell, number_cell, text_cell
from sheets_kpi.core.output.labels import label, scheme_label
from sheets_kpi.core.output.sheetplan import Cell, TabWrite
from sheets_kpi.core.output.tabbuilder import TabBuilder, TabInput

KEY = "bonuses"
COLUMNS = (
    "manager",
    "month",
    "amount",
    "client",
    "scheme",
    "step",
    "basis",
    "rate_or_tier",
    "explain",
    "withheld",
)
AMOUNT_COLUMN = COLUMNS.index("amount") + 1
COLUMN_WIDTHS = (24, 10, 16, 28, 20, 6, 16, 18, 60, 30)

SharedCells = dict[tuple[object, ...], Cell]


def build(source: TabInput) -> TabWrite:
    """The line items grouped by month and manager, each group closed by its subtotal."""
    language = source.language
    builder = TabBuilder(language)
    builder.header(COLUMNS)
    shared: SharedCells = {}
    groups = _groups(source.result.bonus_items)
    for index, items in enumerate(groups):
        for item in items:
            builder.add(*bonus_row(item, language, shared))
        builder.add(*_subtotal_row(items, language))
        month = items[0].month
        if index + 1 == len(groups) or groups[index + 1][0].month != month:
            month_items = [item for group in groups if group[0].month == month for item in group]
            builder.add(*_team_total_row(month, month_items, language))
    if not groups:
        builder.note("no_bonuses")
    return builder.build(
        KEY, source.config.tab_title(KEY), frozen_rows=1, column_widths=COLUMN_WIDTHS
    )


def _groups(items: Iterable[BonusItem]) -> list[list[BonusItem]]:
    """Items per (month, manager): newest month first, managers by name, items as computed."""
    groups: dict[tuple[str, str], list[BonusItem]] = {}
    for item in items:
        groups.setdefault((item.month, item.manager_key), []).append(item)
    ordered = sorted(groups, key=lambda key: norm(groups[key][0].manager))
    ordered.sort(key=lambda key: key[0], reverse=True)  # stable: names stay in order
    return [groups[key] for key in ordered]


def _subtotal_row(items: list[BonusItem], language: Language) -> tuple[Cell, ...]:
    return _total_row(items[0].manager, items[0].month, items, label("subtotal", language))


def _team_total_row(month: str, items: list[BonusItem], language: Language) -> tuple[Cell, ...]:
    """The team's total of a month: every manager's items of that month."""
    return _total_row(label("team", language), month, items, label("team_total", language))


def _total_row(who: str, month: str, items: list[BonusItem], words: str) -> tuple[Cell, ...]:
    """A bold row: who, the month, the sum of `items` in the amount column, then `words`."""
    total = sum((item.amount for item in items), Decimal(0))
    return (
        text_cell(who, style="subtotal"),
        text_cell(month, style="subtotal"),
        number_cell(total, BONUS_LINE_FORMAT, style="subtotal"),
        Cell(words, style="subtotal"),
        *(Cell(None, style="subtotal") for _ in range(len(COLUMNS) - 4)),
    )


def bonus_row(
    item: BonusItem, language: Language, shared: SharedCells | None = None
) -> tuple[Cell, ...]:
    """One row of `Бонусы`. Cells repeated from row to row (manager, month, scheme, step, rate
    or tier, an empty reason) are built once and shared through `shared`: cells are immutable,
    and a tab of a hundred thousand items is built several times faster."""
    if shared is None:
        shared = {}

    def once(kind: str, value: object, build: Callable[[], Cell]) -> Cell:
        key = (kind, type(value), value)
        cell = shared.get(key)
        if cell is None:
            cell = shared[key] = build()
        return cell

    if item.rate is not None:
        rate_or_tier = once("rate", item.rate, lambda: number_cell(item.rate, "percent"))
    else:
        rate_or_tier = once("tier", item.tier, lambda: number_cell(item.tier, BONUS_LINE_FORMAT))
    client = item.client
    if client is None and item.scheme not in LEDGER_SCHEMES:
        client = label("all_clients", language)  # a month-basis tiers item
    # a correction names the closed month it settles (`for_month`)
    scheme_cell = once(
        "scheme",
        (item.scheme, item.for_month),
        lambda: text_cell(scheme_label(item.scheme, language, item.for_month)),
    )
    return (
        once("text", item.manager, lambda: text_cell(item.manager)),
        once("text", item.month, lambda: text_cell(item.month)),
        figure_cell("amount", item.amount, fmt=BONUS_LINE_FORMAT),
        text_cell(client),
        scheme_cell,
        once("step", item.step, lambda: figure_cell("step", item.step)),
        figure_cell("basis", item.basis, fmt=BONUS_LINE_FORMAT),
        rate_or_tier,
        text_cell(item.explain),
        once("text", item.withheld, lambda: text_cell(item.withheld)),
    )
