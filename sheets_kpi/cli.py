"""Command line (SPEC §10): the argument parser, `main` and the mapping of errors to exit codes;
no business logic. The command bodies are in commands.py, the terminal output in console.py,
options → config, backend and dates in options.py, the worker wiring in service.py.

Exit codes: 0 ok, 1 input errors, 2 usage or configuration error, 3 the spreadsheet could not
be reached, 4 an internal error of the bot (a bug: please report it).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.console import Console
from rich.text import Text

from sheets_kpi import __version__, commands, console, options
from sheets_kpi.errors import SheetsKpiError

logger = logging.getLogger(__name__)

INTERNAL_ERROR_EXIT = 4

DESCRIPTION = """\
sheets-kpi — бонусы, KPI, лидерборд и предупреждения по журналу продаж
в Google Таблице или в локальной книге .xlsx.

Бот читает входные листы (Продажи, План, Мотивация, Сделки, Активность),
проверяет каждую строку и пишет листы Сводка, Лидерборд, Бонусы,
Помесячно и Ошибки. Входные листы он не меняет."""

EPILOG = """\
примеры:
  sheets-kpi demo                         демо-книга demo.xlsx за минуту
  sheets-kpi init продажи.xlsx            пустая книга с нужными листами
  sheets-kpi check --xlsx продажи.xlsx    только проверить строки
  sheets-kpi run --once --xlsx продажи.xlsx --report отчёт.json
  sheets-kpi run --once --sheet https://docs.google.com/spreadsheets/d/ID/edit \\
      --credentials credentials.json

коды выхода: 0 — всё хорошо, 1 — во входных данных есть ошибки,
2 — ошибка в команде или настройках, 3 — таблица недоступна.
Подробнее: README.md."""

DEMO_EPILOG = """\
пример:
  sheets-kpi demo                  создать demo.xlsx и посчитать его
  sheets-kpi demo пример.xlsx --as-of 2026-11-22 --report отчёт.json"""

INIT_EPILOG = """\
примеры:
  sheets-kpi init продажи.xlsx     создать книгу (или добавить недостающие листы)
  sheets-kpi init --sheet ID --credentials credentials.json

Лист, в котором уже есть данные, init не трогает."""

RUN_EPILOG = """\
примеры:
  sheets-kpi run --once --xlsx продажи.xlsx
  sheets-kpi run --once --xlsx продажи.xlsx --as-of 2026-11-30 --report отчёт.json
  sheets-kpi run --every 15m --sheet ID --credentials credentials.json
  sheets-kpi run --at 09:00 --at 18:00 --config sheets_kpi.toml

Строки с ошибками не учитываются и попадают на лист Ошибки; расчёт при этом
делается и код выхода 0. Код 1 — только когда считать нельзя совсем
(нет листа Продажи или обязательного столбца)."""

STATUS_EPILOG = """\
пример:
  sheets-kpi status --config sheets_kpi.toml

Показывает по каждой таблице из настроек: когда листы обновлялись, за какую дату
данные, следующий запуск и последний сбой. Сведения пишет работающий бот
(run --every/--at) и run --once в папку $SHEETS_KPI_STATE_DIR (по умолчанию
$STATE_DIRECTORY systemd или временная папка)."""

CHECK_EPILOG = """\
пример:
  sheets-kpi check --xlsx продажи.xlsx
  sheets-kpi check --sheet ID --report ошибки.json

Ничего не записывает. Код выхода 1, если есть ошибки (предупреждения не в счёт)."""


class _RussianHelpFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(
        self,
        usage: str | None,
        actions: Sequence[argparse.Action],
        groups: Sequence[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, "использование: " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse with Russian section titles and error lines; usage errors exit 2."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", _RussianHelpFormatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._positionals.title = "аргументы"
        self._optionals.title = "параметры"
        self.add_argument("-h", "--help", action="help", help="показать эту справку и выйти")

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: ошибка: {message}\nСправка: {self.prog} --help\n")


def build_parser() -> argparse.ArgumentParser:
    """The `sheets-kpi` argument parser, with Russian help and an example for each command."""
    common = argparse.ArgumentParser(add_help=False)
    where = common.add_argument_group("таблица и настройки")
    where.add_argument("--xlsx", type=Path, metavar="FILE", help="локальная книга .xlsx")
    where.add_argument(
        "--sheet", metavar="ID_OR_URL", help="Google Таблица: её ID или ссылка целиком"
    )
    where.add_argument(
        "--credentials",
        type=Path,
        metavar="FILE",
        help="ключ сервисного аккаунта Google (JSON); иначе GOOGLE_APPLICATION_CREDENTIALS",
    )
    where.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="дата «сегодня» для расчёта (по умолчанию сегодня в часовом поясе из настроек)",
    )
    where.add_argument("--report", type=Path, metavar="FILE", help="записать отчёт JSON в файл")
    where.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help=f"файл настроек TOML (по умолчанию {options.DEFAULT_CONFIG}, если он есть)",
    )
    where.add_argument("-v", "--verbose", action="store_true", help="подробный журнал")

    parser = _Parser(prog="sheets-kpi", description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument(
        "--version",
        action="version",
        version=f"sheets-kpi {__version__}",
        help="показать версию и выйти",
    )
    subcommands = parser.add_subparsers(dest="command", title="команды", metavar="КОМАНДА")

    demo = subcommands.add_parser(
        "demo",
        parents=[common],
        help="создать демо-книгу с примером агентства и посчитать её",
        description="Создаёт книгу с данными агентства за 14 месяцев (с парой намеренных\n"
        "ошибок), считает её и говорит, какие листы открыть.",
        epilog=DEMO_EPILOG,
    )
    demo.add_argument("file", nargs="?", type=Path, metavar="FILE", help="по умолчанию demo.xlsx")

    init = subcommands.add_parser(
        "init",
        parents=[common],
        help="создать недостающие входные листы с заголовками и списками",
        description="Создаёт книгу или добавляет в неё недостающие входные листы:\n"
        "заголовки, выпадающие списки, форматы дат и денег и одну строку-пример.",
        epilog=INIT_EPILOG,
    )
    init.add_argument("file", nargs="?", type=Path, metavar="FILE", help="книга .xlsx")

    run = subcommands.add_parser(
        "run",
        parents=[common],
        help="посчитать и записать листы (один раз или по расписанию)",
        description="Читает входные листы, проверяет строки, считает бонусы и KPI\n"
        "и переписывает листы Сводка, Лидерборд, Бонусы, Помесячно, Ошибки.",
        epilog=RUN_EPILOG,
    )
    run.add_argument("--once", action="store_true", help="один расчёт и выход")
    run.add_argument("--every", metavar="INTERVAL", help="работать по расписанию: 30s, 15m, 1h")
    run.add_argument(
        "--at", action="append", metavar="HH:MM", help="ежедневно в это время (можно повторять)"
    )

    subcommands.add_parser(
        "check",
        parents=[common],
        help="только проверить строки, ничего не записывая",
        description="Проверяет входные листы и печатает ошибки таблицей.",
        epilog=CHECK_EPILOG,
    )
    subcommands.add_parser(
        "status",
        parents=[common],
        help="когда бот обновлял каждую таблицу и не было ли сбоев",
        description="Печатает состояние каждой таблицы из настроек: последнее обновление,\n"
        "дату данных, следующий запуск по расписанию и последний сбой.",
        epilog=STATUS_EPILOG,
    )
    for subparser in subcommands.choices.values():
        subparser.formatter_class = _RussianHelpFormatter
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of `sheets-kpi` and `python -m sheets_kpi`; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 2)
    verbose = bool(getattr(args, "verbose", False))
    console.setup_logging(verbose)
    out = Console(file=sys.stdout, highlight=False, soft_wrap=False)
    err = Console(file=sys.stderr, highlight=False, soft_wrap=True)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    handlers: dict[str, Callable[[argparse.Namespace, Console], int]] = {
        "demo": commands.cmd_demo,
        "init": commands.cmd_init,
        "run": commands.cmd_run,
        "check": commands.cmd_check,
        "status": commands.cmd_status,
    }
    try:
        return handlers[args.command](args, out)
    except SheetsKpiError as error:
        logger.debug("failed", exc_info=True)
        err.print(Text(f"Ошибка: {error}"))
        return error.exit_code
    except KeyboardInterrupt:
        err.print(Text("Прервано."))
        return 130
    except Exception as error:  # a bug: one readable line, the traceback only with --verbose
        logger.debug("internal error", exc_info=True)
        err.print(
            Text(
                f"Внутренняя ошибка бота ({type(error).__name__}: {error}). Запустите команду "
                "ещё раз с --verbose и пришлите вывод разработчикам."
            )
        )
        if verbose:
            err.print_exception()
        return INTERNAL_ERROR_EXIT
