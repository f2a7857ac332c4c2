"""Settings as core data (SPEC §5, §9): frozen dataclasses for the config and the bonus schemes.

`config.py` (the shell) reads a TOML file into these; the core only ever sees these objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from sheets_kpi.core.inputs.schema import GENERATED_TABS, INPUT_TABS, Language

if TYPE_CHECKING:  # a path is data here; only the shell opens it
    from pathlib import Path


@dataclass(frozen=True)
class TiersScheme:
    tiers: tuple[tuple[Decimal, Decimal], ...]  # (threshold, bonus) roubles, ascending threshold
    basis: Literal["client", "month"] = "client"
    name: str = "tiers"


@dataclass(frozen=True)
class TwoStepScheme:
    first_rate: Decimal  # fraction, 0.15 = 15 %
    second_rate: Decimal
    second_month: int  # N: the client's paying month that earns step 2
    name: str = "two_step"


@dataclass(frozen=True)
class MarginScheme:
    rate: Decimal  # fraction of month-1 margin
    name: str = "margin"


@dataclass(frozen=True)
class FixedScheme:
    amount: Decimal  # roubles per new client
    inbound_only: bool
    name: str = "fixed"


Scheme = TiersScheme | TwoStepScheme | MarginScheme | FixedScheme


@dataclass(frozen=True)
class BonusConfig:
    default_scheme: str = "tiers"
    tiers: tuple[tuple[Decimal, Decimal], ...] = (
        (Decimal(100000), Decimal(25000)),
        (Decimal(150000), Decimal(35000)),
    )
    tiers_basis: Literal["client", "month"] = "client"
    first_rate: Decimal = Decimal("0.15")
    second_rate: Decimal = Decimal("0.15")
    second_month: int = 4
    margin_rate: Decimal = Decimal("0.5")
    fixed_amount: Decimal = Decimal(10000)
    fixed_inbound_only: bool = True
    monthly_cap: Decimal = Decimal(0)  # roubles per manager per month; 0 = no cap
    min_plan_pct: Decimal = Decimal(0)  # fraction (0.8 = 80 %); 0 = never withheld
    # SPEC §14: a refund in months 2..clawback_months+1 of a client claws its bonus back
    clawback: Literal["proportional", "none"] = "proportional"
    clawback_months: int = 3
    # SPEC §15: who gets a leaver's scheme items after the month of `Работает до`
    after_leaving: Literal["nobody", "current_manager"] = "nobody"

    def scheme(self, name: str | None = None) -> Scheme:
        """The default settings of scheme `name` (the default scheme when None)."""
        name = name or self.default_scheme
        if name == "tiers":
            return TiersScheme(self.tiers, self.tiers_basis)
        if name == "two_step":
            return TwoStepScheme(self.first_rate, self.second_rate, self.second_month)
        if name == "margin":
            return MarginScheme(self.margin_rate)
        if name == "fixed":
            return FixedScheme(self.fixed_amount, self.fixed_inbound_only)
        raise KeyError(name)


@dataclass(frozen=True)
class AlertConfig:
    slow_first_contact_hours: float = 24.0
    stale_deal_days: int = 60


@dataclass(frozen=True)
class ScheduleConfig:
    every: str | None = None  # "30s", "15m", "1h"
    at: tuple[str, ...] = ()  # "09:00", ...
    # How long a worker's mark on Сводка keeps workers on other machines away: "30m", or
    # "off"; None = twice the interval, at least 10 minutes (see worker.lease_seconds).
    lease: str | None = None


@dataclass(frozen=True)
class RetryConfig:
    attempts: int = 6
    total_seconds: float = 120.0
    connect_timeout: float = 10.0
    read_timeout: float = 120.0


def _default_tabs() -> dict[str, str]:
    return {}


@dataclass(frozen=True)
class Config:
    backend: Literal["xlsx", "gsheets"] = "xlsx"
    xlsx: Path | None = None
    sheet: str | None = None  # spreadsheet ID or URL
    credentials: Path | None = None
    timezone: str = "Europe/Moscow"
    language: Language = "ru"
    # tab key ("sales", "summary", ...) -> title; missing keys take the language's default
    tabs: dict[str, str] = field(default_factory=_default_tabs)
    leaderboard_shows_bonus: bool = False
    bonus: BonusConfig = field(default_factory=BonusConfig)
    alerts: AlertConfig = field(default_factory=AlertConfig)
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    retry: RetryConfig = field(default_factory=RetryConfig)
    # A short name for logs and `sheets-kpi status` (`name` of a [[spreadsheet]] entry).
    name: str | None = None
    # Several [[spreadsheet]] entries: one full Config each (top-level settings with the
    # entry's own on top); empty for the usual one-spreadsheet file.
    spreadsheets: tuple[Config, ...] = ()

    def tab_title(self, key: str) -> str:
        """Title of tab `key` ("sales", "summary", ...): the configured one, else the default."""
        if key in self.tabs:
            return self.tabs[key]
        for tab in INPUT_TABS:
            if tab.key == key:
                return tab.label(self.language)
        ru, en = GENERATED_TABS[key]
        return ru if self.language == "ru" else en
