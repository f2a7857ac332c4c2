"""Bonus scheme settings (SPEC §5): one frozen dataclass per scheme, and the `Параметры` grammar.

`parse_scheme` turns a roster row's `Схема` and `Параметры` cells into a scheme, filling what the
cell leaves out from the config's defaults. It raises `SchemeError` with a Russian sentence that
says how to write the cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from sheets_kpi.config import BonusConfig


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


class SchemeError(ValueError):
    """A `Схема` / `Параметры` cell that cannot be used; str() is a Russian how-to-fix sentence."""


def parse_scheme(scheme_cell: object, params_cell: object, defaults: BonusConfig) -> Scheme:
    """The scheme a `Мотивация` row asks for (SPEC §5 `Параметры` grammar).

    An empty `Схема` means the config's default scheme; an empty `Параметры` means that
    scheme's defaults from the config. Russian and English scheme names are accepted.
    """
    raise NotImplementedError
