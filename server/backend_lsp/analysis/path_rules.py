"""Per-path configuration: ``exclude`` / ``extend-exclude`` and ``per-file-ignores``.

Patterns use gitignore syntax relative to the project root (``tests/``,
``**/migrations/*.py``, ``conftest.py`` matches at any depth), the same
matcher ``files.py`` uses for .gitignore. The language server and ``check``
share this, so a path excluded in pyproject.toml is quiet in both.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePath

from pathspec import GitIgnoreSpec

from backend_lsp.config import AnalysisSettings


@lru_cache(maxsize=256)
def _spec(patterns: tuple[str, ...]) -> GitIgnoreSpec:
    return GitIgnoreSpec.from_lines(patterns)


def relative_posix(path: str | PurePath, root: Path | None) -> str:
    """``path`` relative to ``root`` in POSIX form; unchanged when outside it (or no root)."""
    candidate = Path(path)
    if root is not None:
        try:
            return Path(os.path.abspath(candidate)).relative_to(root.absolute()).as_posix()
        except ValueError:
            pass
    return candidate.as_posix()


@dataclass(frozen=True, slots=True)
class PathRules:
    exclude: tuple[str, ...]
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...]

    @classmethod
    def from_settings(cls, settings: AnalysisSettings) -> PathRules:
        return cls(
            exclude=tuple(settings.exclude) + tuple(settings.extend_exclude),
            per_file_ignores=tuple(
                (pattern, tuple(codes)) for pattern, codes in settings.per_file_ignores.items()
            ),
        )

    def is_excluded(self, relative: str) -> bool:
        if not self.exclude:
            return False
        spec = _spec(self.exclude)
        parts = relative.split("/")
        # A pattern naming a directory excludes everything below it.
        prefixes = ["/".join(parts[:depth]) + "/" for depth in range(1, len(parts))]
        return any(spec.match_file(candidate) for candidate in [relative, *prefixes])

    def ignored_codes(self, relative: str) -> list[str]:
        """Codes or prefixes ``per-file-ignores`` switches off for this path."""
        codes: list[str] = []
        for pattern, ignored in self.per_file_ignores:
            spec = _spec((pattern,))
            parts = relative.split("/")
            prefixes = ["/".join(parts[:depth]) + "/" for depth in range(1, len(parts))]
            if any(spec.match_file(candidate) for candidate in [relative, *prefixes]):
                codes.extend(ignored)
        return codes
