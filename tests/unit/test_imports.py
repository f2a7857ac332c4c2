"""The package's import graph: no import cycle, and a core that imports nothing of the shell
and no I/O library (shared/STYLE.md: «core/ pure: stdlib + pandas + numpy, no I/O, no clock»).

Read from the source with `ast`, so a lazy import inside a function counts too; and checked
for real by importing every module first, one at a time, in a fresh interpreter.
"""

from __future__ import annotations

import ast
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import sheets_kpi

PACKAGE = Path(sheets_kpi.__file__).parent
CORE = PACKAGE / "core"

# Libraries that read or write files, talk to the network, read the clock or the time zone
# database, or print: none of them belongs in the core.
IO_LIBRARIES = {
    "os",
    "io",
    "pathlib",
    "shutil",
    "tempfile",
    "socket",
    "subprocess",
    "urllib",
    "http",
    "time",
    "zoneinfo",
    "requests",
    "gspread",
    "google",
    "openpyxl",
    "schedule",
    "rich",
    "logging",
}
# Builtins and methods that do I/O or read the clock.
IO_CALLS = {"open", "print", "input"}
CLOCK_CALLS = {"now", "today", "utcnow"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def all_modules() -> dict[str, Path]:
    """Every module of the package but `__main__` (importing it runs the command line)."""
    return {
        module_name(path): path
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "__main__.py" and ".venv" not in path.parts
    }


def type_checking_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def imports(tree: ast.Module, *, at_import_time: bool) -> Iterator[tuple[str, list[str]]]:
    """(module, names) of each import but those under `if TYPE_CHECKING` (annotations only);
    `at_import_time`: only those run when the module is imported (not inside functions)."""

    def walk(nodes: list[ast.stmt]) -> Iterator[tuple[str, list[str]]]:
        for node in nodes:
            if type_checking_only(node):
                continue
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield alias.name, []
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                yield node.module, [alias.name for alias in node.names]
            elif at_import_time:
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                for field in ("body", "orelse", "handlers", "finalbody"):
                    inner = getattr(node, field, None)
                    if isinstance(inner, list):
                        yield from walk([item for item in inner if isinstance(item, ast.stmt)])
            else:
                yield from walk(list(ast.iter_child_nodes(node)))  # type: ignore[arg-type]

    yield from walk(tree.body)


def targets(module: str, names: list[str], known: set[str]) -> list[str]:
    """The package's modules an import statement loads (`from pkg import submodule` loads the
    submodule); empty for a library."""
    found = [f"{module}.{name}" for name in names if f"{module}.{name}" in known]
    if (module in known and len(found) < len(names)) or (module in known and not names):
        found.append(module)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = all_modules()
    known = set(modules)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[name] = {
            target
            for module, names in imports(tree, at_import_time=True)
            for target in targets(module, names, known)
            if target != name
        }
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)) is not None:
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)) is not None:
            return cycle
    return None


def test_the_graph_sees_the_package_edges_it_should() -> None:
    # the check below is only worth something if the graph is read right
    graph = import_graph()
    assert "sheets_kpi.pipeline" in graph["sheets_kpi.service"]
    assert "sheets_kpi.backends.gsheets.errors" in graph["sheets_kpi.backends.gsheets.client"]
    assert "sheets_kpi.core.settings" in graph["sheets_kpi.config"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_no_module_imports_itself_back_at_import_time() -> None:
    assert find_cycle(import_graph()) is None


def test_every_module_imports_first_in_a_fresh_interpreter_in_random_order() -> None:
    # Each module is imported with no other module of the package loaded (a cycle shows up as
    # an ImportError only for the module that starts it), in an order that changes each run.
    names = sorted(all_modules())
    seed = random.randrange(1_000_000)
    random.Random(seed).shuffle(names)
    script = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    for loaded in [m for m in sys.modules if m.split('.')[0] == 'sheets_kpi']:\n"
        "        del sys.modules[loaded]\n"
        "    importlib.import_module(name)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, f"seed {seed}:\n{done.stderr[-3000:]}"


FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def test_the_shell_imports_at_module_top() -> None:
    # a lazy import hides a cycle or a misplaced piece; the xlsx backend (another helper's
    # folder, being rewritten) and the core (checked above) aside
    late: list[str] = []
    for name, path in all_modules().items():
        if name.startswith(("sheets_kpi.core", "sheets_kpi.backends.xlsx")):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = [node for node in ast.walk(tree) if isinstance(node, FUNCTIONS)]
        late += sorted(
            {
                f"{name}:{node.lineno}"
                for function in functions
                for node in ast.walk(function)
                if isinstance(node, ast.Import | ast.ImportFrom)
            }
        )
    assert late == []


def core_findings() -> list[str]:
    """Every shell module, I/O library, I/O builtin or clock read in the core, as text."""
    findings: list[str] = []
    for name, path in all_modules().items():
        if not name.startswith("sheets_kpi.core"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for module, _names in imports(tree, at_import_time=False):
            top = module.split(".")[0]
            if top == "sheets_kpi" and not module.startswith("sheets_kpi.core"):
                findings.append(f"{name} imports the shell's {module}")
            elif top in IO_LIBRARIES:
                findings.append(f"{name} imports {module}")
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            if isinstance(node.func, ast.Name) and node.func.id in IO_CALLS:
                findings.append(f"{name} calls {node.func.id}() at line {node.lineno}")
            if isinstance(node.func, ast.Attribute) and node.func.attr in CLOCK_CALLS:
                findings.append(f"{name} reads the clock at line {node.lineno}")
    return findings


def test_the_core_imports_no_shell_module_and_no_io_library() -> None:
    assert core_findings() == []


def test_the_core_check_catches_a_shell_import(tmp_path: Path, monkeypatch) -> None:
    # the same check over a copy of the core with one bad module added must complain
    copy = tmp_path / "sheets_kpi"
    (copy / "core").mkdir(parents=True)
    (copy / "__init__.py").write_text("", encoding="utf-8")
    (copy / "core" / "__init__.py").write_text("", encoding="utf-8")
    (copy / "core" / "bad.py").write_text(
        "import logging\nfrom sheets_kpi.config import load_config\n"
        "def f():\n    from zoneinfo import ZoneInfo\n    return open('x'), ZoneInfo\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", copy)
    assert sorted(core_findings()) == [
        "sheets_kpi.core.bad calls open() at line 5",
        "sheets_kpi.core.bad imports logging",
        "sheets_kpi.core.bad imports the shell's sheets_kpi.config",
        "sheets_kpi.core.bad imports zoneinfo",
    ]
