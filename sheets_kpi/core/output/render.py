"""Result → TabWrite plans for the five generated tabs (SPEC §8), backend-neutral.

Every value a person typed (names, clients, offending values, messages) becomes a plain `str`
cell, never a `Formula`. Numbers stay numbers with a number format; absent figures are empty
cells. The only cell that differs between two identical runs is the «updated» stamp on Сводка.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

from sheets_kpi.core.inputs.schema import Language, norm
from sheets_kpi.core.model import BonusItem, Problem, RawWorkbook
from sheets_kpi.core.months import add_months
from sheets_kpi.core.output.labels import LABELS, label, month_label, scheme_label, severity_label
from sheets_kpi.core.output.report import (
    ACTIVITY_COLUMNS,
    COUNT_FIELDS,
    FUNNEL_COLUMNS,
    MONEY_FIELDS,
    MONTHLY_COLUMNS,
    PLAN_GAP_COLUMNS,
    Result,
    is_absent,
)
from sheets_kpi.core.output.sheetplan import (
    Cell,
    CellRange,
    CellRef,
    Chart,
    ConditionalRule,
    NumberFormat,
    Series,
    Style,
    TabWrite,
)
from sheets_kpi.core.settings import Config

logger = logging.getLogger(__name__)

PLAN_MISSED_FILL = "#F4CCCC"  # light red: plan completion below 100 %
PLAN_MET_FILL = "#D9EAD3"  # light green: plan met

_CHART_COLUMN = 14  # charts sit to the right of the Сводка tables, from column N

# Number format of every figure the tabs show (absent: plain text).
_FORMATS: dict[str, NumberFormat] = {
    **dict.fromkeys(MONEY_FIELDS, "money"),
    **dict.fromkeys(
        (
            "plan_pct",
            "growth_mom",
            "growth_yoy",
            "retention_4",
            "roi",
            "forecast_pct",
            "win_rate",
            "warm_to_hot",
        ),
        "percent",
    ),
    **dict.fromkeys(COUNT_FIELDS, "integer"),
    "place_change": "place_change",  # ↑2 / ↓1 / — by number format; empty when not ranked
    **dict.fromkeys(
        (
            "first_contact_hours_median",
            "first_contact_hours_mean",
            "touches_per_won",
            "cycle_days_mean",
            "communications_per_won",
            "deals_per_day",
            "leads_per_day",
        ),
        "decimal",
    ),
}

MONTHLY_FIGURES = MONTHLY_COLUMNS[2:]
FUNNEL_FIGURES = FUNNEL_COLUMNS[2:]
ACTIVITY_FIGURES = ACTIVITY_COLUMNS[2:]
PLAN_GAP_FIGURES = PLAN_GAP_COLUMNS[1:]
_SUMMARY_MANAGER_FIGURES = (
    "revenue",
    "plan_revenue",
    "plan_pct",
    "forecast_pct",
    "new_clients",
    "avg_check",
    "margin",
    "growth_mom",
    "bonus",
    "receivables",
)
# Team block of Сводка: figure, its plan figure (or None), whether a change vs last month fits
_TEAM_FIGURES: tuple[tuple[str, str | None, bool], ...] = (
    ("revenue", "plan_revenue", True),
    ("new_clients", "plan_new_clients", True),
    ("new_revenue", None, True),
    ("repeat_revenue", None, True),
    ("margin", None, True),
    ("payments", None, True),
    ("avg_check", None, True),
    ("bonus", None, True),
    ("receivables", None, True),
    ("retention_4", None, False),
    ("forecast_pct", None, False),
)

Record = Mapping[str, object]
Links = Mapping[tuple[str, str], int]


def text_cell(value: object, style: Style | None = None, link: CellRef | None = None) -> Cell:
    """A plain text cell: user text stays text, even when it starts with `=`."""
    if type(value) is str:  # the usual case, without the absent-value checks
        return Cell(value, style=style, link=link)
    if is_absent(value):
        return Cell(None, style=style, link=link)
    return Cell(str(value), style=style, link=link)


def number_cell(value: object, fmt: NumberFormat | None, style: Style | None = None) -> Cell:
    """A number with its format; NaN / None / NA give an empty cell."""
    kind = type(value)
    if kind is float:  # the usual cases first, without the general absent-value check
        if math.isnan(value):
            return Cell(None, fmt=fmt, style=style)
    elif kind is not Decimal and kind is not int and is_absent(value):
        return Cell(None, fmt=fmt, style=style)
    if isinstance(value, str):
        return text_cell(value, style)
    if isinstance(value, bool | np.bool_):
        return Cell(bool(value), style=style)
    number: int | float
    if isinstance(value, int | np.integer):
        number = int(value)
    else:
        number = float(value)
        if not math.isfinite(number):
            return Cell(None, fmt=fmt, style=style)
        if fmt == "money":
            number = round(number, 2)
        if fmt == "integer" and number == int(number):
            number = int(number)
    return Cell(number, fmt=fmt, style=style)


def figure_cell(key: str, value: object, style: Style | None = None) -> Cell:
    """A cell for figure `key` (revenue, plan_pct, ...) with the format that figure has."""
    fmt = _FORMATS.get(key)
    if fmt is None:
        return text_cell(value, style)
    return number_cell(value, fmt, style)


class _TabBuilder:
    """Rows, conditional colours and charts of one tab, built top to bottom."""

    def __init__(self, language: Language) -> None:
        self.language = language
        self.rows: list[tuple[Cell, ...]] = []
        self.conditional: list[ConditionalRule] = []
        self.charts: list[Chart] = []

    @property
    def next_row(self) -> int:
        return len(self.rows) + 1

    def add(self, *cells: Cell) -> int:
        self.rows.append(tuple(cells))
        return len(self.rows)

    def blank(self) -> None:
        self.rows.append(())

    def title(self, key: str, **values: object) -> int:
        return self.add(Cell(label(key, self.language, **values), style="title"))

    def header(self, keys: Sequence[str]) -> int:
        return self.add(*(Cell(label(key, self.language), style="header") for key in keys))

    def colour_plan(self, column: int, first_row: int, last_row: int) -> None:
        """Light red below 100 % of plan, light green from 100 %."""
        if last_row < first_row:
            return
        cells = CellRange(first_row, column, last_row, column)
        self.conditional.append(ConditionalRule(cells, "<", 1.0, PLAN_MISSED_FILL))
        self.conditional.append(ConditionalRule(cells, ">=", 1.0, PLAN_MET_FILL))

    def table(
        self,
        keys: Sequence[str],
        records: Iterable[Record],
        empty_key: str | None = None,
    ) -> tuple[int, int]:
        """A header row and one row per record; returns (first, last) data row (last < first
        when empty). Plan completion columns are coloured."""
        self.header(keys)
        first = self.next_row
        for record in records:
            self.add(*(figure_cell(key, record.get(key)) for key in keys))
        last = self.next_row - 1
        if last < first and empty_key is not None:
            self.add(Cell(label(empty_key, self.language), style="muted"))
        for index, key in enumerate(keys, start=1):
            if key == "plan_pct":
                self.colour_plan(index, first, last)
        return first, last

    def build(
        self,
        key: str,
        title: str,
        frozen_rows: int = 0,
        column_widths: tuple[int, ...] = (),
        timestamp_cells: tuple[tuple[int, int], ...] = (),
    ) -> TabWrite:
        return TabWrite(
            key=key,
            title=title,
            rows=tuple(self.rows),
            frozen_rows=frozen_rows,
            column_widths=column_widths or _column_widths(self.rows, frozen_rows),
            conditional=tuple(self.conditional),
            charts=tuple(self.charts),
            protected=True,
            timestamp_cells=timestamp_cells,
        )


def _column_widths(rows: Sequence[tuple[Cell, ...]], header_rows: int) -> tuple[int, ...]:
    """Widths in characters from the longest value of each column (titles above the header
    rows are left out: they may overflow into empty neighbours)."""
    widths: list[int] = []
    for row_number, row in enumerate(rows, start=1):
        for index, cell in enumerate(row):
            if row_number < header_rows or cell.style in ("title", "note", "muted", "banner"):
                continue
            size = _display_length(cell)
            while len(widths) <= index:
                widths.append(8)
            widths[index] = max(widths[index], min(size + 2, 60))
    return tuple(widths)


def _display_length(cell: Cell) -> int:
    value = cell.value
    if value is None:
        return 0
    if isinstance(value, str):
        return max((len(line) for line in value.splitlines()), default=0)
    if cell.fmt == "money":
        return 16
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    return 10


def _records(frame: pd.DataFrame | None) -> list[dict[str, object]]:
    if frame is None or frame.empty:
        return []
    return [dict(record) for record in frame.to_dict("records")]


def _month_rows(frame: pd.DataFrame, month: str, language: Language) -> list[dict[str, object]]:
    """The rows of a per-month frame (funnel, activity) for `month`, team rows labelled."""
    return [_manager_or_team(r, language) for r in _records(frame) if str(r.get("month")) == month]


def _manager_or_team(record: Record, language: Language) -> dict[str, object]:
    """The record with `manager` filled in as «Команда» for team rows."""
    out = dict(record)
    if is_absent(out.get("manager")):
        out["manager"] = label("team", language)
    return out


def _is_team(record: Record) -> bool:
    key = record.get("manager_key", record.get("manager"))
    return is_absent(key)


def _local_time(run_at: datetime, timezone: str) -> datetime:
    """The run time on the agency's wall clock, without tzinfo (spreadsheets have none)."""
    if run_at.tzinfo is None:
        return run_at.replace(microsecond=0)
    try:
        local = run_at.astimezone(ZoneInfo(timezone))
    except (ZoneInfoNotFoundError, ValueError):
        logger.warning("unknown time zone %r: the run time is shown as given", timezone)
        local = run_at
    return local.replace(tzinfo=None, microsecond=0)


# ---------------------------------------------------------------- Сводка


def _summary(
    result: Result, config: Config, run_at: datetime, status: Mapping[str, str] | None
) -> TabWrite:
    language = config.language
    month = result.month
    builder = _TabBuilder(language)
    builder.add(Cell(None))  # row 1: the banner of a failed run; empty on a good one
    builder.add(
        Cell(label("updated", language), style="header"),
        Cell(_local_time(run_at, config.timezone), fmt="datetime"),
    )
    builder.add(Cell(label("as_of", language), style="header"), Cell(result.as_of, fmt="date"))
    for name, value in (status or {}).items():
        shown = label(name, language) if name in LABELS else name  # worker keys → labels
        builder.add(text_cell(shown, style="header"), text_cell(value))
    builder.blank()

    team_by_month = {str(r.get("month")): r for r in _records(result.team)}
    current = team_by_month.get(month, {})
    previous_month = add_months(month, -1)
    previous = team_by_month.get(previous_month, {})
    _team_block(builder, current, previous, month, previous_month)
    builder.blank()

    managers = [r for r in _records(result.monthly) if str(r.get("month")) == month]
    builder.title("managers_title", month=month_label(month, language))
    builder.table(("manager", *_SUMMARY_MANAGER_FIGURES), managers, "no_sales")
    builder.blank()

    _alerts_block(builder, result, config)
    builder.blank()
    _forecast_block(builder, result, current)

    if result.plan_gap is not None:
        builder.blank()
        builder.title("plan_gap_title")
        gap = [_manager_or_team(r, language) for r in _records(result.plan_gap)]
        builder.table(("manager", *PLAN_GAP_FIGURES), gap)
    if result.funnel is not None:
        builder.blank()
        builder.title("funnel_title", month=month_label(month, language))
        builder.table(("manager", *FUNNEL_FIGURES), _month_rows(result.funnel, month, language))
    if result.loss_reasons is not None:
        builder.blank()
        builder.title("loss_title", month=month_label(month, language))
        builder.table(
            ("reason", "count"), _top_loss_reasons(result.loss_reasons, month), "no_losses"
        )
    if result.activity is not None:
        builder.blank()
        builder.title("activity_title", month=month_label(month, language))
        builder.table(("manager", *ACTIVITY_FIGURES), _month_rows(result.activity, month, language))

    builder.blank()
    _chart_data(builder, result, managers, language)

    widths = (34, *([16] * 12))
    return builder.build(
        "summary",
        config.tab_title("summary"),
        column_widths=widths,
        timestamp_cells=((2, 2),),
    )


def _change(current: object, previous: object) -> float | None:
    if is_absent(current) or is_absent(previous):
        return None
    before = float(previous)
    if before == 0:
        return None
    return float(current) / before - 1


def _team_block(
    builder: _TabBuilder, current: Record, previous: Record, month: str, previous_month: str
) -> None:
    language = builder.language
    builder.title("team_title", month=month_label(month, language))
    builder.add(
        *(
            Cell(text, style="header")
            for text in (
                label("figure", language),
                month_label(month, language),
                label("plan", language),
                label("completion", language),
                month_label(previous_month, language),
                label("change", language),
            )
        )
    )
    first = builder.next_row
    for key, plan_key, comparable in _TEAM_FIGURES:
        value = current.get(key)
        plan = current.get(plan_key) if plan_key else None
        if key == "revenue":
            completion = current.get("plan_pct")
        elif plan_key and not is_absent(plan) and float(plan) > 0 and not is_absent(value):
            completion = float(value) / float(plan)
        else:
            completion = None
        before = previous.get(key) if comparable else None
        builder.add(
            Cell(label(key, language)),
            figure_cell(key, value),
            figure_cell(key, plan) if plan_key else Cell(None),
            number_cell(completion, "percent"),
            figure_cell(key, before) if comparable else Cell(None),
            number_cell(_change(value, before) if comparable else None, "percent"),
        )
    builder.colour_plan(4, first, builder.next_row - 1)


def _alerts_block(builder: _TabBuilder, result: Result, config: Config) -> None:
    language = builder.language
    builder.title("attention")
    if not result.alerts:
        builder.add(Cell(label("no_alerts", language), style="muted"))
        return
    errors_link = CellRef(config.tab_title("errors"), 1, 1)
    for alert in result.alerts:
        who = alert.manager if alert.manager else label("team", language)
        link = errors_link if alert.kind == "data_errors" else None
        builder.add(text_cell(who), text_cell(alert.message, link=link))


def _forecast_block(builder: _TabBuilder, result: Result, current: Record) -> None:
    language = builder.language
    builder.title("forecast_title", month=month_label(result.month, language))
    builder.add(
        Cell(label("team_forecast", language)),
        figure_cell("forecast_pct", current.get("forecast_pct")),
    )
    builder.blank()
    builder.title("pending_title")
    builder.header(("manager", "client", "amount", "paid_months", "months_needed", "risk"))
    if not result.pending_bonuses:
        builder.add(Cell(label("no_pending", language), style="muted"))
    for pending in result.pending_bonuses:
        builder.add(
            text_cell(pending.manager),
            text_cell(pending.client),
            figure_cell("amount", pending.amount),
            figure_cell("paid_months", pending.paid_months),
            figure_cell("months_needed", pending.months_needed),
            text_cell(label("at_risk", language) if pending.at_risk else None),
        )


def _top_loss_reasons(frame: pd.DataFrame, month: str, limit: int = 5) -> list[Record]:
    team = [r for r in _records(frame) if str(r.get("month")) == month and _is_team(r)]
    team.sort(key=lambda r: (-_as_float(r.get("count")), norm(str(r.get("reason")))))
    return team[:limit]


def _as_float(value: object) -> float:
    return 0.0 if is_absent(value) else float(value)


def _chart_data(
    builder: _TabBuilder, result: Result, managers: Sequence[Record], language: Language
) -> None:
    """Small tables the charts read from, and the charts themselves."""
    month = result.month
    builder.title("chart_data")
    anchor = 3

    first, last = builder.table(("manager", "revenue"), managers)
    if last >= first:
        builder.charts.append(
            Chart(
                kind="column",
                title=label("chart_by_manager", language, month=month_label(month, language)),
                categories=CellRange(first, 1, last, 1),
                series=(Series(label("revenue", language), CellRange(first, 2, last, 2)),),
                anchor_row=anchor,
                anchor_column=_CHART_COLUMN,
            )
        )
        anchor += 20
    builder.blank()

    team = sorted(_records(result.team), key=lambda r: str(r.get("month")))
    first, last = builder.table(("month", "revenue", "plan_revenue"), team)
    if last >= first:
        builder.charts.append(
            Chart(
                kind="column",
                title=label("chart_team", language),
                categories=CellRange(first, 1, last, 1),
                series=(
                    Series(label("revenue", language), CellRange(first, 2, last, 2)),
                    Series(label("plan", language), CellRange(first, 3, last, 3)),
                ),
                anchor_row=anchor,
                anchor_column=_CHART_COLUMN,
                line_series=(1,),
            )
        )
        anchor += 20

    if result.funnel is None:
        return
    team_funnel = next(
        (r for r in _records(result.funnel) if str(r.get("month")) == month and _is_team(r)),
        None,
    )
    if team_funnel is None:
        return
    builder.blank()
    builder.header(("stage", "count"))
    first = builder.next_row
    for stage in ("leads", "won", "lost", "open"):
        builder.add(Cell(label(stage, language)), figure_cell("count", team_funnel.get(stage)))
    last = builder.next_row - 1
    builder.charts.append(
        Chart(
            kind="column",
            title=label("chart_funnel", language, month=month_label(month, language)),
            categories=CellRange(first, 1, last, 1),
            series=(Series(label("count", language), CellRange(first, 2, last, 2)),),
            anchor_row=anchor,
            anchor_column=_CHART_COLUMN,
        )
    )


# ---------------------------------------------------------------- Лидерборд


def _leaderboard(result: Result, config: Config) -> TabWrite:
    language = config.language
    builder = _TabBuilder(language)
    builder.title("leaderboard_title", month=month_label(result.month, language))
    keys = ["rank", "manager", "revenue", "plan_pct", "new_clients"]
    if config.leaderboard_shows_bonus:
        keys.append("bonus")
    keys += ["place_change", "rejected_rows"]
    builder.table(keys, _records(result.leaderboard), "no_leaderboard")
    builder.blank()
    builder.add(
        Cell(label("leaderboard_note", language, errors=config.tab_title("errors")), style="note")
    )
    return builder.build("leaderboard", config.tab_title("leaderboard"), frozen_rows=2)


# ---------------------------------------------------------------- Бонусы

_BONUS_KEYS = (
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


def _bonus_row(
    item: BonusItem, language: Language, shared: dict[tuple[object, ...], Cell] | None = None
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


def _bonuses(result: Result, config: Config) -> TabWrite:
    language = config.language
    builder = _TabBuilder(language)
    builder.header(_BONUS_KEYS)
    groups: dict[tuple[str, str], list[BonusItem]] = {}
    for item in result.bonus_items:
        groups.setdefault((item.month, item.manager_key), []).append(item)
    # newest month first, managers by name within a month, items in the order computed
    ordered = sorted(groups, key=lambda key: norm(groups[key][0].manager))
    ordered.sort(key=lambda key: key[0], reverse=True)
    shared: dict[tuple[object, ...], Cell] = {}
    for key in ordered:
        items = groups[key]
        for item in items:
            builder.add(*_bonus_row(item, language, shared))
        total = sum((item.amount for item in items), Decimal(0))
        builder.add(
            text_cell(items[0].manager, style="subtotal"),
            text_cell(items[0].month, style="subtotal"),
            Cell(label("subtotal", language), style="subtotal"),
            *(Cell(None, style="subtotal") for _ in range(4)),
            number_cell(total, "money", style="subtotal"),
            Cell(None, style="subtotal"),
            Cell(None, style="subtotal"),
        )
    if not groups:
        builder.add(Cell(label("no_bonuses", language), style="muted"))
    widths = (24, 10, 28, 12, 6, 16, 16, 16, 60, 30)
    return builder.build(
        "bonuses", config.tab_title("bonuses"), frozen_rows=1, column_widths=widths
    )


# ---------------------------------------------------------------- Помесячно


def _history_rows(result: Result) -> tuple[list[str], list[dict[str, object]]]:
    """Column keys and one record per (month, manager) with any figure, team last per month."""
    keys = ["month", "manager", *MONTHLY_FIGURES]
    extra: list[tuple[pd.DataFrame, tuple[str, ...]]] = []
    if result.funnel is not None:
        keys += FUNNEL_FIGURES
        extra.append((result.funnel, FUNNEL_FIGURES))
    if result.activity is not None:
        keys += [key for key in ACTIVITY_FIGURES if key not in keys]
        extra.append((result.activity, ACTIVITY_FIGURES))

    merged: dict[tuple[str, str | None], dict[str, object]] = {}

    def merge(record: Record, figures: Sequence[str], manager_key: str | None) -> None:
        month = str(record.get("month"))
        row = merged.setdefault((month, manager_key), {"month": month})
        if manager_key is not None and is_absent(row.get("manager")):
            row["manager"] = record.get("manager")
        for figure in figures:
            if figure in record:
                row[figure] = record[figure]

    for record in _records(result.monthly):
        key = record.get("manager_key")
        merge(record, MONTHLY_FIGURES, None if is_absent(key) else str(key))
    for record in _records(result.team):
        merge(record, MONTHLY_FIGURES, None)
    for frame, figures in extra:
        for record in _records(frame):
            key = record.get("manager_key")
            merge(record, figures, None if is_absent(key) else str(key))

    def order(item: tuple[tuple[str, str | None], dict[str, object]]) -> tuple[bool, str]:
        (_, manager_key), row = item
        return (manager_key is None, norm(str(row.get("manager") or manager_key or "")))

    by_manager = sorted(merged.items(), key=order)
    by_manager.sort(key=lambda item: item[0][0], reverse=True)  # stable: newest month first
    return keys, [{**row, "_team": manager_key is None} for (_, manager_key), row in by_manager]


def _monthly(result: Result, config: Config) -> TabWrite:
    language = config.language
    builder = _TabBuilder(language)
    keys, records = _history_rows(result)
    builder.header(keys)
    first = builder.next_row
    for record in records:
        team = bool(record["_team"])
        shown = _manager_or_team(record, language) if team else record
        style = "subtotal" if team else None
        builder.add(*(figure_cell(key, shown.get(key), style) for key in keys))
    last = builder.next_row - 1
    if last < first:
        builder.add(Cell(label("no_history", language), style="muted"))
    builder.colour_plan(keys.index("plan_pct") + 1, first, last)
    widths = (10, 24, *([16] * (len(keys) - 2)))
    return builder.build(
        "monthly", config.tab_title("monthly"), frozen_rows=1, column_widths=widths
    )


# ---------------------------------------------------------------- Ошибки

_ERROR_KEYS = ("tab", "row", "column", "value", "code", "severity", "message")


def column_links(raw: RawWorkbook) -> dict[tuple[str, str], int]:
    """(tab title, header as typed) → 1-based column, from the header rows of the tabs read,
    for the links of `Ошибки` to the offending cells."""
    links: dict[tuple[str, str], int] = {}
    for title, tab in raw.tabs.items():
        header = tab.rows[0] if tab.rows else []
        for index, value in enumerate(header, start=1):
            if isinstance(value, str) and value.strip():
                links.setdefault((title, value), index)
    return links


def _link_finder(links: Links | None) -> Callable[[Problem], CellRef | None]:
    normalised = {(tab, norm(header)): column for (tab, header), column in (links or {}).items()}

    def find(problem: Problem) -> CellRef | None:
        if problem.row is None or not problem.column:
            return None
        column = normalised.get((problem.tab, norm(problem.column)))
        return CellRef(problem.tab, problem.row, column) if column else None

    return find


def _errors(problems: Sequence[Problem], config: Config, links: Links | None) -> TabWrite:
    language = config.language
    builder = _TabBuilder(language)
    builder.header(_ERROR_KEYS)
    find_link = _link_finder(links)
    for problem in problems:
        builder.add(
            text_cell(problem.tab),
            Cell(problem.row, fmt="integer", link=find_link(problem)),
            text_cell(problem.column),
            text_cell(problem.value),
            text_cell(problem.code),
            text_cell(severity_label(problem.severity, language)),
            text_cell(problem.message),
        )
    if not problems:
        builder.add(Cell(label("no_errors", language), style="note"))
    widths = (14, 8, 18, 24, 22, 16, 90)
    return builder.build("errors", config.tab_title("errors"), frozen_rows=1, column_widths=widths)


# ---------------------------------------------------------------- public


def render(
    result: Result,
    config: Config,
    run_at: datetime,
    status: Mapping[str, str] | None = None,
    *,
    links: Links | None = None,
) -> list[TabWrite]:
    """The five generated tabs, in order Сводка, Лидерборд, Бонусы, Помесячно, Ошибки.

    `status`: extra lines for Сводка (next planned run, last failure), label → text.
    `links`: (tab title, column header) → 1-based column, so each problem links to its cell
    (see `column_links`); without it problems are listed without links.
    """
    return [
        _summary(result, config, run_at, status),
        _leaderboard(result, config),
        _bonuses(result, config),
        _monthly(result, config),
        _errors(result.problems, config, links),
    ]


def render_fatal(
    problems: Sequence[Problem],
    config: Config,
    run_at: datetime,
    as_of: date | None = None,
    *,
    links: Links | None = None,
    first_run: bool = False,
) -> list[TabWrite]:
    """A run that could not compute: a red banner on row 1 of Сводка (everything else there
    stays, the last good figures) and the full Ошибки tab. Other tabs are left alone.
    `first_run`: the workbook has no Сводка yet, so the banner does not speak of figures below."""
    language = config.language
    errors_title = config.tab_title("errors")
    fatal = [problem for problem in problems if problem.severity == "error"]
    if fatal:
        reason = fatal[0].message.strip()
        if not reason.endswith((".", "!", "?")):
            reason += "."
        if len(fatal) > 1:
            reason += label("fatal_more", language, count=len(fatal) - 1)
    else:
        reason = label("fatal_unknown", language)
    when = _local_time(run_at, config.timezone).strftime("%d.%m.%Y %H:%M")
    if as_of is not None:
        when += f", {label('as_of', language).lower()} {as_of.strftime('%d.%m.%Y')}"
    banner_label = "fatal_banner_first" if first_run else "fatal_banner"
    text = label(banner_label, language, when=when, reason=reason, errors=errors_title)
    banner_row = (
        Cell(text, style="banner", link=CellRef(errors_title, 1, 1)),
        *(Cell(None, style="banner") for _ in range(11)),
    )
    banner = TabWrite(
        key="summary",
        title=config.tab_title("summary"),
        rows=(banner_row,),
        mode="banner",
        timestamp_cells=((1, 1),),
    )
    return [banner, _errors(problems, config, links)]
