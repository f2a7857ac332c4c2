"""One run: read → validate → compute → render → write (docs/ARCHITECTURE.md, «One run»).

The pipeline strings the core's steps together and hands the result to a backend; it holds no
business rules of its own (those are `core/run.py`'s). `as_of` and `run_at` come from the
caller: the core never reads the clock.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from sheets_kpi.backends.base import Backend
from sheets_kpi.core.inputs import validate
from sheets_kpi.core.inputs.schema import ERROR, GENERATED_TABS, WARNING
from sheets_kpi.core.model import Problem
from sheets_kpi.core.output import render
from sheets_kpi.core.output.report import Result
from sheets_kpi.core.output.sheetplan import TabWrite, clashing_tabs
from sheets_kpi.core.run import compute, fatal_plans, input_fingerprint, sort_problems
from sheets_kpi.core.settings import Config
from sheets_kpi.errors import ConfigError
from sheets_kpi.messages import pair

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunOutcome:
    """What one run found and did. `result` is None when the input was fatal (SPEC §3)."""

    result: Result | None
    problems: tuple[Problem, ...]
    fatal: bool
    wrote: bool
    error_count: int
    warning_count: int
    fingerprint: str = ""  # of the inputs, the month and the config (see `input_fingerprint`)
    unchanged: bool = False  # skipped: the fingerprint equals the caller's `skip_if`


def run_once(
    backend: Backend,
    config: Config,
    as_of: date,
    run_at: datetime,
    *,
    write: bool = True,
    status: Mapping[str, str] | None = None,
    skip_if: str | None = None,
) -> RunOutcome:
    """Read the inputs, compute every figure and, with `write`, rewrite the generated tabs.

    A fatal input (no `Продажи`, a required column missing) writes only `Ошибки` and the banner
    of `Сводка`, keeping the last good figures. `status` is the worker's note for `Сводка`
    (next run, last failure); empty for a one-off run. With `skip_if` (the fingerprint of the
    last successful run) nothing is computed or written when the inputs and the month have not
    changed (SPEC §12). Backend failures raise `BackendError`.
    """
    started = time.perf_counter()
    raw = backend.read(validate.wanted_tabs(config))
    refuse_tab_clash(raw.titles, config)
    fingerprint = input_fingerprint(raw, config, as_of)
    if skip_if is not None and skip_if == fingerprint:
        logger.debug("inputs and month unchanged: nothing to write")
        return RunOutcome(None, (), False, False, 0, 0, fingerprint, unchanged=True)
    with cycle_collector_paused():
        inputs = validate.validate(raw, config, as_of)
        logger.debug("read and validated in %.2f s", time.perf_counter() - started)
        # the core does not log: what validation found is said here, from what it returned
        logger.info(
            "validated %d sales rows: %d problems, %d rejected rows",
            len(inputs.sales),
            len(inputs.problems),
            len(inputs.rejected),
        )
        links = render.column_links(raw)
        plans: list[TabWrite] = []
        if inputs.fatal:
            result = None
            problems = sort_problems(inputs.problems, config)
            if write:
                plans = fatal_plans(problems, config, run_at, as_of, raw.titles, links)
        else:
            result = compute(inputs, config, as_of)
            problems = result.problems
            if write:
                status_lines = dict(status or {})
                plans = render.render(
                    result, config, run_at, status_lines, links=links, titles=raw.titles
                )
    if write:
        backend.write(plans)
    logger.debug("run finished in %.2f s", time.perf_counter() - started)
    return _outcome(result, problems, fatal=inputs.fatal, wrote=write, fingerprint=fingerprint)


def show_fatal(
    backend: Backend, config: Config, problems: Sequence[Problem], as_of: date, run_at: datetime
) -> None:
    """Write only Ошибки and the banner of Сводка for problems found before any input could be
    read (an invalid config, SPEC §3); the last good figures stay.

    Reads the tab titles only (no tab's cells): the banner must not speak of earlier figures in
    a workbook that was never calculated. On Google this read is the one the write would make
    anyway to learn the sheets.
    """
    titles = backend.read(lambda _title: False).titles
    refuse_tab_clash(titles, config)
    backend.write(fatal_plans(problems, config, run_at, as_of, titles))


def refuse_tab_clash(titles: Sequence[str], config: Config) -> None:
    """A ConfigError (exit 2, nothing written) when a tab of the workbook would be confused with
    a generated tab (`sheetplan.clashing_tabs`); decided here so both backends behave alike."""
    generated = {config.tab_title(key): key for key in GENERATED_TABS}
    clashes = clashing_tabs(titles, generated)
    if clashes:
        yours, ours = clashes[0]
        raise ConfigError(*pair("tab_clash", yours=yours, ours=ours, tab=generated[ours]))


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while the core builds its frames, line items and cells.

    They hold no reference cycles, and with a large workbook in memory every full collection
    walks all of it: at a million sales rows that was a quarter to a half of the bonus and
    render steps. The collector is back on afterwards (if it was on), also after an error.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _outcome(
    result: Result | None,
    problems: tuple[Problem, ...],
    *,
    fatal: bool,
    wrote: bool,
    fingerprint: str,
) -> RunOutcome:
    return RunOutcome(
        result=result,
        problems=problems,
        fatal=fatal,
        wrote=wrote,
        error_count=sum(problem.severity == ERROR for problem in problems),
        warning_count=sum(problem.severity == WARNING for problem in problems),
        fingerprint=fingerprint,
    )
