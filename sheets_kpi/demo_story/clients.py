"""The demo's clients and their payments: who paid whom, when and how much."""

from __future__ import annotations

from datetime import date

from sheets_kpi.core.months import month_of
from sheets_kpi.demo_story.cast import (
    ANNA,
    DMITRY,
    EKATERINA,
    HOLIDAY_MONTH,
    IGOR,
    MANAGERS,
    MISSES_PLAN,
    MONTHS,
    SERVICES,
)
from sheets_kpi.demo_story.story import Client, Payment, Story


def add_client(
    story: Story, manager: int, start: int, service: str | None = None, name: str | None = None
) -> Client:
    """A new client of `manager` first paying in month `start`, with its payments."""
    rng = story.rng
    profile = MANAGERS[manager]
    service = service or rng.choice(profile.services)
    (low, high), _, durations = SERVICES[service]
    inbound_share = 0.75 if manager == IGOR else 0.55
    channel = "inbound" if rng.random() < inbound_share else "outbound"
    client = Client(name or story.next_name(), manager, service, channel)
    fee = rng.randint(low, high) * 1000
    # The first payment: any working day the deal is signed. Retainers and support are then
    # paid each month on that same day of the month, so a month's payments are spread over
    # its days and a month in progress on pace looks on pace (`pay_in_advance` moves one
    # client per manager to the 1st or 2nd, so a month just begun is not all 0 ₽).
    pay_day = rng.randint(2, 25)
    last = min(MONTHS, profile.active_until)
    if service == "site":
        # half in advance, the rest on delivery (the same month or the next), then support
        client.payments.append(Payment(story.day_in(start, pay_day), fee // 2))
        finish = start if rng.random() < 0.5 else start + 1
        if finish < last:
            client.payments.append(Payment(story.day_in(finish, pay_day + 3), fee - fee // 2))
        support = rng.choice((0, 0, 3, 5, 8))
        for month_index in range(finish + 1, min(last, finish + 1 + support)):
            client.payments.append(
                Payment(story.day_in(month_index, pay_day), 25000, retainer=True)
            )
    else:
        duration = rng.choice(durations)
        if manager == MISSES_PLAN:
            duration = min(duration, 4)  # her clients leave early: she ends up short
        month_index = start
        while duration > 0 and month_index < last:
            amount = fee
            if service == "context":  # the fee follows the ad budget
                amount = round(fee * rng.uniform(0.85, 1.15), -3)
            retainer = month_index != start
            client.payments.append(
                Payment(story.day_in(month_index, pay_day), int(amount), retainer=retainer)
            )
            duration -= 1
            month_index += 2 if rng.random() < 0.08 else 1  # a skipped month now and then
    story.clients.append(client)
    return client


def build_clients(story: Story) -> None:
    """Every client of the story with its payments up to `as_of`, on `story.clients`."""
    rng = story.rng
    # clients from before the log started: existing, never new
    romashka = Client("ООО Ромашка", ANNA, "seo", "inbound", existing=True)
    romashka.payments = [Payment(story.day_in(m, 5), 85000) for m in range(MONTHS)]
    sokolov = Client("ИП Соколов", EKATERINA, "context", "outbound", existing=True)
    sokolov.payments = [
        Payment(story.day_in(m, 12), int(round(45000 * rng.uniform(0.9, 1.1), -3)))
        for m in range(MONTHS)
        if m != 6
    ]
    story.clients += [romashka, sokolov]
    # one client whose payments two managers logged: Игорь stood in for Анна on holiday
    smile = add_client(story, ANNA, 2, "seo", "Стоматология «Улыбка»")
    smile.payments = [Payment(story.day_in(m, 8), 70000) for m in range(2, MONTHS)]
    smile.logged_by[HOLIDAY_MONTH - 2] = IGOR
    # the same café written two ways later (case, a double space): still one client
    add_client(story, IGOR, 4, "smm", 'Кофейня "Зерно"')
    # a one-off check just above the first tier, never paying again
    fake = add_client(story, DMITRY, MONTHS - 5, "landing", "ИП Мельников")
    fake.payments = [Payment(story.day_in(MONTHS - 5, 17), 102000)]
    for manager_index, profile in enumerate(MANAGERS):
        for month_index in range(min(MONTHS, profile.active_until)):
            count = rng.choice(profile.new_clients)
            if manager_index == MISSES_PLAN and month_index >= MONTHS - 4:
                count = rng.choice((0, 0, 1))
            for _ in range(count):
                add_client(story, manager_index, month_index)
    pay_in_advance(story)
    # the current month has only happened up to as_of
    for client in story.clients:
        client.payments = [p for p in client.payments if p.day <= story.as_of]


def pay_in_advance(story: Story) -> None:
    """Each month, every manager's longest-standing retainer client pays in advance.

    Its payment moves to the 1st or 2nd of the month (the day follows its first payment's
    day), so on the 2nd of a month every manager with a retainer already has revenue.
    """
    for month_index, month in enumerate(story.months):
        oldest: dict[int, tuple[date, int, Payment]] = {}
        for client_index, client in enumerate(story.clients):
            for payment in client.payments:
                if not (payment.retainer and month_of(payment.day) == month):
                    continue
                key = (client.payments[0].day, client_index, payment)
                if client.manager not in oldest or key[:2] < oldest[client.manager][:2]:
                    oldest[client.manager] = key
        for first_day_paid, _, payment in oldest.values():
            payment.day = story.day_in(month_index, 1 + first_day_paid.day % 2)


def shortfall(story: Story, plan: dict[tuple[int, int], int]) -> None:
    """Make sure Мария is below plan in the two last complete months: her clients were late."""
    for month_index in (MONTHS - 3, MONTHS - 2):
        target = plan[(MISSES_PLAN, month_index)]
        month = story.months[month_index]
        late = [
            (payment.amount, client_index, payment_index)
            for client_index, client in enumerate(story.clients)
            if client.manager == MISSES_PLAN
            for payment_index, payment in enumerate(client.payments)
            if payment_index > 0 and month_of(payment.day) == month
        ]
        for _, client_index, payment_index in sorted(late, reverse=True):
            if story.revenue(MISSES_PLAN, month_index) < target * 0.92:
                break
            story.clients[client_index].payments[payment_index].paid = False
        for client in story.clients:  # a late payment is simply not in the log yet
            client.payments = [p for p in client.payments if p.paid]


# -- plan --------------------------------------------------------------------------------
