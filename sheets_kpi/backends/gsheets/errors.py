"""The Google Sheets backend's errors in Russian and English (`texts.py`): what happened and
what to do about it."""

from __future__ import annotations

import requests
from gspread.exceptions import APIError

from sheets_kpi.backends.gsheets.texts import pair, tries
from sheets_kpi.errors import BackendError, CredentialsError

# The service account's e-mail in each language ("no e-mail in the key" differs by language).
Email = tuple[str, str]


def reason(error: BaseException) -> tuple[str, str]:
    """Why a request may be retried, as a (ru, en) phrase for the log and the final error."""
    if isinstance(error, APIError):
        status = error.response.status_code
        if status == 429:
            return pair("quota")
        return pair("server_error", status=status)
    if isinstance(error, requests.Timeout):
        return pair("timeout")
    return pair("connection", name=type(error).__name__)


def permanent(error: APIError, action: str, spreadsheet_id: str, email: Email) -> Exception:
    """The error for a refusal that a retry cannot cure (403, 404, 401, 400, ...)."""
    status = error.response.status_code
    message = str(error.error.get("message", "")) if isinstance(error.error, dict) else ""
    if status == 403 and ("has not been used" in message or "disabled" in message):
        return BackendError(*pair("api_disabled"))
    if status == 403:
        return BackendError(*pair("no_access", spreadsheet_id=spreadsheet_id, email=email))
    if status == 404:
        return BackendError(*pair("not_found", spreadsheet_id=spreadsheet_id))
    if status == 401:
        return refresh_failed(email)
    return BackendError(
        *pair(
            "refused",
            what=_what(action),
            status=status,
            message=(message, message) if message else pair("no_explanation"),
        )
    )


def refresh_failed(email: Email, detail: str = "") -> CredentialsError:
    """The error when Google refuses the service account's sign-in."""
    if "short-lived" in detail or "Invalid JWT: Token" in detail:
        # Google refuses a signed request whose time is off by more than a few minutes
        return CredentialsError(*pair("clock_skew"))
    return CredentialsError(*pair("key_revoked", email=email))


def exhausted(
    action: str, count: int, elapsed: float, reason: tuple[str, str], maybe_applied: bool
) -> BackendError:
    """The error when the retry budget is spent."""
    return BackendError(
        *pair(
            "exhausted",
            what=_what(action),
            tries=tries(count),
            elapsed=f"{elapsed:.0f}",
            reason=reason,
            outcome=pair("maybe_applied" if maybe_applied else "nothing_written"),
        )
    )


def _what(action: str) -> tuple[str, str]:
    return pair("what_read" if action == "чтение" else "what_write")


def retry_after(response: requests.Response) -> float | None:
    """Seconds from a `Retry-After` header (only the delta-seconds form is used by Google)."""
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
