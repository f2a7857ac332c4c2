"""Sentences of the generated tabs, (ru, en): block titles, notes and the failure banner.

Short words (column headers, figure names, status rows, cell values) are in `labels.py`;
both are read through `labels.label(key, language)`, which fills in `{placeholders}`.
"""

from __future__ import annotations

Words = dict[str, tuple[str, str]]  # key -> (ru, en)

# Titles of the tabs' blocks and of the charts; {month} is a `month_label`.
TITLES: Words = {
    "team_title": ("Команда — {month}", "Team — {month}"),
    "managers_title": ("Менеджеры — {month}", "Managers — {month}"),
    "attention": ("Внимание", "Attention"),
    "forecast_title": ("Прогноз на {month}", "Forecast for {month}"),
    "pending_title": ("Ожидающие бонусы «два шага»", "Pending two-step bonuses"),
    "plan_gap_title": ("Что нужно, чтобы выполнить план", "What it takes to reach the plan"),
    "funnel_title": ("Воронка — {month}", "Funnel — {month}"),
    "loss_title": ("Причины отказов — {month}", "Loss reasons — {month}"),
    "activity_title": ("Активность — {month}", "Activity — {month}"),
    "chart_data": ("Данные для графиков", "Chart data"),
    "chart_by_manager": ("Выручка по менеджерам — {month}", "Revenue by manager — {month}"),
    "chart_team": ("Выручка команды и план по месяцам", "Team revenue vs plan by month"),
    "chart_funnel": (
        "Заявки за {month}: чем закончились",
        "Leads of {month}: how they ended",
    ),
    "pace_title": (
        "Команда — {month}: день {day} из {days}, по темпу к сегодня — {share} плана",
        "Team — {month}: day {day} of {days}, on pace today = {share} of plan",
    ),
    "top_title": ("Впереди", "Ahead"),
    "owed_title": ("К выплате за {month}", "To pay for {month}"),
    "payout_title": (
        "К выплате за {month}: из чего складывается",
        "To pay for {month}: what it is made of",
    ),
    "trial_summary_title": ("Пробная схема", "Trial scheme"),
    "trial_tab_title": (
        "Пробная схема: сколько заплатила бы, если бы действовала",
        "Trial scheme: what it would have paid, had it been in force",
    ),
    "trial_months_title": ("По месяцам", "By month"),
    "alerts_more_title": ("Внимание (продолжение)", "Attention (continued)"),
    "leaderboard_title": ("Лидерборд — {month}", "Leaderboard — {month}"),
}

# One-line notes: what an empty table means, how rejected rows come back into the count.
NOTES: Words = {
    "no_sales": ("Продаж в этом месяце пока нет", "No sales this month yet"),
    "no_history": ("Продаж пока нет", "No sales yet"),
    "no_alerts": ("Замечаний нет", "No warnings"),
    "no_pending": ("Ожидающих бонусов нет", "No pending bonuses"),
    "no_losses": ("Проигранных сделок нет", "No lost deals"),
    "no_leaderboard": ("В этом месяце ещё нет продаж", "No sales this month yet"),
    "no_bonuses": ("Бонусов пока нет", "No bonuses yet"),
    "no_payout": ("В этом месяце выплат нет", "Nothing to pay this month"),
    "trial_never_paid": (
        "Пробная схема не выплачивается: это расчёт «что было бы», только для сравнения.",
        "The trial scheme is never paid: it shows what would have been paid, for comparison.",
    ),
    "trial_windows": (
        "Полные месяцы: 3 — {last_3}; 12 — {last_12}.",
        "Complete months: 3 — {last_3}; 12 — {last_12}.",
    ),
    "trial_removed": (
        "Пробная схема сейчас не задана ни одному менеджеру (столбец «Пробная схема» "
        "вкладки «{roster}»). Задайте её, и сравнение появится здесь снова.",
        "No manager has a trial scheme now (the trial scheme column of the «{roster}» "
        "tab). Set one and the comparison comes back here.",
    ),
    "alerts_more": (
        "…и ещё {count} — ниже, под графиками",
        "…and {count} more below the charts",
    ),
    "no_errors": (
        "Ошибок нет — все строки приняты в расчёт",
        "No errors: every row was taken into account",
    ),
    "leaderboard_note": (
        "Отклонённые строки — продажи, сделки и активность с ошибками за этот месяц "
        "(см. вкладку «{errors}»): исправьте их, и они засчитаются.",
        "Rejected rows are this month's sales, deals and activity rows with errors "
        "(see the «{errors}» tab): fix them and they will count.",
    ),
}

# The banner of a run that could not compute (tabs/banner.py).
BANNERS: Words = {
    "fatal_banner": (
        "⚠ Данные не пересчитаны ({when}): {reason} Цифры ниже — от последнего успешного "
        "расчёта. Подробности — на вкладке «{errors}».",
        "⚠ The figures were not recalculated ({when}): {reason} The figures below are from "
        "the last good run. Details are on the «{errors}» tab.",
    ),
    "fatal_banner_first": (
        "⚠ Посчитать не удалось ({when}): {reason} Подробности — на вкладке «{errors}».",
        "⚠ Nothing could be calculated ({when}): {reason} Details are on the «{errors}» tab.",
    ),
    "fatal_more": (" (и ещё {count} — см. список)", " (and {count} more — see the list)"),
    "fatal_unknown": ("входные данные не удалось прочитать.", "the input could not be read."),
}

TEXTS: Words = {**TITLES, **NOTES, **BANNERS}
