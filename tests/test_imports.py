"""No import circle anywhere in corpus/, index/, search/, and imports flow corpus -> index -> search only.

Run it as a test (`pytest tests/test_imports.py`) or as a report of the module graph:
`python -m tests.test_imports` (or `python tests/test_imports.py`) prints every module's imports
of project modules and any circle, and exits 1 when there is one.

What counts as an import: every `import X` and `from X import Y` statement anywhere in a module,
at module level *and* inside functions or methods. A function-level import is still a dependency:
it only hides a circle from Python until that function first runs, and the two modules still cannot
be read or changed apart. Left out: imports under `if TYPE_CHECKING:` (they never run), and the
implicit import of a module's parent packages (`import a.b.c` runs `a/__init__.py` and
`a/b/__init__.py` first; counting that would make every package that re-exports its own submodules
a "circle", while a real one, a submodule importing names from its package's `__init__`, is an
explicit edge and is caught). `from pkg import name` is an edge to the submodule `pkg.name` when
such a module exists, else to `pkg` itself. Relative imports are resolved against the module's package.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("corpus", "index", "search")
LAYER = {"corpus": 0, "index": 1, "search": 2}  # a module may import only its own layer or a lower one

# Back-edges allowed while a known circle is being removed (none now). An entry that no longer exists
# fails the test, so the list cannot go stale.
KNOWN_BACK_EDGES: set[tuple[str, str]] = set()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    return {module_name(p): p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _import_nodes(tree: ast.AST):
    """Every Import/ImportFrom node, at any depth, except inside `if TYPE_CHECKING:` bodies."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _known(name: str, modules) -> str | None:
    """`name`, or its nearest enclosing package, when it is a project module."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(name: str, path: Path, modules) -> set[str]:
    """The project modules that module `name` (file `path`) imports."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        for target in targets:
            known = _known(target, modules)
            if known and known != name:
                found.add(known)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted; a module
    importing itself is skipped by construction."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0

    def visit(start: str) -> None:  # iterative, so a deep graph cannot hit the recursion limit
        nonlocal counter
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            for nxt in edges:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return sorted(found)


def cycle_path(graph: dict[str, set[str]], component: list[str]) -> list[str]:
    """One concrete circle through the component's first module, for the failure message."""
    members, start = set(component), component[0]
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        nxt_frontier = []
        for node in frontier:
            for nxt in sorted(graph[node] & members):
                if nxt == start:
                    return paths[node] + [start]
                if nxt not in paths:
                    paths[nxt] = paths[node] + [nxt]
                    nxt_frontier.append(nxt)
        frontier = nxt_frontier
    return component


def layer_violations(graph: dict[str, set[str]]) -> list[str]:
    return sorted(f"{src} imports {dst}" for src, targets in graph.items() for dst in targets
                  if LAYER[dst.split(".")[0]] > LAYER[src.split(".")[0]])


def _unexpected(graph) -> tuple[list[list[str]], list[tuple[str, str]]]:
    """Circles left once the known back edges are removed, and the known edges no longer there."""
    gone = sorted(e for e in KNOWN_BACK_EDGES if e[1] not in graph.get(e[0], set()))
    allowed = {src: targets - {dst for s, dst in KNOWN_BACK_EDGES if s == src} for src, targets in graph.items()}
    return circles(allowed), gone


# ---------------------------------------------------------------- tests
def test_the_graph_covers_every_module_and_sees_function_level_imports():
    graph = import_graph()
    assert {"corpus.chunking", "index.store", "search.engine", "search.cli.app", "index.embedding"} <= set(graph)
    assert "index.store" in graph["index.ingest"]  # a module-level import
    assert "search.api" in graph["search.cli.app"]  # imported inside open_index()


def test_circles_are_found_through_function_level_and_relative_imports(tmp_path):
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert circles(graph) == [["a", "b", "c"]]
    assert cycle_path(graph, ["a", "b", "c"]) == ["a", "b", "c", "a"]
    pkg = tmp_path / "p"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("from .x import f\n")
    (pkg / "x.py").write_text("def f():\n    from p import y\n    from . import z\n")
    (pkg / "y.py").write_text("import p.x\n")
    (pkg / "z.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from p.x import f\n")
    modules = {"p": pkg / "__init__.py", "p.x": pkg / "x.py", "p.y": pkg / "y.py", "p.z": pkg / "z.py"}
    names = {n: imports_of(n, path, modules) for n, path in modules.items()}
    assert names == {"p": {"p.x"}, "p.x": {"p.y", "p.z"}, "p.y": {"p.x"}, "p.z": set()}
    assert circles(names) == [["p.x", "p.y"]]


def test_no_import_circle():
    graph = import_graph()
    unexpected, gone = _unexpected(graph)
    assert not unexpected, "import circles:\n" + "\n".join(" -> ".join(cycle_path(graph, c)) for c in unexpected)
    assert not gone, f"the known circle through {' -> '.join(gone[0])} is gone: delete it from KNOWN_BACK_EDGES in tests/test_imports.py"


def test_imports_flow_corpus_to_index_to_search_only():
    assert layer_violations(import_graph()) == []


def main() -> int:
    graph = import_graph()
    edges = sum(len(t) for t in graph.values())
    print(f"{len(graph)} modules, {edges} imports between them (module- and function-level)")
    for name in sorted(graph):
        print(f"  {name} -> {', '.join(sorted(graph[name])) or '-'}")
    unexpected, gone = _unexpected(graph)
    unexpected_sets = [set(c) for c in unexpected]
    for component in circles(graph):
        known = "" if any(set(u) <= set(component) for u in unexpected_sets) else " (known, allowed while being removed)"
        print(f"circle{known}: {' -> '.join(cycle_path(graph, component))}")
    violations = layer_violations(graph)
    for line in violations:
        print(f"layer rule broken: {line}")
    print("no import circle" if not circles(graph) else f"{len(unexpected)} unexpected circle(s)")
    for edge in gone:
        print(f"the known circle through {' -> '.join(edge)} is gone: delete it from KNOWN_BACK_EDGES")
    return 1 if unexpected or violations or gone else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
