"""User-facing labels of the generated tabs: RU/EN label table, month names, list values.

`core/render.py` lays the tabs out; every word it writes comes from here, so a translation fix
never touches layout.
"""

from __future__ import annotations

from sheets_kpi.core.inputs.schema import LIST_LABELS, Language

# key -> (ru, en)
LABELS: dict[str, tuple[str, str]] = {
    "updated": ("Обновлено", "Updated"),
    "as_of": ("Данные на", "Data as of"),
    # status rows the scheduled worker adds to Сводка (worker.py; "lease" is read back there)
    "next_run": ("Следующий запуск", "Next run"),
    "last_failure": ("Последний сбой", "Last failure"),
    "lease": ("Обслуживает бот", "Served by worker"),
    "team_title": ("Команда — {month}", "Team — {month}"),
    "figure": ("Показатель", "Figure"),
    "plan": ("План", "Plan"),
    "completion": ("Выполнение", "Completion"),
    "change": ("Изменение", "Change"),
    "managers_title": ("Менеджеры — {month}", "Managers — {month}"),
    "no_sales": ("Продаж в этом месяце пока нет", "No sales this month yet"),
    "no_history": ("Продаж пока нет", "No sales yet"),
    "attention": ("Внимание", "Attention"),
    "no_alerts": ("Замечаний нет", "No warnings"),
    "team": ("Команда", "Team"),
    "forecast_title": ("Прогноз на {month}", "Forecast for {month}"),
    "team_forecast": (
        "Выполнение плана командой к концу месяца (по текущему темпу)",
        "Team plan completion by month end (at the current pace)",
    ),
    "pending_title": ("Ожидающие бонусы «два шага»", "Pending two-step bonuses"),
    "no_pending": ("Ожидающих бонусов нет", "No pending bonuses"),
    "client": ("Клиент", "Client"),
    "amount": ("Сумма", "Amount"),
    "paid_months": ("Оплачено месяцев", "Paid months"),
    "months_needed": ("Нужно месяцев", "Months needed"),
    "risk": ("Риск", "Risk"),
    "at_risk": (
        "под риском: клиент пропустил месяц оплаты",
        "at risk: the client skipped a paying month",
    ),
    "plan_gap_title": ("Что нужно, чтобы выполнить план", "What it takes to reach the plan"),
    "funnel_title": ("Воронка — {month}", "Funnel — {month}"),
    "loss_title": ("Причины отказов — {month}", "Loss reasons — {month}"),
    "no_losses": ("Проигранных сделок нет", "No lost deals"),
    "activity_title": ("Активность — {month}", "Activity — {month}"),
    "chart_data": ("Данные для графиков", "Chart data"),
    "chart_by_manager": ("Выручка по менеджерам — {month}", "Revenue by manager — {month}"),
    "chart_team": ("Выручка команды и план по месяцам", "Team revenue vs plan by month"),
    "chart_funnel": ("Воронка — {month}", "Funnel — {month}"),
    "stage": ("Этап", "Stage"),
    "leaderboard_title": ("Лидерборд — {month}", "Leaderboard — {month}"),
    "rank": ("Место", "Rank"),
    "place_change": ("Изменение места", "Place change"),
    "rejected_rows": ("Отклонено строк", "Rejected rows"),
    "leaderboard_note": (
        "Отклонённые строки — продажи, сделки и активность с ошибками за этот месяц "
        "(см. вкладку «{errors}»): исправьте их, и они засчитаются.",
        "Rejected rows are this month's sales, deals and activity rows with errors "
        "(see the «{errors}» tab): fix them and they will count.",
    ),
    "no_leaderboard": ("В этом месяце ещё нет продаж", "No sales this month yet"),
    "scheme": ("Схема", "Scheme"),
    "step": ("Шаг", "Step"),
    "basis": ("База", "Basis"),
    "rate_or_tier": ("Ставка / уровень", "Rate / tier"),
    "explain": ("Пояснение", "Explanation"),
    "withheld": ("Удержано", "Withheld"),
    "subtotal": ("Итого за месяц", "Month total"),
    "all_clients": ("все новые клиенты месяца", "all new clients of the month"),
    "no_bonuses": ("Бонусов пока нет", "No bonuses yet"),
    "tab": ("Вкладка", "Tab"),
    "row": ("Строка", "Row"),
    "column": ("Столбец", "Column"),
    "value": ("Значение", "Value"),
    "code": ("Код", "Code"),
    "severity": ("Важность", "Severity"),
    "message": ("Что исправить", "How to fix"),
    "no_errors": (
        "Ошибок нет — все строки приняты в расчёт",
        "No errors: every row was taken into account",
    ),
    "error": ("ошибка", "error"),
    "warning": ("предупреждение", "warning"),
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
    # figures
    "month": ("Месяц", "Month"),
    "manager": ("Менеджер", "Manager"),
    "revenue": ("Выручка", "Revenue"),
    "margin": ("Маржа", "Margin"),
    "payments": ("Платежей", "Payments"),
    "new_clients": ("Новые клиенты", "New clients"),
    "new_revenue": ("Выручка от новых", "New-client revenue"),
    "repeat_revenue": ("Повторная выручка", "Repeat revenue"),
    "avg_check": ("Средний чек", "Average check"),
    "plan_revenue": ("План выручки", "Revenue plan"),
    "plan_pct": ("Выполнение плана", "Plan completion"),
    "plan_new_clients": ("План новых клиентов", "New clients plan"),
    "growth_mom": ("Рост к прошлому месяцу", "Growth vs previous month"),
    "growth_yoy": ("Рост к прошлому году", "Growth vs last year"),
    "bonus": ("Бонус", "Bonus"),
    "receivables": ("Не оплачено (дебиторка)", "Receivables"),
    "retention_4": ("Дошли до 4-го месяца", "Retention to month 4"),
    "salary": ("Оклад", "Salary"),
    "cost": ("Затраты (оклад + бонус)", "Cost (salary + bonus)"),
    "roi": ("ROI", "ROI"),
    "forecast_pct": ("Прогноз выполнения", "Forecast completion"),
    "leads": ("Заявки", "Leads"),
    "won": ("Выиграно", "Won"),
    "lost": ("Проиграно", "Lost"),
    "open": ("В работе", "Open"),
    "win_rate": ("Конверсия в сделку", "Win rate"),
    "first_contact_hours_median": ("Часов до контакта (медиана)", "Hours to contact (median)"),
    "first_contact_hours_mean": ("Часов до контакта (среднее)", "Hours to contact (mean)"),
    "touches_per_won": ("Касаний на сделку", "Touches per won deal"),
    "cycle_days_mean": ("Цикл сделки, дней", "Sales cycle, days"),
    "open_hot": ("Горячие в работе", "Open hot deals"),
    "warm_to_hot": ("Доля горячих среди тёплых и горячих", "Hot among warm and hot"),
    "reason": ("Причина", "Reason"),
    "count": ("Количество", "Count"),
    "calls": ("Звонки", "Calls"),
    "meetings": ("Встречи", "Meetings"),
    "presentations": ("Презентации", "Presentations"),
    "proposals": ("КП", "Proposals"),
    "communications_per_won": ("Коммуникаций на выигранную сделку", "Communications per won"),
    "revenue_needed": ("Осталось до плана", "Revenue to plan"),
    "deals_needed": ("Нужно сделок", "Deals needed"),
    "leads_needed": ("Нужно заявок", "Leads needed"),
    "working_days_left": ("Рабочих дней осталось", "Working days left"),
    "revenue_per_day": ("Выручка в день", "Revenue per day"),
    "deals_per_day": ("Сделок в день", "Deals per day"),
    "leads_per_day": ("Заявок в день", "Leads per day"),
}

MONTH_NAMES = {
    "ru": (
        "январь",
        "февраль",
        "март",
        "апрель",
        "май",
        "июнь",
        "июль",
        "август",
        "сентябрь",
        "октябрь",
        "ноябрь",
        "декабрь",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}


def label(key: str, language: Language, **values: object) -> str:
    """A user-facing label in the output language, with `{placeholders}` filled in."""
    ru, en = LABELS[key]
    text = ru if language == "ru" else en
    return text.format(**values) if values else text


def month_label(month: str, language: Language) -> str:
    """`2026-11` → «ноябрь 2026» / «November 2026»."""
    try:
        return f"{MONTH_NAMES[language][int(month[5:7]) - 1]} {month[:4]}"
    except (ValueError, IndexError):
        return str(month)


def scheme_label(scheme: str, language: Language) -> str:
    """The scheme code (`tiers`, `two_step`, ...) as the tab shows it; unknown codes as they are."""
    labels = LIST_LABELS["scheme"].get(scheme)
    if labels is None:
        return scheme
    return labels[0] if language == "ru" else labels[1]


def severity_label(severity: str, language: Language) -> str:
    """`error` / `warning` as the Ошибки tab shows it; anything else as it is."""
    return label(severity, language) if severity in ("error", "warning") else severity
