"""A ``SummaryProvider`` over one workspace root, for ``check`` and the language server.

Imports resolve through the shared workspace index when a front end published
one for the root (``index.shared``), else over the folder on disk: relative
imports from the importer's package, absolute ones from the importer's
top-level package's parent, the root and ``root/src``. Only files under the
root count. Each module is parsed and summarised once per content, tables and
depth left: helpers of helpers are followed up to ``MAX_DEPTH`` modules deep, and
that bound also ends import cycles. Keying the cache by the depth left keeps a
summary the same whichever file asked for it first (a summary computed two
modules down, where its own helpers look unknown, is never replayed at the top).
A summary that the bound never cut (no helper of it, at any depth, was left
unknown for lack of depth) is the same with more depth left, so it also serves
requests from higher up: most modules are summarised once, not once per depth.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from backend_lsp.analysis.taint.summaries import Dependency, ExternalModule
from backend_lsp.analysis.taint.tables import TaintTables
from backend_lsp.files import SKIP_DIRS, decode_source

MAX_DEPTH = 3  # modules summarised inside one another (handler -> helper -> helper)
MAX_MODULES = 1536  # summaries kept (a module may have one per depth)
MAX_MODULE_BYTES = 1_000_000

# Live text of a file open in an editor (None: read the disk).
OpenText = Callable[[Path], bytes | None]


@dataclass(frozen=True, slots=True)
class _Entry:
    digest: str
    tables: TaintTables
    module: ExternalModule
    cut: bool  # the depth bound left a helper (of a helper...) unknown: valid at this depth only


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=12).hexdigest()


class WorkspaceSummaries:
    """Summaries of imported modules under ``root``; thread-safe, one per workspace root."""

    def __init__(self, root: Path, open_text: OpenText | None = None) -> None:
        self.root = root.resolve()
        self._open_text = open_text
        self._lock = threading.Lock()
        self._modules: OrderedDict[tuple[str, int], _Entry] = OrderedDict()
        self._located: dict[tuple[str, int, str], Path | None] = {}
        self._disk: dict[str, tuple[tuple[int, int, int], str]] = {}  # path -> (stat, digest)
        self._used: dict[str, frozenset[Dependency]] = {}
        self._active = threading.local()
        self._url_files: list[Path] | None = None
        self._url_names: dict[str, tuple[str, frozenset[str]]] = {}  # path -> (digest, names)

    # SummaryProvider ------------------------------------------------------------------

    def module(
        self, importer: str, level: int, module: str, tables: TaintTables
    ) -> ExternalModule | None:
        path = self.locate(Path(importer), level, module)
        if path is None:
            return None
        name = str(path)
        stack: list[str] = self._stack()
        cuts: list[bool] = self._cuts()
        if len(stack) >= MAX_DEPTH:
            if cuts:
                cuts[-1] = True  # the module being summarised depends on the bound
            return None  # deep enough (this also ends cycles): the helper looks unknown
        depth = MAX_DEPTH - len(stack)
        key = (name, depth)
        data = self._read(path)
        if data is None:
            return None
        digest = _digest(data)
        entry = self._reusable(name, depth, digest, tables)
        if entry is not None:
            if entry.cut and cuts:
                cuts[-1] = True
            return entry.module
        stack.append(name)
        cuts.append(False)
        try:
            summarised = self._summarise(path, data, digest, tables)
        finally:
            stack.pop()
            cut = cuts.pop()
        if cut and cuts:
            cuts[-1] = True
        if summarised is None:
            return None
        with self._lock:
            self._modules[key] = _Entry(digest, tables, summarised, cut)
            self._modules.move_to_end(key)
            while len(self._modules) > MAX_MODULES:
                self._modules.popitem(last=False)
        return summarised

    def _reusable(self, name: str, depth: int, digest: str, tables: TaintTables) -> _Entry | None:
        """A valid summary for ``depth`` left: its own, or an uncut one made with less depth."""
        for left in range(depth, 0, -1):
            with self._lock:
                entry = self._modules.get((name, left))
            if (
                entry is not None
                and (left == depth or not entry.cut)
                and entry.digest == digest
                and entry.tables is tables
                and self.current(entry.module.dependencies - {(name, digest)})
            ):
                return entry
        return None

    def current(self, dependencies: frozenset[Dependency]) -> bool:
        return all(self.digest(Path(path)) == digest for path, digest in dependencies)

    def note(self, importer: str, dependencies: frozenset[Dependency]) -> None:
        with self._lock:
            if dependencies:
                self._used[importer] = dependencies
            else:
                self._used.pop(importer, None)

    def routed(self) -> tuple[frozenset[str], frozenset[Dependency]] | None:
        with self._lock:
            files = self._url_files
        if files is None:
            files = _url_modules(self.root)
            with self._lock:
                self._url_files = files
        if not files:
            return None
        names: set[str] = set()
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
            names |= known[1]
            used.add((key, digest))
        return frozenset(names), frozenset(used)

    def _route_names(self, path: Path) -> frozenset[str]:
        from backend_lsp.analysis.taint.views import routed_names
        from backend_lsp.syntax.document import ParsedDocument

        data = self._read(path)
        text = decode_source(path, data) if data is not None else None
        if not isinstance(text, str):
            return frozenset()
        document = ParsedDocument(text, "python")
        return routed_names(document.source, document.root) if document.root else frozenset()

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

    def _summarise(
        self, path: Path, data: bytes, digest: str, tables: TaintTables
    ) -> ExternalModule | None:
        from backend_lsp.analysis.taint.engine import module_functions
        from backend_lsp.analysis.taint.summaries import module_imports
        from backend_lsp.analysis.taint.views import enum_classes
        from backend_lsp.syntax.document import ParsedDocument

        text = decode_source(path, data)
        if not isinstance(text, str):
            return None  # binary or undecodable: nothing to summarise
        document = ParsedDocument(text, "python")
        root = document.root
        if root is None:
            return None
        try:
            label = path.resolve().relative_to(self.root).as_posix()
        except (ValueError, OSError):
            label = path.name
        functions, deps = module_functions(document.source, root, tables, self, str(path), label)
        imports = module_imports(document.source, root)
        used: set[Dependency] = set()

        def imported_enum(name: str) -> bool:
            imported = imports.get(name)
            if imported is None or imported.name is None:
                return False
            module = self.module(str(path), imported.level, imported.module, tables)
            if module is None:
                return False
            used.update(module.dependencies)
            return imported.name in module.enums

        enums = enum_classes(document.source, root, imported_enum)
        return ExternalModule(str(path), functions, deps | used | {(str(path), digest)}, enums)


def _url_modules(root: Path) -> list[Path]:
    """The workspace's Django URL modules (``urls.py``), environments and caches skipped."""
    found: list[Path] = []
    for directory, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        if "urls.py" in files:
            found.append((Path(directory) / "urls.py").resolve())
    return found
