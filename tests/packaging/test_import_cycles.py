"""No import cycles anywhere in backend_lsp, counting every import statement.

Type-only (``if TYPE_CHECKING``) and function-level imports count too: a cycle
between them is still a circle for every reader and for mypy.
"""

from __future__ import annotations

import ast
from pathlib import Path

import backend_lsp

PACKAGE = Path(backend_lsp.__file__).parent
NAME = "backend_lsp"


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """Module -> the project modules it imports (a package import names its __init__)."""
    paths = {_module_name(p, root): p for p in root.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in paths}
    for name, path in paths.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        is_package = path.name == "__init__.py"
        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(name, is_package, node)
                targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
            for target in targets:
                # the longest known module the name points into
                while target and target not in paths:
                    target = target.rpartition(".")[0]
                if target and target != name and target.startswith(NAME):
                    graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component: list[str] = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _is_ancestor_package(a: str, b: str) -> bool:
    return b.startswith(f"{a}.") or a.startswith(f"{b}.")


def test_the_package_has_no_import_cycle() -> None:
    graph = import_graph()
    # A package's __init__ re-exporting its own submodules is not a circle of readers.
    graph = {m: {t for t in ts if not _is_ancestor_package(m, t)} for m, ts in graph.items()}
    assert cycles(graph) == []


def test_the_checker_finds_a_type_only_cycle(tmp_path: Path) -> None:
    pkg = tmp_path / NAME
    (pkg / "lsp").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "lsp" / "__init__.py").write_text("")
    (pkg / "lsp" / "a.py").write_text("from backend_lsp.lsp.b import thing\n")
    (pkg / "lsp" / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import a\n"
    )
    (pkg / "lsp" / "c.py").write_text("def f():\n    from backend_lsp.lsp import a\n")
    graph = import_graph(pkg)
    assert cycles(graph) == [["backend_lsp.lsp.a", "backend_lsp.lsp.b"]]
