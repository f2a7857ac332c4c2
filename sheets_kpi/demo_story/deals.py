"""The demo's Сделки tab: a won deal behind every new client, lost and open leads around them."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sheets_kpi.core.months import month_of
from sheets_kpi.demo_story.cast import (
    ANNA,
    DMITRY,
    EKATERINA,
    LOSS_REASONS,
    MANAGERS,
    MARIA,
    MONTHS,
    SERGEY,
)
from sheets_kpi.demo_story.story import Client, Story


def deal_rows(story: Story) -> list[list[object]]:
    """Сделки's rows in lead-date order: won, lost and open deals, stale and fresh leads."""
    book = _DealBook(story)
    book.won_deals()
    book.other_leads()
    book.stale_and_fresh_leads()
    # a lost deal without a reason: a warning, counted as «не указана»
    lost_rows = [cells for _, _, cells in book.deals if cells[7] == book.lost]
    lost_rows[len(lost_rows) // 2][10] = None
    book.deals.sort(key=lambda deal: (deal[0], deal[1]))
    return [cells for _, _, cells in book.deals]


class _DealBook:
    """The deals as they are added, with the labels every row uses."""

    def __init__(self, story: Story) -> None:
        self.story = story
        self.rng = story.rng
        self.won = story.label("status", "won")
        self.lost = story.label("status", "lost")
        self.open = story.label("status", "open")
        self.hot, self.warm, self.cold = (
            story.label("temperature", t) for t in ("hot", "warm", "cold")
        )
        self.deals: list[tuple[date, int, list[object]]] = []

    def contact(self, manager: int, lead: date) -> datetime:
        """When `manager` first contacted a lead of `lead`'s date, never after today 09:00."""
        low, high = MANAGERS[manager].contact_hours
        moment = datetime(lead.year, lead.month, lead.day) + timedelta(
            hours=self.rng.randint(low, high), minutes=self.rng.choice((0, 10, 20, 30, 40, 50))
        )
        as_of = self.story.as_of
        return min(moment, datetime(as_of.year, as_of.month, as_of.day, 9))

    def add(
        self,
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
        cells: list[object] = [lead, self.story.manager_name(manager), client, channel, first]
        cells += [touches, temperature, status, close, amount, reason]
        self.deals.append((lead, len(self.deals), cells))

    def won_deals(self) -> None:
        """A won deal behind every new client, closed before its first payment."""
        rng, story = self.rng, self.story
        won_clients = [
            (c, c.payments[0].day, _month1_check(c))
            for c in story.clients
            if not c.existing and c.payments
        ]
        won_clients += story.won_unpaid
        for client, first_payment, amount in won_clients:
            cycle = rng.randint(5, 35)
            lead = first_payment - timedelta(days=cycle)
            close = first_payment - timedelta(days=rng.randint(0, min(5, cycle)))
            temperature = self.hot if rng.random() < 0.8 else self.warm
            channel = story.label("channel", client.channel)
            self.add(lead, client.manager, client.name, channel, rng.randint(3, 12), temperature,
                     self.won, first=self.contact(client.manager, lead), close=close,
                     amount=amount)  # fmt: skip

    def other_leads(self) -> None:
        """Leads that came to nothing yet: lost with a reason, or still open."""
        rng, story = self.rng, self.story
        reasons = [
            (ru if story.language == "ru" else en)
            for ru, en, weight in LOSS_REASONS
            for _ in range(weight)
        ]
        for manager, profile in enumerate(MANAGERS):
            for month_index in range(min(MONTHS, profile.active_until)):
                for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
                    lead = story.day_in(month_index, rng.randint(1, 28))
                    if lead > story.as_of:
                        continue
                    close = lead + timedelta(days=rng.randint(3, 40))
                    first = self.contact(manager, lead) if rng.random() < 0.9 else None
                    channel = story.label("channel", rng.choice(("inbound", "outbound")))
                    quoted = rng.randint(4, 30) * 10000 if rng.random() < 0.7 else None
                    if close > story.as_of or (month_index >= MONTHS - 2 and rng.random() < 0.7):
                        temperature = rng.choice((self.cold, self.warm, self.warm, self.hot))
                        self.add(lead, manager, story.next_name(), channel, rng.randint(0, 6),
                                 temperature, self.open, first=first, amount=quoted)  # fmt: skip
                    else:
                        temperature = rng.choice((self.cold, self.warm))
                        self.add(lead, manager, story.next_name(), channel, rng.randint(1, 7),
                                 temperature, self.lost, first=first, close=close, amount=quoted,
                                 reason=rng.choice(reasons))  # fmt: skip

    def stale_and_fresh_leads(self) -> None:
        """Leads nobody has closed for months, and this week's fresh ones."""
        rng, story = self.rng, self.story
        outbound = story.label("channel", "outbound")
        for manager, days_ago in ((SERGEY, 95), (SERGEY, 120), (MARIA, 75)):
            lead = story.as_of - timedelta(days=days_ago)
            self.add(lead, manager, story.next_name(), outbound, 2, self.warm, self.open,
                     first=self.contact(manager, lead), amount=150000)  # fmt: skip
        # the strong three already have hot ones
        inbound = story.label("channel", "inbound")
        for manager, profile in enumerate(MANAGERS):
            if profile.active_until < MONTHS:
                continue
            lead = story.as_of - timedelta(days=rng.randint(0, 6))
            temperature = self.hot if manager in (ANNA, DMITRY, EKATERINA) else self.warm
            self.add(lead, manager, story.next_name(), inbound, 1, temperature, self.open,
                     first=self.contact(manager, lead),
                     amount=rng.randint(6, 20) * 10000)  # fmt: skip


def _month1_check(client: Client) -> int:
    """What the client paid in its first paying month: the won deal's amount."""
    first = month_of(client.payments[0].day)
    return sum(p.amount for p in client.payments if month_of(p.day) == first)
