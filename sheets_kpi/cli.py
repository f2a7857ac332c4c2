"""Command line (SPEC §10): argument parsing, exit codes and printing; no business logic.

Exit codes: 0 ok, 1 input errors, 2 usage or configuration error, 3 the spreadsheet could not
be reached, 4 an internal error of the bot (a bug: please report it).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from sheets_kpi import __version__, console, options, service
from sheets_kpi.config import Config, spreadsheet_label
from sheets_kpi.console import say
from sheets_kpi.errors import (
    SheetsKpiError,
    UsageError,
)

if TYPE_CHECKING:
    pass

logger = logging.getLogger(__name__)

DEFAULT_DEMO = Path("demo.xlsx")
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
    commands = parser.add_subparsers(dest="command", title="команды", metavar="КОМАНДА")

    demo = commands.add_parser(
        "demo",
        parents=[common],
        help="создать демо-книгу с примером агентства и посчитать её",
        description="Создаёт книгу с данными агентства за 14 месяцев (с парой намеренных\n"
        "ошибок), считает её и говорит, какие листы открыть.",
        epilog=DEMO_EPILOG,
    )
    demo.add_argument("file", nargs="?", type=Path, metavar="FILE", help="по умолчанию demo.xlsx")

    init = commands.add_parser(
        "init",
        parents=[common],
        help="создать недостающие входные листы с заголовками и списками",
        description="Создаёт книгу или добавляет в неё недостающие входные листы:\n"
        "заголовки, выпадающие списки, форматы дат и денег и одну строку-пример.",
        epilog=INIT_EPILOG,
    )
    init.add_argument("file", nargs="?", type=Path, metavar="FILE", help="книга .xlsx")

    run = commands.add_parser(
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

    commands.add_parser(
        "check",
        parents=[common],
        help="только проверить строки, ничего не записывая",
        description="Проверяет входные листы и печатает ошибки таблицей.",
        epilog=CHECK_EPILOG,
    )
    commands.add_parser(
        "status",
        parents=[common],
        help="когда бот обновлял каждую таблицу и не было ли сбоев",
        description="Печатает состояние каждой таблицы из настроек: последнее обновление,\n"
        "дату данных, следующий запуск по расписанию и последний сбой.",
        epilog=STATUS_EPILOG,
    )
    for subparser in commands.choices.values():
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
    commands: dict[str, Callable[[argparse.Namespace, Console], int]] = {
        "demo": _demo,
        "init": _init,
        "run": _run,
        "check": _check,
        "status": _status,
    }
    try:
        return commands[args.command](args, out)
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


# --- commands ------------------------------------------------------------------------------


def _demo(args: argparse.Namespace, out: Console) -> int:
    from sheets_kpi import demo
    from sheets_kpi.backends.xlsx import XlsxBackend
    from sheets_kpi.pipeline import run_once

    if args.sheet:
        raise UsageError(
            "demo создаёт только локальную книгу .xlsx. Запустите sheets-kpi demo без --sheet, "
            "а свою Google Таблицу подготовьте командой sheets-kpi init --sheet ID."
        )
    config = options.config_from(args)
    if args.file is not None and args.xlsx is not None and args.file != args.xlsx:
        raise UsageError("Укажите файл один раз: sheets-kpi demo FILE или --xlsx FILE.")
    path = args.file or args.xlsx or DEFAULT_DEMO
    as_of = options.as_of(args, config)
    if path.exists() and path.name != DEFAULT_DEMO.name:
        # a demo over somebody's real workbook would destroy it; demo.xlsx is the demo's own
        raise UsageError(
            f"Файл {path} уже есть, и demo перезаписал бы его целиком. Укажите новое имя "
            "(например, sheets-kpi demo демо.xlsx) или удалите файл сами."
        )
    demo.build_demo(path, as_of, config)
    outcome = run_once(XlsxBackend(path), config, as_of, options.run_at(config))
    options.write_report(args, outcome, config, as_of)
    console.print_run_summary(out, outcome, config, str(path))
    out.print(
        Text(
            say(
                config,
                f"Демо-книга готова: {path}. Откройте в ней листы «{config.tab_title('summary')}»"
                f" и «{config.tab_title('leaderboard')}», потом «{config.tab_title('bonuses')}»"
                f" (каждый рубль с объяснением) и «{config.tab_title('errors')}» (намеренные "
                f"ошибки в данных). Входные листы, которые заполняют люди, — "
                f"«{config.tab_title('sales')}», «{config.tab_title('deals')}», "
                f"«{config.tab_title('activity')}», «{config.tab_title('plan')}» и "
                f"«{config.tab_title('roster')}».",
                f"The demo workbook is ready: {path}. Open the tabs "
                f"'{config.tab_title('summary')}' and '{config.tab_title('leaderboard')}', then "
                f"'{config.tab_title('bonuses')}' (every rouble explained) and "
                f"'{config.tab_title('errors')}' (deliberate mistakes in the data).",
            )
        )
    )
    return 1 if outcome.fatal else 0


def _init(args: argparse.Namespace, out: Console) -> int:
    from sheets_kpi.core import initplan

    if args.file is not None and args.xlsx is not None and args.file != args.xlsx:
        raise UsageError("Укажите книгу один раз: sheets-kpi init FILE или --xlsx FILE.")
    if args.file is not None and args.sheet:
        raise UsageError("Укажите что-то одно: книгу FILE или Google Таблицу --sheet.")
    config = options.config_from(args)
    as_of = options.as_of(args, config)
    backend = options.backend(args, config, xlsx=args.file or args.xlsx, must_exist=False)
    created = backend.init(initplan.input_tab_inits(config, as_of))
    if created:
        names = ", ".join(f"«{title}»" for title in created)
        out.print(
            Text(
                say(
                    config,
                    f"{backend.describe()}: созданы листы {names}. Заполните «"
                    f"{config.tab_title('sales')}» (строку-пример можно перезаписать) и "
                    "запустите sheets-kpi run --once.",
                    f"{backend.describe()}: created tabs {names}. Fill in "
                    f"'{config.tab_title('sales')}' (overwrite the example row) and run "
                    "sheets-kpi run --once.",
                )
            )
        )
    else:
        out.print(
            Text(
                say(
                    config,
                    f"{backend.describe()}: все входные листы уже есть, ничего не изменено.",
                    f"{backend.describe()}: every input tab is already there; nothing changed.",
                )
            )
        )
    return 0


def _run(args: argparse.Namespace, out: Console) -> int:
    config = options.config_from(args)
    if not args.once:
        return service.serve(args, config)
    if args.every or args.at:
        raise UsageError("--once нельзя сочетать с --every или --at: выберите одно.")
    entries = options.spreadsheets(args, config)
    if len(entries) > 1:
        return _run_each_once(args, out, entries)
    as_of = options.as_of(args, config)
    backend = options.backend(args, config, xlsx=args.xlsx, must_exist=True)
    outcome = service.run_once_locked(backend, config, as_of)
    options.write_report(args, outcome, config, as_of)
    console.print_run_summary(out, outcome, config, backend.describe())
    return 1 if outcome.fatal else 0


def _run_each_once(args: argparse.Namespace, out: Console, entries: list[Config]) -> int:
    """`run --once` over several [[spreadsheet]] entries: each in turn, one failing never stops
    the others; the exit code is the worst of them."""
    if args.report is not None:
        raise UsageError(
            "--report пишет отчёт одной таблицы, а в настройках их несколько. Укажите таблицу "
            "явно: --xlsx FILE или --sheet ID вместе с --report."
        )
    err = Console(file=sys.stderr, highlight=False, soft_wrap=True)
    worst = 0
    for entry in entries:
        name = entry.name or spreadsheet_label(entry)
        as_of = options.as_of(args, entry)
        outcome = None
        try:
            backend = options.backend(args, entry, xlsx=options.entry_xlsx(entry), must_exist=True)
            outcome = service.run_once_locked(backend, entry, as_of)
        except SheetsKpiError as error:
            logger.debug("%s failed", name, exc_info=True)
            err.print(Text(f"{name}: ошибка: {error}"))
            worst = max(worst, error.exit_code)
            continue
        out.print(Text(f"— {name} —"))
        console.print_run_summary(out, outcome, entry, backend.describe())
        worst = max(worst, 1 if outcome.fatal else 0)
    return worst


def _check(args: argparse.Namespace, out: Console) -> int:
    from sheets_kpi.pipeline import run_once

    config = options.config_from(args)
    as_of = options.as_of(args, config)
    backend = options.backend(args, config, xlsx=args.xlsx, must_exist=True)
    outcome = run_once(backend, config, as_of, options.run_at(config), write=False)
    options.write_report(args, outcome, config, as_of)
    console.print_problems(out, outcome.problems, config)
    return 1 if outcome.error_count else 0


def _status(args: argparse.Namespace, out: Console) -> int:
    """`sheets-kpi status`: what the worker recorded for each configured spreadsheet."""
    from sheets_kpi import worker

    config = options.config_from(args)
    state_dir = options.state_dir()
    labels = (
        say(config, "Обновлено", "Updated"),
        say(config, "Данные на", "Data as of"),
        say(config, "Следующий запуск", "Next run"),
        say(config, "Последний сбой", "Last failure"),
        say(config, "Сбоев подряд", "Failures in a row"),
        say(config, "Бот сейчас", "Worker now"),
    )
    entries = options.spreadsheets(args, config)
    named = args.xlsx is not None or args.sheet or config.xlsx or config.sheet
    if not config.spreadsheets and not named:
        raise UsageError(
            "Не указана таблица. Добавьте --config sheets_kpi.toml (где перечислены таблицы), "
            "--xlsx продажи.xlsx или --sheet ID."
        )
    for entry in entries:
        identity = options.identity(args, entry)
        state = worker.read_state(worker.state_path(state_dir, identity))
        holder = worker.lock_holder(state_dir, identity)
        if holder is None:
            running = say(config, "не запущен", "not running")
        else:
            pid = holder.get("pid", "?")
            running = say(config, f"работает (pid {pid})", f"running (pid {pid})")
        if state is None:
            values = (say(config, "ещё не запускался", "never run"), "—", "—", "—", "0", running)
        else:
            values = (
                state.last_update_at or "—",
                state.as_of or "—",
                state.next_run or "—",
                state.last_failure or "—",
                str(state.consecutive_failures),
                running,
            )
        console.print_state_table(out, entry.name or identity, labels, values)
    out.print(Text(say(config, f"Папка состояния: {state_dir}", f"State folder: {state_dir}")))
    return 0
