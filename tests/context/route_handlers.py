"""The route handlers of an indexed workspace, as line ranges: what the recall oracles ask about.

Shared by the Python (jedi) and JS/TS (TypeScript) recall tests and benchmarks, so
every recall figure is taken over the same handlers.
"""

from __future__ import annotations

from backend_lsp.index import WorkspaceIndex

Request = tuple[str, int, int]  # (relative path, first line, last line)


def handler_ranges(index: WorkspaceIndex) -> list[Request]:
    """Every route handler's lines (a controller or view class: each of its methods)."""
    found: set[Request] = set()
    for route in index.view().routes.routes:
        handler = route.handler
        if handler is None or handler.symbol is None:
            continue
        symbols = [handler.symbol]
        if handler.symbol.kind == "class":
            members = [
                s for s in index.files[handler.path].symbols if s.parent == handler.symbol.name
            ]
            symbols = [s for s in members if s.kind == "method"] or symbols
        found.update((handler.path, s.start_line, s.end_line) for s in symbols)
    return sorted(found)
