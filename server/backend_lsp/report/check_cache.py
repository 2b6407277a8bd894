"""Per-file result cache for ``check``: one file per entry, keyed by a content hash.

Keys hash everything a result depends on (file bytes, path, settings, workspace
schema, package version and the analyzer's own source files), so an entry
never needs invalidating: a change gives a new key. Writes go to a temporary
file in the same directory and are renamed into place, so concurrent runs at
worst compute the same entry twice and a reader never sees half an entry.
Entries are pickles of our own dataclasses in the user's cache directory
(``$BACKEND_LSP_CACHE_DIR`` overrides it); an entry that fails to load is
treated as a miss.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

from backend_lsp import __version__
from backend_lsp.agent.cache import default_cache_dir

log = logging.getLogger(__name__)

_FORMAT = "check-v1"


def source_digest(folder: Path) -> bytes:
    """Every ``.py`` file under ``folder`` by path, size and mtime: a stat per file, no reads."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*.py")):
        info = path.stat()
        digest.update(f"{path.relative_to(folder)}:{info.st_size}:{info.st_mtime_ns}\n".encode())
    return digest.digest()


@functools.cache
def code_digest() -> bytes:
    """The installed package's sources, once per process.

    The version alone is not enough: an editable install or a checkout edited
    between runs keeps its version, and its old results must not be replayed.
    """
    return source_digest(Path(__file__).resolve().parent.parent)


def cache_key(*parts: str | bytes) -> str:
    digest = hashlib.sha256(__version__.encode())
    digest.update(code_digest())
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


class ResultCache:
    """Key -> picklable value on disk; every failure degrades to a miss."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = (directory or default_cache_dir()) / _FORMAT

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.pickle"

    def get(self, key: str) -> Any | None:
        try:
            with self._path(key).open("rb") as handle:
                return pickle.load(handle)
        except FileNotFoundError:
            return None
        except Exception:  # truncated by a full disk, written by another version, ...
            log.debug("unreadable cache entry %s", key, exc_info=True)
            return None

    def put(self, key: str, value: Any) -> None:
        target = self._path(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, target)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError as error:
            log.debug("cannot write cache entry %s: %s", key, error)
