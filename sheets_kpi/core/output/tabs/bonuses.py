"""`Бонусы` (SPEC §8): every bonus line item with its explanation, a subtotal per manager and
month; newest month first, managers by name within a month, items in the order computed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

from sheets_kpi.core.inputs.schema import Language, norm
from sheets_kpi.core.model import BonusItem
from sheets_kpi.core.output.cells import figure_cell, number_cell, text_cell
from sheets_kpi.core.output.labels import label, scheme_label
from sheets_kpi.core.output.sheetplan import Cell, TabWrite
from sheets_kpi.core.output.tabbuilder import TabBuilder, TabInput

KEY = "bonuses"
COLUMNS = (
    "manager",
    "month",
    "client",
    "scheme",
    "step",
    "basis",
    "rate_or_tier",
    "amount",
    "explain",
    "withheld",
)
COLUMN_WIDTHS = (24, 10, 28, 12, 6, 16, 16, 16, 60, 30)

SharedCells = dict[tuple[object, ...], Cell]


def build(source: TabInput) -> TabWrite:
    """The line items grouped by month and manager, each group closed by its subtotal."""
    language = source.language
    builder = TabBuilder(language)
    builder.header(COLUMNS)
    shared: SharedCells = {}
    groups = _groups(source.result.bonus_items)
    for items in groups:
        for item in items:
            builder.add(*bonus_row(item, language, shared))
        builder.add(*_subtotal_row(items, language))
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
    total = sum((item.amount for item in items), Decimal(0))
    return (
        text_cell(items[0].manager, style="subtotal"),
        text_cell(items[0].month, style="subtotal"),
        Cell(label("subtotal", language), style="subtotal"),
        *(Cell(None, style="subtotal") for _ in range(4)),
        number_cell(total, "money", style="subtotal"),
        Cell(None, style="subtotal"),
        Cell(None, style="subtotal"),
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
        rate_or_tier = once("tier", item.tier, lambda: number_cell(item.tier, "money"))
    client = item.client if item.client is not None else label("all_clients", language)
    return (
        once("text", item.manager, lambda: text_cell(item.manager)),
        once("text", item.month, lambda: text_cell(item.month)),
        text_cell(client),
        once("scheme", item.scheme, lambda: text_cell(scheme_label(item.scheme, language))),
        once("step", item.step, lambda: figure_cell("step", item.step)),
        figure_cell("basis", item.basis),
        rate_or_tier,
        figure_cell("amount", item.amount),
        text_cell(item.explain),
        once("text", item.withheld, lambda: text_cell(item.withheld)),
    )
