"""Speed and peak memory of the core and of the xlsx backend on generated sales logs.

Usage:
    python benchmarks/bench_core.py                      # 10k, 100k and 1M rows
    python benchmarks/bench_core.py --sizes 10000 100000
    python benchmarks/bench_core.py --sizes 100000 --no-xlsx --repeat 9   # fastest and median

Stages, each measured in a fresh child process so peak memory belongs to that stage alone:
- `validate+compute`: validation and every figure (clients, KPIs, bonuses, funnel, alerts,
  leaderboard) from raw cells in memory, no I/O;
- `+ deals/activity`: the same with 100k deals and 100k activity rows added;
- `render`: the five generated tabs as `TabWrite` plans (no I/O);
- `xlsx read`: `XlsxBackend.read` of a workbook holding the sales log;
- `xlsx write`: `XlsxBackend.write` of the generated tabs into that workbook.
Time is wall-clock; memory is the child's peak RSS (`resource.getrusage`) minus its RSS after
the data was generated, and the peak itself.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

AS_OF = date(2026, 11, 22)
RUN_AT = datetime(2026, 11, 22, 9, 0, tzinfo=ZoneInfo("Europe/Moscow"))
MANAGERS = 20
MONTHS = 24
SCHEMES = (
    ("уровни", "100000=25000; 150000=35000"),
    ("два шага", "15%; 15%; 4"),
    ("маржа", "50%"),
    ("фикс", "10000; входящие"),
)
SALES_HEADER = ["Дата", "Менеджер", "Клиент", "Сумма", "Маржа", "Канал", "Тип", "Оплачено", "ID"]
DEALS_HEADER = [
    "Дата заявки",
    "Менеджер",
    "Клиент",
    "Канал",
    "Первый контакт",
    "Касаний",
    "Температура",
    "Статус",
    "Дата закрытия",
    "Сумма сделки",
    "Причина отказа",
]
ACTIVITY_HEADER = ["Дата", "Менеджер", "Звонки", "Встречи", "Презентации", "КП"]


def manager_names() -> list[str]:
    return [f"Менеджер {index:02d}" for index in range(1, MANAGERS + 1)]


def sales_rows(count: int, seed: int = 1) -> list[list[object]]:
    """`count` sales rows as a backend hands them over: datetimes and numbers, a few texts."""
    rng = np.random.default_rng(seed)
    names = manager_names()
    start = AS_OF - timedelta(days=MONTHS * 30)
    days = rng.integers(0, (AS_OF - start).days + 1, count)
    clients = rng.integers(0, max(count // 8, 10), count)
    # Each client has its own manager; about 2 % of payments are logged by a colleague.
    managers = np.where(
        rng.random(count) < 0.02, rng.integers(0, MANAGERS, count), clients % MANAGERS
    )
    amounts = rng.integers(5_000, 400_000, count)
    margins = (amounts * rng.uniform(0.2, 0.6, count)).round(2)
    channel = rng.choice(np.array(["входящий", "исходящий", ""], dtype=object), count)
    paid = rng.choice(np.array(["да", "да", "да", "нет"], dtype=object), count)
    base = datetime(start.year, start.month, start.day)
    rows: list[list[object]] = [SALES_HEADER]
    for index in range(count):
        rows.append(
            [
                base + timedelta(days=int(days[index])),
                names[managers[index]],
                f"Клиент {clients[index]}",
                int(amounts[index]),
                float(margins[index]),
                channel[index],
                None,
                paid[index],
                f"S{index}",
            ]
        )
    return rows


def deals_rows(count: int, seed: int = 2) -> list[list[object]]:
    rng = np.random.default_rng(seed)
    names = manager_names()
    start = AS_OF - timedelta(days=MONTHS * 30)
    base = datetime(start.year, start.month, start.day)
    statuses = np.array(["в работе", "выиграна", "проиграна"], dtype=object)
    temperatures = np.array(["холодный", "тёплый", "горячий"], dtype=object)
    rows: list[list[object]] = [DEALS_HEADER]
    span = (AS_OF - start).days - 60
    for index in range(count):
        lead = base + timedelta(days=int(rng.integers(0, span)))
        status = statuses[index % 3]
        close = lead + timedelta(days=int(rng.integers(1, 60))) if status != "в работе" else None
        rows.append(
            [
                lead,
                names[index % MANAGERS],
                f"Лид {index}",
                "входящий",
                lead + timedelta(hours=int(rng.integers(1, 72))),
                int(rng.integers(0, 12)),
                temperatures[index % 3],
                status,
                close,
                int(rng.integers(10_000, 500_000)),
                "дорого" if status == "проиграна" else None,
            ]
        )
    return rows


def activity_rows(count: int, seed: int = 3) -> list[list[object]]:
    rng = np.random.default_rng(seed)
    names = manager_names()
    start = AS_OF - timedelta(days=MONTHS * 30)
    base = datetime(start.year, start.month, start.day)
    rows: list[list[object]] = [ACTIVITY_HEADER]
    for index in range(count):
        rows.append(
            [
                base + timedelta(days=int(rng.integers(0, (AS_OF - start).days + 1))),
                names[index % MANAGERS],
                int(rng.integers(0, 40)),
                int(rng.integers(0, 5)),
                int(rng.integers(0, 3)),
                int(rng.integers(0, 4)),
            ]
        )
    return rows


def roster_rows() -> list[list[object]]:
    rows: list[list[object]] = [["Менеджер", "Схема", "Параметры", "Оклад", "Активен"]]
    for index, name in enumerate(manager_names()):
        scheme, params = SCHEMES[index % len(SCHEMES)]
        rows.append([name, scheme, params, 60000, "да"])
    return rows


def plan_rows() -> list[list[object]]:
    rows: list[list[object]] = [["Месяц", "Менеджер", "План выручки", "План новых клиентов"]]
    month = date(AS_OF.year, AS_OF.month, 1)
    for _ in range(MONTHS + 1):
        for name in manager_names():
            rows.append([f"{month.year}-{month.month:02d}", name, 1_500_000, 5])
        month = (month - timedelta(days=1)).replace(day=1)
    return rows


def input_tabs(sales_count: int, funnel_count: int) -> dict[str, list[list[object]]]:
    tabs = {"Продажи": sales_rows(sales_count), "Мотивация": roster_rows(), "План": plan_rows()}
    if funnel_count:
        tabs["Сделки"] = deals_rows(funnel_count)
        tabs["Активность"] = activity_rows(funnel_count)
    return tabs


def write_workbook(path: Path, tabs: dict[str, list[list[object]]]) -> None:
    """A workbook with the input tabs, written with openpyxl's streaming writer."""
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    for title, rows in tabs.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)


def cpu_model() -> str:
    """The processor's name as Linux reports it, else what `platform` knows: runs on different
    days may land on different hosts, and the figures are only comparable on the same one."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown processor"


def rss_mib() -> float:
    """Peak RSS of this process so far, MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(stage: str, size: int, funnel: int, workbook: Path | None) -> dict[str, float]:
    """Run one stage once in this (fresh) process and measure it."""
    from sheets_kpi.backends.xlsx import XlsxBackend
    from sheets_kpi.core.inputs import validate
    from sheets_kpi.core.model import RawTab, RawWorkbook
    from sheets_kpi.core.output import render
    from sheets_kpi.core.run import compute
    from sheets_kpi.core.settings import Config
    from sheets_kpi.pipeline import cycle_collector_paused

    config = Config()
    if stage in ("core", "render"):
        tabs = input_tabs(size, funnel)
        raw = RawWorkbook(tuple(tabs), {title: RawTab(title, rows) for title, rows in tabs.items()})
        del tabs
        if stage == "render":
            result = compute(validate.validate(raw, config, AS_OF), config, AS_OF)
        baseline = rss_mib()
        started = time.perf_counter()
        with cycle_collector_paused():  # as pipeline.run_once does
            if stage == "core":
                compute(validate.validate(raw, config, AS_OF), config, AS_OF)
            else:
                render.render(result, config, RUN_AT)
        seconds = time.perf_counter() - started
    elif stage == "read":
        assert workbook is not None
        backend = XlsxBackend(workbook)
        baseline = rss_mib()
        started = time.perf_counter()
        backend.read(validate.wanted_tabs(config))
        seconds = time.perf_counter() - started
    elif stage == "write":
        assert workbook is not None
        backend = XlsxBackend(workbook)
        raw = backend.read(validate.wanted_tabs(config))
        plans = render.render(
            compute(validate.validate(raw, config, AS_OF), config, AS_OF), config, RUN_AT
        )
        del raw
        baseline = rss_mib()
        started = time.perf_counter()
        backend.write(plans)
        seconds = time.perf_counter() - started
    elif stage == "steps":
        return step_times(size, funnel)
    else:
        raise ValueError(stage)
    peak = rss_mib()
    return {"seconds": seconds, "extra_mib": max(peak - baseline, 0.0), "peak_mib": peak}


def step_times(size: int, funnel_rows: int) -> dict[str, float]:
    """Seconds per step of one run (docs/ARCHITECTURE.md «One run»), to see where time goes."""
    from sheets_kpi.core.compute import alerts, bonus, clients, cost, funnel, kpi
    from sheets_kpi.core.inputs import validate
    from sheets_kpi.core.model import RawTab, RawWorkbook
    from sheets_kpi.core.output import render
    from sheets_kpi.core.roster import Roster
    from sheets_kpi.core.run import compute, plan_pct
    from sheets_kpi.core.settings import Config
    from sheets_kpi.pipeline import cycle_collector_paused

    config = Config()
    tabs = input_tabs(size, funnel_rows)
    raw = RawWorkbook(tuple(tabs), {title: RawTab(title, rows) for title, rows in tabs.items()})
    times: dict[str, float] = {}

    def timed(name: str, step: Callable[[], object]) -> object:
        started = time.perf_counter()
        with cycle_collector_paused():  # as pipeline.run_once does
            value = step()
        times[name] = time.perf_counter() - started
        return value

    inputs = timed("validate", lambda: validate.validate(raw, config, AS_OF))
    found = timed("clients", lambda: clients.analyse(inputs.sales))
    monthly, team = timed("kpi", lambda: kpi.monthly_figures(inputs, found, config, AS_OF))
    outcome = timed(
        "bonus",
        lambda: bonus.compute(
            inputs,
            found,
            Roster.from_frame(inputs.roster, config.bonus.scheme()),
            config.bonus,
            plan_pct(monthly),
            AS_OF,
            config.language,
        ),
    )
    monthly, team = timed(
        "kpi.add_bonus",
        lambda: cost.add_bonus(
            monthly,
            team,
            list(outcome.items),
            Roster.from_frame(inputs.roster, config.bonus.scheme()),
            clients=found,
        ),
    )
    figures = timed("funnel", lambda: funnel.figures(inputs, AS_OF, config.language))
    timed(
        "alerts",
        lambda: alerts.compute(inputs, found, monthly, figures, config, AS_OF),
    )
    result = compute(inputs, config, AS_OF)
    timed("render", lambda: render.render(result, config, RUN_AT))
    return times


def measure(stage: str, size: int, funnel: int = 0, workbook: Path | None = None) -> dict:
    command = [sys.executable, __file__, "--child", stage, str(size), str(funnel)]
    if workbook is not None:
        command.append(str(workbook))
    answer = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(answer.stdout.strip().splitlines()[-1])


def measure_repeated(stage: str, size: int, funnel: int, repeat: int) -> dict:
    """`measure` in `repeat` fresh processes: the fastest and the median time, the largest
    memory. One run on a shared machine can be a third slower than the next."""
    runs = [measure(stage, size, funnel) for _ in range(repeat)]
    seconds = sorted(run["seconds"] for run in runs)
    return {
        "seconds": seconds[0],
        "median": statistics.median(seconds),
        "extra_mib": max(run["extra_mib"] for run in runs),
        "peak_mib": max(run["peak_mib"] for run in runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--funnel", type=int, default=100_000, help="deals and activity rows")
    parser.add_argument("--no-xlsx", action="store_true", help="skip the xlsx read/write stages")
    parser.add_argument("--steps", action="store_true", help="seconds per core step instead")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run each core and render stage this many times in fresh processes and show "
        "the fastest and the median time",
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        stage, size, funnel = args.child[0], int(args.child[1]), int(args.child[2])
        workbook = Path(args.child[3]) if len(args.child) > 3 else None
        print(json.dumps(child(stage, size, funnel, workbook)))
        return

    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs ({cpu_model()})")

    def show(stage: str, size: int, figures: dict) -> None:
        median = f"{figures['median']:>11.2f}" if "median" in figures else ""
        print(
            f"{stage:<26}{size:>10,}{figures['seconds']:>12.2f}{median}"
            f"{figures['extra_mib']:>12.0f}{figures['peak_mib']:>11.0f}",
            flush=True,
        )

    def core(stage: str, size: int, funnel: int = 0) -> dict:
        if args.repeat > 1:
            return measure_repeated(stage, size, funnel, args.repeat)
        return measure(stage, size, funnel)

    if args.steps:
        for size in args.sizes:
            times = measure("steps", size, args.funnel)
            print(f"{size:,} sales rows, {args.funnel:,} deals/activity rows:")
            for name, seconds in times.items():
                print(f"  {name:<14}{seconds:>8.2f} s")
        return
    fastest = "fastest, s" if args.repeat > 1 else "time, s"
    median = f"{'median, s':>11}" if args.repeat > 1 else ""
    print(f"{'stage':<26}{'rows':>10}{fastest:>12}{median}{'extra, MiB':>12}{'peak, MiB':>11}")
    for size in args.sizes:
        show("validate+compute", size, core("core", size))
    if args.funnel:
        size = 100_000 if 100_000 in args.sizes else args.sizes[0]
        show(f"  + {args.funnel:,} deals/activity", size, core("core", size, args.funnel))
    for size in args.sizes:
        show("render (5 tabs)", size, core("render", size))
    if args.no_xlsx:
        return
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            workbook = Path(folder) / f"sales_{size}.xlsx"
            write_workbook(workbook, input_tabs(size, 0))
            show("xlsx read", size, measure("read", size, workbook=workbook))
            show("xlsx write", size, measure("write", size, workbook=workbook))


if __name__ == "__main__":
    main()
