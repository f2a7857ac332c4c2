"""The project's exception hierarchy. The CLI maps each class to an exit code (SPEC §10)."""

from __future__ import annotations


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
