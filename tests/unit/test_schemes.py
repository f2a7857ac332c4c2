"""The `Схема` / `Параметры` grammar of the `Мотивация` tab (SPEC §5)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sheets_kpi.core.inputs.scheme_params import SchemeError, parse_scheme
from sheets_kpi.core.settings import (
    BonusConfig,
    FixedScheme,
    MarginScheme,
    TiersScheme,
    TwoStepScheme,
)

DEFAULTS = BonusConfig()
D = Decimal


@pytest.mark.parametrize(
    ("scheme_cell", "params_cell", "expected"),
    [
        # empty cells: the config's default scheme with its defaults
        (None, None, TiersScheme(((D(100000), D(25000)), (D(150000), D(35000))), "client")),
        ("  ", "", TiersScheme(((D(100000), D(25000)), (D(150000), D(35000))), "client")),
        ("два шага", None, TwoStepScheme(D("0.15"), D("0.15"), 4)),
        ("маржа", float("nan"), MarginScheme(D("0.5"))),
        ("Фикс", None, FixedScheme(D(10000), True)),
        # tiers: spaces in numbers, either separator, any order, basis
        (
            "Уровни",
            "150 000 = 35 000; 100 000=25 000",
            TiersScheme(((D(100000), D(25000)), (D(150000), D(35000))), "client"),
        ),
        (
            "tiers",
            "50000=5000\n100000=12500,50\nбаза = месяц",
            TiersScheme(((D(50000), D(5000)), (D(100000), D("12500.50"))), "month"),
        ),
        (
            "уровни",
            "basis=month",
            TiersScheme(((D(100000), D(25000)), (D(150000), D(35000))), "month"),
        ),
        ("уровни", "100000 ₽=20000 руб.", TiersScheme(((D(100000), D(20000)),), "client")),
        # two_step: percents or fractions, N optional
        ("два шага", "10%; 20 %; 5", TwoStepScheme(D("0.1"), D("0.2"), 5)),
        ("two_step", "0,15; 0.1; 3", TwoStepScheme(D("0.15"), D("0.1"), 3)),
        ("Два  шага", "12,5%;12,5%", TwoStepScheme(D("0.125"), D("0.125"), 4)),
        ("two-step", "15%;15%;4-й месяц", TwoStepScheme(D("0.15"), D("0.15"), 4)),
        # margin: a percent, a fraction, or a spreadsheet number cell
        ("маржа", "50%", MarginScheme(D("0.5"))),
        ("margin", 0.3, MarginScheme(D("0.3"))),
        ("маржа", "100%", MarginScheme(D(1))),
        # fixed: amount alone = every new client; with «входящие» = inbound only
        ("фикс", "10000", FixedScheme(D(10000), False)),
        ("fixed", 7500.0, FixedScheme(D(7500), False)),
        ("фикс", "10 000; входящие", FixedScheme(D(10000), True)),
        ("фикс", "12 000 ₽\ninbound", FixedScheme(D(12000), True)),
    ],
)
def test_good_cells_parse_into_schemes(
    scheme_cell: object, params_cell: object, expected: object
) -> None:
    assert parse_scheme(scheme_cell, params_cell, DEFAULTS) == expected


def test_empty_scheme_cell_takes_the_configured_default_scheme() -> None:
    defaults = BonusConfig(default_scheme="fixed", fixed_amount=D(5000), fixed_inbound_only=False)
    assert parse_scheme(None, None, defaults) == FixedScheme(D(5000), False)
    assert parse_scheme("", "8000", defaults) == FixedScheme(D(8000), False)


def test_tiers_without_basis_take_the_configured_basis() -> None:
    defaults = BonusConfig(tiers_basis="month")
    scheme = parse_scheme("уровни", "100000=20000", defaults)
    assert scheme == TiersScheme(((D(100000), D(20000)),), "month")


@pytest.mark.parametrize(
    ("scheme_cell", "params_cell", "words"),
    [
        ("премия", None, "уровни, два шага, маржа, фикс"),
        ("уровни", "100000-25000", "100000=25000; 150000=35000"),
        ("уровни", "100000=25000; 100 000=30000", "указан дважды"),
        ("уровни", "0=25000", "больше нуля"),
        ("уровни", "100000=-5", "больше нуля"),
        ("уровни", "много=25000", "не число"),
        ("уровни", "база=неделя", "«месяц» или «клиент»"),
        ("два шага", "15%", "15%; 15%; 4"),
        ("два шага", "15%; 15%; 1", "2 или больше"),
        ("два шага", "15%; 15%; 2,5", "целым числом"),
        ("два шага", "15; 15%; 4", "не больше 100 %"),
        ("два шага", "0%; 15%; 4", "больше 0"),
        ("маржа", "150%", "«50%»"),
        ("маржа", "50%; 10%", "«50%»"),
        ("маржа", "половина", "не число"),
        ("фикс", "0", "10000; входящие"),
        ("фикс", "10000; исходящие", "не распознано"),
        ("фикс", "10000; входящие; ещё", "10000; входящие"),
    ],
)
def test_bad_cells_raise_a_russian_error_with_an_example(
    scheme_cell: object, params_cell: object, words: str
) -> None:
    with pytest.raises(SchemeError) as raised:
        parse_scheme(scheme_cell, params_cell, DEFAULTS)
    assert words in str(raised.value)
