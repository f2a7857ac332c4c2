"""Words of the generated tabs, (ru, en): column headers and figure names, Сводка's status
rows, words written as values, month names; and `label()`, the one way a tab asks for words.

Sentences (titles, notes, the failure banner) are in `texts.py`. Tab modules lay the tabs out
and take every word from here, so a translation fix never touches layout.
"""

from __future__ import annotations

from sheets_kpi.core.inputs.schema import LIST_LABELS, Language
from sheets_kpi.core.model import ADJUSTMENT, CLAWBACK, CORRECTION
from sheets_kpi.core.output.texts import TEXTS, Words

_INDEX: dict[Language, int] = {"ru": 0, "en": 1}

# Column headers of the tables and the names of figures (also row names of the team block).
COLUMNS: Words = {
    "figure": ("Показатель", "Figure"),
    "plan": ("План", "Plan"),
    "completion": ("Выполнение", "Completion"),
    "change": ("Изменение", "Change"),
    "team_forecast": (
        "Выполнение плана командой к концу месяца (по текущему темпу)",
        "Team plan completion by month end (at the current pace)",
    ),
    "client": ("Клиент", "Client"),
    "amount": ("Сумма", "Amount"),
    "paid_months": ("Оплачено месяцев", "Paid months"),
    "months_needed": ("Нужно месяцев", "Months needed"),
    "risk": ("Риск", "Risk"),
    "stage": ("Этап", "Stage"),
    "rank": ("Место", "Rank"),
    "place_change": ("Изменение места", "Place change"),
    "rejected_rows": ("Отклонено строк", "Rejected rows"),
    "scheme": ("Схема", "Scheme"),
    "step": ("Шаг", "Step"),
    "basis": ("База", "Basis"),
    "rate_or_tier": ("Ставка / уровень", "Rate / tier"),
    "explain": ("Пояснение", "Explanation"),
    "withheld": ("Удержано", "Withheld"),
    "tab": ("Вкладка", "Tab"),
    "row": ("Строка", "Row"),
    "column": ("Столбец", "Column"),
    "value": ("Значение", "Value"),
    "code": ("Код", "Code"),
    "severity": ("Важность", "Severity"),
    "message": ("Что исправить", "How to fix"),
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
    # SPEC §14: what a manager is paid this month, by kind of line
    "scheme_bonus": ("Бонусы по схемам", "Scheme bonuses"),
    "corrections": ("Пересчёты закрытых месяцев", "Closed-month corrections"),
    "adjustments": ("Корректировки", "Adjustments"),
    "clawbacks": ("Возвраты бонусов", "Clawbacks"),
    "to_pay": ("К выплате", "To pay"),
    # SPEC §15: the trial scheme against the scheme paid
    "paid": ("Выплачено по схеме", "Paid by the scheme"),
    "trial": ("По пробной схеме", "By the trial scheme"),
    "trial_difference": ("Разница (пробная − выплачено)", "Difference (trial − paid)"),
    "paid_3": ("Выплачено за 3 мес.", "Paid, 3 months"),
    "trial_3": ("Пробная за 3 мес.", "Trial, 3 months"),
    "difference_3": ("Разница за 3 мес.", "Difference, 3 mo."),
    "paid_12": ("Выплачено за 12 мес.", "Paid, 12 months"),
    "trial_12": ("Пробная за 12 мес.", "Trial, 12 months"),
    "difference_12": ("Разница за 12 мес.", "Difference, 12 mo."),
}

# Shorter column headers for narrow columns (Сводка's A–L, Помесячно): `header_label` takes
# one when the full header is longer than the tab's columns are wide.
SHORT: Words = {
    "plan_pct": ("Выполнение", "Completion"),
    "forecast_pct": ("Прогноз", "Forecast"),
    "receivables": ("Дебиторка", "Receivables"),
    "growth_mom": ("К прошл. месяцу", "vs prev. month"),
    "growth_yoy": ("К прошл. году", "vs last year"),
    "retention_4": ("До 4-го месяца", "To month 4"),
    "cost": ("Затраты", "Cost"),
    "plan_new_clients": ("План клиентов", "Clients plan"),
    "repeat_revenue": ("Повторная", "Repeat revenue"),
    "new_revenue": ("От новых", "New-client rev."),
    "revenue_needed": ("До плана", "To plan"),
    "win_rate": ("Конверсия", "Win rate"),
    "working_days_left": ("Раб. дней", "Work days left"),
    "revenue_per_day": ("Выручка в день", "Revenue/day"),
    "first_contact_hours_median": ("До контакта, ч", "To contact, h"),
    "first_contact_hours_mean": ("До контакта, ч (ср.)", "To contact, h (mean)"),
    "touches_per_won": ("Касаний/сделку", "Touches/won"),
    "cycle_days_mean": ("Цикл, дней", "Cycle, days"),
    "open_hot": ("Горячие", "Open hot"),
    "warm_to_hot": ("Доля горячих", "Hot share"),
    "communications_per_won": ("Комм./сделку", "Comms/won"),
    "paid_months": ("Оплачено мес.", "Paid months"),
    "rejected_rows": ("Отклонено", "Rejected"),
    "place_change": ("Место ±", "Place ±"),
    "rate_or_tier": ("Ставка/уровень", "Rate / tier"),
    "scheme_bonus": ("По схемам", "Schemes"),
    "corrections": ("Пересчёты", "Corrections"),
    "clawbacks": ("Возвраты", "Clawbacks"),
    "paid": ("Выплачено", "Paid"),
    "trial": ("Пробная", "Trial"),
    "trial_difference": ("Разница", "Difference"),
    "paid_3": ("Выпл. 3 мес.", "Paid, 3 mo."),
    "trial_3": ("Пробн. 3 мес.", "Trial, 3 mo."),
    "difference_3": ("Разн. 3 мес.", "Diff., 3 mo."),
    "paid_12": ("Выпл. 12 мес.", "Paid, 12 mo."),
    "trial_12": ("Пробн. 12 мес.", "Trial, 12 mo."),
    "difference_12": ("Разн. 12 мес.", "Diff., 12 mo."),
}

# Words of Сводка's first screen (issue 20).
DASHBOARD: Words = {
    "actual": ("Факт", "Actual"),
    "on_pace": ("По темпу", "On pace"),
    "previous_same_days": ("{month}, 1–{day}", "{month} 1–{day}"),
    "total": ("Итого", "Total"),
    "others": ("ещё {count}", "{count} more"),
    "outcome_leads": ("Заявки", "Leads"),
    "outcome_won": ("Выиграно", "Won"),
    "outcome_lost": ("Проиграно", "Lost"),
    "outcome_open": ("Ещё в работе", "Still open"),
    "group_sales": ("Продажи, план и бонусы", "Sales, plan and bonuses"),
    "group_funnel": ("Сделки (воронка)", "Deals (funnel)"),
    "group_activity": ("Активность", "Activity"),
}

# Status rows at the top of Сводка; the worker passes next_run, last_failure and lease as keys
# (and finds its lease row again by these words: worker.LEASE_LABELS).
STATUS: Words = {
    "updated": ("Обновлено", "Updated"),
    "as_of": ("Данные на", "Data as of"),
    "next_run": ("Следующий запуск", "Next run"),
    "last_failure": ("Последний сбой", "Last failure"),
    "lease": ("Обслуживает бот", "Served by worker"),
}

# Words written as cell values: the team's row, subtotals, risks, severities.
VALUES: Words = {
    "team": ("Команда", "Team"),
    "subtotal": ("Итого за месяц", "Month total"),
    "team_total": ("Итого по команде за месяц", "Team total for the month"),
    "all_clients": ("все новые клиенты месяца", "all new clients of the month"),
    "at_risk": (
        "под риском: клиент пропустил месяц оплаты",
        "at risk: the client skipped a paying month",
    ),
    "error": ("ошибка", "error"),
    "warning": ("предупреждение", "warning"),
}

LABELS: Words = {**COLUMNS, **STATUS, **VALUES, **DASHBOARD}

MONTH_NAMES: tuple[tuple[str, str], ...] = (
    ("январь", "January"),
    ("февраль", "February"),
    ("март", "March"),
    ("апрель", "April"),
    ("май", "May"),
    ("июнь", "June"),
    ("июль", "July"),
    ("август", "August"),
    ("сентябрь", "September"),
    ("октябрь", "October"),
    ("ноябрь", "November"),
    ("декабрь", "December"),
)

_ALL: Words = {**LABELS, **TEXTS}


def pick(words: tuple[str, str], language: Language) -> str:
    """The `language` one of a (ru, en) pair: the one place the output language chooses."""
    return words[_INDEX[language]]


def label(key: str, language: Language, **values: object) -> str:
    """A word or sentence of the tabs in the output language, `{placeholders}` filled in."""
    text = pick(_ALL[key], language)
    return text.format(**values) if values else text


def header_label(key: str, language: Language, max_chars: int | None = None) -> str:
    """A column header: the full words, or the short ones when they are longer than
    `max_chars` (the column's width) and a short form exists."""
    full = label(key, language)
    if max_chars is not None and len(full) > max_chars and key in SHORT:
        return pick(SHORT[key], language)
    return full


def month_label(month: str, language: Language) -> str:
    """`2026-11` → «ноябрь 2026» / «November 2026»."""
    try:
        return f"{month_name(month, language)} {month[:4]}"
    except (ValueError, IndexError):
        return str(month)


def month_name(month: str, language: Language) -> str:
    """`2026-11` → «ноябрь» / «November» (ValueError / IndexError for a malformed month)."""
    return pick(MONTH_NAMES[int(month[5:7]) - 1], language)


# The SPEC §14 lines that are not a scheme's, as `Бонусы` names them; a correction names the
# closed month it settles ({month}, `BonusItem.for_month`).
LEDGER_SCHEME_WORDS: Words = {
    CORRECTION: ("пересчёт за {month}", "correction for {month}"),
    ADJUSTMENT: ("корректировка", "adjustment"),
    CLAWBACK: ("возврат бонуса", "clawback"),
}


def scheme_label(scheme: str, language: Language, for_month: str | None = None) -> str:
    """The scheme code (`tiers`, `two_step`, ..., `correction`) as the tab shows it, a
    correction with the month it settles; unknown codes as they are."""
    words = LIST_LABELS["scheme"].get(scheme) or LEDGER_SCHEME_WORDS.get(scheme)
    if words is None:
        return scheme
    return pick(words, language).format(month=for_month or "?")


def severity_label(severity: str, language: Language) -> str:
    """`error` / `warning` as the Ошибки tab shows it; anything else as it is."""
    return label(severity, language) if severity in ("error", "warning") else severity
