"""The Google Sheets backend's errors in Russian: what happened and what to do about it."""

from __future__ import annotations

import requests
from gspread.exceptions import APIError

from sheets_kpi.errors import BackendError, CredentialsError


def reason(error: BaseException) -> str:
    """Why a request may be retried, as a Russian phrase for the log and the final error."""
    if isinstance(error, APIError):
        status = error.response.status_code
        if status == 429:
            return "превышена квота запросов Google (429)"
        return f"ошибка сервера Google ({status})"
    if isinstance(error, requests.Timeout):
        return "Google не ответил вовремя (таймаут)"
    return f"обрыв соединения с Google ({type(error).__name__})"


def permanent(error: APIError, action: str, spreadsheet_id: str, email: str) -> Exception:
    """The error for a refusal that a retry cannot cure (403, 404, 401, 400, ...)."""
    status = error.response.status_code
    message = str(error.error.get("message", "")) if isinstance(error.error, dict) else ""
    if status == 403 and ("has not been used" in message or "disabled" in message):
        return BackendError(
            "Google Sheets API не включён в проекте Google Cloud этого сервисного аккаунта: "
            "откройте console.cloud.google.com → «API и сервисы» → «Библиотека», включите "
            "Google Sheets API и через пару минут запустите снова. Ничего не записано."
        )
    if status == 403:
        return BackendError(
            f"Нет доступа к таблице {spreadsheet_id}: откройте доступ к таблице для "
            f"{email} с правами редактора (кнопка «Настройки доступа» в "
            "таблице) и запустите снова. Ничего не записано."
        )
    if status == 404:
        return BackendError(
            f"Таблица {spreadsheet_id} не найдена: ID неверен. Проверьте --sheet — "
            "скопируйте ссылку на таблицу из адресной строки браузера целиком. "
            "Ничего не записано."
        )
    if status == 401:
        return refresh_failed(email)
    what = "прочитать таблицу" if action == "чтение" else "записать листы"
    return BackendError(
        f"Google отказался {what} (ошибка {status}: {message or 'без пояснения'}). "
        "Ничего не записано; если ошибка повторяется, сообщите о ней разработчикам."
    )


def refresh_failed(email: str, detail: str = "") -> CredentialsError:
    """The error when Google refuses the service account's sign-in."""
    if "short-lived" in detail or "Invalid JWT: Token" in detail:
        # Google refuses a signed request whose time is off by more than a few minutes
        return CredentialsError(
            "Google не принял вход сервисного аккаунта: часы этого компьютера спешат или "
            "отстают. Включите синхронизацию времени (например, `timedatectl set-ntp true`) "
            "и запустите снова."
        )
    return CredentialsError(
        f"Google не принял ключ сервисного аккаунта {email}: ключ отозван, "
        "удалён или аккаунт отключён. Создайте новый JSON-ключ (Google Cloud → IAM → "
        "Сервисные аккаунты → Ключи) и укажите его в --credentials."
    )


def exhausted(
    action: str, tries: int, elapsed: float, reason: str, maybe_applied: bool
) -> BackendError:
    """The error when the retry budget is spent."""
    outcome = (
        "Запись могла не дойти до конца; следующий запуск перепишет листы бота целиком."
        if maybe_applied
        else "Ничего не записано."
    )
    what = "прочитать таблицу" if action == "чтение" else "записать листы"
    return BackendError(
        f"Не удалось {what} Google: {tries} попыток за {elapsed:.0f} с, последняя "
        f"причина — {reason}. {outcome} Попробуйте позже или увеличьте [retry] в конфиге."
    )


def retry_after(response: requests.Response) -> float | None:
    """Seconds from a `Retry-After` header (only the delta-seconds form is used by Google)."""
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
