"""What each alert says (SPEC §7), as (ru, en) templates: the rules in `alerts.py` and
`alerts_funnel.py` decide and measure, then fill a template here with the figures."""

from __future__ import annotations

from sheets_kpi.core.inputs.schema import Language
from sheets_kpi.core.textfmt import Noun, pick

MESSAGES: dict[str, tuple[str, str]] = {
    "plan_missed_2_months": (
        "{name}: план не выполнен два месяца подряд ({earlier}, {later}). Обсудите с "
        "менеджером причины (поток заявок, конверсия, средний чек) и на ближайший месяц "
        "поставьте менеджера в пару с сильным коллегой.",
        "{name} missed the plan two months running ({earlier}, {later}). Talk the "
        "causes through (lead flow, conversion, average check) and pair them with a "
        "strong colleague for the coming month.",
    ),
    "possible_fake_client": (
        "Клиент {client} ({where}): чек 1-го месяца {check} {reasons}, "
        "а больше клиент не платил. Проверьте, что сделка настоящая: договор, оплата на "
        "счёт агентства, живой контакт у клиента.",
        "Client {client} ({where}): the month-1 check {check} {reasons}, "
        "and the client has not paid again. Check that the deal is real: a contract, a payment "
        "to the agency's account, a live contact at the client.",
    ),
    "fake_threshold": (
        "чуть выше порога бонуса {amount}",
        "is just above the bonus threshold {amount}",
    ),
    "fake_gap": (
        "почти ровно закрыл недостававшие до плана {amount}",
        "almost exactly covered the {amount} missing to plan",
    ),
    "and": (" и ", " and "),
    "low_retention": (
        "{name}: до 4-го месяца оплаты дошли {mine} привлечённых клиентов ({retained} из "
        "{eligible}), а в среднем по команде — {theirs}. Разберите с менеджером, почему "
        "клиенты уходят после первых оплат: обещания при продаже, передача в работу, "
        "сопровождение.",
        "{name}: {mine} of the clients they brought in reached their 4th paying month "
        "({retained} of {eligible}), against {theirs} for the team. Look into why "
        "clients leave after the first payments: promises at the sale, the handover, "
        "the follow-up.",
    ),
    "plan_spike_ahead": (
        "{name}: план на {label} вырос на {rise} к предыдущему месяцу ({before} → "
        "{after}). Проверьте, что это не опечатка, "
        "и обсудите с менеджером, за счёт чего такой план выполним.",
        "{name}: the plan for {label} rose by {rise} on the month before ({before} → "
        "{after}). Check it is not a typo, and agree with the manager how such a plan can be "
        "reached.",
    ),
    "plan_spike_past": (
        "{name}: план на {label} вырос на {rise} к предыдущему месяцу ({before} → "
        "{after}). Проверьте, что это не опечатка, "
        "— от плана зависят % плана, лидерборд и сигналы за тот месяц.",
        "{name}: the plan for {label} rose by {rise} on the month before ({before} → "
        "{after}). Check it is not a typo: that month's plan completion, ranking and alerts "
        "depend on it.",
    ),
    "shared_client": (
        "Оплаты клиента {client} вносили разные менеджеры: {who}. "
        "Договоритесь, кто ведёт клиента, чтобы выручка и бонусы не делились по ошибке. "
        "Привлечение засчитано по первой оплате: {acquirer}.",
        "Payments of client {client} were logged by different managers: "
        "{who}. Agree who owns the client, so revenue and bonuses are not split by "
        "mistake. The acquisition goes by the first payment: {acquirer}.",
    ),
    "data_errors": (
        "Во входных данных {count} {noun}. Что из-за них не вошло в расчёт и как "
        "исправить каждую — на вкладке «{tab}».",
        "The input has {count} {noun}. What they leave out of the figures, and how to fix "
        "each one, is on the «{tab}» tab.",
    ),
    "slow_first_contact": (
        "{name}: за {label} с новыми заявками связываются через {hours} ч (медиана), "
        "а норма — не дольше {limit} ч. Заявки остывают: договоритесь о сроке первого "
        "звонка и проверьте, кто и когда разбирает входящие.",
        "{name}: in {label} new leads were first contacted after {hours} h (median), "
        "above the {limit} h limit. Leads go cold: agree on a first-call deadline and "
        "check who handles incoming leads and when.",
    ),
    "stale_deals_one": (
        "{name}: {count} {noun} «в работе» дольше {days} {days_noun} (от {oldest}). "
        "Закройте её как выигранную или проигранную (с причиной отказа) или назначьте "
        "следующий шаг.",
        "{name}: {count} open {noun} older than {days} {days_noun} (lead date {oldest}). "
        "Close it as won or lost (with the loss reason) or set the next step.",
    ),
    "stale_deals_many": (
        "{name}: {count} {noun} «в работе» дольше {days} {days_noun} (самая старая — от "
        "{oldest}). Закройте их как выигранные или проигранные (с причиной отказа) или "
        "назначьте по каждой следующий шаг.",
        "{name}: {count} open {noun} older than {days} {days_noun} (the oldest from "
        "{oldest}). Close them as won or lost (with the loss reason) or set the next step "
        "for each.",
    ),
    "low_activity": (
        "{name}: за {label} {done} {noun} (звонки, встречи, презентации) — меньше "
        "половины медианы команды ({typical}). Узнайте, что мешает: мало заявок, другие "
        "задачи или нужна помощь с базой клиентов.",
        "{name}: {done} communications (calls, meetings, presentations) in {label}, "
        "under half the team median ({typical}). Find out what is in the way: too few "
        "leads, other tasks, or help needed with the client base.",
    ),
}

ERRORS: Noun = (("ошибка", "ошибки", "ошибок"), ("error", "errors"))
DEALS: Noun = (("сделка", "сделки", "сделок"), ("deal", "deals"))
DAYS_LONGER: Noun = (("дня", "дней", "дней"), ("days", "days"))  # «дольше 14 дней»
COMMUNICATIONS: Noun = (
    ("коммуникация", "коммуникации", "коммуникаций"),
    ("communications", "communications"),  # the English sentence writes the noun itself
)
DATE_FORMAT = ("%d.%m.%Y", "%Y-%m-%d")


def say(key: str, language: Language, **fields: object) -> str:
    """The message `key` in the output language, filled with `fields`."""
    return pick(MESSAGES[key], language).format(**fields)
