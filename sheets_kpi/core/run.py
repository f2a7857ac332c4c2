"""One run's decisions, made without I/O: every figure from validated inputs, the order of the
problems, the writes of a run that cannot compute, and the fingerprint that tells a worker
nothing changed. `pipeline.py` reads, calls these and writes; it decides nothing itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import date, datetime

import pandas as pd

from sheets_kpi.core.compute import (
    adjustments,
    alerts,
    bonus,
    clawbacks,
    clients,
    cost,
    funnel,
    kpi,
    lead_outcomes,
    leaderboard,
    pace,
    plangap,
    trial,
)
from sheets_kpi.core.inputs.schema import ERROR, INPUT_TABS
from sheets_kpi.core.model import Inputs, Problem, RawWorkbook
from sheets_kpi.core.months import month_of
from sheets_kpi.core.output import render
from sheets_kpi.core.output.report import LEADERBOARD_COLUMNS, MONTHLY_COLUMNS, Result
from sheets_kpi.core.output.sheetplan import TabWrite
from sheets_kpi.core.roster import Roster
from sheets_kpi.core.settings import Config

# The problem code of an invalid config shown in the spreadsheet (SPEC §3).
BAD_SETTING = "bad_setting"


def compute(inputs: Inputs, config: Config, as_of: date) -> Result:
    """Every figure of a run from validated inputs: clients, KPIs, bonuses, funnel, alerts."""
    client_figures = clients.analyse(inputs.sales)
    monthly, team = kpi.monthly_figures(inputs, client_figures, config, as_of)
    roster = Roster.of(inputs, config.bonus)
    completion = plan_pct(monthly)
    bonuses = bonus.compute(
        inputs, client_figures, roster, config.bonus, completion, as_of, config.language
    )
    # SPEC §14: the scheme items (limits already applied), their clawbacks and the adjustments;
    # neither of the last two is ever capped nor withheld by §5's limits. The scheme items
    # come sorted: sorted again only with other items among them.
    # (The ledger will pass the items as paid: archived amounts for archived months.)
    extra = [
        *clawbacks.clawbacks(client_figures, bonuses.items, config.bonus, config.language),
        *adjustments.adjustment_items(inputs.adjustments, roster, config.language),
    ]
    items = bonus.in_report_order([*bonuses.items, *extra]) if extra else tuple(bonuses.items)
    monthly, team = cost.add_bonus(monthly, team, list(items), roster, clients=client_figures)
    funnel_figures = funnel.figures(inputs, as_of, config.language)
    plan_gap = plangap.plan_gap(
        monthly, team, funnel_figures, as_of, refunded=refunded(client_figures.refunds)
    )
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
        bonus_items=items,
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
        trial=trial.trial_figures(  # SPEC §15; paid: the scheme items as computed, for now
            inputs,
            client_figures,
            roster,
            config.bonus,
            completion,
            bonuses.items,
            as_of,
            config.language,
        ),
    )


def refunded(refunds: pd.DataFrame) -> dict[tuple[str, str | None], float]:
    """Roubles refunded per (month, manager_key) and per (month, None) for the team (SPEC
    §14), so the plan gap's average check counts payments only."""
    found: dict[tuple[str, str | None], int] = {}
    for month, manager_key, kopecks in zip(
        refunds["month"].tolist(),
        refunds["manager_key"].tolist(),
        refunds["amount_kop"].tolist(),
        strict=True,
    ):
        for key in ((month, manager_key), (month, None)):
            found[key] = found.get(key, 0) + int(kopecks)
    return {key: kopecks / 100 for key, kopecks in found.items()}


def plan_pct(monthly: pd.DataFrame) -> dict[tuple[str, str], float]:
    """`{(manager_key, month): plan_pct}` for the months a manager had a plan."""
    known = monthly[monthly["plan_pct"].notna()]
    return {
        (str(manager_key), str(month)): float(pct)
        for manager_key, month, pct in zip(
            known["manager_key"], known["month"], known["plan_pct"], strict=True
        )
    }


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


def config_problem(source: str, message: str) -> Problem:
    """An invalid config as the one problem of a fatal run: tab `source` (the file's name)."""
    return Problem(source, None, None, None, BAD_SETTING, ERROR, message)


def fatal_plans(
    problems: Sequence[Problem],
    config: Config,
    run_at: datetime,
    as_of: date,
    titles: Sequence[str],
    links: Mapping[tuple[str, str], int] | None = None,
) -> list[TabWrite]:
    """The writes of a run that cannot compute (SPEC §3): Ошибки and the banner of Сводка.

    `titles` are the workbook's tabs now: without a Сводка yet, the banner does not speak of
    earlier figures.
    """
    first_run = config.tab_title("summary") not in titles
    return render.render_fatal(problems, config, run_at, as_of, links=links, first_run=first_run)


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
