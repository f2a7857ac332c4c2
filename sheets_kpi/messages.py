"""The command line's own texts in Russian and English: one catalogue, keyed by a name.

`text(key, language, **fields)` renders one; `pair(key, **fields)` gives (ru, en) for an
exception (`UsageError(*pair(...))`), which the CLI shows in the language of the run
(`SheetsKpiError.text`). The core's texts (problems, tabs) have their own catalogues in core/.
"""

from __future__ import annotations

import re
import string

from sheets_kpi.core.textfmt import plural_ru

MESSAGES: dict[str, tuple[str, str]] = {
    "error_prefix": ("Ошибка: {message}", "Error: {message}"),
    "entry_error": ("{name}: ошибка: {message}", "{name}: error: {message}"),
    "interrupted": ("Прервано.", "Interrupted."),
    "internal_error": (
        "Внутренняя ошибка бота ({kind}: {message}). Запустите команду ещё раз с --verbose и "
        "пришлите вывод разработчикам.",
        "Internal error of the bot ({kind}: {message}). Run the command again with --verbose "
        "and send the output to the developers.",
    ),
    "os_error": (
        "Не удалось прочитать или записать файл{where}: {reason}. Проверьте, что есть место "
        "на диске и права на папку, и запустите снова (подробности — с --verbose).",
        "Could not read or write a file{where}: {reason}. Check the free disk space and the "
        "folder's permissions and run again (details with --verbose).",
    ),
    "usage_prefix": ("использование: ", "usage: "),
    "parser_error": (
        "{prog}: ошибка: {message}\nСправка: {prog} --help\n",
        "{prog}: error: {message}\nHelp: {prog} --help\n",
    ),
    "as_of_format": (
        "Не понял дату --as-of {value}. Пишите ГГГГ-ММ-ДД, например --as-of 2026-11-22.",
        "Could not read the date --as-of {value}. Write YYYY-MM-DD, e.g. --as-of 2026-11-22.",
    ),
    "as_of_range": (
        "Дата --as-of {value} вне допустимого диапазона: бот считает даты с {low} по {high}. "
        "Проверьте год, например --as-of 2026-11-22.",
        "The date --as-of {value} is out of range: the bot handles dates from {low} to {high}. "
        "Check the year, e.g. --as-of 2026-11-22.",
    ),
    "report_no_folder": (
        "Отчёт --report {path} не записать: папки {folder} нет. Создайте её или укажите "
        "другой путь, например --report отчёт.json.",
        "Cannot write the report --report {path}: the folder {folder} does not exist. Create "
        "it or give another path, e.g. --report report.json.",
    ),
    "report_is_folder": (
        "--report {path} — это папка. Укажите файл, например --report {path}/отчёт.json.",
        "--report {path} is a folder. Give a file, e.g. --report {path}/report.json.",
    ),
    "report_not_a_file": (
        "--report {path} — не обычный файл (устройство или канал); бот не станет его "
        "заменять. Укажите обычный файл, например --report отчёт.json.",
        "--report {path} is not a regular file (a device or a pipe); the bot will not replace "
        "it. Give a regular file, e.g. --report report.json.",
    ),
    "report_is_workbook": (
        "--report {path} — это сама книга: отчёт JSON заменил бы её. Укажите для отчёта "
        "другой файл, например --report отчёт.json. Ничего не прочитано и не записано.",
        "--report {path} is the workbook itself: the JSON report would replace it. Give the "
        "report another file, e.g. --report report.json. Nothing was read or written.",
    ),
    "report_is_config": (
        "--report {path} — это файл настроек: отчёт JSON заменил бы его. Укажите для отчёта "
        "другой файл, например --report отчёт.json. Ничего не прочитано и не записано.",
        "--report {path} is the settings file: the JSON report would replace it. Give the "
        "report another file, e.g. --report report.json. Nothing was read or written.",
    ),
    "report_is_key": (
        "--report {path} — это файл ключа Google: отчёт JSON заменил бы ключ. Укажите для "
        "отчёта другой файл, например --report отчёт.json. Ничего не прочитано и не записано.",
        "--report {path} is the Google key file: the JSON report would replace the key. Give "
        "the report another file, e.g. --report report.json. Nothing was read or written.",
    ),
    "report_special": (
        "--report {path} — не обычный файл, а системный путь (/dev или /proc): через него "
        "отчёт заменил бы файл, куда перенаправлен вывод. Укажите обычный файл, например "
        "--report отчёт.json.",
        "--report {path} is not a regular file but a system path (/dev or /proc): through it "
        "the report would replace the file the output is redirected to. Give a regular file, e.g. "
        "--report report.json.",
    ),
    "report_dash": (
        "--report - не поддерживается: отчёт пишется только в файл. Укажите имя файла, "
        "например --report отчёт.json.",
        "--report - is not supported: the report is written to a file only. Give a file name, "
        "e.g. --report report.json.",
    ),
    "report_failed": (
        "Не удалось записать отчёт в {path}: {reason}. Проверьте, что папка доступна для "
        "записи и на диске есть место.",
        "Could not write the report to {path}: {reason}. Check that the folder is writable and "
        "the disk has free space.",
    ),
    "interval_format": (
        "Не понял интервал «{value}». Укажите число и единицу: 30s (секунды), 15m (минуты), "
        "1h (часы) или 1d (дни), например --every 15m.",
        "Could not read the interval '{value}'. Give a number and a unit: 30s (seconds), 15m "
        "(minutes), 1h (hours) or 1d (days), e.g. --every 15m.",
    ),
    "interval_range": (
        "Интервал «{value}» вне допустимого диапазона: можно {range_ru}. Например --every 15m.",
        "The interval '{value}' is out of range: allowed {range_en}. For example --every 15m.",
    ),
    "tab_clash": (
        "В таблице есть лист «{yours}», а бот пишет свой лист «{ours}»: названия отличаются "
        "только регистром, буквой ё/е или пробелами, и их легко спутать. Бот ничего не "
        "записал и ваш лист не тронул. Переименуйте свой лист (например, в «{yours} (мой)») "
        'или дайте листу бота другое название в sheets_kpi.toml: [tabs] {tab} = "{ours} бота".',
        "The spreadsheet has a tab '{yours}' while the bot writes its own tab '{ours}': the "
        "names differ only in letter case or spaces and are easy to confuse. The bot wrote "
        "nothing and left your tab alone. Rename your tab (e.g. to '{yours} (mine)') or give "
        'the bot\'s tab another name in sheets_kpi.toml: [tabs] {tab} = "{ours} (bot)".',
    ),
    "demo_no_sheet": (
        "demo создаёт только локальную книгу .xlsx. Запустите sheets-kpi demo без "
        "--sheet, а свою Google Таблицу подготовьте командой sheets-kpi init --sheet ID.",
        "demo only creates a local .xlsx workbook. Run sheets-kpi demo without --sheet, "
        "and prepare your Google Sheet with sheets-kpi init --sheet ID.",
    ),
    "demo_file_twice": (
        "Укажите файл один раз: sheets-kpi demo FILE или --xlsx FILE.",
        "Give the file once: sheets-kpi demo FILE or --xlsx FILE.",
    ),
    "demo_file_exists": (
        "Файл {path} уже есть, и demo перезаписал бы его целиком. Укажите новое имя "
        "(например, sheets-kpi demo демо.xlsx) или удалите файл сами.",
        "The file {path} already exists and demo would overwrite it entirely. Give a new "
        "name (e.g. sheets-kpi demo demo2.xlsx) or delete the file yourself.",
    ),
    "demo_write_failed": (
        "Не удалось записать демо-книгу {path}: {reason}.",
        "Could not write the demo workbook {path}: {reason}.",
    ),
    "init_file_twice": (
        "Укажите книгу один раз: sheets-kpi init FILE или --xlsx FILE.",
        "Give the workbook once: sheets-kpi init FILE or --xlsx FILE.",
    ),
    "init_file_and_sheet": (
        "Укажите что-то одно: книгу FILE или Google Таблицу --sheet.",
        "Give one of the two: a workbook FILE or a Google Sheet --sheet.",
    ),
    "once_with_schedule": (
        "--once нельзя сочетать с --every или --at: выберите одно.",
        "--once cannot be combined with --every or --at: choose one.",
    ),
    "report_several_once": (
        "--report пишет отчёт одной таблицы, а в настройках их несколько. Укажите таблицу"
        " явно: --xlsx FILE или --sheet ID вместе с --report.",
        "--report writes the report of one spreadsheet, and the settings list several. "
        "Name the spreadsheet: --xlsx FILE or --sheet ID together with --report.",
    ),
    "report_several_worker": (
        "--report пишет отчёт одной таблицы, а в настройках их несколько. Уберите "
        "--report или укажите таблицу явно: --xlsx FILE или --sheet ID.",
        "--report writes the report of one spreadsheet, and the settings list several. "
        "Drop --report or name the spreadsheet: --xlsx FILE or --sheet ID.",
    ),
    "status_no_table": (
        "Не указана таблица. Добавьте --config sheets_kpi.toml (где перечислены таблицы),"
        " --xlsx продажи.xlsx или --sheet ID.",
        "No spreadsheet given. Add --config sheets_kpi.toml (listing the spreadsheets), "
        "--xlsx sales.xlsx or --sheet ID.",
    ),
    "xlsx_and_sheet": (
        "Укажите что-то одно: --xlsx FILE (локальная книга) или --sheet ID.",
        "Give one of the two: --xlsx FILE (a local workbook) or --sheet ID.",
    ),
    "several_tables": (
        "В настройках несколько таблиц ({names}); эта команда работает с одной. Укажите "
        "её: --xlsx FILE или --sheet ID.",
        "The settings list several spreadsheets ({names}); this command works with one. "
        "Name it: --xlsx FILE or --sheet ID.",
    ),
    "no_table": (
        "Не указана таблица. Добавьте --xlsx продажи.xlsx (локальная книга) или --sheet "
        'ID (Google Таблица), или xlsx = "..." в sheets_kpi.toml. Нет таблицы — начните с'
        " sheets-kpi demo или sheets-kpi init продажи.xlsx.",
        "No spreadsheet given. Add --xlsx sales.xlsx (a local workbook) or --sheet ID (a "
        'Google Sheet), or xlsx = "..." in sheets_kpi.toml. No spreadsheet yet? Start '
        "with sheets-kpi demo or sheets-kpi init sales.xlsx.",
    ),
    "workbook_missing": (
        "Книга {path} не найдена. Проверьте путь или создайте её: sheets-kpi init {path}.",
        "The workbook {path} was not found. Check the path or create it: sheets-kpi init {path}.",
    ),
    "gsheets_without_sheet": (
        'В настройках backend = "gsheets", но таблица не указана: добавьте --sheet ID или'
        ' sheet = "..." в sheets_kpi.toml.',
        'The settings say backend = "gsheets" but name no spreadsheet: add --sheet ID or '
        'sheet = "..." to sheets_kpi.toml.',
    ),
    "no_credentials": (
        "Для Google Таблицы нужен ключ сервисного аккаунта: --credentials "
        "credentials.json или переменная GOOGLE_APPLICATION_CREDENTIALS. Как его получить"
        " — в README, раздел «Google Таблица».",
        "A Google Sheet needs a service-account key: --credentials credentials.json or "
        "the GOOGLE_APPLICATION_CREDENTIALS variable. How to get one: README, section "
        "«Google Таблица».",
    ),
    "credentials_missing": (
        "Файл ключа {path} не найден. Проверьте путь в --credentials или "
        "GOOGLE_APPLICATION_CREDENTIALS.",
        "The key file {path} was not found. Check the path in --credentials or "
        "GOOGLE_APPLICATION_CREDENTIALS.",
    ),
    "no_schedule": (
        "Укажите, как запускать: run --once (один раз), run --every 15m или run --at "
        "09:00 (по расписанию), или секцию [schedule] в sheets_kpi.toml.",
        "Say how to run: run --once (once), run --every 15m or run --at 09:00 (on a "
        "schedule), or a [schedule] section in sheets_kpi.toml.",
    ),
    "at_format": (
        "Не понял время «{value}». Укажите время суток как ЧЧ:ММ по 24-часовым часам, "
        "например --at 09:00 или --at 18:30.",
        "Could not read the time '{value}'. Give a time of day as HH:MM on a 24-hour "
        "clock, e.g. --at 09:00 or --at 18:30.",
    ),
    "worker_no_schedule": (
        "Для работы по расписанию укажите --every (например 15m) и/или --at (например "
        "09:00), или [schedule] в конфиге. Для одного запуска: run --once.",
        "To run on a schedule give --every (e.g. 15m) and/or --at (e.g. 09:00), or "
        "[schedule] in the config. For one run: run --once.",
    ),
    "lease_held": (
        "таблицу обслуживает другой бот ({host}, pid {pid}) до {until} UTC; этот цикл "
        "пропущен, листы не тронуты",
        "another bot serves this spreadsheet ({host}, pid {pid}) until {until} UTC; this "
        "cycle is skipped, the tabs are untouched",
    ),
    "locked": (
        "С этой таблицей уже работает другой процесс sheets-kpi (pid {pid} на {host}, с "
        "{since}). Остановите его или дождитесь окончания; два бота на одной таблице не "
        "запускаются.",
        "Another sheets-kpi process is already working with this spreadsheet (pid {pid} "
        "on {host}, since {since}). Stop it or wait for it to finish; two bots never run "
        "on one spreadsheet.",
    ),
    "key_material": (
        "{where}: похоже на содержимое ключа, а не путь к файлу (значение не показано, "
        "чтобы не раскрыть ключ). Сохраните JSON-ключ сервисного аккаунта в файл, например "
        "credentials.json (chmod 600), и укажите путь к нему: --credentials credentials.json.",
        "{where}: this looks like the contents of a key, not a path to a file (the value is "
        "not shown, to keep the key secret). Save the service-account JSON key to a file, "
        "e.g. credentials.json (chmod 600), and pass its path: --credentials credentials.json.",
    ),
    "worker_stopping": (
        "Остановка: остальные таблицы этого цикла пропущены.",
        "Stopping: the other spreadsheets of this cycle are skipped.",
    ),
    "cycle_failed": ("{name}: цикл не удался: {error}", "{name}: the cycle failed: {error}"),
    "failing_in_a_row": (
        "{name}: уже {n} {n:неудачный цикл|неудачных цикла|неудачных циклов} подряд — "
        "проверьте доступ к таблице и сеть; бот продолжит попытки по расписанию.",
        "{name}: {n} failed {n:cycle|cycles} in a row — check the access to the spreadsheet "
        "and the network; the bot keeps trying on schedule.",
    ),
    "working_again": (
        "{name}: снова работает после {n} {n:неудачного цикла|неудачных циклов|неудачных циклов}.",
        "{name}: working again after {n} failed {n:cycle|cycles}.",
    ),
    "state_not_written": (
        "{name}: не удалось записать состояние в {path}: {error}",
        "{name}: could not write the state to {path}: {error}",
    ),
    "worker_stopped": (
        "Остановлен по сигналу; текущий цикл завершён.",
        "Stopped by a signal; the current cycle was finished.",
    ),
}

# argparse's own English sentences (it has no Russian) → (ru, en) for the `error:` line.
ARGPARSE_ERRORS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(r"^unrecognized arguments: (?P<a>.*)$"),
        "непонятные аргументы: {a}",
        "unrecognized arguments: {a}",
    ),
    (
        re.compile(r"^the following arguments are required: (?P<a>.*)$"),
        "не хватает аргументов: {a}",
        "the following arguments are required: {a}",
    ),
    (
        re.compile(r"^argument (?P<a>\S+): invalid choice: (?P<v>.*?) \(choose from (?P<c>.*)\)$"),
        "{a}: нет такого варианта {v} (можно: {c})",
        "argument {a}: invalid choice: {v} (choose from {c})",
    ),
    (
        re.compile(r"^argument (?P<a>\S+): expected one argument$"),
        "после {a} нужно значение",
        "argument {a}: expected one argument",
    ),
    (
        re.compile(r"^argument (?P<a>\S+): ignored explicit argument (?P<v>.*)$"),
        "{a} не принимает значения ({v} лишнее)",
        "argument {a}: ignored explicit argument {v}",
    ),
    (
        re.compile(r"^argument (?P<a>\S+): invalid \S+ value: (?P<v>.*)$"),
        "{a}: не подходит значение {v}",
        "argument {a}: invalid value: {v}",
    ),
    (
        re.compile(r"^ambiguous option: (?P<a>\S+) could match (?P<c>.*)$"),
        "неоднозначный параметр {a}: подходят {c}",
        "ambiguous option: {a} could match {c}",
    ),
    (
        re.compile(r"^argument (?P<a>\S+): not allowed with argument (?P<b>.*)$"),
        "{a} нельзя сочетать с {b}",
        "argument {a}: not allowed with argument {b}",
    ),
)
_UNKNOWN_PARSER_ERROR = (
    "неверная команда ({message})",
    "invalid command line ({message})",
)


class _PluralFormatter(string.Formatter):
    """`str.format` plus noun forms that agree with a count: `{n:цикл|цикла|циклов}` (Russian:
    1, 2–4, 5+ as `plural_ru` decides) and `{n:cycle|cycles}` (English: 1, other)."""

    def format_field(self, value: object, format_spec: str) -> str:
        if "|" not in format_spec or not isinstance(value, int):
            return super().format_field(value, format_spec)
        forms = format_spec.split("|")
        if len(forms) == 3:
            return plural_ru(value, *forms)
        return forms[0] if value == 1 else forms[-1]


_FORMATTER = _PluralFormatter()


def text(key: str, language: str, /, **fields: object) -> str:
    """Message `key` in `language` ("ru" or "en") with its `{fields}` filled in."""
    ru, en = MESSAGES[key]
    return _FORMATTER.format(en if language == "en" else ru, **fields)


def pair(key: str, /, **fields: object) -> tuple[str, str]:
    """Message `key` in Russian and English, for an exception's (message, en)."""
    return text(key, "ru", **fields), text(key, "en", **fields)


def argparse_error(message: str, language: str) -> str:
    """argparse's English error sentence in `language`; an unknown one is wrapped, never
    mixed into a sentence of the other language."""
    for pattern, ru, en in ARGPARSE_ERRORS:
        match = pattern.match(message)
        if match is not None:
            return (en if language == "en" else ru).format(**match.groupdict())
    if language == "en":
        return message
    return _UNKNOWN_PARSER_ERROR[0].format(message=message)
