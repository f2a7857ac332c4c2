"""The demo's План tab: plans that follow revenue, one miss and one spike."""

from __future__ import annotations

from sheets_kpi.demo_story.cast import MANAGERS, MISSES_PLAN, MONTHS, PLAN_SPIKE
from sheets_kpi.demo_story.clients import shortfall
from sheets_kpi.demo_story.story import Story


def build_plan(story: Story) -> dict[tuple[int, int], int]:
    """Each manager's monthly revenue plan by (manager, month index); Мария falls short."""
    rng = story.rng
    plan: dict[tuple[int, int], int] = {}
    last_complete = (MONTHS - 3, MONTHS - 2)
    for manager_index, profile in enumerate(MANAGERS):
        previous: int | None = None
        for month_index in range(min(MONTHS - 1, profile.active_until)):
            revenue = story.revenue(manager_index, month_index)
            target = max(50000, round_to(revenue * rng.uniform(0.85, 1.15), 10000))
            if previous is not None:  # plans move smoothly: never a spike in the past
                target = min(
                    max(target, round_to(previous * 0.85, 10000)),
                    floor_to(previous * 1.25, 10000),
                )
            if month_index in last_complete:
                if manager_index == MISSES_PLAN:
                    target = max(target, round_to(revenue * rng.uniform(1.12, 1.3), 10000))
                    if previous is not None:
                        target = min(target, floor_to(previous * 1.28, 10000))
                else:
                    target = min(target, floor_to(revenue * 0.97, 10000))
            if target > 0:
                plan[(manager_index, month_index)] = target
                previous = target
    shortfall(story, plan)
    for manager_index, profile in enumerate(MANAGERS):
        previous = plan.get((manager_index, MONTHS - 2))
        if previous is None or profile.active_until < MONTHS:
            continue
        rise = 1.5 if manager_index == PLAN_SPIKE else rng.uniform(1.0, 1.12)
        if manager_index == MISSES_PLAN:
            rise = 1.0
        plan[(manager_index, MONTHS - 1)] = floor_to(previous * rise, 10000)
    return plan


def plan_rows(story: Story, plan: dict[tuple[int, int], int]) -> list[list[object]]:
    """The План tab's rows: team targets for the last months, then every manager's plan."""
    rows: list[list[object]] = []
    new_counts: dict[int, int] = {}
    for client in story.clients:
        if not client.existing and client.payments:
            new_counts[client.manager] = new_counts.get(client.manager, 0) + 1
    for month_index, month in enumerate(story.months):
        managers = [m for m in range(len(MANAGERS)) if (m, month_index) in plan]
        if month_index >= MONTHS - 3:  # the owner set a team target for the last months
            team = sum(plan[(m, month_index)] for m in managers)
            rows.append([month_cell(story, month), None, ceil_to(team, 100000), None])
        for manager_index in managers:
            wanted = max(1, round(new_counts.get(manager_index, 0) / MONTHS))
            rows.append(
                [
                    month,
                    story.manager_name(manager_index),
                    plan[(manager_index, month_index)],
                    wanted,
                ]
            )
    return rows


def month_cell(story: Story, month: str) -> str:
    """A team row's month the way an owner types it: «ноябрь 2026»."""
    if story.language != "ru":
        return month
    names = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
             "сентябрь", "октябрь", "ноябрь", "декабрь")  # fmt: skip
    return f"{names[int(month[5:7]) - 1]} {month[:4]}"


# plans are round figures: to the nearest, below or above a step of roubles
def round_to(value: float, step: int) -> int:
    return round(value / step) * step


def floor_to(value: float, step: int) -> int:
    return int(value // step) * step


def ceil_to(value: float, step: int) -> int:
    return -int(-value // step) * step
