"""Terminal output of the command line: the rich tables, the run summaries and the log lines
on stderr. Texts are Russian, English when `config.language == "en"`."""

from __future__ import annotations

import contextlib
import logging
import math
import sys
import warnings
from collections.abc import Iterator, Sequence
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from sheets_kpi.core.model import Problem
from sheets_kpi.core.settings import Config
from sheets_kpi.pipeline import RunOutcome
from sheets_kpi.redact import redact

# Problems shown in the terminal by `check`; the rest are in --report and the Ошибки tab.
MAX_PROBLEMS_SHOWN = 100
_log_handler: logging.Handler | None = None
_library_handler: logging.Handler | None = None


def say(config: Config, ru: str, en: str) -> str:
    """`en` when the config speaks English, else `ru`."""
    return en if config.language == "en" else ru


def money(value: object, language: str = "ru") -> str:
    """Whole roubles with thin spaces (`1 250 ₽`; `1,250 ₽` in English), `—` when not a
    number."""
    number = as_number(value)
    if number is None:
        return "—"
    text = f"{number:,.0f} ₽"
    return text if language == "en" else text.replace(",", "\u202f")


def pct(value: object) -> str:
    """A share as whole percents (`85 %`), `—` when not a number."""
    number = as_number(value)
    return "—" if number is None else f"{number * 100:.0f} %"


def count(value: object) -> str:
    """A whole count, `—` when not a number."""
    number = as_number(value)
    return "—" if number is None else f"{number:.0f}"


def as_number(value: object) -> float | None:
    """The value as a float, None for blanks, text, booleans and NaN."""
    if value is None or isinstance(value, bool | str):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def one_line_summary(outcome: RunOutcome, config: Config) -> str:
    """The worker's log line for one cycle."""
    if outcome.fatal:
        return say(
            config,
            f"расчёт невозможен, ошибок: {outcome.error_count}",
            f"nothing could be computed, errors: {outcome.error_count}",
        )
    alerts = len(outcome.result.alerts) if outcome.result is not None else 0
    return say(
        config,
        f"листы обновлены; ошибок: {outcome.error_count}, предупреждений: "
        f"{outcome.warning_count}, сигналов: {alerts}",
        f"tabs updated; errors: {outcome.error_count}, warnings: {outcome.warning_count}, "
        f"alerts: {alerts}",
    )


def print_run_summary(out: Console, outcome: RunOutcome, config: Config, where: str) -> None:
    """After `run`/`demo`: the leaderboard table (or the fatal problems) and what was done."""
    errors_tab = config.tab_title("errors")
    if outcome.fatal:
        print_problems(out, outcome.problems, config)
        out.print(
            Text(
                say(
                    config,
                    f"Посчитать нельзя: исправьте ошибки выше. В {where} обновлён только лист "
                    f"«{errors_tab}» и строка-баннер на «{config.tab_title('summary')}»; прежние "
                    "цифры на остальных листах сохранены.",
                    f"Nothing could be computed: fix the errors above. In {where} only "
                    f"'{errors_tab}' and the banner on '{config.tab_title('summary')}' were "
                    "updated; the last good figures are kept.",
                )
            )
        )
        return
    result = outcome.result
    assert result is not None
    show_bonus = config.leaderboard_shows_bonus
    table = Table(
        title=say(
            config,
            f"{config.tab_title('leaderboard')}, {result.month}",
            f"{config.tab_title('leaderboard')}, {result.month}",
        )
    )
    headers = (
        say(config, "Место", "Rank"),
        say(config, "Менеджер", "Manager"),
        say(config, "Выручка", "Revenue"),
        say(config, "% плана", "% of plan"),
        say(config, "Новые клиенты", "New clients"),
    )
    for header in headers:
        table.add_column(header, justify="left" if header in headers[1:2] else "right")
    if show_bonus:
        table.add_column(say(config, "Бонус", "Bonus"), justify="right")
    table.add_column(say(config, "Отклонено строк", "Rejected rows"), justify="right")
    for row in result.leaderboard.to_dict("records"):
        cells = [
            count(row.get("rank")),
            str(row.get("manager") or ""),
            money(row.get("revenue"), config.language),
            pct(row.get("plan_pct")),
            count(row.get("new_clients")),
        ]
        if show_bonus:
            cells.append(money(row.get("bonus"), config.language))
        cells.append(count(row.get("rejected_rows")))
        table.add_row(*(Text(cell) for cell in cells))
    if len(result.leaderboard):
        out.print(table)
    else:
        out.print(Text(say(config, "В этом месяце продаж пока нет.", "No sales this month yet.")))
    if outcome.wrote:
        done = say(config, f"Готово: листы обновлены в {where}.", f"Done: tabs updated in {where}.")
    else:
        done = say(config, "Проверка без записи.", "Checked without writing.")
    out.print(
        Text(
            done
            + " "
            + say(
                config,
                f"Ошибок во входных данных: {outcome.error_count} (что не учтено и как "
                f"исправить — на листе «{errors_tab}»), предупреждений: {outcome.warning_count}, "
                f"сигналов «Внимание»: {len(result.alerts)} (лист "
                f"«{config.tab_title('summary')}»).",
                f"Input errors: {outcome.error_count} (what is left out and how to fix it: "
                f"'{errors_tab}'), warnings: {outcome.warning_count}, alerts: "
                f"{len(result.alerts)} (tab '{config.tab_title('summary')}').",
            )
        )
    )


def print_problems(out: Console, problems: Sequence[Problem], config: Config) -> None:
    """The problems as a table (the first MAX_PROBLEMS_SHOWN) and their counts."""
    if not problems:
        out.print(
            Text(
                say(
                    config,
                    "Ошибок нет: все строки прошли проверку.",
                    "No errors: every row passed the checks.",
                )
            )
        )
        return
    table = Table(title=say(config, "Найденные ошибки", "Problems found"), show_lines=True)
    table.add_column(say(config, "Где", "Where"), overflow="fold", ratio=1)
    table.add_column(say(config, "Значение", "Value"), overflow="fold", ratio=1)
    table.add_column(say(config, "Код", "Code"), no_wrap=True)
    table.add_column(say(config, "Что сделать", "How to fix"), overflow="fold", ratio=3)
    severity = {
        "error": say(config, "ошибка", "error"),
        "warning": say(config, "предупреждение", "warning"),
    }
    row_word = say(config, "строка", "row")
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        where = [problem.tab]
        if problem.row is not None:
            where.append(f"{row_word} {problem.row}")
        if problem.column:
            where.append(problem.column)
        table.add_row(
            Text(", ".join(where)),
            Text(problem.value or ""),
            Text(f"{problem.code}\n{severity.get(problem.severity, problem.severity)}"),
            Text(problem.message),
        )
    out.print(table)
    errors = sum(problem.severity == "error" for problem in problems)
    warnings = len(problems) - errors
    hidden = len(problems) - MAX_PROBLEMS_SHOWN
    tail = ""
    if hidden > 0:
        tail = say(
            config,
            f" Показаны первые {MAX_PROBLEMS_SHOWN}; остальные {hidden} — в --report FILE и на "
            f"листе «{config.tab_title('errors')}» после run.",
            f" The first {MAX_PROBLEMS_SHOWN} are shown; the other {hidden} are in --report "
            f"FILE and on '{config.tab_title('errors')}' after run.",
        )
    out.print(
        Text(
            say(
                config,
                f"Ошибок: {errors}, предупреждений: {warnings}.",
                f"Errors: {errors}, warnings: {warnings}.",
            )
            + tail
        )
    )


class _RedactingFormatter(logging.Formatter):
    """Every log line, traceback included, passes through `redact` before it is shown."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def setup_logging(verbose: bool) -> None:
    """Log lines go to stderr: the bot's warnings by default, everything with --verbose; other
    libraries' records (urllib3, google-auth) only with --verbose. Every line is redacted."""
    global _log_handler, _library_handler
    package = logging.getLogger("sheets_kpi")
    if _log_handler is not None:
        package.removeHandler(_log_handler)
    if _library_handler is not None:
        logging.getLogger().removeHandler(_library_handler)
    formatter = _RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    _log_handler = logging.StreamHandler(sys.stderr)
    _log_handler.setFormatter(formatter)
    package.addHandler(_log_handler)
    package.setLevel(logging.DEBUG if verbose else logging.INFO)
    _log_handler.setLevel(logging.DEBUG if verbose else logging.WARNING)
    # a handler on the root logger also keeps Python's last-resort handler from printing a
    # library's warning raw (unredacted, English) on stderr
    _library_handler = logging.StreamHandler(sys.stderr)
    _library_handler.setFormatter(formatter)
    _library_handler.addFilter(lambda record: not record.name.startswith("sheets_kpi"))
    _library_handler.setLevel(logging.DEBUG if verbose else logging.CRITICAL + 1)
    logging.getLogger().addHandler(_library_handler)


@contextlib.contextmanager
def library_warnings_to_log() -> Iterator[None]:
    """Inside the block, a library's `warnings.warn` (openpyxl's English `UserWarning`s and the
    like) becomes a DEBUG log line: shown with --verbose, never on stderr otherwise."""
    library = logging.getLogger("sheets_kpi.library")

    def to_log(
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: TextIO | None = None,
        line: str | None = None,
    ) -> None:
        library.debug("%s: %s (%s:%s)", category.__name__, message, filename, lineno)

    with warnings.catch_warnings():
        warnings.showwarning = to_log
        yield


def log_each_cycle(verbose: bool) -> None:
    """A worker logs one INFO line per cycle: let INFO through to stderr (DEBUG stays behind
    --verbose)."""
    if _log_handler is not None and not verbose:
        _log_handler.setLevel(logging.INFO)


def print_state_table(
    out: Console, title: str, labels: Sequence[str], values: Sequence[str]
) -> None:
    """One spreadsheet's `status`: a two-column table of label and value under its name."""
    table = Table(title=redact(title), show_header=False, title_justify="left")
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")
    for name, value in zip(labels, values, strict=True):
        table.add_row(Text(name), Text(redact(value)))
    out.print(table)
