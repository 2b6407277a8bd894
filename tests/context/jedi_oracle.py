"""Context recall against jedi: the workspace definitions a handler's names resolve to.

jedi (a test dependency) resolves every name used in the handler with real
Python semantics; each definition it lands on inside the workspace, outside
the handler itself, is one the context should contain. Shared by the
context-recall test and bench/index_bench.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jedi


@dataclass(frozen=True)
class Recall:
    expected: frozenset[tuple[str, int]]
    found: frozenset[tuple[str, int]]

    @property
    def value(self) -> float:
        return len(self.found) / len(self.expected) if self.expected else 1.0

    @property
    def missed(self) -> set[tuple[str, int]]:
        return set(self.expected - self.found)


def oracle(root: Path, path: Path, first: int, last: int) -> set[tuple[str, int]]:
    """(relative path, definition line) of every workspace definition lines [first, last] use."""
    extra = [str(root / "src")] if (root / "src").is_dir() else []
    project = jedi.Project(path=str(root), added_sys_path=[str(root), *extra])
    script = jedi.Script(path=str(path), project=project)
    found: set[tuple[str, int]] = set()
    for name in script.get_names(all_scopes=True, definitions=False, references=True):
        if not first <= name.line <= last:
            continue
        for definition in script.goto(name.line, name.column, follow_imports=True):
            module = definition.module_path
            if module is None or definition.line is None or definition.type == "module":
                continue  # a module name (``from app import crud``) stands for its members
            module = Path(module).resolve()
            if root not in module.parents:
                continue
            if module == path.resolve() and first <= definition.line <= last:
                continue  # defined inside the handler itself
            found.add((module.relative_to(root).as_posix(), definition.line))
    return found


def recall(expected: set[tuple[str, int]], items: list[dict[str, object]]) -> Recall:
    """Which expected definitions fall inside some context item's lines."""
    hit = {
        (rel, line)
        for rel, line in expected
        if any(
            item["path"] == rel
            and int(str(item["start_line"])) <= line <= int(str(item["end_line"]))
            for item in items
        )
    }
    return Recall(frozenset(expected), frozenset(hit))
