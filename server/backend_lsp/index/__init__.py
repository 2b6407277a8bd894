"""Workspace index: per-file facts from tree-sitter, persisted by content hash.

The engine side only (no LSP): ``WorkspaceIndex`` builds and updates, ``Resolver``
answers "what does this name mean here", ``RouteMap`` lists routes with full
paths. ``context`` ranks over it.
"""

from backend_lsp.index.build import BuildStats, WorkspaceIndex
from backend_lsp.index.resolve import Resolver, Target
from backend_lsp.index.routes import ResolvedRoute, RouteMap

__all__ = ["BuildStats", "ResolvedRoute", "Resolver", "RouteMap", "Target", "WorkspaceIndex"]
