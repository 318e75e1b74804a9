"""The shape of the code, checked by reading it (ARCHITECTURE.md says why each rule exists).

Every module of ours is parsed with `ast`; imports inside functions count like any other, so a
cycle cannot hide behind a late import. Nothing here imports the modules it reads, except the
task-name check at the end.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
import redis
from rq.utils import import_attribute

from gateway.worker import tasks
from gateway.worker.run import TaskJob

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("channels", "flows", "knowledge", "gateway")
MIGRATIONS = "gateway.store.migrations"
MAX_LINES = 400
PROVIDERS = frozenset({"telegram", "twilio", "whatsapp", "webchat", "sms"})

# gateway/ files that may name a provider, and why. Everything else asks the provider's hooks
# (channels.base.Provider) or the registry (channels.get_provider).
PROVIDER_NAMES_ALLOWED: dict[str, str] = {}
# The faces of gateway/: what a user, a provider or RQ calls. Nothing else imports them.
FACES = (
    "gateway.__main__",
    "gateway.app",
    "gateway.analytics.web",
    "gateway.analytics.console",
    "gateway.web",
    "gateway.console",
    "gateway.cli",
    "gateway.kb.admin",
    "gateway.kb.cli",
    "gateway.outreach.cli",
    "gateway.rights.api",
    "gateway.rights.cli",
    "gateway.rights.console",
    "gateway.worker.run",
    "gateway.worker.jobs",
    "gateway.worker.sweep",
)
# The ground floor: what every room may import, and which imports no other room.
GROUND = ("gateway.core", "gateway.worker.tasks", "gateway.worker.queueing")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    """Every module of ours by dotted name."""
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[_module_name(path)] = path
    return found


@cache
def tree(name: str) -> ast.Module:
    return ast.parse(modules()[name].read_text(), filename=str(modules()[name]))


def _owner(dotted: str) -> str | None:
    """The module of ours a dotted name lives in (`a.b.c` -> `a.b` when `c` is not a module)."""
    while dotted:
        if dotted in modules():
            return dotted
        dotted = dotted.rpartition(".")[0]
    return None


def imports_of(name: str) -> Iterator[tuple[str, int]]:
    """The modules of ours `name` imports, anywhere in the file, with the line."""
    is_package = modules()[name].name == "__init__.py"
    for node in ast.walk(tree(name)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if (target := _owner(alias.name)) is not None:
                    yield target, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = name.split(".") if is_package else name.split(".")[:-1]
                package = package[: len(package) - node.level + 1]
                base = ".".join([*package, base] if base else package)
            for alias in node.names:
                target = _owner(f"{base}.{alias.name}") or _owner(base)
                if target is not None:
                    yield target, node.lineno


def graph(prefix: str) -> dict[str, set[str]]:
    """Import edges between the modules under `prefix`."""
    names = [m for m in modules() if m == prefix or m.startswith(prefix + ".")]
    return {
        m: {t for t, _ in imports_of(m) if t != m and (t == prefix or t.startswith(prefix + "."))}
        for m in names
    }


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def test_no_import_cycle_between_our_modules() -> None:
    """A cycle hidden behind an import inside a function is still a cycle."""
    for package in PACKAGES:
        assert cycles(graph(package)) == [], f"import cycle in {package}/"


def test_the_cycle_finder_finds_a_cycle() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(edges) == [["a", "b", "c"]]


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("channels", ("flows", "knowledge", "gateway")),
        ("flows", ("knowledge", "gateway")),
        ("knowledge", ("flows", "gateway")),
    ],
)
def test_lower_layers_never_import_upper_ones(package: str, forbidden: tuple[str, ...]) -> None:
    """channels/ imports nothing of ours; flows/ and knowledge/ import neither gateway/ nor
    each other (DESIGN.md, "Layers")."""
    bad = [
        f"{m}:{line} imports {target}"
        for m in modules()
        if m.split(".")[0] == package
        for target, line in imports_of(m)
        if target.split(".")[0] in forbidden
    ]
    assert bad == []


def _gateway_files() -> Iterator[Path]:
    for path in sorted((ROOT / "gateway").rglob("*")):
        rel = path.relative_to(ROOT).as_posix()
        if (
            path.is_file()
            and "__pycache__" not in rel
            and not rel.startswith("gateway/store/migrations/")
        ):
            yield path


def test_no_gateway_file_is_over_400_lines() -> None:
    """Migrations are history and exempt; everything else stays readable in one sitting."""
    over = {
        path.relative_to(ROOT).as_posix(): n
        for path in _gateway_files()
        if path.suffix in (".py", ".html", ".js", ".css")
        and (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert over == {}


def _under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_faces_are_imported_only_by_faces() -> None:
    """The web, CLI and worker faces sit on top: no room below imports one of them."""
    bad = [
        f"{m}:{line} imports {target}"
        for m in modules()
        if m.startswith("gateway.") and not _under(m, FACES)
        for target, line in imports_of(m)
        if _under(target, FACES)
    ]
    assert bad == []


@pytest.mark.parametrize(
    ("room", "may_import"),
    [(GROUND, GROUND), (("gateway.store",), ("gateway.store", *GROUND))],
)
def test_the_ground_floor_imports_no_room_above_it(
    room: tuple[str, ...], may_import: tuple[str, ...]
) -> None:
    """core/ (with the task names and queueing) imports no other room; store/ only core/."""
    bad = [
        f"{m}:{line} imports {target}"
        for m in modules()
        if _under(m, room)
        for target, line in imports_of(m)
        if target.startswith("gateway.") and not _under(target, may_import)
    ]
    assert bad == []


def _provider_strings(node: ast.AST) -> Iterator[str]:
    """Provider names written as literals in a comparison operand (or a tuple/set/list of them)."""
    if isinstance(node, ast.Constant) and node.value in PROVIDERS:
        yield str(node.value)
    elif isinstance(node, ast.Tuple | ast.List | ast.Set):
        for element in node.elts:
            yield from _provider_strings(element)


def provider_mentions(module: ast.Module) -> Iterator[str]:
    """Where a module compares against, keys on, matches or imports a provider by name."""
    for node in ast.walk(module):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Compare):
            for operand in (node.left, *node.comparators):
                for word in _provider_strings(operand):
                    yield f"{line}: compares with {word!r}"
        elif isinstance(node, ast.Dict):
            for key in node.keys:
                if key is not None:
                    for word in _provider_strings(key):
                        yield f"{line}: keys on {word!r}"
        elif isinstance(node, ast.MatchValue):
            for word in _provider_strings(node.value):
                yield f"{line}: matches {word!r}"
        elif isinstance(node, ast.ImportFrom | ast.Import):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [a.name for a in node.names]
            for dotted in names:
                parts = dotted.split(".")
                if parts[0] == "channels" and len(parts) > 1 and parts[1] in PROVIDERS:
                    yield f"{line}: imports {dotted}"
            if isinstance(node, ast.ImportFrom) and node.module == "channels":
                for alias in node.names:
                    if alias.name in PROVIDERS:
                        yield f"{line}: imports channels.{alias.name}"


def test_no_gateway_module_names_a_provider() -> None:
    """Provider-specific behaviour is a hook on channels.base.Provider: a fifth provider
    touches channels/ and the registry only."""
    named = {}
    for m in modules():
        if not m.startswith("gateway.") or m.startswith(MIGRATIONS):
            continue
        rel = modules()[m].relative_to(ROOT).as_posix()
        if rel in PROVIDER_NAMES_ALLOWED:
            continue
        if found := list(provider_mentions(tree(m))):
            named[rel] = found
    assert named == {}


def test_the_provider_check_sees_comparisons_keys_and_imports() -> None:
    source = (
        "from channels.telegram import x\n"
        "from channels import twilio\n"
        "if p == 'whatsapp' or q in ('sms', 'email'): pass\n"
        "LIMITS = {'webchat': 1}\n"
    )
    assert len(list(provider_mentions(ast.parse(source)))) == 5


def _calls_current_runtime(fn: ast.AST) -> bool:
    for node in ast.walk(fn):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called == "current_runtime":
                return True
    return False


def test_only_rq_task_entry_points_look_up_the_process_runtime() -> None:
    """Library code is given its runtime; only the functions RQ calls by name (listed in
    gateway/worker/tasks.py) fetch the process's own, because RQ can pass them only ids."""
    entry_points = set(tasks.ALL)
    bad = []
    for m in modules():
        if not m.startswith("gateway.") or m == "gateway.core.runtime":
            continue
        for node in tree(m).body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                if _calls_current_runtime(node) and f"{m}.{node.name}" not in entry_points:
                    bad.append(f"{m}.{node.name}")
            elif _calls_current_runtime(node):
                bad.append(f"{m} (module level)")
    assert bad == []


def test_every_task_name_resolves_and_is_written_only_in_tasks_py() -> None:
    """A renamed job function fails here, not in production with jobs stranded in Redis."""
    for name in (*tasks.ALL, *tasks.LEGACY.values()):
        assert callable(import_attribute(name)), name
    assert set(tasks.LEGACY.values()) <= set(tasks.ALL)
    written = [
        f"{m}: {node.value}"
        for m in modules()
        if m.startswith("gateway.") and m != "gateway.worker.tasks"
        for node in ast.walk(tree(m))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and re.fullmatch(r"gateway(\.\w+)+", node.value)
        and _owner(node.value.rpartition(".")[0]) is not None
    ]
    assert written == []


def test_a_job_queued_under_an_old_path_still_runs() -> None:
    conn = redis.Redis()  # never contacted: the job is built, not saved
    for old, new in tasks.LEGACY.items():
        job = TaskJob.create(old, connection=conn)
        assert job.func is import_attribute(new)
    job = TaskJob.create(tasks.SEND_OUTBOUND, connection=conn)
    assert job.func is import_attribute(tasks.SEND_OUTBOUND)
