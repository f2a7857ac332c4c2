"""The demo's Активность and Мотивация tabs: daily calls and meetings, and the roster."""

from __future__ import annotations

from datetime import timedelta

from sheets_kpi.core.months import first_day, month_of
from sheets_kpi.demo_story.cast import ANNA, HOLIDAY_MONTH, MANAGERS, MONTHS, SLOW_AND_QUIET
from sheets_kpi.demo_story.story import Story


def activity_rows(story: Story) -> list[list[object]]:
    """Активность's rows: every working day, each active manager's calls and meetings."""
    rng = story.rng
    rows: list[list[object]] = []
    day = first_day(story.months[0])
    # Анна's holiday, when Игорь logged «Улыбка»'s payment for her
    holiday = (story.day_in(HOLIDAY_MONTH, 6), story.day_in(HOLIDAY_MONTH, 18))
    while day <= story.as_of:
        month_index = story.months.index(month_of(day))
        if day.weekday() < 5:
            for manager, profile in enumerate(MANAGERS):
                if month_index >= profile.active_until or rng.random() < 0.06:
                    continue
                if manager == ANNA and holiday[0] <= day <= holiday[1]:
                    continue
                quiet = manager == SLOW_AND_QUIET
                calls = max(0, round(rng.gauss(profile.calls_per_day, profile.calls_per_day * 0.3)))
                meetings = rng.choice((0, 0, 0, 1) if quiet else (0, 0, 1, 1, 2))
                presentations = rng.choice((0, 0, 0, 0, 1) if quiet else (0, 0, 0, 1))
                proposals = rng.choice((0, 0, 1) if quiet else (0, 0, 1, 1, 2))
                rows.append(
                    [day, story.manager_name(manager), calls, meetings, presentations, proposals]
                )
        day += timedelta(days=1)
    return rows


def roster_rows(story: Story) -> list[list[object]]:
    """Мотивация's rows: each manager's scheme, parameters, salary and whether still active."""
    rows: list[list[object]] = []
    for index, profile in enumerate(MANAGERS):
        ru = story.language == "ru"
        rows.append([
            story.manager_name(index),
            story.label("scheme", profile.scheme),
            (profile.params_ru if ru else profile.params_en) or None,
            profile.salary,
            story.label("active", "yes" if profile.active_until >= MONTHS else "no"),
        ])  # fmt: skip
    return rows
