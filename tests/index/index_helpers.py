"""Helpers the per-language index tests share."""

from __future__ import annotations

from pathlib import Path

from backend_lsp.index import WorkspaceIndex


def built_index(root: Path) -> WorkspaceIndex:
    """A fresh in-memory index of ``root``, built in this process."""
    index = WorkspaceIndex(root, persist=False)
    index.build(workers=1)
    return index


def resolved(index: WorkspaceIndex, rel: str, name: str) -> tuple[str, str] | None:
    """(path, qualname) that ``name`` used in ``rel`` resolves to, or None."""
    found = index.view().resolver.lookup(rel, name)
    if found is None or found.symbol is None:
        return None
    return found.path, found.symbol.qualname
