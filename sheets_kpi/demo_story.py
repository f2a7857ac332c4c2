"""The demo agency's story: a year and two months of a small Russian digital agency (SPEC §10).

`demo_rows` invents the input tabs (pure and deterministic: a seeded `random.Random`, no clock);
`sheets_kpi/demo.py` writes them into a workbook. The story the data tells, so every generated
tab has something to show:

- seven managers on every bonus scheme; one (Ольга) has left and is inactive;
- Мария misses her plan in each of the two last complete months (`plan_missed_2_months`);
- Дмитрий's plan for the current month rises by half (`plan_spike`);
- «Стоматология Улыбка», Анна's client, had one payment logged by Игорь (`shared_client`);
- «ООО Ромашка» and «ИП Соколов» were clients before the log started (`повторный`);
- a few unpaid invoices, a few amounts typed as text (`120 000 ₽`), «Ковалев» typed without «ё»;
- one row of each common mistake (a future date, 31 February, an empty client, a negative
  amount, a manager's name with a typo, a repeated `ID`, an unknown channel), about 1 % of rows;
- Сергей calls least and answers leads slowest; Сделки and Активность agree with the sales.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from sheets_kpi.core.inputs.schema import INPUT_TABS, Language
from sheets_kpi.core.months import add_months, days_in_month, first_day, month_of
from sheets_kpi.core.output.initplan import list_label

MONTHS = 14  # the demo covers this many months, the last one being the month of `as_of`
SEED = 20261122

_SAME_ID_AS_ABOVE = -1


@dataclass(frozen=True)
class _Manager:
    name_ru: str
    name_en: str
    scheme: str  # canonical scheme key
    params_ru: str
    params_en: str
    salary: int
    new_clients: tuple[int, ...]  # choices of new clients per month
    services: tuple[str, ...]
    calls_per_day: int
    contact_hours: tuple[int, int]  # hours after midnight of the lead date, for first contact
    active_until: int = MONTHS  # month index (0-based) from which the manager no longer works


_ANNA, _DMITRY, _EKATERINA, _IGOR, _MARIA, _SERGEY, _OLGA = range(7)
_MISSES_PLAN = _MARIA
_PLAN_SPIKE = _DMITRY
_HOLIDAY_MONTH = MONTHS - 4  # month index of Анна's holiday
_SLOW_AND_QUIET = _SERGEY

_MANAGERS: tuple[_Manager, ...] = (
    _Manager("Анна Смирнова", "Anna Smirnova", "two_step", "15%; 15%; 4", "15%; 15%; 4", 60000,
             (1, 2, 2, 3), ("seo", "context", "site"), 16, (9, 15)),
    _Manager("Дмитрий Ковалёв", "Dmitry Kovalev", "tiers", "100000=25000; 150000=35000",
             "100000=25000; 150000=35000", 55000, (1, 1, 2, 2), ("site", "seo", "context"), 15,
             (9, 17)),
    _Manager("Екатерина Орлова", "Ekaterina Orlova", "margin", "50%", "50%", 50000,
             (1, 1, 2), ("context", "smm", "seo"), 14, (10, 16)),
    _Manager("Игорь Петров", "Igor Petrov", "fixed", "10000; входящие", "10000; inbound", 45000,
             (0, 1, 1, 2), ("smm", "landing", "context"), 13, (9, 18)),
    _Manager("Мария Лебедева", "Maria Lebedeva", "two_step", "10%; 20%; 3", "10%; 20%; 3", 50000,
             (1, 1, 2), ("smm", "context", "seo"), 14, (10, 19)),
    _Manager("Сергей Волков", "Sergey Volkov", "tiers",
             "80000=15000; 120000=25000; 200000=45000", "80000=15000; 120000=25000; 200000=45000",
             45000, (0, 1, 1), ("seo", "site"), 6, (33, 60)),
    _Manager("Ольга Никитина", "Olga Nikitina", "tiers", "", "", 40000, (0, 1, 1),
             ("smm", "context"), 12, (9, 16), active_until=9),
)  # fmt: skip

# service -> (monthly fee range in thousands, margin share, possible paying months)
_SERVICES: dict[str, tuple[tuple[int, int], float, tuple[int, ...]]] = {
    "seo": ((40, 120), 0.55, (2, 3, 4, 5, 6, 8, 10, 12, 14)),
    "context": ((30, 90), 0.35, (1, 2, 3, 4, 5, 6, 9, 12)),
    "smm": ((35, 80), 0.45, (1, 2, 3, 3, 4, 6, 8)),
    "landing": ((60, 120), 0.5, (1,)),
    "site": ((150, 420), 0.4, (1,)),
}

_KINDS = (
    "ООО", "Кофейня", "Стоматология", "Автосервис", "Фитнес-клуб", "Клиника", "Салон красоты",
    "Ресторан", "Пекарня", "Школа английского", "Детский центр", "Ветклиника", "Турагентство",
    "Мебельная фабрика", "Юридическая компания", "Строительная компания", "Интернет-магазин",
    "Агентство недвижимости", "Гостиница", "Автошкола", "Цветочный салон", "Типография",
    "Кондитерская", "Барбершоп", "Транспортная компания",
)  # fmt: skip
_BRANDS = (
    "Зерно", "Мотор", "Атлант", "Лаванда", "Радуга", "Пальма", "Флора", "Колосок",
    "Сезоны", "Уют", "Север", "Вектор", "Гранит", "Меридиан", "Орбита", "Созвездие", "Каскад",
    "Лотос", "Парус", "Эталон", "Горизонт", "Альянс", "Магнит", "Сфера", "Форвард", "Баланс",
    "Янтарь", "Бриз", "Кедр", "Олимп", "Полёт", "Дуэт", "Фортуна", "Феникс", "Пионер", "Мастер",
    "Престиж", "Кристалл", "Подсолнух",
)  # fmt: skip
_SURNAMES = (
    "Кузнецова", "Морозов", "Васильев", "Павлова", "Семёнов", "Голубев", "Виноградова",
    "Богданов", "Воробьёв", "Фёдоров", "Михайлова", "Беляев", "Тарасов", "Белова", "Комаров",
    "Киселёв", "Макаров", "Андреева", "Зайцев", "Соловьёва", "Борисов", "Яковлев", "Григорьева",
    "Романов", "Захаров", "Гусева", "Титов", "Кудрявцев", "Баранова", "Куликов",
)  # fmt: skip

_LOSS_REASONS: tuple[tuple[str, str, int], ...] = (
    ("дорого", "too expensive", 5),
    ("выбрали другое агентство", "chose another agency", 4),
    ("не вышли на ЛПР", "could not reach the decision maker", 3),
    ("пропала потребность", "no longer needed", 2),
    ("не устроили сроки", "timing did not suit", 1),
    ("нет бюджета", "no budget", 2),
)


@dataclass
class _Payment:
    day: date
    amount: int
    paid: bool = True


@dataclass
class _Client:
    name: str
    manager: int
    service: str
    channel: str  # "inbound" | "outbound"
    existing: bool = False
    payments: list[_Payment] = field(default_factory=list)
    logged_by: dict[int, int] = field(default_factory=dict)  # payment index -> other manager


@dataclass
class _SalesRow:
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


class _Story:
    """The demo agency's invented history, relative to `as_of`."""

    def __init__(self, as_of: date, language: Language) -> None:
        self.as_of = as_of
        self.language = language
        self.rng = random.Random(SEED)
        self.current = month_of(as_of)
        self.months = [add_months(self.current, index - MONTHS + 1) for index in range(MONTHS)]
        self.clients: list[_Client] = []
        self.names = self._name_pool()
        self.won_unpaid: list[tuple[_Client, date, int]] = []  # new clients not paid yet

    # -- helpers -------------------------------------------------------------------------
    def manager_name(self, index: int) -> str:
        manager = _MANAGERS[index]
        return manager.name_ru if self.language == "ru" else manager.name_en

    def label(self, list_key: str, value: str) -> str:
        return list_label(list_key, value, self.language)

    def day_in(self, month_index: int, day: int) -> date:
        month = self.months[month_index]
        return first_day(month).replace(day=min(day, days_in_month(month)))

    def _name_pool(self) -> list[str]:
        reserved = {"Ромашка", "Соколов", "Зерно", "Улыбка", "Мельников"}
        names = [f"ИП {surname}" for surname in _SURNAMES if surname not in reserved]
        for kind in _KINDS:
            for brand in _BRANDS:
                if brand in reserved:
                    continue
                names.append(f"ООО {brand}" if kind == "ООО" else f"{kind} «{brand}»")
        self.rng.shuffle(names)
        return names

    def next_name(self) -> str:
        return self.names.pop()

    # -- sales -----------------------------------------------------------------------------
    def add_client(
        self, manager: int, start: int, service: str | None = None, name: str | None = None
    ) -> _Client:
        """A new client of `manager` first paying in month `start`, with its payments."""
        rng = self.rng
        profile = _MANAGERS[manager]
        service = service or rng.choice(profile.services)
        (low, high), _, durations = _SERVICES[service]
        inbound_share = 0.75 if manager == _IGOR else 0.55
        channel = "inbound" if rng.random() < inbound_share else "outbound"
        client = _Client(name or self.next_name(), manager, service, channel)
        fee = rng.randint(low, high) * 1000
        pay_day = rng.randint(2, 25)  # the first payment: any working day the deal is signed
        # Retainers and support are paid in advance, by the 3rd of each later month (so a
        # month that has just begun already has a few payments on the leaderboard).
        advance_day = 1 + pay_day % 3
        last = min(MONTHS, profile.active_until)
        if service == "site":
            # half in advance, the rest on delivery (the same month or the next), then support
            client.payments.append(_Payment(self.day_in(start, pay_day), fee // 2))
            finish = start if rng.random() < 0.5 else start + 1
            if finish < last:
                client.payments.append(_Payment(self.day_in(finish, pay_day + 3), fee - fee // 2))
            support = rng.choice((0, 0, 3, 5, 8))
            for month_index in range(finish + 1, min(last, finish + 1 + support)):
                client.payments.append(_Payment(self.day_in(month_index, advance_day), 25000))
        else:
            duration = rng.choice(durations)
            if manager == _MISSES_PLAN:
                duration = min(duration, 4)  # her clients leave early: she ends up short
            month_index = start
            while duration > 0 and month_index < last:
                amount = fee
                if service == "context":  # the fee follows the ad budget
                    amount = round(fee * rng.uniform(0.85, 1.15), -3)
                day = pay_day if month_index == start else advance_day
                client.payments.append(_Payment(self.day_in(month_index, day), int(amount)))
                duration -= 1
                month_index += 2 if rng.random() < 0.08 else 1  # a skipped month now and then
        self.clients.append(client)
        return client

    def build_clients(self) -> None:
        rng = self.rng
        # clients from before the log started: existing, never new
        romashka = _Client("ООО Ромашка", _ANNA, "seo", "inbound", existing=True)
        romashka.payments = [_Payment(self.day_in(m, 5), 85000) for m in range(MONTHS)]
        sokolov = _Client("ИП Соколов", _EKATERINA, "context", "outbound", existing=True)
        sokolov.payments = [
            _Payment(self.day_in(m, 12), int(round(45000 * rng.uniform(0.9, 1.1), -3)))
            for m in range(MONTHS)
            if m != 6
        ]
        self.clients += [romashka, sokolov]
        # one client whose payments two managers logged: Игорь stood in for Анна on holiday
        smile = self.add_client(_ANNA, 2, "seo", "Стоматология «Улыбка»")
        smile.payments = [_Payment(self.day_in(m, 8), 70000) for m in range(2, MONTHS)]
        smile.logged_by[_HOLIDAY_MONTH - 2] = _IGOR
        # the same café written two ways later (case, a double space): still one client
        self.add_client(_IGOR, 4, "smm", 'Кофейня "Зерно"')
        # a one-off check just above the first tier, never paying again
        fake = self.add_client(_DMITRY, MONTHS - 5, "landing", "ИП Мельников")
        fake.payments = [_Payment(self.day_in(MONTHS - 5, 17), 102000)]
        for manager_index, profile in enumerate(_MANAGERS):
            for month_index in range(min(MONTHS, profile.active_until)):
                count = rng.choice(profile.new_clients)
                if manager_index == _MISSES_PLAN and month_index >= MONTHS - 4:
                    count = rng.choice((0, 0, 1))
                for _ in range(count):
                    self.add_client(manager_index, month_index)
        # the current month has only happened up to as_of
        for client in self.clients:
            client.payments = [p for p in client.payments if p.day <= self.as_of]

    def revenue(self, manager: int, month_index: int) -> int:
        month = self.months[month_index]
        total = 0
        for client in self.clients:
            for index, payment in enumerate(client.payments):
                logged = client.logged_by.get(index, client.manager)
                if logged == manager and payment.paid and month_of(payment.day) == month:
                    total += payment.amount
        return total

    def shortfall(self, plan: dict[tuple[int, int], int]) -> None:
        """Make sure Мария is below plan in the two last complete months: her clients were late."""
        for month_index in (MONTHS - 3, MONTHS - 2):
            target = plan[(_MISSES_PLAN, month_index)]
            month = self.months[month_index]
            late = [
                (payment.amount, client_index, payment_index)
                for client_index, client in enumerate(self.clients)
                if client.manager == _MISSES_PLAN
                for payment_index, payment in enumerate(client.payments)
                if payment_index > 0 and month_of(payment.day) == month
            ]
            for _, client_index, payment_index in sorted(late, reverse=True):
                if self.revenue(_MISSES_PLAN, month_index) < target * 0.92:
                    break
                self.clients[client_index].payments[payment_index].paid = False
            for client in self.clients:  # a late payment is simply not in the log yet
                client.payments = [p for p in client.payments if p.paid]

    # -- plan --------------------------------------------------------------------------------
    def build_plan(self) -> dict[tuple[int, int], int]:
        rng = self.rng
        plan: dict[tuple[int, int], int] = {}
        last_complete = (MONTHS - 3, MONTHS - 2)
        for manager_index, profile in enumerate(_MANAGERS):
            previous: int | None = None
            for month_index in range(min(MONTHS - 1, profile.active_until)):
                revenue = self.revenue(manager_index, month_index)
                target = max(50000, _round_to(revenue * rng.uniform(0.85, 1.15), 10000))
                if previous is not None:  # plans move smoothly: never a spike in the past
                    target = min(
                        max(target, _round_to(previous * 0.85, 10000)),
                        _floor_to(previous * 1.25, 10000),
                    )
                if month_index in last_complete:
                    if manager_index == _MISSES_PLAN:
                        target = max(target, _round_to(revenue * rng.uniform(1.12, 1.3), 10000))
                        if previous is not None:
                            target = min(target, _floor_to(previous * 1.28, 10000))
                    else:
                        target = min(target, _floor_to(revenue * 0.97, 10000))
                if target > 0:
                    plan[(manager_index, month_index)] = target
                    previous = target
        self.shortfall(plan)
        for manager_index, profile in enumerate(_MANAGERS):
            previous = plan.get((manager_index, MONTHS - 2))
            if previous is None or profile.active_until < MONTHS:
                continue
            rise = 1.5 if manager_index == _PLAN_SPIKE else rng.uniform(1.0, 1.12)
            if manager_index == _MISSES_PLAN:
                rise = 1.0
            plan[(manager_index, MONTHS - 1)] = _floor_to(previous * rise, 10000)
        return plan

    def plan_rows(self, plan: dict[tuple[int, int], int]) -> list[list[object]]:
        rows: list[list[object]] = []
        new_counts: dict[int, int] = {}
        for client in self.clients:
            if not client.existing and client.payments:
                new_counts[client.manager] = new_counts.get(client.manager, 0) + 1
        for month_index, month in enumerate(self.months):
            managers = [m for m in range(len(_MANAGERS)) if (m, month_index) in plan]
            if month_index >= MONTHS - 3:  # the owner set a team target for the last months
                team = sum(plan[(m, month_index)] for m in managers)
                rows.append([self.month_cell(month), None, _ceil_to(team, 100000), None])
            for manager_index in managers:
                wanted = max(1, round(new_counts.get(manager_index, 0) / MONTHS))
                rows.append(
                    [
                        month,
                        self.manager_name(manager_index),
                        plan[(manager_index, month_index)],
                        wanted,
                    ]
                )
        return rows

    def month_cell(self, month: str) -> str:
        """A team row's month the way an owner types it: «ноябрь 2026»."""
        if self.language != "ru":
            return month
        names = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
                 "сентябрь", "октябрь", "ноябрь", "декабрь")  # fmt: skip
        return f"{names[int(month[5:7]) - 1]} {month[:4]}"

    def sales_rows(self) -> list[_SalesRow]:
        rng = self.rng
        rows: list[_SalesRow] = []
        for client_index, client in enumerate(self.clients):
            margin_share = _SERVICES[client.service][1]
            for payment_index, payment in enumerate(client.payments):
                logged = client.logged_by.get(payment_index, client.manager)
                manager = self.manager_name(logged)
                if logged == _DMITRY and self.language == "ru" and rng.random() < 0.3:
                    manager = manager.replace("ё", "е")  # typed without «ё»: still him
                name = client.name
                if payment_index > 0 and name == 'Кофейня "Зерно"':
                    name = 'кофейня  "Зерно"'  # another case, a double space: the same café
                first = payment_index == 0
                kind = "existing" if client.existing or not first else "new"
                margin = int(round(payment.amount * margin_share * rng.uniform(0.9, 1.1), -2))
                rows.append(
                    _SalesRow(
                        day=payment.day,
                        manager=manager,
                        client=name,
                        amount=payment.amount,
                        margin=margin,
                        channel=self.label("channel", client.channel),
                        type=None
                        if (not first and rng.random() < 0.1)
                        else self.label("type", kind),
                        paid=self.label("paid", "yes" if payment.paid else "no"),
                        sort_key=(payment.day, client_index * 100 + payment_index),
                    )
                )
        rows.sort(key=lambda row: row.sort_key)
        # a few amounts typed as text, with normal, non-breaking and thin spaces
        texts = ("{} ₽", "{} руб.", "{} ₽", "{}")
        spaces = (" ", "\u00a0", " ", "\u2009")
        for number, row in enumerate(rng.sample(rows, 6)):
            assert isinstance(row.amount, int)
            digits = f"{row.amount:,}".replace(",", spaces[number % len(spaces)])
            row.amount = texts[number % len(texts)].format(digits)
        return rows

    def unpaid_rows(self) -> list[_SalesRow]:
        """Invoices sent this month and not paid yet: regular clients, and two brand-new ones."""
        start = first_day(self.current)
        invoice_day = min(self.as_of, start + timedelta(days=1))
        paid_now = {
            c.name for c in self.clients for p in c.payments if month_of(p.day) == self.current
        }
        previous = self.months[-2]
        waiting = [
            c
            for c in self.clients
            if c.name not in paid_now and any(month_of(p.day) == previous for p in c.payments)
        ]
        rows = []
        for client in self.rng.sample(waiting, min(3, len(waiting))):
            amount = client.payments[-1].amount
            rows.append(self._unpaid(client, invoice_day, amount, "existing"))
        for manager in (_ANNA, _EKATERINA):
            client = _Client(self.next_name(), manager, "seo", "inbound")
            self.won_unpaid.append((client, invoice_day, 90000))
            rows.append(self._unpaid(client, invoice_day, 90000, "new"))
        return rows

    def _unpaid(self, client: _Client, day: date, amount: int, kind: str) -> _SalesRow:
        return _SalesRow(
            day=day,
            manager=self.manager_name(client.manager),
            client=client.name,
            amount=amount,
            margin=int(amount * _SERVICES[client.service][1]),
            channel=self.label("channel", client.channel),
            type=self.label("type", kind),
            paid=self.label("paid", "no"),
            sort_key=(day, 10**9),
        )

    def mistakes(self, rows: list[_SalesRow]) -> None:
        """Add one row of each common logging mistake, and one unknown channel, to `rows`."""
        rng = self.rng
        yes = self.label("paid", "yes")
        new = self.label("type", "new")
        again = self.label("type", "existing")
        inbound = self.label("channel", "inbound")
        outbound = self.label("channel", "outbound")
        # a copy-pasted row with the ID of the row above (ids are given after sorting)
        paid = [r for r in rows if r.paid == yes and isinstance(r.amount, int)]
        current = [r for r in paid if isinstance(r.day, date) and month_of(r.day) == self.current]
        original = current[0] if current else paid[-1]
        copy = replace(original, id=_SAME_ID_AS_ABOVE)
        position = next(i for i, row in enumerate(rows) if row is original)
        rows.insert(position + 1, copy)
        # a channel outside the list on a repeat payment (a warning: the row still counts)
        repeat = [
            r
            for r in rows
            if r.type == again and r.paid == yes and r.channel and r not in (original, copy)
        ]
        rng.choice(repeat[len(repeat) // 2 :]).channel = (
            "сарафан" if self.language == "ru" else "word of mouth"
        )
        # a payment logged before it came in
        ahead = self.as_of + timedelta(days=9)
        rows.append(
            _SalesRow(ahead, self.manager_name(_ANNA), "ООО Ромашка", 85000, 46000, inbound,
                      again, yes, sort_key=(ahead, 0))
        )  # fmt: skip
        # 31 February: there is no such day
        february = next(m for m in self.months if m.endswith("-02"))
        rows.append(
            _SalesRow(f"31.02.{february[:4]}", self.manager_name(_EKATERINA), "ИП Соколов", 44000,
                      15000, outbound, again, yes, sort_key=(first_day(add_months(february, 1)), 0))
        )  # fmt: skip
        # an empty client, this month
        recent = max(first_day(self.current), self.as_of - timedelta(days=2))
        rows.append(
            _SalesRow(recent, self.manager_name(_IGOR), "", 30000, 13000, inbound, new, yes,
                      sort_key=(recent, 10**9 + 1))
        )  # fmt: skip
        # a refund typed as a negative payment
        refund = self.day_in(MONTHS - 3, 27)
        rows.append(
            _SalesRow(refund, self.manager_name(_DMITRY), "ИП Мельников", -45000, None, None,
                      again, yes, sort_key=(refund, 10**9))
        )  # fmt: skip
        # a typo in a manager's name, close to «Сергей Волков»
        typo = "Сергей Волкв" if self.language == "ru" else "Sergey Volkv"
        client = next((c.name for c in self.clients if c.manager == _SERGEY), "ООО Ромашка")
        slipped = self.day_in(MONTHS - 2, 3)
        rows.append(
            _SalesRow(slipped, typo, client, 60000, 33000, outbound, again, yes,
                      sort_key=(slipped, 10**9))
        )  # fmt: skip

    # -- deals and activity ------------------------------------------------------------------
    def deal_rows(self) -> list[list[object]]:
        rng = self.rng
        won = self.label("status", "won")
        lost = self.label("status", "lost")
        open_ = self.label("status", "open")
        hot, warm, cold = (self.label("temperature", t) for t in ("hot", "warm", "cold"))
        deals: list[tuple[date, int, list[object]]] = []

        def contact(manager: int, lead: date) -> datetime:
            low, high = _MANAGERS[manager].contact_hours
            moment = datetime(lead.year, lead.month, lead.day) + timedelta(
                hours=rng.randint(low, high), minutes=rng.choice((0, 10, 20, 30, 40, 50))
            )
            return min(moment, datetime(self.as_of.year, self.as_of.month, self.as_of.day, 9))

        def add(
            lead: date,
            manager: int,
            client: str,
            channel: str,
            touches: int,
            temperature: str,
            status: str,
            *,
            first: datetime | None,
            close: date | None = None,
            amount: int | None = None,
            reason: str | None = None,
        ) -> None:
            cells: list[object] = [lead, self.manager_name(manager), client, channel, first]
            cells += [touches, temperature, status, close, amount, reason]
            deals.append((lead, len(deals), cells))

        won_clients = [
            (c, c.payments[0].day, _month1_check(c))
            for c in self.clients
            if not c.existing and c.payments
        ]
        won_clients += self.won_unpaid
        for client, first_payment, amount in won_clients:
            cycle = rng.randint(5, 35)
            lead = first_payment - timedelta(days=cycle)
            close = first_payment - timedelta(days=rng.randint(0, min(5, cycle)))
            temperature = hot if rng.random() < 0.8 else warm
            channel = self.label("channel", client.channel)
            add(lead, client.manager, client.name, channel, rng.randint(3, 12), temperature, won,
                first=contact(client.manager, lead), close=close, amount=amount)  # fmt: skip
        reasons = [
            (ru if self.language == "ru" else en)
            for ru, en, weight in _LOSS_REASONS
            for _ in range(weight)
        ]
        for manager, profile in enumerate(_MANAGERS):
            for month_index in range(min(MONTHS, profile.active_until)):
                for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
                    lead = self.day_in(month_index, rng.randint(1, 28))
                    if lead > self.as_of:
                        continue
                    close = lead + timedelta(days=rng.randint(3, 40))
                    first = contact(manager, lead) if rng.random() < 0.9 else None
                    channel = self.label("channel", rng.choice(("inbound", "outbound")))
                    quoted = rng.randint(4, 30) * 10000 if rng.random() < 0.7 else None
                    if close > self.as_of or (month_index >= MONTHS - 2 and rng.random() < 0.7):
                        temperature = rng.choice((cold, warm, warm, hot))
                        add(lead, manager, self.next_name(), channel, rng.randint(0, 6),
                            temperature, open_, first=first, amount=quoted)  # fmt: skip
                    else:
                        temperature = rng.choice((cold, warm))
                        add(lead, manager, self.next_name(), channel, rng.randint(1, 7),
                            temperature, lost, first=first, close=close, amount=quoted,
                            reason=rng.choice(reasons))  # fmt: skip
        # leads nobody has closed for months: stale
        outbound = self.label("channel", "outbound")
        for manager, days_ago in ((_SERGEY, 95), (_SERGEY, 120), (_MARIA, 75)):
            lead = self.as_of - timedelta(days=days_ago)
            add(lead, manager, self.next_name(), outbound, 2, warm, open_,
                first=contact(manager, lead), amount=150000)  # fmt: skip
        # this week's fresh leads: the strong three already have hot ones
        inbound = self.label("channel", "inbound")
        for manager, profile in enumerate(_MANAGERS):
            if profile.active_until < MONTHS:
                continue
            lead = self.as_of - timedelta(days=rng.randint(0, 6))
            temperature = hot if manager in (_ANNA, _DMITRY, _EKATERINA) else warm
            add(lead, manager, self.next_name(), inbound, 1, temperature, open_,
                first=contact(manager, lead), amount=rng.randint(6, 20) * 10000)  # fmt: skip
        # a lost deal without a reason: a warning, counted as «не указана»
        lost_rows = [cells for _, _, cells in deals if cells[7] == lost]
        lost_rows[len(lost_rows) // 2][10] = None
        deals.sort(key=lambda deal: (deal[0], deal[1]))
        return [cells for _, _, cells in deals]

    def activity_rows(self) -> list[list[object]]:
        rng = self.rng
        rows: list[list[object]] = []
        day = first_day(self.months[0])
        # Анна's holiday, when Игорь logged «Улыбка»'s payment for her
        holiday = (self.day_in(_HOLIDAY_MONTH, 6), self.day_in(_HOLIDAY_MONTH, 18))
        while day <= self.as_of:
            month_index = self.months.index(month_of(day))
            if day.weekday() < 5:
                for manager, profile in enumerate(_MANAGERS):
                    if month_index >= profile.active_until or rng.random() < 0.06:
                        continue
                    if manager == _ANNA and holiday[0] <= day <= holiday[1]:
                        continue
                    quiet = manager == _SLOW_AND_QUIET
                    calls = max(
                        0, round(rng.gauss(profile.calls_per_day, profile.calls_per_day * 0.3))
                    )
                    meetings = rng.choice((0, 0, 0, 1) if quiet else (0, 0, 1, 1, 2))
                    presentations = rng.choice((0, 0, 0, 0, 1) if quiet else (0, 0, 0, 1))
                    proposals = rng.choice((0, 0, 1) if quiet else (0, 0, 1, 1, 2))
                    rows.append(
                        [day, self.manager_name(manager), calls, meetings, presentations, proposals]
                    )
            day += timedelta(days=1)
        return rows

    def roster_rows(self) -> list[list[object]]:
        rows: list[list[object]] = []
        for index, profile in enumerate(_MANAGERS):
            ru = self.language == "ru"
            rows.append([
                self.manager_name(index),
                self.label("scheme", profile.scheme),
                (profile.params_ru if ru else profile.params_en) or None,
                profile.salary,
                self.label("active", "yes" if profile.active_until >= MONTHS else "no"),
            ])  # fmt: skip
        return rows

    def build(self) -> dict[str, list[list[object]]]:
        self.build_clients()
        plan = self.build_plan()
        sales = self.sales_rows() + self.unpaid_rows()
        sales.sort(key=lambda row: row.sort_key)
        self.mistakes(sales)
        sales.sort(key=lambda row: row.sort_key)
        next_id = 1
        for row in sales:
            if row.id == _SAME_ID_AS_ABOVE:
                row.id = next_id - 1
            else:
                row.id = next_id
                next_id += 1
        headers = {
            tab.key: [column.label(self.language) for column in tab.columns] for tab in INPUT_TABS
        }
        return {
            "sales": [headers["sales"]]
            + [
                [r.day, r.manager, r.client, r.amount, r.margin, r.channel, r.type, r.paid, r.id]
                for r in sales
            ],
            "deals": [headers["deals"], *self.deal_rows()],
            "activity": [headers["activity"], *self.activity_rows()],
            "plan": [headers["plan"], *self.plan_rows(plan)],
            "roster": [headers["roster"], *self.roster_rows()],
        }


def _round_to(value: float, step: int) -> int:
    return round(value / step) * step


def _floor_to(value: float, step: int) -> int:
    return int(value // step) * step


def _ceil_to(value: float, step: int) -> int:
    return -int(-value // step) * step


def _month1_check(client: _Client) -> int:
    first = month_of(client.payments[0].day)
    return sum(p.amount for p in client.payments if month_of(p.day) == first)


def demo_rows(as_of: date, language: Language = "ru") -> dict[str, list[list[object]]]:
    """Header row and data rows of every input tab of the demo agency, by tab key.

    Deterministic for a given `as_of` and language; the data spans the 14 months ending with
    the month of `as_of` and never dates a row after it, except the one deliberate mistake.
    """
    return _Story(as_of, language).build()
