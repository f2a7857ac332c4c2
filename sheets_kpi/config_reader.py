"""Typed access to the parsed TOML of a config file: each bad value or unknown key becomes a
`ConfigError` that names it, says what fits and gives an example, in Russian and English
(texts in config_texts.py)."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sheets_kpi.config_texts import CONFIG_TEXTS, Text, both, config_pair
from sheets_kpi.core.inputs.parse import MAX_AMOUNT_RUB
from sheets_kpi.errors import ConfigError


def toml_decimal(value: object) -> Decimal | None:
    """Money from a TOML number, exactly as written (`Decimal(str(x))`); None if not a number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        result = Decimal(str(value))
    except InvalidOperation:
        return None
    return result if result.is_finite() else None


def show(value: object) -> str:
    """A value as it would look in TOML, for messages."""
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key} = {show(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(show(item) for item in value) + "]"
    return str(value)


class Reader:
    """Typed access to TOML tables that turns every bad value into a teaching ConfigError."""

    def __init__(self, source: str, base_dir: Path | None) -> None:
        self.source = source
        self.base_dir = base_dir

    def bad(self, where: str, key: str, value: object, problem: Text, example: Text) -> ConfigError:
        name = f"[{where}] {key}" if where else key
        (problem_ru, problem_en), (example_ru, example_en) = both(problem), both(example)
        ru, en = CONFIG_TEXTS["bad_value"]
        fields = {"source": self.source, "name": name, "value": show(value)}
        return ConfigError(
            ru.format(problem=problem_ru, example=example_ru, **fields),
            en.format(problem=problem_en, example=example_en, **fields),
        )

    def check_keys(self, table: Mapping[str, Any], allowed: tuple[str, ...], where: str) -> None:
        for key in table:
            if key in allowed:
                continue
            name = f"[{where}] {key}" if where else key
            close = difflib.get_close_matches(key, allowed, n=1)
            hint_ru, hint_en = config_pair("did_you_mean", close=close[0]) if close else ("", "")
            ru, en = CONFIG_TEXTS["unknown_key"]
            fields = {"source": self.source, "name": name, "allowed": ", ".join(allowed)}
            raise ConfigError(ru.format(hint=hint_ru, **fields), en.format(hint=hint_en, **fields))

    def table(self, table: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
        value = table.get(key, {})
        if not isinstance(value, dict):
            raise self.bad(
                where, key, value, config_pair("section"), config_pair("example_section", key=key)
            )
        return value

    def text(self, table: Mapping[str, Any], key: str, where: str, example: Text) -> str | None:
        if key not in table:
            return None
        value = table[key]
        if not isinstance(value, str) or not value.strip():
            raise self.bad(where, key, value, config_pair("text"), example)
        return value.strip()

    def path(self, table: Mapping[str, Any], key: str, where: str, example: Text) -> Path | None:
        text = self.text(table, key, where, example)
        if text is None:
            return None
        path = Path(text).expanduser()
        if not path.is_absolute() and self.base_dir is not None:
            path = self.base_dir / path
        return path

    def choice(
        self,
        table: Mapping[str, Any],
        key: str,
        where: str,
        allowed: tuple[str, ...],
        example: Text,
        default: Any,
    ) -> Any:
        if key not in table:
            return default
        value = table[key]
        if value not in allowed:
            problem = config_pair("choice", allowed=", ".join(allowed))
            raise self.bad(where, key, value, problem, example)
        return value

    def flag(
        self, table: Mapping[str, Any], key: str, where: str, example: Text, default: Any
    ) -> Any:
        if key not in table:
            return default
        value = table[key]
        if not isinstance(value, bool):
            raise self.bad(where, key, value, config_pair("flag"), example)
        return value

    def money(
        self, table: Mapping[str, Any], key: str, where: str, example: Text
    ) -> Decimal | None:
        if key not in table:
            return None
        value = toml_decimal(table[key])
        if value is None or value < 0 or value >= MAX_AMOUNT_RUB:
            raise self.bad(where, key, table[key], config_pair("money"), example)
        return value

    def fraction(
        self, table: Mapping[str, Any], key: str, where: str, example: Text
    ) -> Decimal | None:
        if key not in table:
            return None
        value = toml_decimal(table[key])
        if value is None or not Decimal(0) <= value <= Decimal(1):
            raise self.bad(where, key, table[key], config_pair("fraction"), example)
        return value

    def number(
        self, table: Mapping[str, Any], key: str, where: str, example: Text, *, maximum: float
    ) -> float | None:
        if key not in table:
            return None
        value = toml_decimal(table[key])
        if value is None or value <= 0 or value > Decimal(str(maximum)):
            problem = config_pair("number", maximum=f"{maximum:g}")
            raise self.bad(where, key, table[key], problem, example)
        return float(value)

    def integer(
        self,
        table: Mapping[str, Any],
        key: str,
        where: str,
        example: Text,
        *,
        minimum: int,
        maximum: int,
    ) -> int | None:
        if key not in table:
            return None
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
            problem = config_pair("integer", minimum=minimum, maximum=maximum)
            raise self.bad(where, key, value, problem, example)
        return value
