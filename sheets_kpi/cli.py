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
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.console import Console
from rich.text import Text

from sheets_kpi import __version__, commands, console, messages, options
from sheets_kpi.cli_help import help_text
from sheets_kpi.errors import BackendError, SheetsKpiError
from sheets_kpi.redact import key_path, redact

logger = logging.getLogger(__name__)

INTERNAL_ERROR_EXIT = 4


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """`usage:` in the language of the run."""

    language = "ru"

    def add_usage(
        self,
        usage: str | None,
        actions: Sequence[argparse.Action],
        groups: Sequence[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        if prefix is None:
            prefix = messages.text("usage_prefix", self.language)
        super().add_usage(usage, actions, groups, prefix)


class _EnglishHelpFormatter(_HelpFormatter):
    language = "en"


class _Parser(argparse.ArgumentParser):
    """argparse with section titles and error lines in the language of the run (argparse's own
    English error sentences are translated); usage errors exit 2."""

    def __init__(self, *args: object, language: str = "ru", **kwargs: object) -> None:
        formatter = _EnglishHelpFormatter if language == "en" else _HelpFormatter
        kwargs.setdefault("formatter_class", formatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.language = language
        self._positionals.title = help_text("positionals", language)
        self._optionals.title = help_text("optionals", language)
        self.add_argument("-h", "--help", action="help", help=help_text("help", language))

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        line = messages.argparse_error(message, self.language)
        self.exit(2, messages.text("parser_error", self.language, prog=self.prog, message=line))


def build_parser(language: str = "ru") -> argparse.ArgumentParser:
    """The `sheets-kpi` argument parser, with help in `language` and an example for each
    command."""

    def say(key: str, **fields: object) -> str:
        return help_text(key, language, **fields)

    common = argparse.ArgumentParser(add_help=False)
    where = common.add_argument_group(say("where_group"))
    where.add_argument("--xlsx", type=Path, metavar="FILE", help=say("xlsx"))
    where.add_argument("--sheet", metavar="ID_OR_URL", help=say("sheet"))
    where.add_argument("--credentials", metavar="FILE", help=say("credentials"))
    where.add_argument("--as-of", metavar="YYYY-MM-DD", help=say("as_of"))
    where.add_argument("--report", type=Path, metavar="FILE", help=say("report"))
    where.add_argument(
        "--config", type=Path, metavar="FILE", help=say("config", default=options.DEFAULT_CONFIG)
    )
    where.add_argument("-v", "--verbose", action="store_true", help=say("verbose"))

    parser = _Parser(
        prog="sheets-kpi", description=say("description"), epilog=say("epilog"), language=language
    )
    parser.add_argument(
        "--version", action="version", version=f"sheets-kpi {__version__}", help=say("version")
    )
    subcommands = parser.add_subparsers(
        dest="command", title=say("commands"), metavar=say("command_metavar")
    )

    def command(name: str, description: str | None = None) -> argparse.ArgumentParser:
        return subcommands.add_parser(
            name,
            parents=[common],
            help=say(name),
            description=say(description or f"{name}_description"),
            epilog=say(f"{name}_epilog"),
            language=language,
        )

    demo = command("demo")
    demo.add_argument("file", nargs="?", type=Path, metavar="FILE", help=say("demo_file"))
    init = command("init")
    init.add_argument("file", nargs="?", type=Path, metavar="FILE", help=say("init_file"))
    run = command("run")
    run.add_argument("--once", action="store_true", help=say("once"))
    run.add_argument("--every", metavar="INTERVAL", help=say("every"))
    run.add_argument("--at", action="append", metavar="HH:MM", help=say("at"))
    command("check")
    command("status")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of `sheets-kpi` and `python -m sheets_kpi`; returns the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    # argparse speaks before any config is read: the language comes from $SHEETS_KPI_LANG or a
    # quick look at the config file's `language` (options.language_of_run).
    language = options.language_of_run(argv)
    parser = build_parser(language)
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

    def show(key: str, **fields: object) -> None:
        err.print(Text(redact(messages.text(key, language, **fields))))

    try:
        with console.library_warnings_to_log():
            if args.credentials is not None:  # never echo a pasted key (redact.py)
                args.credentials = Path(key_path(args.credentials, "--credentials"))
            return handlers[args.command](args, out)
    except SheetsKpiError as error:
        logger.debug("failed", exc_info=True)
        show("error_prefix", message=error.text(language))
        return error.exit_code
    except KeyboardInterrupt:
        show("interrupted")
        return 130
    except OSError as error:  # a disk or a file the bot did not expect: no traceback
        logger.debug("input/output error", exc_info=True)
        where = f" {error.filename}" if error.filename else ""
        show("os_error", where=where, reason=error.strerror or type(error).__name__)
        return BackendError.exit_code
    except Exception as error:  # a bug: one readable line, the traceback only with --verbose
        logger.debug("internal error", exc_info=True)
        show("internal_error", kind=type(error).__name__, message=error)
        if verbose:
            err.print(Text(redact(traceback.format_exc())))
        return INTERNAL_ERROR_EXIT
