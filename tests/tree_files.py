"""Write a small workspace from a ``{relative path: text}`` table: the tests' one way to
lay out a project that is easier to read inline than as a fixture folder."""

from __future__ import annotations

from pathlib import Path


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Each file under ``root`` (folders made as needed); returns ``root``."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root
