"""`run --once` on a local workbook, stage by stage, against a bare openpyxl load+save.

Usage:
    python benchmarks/bench_io.py                          # 10k, 50k and 100k sales rows
    python benchmarks/bench_io.py --sizes 50000 --code /tmp/base   # another checkout ("before")

For each size a workbook with the input tabs of bench_core.py is generated once. Each run is a
fresh child process that imports `sheets_kpi` from `--code` (default: this checkout) and does
what `pipeline.run_once` does, timing each stage:
- `read`: `XlsxBackend.read` of the input tabs;
- `compute`: validation, every figure and the layout of the generated tabs (no I/O);
- `write`: `XlsxBackend.write` of the generated tabs;
then, in the same process and on a copy of the same file, a bare `openpyxl.load_workbook` +
`save` — the cost of merely opening and saving that workbook with openpyxl. `first` runs on the
workbook with only the input tabs (the generated tabs are created), `second` on the workbook a
first run left (they are replaced). Peak RSS is the child's, measured before the bare
load+save. Wall-clock seconds on a shared machine: rough figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_core import AS_OF, RUN_AT, cpu_model, input_tabs, write_workbook  # noqa: E402


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(workbook: Path, bare: bool) -> dict[str, float]:
    """One `run --once`, stage by stage, then a bare openpyxl load+save of the same file."""
    from sheets_kpi.backends.xlsx import XlsxBackend
    from sheets_kpi.core.inputs import validate
    from sheets_kpi.core.output import render
    from sheets_kpi.core.settings import Config
    from sheets_kpi.pipeline import compute, cycle_collector_paused

    bare_copy = workbook.with_name("bare_" + workbook.name)
    shutil.copyfile(workbook, bare_copy)
    config = Config()
    backend = XlsxBackend(workbook)
    started = time.perf_counter()
    raw = backend.read(validate.wanted_tabs(config))
    read_done = time.perf_counter()
    with cycle_collector_paused():
        result = compute(validate.validate(raw, config, AS_OF), config, AS_OF)
        plans = render.render(result, config, RUN_AT)
    del raw, result
    compute_done = time.perf_counter()
    backend.write(plans)
    write_done = time.perf_counter()
    peak = peak_mib()

    total = write_done - started
    bare_seconds = float("nan")
    if bare:
        import openpyxl

        bare_started = time.perf_counter()
        openpyxl.load_workbook(bare_copy).save(bare_copy)
        bare_seconds = time.perf_counter() - bare_started
    bare_copy.unlink()
    return {
        "read": read_done - started,
        "compute": compute_done - read_done,
        "write": write_done - compute_done,
        "total": total,
        "peak_mib": peak,
        "bare_openpyxl": bare_seconds,
        "ratio": total / bare_seconds,
    }


def measure(code: Path, workbook: Path, bare: bool) -> dict[str, float]:
    environment = dict(os.environ, PYTHONPATH=str(code))
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(workbook), *([] if bare else ["--no-bare"])],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 100_000])
    parser.add_argument("--code", type=Path, default=HERE.parent, help="checkout to measure")
    parser.add_argument(
        "--no-bare", action="store_true", help="skip the bare openpyxl load+save (1M rows)"
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(child(args.child, bare=not args.no_bare)))
        return
    print(f"# {cpu_model()}, {os.cpu_count()} cores (shared); code: {args.code}")
    header = "rows     run     read  compute  write  total  peak MiB  bare openpyxl  ratio"
    print(header)
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            workbook = Path(folder) / "sales.xlsx"
            write_workbook(workbook, input_tabs(size, 0))
            for run in ("first", "second"):
                figures = measure(args.code, workbook, bare=not args.no_bare)
                print(
                    f"{size:>7}  {run:<6} {figures['read']:6.2f}  {figures['compute']:6.2f} "
                    f"{figures['write']:6.2f} {figures['total']:6.2f}  {figures['peak_mib']:8.0f}"
                    f"  {figures['bare_openpyxl']:13.2f}  {figures['ratio']:5.2f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
