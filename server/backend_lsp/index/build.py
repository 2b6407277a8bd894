"""The workspace index: build once (warm from SQLite), then update one file at a time.

Files come from ``files.iter_source_files`` (gitignore, skipped directories) and
private files (``IgnoreRules.is_private``) are never opened. Unchanged files
(same mtime and size as stored) are not read at all; changed ones are parsed
in worker processes when there are enough of them to pay for the pool.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from backend_lsp.files import PROJECT_IGNORE_FILE, SKIP_DIRS, IgnoreRules, iter_source_files
from backend_lsp.index.extract import (
    Extracted,
    extract_path,
    extract_text,
    index_language,
)
from backend_lsp.index.facts import FileFacts
from backend_lsp.index.jsmodules import JS_LANGUAGES
from backend_lsp.index.jspackages import MANIFEST, PNPM_WORKSPACE
from backend_lsp.index.jsproject import (
    is_install_marker,
    named_configs,
    project_files,
    stamps,
    vendored_candidates,
)
from backend_lsp.index.parsing import ParseRun
from backend_lsp.index.store import (
    FileRow,
    IndexStore,
    content_hash,
    database_path,
    serialize,
)
from backend_lsp.index.tsconfig import CONFIG_NAMES
from backend_lsp.index.view import WorkspaceView

log = logging.getLogger(__name__)

_SKIPPED = "skip:"
_IGNORE_FILES = (".gitignore", PROJECT_IGNORE_FILE, ".git/info/exclude")

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


class BuildCancelled(Exception):
    """The build stopped early; what it parsed so far is stored, so the next build reuses it."""


@dataclass(frozen=True, slots=True)
class BuildStats:
    files: int
    parsed: int
    reused: int
    skipped: int
    seconds: float


class WorkspaceIndex:
    """Facts per workspace-relative path, persisted by content hash."""

    def __init__(self, root: Path, *, cache_dir: Path | None = None, persist: bool = True) -> None:
        self.root = root.resolve()
        self.rules = IgnoreRules(self.root)
        if persist:
            from backend_lsp.agent.cache import default_cache_dir

            db = database_path(cache_dir or default_cache_dir(), self.root)
        self.store = IndexStore(db if persist else None)
        self.files: dict[str, FileFacts] = {}
        self.generation = 0  # bumped on every change; the query view caches on it
        self._view: tuple[int, WorkspaceView] | None = None
        self._private: dict[tuple[str, str], bool] = {}
        # node_modules files an ``extends`` may name -> their stat (``jsproject``)
        self.vendored: dict[str, list[int]] = {}

    def close(self) -> None:
        self.store.close()

    def view(self) -> WorkspaceView:
        """The query snapshot for the current generation (rebuilt only after a change).

        A snapshot never changes once returned: edits publish a new one.
        """
        published = self._view
        if published is None or published[0] != self.generation:
            generation, files = self.generation, self.files
            published = (generation, WorkspaceView.build(files))
            self._view = published
        return published[1]

    def readable(self, rel: str) -> bool:
        """False for a private path (``IgnoreRules.is_private``), checked on every call.

        The rules are fixed for the life of the index, so the answer is kept per
        path and the real location of its directory: only that (a symlink swapped
        in) is looked up again, not the gitignore matching.
        """
        path = self.root / rel
        key = (rel, os.path.realpath(path.parent))
        private = self._private.get(key)
        if private is None:
            private = self._private[key] = self.rules.is_private(path)
        return not private

    def relative(self, path: Path) -> str | None:
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except (ValueError, OSError):
            return None

    def _directories(self) -> dict[str, list[int]]:
        """Every directory the file walk enters (same SKIP_DIRS and ignore rules), with the
        stat of the directory and of its ignore files: if none changed, neither did the
        set of candidate files."""
        seen: dict[str, list[int]] = {}
        stack: list[tuple[Path, tuple[str, ...]]] = [(self.root, ())]
        while stack:
            directory, parts = stack.pop()
            try:
                info = os.stat(directory)
                entries = list(os.scandir(directory))
            except OSError:
                continue
            stamp = [info.st_mtime_ns]
            for name in _IGNORE_FILES:
                try:
                    extra = os.stat(directory / name)
                    stamp += [extra.st_mtime_ns, extra.st_size]
                except OSError:
                    stamp += [0, 0]
            seen[str(directory.relative_to(self.root))] = stamp
            for entry in entries:  # the directory is not ignored: only the entry's name is
                try:
                    if (
                        entry.is_dir(follow_symlinks=False)
                        and entry.name not in SKIP_DIRS
                        and not self.rules.is_ignored_child(parts, entry.name, True)
                    ):
                        stack.append((directory / entry.name, (*parts, entry.name)))
                except OSError:
                    continue
        return seen

    def _unchanged_tree(self) -> bool:
        """True when no directory the last walk entered changed (stat only, no listing)."""
        stored = self.store.get_meta("directories")
        if not isinstance(stored, dict) or not stored:
            return False
        vendored = self.store.get_meta("vendored")  # an install may have changed them
        if isinstance(vendored, dict) and stamps(self.root, vendored) != vendored:
            return False
        root = str(self.root)
        for rel, stamp in stored.items():  # str paths: ~13,000 stats on Django, pathlib
            directory = root if rel == "." else f"{root}/{rel}"  # doubled their cost
            try:
                current = [os.stat(directory).st_mtime_ns]
            except OSError:
                return False
            for name in _IGNORE_FILES:
                try:
                    extra = os.stat(f"{directory}/{name}")
                    current += [extra.st_mtime_ns, extra.st_size]
                except OSError:
                    current += [0, 0]
            if current != stamp:
                return False
        return True

    def _candidates(self) -> Iterator[str]:
        """Every file to index, in walk order (as found: the parse starts before the walk ends)."""
        listed: set[str] = set()
        modules: dict[Path, Path | None] = {}  # directory -> the go.mod governing it
        projects: dict[Path, list[Path]] = {}  # directory -> tsconfig/Prisma files above it
        extra: dict[str, None] = {}
        prefix = len(str(self.root).rstrip("/")) + 1
        for path in iter_source_files([self.root], self.root, self.rules):
            language = index_language(path)
            if language is None:
                continue
            if os.path.islink(path):  # a file symlink: where it points decides
                if self.rules.is_private(path):
                    continue
                rel = self.relative(path)
            else:  # the walk from the resolved root follows no directory symlink and has
                # matched the gitignores: the path is real and only the private list is left
                rel = str(path)[prefix:]
                if self.rules.is_private_listed(rel):
                    continue
            if rel is not None and rel not in listed:
                listed.add(rel)
                yield rel
            if language == "go":
                gomod = self._go_mod(path.parent, modules)
                if gomod is not None and (rel := self.relative(gomod)):
                    extra[rel] = None
            elif language in JS_LANGUAGES:
                for config in self._js_project(path.parent, projects):
                    if (rel := self.relative(config)) and not self.rules.is_private(config):
                        extra[rel] = None
        yield from (rel for rel in extra if rel not in listed)
        if projects:  # JS/TS sources: workspace members' manifests, extended configs
            yield from project_files(self.root, list(extra), self._project_file_allowed)

    def _project_file_allowed(self, path: Path, vendored: bool) -> bool:
        """A config or manifest ``project_files`` may read: never a secret one, and outside
        ``node_modules`` (ignored by its nature) not an ignored one."""
        return not (self.rules.is_secret(path) if vendored else self.rules.is_private(path))

    def _js_project(self, directory: Path, seen: dict[Path, list[Path]]) -> list[Path]:
        """tsconfig.json/jsconfig.json, package.json, pnpm-workspace.yaml and Prisma schemas
        (``prisma/*.prisma``, ``*.prisma``) at or above ``directory`` inside the root: the
        walk yields only files with a grammar, so these are found from the JS/TS files
        they govern."""
        if directory in seen:
            return seen[directory]
        here: list[Path] = []
        for candidate in (
            *(directory / name for name in CONFIG_NAMES),
            directory / MANIFEST,
            directory / PNPM_WORKSPACE,
            *sorted(directory.glob("tsconfig.*.json")),
            *sorted(directory.glob("*.prisma")),
            *sorted(directory.glob("prisma/*.prisma")),
            *sorted(directory.glob("prisma/schema/*.prisma")),
        ):
            if candidate.is_file() and not self.rules.is_ignored(candidate):
                here.append(candidate)
        above = (
            []
            if directory == self.root or self.root not in directory.parents
            else self._js_project(directory.parent, seen)
        )
        seen[directory] = found = [*here, *above]
        return found

    def _go_mod(self, directory: Path, seen: dict[Path, Path | None]) -> Path | None:
        """The nearest go.mod at or above ``directory`` inside the root (the walk yields
        only files with a grammar, so the module file is found from its Go files)."""
        if directory in seen:
            return seen[directory]
        candidate = directory / "go.mod"
        if candidate.is_file() and not self.rules.is_ignored(candidate):
            found: Path | None = candidate
        elif directory == self.root or self.root not in directory.parents:
            found = None
        else:
            found = self._go_mod(directory.parent, seen)
        seen[directory] = found
        return found

    def build(
        self,
        *,
        workers: int | None = None,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
        low_priority: bool = False,
    ) -> BuildStats:
        """Index the workspace; only files whose stat changed since the last run are read.

        Changed files are parsed while the walk goes on (``ParseRun``) and stored a
        batch at a time. ``progress(done, total)`` counts files checked of those found
        so far; ``cancelled()`` is polled between batches and stops the build with
        ``BuildCancelled`` (the index keeps its old state, the store what was parsed).
        ``low_priority`` (an editor's background build): parse in niced worker
        processes, even on one core, so the process answering requests keeps the CPU.
        """
        started = time.perf_counter()
        stored = self.store.rows()
        unchanged = self._unchanged_tree()
        walked = time.time_ns()
        keep: dict[str, FileRow] = {}
        fresh: dict[str, FileFacts] = {}
        rels: list[str] = []
        parsed = [0]

        def sink(batch: list[Extracted]) -> None:
            self.store.put_serialized((_row(r), _blob(r)) for r in batch)
            for result in batch:
                if result.facts is not None:
                    fresh[result.rel] = result.facts
            parsed[0] += len(batch)
            if progress is not None:
                progress(len(keep) + parsed[0], len(rels))
            if cancelled is not None and cancelled():
                raise BuildCancelled(f"{parsed[0]} files parsed")

        # Default: one worker per core (tree-sitter holds the GIL, so threads would
        # not help); measured here a 2-worker pool beats in-process even on 2 cores.
        count = workers or (os.cpu_count() or 1)
        root = str(self.root)
        run = ParseRun(root, count, low_priority, sink)
        try:
            for rel in sorted(stored) if unchanged else self._candidates():
                rels.append(rel)
                row = stored.get(rel)
                try:
                    info = os.stat(f"{root}/{rel}")  # a str: pathlib's join cost more than stat
                except OSError:
                    continue
                if row is not None and (row.mtime_ns, row.size) == (
                    info.st_mtime_ns,
                    info.st_size,
                ):
                    keep[rel] = row
                else:
                    run.add(rel)
            if not unchanged:  # while the workers parse what the walk found
                self.store.set_meta("directories", _settled(self._directories(), walked))
            hashes = (r.hash for r in keep.values() if not r.hash.startswith(_SKIPPED))
            loaded = self.store.facts(hashes)
            for rel, row in list(keep.items()):  # a blob gone or unreadable: parse again
                if row.hash not in loaded and not row.hash.startswith(_SKIPPED):
                    del keep[rel]
                    run.add(rel)
            run.finish()
        finally:
            run.close()
        files = {rel: loaded[row.hash] for rel, row in keep.items() if row.hash in loaded}
        files.update(fresh)
        present = set(rels)
        self.store.remove(rel for rel in stored if rel not in present)
        self.files = files
        self.generation += 1
        self._watch_vendored()
        skipped = len(rels) - len(files)
        return BuildStats(len(rels), parsed[0], len(keep), skipped, time.perf_counter() - started)

    def update(self, path: Path, text: str | None = None) -> bool:
        """Re-extract one file (from ``text`` when the editor has unsaved changes).

        Returns False when the file is not indexed (ignored, private, other language).
        """
        rel = self.relative(path)
        if rel is not None and is_install_marker(rel):
            return self.refresh_vendored()
        if rel is None or (index_language(path) is None and not self._named_config(rel)):
            return False
        if rel in self.vendored:  # read in node_modules: only a secret one is not
            if self.rules.is_secret(path):
                return False
        elif self.rules.is_private(path) or self.rules.is_ignored(path):
            return False
        if text is None:
            result = extract_path(str(self.root), rel)
            if result.skipped is not None and result.hash == "":
                self.remove(path)
                return False
        else:
            data = text.encode("utf-8", "surrogatepass")
            facts = extract_text(rel, data)
            digest = content_hash(data)
            result = (
                Extracted(rel, digest, 0, -1, None, facts)
                if isinstance(facts, str)
                else Extracted(rel, digest, 0, -1, facts)
            )
        self.store.put([(_row(result), result.facts)])
        old = self.files.get(rel)
        files = dict(self.files)  # copy-on-write: readers keep the old mapping intact
        if result.facts is None:
            files.pop(rel, None)
        else:
            files[rel] = result.facts
        self._changed(files, rel, old, result.facts)
        if result.facts is not None and result.facts.language in ("tsconfig", "jspackage"):
            self._follow_project(rel)
        return True

    def _named_config(self, rel: str) -> bool:
        """A JSON file a config's ``extends``/``references`` names: a config by that role."""
        return rel.endswith(".json") and (rel in self.files or rel in named_configs(self.files))

    def _watch_vendored(self) -> None:
        self.vendored = stamps(self.root, vendored_candidates(self.files))
        self.store.set_meta("vendored", self.vendored)

    def _follow_project(self, rel: str) -> None:
        """A config or manifest changed: read what it now names (an ``extends`` target,
        a new member's manifest) and watch the node_modules files it may name."""
        self._watch_vendored()
        for extra in project_files(self.root, [rel], self._project_file_allowed, self.files):
            self.update(self.root / extra)

    def refresh_vendored(self) -> bool:
        """After an install: re-read the watched node_modules files whose stat changed
        (only those, never a listing of node_modules). True when one did."""
        changed = False
        for _ in range(4):  # a new config may name more (its own extends)
            old = self.vendored
            moved = [
                rel
                for rel, stamp in stamps(self.root, old).items()
                if stamp != old[rel] or (stamp != [0, -1] and rel not in self.files)
            ]
            if not moved:
                break
            for rel in moved:
                if old[rel] != [0, -1] and not (self.root / rel).is_file():
                    self.remove(self.root / rel)
                else:
                    self.update(self.root / rel)
            self._watch_vendored()
            changed = True
        return changed

    def _changed(
        self, files: dict[str, FileFacts], rel: str, old: FileFacts | None, new: FileFacts | None
    ) -> None:
        """Publish ``files`` and a view of them, derived from the current view when it can.

        Each name is rebound once, to new objects; nothing a reader may hold is
        mutated, so reads (``files``, ``view()``) need no lock.
        """
        published = self._view
        view = None
        if published is not None and published[0] == self.generation:
            view = published[1].applied(files, rel, old, new)
        self.files = files
        self.generation += 1
        if view is not None:
            self._view = (self.generation, view)

    def remove(self, path: Path) -> None:
        """Forget a deleted (or renamed-away) file."""
        rel = self.relative(path)
        if rel is None:
            return
        old = self.files.get(rel)
        files = {k: v for k, v in self.files.items() if k != rel}
        self.store.remove([rel])
        self._changed(files, rel, old, None)


def _settled(directories: dict[str, list[int]], since_ns: int) -> dict[str, list[int]]:
    """The directory stamps to keep, or none when one moved since the walk began.

    They are taken after the walk (while the workers parse), so a directory or ignore
    file changed meanwhile may hold a file the walk missed: its stamp must not let the
    next build skip the walk. Two seconds cover coarse file system clocks.
    """
    recent = since_ns - 2_000_000_000
    for stamp in directories.values():
        if stamp[0] > recent or any(mtime > recent for mtime in stamp[1::2]):
            return {}
    return directories


def _blob(result: Extracted) -> bytes | None:
    """The stored form of a result's facts (made by the worker when it came from the pool)."""
    if result.facts is None:
        return None
    return result.blob if result.blob is not None else serialize(result.facts)


def _row(result: Extracted) -> FileRow:
    digest = result.hash if result.facts is not None else f"{_SKIPPED}{result.hash}"
    return FileRow(result.rel, digest, result.mtime_ns, result.size)
