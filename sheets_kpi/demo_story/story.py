"""The demo's shared state: its months, clients and random generator, and the records it builds.

Every part of the story (clients, plan, sales, deals, activity) draws from the one seeded
`random.Random` held here, in a fixed order, so the demo is the same for the same `as_of`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from sheets_kpi.core.inputs.schema import Language
from sheets_kpi.core.months import add_months, days_in_month, first_day, month_of
from sheets_kpi.core.output.initplan import list_label
from sheets_kpi.demo_story.cast import BRANDS, KINDS, MANAGERS, MONTHS, SEED, SURNAMES


@dataclass
class Payment:
    day: date
    amount: int
    paid: bool = True
    retainer: bool = False  # a monthly fee or support after the first month, not a first check


@dataclass
class Client:
    name: str
    manager: int
    service: str
    channel: str  # "inbound" | "outbound"
    existing: bool = False
    payments: list[Payment] = field(default_factory=list)
    logged_by: dict[int, int] = field(default_factory=dict)  # payment index -> other manager


@dataclass
class SalesRow:
    day: date | str
    manager: str
    client: str
    amount: object
    margin: int | None
    channel: str | None
    type: str | None
    paid: str
    id: int | None = None
    sort_key: tuple[date, int] = (date.min, 0)


class Story:
    """The demo agency's invented history, relative to `as_of`."""

    def __init__(self, as_of: date, language: Language) -> None:
        self.as_of = as_of
        self.language = language
        self.rng = random.Random(SEED)
        self.current = month_of(as_of)
        self.months = [add_months(self.current, index - MONTHS + 1) for index in range(MONTHS)]
        self.clients: list[Client] = []
        self.names = self._name_pool()
        self.won_unpaid: list[tuple[Client, date, int]] = []  # new clients not paid yet

    def manager_name(self, index: int) -> str:
        manager = MANAGERS[index]
        return manager.name_ru if self.language == "ru" else manager.name_en

    def label(self, list_key: str, value: str) -> str:
        return list_label(list_key, value, self.language)

    def day_in(self, month_index: int, day: int) -> date:
        month = self.months[month_index]
        return first_day(month).replace(day=min(day, days_in_month(month)))

    def _name_pool(self) -> list[str]:
        reserved = {"Ромашка", "Соколов", "Зерно", "Улыбка", "Мельников"}
        names = [f"ИП {surname}" for surname in SURNAMES if surname not in reserved]
        for kind in KINDS:
            for brand in BRANDS:
                if brand in reserved:
                    continue
                names.append(f"ООО {brand}" if kind == "ООО" else f"{kind} «{brand}»")
        self.rng.shuffle(names)
        return names

    def next_name(self) -> str:
        return self.names.pop()

    def revenue(self, manager: int, month_index: int) -> int:
        """Paid revenue `manager` logged in month `month_index`, as the bot will count it."""
        month = self.months[month_index]
        total = 0
        for client in self.clients:
            for index, payment in enumerate(client.payments):
                logged = client.logged_by.get(index, client.manager)
                if logged == manager and payment.paid and month_of(payment.day) == month:
                    total += payment.amount
        return total
