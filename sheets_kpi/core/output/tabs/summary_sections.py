"""The optional sections of `Сводка`, each shown when its figures were computed: what it takes
to reach the plan, the funnel, the loss reasons and the activity of the current month.

A section is a function `(builder, result) -> None` that adds nothing when its figures are
absent; `SECTIONS` is their order on the tab. A new section is one function plus one line.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from sheets_kpi.core.inputs.schema import norm
from sheets_kpi.core.output.cells import ACTIVITY_FIGURES, FUNNEL_FIGURES, PLAN_GAP_FIGURES
from sheets_kpi.core.output.labels import month_label
from sheets_kpi.core.output.report import Result, is_absent
from sheets_kpi.core.output.tabbuilder import (
    Record,
    TabBuilder,
    is_team,
    month_records,
    records,
    team_named,
)

TOP_LOSS_REASONS = 5
# Сводка's funnel leaves out the mean hours to contact (the median is there; both are on
# Помесячно), so the table fits in A–L
SUMMARY_FUNNEL_FIGURES = tuple(key for key in FUNNEL_FIGURES if key != "first_contact_hours_mean")


def plan_gap(builder: TabBuilder, result: Result) -> None:
    """What each manager and the team still need this month to reach the plan."""
    if result.plan_gap is None:
        return
    builder.blank()
    builder.title("plan_gap_title")
    gap = [team_named(record, builder.language) for record in records(result.plan_gap)]
    builder.table(("manager", *PLAN_GAP_FIGURES), gap)


def funnel(builder: TabBuilder, result: Result) -> None:
    """The deals funnel of the current month, per manager and for the team."""
    if result.funnel is None:
        return
    month, language = result.month, builder.language
    builder.blank()
    builder.title("funnel_title", month=month_label(month, language))
    rows = month_records(result.funnel, month, language)
    builder.table(("manager", *SUMMARY_FUNNEL_FIGURES), rows)


def loss_reasons(builder: TabBuilder, result: Result) -> None:
    """The team's most frequent reasons for lost deals this month."""
    if result.loss_reasons is None:
        return
    month = result.month
    builder.blank()
    builder.title("loss_title", month=month_label(month, builder.language))
    builder.table(("reason", "count"), top_loss_reasons(result.loss_reasons, month), "no_losses")


def activity(builder: TabBuilder, result: Result) -> None:
    """Calls, meetings, presentations and proposals of the current month."""
    if result.activity is None:
        return
    month, language = result.month, builder.language
    builder.blank()
    builder.title("activity_title", month=month_label(month, language))
    builder.table(("manager", *ACTIVITY_FIGURES), month_records(result.activity, month, language))


SECTIONS: tuple[Callable[[TabBuilder, Result], None], ...] = (
    plan_gap,
    funnel,
    loss_reasons,
    activity,
)


def top_loss_reasons(
    frame: pd.DataFrame, month: str, limit: int = TOP_LOSS_REASONS
) -> list[Record]:
    """The team's loss reasons of `month`, most frequent first, ties by name."""
    team = [r for r in records(frame) if str(r.get("month")) == month and is_team(r)]
    team.sort(key=lambda r: (-_count(r.get("count")), norm(str(r.get("reason")))))
    return team[:limit]


def _count(value: object) -> float:
    return 0.0 if is_absent(value) else float(value)
