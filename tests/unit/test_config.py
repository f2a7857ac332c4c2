"""config.load_config: every SPEC §9 key, and every bad value is a ConfigError naming the key."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from sheets_kpi.config import load_config
from sheets_kpi.core.settings import BonusConfig, Config, FixedScheme, TwoStepScheme
from sheets_kpi.errors import ConfigError

FULL = """
backend = "xlsx"
timezone = "Asia/Yekaterinburg"
language = "en"
leaderboard_shows_bonus = true

[spreadsheet]
xlsx = "sales.xlsx"
credentials = "/secrets/key.json"

[tabs]
sales = "Sales log"
errors = "Problems"

[bonus]
default_scheme = "two_step"
tiers = [[150000, 35000], [100000, 25000]]
tiers_basis = "month"
two_step = {first_rate = 0.1, second_rate = 0.2, second_month = 3}
margin_rate = 0.4
fixed = {amount = 12000.5, inbound_only = false}
monthly_cap = 80000
min_plan_pct = 0.8

[alerts]
slow_first_contact_hours = 12
stale_deal_days = 30

[schedule]
every = "15m"
at = ["09:00", "18:30"]

[retry]
attempts = 3
total_seconds = 30
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sheets_kpi.toml"
    path.write_text(text, encoding="utf-8")
    return path


def load_text(tmp_path: Path, text: str) -> Config:
    return load_config(write(tmp_path, text), environ={})


def test_no_path_gives_defaults() -> None:
    config = load_config(None, environ={})
    assert config == Config()
    assert config.bonus.scheme() == BonusConfig().scheme("tiers")


def test_every_key_of_a_full_file_is_read(tmp_path: Path) -> None:
    config = load_text(tmp_path, FULL)
    assert config.backend == "xlsx"
    assert config.xlsx == tmp_path / "sales.xlsx"  # relative to the config file's folder
    assert config.credentials == Path("/secrets/key.json")
    assert config.timezone == "Asia/Yekaterinburg"
    assert config.language == "en"
    assert config.leaderboard_shows_bonus is True
    assert config.tab_title("sales") == "Sales log"
    assert config.tab_title("errors") == "Problems"
    assert config.tab_title("summary") == "Summary"  # the English default
    bonus = config.bonus
    assert bonus.default_scheme == "two_step"
    # sorted by threshold, exact Decimals
    assert bonus.tiers == ((Decimal(100000), Decimal(25000)), (Decimal(150000), Decimal(35000)))
    assert bonus.tiers_basis == "month"
    assert bonus.scheme() == TwoStepScheme(Decimal("0.1"), Decimal("0.2"), 3)
    assert bonus.margin_rate == Decimal("0.4")
    # 12000.5 goes through str(), so it stays exactly 12000.5, not a binary float
    assert bonus.scheme("fixed") == FixedScheme(Decimal("12000.5"), False)
    assert bonus.monthly_cap == Decimal(80000)
    assert bonus.min_plan_pct == Decimal("0.8")
    assert config.alerts.slow_first_contact_hours == 12.0
    assert config.alerts.stale_deal_days == 30
    assert config.schedule.every == "15m"
    assert config.schedule.at == ("09:00", "18:30")
    assert config.retry.attempts == 3
    assert config.retry.total_seconds == 30.0


def test_partial_two_step_table_keeps_other_defaults(tmp_path: Path) -> None:
    config = load_text(tmp_path, "[bonus]\ntwo_step = {second_month = 6}\n")
    assert config.bonus.scheme("two_step") == TwoStepScheme(Decimal("0.15"), Decimal("0.15"), 6)


def test_russian_scheme_name_is_accepted_as_default(tmp_path: Path) -> None:
    assert load_text(tmp_path, '[bonus]\ndefault_scheme = "два шага"\n').bonus.default_scheme == (
        "two_step"
    )


def test_sheet_alone_means_google_backend(tmp_path: Path) -> None:
    config = load_text(tmp_path, 'sheet = "1AbCdEf"\n')
    assert config.backend == "gsheets"
    assert config.sheet == "1AbCdEf"


def test_credentials_come_from_environment_when_file_is_silent(tmp_path: Path) -> None:
    config = load_config(
        write(tmp_path, ""), environ={"GOOGLE_APPLICATION_CREDENTIALS": "/etc/key.json"}
    )
    assert config.credentials == Path("/etc/key.json")


def test_file_credentials_win_over_environment(tmp_path: Path) -> None:
    config = load_config(
        write(tmp_path, 'credentials = "/a.json"\n'),
        environ={"GOOGLE_APPLICATION_CREDENTIALS": "/b.json"},
    )
    assert config.credentials == Path("/a.json")


def test_missing_explicit_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="не найден"):
        load_config(tmp_path / "nope.toml", environ={})


def test_broken_toml_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="TOML"):
        load_text(tmp_path, "language = ru\n")


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('backend = "excel"', "backend"),
        ('timezone = "Moscow/Europe"', "timezone"),
        ('language = "de"', "language"),
        ('leaderboard_shows_bonus = "yes"', "leaderboard_shows_bonus"),
        ('xlsx = ""', "xlsx"),
        ("sheet = 5", "sheet"),
        ('[tabs]\nsales = "a/b"', "[tabs] sales"),
        ('[bonus]\ndefault_scheme = "percent"', "[bonus] default_scheme"),
        ("[bonus]\ntiers = [[100000]]", "[bonus] tiers"),
        ("[bonus]\ntiers = [[100000, 1], [100000, 2]]", "[bonus] tiers"),
        ("[bonus]\ntiers = [[-5, 1]]", "[bonus] tiers"),
        ("[bonus]\ntiers = []", "[bonus] tiers"),
        ('[bonus]\ntiers_basis = "week"', "[bonus] tiers_basis"),
        ("[bonus]\ntwo_step = {first_rate = 15}", "[bonus.two_step] first_rate"),
        ("[bonus]\ntwo_step = {second_month = 1}", "[bonus.two_step] second_month"),
        ("[bonus]\ntwo_step = {second_month = 4.5}", "[bonus.two_step] second_month"),
        ("[bonus]\nmargin_rate = 50", "[bonus] margin_rate"),
        ('[bonus]\nmargin_rate = "50%"', "[bonus] margin_rate"),
        ("[bonus]\nfixed = {amount = -1}", "[bonus.fixed] amount"),
        ('[bonus]\nfixed = {inbound_only = "да"}', "[bonus.fixed] inbound_only"),
        ("[bonus]\nmonthly_cap = -100", "[bonus] monthly_cap"),
        ("[bonus]\nmin_plan_pct = 80", "[bonus] min_plan_pct"),
        ('[bonus]\nclawback = "all"', "[bonus] clawback"),
        ("[bonus]\nclawback_months = 0", "[bonus] clawback_months"),
        ("[bonus]\nclawback_months = 25", "[bonus] clawback_months"),
        ('[bonus]\nclawback_months = "3"', "[bonus] clawback_months"),
        ('[bonus]\nafter_leaving = "colleague"', "[bonus] after_leaving"),
        ("[alerts]\nslow_first_contact_hours = 0", "[alerts] slow_first_contact_hours"),
        ("[alerts]\nstale_deal_days = true", "[alerts] stale_deal_days"),
        ('[schedule]\nevery = "15 minutes"', "[schedule] every"),
        ('[schedule]\nevery = "0m"', "[schedule] every"),
        ('[schedule]\nat = "25:00"', "[schedule] at"),
        ("[retry]\nattempts = 0", "[retry] attempts"),
        ("[retry]\ntotal_seconds = -1", "[retry] total_seconds"),
        ("bonus = 5", "bonus"),
    ],
)
def test_bad_value_is_a_config_error_naming_key_and_example(
    tmp_path: Path, text: str, named: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_text(tmp_path, text + "\n")
    message = str(caught.value)
    assert named in message
    assert "Пример" in message


@pytest.mark.parametrize(
    ("text", "named", "suggested"),
    [
        ("langauge = 'en'", "langauge", "language"),
        ("[bonus]\nmargn_rate = 0.5", "[bonus] margn_rate", "margin_rate"),
        ("[tabs]\nsummery = 'Итоги'", "[tabs] summery", "summary"),
        ("[bonus]\ntwo_step = {second_mnth = 3}", "[bonus.two_step] second_mnth", "second_month"),
        ("[schedul]\nevery = '1h'", "schedul", "schedule"),
    ],
)
def test_unknown_key_is_a_config_error_with_a_suggestion(
    tmp_path: Path, text: str, named: str, suggested: str
) -> None:
    with pytest.raises(ConfigError, match="неизвестный ключ") as caught:
        load_text(tmp_path, text + "\n")
    assert named in str(caught.value)
    assert f"имелось в виду {suggested}" in str(caught.value)


def test_two_tabs_with_one_title_are_a_config_error(tmp_path: Path) -> None:
    # "Продажи" is already the sales tab's default title
    with pytest.raises(ConfigError, match="одно название"):
        load_text(tmp_path, '[tabs]\nsummary = "Продажи"\n')


def test_several_spreadsheets_each_become_a_config(tmp_path: Path) -> None:
    # more in tests/unit/test_worker_config.py
    config = load_text(
        tmp_path, '[[spreadsheet]]\nxlsx = "a.xlsx"\n[[spreadsheet]]\nxlsx = "b.xlsx"\n'
    )
    assert [entry.xlsx for entry in config.spreadsheets] == [
        tmp_path / "a.xlsx",
        tmp_path / "b.xlsx",
    ]


def test_conflicting_top_level_and_spreadsheet_values_are_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="language"):
        load_text(tmp_path, 'language = "ru"\n[spreadsheet]\nlanguage = "en"\n')


def test_single_time_string_is_accepted_for_at(tmp_path: Path) -> None:
    assert load_text(tmp_path, '[schedule]\nat = "09:00"\n').schedule.at == ("09:00",)


def test_example_config_has_every_key_and_loads() -> None:
    import tomllib

    example = Path(__file__).resolve().parents[2] / "sheets_kpi.example.toml"
    data = tomllib.loads(example.read_text(encoding="utf-8"))
    assert set(data["spreadsheet"]) >= {
        "backend",
        "xlsx",
        "timezone",
        "language",
        "leaderboard_shows_bonus",
    }
    assert set(data["tabs"]) == {
        "sales",
        "deals",
        "activity",
        "plan",
        "roster",
        "summary",
        "leaderboard",
        "bonuses",
        "monthly",
        "errors",
        "trial",
    }
    assert set(data["bonus"]) == {
        "default_scheme",
        "tiers",
        "tiers_basis",
        "two_step",
        "margin_rate",
        "fixed",
        "monthly_cap",
        "min_plan_pct",
        "clawback",  # SPEC §14
        "clawback_months",
        "after_leaving",  # SPEC §15
    }
    assert set(data["alerts"]) == {"slow_first_contact_hours", "stale_deal_days"}
    assert set(data["schedule"]) == {"every", "at"}
    assert set(data["retry"]) == {"attempts", "total_seconds"}
    config = load_config(example, environ={})
    # the example spells out the defaults, so the bonus settings equal BonusConfig()
    assert config.bonus == BonusConfig()
    assert config.xlsx == example.parent / "продажи.xlsx"
    assert config.schedule.every == "15m"


def test_clawback_and_after_leaving_are_read_from_bonus(tmp_path: Path) -> None:
    """SPEC §14's clawback settings and §15's after_leaving, given and by default."""
    text = '[bonus]\nclawback = "none"\nclawback_months = 6\nafter_leaving = "current_manager"\n'
    bonus = load_text(tmp_path, text).bonus
    assert (bonus.clawback, bonus.clawback_months, bonus.after_leaving) == (
        "none",
        6,
        "current_manager",
    )
    defaults = load_text(tmp_path, "[bonus]\nmonthly_cap = 0\n").bonus
    assert (defaults.clawback, defaults.clawback_months, defaults.after_leaving) == (
        "proportional",
        3,
        "nobody",
    )
