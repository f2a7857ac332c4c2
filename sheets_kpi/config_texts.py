"""The config's messages in Russian and English: one catalogue, keyed by a name.

Every `ConfigError` the config raises carries both sentences (`ConfigError(ru, en)`); the CLI
shows the one of the run's language. `{fields}` are filled in by `config_pair`.
"""

from __future__ import annotations

from sheets_kpi.errors import bilingual

CONFIG_TEXTS: dict[str, tuple[str, str]] = {
    # whole sentences
    "bad_value": (
        "{source}: значение {name} = {value} не подходит — {problem}. Пример: {example}",
        "{source}: the value {name} = {value} does not fit — {problem}. Example: {example}",
    ),
    "unknown_key": (
        "{source}: неизвестный ключ {name}.{hint} Допустимые ключи здесь: {allowed}.",
        "{source}: unknown key {name}.{hint} Keys allowed here: {allowed}.",
    ),
    "did_you_mean": (" Возможно, имелось в виду {close}?", " Did you mean {close}?"),
    "file_missing": (
        "Файл настроек {path} не найден. Проверьте путь в --config или создайте файл по "
        "образцу sheets_kpi.example.toml.",
        "The settings file {path} was not found. Check the path in --config or create the "
        "file from sheets_kpi.example.toml.",
    ),
    "folder": (
        "{path} — это папка, а не файл настроек. Укажите в --config файл, например "
        "--config sheets_kpi.toml.",
        "{path} is a folder, not a settings file. Give --config a file, e.g. "
        "--config sheets_kpi.toml.",
    ),
    "not_regular": (
        "{path} — не обычный файл (устройство или канал), бот не читает из него настройки. "
        "Укажите в --config файл, например --config sheets_kpi.toml.",
        "{path} is not a regular file (a device or a pipe); the bot does not read settings "
        "from it. Give --config a file, e.g. --config sheets_kpi.toml.",
    ),
    "too_big": (
        "Файл настроек {path} больше {limit} КБ — это не файл настроек. Проверьте путь в "
        "--config, например --config sheets_kpi.toml.",
        "The settings file {path} is larger than {limit} KB: it is not a settings file. Check "
        "the path in --config, e.g. --config sheets_kpi.toml.",
    ),
    "not_utf8": (
        "Файл настроек {path} не в кодировке UTF-8. Сохраните его в UTF-8 и запустите снова.",
        "The settings file {path} is not in UTF-8. Save it as UTF-8 and run again.",
    ),
    "bad_toml": (
        "Файл настроек {path} написан с ошибкой TOML ({at_ru}). Сверьтесь с образцом "
        'sheets_kpi.example.toml: текст в кавычках (language = "ru"), числа без кавычек.',
        "The settings file {path} has a TOML mistake ({at_en}). Compare it with "
        'sheets_kpi.example.toml: text in quotes (language = "en"), numbers without.',
    ),
    "unreadable": (
        "Не удалось прочитать файл настроек {path}: {error}.",
        "Could not read the settings file {path}: {error}.",
    ),
    "key_twice": (
        "{source}: ключ {key} задан и в начале файла, и в секции [spreadsheet], с разными "
        "значениями. Оставьте его в одном месте.",
        "{source}: the key {key} is set both at the top of the file and in [spreadsheet], with "
        "different values. Keep it in one place.",
    ),
    "entry": ("{source}, [[spreadsheet]] №{number}", "{source}, [[spreadsheet]] #{number}"),
    "no_entries": (
        "{source}: список [[spreadsheet]] пуст. Добавьте хотя бы одну таблицу.",
        "{source}: the [[spreadsheet]] list is empty. Add at least one spreadsheet.",
    ),
    "entry_not_table": (
        '{where}: нужна секция, например [[spreadsheet]] xlsx = "a.xlsx".',
        '{where}: a section is needed, e.g. [[spreadsheet]] xlsx = "a.xlsx".',
    ),
    "entry_without_table": (
        '{where}: не указана таблица. Добавьте xlsx = "продажи.xlsx" или '
        'sheet = "https://docs.google.com/spreadsheets/d/…/edit".',
        '{where}: no spreadsheet given. Add xlsx = "sales.xlsx" or '
        'sheet = "https://docs.google.com/spreadsheets/d/…/edit".',
    ),
    "entry_repeated": (
        "{where}: эта таблица ({identity}) уже указана в [[spreadsheet]] №{first}. Оставьте "
        "одну запись на таблицу.",
        "{where}: this spreadsheet ({identity}) is already in [[spreadsheet]] #{first}. Keep "
        "one entry per spreadsheet.",
    ),
    "entry_names_repeated": (
        "{source}: у двух таблиц в [[spreadsheet]] одно имя (name). Дайте каждой своё.",
        "{source}: two [[spreadsheet]] entries have the same name. Give each its own.",
    ),
    "tabs_same_title": (
        '{source}: в [tabs] листы {other} и {key} получили одно название "{title}". У каждого '
        'листа должно быть своё название, например: {key} = "{title} 2".',
        '{source}: in [tabs] the tabs {other} and {key} got the same name "{title}". Each tab '
        'needs its own name, e.g. {key} = "{title} 2".',
    ),
    # the `problem` of a bad value
    "timezone_unknown": ("такого часового пояса нет", "there is no such time zone"),
    "tab_title": (
        "название листа должно быть не длиннее 31 знака и без символов [ ] : * ? / \\",
        "a tab name must be at most 31 characters long, without [ ] : * ? / \\",
    ),
    "scheme_unknown": (
        "схема должна быть одной из: tiers, two_step, margin, fixed",
        "the scheme must be one of: tiers, two_step, margin, fixed",
    ),
    "tiers": (
        "нужен список пар [порог, бонус] в рублях, пороги больше нуля и разные",
        "a list of [threshold, bonus] pairs in roubles is needed, thresholds above zero and "
        "different",
    ),
    "tiers_too_big": (
        "пороги и бонусы должны быть меньше 10¹² ₽ (триллиона)",
        "thresholds and bonuses must be below 10¹² ₽ (a trillion)",
    ),
    "interval_format": (
        "интервал пишется числом и единицей: s — секунды, m — минуты, h — часы, d — дни",
        "an interval is a number and a unit: s seconds, m minutes, h hours, d days",
    ),
    "interval_range": ("интервал {range_ru}", "an interval {range_en}"),
    "lease_format": (
        "срок пишется числом и единицей (s, m, h, d) или off — без отметки",
        "a term is a number and a unit (s, m, h, d), or off for no mark",
    ),
    "lease_range": ("срок {range_ru}", "a term {range_en}"),
    "at_list": ("нужно время ЧЧ:ММ или список таких", "a time HH:MM or a list of them is needed"),
    "at_time": (
        "время пишется как ЧЧ:ММ, от 00:00 до 23:59",
        "a time is written HH:MM, from 00:00 to 23:59",
    ),
    "section": ("здесь нужна секция", "a section is needed here"),
    "text": ("нужен непустой текст в кавычках", "a non-empty text in quotes is needed"),
    "choice": ("допустимо: {allowed}", "allowed: {allowed}"),
    "flag": ("нужно true или false, без кавычек", "true or false is needed, without quotes"),
    "money": (
        "нужна сумма в рублях, число без кавычек, не меньше 0 и меньше 10¹² ₽",
        "an amount in roubles is needed, a number without quotes, from 0 and below 10¹² ₽",
    ),
    "fraction": (
        "нужна доля от 0 до 1 (0.15 — это 15 %), без кавычек",
        "a fraction from 0 to 1 is needed (0.15 is 15 %), without quotes",
    ),
    "number": (
        "нужно число больше 0 и не больше {maximum}, без кавычек",
        "a number above 0 and at most {maximum} is needed, without quotes",
    ),
    "integer": (
        "нужно целое число не меньше {minimum} и не больше {maximum}, без кавычек",
        "a whole number from {minimum} to {maximum} is needed, without quotes",
    ),
    # examples that hold words
    "example_timezone": (
        'timezone = "Europe/Moscow" (или "Asia/Yekaterinburg")',
        'timezone = "Europe/Moscow" (or "Asia/Yekaterinburg")',
    ),
    "example_xlsx": ('xlsx = "продажи.xlsx"', 'xlsx = "sales.xlsx"'),
    "example_name": ('name = "Отдел продаж"', 'name = "Sales team"'),
    "example_tab": ('{key} = "Мой лист"', '{key} = "My tab"'),
    "example_margin_rate": ("margin_rate = 0.5 (это 50 %)", "margin_rate = 0.5 (that is 50 %)"),
    "example_monthly_cap": (
        "monthly_cap = 50000 (0 — без лимита)",
        "monthly_cap = 50000 (0 for no cap)",
    ),
    "example_min_plan_pct": (
        "min_plan_pct = 0.8 (это 80 %; 0 — никогда не удерживать)",
        "min_plan_pct = 0.8 (that is 80 %; 0 never withholds)",
    ),
    "example_lease": ('lease = "30m" (или "off")', 'lease = "30m" (or "off")'),
    "example_section": ("[{key}] … или {key} = {{…}}", "[{key}] … or {key} = {{…}}"),
}

Text = str | tuple[str, str]


def config_pair(key: str, /, **fields: object) -> tuple[str, str]:
    """Config text `key` in Russian and English, `{fields}` filled in."""
    return bilingual(CONFIG_TEXTS, key, **fields)


def both(text: Text) -> tuple[str, str]:
    """A (ru, en) pair; a plain string (a TOML example without words) is the same in both."""
    return (text, text) if isinstance(text, str) else text
