"""The help texts of `sheets-kpi --help` and of each command, in Russian and English.

One (ru, en) pair per key; cli.py builds its parser in the language of the run.
"""

from __future__ import annotations

HELP: dict[str, tuple[str, str]] = {
    "description": (
        """\
sheets-kpi — бонусы, KPI, лидерборд и предупреждения по журналу продаж
в Google Таблице или в локальной книге .xlsx.

Бот читает входные листы (Продажи, План, Мотивация, Сделки, Активность),
проверяет каждую строку и пишет листы Сводка, Лидерборд, Бонусы,
Помесячно и Ошибки. Входные листы он не меняет.""",
        """\
sheets-kpi — bonuses, KPIs, a leaderboard and alerts from a sales log
in a Google Sheet or a local .xlsx workbook.

The bot reads the input tabs (Sales, Plan, Motivation, Deals, Activity),
checks every row and writes the tabs Summary, Leaderboard, Bonuses,
Monthly and Errors. It never changes the input tabs.""",
    ),
    "epilog": (
        """\
примеры:
  sheets-kpi demo                         демо-книга demo.xlsx за минуту
  sheets-kpi init продажи.xlsx            пустая книга с нужными листами
  sheets-kpi check --xlsx продажи.xlsx    только проверить строки
  sheets-kpi run --once --xlsx продажи.xlsx --report отчёт.json
  sheets-kpi run --once --sheet https://docs.google.com/spreadsheets/d/ID/edit \\
      --credentials credentials.json

коды выхода: 0 — всё хорошо, 1 — во входных данных есть ошибки,
2 — ошибка в команде или настройках, 3 — таблица недоступна,
4 — внутренняя ошибка бота (запустите с --verbose и сообщите нам).
Подробнее: README.md.""",
        """\
examples:
  sheets-kpi demo                         a demo workbook demo.xlsx in a minute
  sheets-kpi init sales.xlsx              an empty workbook with the input tabs
  sheets-kpi check --xlsx sales.xlsx      only check the rows
  sheets-kpi run --once --xlsx sales.xlsx --report report.json
  sheets-kpi run --once --sheet https://docs.google.com/spreadsheets/d/ID/edit \\
      --credentials credentials.json

exit codes: 0 — all good, 1 — the input has errors,
2 — a mistake in the command or the settings, 3 — the spreadsheet is unreachable,
4 — an internal bug (run with --verbose and tell us).
More: README.md.""",
    ),
    "demo_epilog": (
        """\
пример:
  sheets-kpi demo                  создать demo.xlsx и посчитать его
  sheets-kpi demo пример.xlsx --as-of 2026-11-22 --report отчёт.json""",
        """\
example:
  sheets-kpi demo                  create demo.xlsx and compute it
  sheets-kpi demo example.xlsx --as-of 2026-11-22 --report report.json""",
    ),
    "init_epilog": (
        """\
примеры:
  sheets-kpi init продажи.xlsx     создать книгу (или добавить недостающие листы)
  sheets-kpi init --sheet ID --credentials credentials.json

Лист, в котором уже есть данные, init не трогает.""",
        """\
examples:
  sheets-kpi init sales.xlsx       create the workbook (or add the missing tabs)
  sheets-kpi init --sheet ID --credentials credentials.json

init never touches a tab that already holds data.""",
    ),
    "run_epilog": (
        """\
примеры:
  sheets-kpi run --once --xlsx продажи.xlsx
  sheets-kpi run --once --xlsx продажи.xlsx --as-of 2026-11-30 --report отчёт.json
  sheets-kpi run --every 15m --sheet ID --credentials credentials.json
  sheets-kpi run --at 09:00 --at 18:00 --config sheets_kpi.toml

Строки с ошибками не учитываются и попадают на лист Ошибки; расчёт при этом
делается и код выхода 0. Код 1 — только когда считать нельзя совсем
(нет листа Продажи или обязательного столбца).""",
        """\
examples:
  sheets-kpi run --once --xlsx sales.xlsx
  sheets-kpi run --once --xlsx sales.xlsx --as-of 2026-11-30 --report report.json
  sheets-kpi run --every 15m --sheet ID --credentials credentials.json
  sheets-kpi run --at 09:00 --at 18:00 --config sheets_kpi.toml

Rows with errors are left out and listed on the Errors tab; the rest is still
computed and the exit code is 0. Code 1 only when nothing can be computed
(no Sales tab or a required column missing).""",
    ),
    "status_epilog": (
        """\
пример:
  sheets-kpi status --config sheets_kpi.toml

Показывает по каждой таблице из настроек: когда листы обновлялись, за какую дату
данные, следующий запуск и последний сбой. Сведения пишет работающий бот
(run --every/--at) и run --once в папку $SHEETS_KPI_STATE_DIR (по умолчанию
$STATE_DIRECTORY systemd или временная папка).""",
        """\
example:
  sheets-kpi status --config sheets_kpi.toml

Shows for each spreadsheet of the settings: when the tabs were updated, the date
of the figures, the next run and the last failure. The running bot (run --every/--at)
and run --once record this in $SHEETS_KPI_STATE_DIR (by default systemd's
$STATE_DIRECTORY or the temp folder).""",
    ),
    "check_epilog": (
        """\
пример:
  sheets-kpi check --xlsx продажи.xlsx
  sheets-kpi check --sheet ID --report ошибки.json

Ничего не записывает. Код выхода 1, если есть ошибки (предупреждения не в счёт).""",
        """\
example:
  sheets-kpi check --xlsx sales.xlsx
  sheets-kpi check --sheet ID --report errors.json

Writes nothing. Exit code 1 when there are errors (warnings do not count).""",
    ),
    "positionals": ("аргументы", "arguments"),
    "optionals": ("параметры", "options"),
    "commands": ("команды", "commands"),
    "command_metavar": ("КОМАНДА", "COMMAND"),
    "where_group": ("таблица и настройки", "spreadsheet and settings"),
    "help": ("показать эту справку и выйти", "show this help and exit"),
    "version": ("показать версию и выйти", "show the version and exit"),
    "xlsx": ("локальная книга .xlsx", "a local .xlsx workbook"),
    "sheet": ("Google Таблица: её ID или ссылка целиком", "a Google Sheet: its ID or whole URL"),
    "credentials": (
        "ключ сервисного аккаунта Google (JSON); иначе GOOGLE_APPLICATION_CREDENTIALS",
        "the Google service-account key (JSON); else GOOGLE_APPLICATION_CREDENTIALS",
    ),
    "as_of": (
        "дата «сегодня» для расчёта (по умолчанию сегодня в часовом поясе из настроек)",
        "the date taken as today (default: today in the settings' time zone)",
    ),
    "report": ("записать отчёт JSON в файл", "write a JSON report to this file"),
    "config": (
        "файл настроек TOML (по умолчанию {default}, если он есть)",
        "the TOML settings file (default: {default} when present)",
    ),
    "verbose": ("подробный журнал", "a detailed log"),
    "demo": (
        "создать демо-книгу с примером агентства и посчитать её",
        "create a demo workbook of an example agency and compute it",
    ),
    "demo_description": (
        "Создаёт книгу с данными агентства за 14 месяцев (с парой намеренных\n"
        "ошибок), считает её и говорит, какие листы открыть.",
        "Creates a workbook with 14 months of an agency's data (with a few deliberate\n"
        "mistakes), computes it and says which tabs to open.",
    ),
    "demo_file": ("по умолчанию demo.xlsx", "demo.xlsx by default"),
    "init": (
        "создать недостающие входные листы с заголовками и списками",
        "create the missing input tabs with headers and lists",
    ),
    "init_description": (
        "Создаёт книгу или добавляет в неё недостающие входные листы:\n"
        "заголовки, выпадающие списки, форматы дат и денег и одну строку-пример\n"
        "(менеджер «Пример: …»: в расчёт не входит, удалите её).",
        "Creates the workbook or adds the missing input tabs to it:\n"
        "headers, drop-down lists, date and money formats and one example row\n"
        "(manager 'Example: …': not counted, delete it).",
    ),
    "init_file": ("книга .xlsx", "the .xlsx workbook"),
    "run": (
        "посчитать и записать листы (один раз или по расписанию)",
        "compute and write the tabs (once or on a schedule)",
    ),
    "run_description": (
        "Читает входные листы, проверяет строки, считает бонусы и KPI\n"
        "и переписывает листы Сводка, Лидерборд, Бонусы, Помесячно, Ошибки.",
        "Reads the input tabs, checks the rows, computes bonuses and KPIs\n"
        "and rewrites the tabs Summary, Leaderboard, Bonuses, Monthly, Errors.",
    ),
    "once": ("один расчёт и выход", "compute once and exit"),
    "every": (
        "работать по расписанию: 30s, 15m, 1h",
        "run on a schedule: 30s, 15m, 1h",
    ),
    "at": (
        "ежедневно в это время (можно повторять)",
        "daily at this time (may be repeated)",
    ),
    "check": (
        "только проверить строки, ничего не записывая",
        "only check the rows, writing nothing",
    ),
    "check_description": (
        "Проверяет входные листы и печатает ошибки таблицей.",
        "Checks the input tabs and prints the problems as a table.",
    ),
    "status": (
        "когда бот обновлял каждую таблицу и не было ли сбоев",
        "when the bot updated each spreadsheet and whether it failed",
    ),
    "status_description": (
        "Печатает состояние каждой таблицы из настроек: последнее обновление,\n"
        "дату данных, следующий запуск по расписанию и последний сбой.",
        "Prints the state of each spreadsheet of the settings: the last update,\n"
        "the date of the figures, the next scheduled run and the last failure.",
    ),
}


def help_text(key: str, language: str, **fields: object) -> str:
    """Help text `key` in `language` ("ru" or "en")."""
    ru, en = HELP[key]
    chosen = en if language == "en" else ru
    return chosen.format(**fields) if fields else chosen
