"""The Google Sheets backend's messages in Russian and English: one catalogue, keyed by a
name, as the workbook backend's `xlsx/texts.py`. `pair(key, **fields)` gives (ru, en) for an
exception (`CredentialsError(*pair(...))`), which the CLI shows in the language of the run
(`SheetsKpiError.text`). A field given as a (ru, en) tuple is filled in per language."""

from __future__ import annotations

from sheets_kpi.core.textfmt import plural_ru
from sheets_kpi.errors import bilingual

GSHEETS_TEXTS: dict[str, tuple[str, str]] = {
    "not_a_sheet": (
        "«{sheet}» не похоже на таблицу Google: укажите в --sheet ссылку вида "
        "https://docs.google.com/spreadsheets/d/<ID>/edit или сам ID (часть ссылки между /d/ и "
        "/edit).",
        "'{sheet}' does not look like a Google Sheet: give --sheet a link like "
        "https://docs.google.com/spreadsheets/d/<ID>/edit or the ID itself (the part of the "
        "link between /d/ and /edit).",
    ),
    "no_key": (
        "Не указан ключ сервисного аккаунта Google: передайте --credentials ФАЙЛ.json, "
        "пропишите credentials в конфиге или задайте переменную "
        "GOOGLE_APPLICATION_CREDENTIALS (см. README, раздел про Google Sheets).",
        "No Google service-account key given: pass --credentials FILE.json, "
        "set credentials in the config or set the variable "
        "GOOGLE_APPLICATION_CREDENTIALS (see the README, the Google Sheets section).",
    ),
    "key_missing": (
        "Файл ключа {path} не найден: проверьте путь или скачайте ключ сервисного аккаунта "
        "заново (Google Cloud → IAM → Сервисные аккаунты → Ключи → Добавить ключ → JSON).",
        "The key file {path} was not found: check the path or download the service-account "
        "key again (Google Cloud → IAM → Service Accounts → Keys → Add key → JSON).",
    ),
    "not_json": (
        "Файл {path} — не JSON-ключ сервисного аккаунта: скачайте ключ в формате JSON "
        "(Google Cloud → IAM → Сервисные аккаунты → Ключи → Добавить ключ → JSON).",
        "The file {path} is not a JSON service-account key: download the key as JSON "
        "(Google Cloud → IAM → Service Accounts → Keys → Add key → JSON).",
    ),
    "not_a_key": (
        "Файл {path} — не ключ сервисного аккаунта: скачайте JSON-ключ.",
        "The file {path} is not a service-account key: download a JSON key.",
    ),
    "oauth_client": (
        "Файл {path} — это OAuth-клиент («client secret»), а нужен ключ сервисного "
        "аккаунта: создайте сервисный аккаунт (Google Cloud → IAM → Сервисные аккаунты), "
        "скачайте его JSON-ключ и откройте таблице доступ для его e-mail.",
        "The file {path} is an OAuth client ('client secret'), but a service-account key is "
        "needed: create a service account (Google Cloud → IAM → Service Accounts), "
        "download its JSON key and share the spreadsheet with its e-mail.",
    ),
    "no_type": (
        'Файл {path} — не ключ сервисного аккаунта (в нём нет "type": '
        '"service_account"): скачайте JSON-ключ сервисного аккаунта.',
        'The file {path} is not a service-account key (it has no "type": '
        '"service_account"): download a service-account JSON key.',
    ),
    "damaged_key": (
        "Ключ сервисного аккаунта в {path} повреждён или неполон: скачайте новый JSON-ключ.",
        "The service-account key in {path} is damaged or incomplete: download a new JSON key.",
    ),
    "api_disabled": (
        "Google Sheets API не включён в проекте Google Cloud этого сервисного аккаунта: "
        "откройте console.cloud.google.com → «API и сервисы» → «Библиотека», включите "
        "Google Sheets API и через пару минут запустите снова. Ничего не записано.",
        "The Google Sheets API is not enabled in this service account's Google Cloud "
        "project: open console.cloud.google.com → 'APIs & Services' → 'Library', enable the "
        "Google Sheets API and run again in a couple of minutes. Nothing was written.",
    ),
    "no_access": (
        "Нет доступа к таблице {spreadsheet_id}: откройте доступ к таблице для "
        "{email} с правами редактора (кнопка «Настройки доступа» в "
        "таблице) и запустите снова. Ничего не записано.",
        "No access to the spreadsheet {spreadsheet_id}: share the spreadsheet with "
        "{email} as an editor (the 'Share' button in the spreadsheet) "
        "and run again. Nothing was written.",
    ),
    "not_found": (
        "Таблица {spreadsheet_id} не найдена: ID неверен. Проверьте --sheet — "
        "скопируйте ссылку на таблицу из адресной строки браузера целиком. "
        "Ничего не записано.",
        "The spreadsheet {spreadsheet_id} was not found: the ID is wrong. Check --sheet: "
        "copy the whole link of the spreadsheet from the browser's address bar. "
        "Nothing was written.",
    ),
    "refused": (
        "Google отказался {what} (ошибка {status}: {message}). "
        "Ничего не записано; если ошибка повторяется, сообщите о ней разработчикам.",
        "Google refused to {what} (error {status}: {message}). "
        "Nothing was written; if the error repeats, report it to the developers.",
    ),
    "clock_skew": (
        "Google не принял вход сервисного аккаунта: часы этого компьютера спешат или "
        "отстают. Включите синхронизацию времени (например, `timedatectl set-ntp true`) "
        "и запустите снова.",
        "Google refused the service account's sign-in: this computer's clock is fast or "
        "slow. Turn on time synchronisation (e.g. `timedatectl set-ntp true`) "
        "and run again.",
    ),
    "key_revoked": (
        "Google не принял ключ сервисного аккаунта {email}: ключ отозван, "
        "удалён или аккаунт отключён. Создайте новый JSON-ключ (Google Cloud → IAM → "
        "Сервисные аккаунты → Ключи) и укажите его в --credentials.",
        "Google refused the service-account key of {email}: the key was revoked, "
        "deleted or the account disabled. Create a new JSON key (Google Cloud → IAM → "
        "Service Accounts → Keys) and give it in --credentials.",
    ),
    "exhausted": (
        "Не удалось {what} Google: {tries} за {elapsed} с, последняя "
        "причина — {reason}. {outcome} Попробуйте позже или увеличьте [retry] в конфиге.",
        "Could not {what} on Google: {tries} in {elapsed} s, the last "
        "reason: {reason}. {outcome} Try later or raise [retry] in the config.",
    ),
    # parts of the messages above
    "what_read": ("прочитать таблицу", "read the spreadsheet"),
    "what_write": ("записать листы", "write the tabs"),
    "no_explanation": ("без пояснения", "no explanation"),
    "nothing_written": ("Ничего не записано.", "Nothing was written."),
    "maybe_applied": (
        "Запись могла не дойти до конца; следующий запуск перепишет листы бота целиком.",
        "The write may not have finished; the next run rewrites the bot's tabs whole.",
    ),
    "no_email": (
        "e-mail сервисного аккаунта (поле client_email в ключе)",
        "the service account's e-mail (the client_email field of the key)",
    ),
    "quota": ("превышена квота запросов Google (429)", "Google's request quota exceeded (429)"),
    "server_error": ("ошибка сервера Google ({status})", "Google server error ({status})"),
    "timeout": ("Google не ответил вовремя (таймаут)", "Google did not answer in time (timeout)"),
    "connection": (
        "обрыв соединения с Google ({name})",
        "the connection to Google broke ({name})",
    ),
    "auth_unreachable": (
        "нет связи с сервером авторизации Google ({name})",
        "no connection to Google's sign-in server ({name})",
    ),
    "auth_unavailable": (
        "сервер авторизации Google временно недоступен",
        "Google's sign-in server is unavailable for a while",
    ),
}


def pair(key: str, /, **fields: object) -> tuple[str, str]:
    """Message `key` in Russian and English with its `{fields}` filled in; a field that is a
    (ru, en) pair gives each language its own text."""
    return bilingual(GSHEETS_TEXTS, key, **fields)


def tries(count: int) -> tuple[str, str]:
    """«3 попытки» / "3 tries": the count with its noun form in each language."""
    russian = plural_ru(count, "попытка", "попытки", "попыток")
    return f"{count} {russian}", f"{count} {'try' if count == 1 else 'tries'}"
