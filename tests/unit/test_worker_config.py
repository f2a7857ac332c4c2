"""Config for the worker: several [[spreadsheet]] entries and the lease setting."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from sheets_kpi.config import load_config
from sheets_kpi.errors import ConfigError


def load_text(folder: Path, text: str):
    path = folder / "sheets_kpi.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path, environ={})


SEVERAL = """
language = "ru"
credentials = "key.json"
[schedule]
every = "15m"
[bonus]
default_scheme = "tiers"
margin_rate = 0.5
[tabs]
sales = "Журнал"

[[spreadsheet]]
name = "Москва"
xlsx = "москва.xlsx"

[[spreadsheet]]
name = "Питер"
sheet = "https://docs.google.com/spreadsheets/d/1AbCdEfGhIjKlMnOp/edit"
language = "en"
[spreadsheet.bonus]
default_scheme = "margin"
[spreadsheet.tabs]
summary = "Итоги"
"""


def test_each_spreadsheet_entry_gets_the_shared_settings_and_its_own(tmp_path):
    config = load_text(tmp_path, SEVERAL)
    moscow, piter = config.spreadsheets
    assert (moscow.name, moscow.backend, moscow.xlsx) == (
        "Москва",
        "xlsx",
        tmp_path / "москва.xlsx",
    )
    assert moscow.language == "ru" and moscow.bonus.default_scheme == "tiers"
    assert moscow.credentials == tmp_path / "key.json"  # shared from the top
    assert (piter.name, piter.backend, piter.language) == ("Питер", "gsheets", "en")
    # the entry's bonus keys win, the rest of [bonus] is shared
    assert piter.bonus.default_scheme == "margin" and piter.bonus.margin_rate == Decimal("0.5")
    assert piter.tab_title("summary") == "Итоги" and piter.tab_title("sales") == "Журнал"
    assert config.schedule.every == "15m"  # one schedule for the worker
    assert moscow.spreadsheets == () and piter.spreadsheets == ()


def test_entry_without_a_name_is_named_by_its_table(tmp_path):
    config = load_text(
        tmp_path, '[[spreadsheet]]\nxlsx = "a.xlsx"\n[[spreadsheet]]\nxlsx = "b.xlsx"\n'
    )
    assert [entry.name for entry in config.spreadsheets] == [
        str(tmp_path / "a.xlsx"),
        str(tmp_path / "b.xlsx"),
    ]


def test_entry_naming_a_workbook_does_not_inherit_the_top_sheet(tmp_path):
    config = load_text(
        tmp_path,
        'sheet = "1AbCdEfGhIjKlMnOpQrSt"\n[[spreadsheet]]\nxlsx = "a.xlsx"\n'
        '[[spreadsheet]]\nname = "Google"\n',
    )
    workbook, google = config.spreadsheets
    assert (workbook.backend, workbook.sheet) == ("xlsx", None)
    assert (google.backend, google.sheet) == ("gsheets", "1AbCdEfGhIjKlMnOpQrSt")


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('[[spreadsheet]]\nname = "Без таблицы"\n', "не указана таблица"),
        ('[[spreadsheet]]\nxlsx = "a.xlsx"\n[[spreadsheet]]\nxlsx = "a.xlsx"\n', "уже указана"),
        (
            '[[spreadsheet]]\nname = "X"\nxlsx = "a.xlsx"\n'
            '[[spreadsheet]]\nname = "X"\nxlsx = "b.xlsx"\n',
            "одно имя",
        ),
        (
            '[[spreadsheet]]\nxlsx = "a.xlsx"\nevery = "1m"\n',
            "неизвестный ключ [spreadsheet] every",
        ),
        ('[[spreadsheet]]\nxlsx = "a.xlsx"\nlanguage = "de"\n', "[[spreadsheet]] №1"),
    ],
)
def test_bad_spreadsheet_entries_say_what_to_fix(tmp_path, text, named):
    with pytest.raises(ConfigError) as caught:
        load_text(tmp_path, text)
    assert named in str(caught.value)


@pytest.mark.parametrize(("text", "lease"), [('"30m"', "30m"), ('"OFF"', "off"), ('" 2H "', "2h")])
def test_lease_setting_is_a_duration_or_off(tmp_path, text, lease):
    assert load_text(tmp_path, f"[schedule]\nlease = {text}\n").schedule.lease == lease


def test_bad_lease_setting_names_the_format(tmp_path):
    with pytest.raises(ConfigError, match='lease = "30m"'):
        load_text(tmp_path, '[schedule]\nlease = "полчаса"\n')
