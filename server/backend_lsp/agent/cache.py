"""Response cache: the same request never pays twice.

SQLite (stdlib) in WAL mode with short transactions, so an editor session and
a CLI run can share it. Keys are the sha256 of everything sent; values are the
validated answer and its usage as JSON. The file is capped in size with
least-recently-used eviction. A broken or unwritable cache degrades to "no
cache" with a logged warning: it must never make an action fail.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

CACHE_DIR_ENV = "BACKEND_LSP_CACHE_DIR"
_FILE_NAME = "responses.sqlite3"
_OPEN_PATIENCE_S = 5.0  # how long opening waits out a concurrent creator
_SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    size INTEGER NOT NULL,
    created REAL NOT NULL,
    used REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS responses_used ON responses(used);
"""


def default_cache_dir() -> Path:
    """``$BACKEND_LSP_CACHE_DIR`` or the platform's user cache dir for backend-lsp."""
    override = os.environ.get(CACHE_DIR_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("backend-lsp"))


class ResponseCache:
    """Key -> JSON payload store with a byte cap and LRU eviction."""

    def __init__(self, directory: Path | None = None, max_mb: float = 64) -> None:
        self.path = (directory or default_cache_dir()) / _FILE_NAME
        self.max_bytes = int(max_mb * 1024 * 1024)
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._broken = False

    def _connect(self) -> sqlite3.Connection | None:
        if self._conn is not None or self._broken:
            return self._conn
        deadline = time.monotonic() + _OPEN_PATIENCE_S
        while True:
            try:
                self._conn = self._open()
                return self._conn
            except sqlite3.OperationalError as error:
                # Another process (or cache object) creating the file or switching it to
                # WAL at the same moment: SQLite reports "locked" without waiting. Retry.
                if "locked" in str(error) and time.monotonic() < deadline:
                    time.sleep(0.02)
                    continue
                log.warning("response cache disabled: %s: %s", self.path, error)
            except (OSError, sqlite3.Error) as error:
                log.warning("response cache disabled: %s: %s", self.path, error)
            self._broken = True
            return None

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(
            self.path, timeout=5.0, isolation_level=None, check_same_thread=False
        )
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.executescript(_SCHEMA)
        except BaseException:
            conn.close()
            raise
        return conn

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored payload, refreshing its LRU time; None on a miss or any cache trouble."""
        with self._lock:
            conn = self._connect()
            if conn is None:
                return None
            try:
                row = conn.execute("SELECT value FROM responses WHERE key = ?", (key,)).fetchone()
                if row is None:
                    return None
                conn.execute("UPDATE responses SET used = ? WHERE key = ?", (time.time(), key))
                value = json.loads(row[0])
            except (sqlite3.Error, ValueError) as error:
                log.warning("response cache read failed: %s", error)
                return None
        return value if isinstance(value, dict) else None

    def put(self, key: str, payload: dict[str, Any]) -> None:
        """Store a payload, then evict least recently used entries beyond the cap."""
        text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        size = len(text.encode("utf-8")) + len(key)
        if size > self.max_bytes:
            return
        now = time.time()
        with self._lock:
            conn = self._connect()
            if conn is None:
                return
            try:
                conn.execute(
                    "INSERT OR REPLACE INTO responses(key, value, size, created, used) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (key, text, size, now, now),
                )
                self._evict(conn)
            except sqlite3.Error as error:
                log.warning("response cache write failed: %s", error)

    def _evict(self, conn: sqlite3.Connection) -> None:
        total = conn.execute("SELECT COALESCE(SUM(size), 0) FROM responses").fetchone()[0]
        if total <= self.max_bytes:
            return
        target = int(self.max_bytes * 0.9)  # leave headroom so each put does not evict again
        doomed: list[tuple[str]] = []
        for key, size in conn.execute("SELECT key, size FROM responses ORDER BY used ASC"):
            if total <= target:
                break
            doomed.append((key,))
            total -= size
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany("DELETE FROM responses WHERE key = ?", doomed)
            conn.execute("COMMIT")
        except sqlite3.Error:
            conn.execute("ROLLBACK")
            raise

    def clear(self) -> int:
        """Delete every entry; returns how many there were."""
        with self._lock:
            conn = self._connect()
            if conn is None:
                return 0
            try:
                count = int(conn.execute("SELECT COUNT(*) FROM responses").fetchone()[0])
                conn.execute("DELETE FROM responses")
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                conn.execute("VACUUM")
            except sqlite3.Error as error:
                log.warning("response cache clear failed: %s", error)
                return 0
        return count

    def stats(self) -> dict[str, Any]:
        """Entries and bytes, for the status command."""
        with self._lock:
            conn = self._connect()
            if conn is None:
                return {"path": str(self.path), "enabled": False, "entries": 0, "bytes": 0}
            try:
                entries, size = conn.execute(
                    "SELECT COUNT(*), COALESCE(SUM(size), 0) FROM responses"
                ).fetchone()
            except sqlite3.Error:
                entries, size = 0, 0
        return {"path": str(self.path), "enabled": True, "entries": entries, "bytes": size}

    def clear_and_report(self) -> dict[str, Any]:
        """Clear, then what is left: the one result the CLI and the server command return."""
        removed = self.clear()
        return {"removed": removed, **self.stats()}

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
