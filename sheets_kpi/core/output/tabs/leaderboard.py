"""`Лидерборд` (SPEC §8): this month's ranking, the bonus column only when configured."""

from __future__ import annotations

from sheets_kpi.core.compute.pace import expected_share
from sheets_kpi.core.output.labels import month_label
from sheets_kpi.core.output.sheetplan import TabWrite
from sheets_kpi.core.output.tabbuilder import TabBuilder, TabInput, records

KEY = "leaderboard"


def columns(shows_bonus: bool) -> tuple[str, ...]:
    """The leaderboard's columns; the bonus only when the agency shows it to everyone."""
    bonus = ("bonus",) if shows_bonus else ()
    return (
        "rank",
        "manager",
        "revenue",
        "plan_pct",
        "new_clients",
        *bonus,
        "place_change",
        "rejected_rows",
    )


def build(source: TabInput) -> TabWrite:
    """The ranking table and a note on how rejected rows come back into the count; plan
    completion is coloured against the pace of the month."""
    config, result = source.config, source.result
    builder = TabBuilder(source.language, on_pace=expected_share(result.as_of))
    builder.title("leaderboard_title", month=month_label(result.month, source.language))
    keys = columns(config.leaderboard_shows_bonus)
    builder.table(keys, records(result.leaderboard), "no_leaderboard")
    builder.blank()
    builder.note("leaderboard_note", style="note", errors=config.tab_title("errors"))
    return builder.build(KEY, config.tab_title(KEY), frozen_rows=2)
