"""`Ошибки` (SPEC §8): every problem found in the input, each linked to its cell when known."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sheets_kpi.core.inputs.schema import norm
from sheets_kpi.core.model import Problem, RawWorkbook
from sheets_kpi.core.output.cells import text_cell
from sheets_kpi.core.output.labels import severity_label
from sheets_kpi.core.output.sheetplan import Cell, CellRef, TabWrite
from sheets_kpi.core.output.tabbuilder import Links, TabBuilder, TabInput
from sheets_kpi.core.settings import Config

KEY = "errors"
COLUMNS = ("tab", "row", "column", "value", "code", "severity", "message")
COLUMN_WIDTHS = (14, 8, 18, 24, 22, 16, 90)


def build(source: TabInput) -> TabWrite:
    """The problems of a run that computed."""
    return errors_tab(source.result.problems, source.config, source.links)


def errors_tab(problems: Sequence[Problem], config: Config, links: Links | None) -> TabWrite:
    """The tab for `problems` (also written by a run that could not compute)."""
    language = config.language
    builder = TabBuilder(language)
    builder.header(COLUMNS)
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
        builder.note("no_errors", style="note")
    return builder.build(KEY, config.tab_title(KEY), frozen_rows=1, column_widths=COLUMN_WIDTHS)


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
