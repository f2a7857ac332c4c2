"""What the command-line options and the config point at: the config file, the spreadsheets a
command serves, the backend, the dates, the state folder and the --report file. Messages about
bad options are Russian and say how to fix them."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import re
import stat
import tempfile
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sheets_kpi.backends import gsheets
from sheets_kpi.backends.base import Backend
from sheets_kpi.backends.xlsx import XlsxBackend
from sheets_kpi.config import load_config, spreadsheet_label
from sheets_kpi.core.output import report as json_report
from sheets_kpi.core.run import fatal_result
from sheets_kpi.core.settings import Config
from sheets_kpi.errors import (
    BackendError,
    ConfigError,
    CredentialsError,
    UsageError,
)
from sheets_kpi.messages import pair
from sheets_kpi.pipeline import RunOutcome

logger = logging.getLogger(__name__)

DEFAULT_CONFIG = Path("sheets_kpi.toml")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# --as-of outside these is a typo (year 2999 meant 1 000 months of figures, 9999 an overflow)
AS_OF_RANGE = (date(2000, 1, 1), date(2100, 12, 31))


LANGUAGE_ENV = "SHEETS_KPI_LANG"
_LANGUAGE_SCAN_BYTES = 200_000
_LANGUAGE_LINE = re.compile(r"""^\s*language\s*=\s*["'](ru|en)["']""", re.MULTILINE)


def language_of_run(argv: list[str]) -> str:
    """The language of the command line's own texts, known before argparse and the config:
    $SHEETS_KPI_LANG, else the `language = "..."` line of the config file the command will read
    (--config FILE, else ./sheets_kpi.toml), else Russian. A config that cannot be read says so
    later, in this language."""
    chosen = os.environ.get(LANGUAGE_ENV, "").strip().lower()
    if chosen in ("ru", "en"):
        return chosen
    path = DEFAULT_CONFIG
    for index, arg in enumerate(argv):
        if arg == "--config" and index + 1 < len(argv):
            path = Path(argv[index + 1])
        elif arg.startswith("--config="):
            path = Path(arg.split("=", 1)[1])
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # /dev/zero, a pipe: never read
            return "ru"
        with path.open("rb") as file:
            text = file.read(_LANGUAGE_SCAN_BYTES).decode("utf-8-sig", errors="replace")
    except (OSError, ValueError):
        return "ru"
    match = _LANGUAGE_LINE.search(text)
    return match.group(1) if match else "ru"


def config_path(args: argparse.Namespace) -> Path | None:
    """The config file a command reads: --config, else ./sheets_kpi.toml when it exists."""
    if args.config is None and DEFAULT_CONFIG.is_file():
        logger.info("настройки из %s", DEFAULT_CONFIG)
        return DEFAULT_CONFIG
    return args.config


def config_from(args: argparse.Namespace) -> Config:
    """The config from --config, else ./sheets_kpi.toml when it exists, else the defaults."""
    return load_config(config_path(args))


def spreadsheets(args: argparse.Namespace, config: Config) -> list[Config]:
    """The spreadsheets a command serves: the one named on the command line, else each
    [[spreadsheet]] entry of the config, else the config's one."""
    if args.xlsx is not None or args.sheet or not config.spreadsheets:
        return [config]
    return list(config.spreadsheets)


def entry_xlsx(config: Config) -> Path | None:
    """The workbook of a [[spreadsheet]] entry, None when it is a Google Sheet."""
    return config.xlsx if config.backend == "xlsx" else None


def identity(args: argparse.Namespace, config: Config) -> str:
    """The spreadsheet as its lock and state files know it (what `Backend.describe` says),
    found without credentials or network."""
    sheet = args.sheet or (config.sheet if args.xlsx is None else None)
    if sheet and (args.sheet or config.backend == "gsheets"):
        try:
            return f"https://docs.google.com/spreadsheets/d/{gsheets.spreadsheet_id(sheet)}/edit"
        except ConfigError:
            return sheet
    path = args.xlsx or config.xlsx
    if path is None:
        return spreadsheet_label(config)
    return str(Path(path).resolve())


def state_dir() -> Path:
    """Where the per-spreadsheet lock files live: $SHEETS_KPI_STATE_DIR, else systemd's
    $STATE_DIRECTORY, else the system temp folder."""
    explicit = os.environ.get("SHEETS_KPI_STATE_DIR") or os.environ.get("STATE_DIRECTORY")
    if explicit:
        return Path(explicit.split(":")[0])
    return Path(tempfile.gettempdir()) / "sheets-kpi"


def today(config: Config) -> date:
    """Today in the config's time zone."""
    return datetime.now(ZoneInfo(config.timezone)).date()


def run_at(config: Config) -> datetime:
    """Now in the config's time zone, to the second: the run time written on the tabs."""
    return datetime.now(ZoneInfo(config.timezone)).replace(microsecond=0)


def as_of(args: argparse.Namespace, config: Config) -> date:
    """The --as-of date (strictly YYYY-MM-DD), else today."""
    if args.as_of is None:
        return today(config)
    text = str(args.as_of).strip()
    try:
        if not _ISO_DATE.match(text):
            raise ValueError(text)
        chosen = date.fromisoformat(text)
    except ValueError:
        raise UsageError(*pair("as_of_format", value=args.as_of)) from None
    if not AS_OF_RANGE[0] <= chosen <= AS_OF_RANGE[1]:
        low, high = (day.isoformat() for day in AS_OF_RANGE)
        raise UsageError(*pair("as_of_range", value=text, low=low, high=high))
    return chosen


def backend(
    args: argparse.Namespace, config: Config, *, xlsx: Path | None, must_exist: bool
) -> Backend:
    """The backend the command line and the config point at."""
    if args.sheet and xlsx is not None:
        raise UsageError(*pair("xlsx_and_sheet"))
    if config.spreadsheets and xlsx is None and not args.sheet:
        names = ", ".join(entry.name or spreadsheet_label(entry) for entry in config.spreadsheets)
        raise UsageError(*pair("several_tables", names=names))
    use_google = bool(args.sheet) or (xlsx is None and config.backend == "gsheets")
    if use_google:
        return google_backend(args, config)
    path = xlsx or config.xlsx
    if path is None:
        raise UsageError(*pair("no_table"))
    if must_exist and not path.exists():  # a folder or a non-file: the backend says what
        raise BackendError(*pair("workbook_missing", path=path))
    return XlsxBackend(path)


def google_backend(args: argparse.Namespace, config: Config) -> Backend:
    """The Google Sheets backend of --sheet or the config, with its key checked first."""
    sheet = args.sheet or config.sheet
    if not sheet:
        raise UsageError(*pair("gsheets_without_sheet"))
    credentials = key_file(args, config)
    if credentials is None:
        raise CredentialsError(*pair("no_credentials"))
    if not Path(credentials).is_file():
        raise CredentialsError(*pair("credentials_missing", path=credentials))
    return gsheets.GSheetsBackend(sheet, Path(credentials), config.retry)


def key_file(args: argparse.Namespace, config: Config) -> Path | None:
    """The Google key file a command uses: --credentials, else the config's `credentials`
    (which falls back to $GOOGLE_APPLICATION_CREDENTIALS)."""
    return args.credentials or config.credentials


def local_workbook(args: argparse.Namespace, config: Config) -> Path | None:
    """The local workbook a command works on, None for a Google Sheet."""
    if args.xlsx is not None:
        return Path(args.xlsx)
    return config.xlsx if not args.sheet and config.backend == "xlsx" else None


def report_target(args: argparse.Namespace, workbook: Path | None, config: Config) -> Path | None:
    """The --report file, resolved (symlinks followed) before anything is read, or None when
    none was asked for. A UsageError (nothing read, nothing written) when it would replace the
    workbook, the config or the Google key file, is `-`, lies in /dev or /proc (as given or
    resolved: /dev/stdout may resolve to the file a shell redirects into), is a folder or not a
    regular file (a device, a pipe), or its folder does not exist."""
    if args.report is None:
        return None
    given: Path = args.report
    if str(given).strip() == "-":
        raise UsageError(*pair("report_dash"))
    target = given.expanduser().resolve()
    if _is_special(Path(os.path.abspath(given.expanduser()))) or _is_special(target):
        raise UsageError(*pair("report_special", path=given))
    if not target.parent.is_dir():
        raise UsageError(*pair("report_no_folder", path=given, folder=target.parent))
    if target.exists():
        mode = target.stat().st_mode
        if stat.S_ISDIR(mode):
            raise UsageError(*pair("report_is_folder", path=given))
        if not stat.S_ISREG(mode):
            raise UsageError(*pair("report_not_a_file", path=given))
    protected = [(workbook, "report_is_workbook"), (config_path(args), "report_is_config")]
    protected += [(key, "report_is_key") for key in _key_files(args, config)]
    for other, key in protected:
        if other is not None and _same_file(target, other):
            raise UsageError(*pair(key, path=given))
    return target


_SPECIAL_FOLDERS = (Path("/dev"), Path("/proc"))


def _is_special(path: Path) -> bool:
    """True for a path in /dev or /proc (devices, a process's descriptors), never a report."""
    return any(path == folder or folder in path.parents for folder in _SPECIAL_FOLDERS)


def _key_files(args: argparse.Namespace, config: Config) -> list[Path | None]:
    """Every Google key file the command line and the command's config name (its own, which
    falls back to $GOOGLE_APPLICATION_CREDENTIALS, and each [[spreadsheet]] entry's)."""
    return [args.credentials, config.credentials, *(e.credentials for e in config.spreadsheets)]


def _same_file(target: Path, other: Path) -> bool:
    """The same file by path (symlinks followed) or, when both exist, by inode (hard links)."""
    other = other.expanduser().resolve()
    if target == other:
        return True
    try:
        return os.path.samefile(target, other)
    except OSError:  # one of them does not exist yet
        return False


def write_report(report: Path | None, outcome: RunOutcome, config: Config, as_of: date) -> None:
    """Write the JSON report to `report` (from `report_target`), if one was asked for: via a
    temporary file in the report's own folder, flushed to disk and renamed over it; an existing
    report keeps its permissions."""
    if report is None:
        return
    result = outcome.result or fatal_result(outcome.problems, config, as_of)
    text = json_report.to_json(result)
    temporary: str | None = None
    try:
        handle, temporary = tempfile.mkstemp(
            dir=report.parent, prefix=f".{report.name}.", suffix=".tmp"
        )
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, _mode_for(report))
        os.replace(temporary, report)
        temporary = None
    except OSError as error:
        raise ConfigError(
            *pair("report_failed", path=report, reason=error.strerror or error)
        ) from error
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    logger.info("report written to %s", report)


def _mode_for(report: Path) -> int:
    """An existing report's permissions; for a new one what the umask allows (0644 usually)."""
    try:
        return stat.S_IMODE(report.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
