"""JS/TS workspace packages: ``package.json`` manifests and monorepo workspaces.

A bare specifier (``@acme/db``, ``@acme/db/users``) names a workspace package
when a workspace root lists its directory: npm/yarn ``workspaces`` (an array,
or ``{"packages": [...]}``) in a ``package.json``, or ``packages:`` of
``pnpm-workspace.yaml``. Inside the package the specifier's subpath goes
through ``exports`` (subpaths, ``*`` patterns, nested conditions, tried in
document order) or, without ``exports``, ``types``/``typings``, ``module``,
``main`` and ``index``; ``#x`` specifiers go through the importer's own
package's ``imports``. The targets name build output (``./dist/index.js``,
``./dist/index.d.ts``): the resolver maps them back to the source the package's
tsconfig compiles from (``outDir`` -> ``rootDir``), as TypeScript's project
references do. Nothing under ``node_modules`` is read for a package's code.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from backend_lsp.index.facts import FileFacts, Import, Relation
from backend_lsp.index.jsonc import loose_json

MANIFEST = "package.json"
PNPM_WORKSPACE = "pnpm-workspace.yaml"
# What each package manager rewrites on every install, one level inside node_modules
# (so outside the ``**/node_modules/*/**`` editors exclude from watching): npm, pnpm,
# yarn classic, yarn berry. A change means the configs read from node_modules may have.
INSTALL_MARKERS = (".package-lock.json", ".modules.yaml", ".yarn-integrity", ".yarn-state.yml")
# package.json fields naming the entry point without ``exports``, in the order tried.
_ENTRY_FIELDS = ("types", "typings", "module", "main")
_CONFIG_FIELD = "tsconfig"  # the config an ``extends`` of the bare package name means
_PNPM_ITEM = re.compile(r"""^\s*-\s*['"]?([^'"#\s]+)['"]?""")
_SUBPATH = 0  # Import.level of an ``exports`` entry
_PRIVATE_IMPORT = 1  # Import.level of an ``imports`` (``#x``) entry


def extract_manifest(source: bytes, _root: object, rel: str) -> FileFacts:
    """``package.json``: name as the package, ``exports``/``imports`` entries as Imports
    (``name`` the subpath, ``module`` the target, ``alias`` the conditions), entry fields,
    the ``tsconfig`` field and ``workspaces`` globs as Relations.
    ``pnpm-workspace.yaml``: its ``packages``."""
    text = source.decode("utf-8", "replace")
    if posixpath.basename(rel) == PNPM_WORKSPACE:
        return FileFacts(language="jspackage", relations=tuple(_pnpm_globs(text)))
    data = loose_json(text)
    if not isinstance(data, dict):
        return FileFacts(language="jspackage")
    name = data.get("name")
    relations = [
        Relation("package", field_name, value)
        for field_name in (*_ENTRY_FIELDS, _CONFIG_FIELD)
        if isinstance(value := data.get(field_name), str)
    ]
    workspaces = data.get("workspaces")
    if isinstance(workspaces, dict):
        workspaces = workspaces.get("packages")
    if isinstance(workspaces, list):
        relations += [Relation("package", "workspace", g) for g in workspaces if isinstance(g, str)]
    imports = [
        Import(target, subpath, conditions, _SUBPATH)
        for subpath, conditions, target in _subpaths(data.get("exports"))
    ]
    private = data.get("imports")
    if isinstance(private, dict):
        imports += [
            Import(target, key, conditions, _PRIVATE_IMPORT)
            for key, value in private.items()
            if key.startswith("#")
            for conditions, target in _targets(value, ())
        ]
    return FileFacts(
        language="jspackage",
        imports=tuple(imports),
        relations=tuple(relations),
        package=name if isinstance(name, str) else "",
    )


def _pnpm_globs(text: str) -> Iterator[Relation]:
    """The ``packages:`` list of pnpm-workspace.yaml (a flat YAML list, read by line)."""
    inside = False
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace() and not line.startswith("-"):
            inside = line.split(":", 1)[0].strip() == "packages"
            continue
        match = _PNPM_ITEM.match(line)
        if inside and match:
            yield Relation("pnpm", "workspace", match.group(1))


def _subpaths(exports: object) -> Iterator[tuple[str, str, str]]:
    """(subpath, conditions, target) of an ``exports`` value, in document order."""
    if isinstance(exports, dict) and any(k.startswith(".") for k in exports):
        for key, value in exports.items():
            if key.startswith("."):
                for conditions, target in _targets(value, ()):
                    yield key, conditions, target
    else:
        for conditions, target in _targets(exports, ()):
            yield ".", conditions, target


def _targets(value: object, conditions: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield ".".join(conditions), value
    elif isinstance(value, list):
        for item in value:
            yield from _targets(item, conditions)
    elif isinstance(value, dict):
        for condition, inner in value.items():
            yield from _targets(inner, (*conditions, condition))


def glob_pattern(glob: str) -> re.Pattern[str]:
    """A workspace glob (``packages/*``, ``apps/**``) as a regex over ``directory/``."""
    out = []
    for part in glob.strip("/").removeprefix("./").split("/"):
        if part == "**":
            out.append("(?:[^/]+/)*")
        else:
            piece = re.escape(part).replace(r"\*", "[^/]*").replace(r"\?", "[^/]")
            out.append(piece + "/")
    return re.compile("".join(out))


def _under(root: str, directory: str) -> str | None:
    """``directory`` relative to ``root`` ("" for itself), None when outside it."""
    if root == ".":
        return "" if directory == "." else directory
    if directory == root:
        return ""
    return directory[len(root) + 1 :] if directory.startswith(root + "/") else None


def split_specifier(specifier: str) -> tuple[str, str]:
    """``@acme/db/users`` -> (``@acme/db``, ``./users``); the subpath ``.`` for the root."""
    parts = specifier.split("/")
    size = 2 if specifier.startswith("@") else 1
    name, rest = "/".join(parts[:size]), "/".join(parts[size:])
    return name, f"./{rest}" if rest else "."


class Workspaces:
    """Package name -> workspace directory, and a package's subpath -> target paths."""

    def __init__(self, files: dict[str, FileFacts]) -> None:
        self.manifests: dict[str, FileFacts] = {}  # directory -> its package.json facts
        globs: dict[str, list[str]] = {}  # workspace root -> member globs
        for rel, facts in files.items():
            if facts.language != "jspackage":
                continue
            directory = posixpath.dirname(rel) or "."
            if posixpath.basename(rel) == MANIFEST:
                self.manifests[directory] = facts
            if "node_modules" in rel.split("/"):
                continue  # read for what an ``extends`` names: never a workspace root
            globs.setdefault(directory, []).extend(
                r.target for r in facts.relations if r.kind == "workspace"
            )
        self.packages: dict[str, str] = {}  # name -> directory
        roots = {d: patterns for d, patterns in globs.items() if patterns}
        for directory, facts in sorted(self.manifests.items()):
            if facts.package and self._member(directory, roots):
                self.packages.setdefault(facts.package, directory)

    @staticmethod
    def _member(directory: str, roots: dict[str, list[str]]) -> bool:
        for root, patterns in roots.items():
            inner = _under(root, directory)
            if inner is None:
                continue
            if inner == "":
                return True
            hits = [
                not p.startswith("!")
                for p in patterns
                if glob_pattern(p.removeprefix("!")).fullmatch(inner + "/")
            ]
            if hits and hits[-1]:  # a later ``!pattern`` takes a match back
                return True
        return False

    def package_dir(self, name: str) -> str | None:
        return self.packages.get(name)

    def manifest_above(self, directory: str) -> tuple[str, FileFacts] | None:
        """The nearest package.json at or above ``directory`` (for ``#x`` imports)."""
        while True:
            if directory in self.manifests:
                return directory, self.manifests[directory]
            if directory == ".":
                return None
            directory = posixpath.dirname(directory) or "."

    def targets(self, directory: str, subpath: str, private: bool = False) -> list[str]:
        """Paths (relative to the package directory, ``./``-less) the subpath may load,
        best first; empty when ``exports`` exists and does not export it. ``private``:
        the ``imports`` targets of a ``#x`` specifier."""
        facts = self.manifests.get(directory)
        if facts is None:
            return [] if private else [subpath.removeprefix("./") or "index"]
        level = _PRIVATE_IMPORT if private else _SUBPATH
        entries = [imp for imp in facts.imports if imp.level == level]
        if private:  # kept as written: ``./src/db.ts`` or another package's name
            return _matched(entries, subpath)
        if entries:
            return [t.removeprefix("./") for t in _matched(entries, subpath)]
        if subpath != ".":
            return [subpath.removeprefix("./")]
        fields = {r.kind: r.target for r in facts.relations if r.owner == "package"}
        found = [fields[f].removeprefix("./") for f in _ENTRY_FIELDS if f in fields]
        return [*found, "index"]


def exported(facts: FileFacts, subpath: str) -> list[str]:
    """The ``exports`` targets of a package's subpath (``./``-less), best first."""
    entries = [imp for imp in facts.imports if imp.level == _SUBPATH]
    return [t.removeprefix("./") for t in _matched(entries, subpath)]


def _matched(entries: list[Import], subpath: str) -> list[str]:
    """Targets of the exact key, else of the ``*`` pattern with the longest head."""
    exact = [imp.module for imp in entries if imp.name == subpath]
    if exact:
        return exact
    best: list[str] = []
    best_head = -1
    for imp in entries:
        key = imp.name or ""
        head, star, tail = key.partition("*")
        if not star or not subpath.startswith(head) or not subpath.endswith(tail):
            continue
        if len(subpath) < len(head) + len(tail):
            continue
        middle = subpath[len(head) : len(subpath) - len(tail)]
        if len(head) > best_head:
            best, best_head = [], len(head)
        if len(head) == best_head:
            best.append(imp.module.replace("*", middle))
    return best
