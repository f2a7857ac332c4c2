"""The body of each `sheets-kpi` command: read the options, call the pipeline, print the
outcome. Each returns its exit code; errors are raised as `SheetsKpiError` for cli.py to map."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from rich.console import Console
from rich.text import Text

from sheets_kpi import console, demo, options, service, worker
from sheets_kpi.backends.xlsx import XlsxBackend
from sheets_kpi.config import spreadsheet_label
from sheets_kpi.console import say
from sheets_kpi.core.output import initplan
from sheets_kpi.core.settings import Config
from sheets_kpi.errors import ConfigError, SheetsKpiError, UsageError
from sheets_kpi.messages import pair, text
from sheets_kpi.pipeline import run_once
from sheets_kpi.redact import redact

logger = logging.getLogger(__name__)

DEFAULT_DEMO = Path("demo.xlsx")


def cmd_demo(args: argparse.Namespace, out: Console) -> int:
    """`sheets-kpi demo`: build the demo workbook, compute it and say which tabs to open."""
    if args.sheet:
        raise UsageError(*pair("demo_no_sheet"))
    config = options.config_from(args)
    if args.file is not None and args.xlsx is not None and args.file != args.xlsx:
        raise UsageError(*pair("demo_file_twice"))
    path = args.file or args.xlsx or DEFAULT_DEMO
    as_of = options.as_of(args, config)
    report = options.report_target(args, path, config)
    if path.exists() and path.name != DEFAULT_DEMO.name:
        # a demo over somebody's real workbook would destroy it; demo.xlsx is the demo's own
        raise UsageError(*pair("demo_file_exists", path=path))
    demo.build_demo(path, as_of, config)
    outcome = run_once(XlsxBackend(path), config, as_of, options.run_at(config))
    options.write_report(report, outcome, config, as_of)
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


def cmd_init(args: argparse.Namespace, out: Console) -> int:
    """`sheets-kpi init`: add the missing input tabs with headers, lists and an example row."""
    if args.file is not None and args.xlsx is not None and args.file != args.xlsx:
        raise UsageError(*pair("init_file_twice"))
    if args.file is not None and args.sheet:
        raise UsageError(*pair("init_file_and_sheet"))
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
                    f"{config.tab_title('sales')}», удалите строки-примеры (менеджер «Пример: "
                    "…»; в расчёт они не входят) и запустите sheets-kpi run --once.",
                    f"{backend.describe()}: created tabs {names}. Fill in "
                    f"'{config.tab_title('sales')}', delete the example rows (manager "
                    "'Example: …'; they are not counted) and run sheets-kpi run --once.",
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


def cmd_run(args: argparse.Namespace, out: Console) -> int:
    """`sheets-kpi run`: one run with --once, else the scheduled worker."""
    try:
        config = options.config_from(args)
    except ConfigError as error:
        service.show_config_failure(args, error)
        raise
    if not args.once:
        return service.serve(args, config)
    if args.every or args.at:
        raise UsageError(*pair("once_with_schedule"))
    entries = options.spreadsheets(args, config)
    if len(entries) > 1:
        return _run_each_once(args, out, entries)
    as_of = options.as_of(args, config)
    report = options.report_target(args, options.local_workbook(args, config), config)
    backend = options.backend(args, config, xlsx=args.xlsx, must_exist=True)
    outcome = service.run_once_locked(backend, config, as_of)
    options.write_report(report, outcome, config, as_of)
    console.print_run_summary(out, outcome, config, backend.describe())
    return 1 if outcome.fatal else 0


def _run_each_once(args: argparse.Namespace, out: Console, entries: list[Config]) -> int:
    """`run --once` over several [[spreadsheet]] entries: each in turn, one failing never stops
    the others; the exit code is the worst of them."""
    if args.report is not None:
        raise UsageError(*pair("report_several_once"))
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
            err.print(
                Text(
                    redact(
                        text(
                            "entry_error",
                            entry.language,
                            name=name,
                            message=error.text(entry.language),
                        )
                    )
                )
            )
            worst = max(worst, error.exit_code)
            continue
        out.print(Text(f"— {name} —"))
        console.print_run_summary(out, outcome, entry, backend.describe())
        worst = max(worst, 1 if outcome.fatal else 0)
    return worst


def cmd_check(args: argparse.Namespace, out: Console) -> int:
    """`sheets-kpi check`: validate and print the problems; writes nothing but --report."""
    config = options.config_from(args)
    as_of = options.as_of(args, config)
    report = options.report_target(args, options.local_workbook(args, config), config)
    backend = options.backend(args, config, xlsx=args.xlsx, must_exist=True)
    outcome = run_once(backend, config, as_of, options.run_at(config), write=False)
    options.write_report(report, outcome, config, as_of)
    console.print_problems(out, outcome.problems, config)
    return 1 if outcome.error_count else 0


def cmd_status(args: argparse.Namespace, out: Console) -> int:
    """`sheets-kpi status`: what the worker recorded for each configured spreadsheet."""
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
        raise UsageError(*pair("status_no_table"))
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
