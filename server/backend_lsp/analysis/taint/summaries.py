"""What the engine knows of a helper in another workspace module, and who tells it.

A handler's call of an imported helper (``from .utils import build_query``) is
replayed from the helper's summary: which parameters reach its return value,
which reach a sink inside it, and what it cleans. The engine stays free of how
modules are found: a ``SummaryProvider`` (``taint/workspace.py`` over the
workspace index or the folder on disk) is passed in through ``AnalysisContext``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from tree_sitter import Node

from backend_lsp.analysis.model import FlowStep
from backend_lsp.analysis.python.imports import module_level_bindings

if TYPE_CHECKING:
    from backend_lsp.analysis.taint.tables import TaintTables
    from backend_lsp.analysis.taint.views import Routes

# A module's (absolute path, content digest): what a result computed from it depends on.
Dependency = tuple[str, str]


@dataclass(frozen=True, slots=True)
class ExternalFlow:
    """Parameters ``params`` of the helper reach ``sink`` (steps in the helper's file)."""

    category: str
    sink: str
    params: frozenset[int]
    cleared: frozenset[str]
    steps: tuple[FlowStep, ...]  # after the parameter, ending with the sink
    at: str  # the sink as ``app/services.py:12``


@dataclass(frozen=True, slots=True)
class ExternalFunction:
    """A module-level function of another file, as its callers see it."""

    params: tuple[str, ...]
    flows: tuple[ExternalFlow, ...] = ()
    # Parameters that flow to the return value -> what is cleaned on the way.
    returns_params: dict[int, frozenset[str]] = field(default_factory=dict)
    returns_cleared: frozenset[str] = frozenset()  # of ``returns_source``
    # Request data the helper reads itself and returns (``def term(): return request.args[...]``).
    returns_source: str | None = None
    returns_steps: tuple[FlowStep, ...] = ()


class ExternalModule(Protocol):
    """One imported module as its importers see it, summarised only as far as they ask.

    Each answer comes with the files it was computed from (this module's path and
    content digest, and what its summaries read in turn): the importer's result
    depends on those, and on nothing else of the module.
    """

    def summary(self, name: str) -> tuple[ExternalFunction | None, frozenset[Dependency]]:
        """Top-level function ``name``'s summary (None: no such function, or unknown)."""
        ...

    def enum_classes(self) -> tuple[frozenset[str], frozenset[Dependency]]:
        """Its Enum classes (also through other enums): a route parameter typed with one
        is validated membership, never caller text."""
        ...


@dataclass(frozen=True, slots=True)
class Imported:
    """``from <level dots><module> import <name>`` or ``import <module>`` (name None)."""

    module: str
    name: str | None
    level: int = 0


class SummaryProvider(Protocol):
    """Finds and summarises imported workspace modules; must be thread-safe."""

    def module(
        self, importer: str, level: int, module: str, tables: TaintTables
    ) -> ExternalModule | None:
        """The module ``importer`` means by ``level``/``module``, None outside the workspace
        (or too deep: the bound on modules summarised inside one another)."""
        ...

    def current(self, dependencies: frozenset[Dependency]) -> bool:
        """True while every dependency still has the recorded content."""
        ...

    def note(self, importer: str, dependencies: frozenset[Dependency]) -> None:
        """Record what the last analysis of ``importer`` used (front ends re-run importers)."""
        ...

    def routed(self) -> tuple[Routes, frozenset[Dependency]] | None:
        """The views the workspace's ``urls.py`` routes send requests to (by last name, with
        what the patterns say of their parameters), and those files;
        None when the workspace has no such module (view-ness falls back to file names)."""
        ...


def candidates(imported: Imported, rest: list[str]) -> list[tuple[str, str]]:
    """(module, function) pairs a call ``<alias>.<rest...>()`` may name, most specific first."""
    if imported.name is None:
        if not rest:
            return []
        return [(".".join([imported.module, *rest[:-1]]).strip("."), rest[-1])]
    if imported.name == "*":
        return []
    if not rest:
        return [(imported.module, imported.name)]
    return [(".".join([imported.module, imported.name, *rest[:-1]]).strip("."), rest[-1])]


def module_imports(source: bytes, root: Node) -> dict[str, Imported]:
    """Local name -> what it imports, for module-level imports (relative ones included)."""
    found: dict[str, Imported] = {}
    for bound in module_level_bindings(source, root):
        if bound.nested or bound.name == "*":
            continue
        if bound.name is None:
            found[bound.local] = Imported(bound.target, None)
        else:
            found[bound.local] = Imported(bound.module, bound.name, bound.level)
    return found
