"""The demo's Продажи tab: every payment, a few unpaid invoices and the deliberate mistakes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from sheets_kpi.core.months import add_months, first_day, month_of
from sheets_kpi.demo_story.cast import (
    ANNA,
    DMITRY,
    EKATERINA,
    IGOR,
    MONTHS,
    SAME_ID_AS_ABOVE,
    SERGEY,
    SERVICES,
)
from sheets_kpi.demo_story.story import Client, SalesRow, Story


def sales_rows(story: Story) -> list[SalesRow]:
    """A row per payment, as managers log them: margins, spellings and a few text amounts."""
    rng = story.rng
    rows: list[SalesRow] = []
    for client_index, client in enumerate(story.clients):
        margin_share = SERVICES[client.service][1]
        for payment_index, payment in enumerate(client.payments):
            logged = client.logged_by.get(payment_index, client.manager)
            manager = story.manager_name(logged)
            if logged == DMITRY and story.language == "ru" and rng.random() < 0.3:
                manager = manager.replace("ё", "е")  # typed without «ё»: still him
            name = client.name
            if payment_index > 0 and name == 'Кофейня "Зерно"':
                name = 'кофейня  "Зерно"'  # another case, a double space: the same café
            first = payment_index == 0
            kind = "existing" if client.existing or not first else "new"
            margin = int(round(payment.amount * margin_share * rng.uniform(0.9, 1.1), -2))
            rows.append(
                SalesRow(
                    day=payment.day,
                    manager=manager,
                    client=name,
                    amount=payment.amount,
                    margin=margin,
                    channel=story.label("channel", client.channel),
                    type=None if (not first and rng.random() < 0.1) else story.label("type", kind),
                    paid=story.label("paid", "yes" if payment.paid else "no"),
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


def unpaid_rows(story: Story) -> list[SalesRow]:
    """Invoices sent this month and not paid yet: regular clients, and two brand-new ones."""
    start = first_day(story.current)
    invoice_day = min(story.as_of, start + timedelta(days=1))
    paid_now = {
        c.name for c in story.clients for p in c.payments if month_of(p.day) == story.current
    }
    previous = story.months[-2]
    waiting = [
        c
        for c in story.clients
        if c.name not in paid_now and any(month_of(p.day) == previous for p in c.payments)
    ]
    rows = []
    for client in story.rng.sample(waiting, min(3, len(waiting))):
        amount = client.payments[-1].amount
        rows.append(_unpaid(story, client, invoice_day, amount, "existing"))
    for manager in (ANNA, EKATERINA):
        client = Client(story.next_name(), manager, "seo", "inbound")
        story.won_unpaid.append((client, invoice_day, 90000))
        rows.append(_unpaid(story, client, invoice_day, 90000, "new"))
    return rows


def _unpaid(story: Story, client: Client, day: date, amount: int, kind: str) -> SalesRow:
    return SalesRow(
        day=day,
        manager=story.manager_name(client.manager),
        client=client.name,
        amount=amount,
        margin=int(amount * SERVICES[client.service][1]),
        channel=story.label("channel", client.channel),
        type=story.label("type", kind),
        paid=story.label("paid", "no"),
        sort_key=(day, 10**9),
    )


def mistakes(story: Story, rows: list[SalesRow]) -> None:
    """Add one row of each common logging mistake, and one unknown channel, to `rows`."""
    rng = story.rng
    yes = story.label("paid", "yes")
    new = story.label("type", "new")
    again = story.label("type", "existing")
    inbound = story.label("channel", "inbound")
    outbound = story.label("channel", "outbound")
    # a copy-pasted row with the ID of the row above (ids are given after sorting)
    paid = [r for r in rows if r.paid == yes and isinstance(r.amount, int)]
    current = [r for r in paid if isinstance(r.day, date) and month_of(r.day) == story.current]
    original = current[0] if current else paid[-1]
    copy = replace(original, id=SAME_ID_AS_ABOVE)
    position = next(i for i, row in enumerate(rows) if row is original)
    rows.insert(position + 1, copy)
    # a channel outside the list on a repeat payment (a warning: the row still counts)
    repeat = [
        r
        for r in rows
        if r.type == again and r.paid == yes and r.channel and r not in (original, copy)
    ]
    rng.choice(repeat[len(repeat) // 2 :]).channel = (
        "сарафан" if story.language == "ru" else "word of mouth"
    )
    # a payment logged before it came in
    ahead = story.as_of + timedelta(days=9)
    rows.append(
        SalesRow(ahead, story.manager_name(ANNA), "ООО Ромашка", 85000, 46000, inbound,
                  again, yes, sort_key=(ahead, 0))
    )  # fmt: skip
    # 31 February: there is no such day
    february = next(m for m in story.months if m.endswith("-02"))
    rows.append(
        SalesRow(f"31.02.{february[:4]}", story.manager_name(EKATERINA), "ИП Соколов", 44000,
                  15000, outbound, again, yes, sort_key=(first_day(add_months(february, 1)), 0))
    )  # fmt: skip
    # an empty client, this month
    recent = max(first_day(story.current), story.as_of - timedelta(days=2))
    rows.append(
        SalesRow(recent, story.manager_name(IGOR), "", 30000, 13000, inbound, new, yes,
                  sort_key=(recent, 10**9 + 1))
    )  # fmt: skip
    # a refund typed as a negative payment
    refund = story.day_in(MONTHS - 3, 27)
    rows.append(
        SalesRow(refund, story.manager_name(DMITRY), "ИП Мельников", -45000, None, None,
                  again, yes, sort_key=(refund, 10**9))
    )  # fmt: skip
    # a typo in a manager's name, close to «Сергей Волков»
    typo = "Сергей Волкв" if story.language == "ru" else "Sergey Volkv"
    client = next((c.name for c in story.clients if c.manager == SERGEY), "ООО Ромашка")
    slipped = story.day_in(MONTHS - 2, 3)
    rows.append(
        SalesRow(slipped, typo, client, 60000, 33000, outbound, again, yes,
                  sort_key=(slipped, 10**9))
    )  # fmt: skip


# -- deals and activity ------------------------------------------------------------------


def sales_table(story: Story) -> list[SalesRow]:
    """Продажи's rows in date order, mistakes included, each with its `ID`."""
    sales = sales_rows(story) + unpaid_rows(story)
    sales.sort(key=lambda row: row.sort_key)
    mistakes(story, sales)
    sales.sort(key=lambda row: row.sort_key)
    next_id = 1
    for row in sales:
        if row.id == SAME_ID_AS_ABOVE:
            row.id = next_id - 1
        else:
            row.id = next_id
            next_id += 1
    return sales
