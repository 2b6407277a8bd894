"""A ``SummaryProvider`` over one workspace root, for ``check`` and the language server.

Imports resolve through the shared workspace index when a front end published
one for the root (``index.shared``), else over the folder on disk: relative
imports from the importer's package, absolute ones from the importer's
top-level package's parent, the root and ``root/src``. Only files under the
root count. Each module is summarised per content, tables and depth left, and
only as far as importers ask (``engine.ModuleExports``: a function's summary is
exactly what summarising the whole module gives, so it never depends on which
names were asked for first). Helpers of helpers are followed up to ``MAX_DEPTH``
modules deep, and that bound also ends import cycles. Keying by the depth left
keeps a summary the same whichever file asked for it first (a summary computed
two modules down, where its own helpers look unknown, is never replayed at the
top). A function summary that the bound never cut (no helper of it, at any
depth, was left unknown for lack of depth) is the same with more depth left, so
it also serves requests from higher up.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from backend_lsp.analysis.taint.summaries import Dependency, ExternalFunction, ExternalModule
from backend_lsp.analysis.taint.tables import TaintTables
from backend_lsp.analysis.taint.views import Routes, merge_routes, routed_names
from backend_lsp.files import SKIP_DIRS, decode_source

if TYPE_CHECKING:
    from backend_lsp.analysis.taint.engine import ModuleExports
    from backend_lsp.syntax.document import ParsedDocument

MAX_DEPTH = 3  # modules summarised inside one another (handler -> helper -> helper)
MAX_MODULES = 1536  # summaries kept (a module may have one per depth)
MAX_LIVE = 256  # modules whose tree and analysis are kept to summarise more of them
MAX_MODULE_BYTES = 1_000_000

# Live text of a file open in an editor (None: read the disk).
OpenText = Callable[[Path], bytes | None]


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=12).hexdigest()


# (summary or None, files it was computed from, cut by the depth bound)
_Answer = tuple[ExternalFunction | None, frozenset[Dependency], bool]
_Enums = tuple[frozenset[str], frozenset[Dependency], bool]


class _Module:
    """One module at one depth left, summarised as far as its importers asked.

    Implements ``summaries.ExternalModule``. The engine's state (tree, analysis) is
    kept only for the ``MAX_LIVE`` modules used last; a module whose state was dropped
    re-runs its prefix when asked for more (the same results: the prefix is exact).
    """

    def __init__(
        self, owner: WorkspaceSummaries, path: Path, data: bytes, digest: str,
        tables: TaintTables, depth: int,
    ) -> None:  # fmt: skip
        self.owner, self.path, self.data, self.digest = owner, path, data, digest
        self.tables, self.depth = tables, depth
        self.own: frozenset[Dependency] = frozenset({(str(path), digest)})
        self.lock = threading.Lock()
        self._answers: dict[str, _Answer] = {}
        self._marks: list[tuple[frozenset[Dependency], bool]] = []  # after each export step
        self._enums: _Enums | None = None
        self._exports: ModuleExports | None = None
        self._document: ParsedDocument | None = None
        self._unreadable = False

    # ExternalModule -------------------------------------------------------------------

    def summary(self, name: str) -> tuple[ExternalFunction | None, frozenset[Dependency]]:
        function, dependencies, cut = self._answer(name)
        if cut:
            self.owner._cut()
        return function, dependencies

    def enum_classes(self) -> tuple[frozenset[str], frozenset[Dependency]]:
        with self.lock:
            if self._enums is None:
                self._enums = self._compute_enums()
            names, dependencies, cut = self._enums
        if cut:
            self.owner._cut()
        return names, dependencies

    # For the owner --------------------------------------------------------------------

    def dependencies(self) -> frozenset[Dependency]:
        """Every file what was summarised so far read (for reuse: all must be unchanged)."""
        with self.lock:
            found = self.own | (self._marks[-1][0] if self._marks else frozenset())
            return found | self._enums[1] if self._enums is not None else found

    def known(self, name: str) -> _Answer | None:
        with self.lock:
            return self._answers.get(name)

    # Summarising ----------------------------------------------------------------------

    def _answer(self, name: str) -> _Answer:
        known = self.known(name)
        if known is not None:
            return known
        for lower in self.owner._lower(self):
            found = lower.known(name)
            if found is not None and not found[2]:
                with self.lock:
                    self._answers[name] = found
                return found
        with self.lock:
            answer = self._answers.get(name)
            if answer is None:
                answer = self._answers[name] = self._compute(name)
            return answer

    def _compute(self, name: str) -> _Answer:
        exports = self._load()
        last = exports.last.get(name) if exports is not None else None
        if exports is None or last is None:
            return None, self.own, False  # not a top-level function of this module
        with self.owner._frame(self.depth, self._marks[-1][1] if self._marks else False) as cut:
            while len(self._marks) <= last and not exports.stopped:
                exports.step()
                self._marks.append((self.own | exports.dependencies, cut[-1]))
        dependencies, was_cut = self._marks[min(last, len(self._marks) - 1)]
        if exports.finished:  # every function is exported: the engine's state can go
            exports.release()
            self._document = None
            self.owner._forget(self)
        return exports.function(name), dependencies, was_cut

    def _load(self) -> ModuleExports | None:
        """The engine's export state, rebuilt (and replayed to where it was) if dropped."""
        from backend_lsp.analysis.taint.engine import ModuleExports

        if self._unreadable:
            return None
        if self._exports is not None:
            if not self._exports.finished:
                self.owner._touch(self)
            return self._exports
        document = self._parse()
        if document is None or document.root is None:
            self._unreadable = True
            return None
        try:
            label = self.path.resolve().relative_to(self.owner.root).as_posix()
        except (ValueError, OSError):
            label = self.path.name
        exports = ModuleExports(
            document.source, document.root, self.tables, self.owner, str(self.path), label
        )
        with self.owner._frame(self.depth, False):
            for _ in self._marks:  # replay the prefix asked for before the state was dropped
                exports.step()
        self._exports = exports
        self.owner._touch(self)
        return exports

    def drop(self) -> None:
        """Forget the engine's state (the owner keeps ``MAX_LIVE`` of them)."""
        exports = self._exports
        if exports is None or not exports.finished:
            self._exports = None
            self._document = None

    def _parse(self) -> ParsedDocument | None:
        from backend_lsp.syntax.parse_store import shared_document

        if self._document is None:
            text = decode_source(self.path, self.data)
            if not isinstance(text, str):
                return None  # binary or undecodable: nothing to summarise
            # One parse for every depth, and the importing run's own read of the file.
            self._document = shared_document(str(self.path), text, "python")
        return self._document

    def _compute_enums(self) -> _Enums:
        from backend_lsp.analysis.taint.summaries import module_imports
        from backend_lsp.analysis.taint.views import enum_classes

        document = self._parse()
        root = document.root if document is not None else None
        if document is None or root is None:
            return frozenset(), self.own, False
        imports = module_imports(document.source, root)
        used: set[Dependency] = set(self.own)
        path = str(self.path)

        def imported_enum(name: str) -> bool:
            imported = imports.get(name)
            if imported is None or imported.name is None:
                return False
            module = self.owner.module(path, imported.level, imported.module, self.tables)
            if module is None:
                return False
            enums, dependencies = module.enum_classes()
            used.update(dependencies)
            return imported.name in enums

        with self.owner._frame(self.depth, False) as cut:
            names = enum_classes(document.source, root, imported_enum)
        return names, frozenset(used), cut[-1]


class WorkspaceSummaries:
    """Summaries of imported modules under ``root``; thread-safe, one per workspace root."""

    def __init__(self, root: Path, open_text: OpenText | None = None) -> None:
        self.root = root.resolve()
        self._open_text = open_text
        self._lock = threading.Lock()
        self._modules: OrderedDict[tuple[str, int], _Module] = OrderedDict()
        self._live: OrderedDict[int, _Module] = OrderedDict()  # engine state kept
        self._located: dict[tuple[str, int, str], Path | None] = {}
        self._disk: dict[str, tuple[tuple[int, int, int], str]] = {}  # path -> (stat, digest)
        self._used: dict[str, frozenset[Dependency]] = {}
        self._active = threading.local()
        self._url_files: list[Path] | None = None
        self._url_names: dict[str, tuple[str, Routes]] = {}  # path -> (digest, routes)

    # SummaryProvider ------------------------------------------------------------------

    def module(
        self, importer: str, level: int, module: str, tables: TaintTables
    ) -> ExternalModule | None:
        path = self.locate(Path(importer), level, module)
        if path is None:
            return None
        if len(self._stack()) >= MAX_DEPTH:
            self._cut()  # the module being summarised depends on the bound
            return None  # deep enough (this also ends cycles): the helper looks unknown
        depth = MAX_DEPTH - len(self._stack())
        # The stat-stamped digest first: a module asked for again (every importer's every
        # call of it) is not read and hashed again unless it changed.
        digest = self.digest(path)
        if digest is None:
            return None
        key = (str(path), depth)
        with self._lock:
            entry = self._modules.get(key)
        if entry is not None and self._valid(entry, digest, tables):
            with self._lock:
                if key in self._modules:
                    self._modules.move_to_end(key)
            return entry
        data = self._read(path)
        if data is None:
            return None
        entry = _Module(self, path, data, _digest(data), tables, depth)
        with self._lock:
            self._modules[key] = entry
            self._modules.move_to_end(key)
            while len(self._modules) > MAX_MODULES:
                self._modules.popitem(last=False)[1].drop()
        return entry

    def _valid(self, entry: _Module, digest: str, tables: TaintTables) -> bool:
        """``entry`` still holds for this content and tables (and what it read is current)."""
        return (
            entry.digest == digest
            and entry.tables is tables
            and self.current(entry.dependencies() - entry.own)
        )

    def _lower(self, entry: _Module) -> list[_Module]:
        """The same module summarised with less depth left (answers there that the bound
        never cut are the same at ``entry``'s depth), still valid."""
        found: list[_Module] = []
        for left in range(entry.depth - 1, 0, -1):
            with self._lock:
                lower = self._modules.get((str(entry.path), left))
            if lower is not None and self._valid(lower, entry.digest, entry.tables):
                found.append(lower)
        return found

    def current(self, dependencies: frozenset[Dependency]) -> bool:
        return all(self.digest(Path(path)) == digest for path, digest in dependencies)

    def note(self, importer: str, dependencies: frozenset[Dependency]) -> None:
        with self._lock:
            if dependencies:
                self._used[importer] = dependencies
            else:
                self._used.pop(importer, None)

    def routed(self) -> tuple[Routes, frozenset[Dependency]] | None:
        with self._lock:
            files = self._url_files
        if files is None:
            files = _url_modules(self.root)
            with self._lock:
                self._url_files = files
        if not files:
            return None
        routes: list[Routes] = []
        used: set[Dependency] = set()
        for path in files:
            digest = self.digest(path)
            if digest is None:
                continue
            key = str(path)
            with self._lock:
                known = self._url_names.get(key)
            if known is None or known[0] != digest:
                known = (digest, self._route_names(path))
                with self._lock:
                    self._url_names[key] = known
            routes.append(known[1])
            used.add((key, digest))
        return merge_routes(routes), frozenset(used)

    def _route_names(self, path: Path) -> Routes:
        from backend_lsp.syntax.parse_store import shared_document

        data = self._read(path)
        text = decode_source(path, data) if data is not None else None
        if not isinstance(text, str):
            return {}
        document = shared_document(str(path), text, "python")
        return routed_names(document.source, document.root) if document.root else {}

    # For front ends -------------------------------------------------------------------

    def dependencies_of(self, importer: str) -> frozenset[Dependency]:
        """What the last analysis of ``importer`` read from other modules."""
        with self._lock:
            return self._used.get(importer, frozenset())

    def importers_of(self, path: Path) -> list[str]:
        """Files whose last analysis used ``path`` (directly or through another helper)."""
        key = str(path.resolve())
        with self._lock:
            return [i for i, deps in self._used.items() if any(p == key for p, _ in deps)]

    def forget_locations(self) -> None:
        """Files were created or deleted: resolve imports afresh."""
        with self._lock:
            self._located.clear()
            self._url_files = None

    def digest(self, path: Path) -> str | None:
        """The content digest of ``path`` now (the editor's text when it is open)."""
        data = self._open_text(path) if self._open_text is not None else None
        if data is not None:
            return _digest(data)
        try:
            info = path.stat()
        except OSError:
            return None
        stamp = (info.st_mtime_ns, info.st_size, info.st_ino)
        key = str(path)
        with self._lock:
            known = self._disk.get(key)
        if known is not None and known[0] == stamp:
            return known[1]
        data = self._read(path)
        if data is None:
            return None
        digest = _digest(data)
        with self._lock:
            self._disk[key] = (stamp, digest)
        return digest

    # Finding modules ------------------------------------------------------------------

    def locate(self, importer: Path, level: int, module: str) -> Path | None:
        """The file ``importer`` imports as ``level``/``module``, None outside the root."""
        key = (str(importer.parent), level, module)
        with self._lock:
            if key in self._located:
                return self._located[key]
        importer = importer.resolve()
        found = self._from_index(importer, level, module) or self._from_disk(
            importer, level, module
        )
        found = found.resolve() if found is not None else None
        with self._lock:
            self._located[key] = found
        return found

    def _from_index(self, importer: Path, level: int, module: str) -> Path | None:
        from backend_lsp.index import shared
        from backend_lsp.index.facts import Import

        index = shared.find(self.root)
        if index is None:
            return None
        try:
            rel = index.relative(importer)
            if rel is None:
                return None
            resolver = index.view().resolver
            dotted = resolver.absolute(rel, Import(module, None, "", level))
            found = resolver.module_file(dotted)
        except Exception:  # the index changing under us: the disk answers instead
            return None
        return index.root / found if found is not None else None

    def _from_disk(self, importer: Path, level: int, module: str) -> Path | None:
        parts = [part for part in module.split(".") if part]
        if level:
            base = importer.parent
            for _ in range(level - 1):
                base = base.parent
            bases = [base]
        else:
            top = importer.parent
            while top != self.root and (top / "__init__.py").is_file():
                top = top.parent
            bases = list(dict.fromkeys([top, self.root, self.root / "src"]))
        for base in bases:
            target = base.joinpath(*parts)
            options = [target / "__init__.py"]
            if parts:
                options.insert(0, target.with_name(target.name + ".py"))
            for option in options:
                if option.is_file() and self._inside(option):
                    return option
        return None

    def _inside(self, path: Path) -> bool:
        try:
            path.resolve().relative_to(self.root)
        except (ValueError, OSError):
            return False
        return True

    # Summarising ----------------------------------------------------------------------

    def _stack(self) -> list[str]:
        stack: list[str] | None = getattr(self._active, "stack", None)
        if stack is None:
            stack = self._active.stack = []
        return stack

    def _cuts(self) -> list[bool]:
        """Per frame of ``_stack``: whether the depth bound cut that summary's helpers."""
        cuts: list[bool] | None = getattr(self._active, "cuts", None)
        if cuts is None:
            cuts = self._active.cuts = []
        return cuts

    def _cut(self) -> None:
        """What the running summary used was cut by the depth bound."""
        cuts = self._cuts()
        if cuts:
            cuts[-1] = True

    @contextmanager
    def _frame(self, depth: int, cut: bool) -> Iterator[list[bool]]:
        """Run a summary of a module at ``depth`` left: helpers it imports are looked up
        one level deeper, whoever asked; yields the frames' cut flags (last: its own)."""
        frames = MAX_DEPTH - depth + 1
        outer = self._stack(), self._cuts()
        self._active.stack = [""] * frames
        self._active.cuts = cuts = [False] * (frames - 1) + [cut]
        try:
            yield cuts
        finally:
            self._active.stack, self._active.cuts = outer

    def _forget(self, entry: _Module) -> None:
        """``entry`` needs no engine state any more."""
        with self._lock:
            self._live.pop(id(entry), None)

    def _touch(self, entry: _Module) -> None:
        """``entry``'s engine state was used: keep it, drop the least recently used."""
        with self._lock:
            live = self._live
            live[id(entry)] = entry
            live.move_to_end(id(entry))
            dropped = [live.popitem(last=False)[1] for _ in range(len(live) - MAX_LIVE)]
        for old in dropped:
            old.drop()

    def _read(self, path: Path) -> bytes | None:
        data = self._open_text(path) if self._open_text is not None else None
        if data is not None:
            return data
        try:
            if path.stat().st_size > MAX_MODULE_BYTES:
                return None
            return path.read_bytes()
        except OSError:
            return None


def _url_modules(root: Path) -> list[Path]:
    """The workspace's Django URL modules (``urls.py``), environments and caches skipped."""
    found: list[Path] = []
    for directory, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        if "urls.py" in files:
            found.append((Path(directory) / "urls.py").resolve())
    return found
