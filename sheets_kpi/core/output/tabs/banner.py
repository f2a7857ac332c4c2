"""The red banner a run that could not compute writes over row 1 of `Сводка` (SPEC §8):
when, why, and where the details are; everything else on the tab stays."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sheets_kpi.core.inputs.schema import Language
from sheets_kpi.core.model import Problem
from sheets_kpi.core.output.labels import label
from sheets_kpi.core.output.sheetplan import Cell, CellRef, TabWrite
from sheets_kpi.core.settings import Config

KEY = "summary"
BANNER_WIDTH = 12  # columns the red fill spans


def banner_tab(
    problems: Sequence[Problem],
    config: Config,
    run_at: datetime,
    as_of: date | None,
    first_run: bool,
) -> TabWrite:
    """Row 1 of `Сводка` for a failed run. `run_at` is on the wall clock already.
    `first_run`: the workbook has no Сводка yet, so the banner speaks of no figures below."""
    language = config.language
    errors_title = config.tab_title("errors")
    when = run_at.strftime("%d.%m.%Y %H:%M")
    if as_of is not None:
        when += f", {label('as_of', language).lower()} {as_of.strftime('%d.%m.%Y')}"
    text = label(
        "fatal_banner_first" if first_run else "fatal_banner",
        language,
        when=when,
        reason=fatal_reason(problems, language),
        errors=errors_title,
    )
    row = (
        Cell(text, style="banner", link=CellRef(errors_title, 1, 1)),
        *(Cell(None, style="banner") for _ in range(BANNER_WIDTH - 1)),
    )
    return TabWrite(
        key=KEY,
        title=config.tab_title(KEY),
        rows=(row,),
        mode="banner",
        timestamp_cells=((1, 1),),
    )


def fatal_reason(problems: Sequence[Problem], language: Language) -> str:
    """The first error's message as a sentence, and how many more errors there are."""
    fatal = [problem for problem in problems if problem.severity == "error"]
    if not fatal:
        return label("fatal_unknown", language)
    reason = fatal[0].message.strip()
    if not reason.endswith((".", "!", "?")):
        reason += "."
    if len(fatal) > 1:
        reason += label("fatal_more", language, count=len(fatal) - 1)
    return reason
