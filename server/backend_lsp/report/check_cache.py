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
from backend_lsp.config import AnalysisSettings

log = logging.getLogger(__name__)

_FORMAT = "check-v2"  # v2: an analysis entry is (findings, the imported modules they used)
# ``analysis.cache_max_mb`` sets the cap of a ``check`` run; this is its default.
DEFAULT_MAX_MB: int = AnalysisSettings.model_fields["cache_max_mb"].default


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

    def __init__(self, directory: Path | None = None, max_mb: float = DEFAULT_MAX_MB) -> None:
        self.directory = (directory or default_cache_dir()) / _FORMAT
        self.max_bytes = int(max_mb * 1024 * 1024)

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

    def size(self) -> int:
        return sum(size for _, size, _ in self._files())

    def prune(self) -> int:
        """Delete the oldest entries (by write time) until the cache fits ``max_bytes``.

        Run after a run that wrote entries; another run deleting the same file is fine.
        Returns how many entries were removed.
        """
        files = self._files()
        total = sum(size for _, size, _ in files)
        removed = 0
        for _, size, path in sorted(files):
            if total <= self.max_bytes:
                break
            try:
                path.unlink()
            except OSError:
                continue
            total -= size
            removed += 1
        return removed

    def _files(self) -> list[tuple[int, int, Path]]:
        """(mtime_ns, size, path) of every entry and run manifest."""
        found: list[tuple[int, int, Path]] = []
        try:
            folders = list(os.scandir(self.directory))
        except OSError:
            return found
        for folder in folders:
            try:
                if not folder.is_dir():
                    continue
                with os.scandir(folder.path) as entries:
                    for entry in entries:
                        if entry.name.endswith(".pickle") and entry.is_file():
                            st = entry.stat()
                            found.append((st.st_mtime_ns, st.st_size, Path(entry.path)))
            except OSError:
                continue
        return found


# A file's stat signature: (mtime_ns, size, inode, ctime_ns). Any change means "look again".
Stat = tuple[int, int, int, int]
# A signature this recent is not trusted (a write in the same clock tick can keep it).
_RACY_NS = 2_000_000_000


def stat_signature(path: Path) -> Stat | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)


def trusted(signature: Stat | None, now_ns: int) -> Stat | None:
    """``signature`` if old enough to vouch for the content, else None (hash it next time)."""
    if signature is None or now_ns - signature[0] < _RACY_NS or now_ns - signature[3] < _RACY_NS:
        return None
    return signature


class RunManifest:
    """The last run's per-file results for one (root, cwd, settings), read once per run.

    A file whose stat signature is unchanged since it was recorded gets its
    schema facts and findings from here without being read, hashed or parsed;
    anything else falls back to the content-keyed entries of ``ResultCache``.
    ``entries`` maps an absolute path to (signature, schema facts, schema
    digest of the findings, findings); it is written whole, by rename.
    """

    def __init__(self, cache: ResultCache, key: str) -> None:
        self._path = cache.directory / "runs" / f"{key}.pickle"
        self.entries: dict[str, tuple[Stat, Any, str, Any]] = {}
        try:
            with self._path.open("rb") as handle:
                loaded = pickle.load(handle)
            if isinstance(loaded, dict):
                self.entries = loaded
        except FileNotFoundError:
            pass
        except Exception:
            log.debug("unreadable run manifest %s", self._path, exc_info=True)

    def save(self, entries: dict[str, tuple[Stat, Any, str, Any]]) -> None:
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=self._path.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    pickle.dump(entries, handle, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, self._path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError as error:
            log.debug("cannot write run manifest %s: %s", self._path, error)
