"""SQLite persistence for the workspace index: a restart re-reads nothing unchanged.

One database per workspace root under the user cache dir (``$BACKEND_LSP_CACHE_DIR``
overrides). ``blobs`` maps a content hash (salted with the extractor version and
the blob format) to the extracted facts, so identical content is parsed once; ``files`` maps a
path to its hash plus the (mtime, size) that let a warm start skip reading.
WAL mode and a busy timeout make the CLI and the server safe to use it at
once; every write is one short transaction. A broken database degrades to an
in-memory one with a warning rather than failing the caller.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import marshal
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from backend_lsp.index.facts import RECORDS, FileFacts

log = logging.getLogger(__name__)

# py-4: bare uses only for names that can resolve; go-1: Go and SQL; js-1: JS/TS, Prisma
EXTRACTOR_VERSION = "py-4+go-1+js-4"
# The blob format is part of the salt: a cache written by another format (the JSON text
# before this one, another marshal version) is never read as this one, only re-parsed.
BLOB_FORMAT = f"marshal-{marshal.version}"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS blobs (hash TEXT PRIMARY KEY, facts TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, hash TEXT NOT NULL, mtime_ns INTEGER NOT NULL, size INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS files_by_hash ON files(hash);
"""
# A blob no file points to any more (the file's previous content, an editor's unsaved
# version, a format or extractor the salt left behind) goes when the pointer moves.
_DROP_ORPHAN = (
    "DELETE FROM blobs WHERE hash = ? AND NOT EXISTS (SELECT 1 FROM files WHERE files.hash = ?)"
)


def content_hash(data: bytes) -> str:
    """Hash of a file's bytes, salted so a new extractor never reuses old facts."""
    digest = hashlib.blake2b(data, digest_size=16)
    digest.update(EXTRACTOR_VERSION.encode())
    digest.update(BLOB_FORMAT.encode())
    return digest.hexdigest()


def serialize(facts: FileFacts) -> bytes:
    """The stored form of a file's facts (``deserialize`` reads it back).

    ``marshal`` of the records as positional tuples: a warm start decodes every
    stored file, and this reads back in about half the time of the JSON text it
    replaces (Django, 2,307 blobs: 55 vs 108 ms), with tuples already tuples, so
    a record is built by one call (the JSON form needed a list -> tuple pass per
    field: 145 ms more). Only this process's own cache is read with it.
    """
    records = tuple(
        tuple(tuple(getattr(r, f) for f in names) for r in getattr(facts, name))
        for name, _, names in RECORDS
    )
    return marshal.dumps(
        (
            facts.language,
            facts.routers,
            records,
            facts.migration_tables,
            facts.module_uses,
            facts.package,
        )
    )


def deserialize(blob: bytes) -> FileFacts:
    """``serialize``'s output back to the facts (equal to the ones written)."""
    language, routers, records, migration_tables, module_uses, package = marshal.loads(blob)
    kinds = {
        name: tuple(kind(*row) for row in rows)
        for (name, kind, _), rows in zip(RECORDS, records, strict=True)
    }
    return FileFacts(
        language=language,
        routers=routers,
        migration_tables=migration_tables,
        module_uses=module_uses,
        package=package,
        **kinds,
    )


@contextmanager
def no_collection() -> Iterator[None]:
    """Pause the cyclic collector while decoding: the records are acyclic (refcounting
    frees them), but allocating some 100,000 of them ran the collector over the whole
    heap again and again (warm Django build beside two loaded indexes: ~0.1 s)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def database_path(cache_dir: Path, root: Path) -> Path:
    """``<cache>/index/<hash of the root path>.sqlite3``: one index per workspace."""
    key = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:24]
    return cache_dir / "index" / f"{key}.sqlite3"


@dataclass(frozen=True, slots=True)
class FileRow:
    path: str
    hash: str
    mtime_ns: int
    size: int


class IndexStore:
    """Path -> (hash, stat) and hash -> facts, in one SQLite file."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._conn = self._open(path)

    @staticmethod
    def _open(path: Path | None) -> sqlite3.Connection:
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(path, timeout=10, check_same_thread=False)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.executescript(_SCHEMA)
                return conn
            except (OSError, sqlite3.Error) as error:
                log.warning(
                    "index cache %s unusable (%s); keeping the index in memory", path, error
                )
        conn = sqlite3.connect(":memory:", check_same_thread=False)
        conn.executescript(_SCHEMA)
        return conn

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def rows(self) -> dict[str, FileRow]:
        with self._lock:
            cursor = self._conn.execute("SELECT path, hash, mtime_ns, size FROM files")
            return {row[0]: FileRow(*row) for row in cursor}

    def get_meta(self, key: str) -> Any:
        with self._lock:
            row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else json.loads(row[0])

    def set_meta(self, key: str, value: Any) -> None:
        self._write(
            ("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", [(key, json.dumps(value))])
        )

    def facts(self, hashes: Iterable[str]) -> dict[str, FileFacts]:
        """The stored facts of these hashes; one that is missing or unreadable is left out
        (the caller parses its file again)."""
        wanted = list(set(hashes))
        found: dict[str, FileFacts] = {}
        with self._lock, no_collection():
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                query = f"SELECT hash, facts FROM blobs WHERE hash IN ({marks})"
                for digest, blob in self._conn.execute(query, chunk):
                    try:
                        found[digest] = deserialize(blob)
                    except (ValueError, EOFError, TypeError) as error:
                        log.warning("index cache entry %s unreadable (%s)", digest, error)
        return found

    def put(self, entries: Iterable[tuple[FileRow, FileFacts | None]]) -> None:
        """Record files (facts None for skipped files) in one transaction."""
        self.put_serialized((row, None if f is None else serialize(f)) for row, f in entries)

    def put_serialized(self, entries: Iterable[tuple[FileRow, bytes | None]]) -> None:
        """``put`` with the facts already in ``serialize``'s form (a parse worker's output)."""
        batch = list(entries)
        blobs = [(row.hash, text) for row, text in batch if text is not None]
        files = [(row.path, row.hash, row.mtime_ns, row.size) for row, _ in batch]
        replaced = self._hashes_of([row.path for row, _ in batch])
        new = {row.hash for row, _ in batch}
        self._write(
            ("INSERT OR IGNORE INTO blobs(hash, facts) VALUES (?, ?)", blobs),
            ("INSERT OR REPLACE INTO files(path, hash, mtime_ns, size) VALUES (?,?,?,?)", files),
            (_DROP_ORPHAN, [(h, h) for h in replaced - new]),
        )

    def _hashes_of(self, paths: list[str]) -> set[str]:
        """The hashes these paths point to now (before a write moves them)."""
        found: set[str] = set()
        with self._lock:
            try:
                for start in range(0, len(paths), 500):
                    chunk = paths[start : start + 500]
                    marks = ",".join("?" * len(chunk))
                    query = f"SELECT hash FROM files WHERE path IN ({marks})"
                    found.update(row[0] for row in self._conn.execute(query, chunk))
            except sqlite3.Error as error:
                log.warning("index cache read failed: %s", error)
        return found

    def remove(self, paths: Iterable[str]) -> None:
        gone = [(p,) for p in paths]
        if gone:
            self._write(
                ("DELETE FROM files WHERE path = ?", gone),
                ("DELETE FROM blobs WHERE hash NOT IN (SELECT hash FROM files)", [()]),
            )

    def _write(self, *statements: tuple[str, Sequence[tuple[Any, ...]]]) -> None:
        """One transaction; losing it (lock, full disk) loses persistence, never the index."""
        with self._lock:
            try:
                with self._conn:
                    for sql, rows in statements:
                        if rows:
                            self._conn.executemany(sql, rows)
            except sqlite3.Error as error:
                log.warning("index cache write failed: %s", error)
