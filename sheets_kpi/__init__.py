"""sheets_kpi: a sales log in a spreadsheet in, bonuses, KPIs, leaderboard and warnings out."""

from sheets_kpi.errors import (
    BackendError,
    ConfigError,
    CredentialsError,
    InputError,
    SheetsKpiError,
    UsageError,
)

__version__ = "0.1.0"

__all__ = [
    "BackendError",
    "ConfigError",
    "CredentialsError",
    "InputError",
    "SheetsKpiError",
    "UsageError",
    "__version__",
]
