"""Tab and column names, their English aliases, list values and problem codes (SPEC §2, §3).

Every other module refers to columns by their *key* (`"date"`, `"manager"`, ...), never by the
header text a person typed; `match_header` turns typed headers into keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Language = Literal["ru", "en"]


def in_language(texts: tuple[str, str], language: Language) -> str:
    """The `language` one of a (Russian, English) pair: every catalogue is such pairs."""
    russian, english = texts
    return russian if language == "ru" else english


@dataclass(frozen=True)
class Column:
    key: str
    ru: str
    en: str
    required: bool = False

    def label(self, language: Language) -> str:
        return in_language((self.ru, self.en), language)


@dataclass(frozen=True)
class InputTab:
    key: str
    ru: str
    en: str
    columns: tuple[Column, ...]

    def label(self, language: Language) -> str:
        return in_language((self.ru, self.en), language)

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)


SALES = InputTab(
    "sales",
    "Продажи",
    "Sales",
    (
        Column("date", "Дата", "Date", required=True),
        Column("manager", "Менеджер", "Manager", required=True),
        Column("client", "Клиент", "Client", required=True),
        Column("amount", "Сумма", "Amount", required=True),
        Column("margin", "Маржа", "Margin"),
        Column("channel", "Канал", "Channel"),
        Column("type", "Тип", "Type"),
        Column("paid", "Оплачено", "Paid"),
        Column("id", "ID", "ID"),
    ),
)

DEALS = InputTab(
    "deals",
    "Сделки",
    "Deals",
    (
        Column("lead_date", "Дата заявки", "Lead date", required=True),
        Column("manager", "Менеджер", "Manager", required=True),
        Column("client", "Клиент", "Client", required=True),
        Column("channel", "Канал", "Channel"),
        Column("first_contact", "Первый контакт", "First contact"),
        Column("touches", "Касаний", "Touches"),
        Column("temperature", "Температура", "Temperature"),
        Column("status", "Статус", "Status"),
        Column("close_date", "Дата закрытия", "Close date"),
        Column("deal_amount", "Сумма сделки", "Deal amount"),
        Column("loss_reason", "Причина отказа", "Loss reason"),
    ),
)

ACTIVITY = InputTab(
    "activity",
    "Активность",
    "Activity",
    (
        Column("date", "Дата", "Date", required=True),
        Column("manager", "Менеджер", "Manager", required=True),
        Column("calls", "Звонки", "Calls"),
        Column("meetings", "Встречи", "Meetings"),
        Column("presentations", "Презентации", "Presentations"),
        Column("proposals", "КП", "Proposals"),
    ),
)

PLAN = InputTab(
    "plan",
    "План",
    "Plan",
    (
        Column("month", "Месяц", "Month", required=True),
        Column("manager", "Менеджер", "Manager"),
        Column("plan_revenue", "План выручки", "Revenue plan"),
        Column("plan_new_clients", "План новых клиентов", "New clients plan"),
    ),
)

ROSTER = InputTab(
    "roster",
    "Мотивация",
    "Compensation",
    (
        Column("manager", "Менеджер", "Manager", required=True),
        Column("scheme", "Схема", "Scheme"),
        Column("params", "Параметры", "Parameters"),
        Column("salary", "Оклад", "Salary"),
        Column("active", "Активен", "Active"),
        # SPEC §15: versions, leavers, trial schemes
        Column("effective", "Действует с", "Effective from"),
        Column("until", "Работает до", "Works until"),
        Column("trial", "Пробная схема", "Trial scheme"),
        Column("trial_params", "Пробные параметры", "Trial parameters"),
    ),
)

# SPEC §14: one-off bonuses (+) and penalties (−) the owner enters, one line item each.
ADJUSTMENTS = InputTab(
    "adjustments",
    "Корректировки",
    "Adjustments",
    (
        Column("month", "Месяц", "Month", required=True),
        Column("manager", "Менеджер", "Manager", required=True),
        Column("amount", "Сумма", "Amount", required=True),
        Column("reason", "Причина", "Reason", required=True),
        Column("client", "Клиент", "Client"),
        Column("id", "ID", "ID"),
    ),
)

INPUT_TABS: tuple[InputTab, ...] = (SALES, DEALS, ACTIVITY, PLAN, ROSTER, ADJUSTMENTS)

# Generated tabs: key -> (ru, en) default titles.
GENERATED_TABS: dict[str, tuple[str, str]] = {
    "summary": ("Сводка", "Summary"),
    "leaderboard": ("Лидерборд", "Leaderboard"),
    "bonuses": ("Бонусы", "Bonuses"),
    "monthly": ("Помесячно", "Monthly"),
    "errors": ("Ошибки", "Errors"),
    "trial": ("Пробная схема", "Trial scheme"),  # SPEC §15; written while a trial scheme is set
}

# List values of optional columns: canonical value -> accepted spellings (normalised, see `norm`).
CHANNELS = {"inbound": ("входящий", "inbound"), "outbound": ("исходящий", "outbound")}
# `возврат` marks a refund row (SPEC §14), not a kind of client: `Inputs.sales.refund`.
CLIENT_TYPES = {
    "new": ("новый", "new"),
    "existing": ("повторный", "existing"),
    "refund": ("возврат", "refund"),
}
YES_NO = {True: ("да", "yes"), False: ("нет", "no")}
TEMPERATURES = {
    "cold": ("холодный", "cold"),
    "warm": ("тёплый", "warm"),
    "hot": ("горячий", "hot"),
}
STATUSES = {
    "open": ("в работе", "open"),
    "won": ("выиграна", "won"),
    "lost": ("проиграна", "lost"),
}
SCHEMES = {
    "tiers": ("уровни", "tiers"),
    "two_step": ("два шага", "two_step", "two step", "two-step"),
    "margin": ("маржа", "margin"),
    "fixed": ("фикс", "fixed"),
}

# Display forms for drop-down lists (init) and explanations.
LIST_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "channel": {"inbound": ("входящий", "inbound"), "outbound": ("исходящий", "outbound")},
    "type": {
        "new": ("новый", "new"),
        "existing": ("повторный", "existing"),
        "refund": ("возврат", "refund"),
    },
    "paid": {"yes": ("да", "yes"), "no": ("нет", "no")},
    "active": {"yes": ("да", "yes"), "no": ("нет", "no")},
    "temperature": {
        "cold": ("холодный", "cold"),
        "warm": ("тёплый", "warm"),
        "hot": ("горячий", "hot"),
    },
    "status": {
        "open": ("в работе", "open"),
        "won": ("выиграна", "won"),
        "lost": ("проиграна", "lost"),
    },
    "scheme": {
        "tiers": ("уровни", "tiers"),
        "two_step": ("два шага", "two_step"),
        "margin": ("маржа", "margin"),
        "fixed": ("фикс", "fixed"),
    },
}

# Problem severities (SPEC §3). The codes, what each says and how severe it is are declared
# with the rules themselves (core/inputs/rules.py and the *_rules.py modules).
ERROR = "error"
WARNING = "warning"
Severity = Literal["error", "warning"]

_SPACES = re.compile(r"[\s\u00a0\u2007\u2009\u202f\u200b\u2060\ufeff]+")
_QUOTES = "«»\"'“”„‘’`"


_QUOTE_RUN = re.compile("[" + re.escape(_QUOTES) + "]+")


def norm(text: str) -> str:
    """Identity form of a header, list value or name: trimmed, spaces collapsed, casefolded, ё→е,
    quotes ignored (SPEC §2, §2.6).

    Quotes are ignored wherever they stand, not only around the whole text: people write
    `ООО «Ромашка»`, `ООО "Ромашка"` and `ООО Ромашка` for one client.
    """
    unquoted = _QUOTE_RUN.sub(" ", str(text))
    return _SPACES.sub(" ", unquoted).strip().casefold().replace("ё", "е")


def display(text: str) -> str:
    """Display form of a name: trimmed and inner spaces collapsed, case kept."""
    return _SPACES.sub(" ", str(text)).strip()


def match_header(tab: InputTab, header: object) -> str | None:
    """The column key a typed header means, or None for an unknown column."""
    if header is None:
        return None
    wanted = norm(str(header))
    if not wanted:
        return None
    for column in tab.columns:
        if wanted in (norm(column.ru), norm(column.en)):
            return column.key
    return None


def lookup(values: dict, raw: object) -> object | None:
    """Canonical value of a list column (`CHANNELS`, `STATUSES`, ...) or None if not in the list."""
    wanted = norm(str(raw))
    for canonical, spellings in values.items():
        if wanted in (norm(s) for s in spellings):
            return canonical
    return None
