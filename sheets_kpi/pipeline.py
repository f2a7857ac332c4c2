"""One run: read → validate → compute → render → write (docs/ARCHITECTURE.md, «One run»).

The pipeline strings the core's steps together and hands the result to a backend; it holds no
business rules of its own. `as_of` and `run_at` come from the caller: the core never reads the
clock.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from sheets_kpi.backends.base import Backend
from sheets_kpi.core.compute import (
    alerts,
    bonus,
    clients,
    cost,
    funnel,
    kpi,
    lead_outcomes,
    leaderboard,
    pace,
    plangap,
)
from sheets_kpi.core.inputs import validate
from sheets_kpi.core.inputs.schema import ERROR, GENERATED_TABS, INPUT_TABS, WARNING
from sheets_kpi.core.model import Inputs, Problem, RawWorkbook
from sheets_kpi.core.months import month_of
from sheets_kpi.core.output import render
from sheets_kpi.core.output.report import LEADERBOARD_COLUMNS, MONTHLY_COLUMNS, Result
from sheets_kpi.core.output.sheetplan import TabWrite, clashing_tabs
from sheets_kpi.core.roster import Roster
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
                plans = render.render_fatal(
                    problems,
                    config,
                    run_at,
                    as_of,
                    links=links,
                    first_run=config.tab_title("summary") not in raw.titles,
                )
        else:
            result = compute(inputs, config, as_of)
            problems = result.problems
            if write:
                plans = render.render(result, config, run_at, dict(status or {}), links=links)
    if write:
        backend.write(plans)
    logger.debug("run finished in %.2f s", time.perf_counter() - started)
    return _outcome(result, problems, fatal=inputs.fatal, wrote=write, fingerprint=fingerprint)


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


def compute(inputs: Inputs, config: Config, as_of: date) -> Result:
    """Every figure of a run from validated inputs: clients, KPIs, bonuses, funnel, alerts."""
    client_figures = clients.analyse(inputs.sales)
    monthly, team = kpi.monthly_figures(inputs, client_figures, config, as_of)
    plan_pct = _plan_pct(monthly)
    roster = Roster.of(inputs, config.bonus)
    bonuses = bonus.compute(
        inputs, client_figures, roster, config.bonus, plan_pct, as_of, config.language
    )
    monthly, team = cost.add_bonus(
        monthly, team, list(bonuses.items), roster, clients=client_figures
    )
    funnel_figures = funnel.figures(inputs, as_of, config.language)
    plan_gap = plangap.plan_gap(monthly, team, funnel_figures, as_of)
    problems = [*inputs.problems, *bonuses.problems]
    found_alerts = alerts.compute(
        inputs, client_figures, monthly, funnel_figures, config, as_of, problems=problems
    )
    month = month_of(as_of)
    board = leaderboard.leaderboard(monthly, inputs.rejected, month, roster)
    return Result(
        as_of=as_of,
        month=month,
        language=config.language,
        monthly=monthly,
        team=team,
        bonus_items=tuple(bonuses.items),
        leaderboard=board,
        alerts=tuple(found_alerts),
        problems=sort_problems(problems, config),
        pending_bonuses=tuple(bonuses.pending),
        funnel=funnel_figures.funnel if funnel_figures is not None else None,
        loss_reasons=funnel_figures.loss_reasons if funnel_figures is not None else None,
        activity=funnel_figures.activity if funnel_figures is not None else None,
        plan_gap=plan_gap,
        pace=pace.pace(client_figures, as_of),
        lead_outcomes=lead_outcomes.lead_outcomes(inputs.deals, as_of),
    )


def fatal_result(problems: tuple[Problem, ...], config: Config, as_of: date) -> Result:
    """An empty Result carrying only the problems, for the `--report` of a fatal run."""
    monthly = pd.DataFrame({column: [] for column in (*MONTHLY_COLUMNS, "manager_key")})
    team = pd.DataFrame({column: [] for column in MONTHLY_COLUMNS if column != "manager"})
    board = pd.DataFrame({column: [] for column in LEADERBOARD_COLUMNS})
    return Result(
        as_of=as_of,
        month=month_of(as_of),
        language=config.language,
        monthly=monthly,
        team=team,
        bonus_items=(),
        leaderboard=board,
        alerts=(),
        problems=problems,
        fatal=True,
    )


def sort_problems(
    problems: list[Problem] | tuple[Problem, ...], config: Config
) -> tuple[Problem, ...]:
    """Problems in reading order: by input tab (Продажи first), then sheet row.

    Tab-level problems (no row) come first in their tab; within a row the order found is kept.
    """
    order: dict[str, int] = {}
    for index, tab in enumerate(INPUT_TABS):
        for title in (config.tab_title(tab.key), tab.ru, tab.en):
            order.setdefault(title, index)

    def key(problem: Problem) -> tuple[int, str, int]:
        row = problem.row if problem.row is not None else 0
        return (order.get(problem.tab, len(order)), problem.tab, row)

    return tuple(sorted(problems, key=key))


def _plan_pct(monthly: pd.DataFrame) -> dict[tuple[str, str], float]:
    """`{(manager_key, month): plan_pct}` for the months a manager had a plan."""
    known = monthly[monthly["plan_pct"].notna()]
    return {
        (str(manager_key), str(month)): float(pct)
        for manager_key, month, pct in zip(
            known["manager_key"], known["month"], known["plan_pct"], strict=True
        )
    }


def input_fingerprint(raw: RawWorkbook, config: Config, as_of: date) -> str:
    """A digest of the input tabs' raw cells, the month of `as_of` and the config.

    Two runs with the same fingerprint compute the same figures, save what depends on the day
    inside the month (the run-rate forecast), which a scheduled worker may leave until the
    inputs change (SPEC §12).
    """
    digest = hashlib.sha256()
    digest.update(f"{month_of(as_of)}\x00{config!r}".encode())
    for title in sorted(raw.tabs):
        digest.update(f"\x01{title}".encode())
        for row in raw.tabs[title].rows:
            digest.update(f"\x02{row!r}".encode())
    return digest.hexdigest()


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
