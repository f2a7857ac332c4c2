"""The generated tabs of a run (SPEC §8) as backend-neutral `TabWrite` plans.

`TABS` lists the tab modules in the order they are written; each module (`core/output/tabs/`)
has a `KEY` and a `build(TabInput) -> TabWrite` that lays its tab out with the shared
`TabBuilder`. A new tab is one module there plus one line in `TABS`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Protocol

from sheets_kpi.core.model import Problem
from sheets_kpi.core.output.report import Result
from sheets_kpi.core.output.sheetplan import TabWrite
from sheets_kpi.core.output.tabbuilder import Links, TabInput, wall_clock
from sheets_kpi.core.output.tabs import (
    banner,
    bonuses,
    errors,
    leaderboard,
    monthly,
    summary,
    trial,
)
from sheets_kpi.core.output.tabs.errors import column_links
from sheets_kpi.core.settings import Config

__all__ = ["TABS", "Tab", "column_links", "render", "render_fatal"]


class Tab(Protocol):
    """A generated tab's module: its key in `Config.tab_title` and how it is laid out
    (None: the tab is not written this run, e.g. `Пробная схема` without a trial scheme)."""

    KEY: str

    def build(self, source: TabInput) -> TabWrite | None: ...


TABS: tuple[Tab, ...] = (summary, leaderboard, bonuses, monthly, errors, trial)


def render(
    result: Result,
    config: Config,
    run_at: datetime,
    status: Mapping[str, str] | None = None,
    *,
    links: Links | None = None,
    titles: Sequence[str] = (),
) -> list[TabWrite]:
    """The generated tabs, one per module of `TABS`, in that order: Сводка, Лидерборд,
    Бонусы, Помесячно, Ошибки, and Пробная схема while a manager has a trial scheme (or to
    say it was removed, when `titles`, the workbook's tabs as read, still hold it).

    `run_at`: the run time on the agency's wall clock (the caller converts it to
    `config.timezone`); shown without its tzinfo. `status`: extra lines for Сводка (next
    planned run, last failure), label → text. `links`: (tab title, column header) → 1-based
    column, so each problem links to its cell (see `column_links`); without it problems are
    listed without links.
    """
    source = TabInput(result, config, wall_clock(run_at), dict(status or {}), links, tuple(titles))
    return [plan for plan in (tab.build(source) for tab in TABS) if plan is not None]


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
    `run_at` as for `render`. `first_run`: the workbook has no Сводка yet, so the banner does
    not speak of figures below."""
    return [
        banner.banner_tab(problems, config, wall_clock(run_at), as_of, first_run),
        errors.errors_tab(problems, config, links),
    ]
