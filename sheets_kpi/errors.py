"""The project's exception hierarchy. The CLI maps each class to an exit code (SPEC §10)."""

from __future__ import annotations

from collections.abc import Mapping


def bilingual(
    catalogue: Mapping[str, tuple[str, str]], key: str, /, **fields: object
) -> tuple[str, str]:
    """Entry `key` of a (ru, en) catalogue with its `{fields}` filled in, as an exception's
    (message, en); a field that is itself a (ru, en) pair gives each language its own text."""
    ru, en = catalogue[key]
    ru_fields = {name: _side(value, 0) for name, value in fields.items()}
    en_fields = {name: _side(value, 1) for name, value in fields.items()}
    return ru.format(**ru_fields), en.format(**en_fields)


def _side(value: object, index: int) -> object:
    if isinstance(value, tuple) and len(value) == 2:
        return value[index]
    return value


class SheetsKpiError(Exception):
    """Root of every error the bot raises on purpose; `str(error)` is a Russian sentence, and
    `text("en")` the English one when the raiser gave it (else the Russian)."""

    exit_code = 2

    def __init__(self, message: str = "", en: str | None = None) -> None:
        super().__init__(message)
        self.en = en

    def text(self, language: str) -> str:
        """The message in `language` ("ru" or "en")."""
        return self.en if language == "en" and self.en else str(self)


class ConfigError(SheetsKpiError):
    """A config file, command-line option or setting that cannot be used (exit 2)."""

    exit_code = 2


class UsageError(SheetsKpiError):
    """The command line is wrong (exit 2)."""

    exit_code = 2


class InputError(SheetsKpiError):
    """The input has errors (exit 1). Raised by `check`-style callers, not by the core."""

    exit_code = 1


class BackendError(SheetsKpiError):
    """The spreadsheet or workbook could not be read or written (exit 3)."""

    exit_code = 3


class CredentialsError(ConfigError):
    """Google credentials are missing or unusable (exit 2). Never carries key material."""


class LockedError(SheetsKpiError):
    """Another worker holds this spreadsheet (exit 2)."""

    exit_code = 2
