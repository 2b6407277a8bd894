"""Indexes a long-lived front end (the language server) keeps current, by workspace root.

The agent's workflow asks here before building its own: one index per root per
process, so an editor session never holds (or builds) the same workspace twice.
The CLI publishes nothing, so each command builds (warm from SQLite) as before.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from backend_lsp.index.build import WorkspaceIndex

_LOCK = threading.Lock()
_READY: dict[Path, WorkspaceIndex] = {}
_BUILDING: dict[Path, threading.Event] = {}


def building(root: Path) -> None:
    """A publisher started building ``root``: ``wait`` callers wait for it, not build twice."""
    with _LOCK:
        _BUILDING.setdefault(root, threading.Event())


def publish(index: WorkspaceIndex) -> None:
    """Offer a fully built index (the publisher keeps it current)."""
    with _LOCK:
        _READY[index.root] = index
        done = _BUILDING.pop(index.root, None)
    if done is not None:
        done.set()


def abandon(root: Path) -> None:
    """The build stopped (cancelled, failed): waiters go on without it."""
    with _LOCK:
        done = _BUILDING.pop(root, None)
    if done is not None:
        done.set()


def wait(root: Path, timeout: float) -> WorkspaceIndex | None:
    """The published index, after waiting for a build in progress (blocking: not on a loop)."""
    with _LOCK:
        event = _BUILDING.get(root.resolve())
    if event is not None:
        event.wait(timeout)
    return find(root)


def withdraw(index: WorkspaceIndex) -> None:
    with _LOCK:
        if _READY.get(index.root) is index:
            del _READY[index.root]


def find(root: Path) -> WorkspaceIndex | None:
    with _LOCK:
        return _READY.get(root.resolve())
