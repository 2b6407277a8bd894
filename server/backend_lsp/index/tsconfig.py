"""tsconfig.json: what a config says, which config governs a file, and its effective options.

A config is read as TypeScript reads it: ``extends`` (a string or, TypeScript 5,
a list whose last entry wins) names a relative file, or a package (a workspace
package, else ``node_modules`` of each directory up) whose ``exports``, then
``tsconfig`` field, then ``tsconfig.json`` gives the file; options come from
the first config of the chain that sets them, and ``${configDir}`` (TypeScript
5.5) stands for the directory of the config in use, not the one that says it.
A file belongs to the nearest ``tsconfig.json`` when its ``files``/``include``
(less ``exclude``) cover it, else to the project of its ``references`` that does
(a solution config, ``{"files": [], "references": [...]}``), else to an
ancestor's, else to none; that project's
``paths``/``baseUrl`` apply to its imports, and an import of a referenced
project's build output (``../core/lib/x``) means the source under its
``rootDir``, as ``tsc -b`` and the editor's project references do.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass

from backend_lsp.index.facts import FileFacts, Import, Relation
from backend_lsp.index.jsonc import loose_json
from backend_lsp.index.jspackages import exported, split_specifier

CONFIG_NAMES = ("tsconfig.json", "jsconfig.json")
CONFIG_DIR = "${configDir}"
_LAYOUT = ("outDir", "rootDir")  # where a project's build output and its sources live
_SCOPE = ("include", "files", "exclude")  # which files a project holds
_MAX_CONFIGS = 16  # an extends chain longer than this is a cycle or a mistake
_MAX_REFERENCES = 64

Manifest = Callable[[str], "FileFacts | None"]  # package directory -> its package.json facts


def extract_tsconfig(source: bytes, _root: object, _rel: str) -> FileFacts | str:
    """``compilerOptions``: ``baseUrl`` as the package, each ``paths`` target as an Import
    (``name`` the alias pattern, ``module`` the target pattern); ``extends``, ``outDir``,
    ``rootDir``, ``include``/``files``/``exclude`` entries and ``references`` paths as
    Relations (``files: []`` as one empty ``files`` entry: it holds no file)."""
    data = loose_json(source.decode("utf-8", "replace"))
    if not isinstance(data, dict):
        return FileFacts(language="tsconfig")
    extends = data.get("extends")
    parents = extends if isinstance(extends, list) else [extends]
    relations = [Relation("tsconfig", "extends", p) for p in parents if isinstance(p, str)]
    for key in _SCOPE:
        listed = data.get(key)
        if isinstance(listed, list):
            entries = [e for e in listed if isinstance(e, str)]
            relations += [Relation("tsconfig", key, e) for e in entries or [""]]
    references = data.get("references")
    relations += [
        Relation("tsconfig", "reference", path)
        for item in (references if isinstance(references, list) else [])
        if isinstance(item, dict) and isinstance(path := item.get("path"), str)
    ]
    options = data.get("compilerOptions")
    if not isinstance(options, dict):
        return FileFacts(language="tsconfig", relations=tuple(relations))
    relations += [
        Relation("tsconfig", key, value)
        for key in _LAYOUT
        if isinstance(value := options.get(key), str)
    ]
    base = options.get("baseUrl")
    paths = options.get("paths")
    imports = [
        Import(target, pattern, pattern)
        for pattern, targets in (paths.items() if isinstance(paths, dict) else ())
        if isinstance(targets, list)
        for target in targets
        if isinstance(target, str)
    ]
    return FileFacts(
        language="tsconfig",
        imports=tuple(imports),
        relations=tuple(relations),
        package=base if isinstance(base, str) else "",
    )


def directory_of(rel: str) -> str:
    return posixpath.dirname(rel) or "."


def join(directory: str, tail: str) -> str:
    joined = posixpath.normpath(posixpath.join(directory, tail))
    return "." if joined in ("", ".") else joined


def _json_file(path: str) -> list[str]:
    return [path] if path.endswith(".json") else [path, f"{path}.json"]


def extends_candidates(
    directory: str,
    target: str,
    package_dir: Callable[[str], str | None],
    manifest: Manifest = lambda _directory: None,
) -> list[str]:
    """Files an ``extends`` in a config of ``directory`` may name, in the order TypeScript
    looks: a relative path (``.json`` added); else for each place the package may be (a
    workspace package, then ``node_modules`` of each directory up) its ``exports`` entry,
    then for the package itself its ``tsconfig`` field and ``tsconfig.json``, for a
    subpath that file. ``manifest`` gives a package directory's package.json facts."""
    if target.startswith((".", "/")):
        return _json_file(join(directory, target))
    name, subpath = split_specifier(target)
    packages = [package_dir(name)]
    above = directory
    while True:
        packages.append(join(above, f"node_modules/{name}"))
        if above == ".":
            break
        above = directory_of(above)
    found: list[str] = []
    for package in packages:
        if package is None:
            continue
        facts = manifest(package)
        if facts is not None:
            found += [join(package, t) for t in exported(facts, subpath) if t.endswith(".json")]
        if subpath != ".":
            found += _json_file(join(package, subpath))
            continue
        field = (
            next((r.target for r in facts.relations if r.kind == "tsconfig"), None)
            if (facts is not None)
            else None
        )
        if field is not None:
            found += _json_file(join(package, field))
        found.append(f"{package}/tsconfig.json")
    return list(dict.fromkeys(found))


def reference_config(directory: str, path: str) -> list[str]:
    """The config a ``references`` entry names: a directory's tsconfig.json, or a file."""
    place = join(directory, path)
    return [place] if place.endswith(".json") else [f"{place}/tsconfig.json", place]


def _glob(pattern: str) -> re.Pattern[str]:
    """A tsconfig ``include``/``exclude`` entry (workspace-relative) as a regex over paths:
    ``**/`` any directories, ``*``/``?`` within a name; a last part with neither a wildcard
    nor an extension is a directory, and covers everything under it."""
    parts = pattern.strip("/").split("/")
    out: list[str] = []
    for index, part in enumerate(parts):
        if part == "**":
            out.append("(?:[^/]+/)*")
            continue
        piece = re.escape(part).replace(r"\*", "[^/]*").replace(r"\?", "[^/]")
        last = index == len(parts) - 1
        out.append(piece if last else piece + "/")
    if pattern == ".":
        return re.compile(".+")
    if not any(c in parts[-1] for c in "*?."):
        out.append("/.+")
    return re.compile("".join(out))


@dataclass(slots=True)
class Options:
    """A config's effective options after ``extends`` (directories workspace-relative)."""

    paths_dir: str  # what ``paths`` targets are relative to without a ``baseUrl``
    leaf: str  # the config's own directory (what ``${configDir}`` stands for)
    base: str | None = None
    paths: tuple[Import, ...] = ()
    out_dir: str | None = None
    root_dir: str | None = None
    include: tuple[str, ...] | None = None  # None: not set anywhere in the chain
    files: tuple[str, ...] | None = None
    exclude: tuple[str, ...] = ()


class TsProjects:
    """The workspace's tsconfig files: chains, effective options, the project of a file."""

    def __init__(
        self,
        configs: dict[str, FileFacts],
        package_dir: Callable[[str], str | None],
        manifest: Manifest,
    ) -> None:
        self.configs = configs
        self.nearest = {
            directory_of(rel): rel for rel in configs if posixpath.basename(rel) in CONFIG_NAMES
        }
        self._package_dir = package_dir
        self._manifest = manifest
        self._options: dict[str, Options] = {}
        self._owners: dict[str, str | None] = {}
        # config -> (what its files/include match, what its exclude matches), one regex each
        self._scopes: dict[str, tuple[re.Pattern[str], re.Pattern[str] | None]] = {}

    def nearest_config(self, rel: str) -> str | None:
        """The nearest tsconfig.json/jsconfig.json at or above file ``rel``."""
        directory = directory_of(rel)
        while True:
            if directory in self.nearest:
                return self.nearest[directory]
            if directory == ".":
                return None
            directory = directory_of(directory)

    def project_for(self, rel: str) -> str | None:
        """The config whose project holds file ``rel``, as the editor's TypeScript finds it
        (5.6 searches ancestors): the nearest tsconfig.json if its ``files``/``include``
        (less ``exclude``) cover the file, else the first of its references (breadth
        first) that does, else the same one directory up. None: no project holds it (an
        ``exclude``d file: TypeScript's inferred project, without ``paths``/``baseUrl``)."""
        config = self.nearest_config(rel)
        while config is not None:
            if self.holds(config, rel):
                return config
            hit = next((r for r in self.references(config) if self.holds(r, rel)), None)
            if hit is not None:
                return hit
            place = directory_of(config)
            config = None if place == "." else self.nearest_config(place)
        return None

    def governing(self, rel: str) -> str | None:
        """``project_for``, else the nearest config: whose layout (``outDir``/``rootDir``)
        a package's own files (``package.json``, outside every ``include``) follow."""
        return self.project_for(rel) or self.nearest_config(rel)

    def references(self, config: str) -> list[str]:
        """The configs ``config`` references, directly or through them, nearest first."""
        found: list[str] = []
        queue = [config]
        while queue and len(found) < _MAX_REFERENCES:
            current = queue.pop(0)
            facts = self.configs.get(current)
            for relation in facts.relations if facts is not None else ():
                if relation.kind != "reference":
                    continue
                place = directory_of(current)
                hit = next(
                    (c for c in reference_config(place, relation.target) if c in self.configs),
                    None,
                )
                if hit is not None and hit != config and hit not in found:
                    found.append(hit)
                    queue.append(hit)
        return found

    def holds(self, config: str, rel: str) -> bool:
        """Whether ``config``'s ``files``/``include`` cover ``rel`` (and ``exclude`` not)."""
        scope = self._scopes.get(config)
        if scope is None:
            options = self.effective(config)
            include = options.include
            if include is None:
                include = () if options.files is not None else (directory_of(config),)
            files = [re.escape(f) for f in options.files or ()]
            wanted = [*files, *(_glob(i).pattern for i in include)]
            unwanted = [_glob(e).pattern for e in options.exclude]
            scope = self._scopes[config] = (
                re.compile("|".join(f"(?:{p})" for p in wanted) or "(?!)"),
                re.compile("|".join(f"(?:{p})" for p in unwanted)) if unwanted else None,
            )
        held, dropped = scope
        return held.fullmatch(rel) is not None and (dropped is None or not dropped.fullmatch(rel))

    def chain(self, config: str) -> list[str]:
        """The config then what it extends, nearest first: of a list (TypeScript 5) the
        last entry wins, so it comes first; each parent's own chain right after it."""
        found: list[str] = []
        stack = [config]
        while stack and len(found) < _MAX_CONFIGS:
            current = stack.pop()
            found.append(current)
            for relation in self.configs[current].relations:
                if relation.kind != "extends":
                    continue
                parent = self.extended(directory_of(current), relation.target)
                if parent is not None and parent not in found:
                    stack.append(parent)  # pushed first-to-last, so the last is popped first
        return found

    def extended(self, directory: str, target: str) -> str | None:
        """The config an ``extends`` names, if it is indexed."""
        for candidate in extends_candidates(directory, target, self._package_dir, self._manifest):
            if candidate in self.configs:
                return candidate
        return None

    def effective(self, config: str) -> Options:
        """The options after ``extends``: each from the first config of the chain that
        sets it, relative to that config (``${configDir}``: to ``config``'s directory)."""
        cached = self._options.get(config)
        if cached is not None:
            return cached
        leaf = directory_of(config)

        def place(here: str, value: str) -> str:
            if value.startswith(CONFIG_DIR):
                return join(leaf, value[len(CONFIG_DIR) :].lstrip("/") or ".")
            return join(here, value)

        options = Options(paths_dir=leaf, leaf=leaf)
        layout: dict[str, str] = {}
        scope: dict[str, tuple[str, ...]] = {}
        for current in self.chain(config):
            facts, here = self.configs[current], directory_of(current)
            if options.base is None and facts.package:
                options.base = place(here, facts.package)
            if not options.paths and facts.imports:
                options.paths, options.paths_dir = facts.imports, here
            found: dict[str, list[str]] = {}
            for relation in facts.relations:
                if relation.kind in _LAYOUT and relation.kind not in layout:
                    layout[relation.kind] = place(here, relation.target)
                elif relation.kind in _SCOPE:
                    found.setdefault(relation.kind, []).append(relation.target)
            for key, entries in found.items():
                if key not in scope:
                    scope[key] = tuple(place(here, e) for e in entries if e)
        options.out_dir = layout.get("outDir")
        options.root_dir = layout.get("rootDir")
        options.include = scope.get("include")
        options.files = scope.get("files")
        options.exclude = scope.get("exclude", ())
        self._options[config] = options
        return options
