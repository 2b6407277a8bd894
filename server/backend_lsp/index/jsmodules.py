"""JavaScript/TypeScript names -> definitions: module specifiers, tsconfig paths, types.

A specifier resolves the way TypeScript's bundler/node resolution finds a
workspace file: relative (``./items``, ``../lib/prisma.js`` for ``.ts``
sources), then the governing ``tsconfig.json``/``jsconfig.json``'s
``compilerOptions.paths`` aliases (``@/*`` -> ``src/*``) and ``baseUrl``; each
with the extension list and ``dir/index.*``. Package names (``express``)
resolve to nothing. A dotted name is then followed as the code reads:
``this.itemsService.findOne`` goes through the class field's declared type to
the method, ``export * from`` and ``export { x } from`` re-exports are
followed, and two ORM handles stand for their model: a Prisma client's
delegate (``prisma.item`` -> model ``Item`` of ``schema.prisma``) and a TypeORM
``Repository<Item>``.
"""

from __future__ import annotations

import posixpath
import re
from typing import Protocol

from backend_lsp.index.facts import TYPE_KINDS, FileFacts, Import, Symbol, Target
from backend_lsp.index.jspackages import Workspaces, split_specifier
from backend_lsp.index.tsconfig import (
    CONFIG_DIR,
    TsProjects,
    directory_of,
    join,
)

JS_LANGUAGES = frozenset({"javascript", "typescript", "typescriptreact"})
_EXTENSIONS = (".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts")
# ``./x.js`` in TypeScript source means the ``x.ts`` it compiles from.
_COMPILED = {".js": (".ts", ".tsx"), ".mjs": (".mts",), ".cjs": (".cts",), ".jsx": (".tsx",)}
# Declared types whose members stand for the model they are generic over.
_REPOSITORIES = frozenset({"Repository", "EntityRepository", "MongoRepository", "TreeRepository"})
_PRISMA_CLIENT = "PrismaClient"
_PRISMA_MODULES = ("@prisma/client", ".prisma/client")
_MAX_STEPS = 12
# Build output a package's entry points name, mapped back to the source it compiles from.
_OUTPUT = re.compile(r"\.d\.[mc]?ts$|\.[mc]?jsx?$|\.tsx?$")


class JsModules:
    """Specifier -> workspace file for one snapshot of the set of files."""

    def __init__(self, files: dict[str, FileFacts]) -> None:
        self.paths = frozenset(files)
        self.prisma: dict[str, Target] = {}  # delegate name (item) -> model block
        for rel, facts in sorted(files.items()):
            if facts.language != "prisma":
                continue
            for symbol in facts.symbols:
                if symbol.kind == "model":
                    self.prisma.setdefault(
                        symbol.name[:1].lower() + symbol.name[1:], Target(rel, symbol)
                    )
        self.workspaces = Workspaces(files)
        self.projects = TsProjects(
            {rel: f for rel, f in files.items() if f.language == "tsconfig"},
            self.workspaces.package_dir,
            self.workspaces.manifests.get,
        )
        # (directory, project, specifier) -> file: what a specifier means depends on both
        self._cache: dict[tuple[str, str | None, str], str | None] = {}
        self._project: dict[str, str | None] = {}  # file -> the config of its project

    def project_for(self, rel: str) -> str | None:
        """The config whose project holds file ``rel`` (``TsProjects.project_for``), per
        file: an ``exclude`` of one file moves it out of its directory's project."""
        if rel not in self._project:
            self._project[rel] = self.projects.project_for(rel)
        return self._project[rel]

    def resolve(self, rel: str, specifier: str) -> str | None:
        """The workspace file ``import ... from specifier`` in ``rel`` loads, if any."""
        key = (directory_of(rel), self.project_for(rel), specifier)
        if key not in self._cache:
            self._cache[key] = self._resolve(rel, specifier)
        return self._cache[key]

    def _resolve(self, rel: str, specifier: str) -> str | None:
        config = self.project_for(rel)
        if specifier.startswith(("./", "../")) or specifier in (".", ".."):
            return self._built(join(directory_of(rel), specifier), config)
        if specifier.startswith("#"):  # package.json "imports" of the importer's package
            return self._private(rel, specifier)
        if config is not None:
            hit = self._aliased(specifier, config)
            if hit is not None:
                return hit
        return self._package(specifier)

    def _aliased(self, specifier: str, config: str) -> str | None:
        """``compilerOptions.paths`` then ``baseUrl`` of the config's chain."""
        options = self.projects.effective(config)
        base = options.base
        for imp in options.paths:
            pattern = imp.name or ""
            head, star, tail = pattern.partition("*")
            if star and specifier.startswith(head) and specifier.endswith(tail):
                target = imp.module.replace(
                    "*", specifier[len(head) : len(specifier) - len(tail)], 1
                )
            elif not star and specifier == pattern:
                target = imp.module
            else:
                continue
            if target.startswith(CONFIG_DIR):
                place = join(options.leaf, target[len(CONFIG_DIR) :].lstrip("/") or ".")
            else:
                place = join(base or options.paths_dir, target)
            hit = self._built(place, config)
            if hit is not None:
                return hit
        return self._file(join(base, specifier)) if base is not None else None

    def _package(self, specifier: str) -> str | None:
        """A workspace package (``@acme/db``, ``@acme/db/users``) to its source file."""
        name, subpath = split_specifier(specifier)
        directory = self.workspaces.package_dir(name)
        if directory is None:
            return None
        for target in self.workspaces.targets(directory, subpath):
            hit = self._source(directory, target)
            if hit is not None:
                return hit
        return None

    def _private(self, rel: str, specifier: str) -> str | None:
        found = self.workspaces.manifest_above(directory_of(rel))
        if found is None:
            return None
        for target in self.workspaces.targets(found[0], specifier, private=True):
            local = target.startswith("./")
            hit = self._source(found[0], target[2:]) if local else self._package(target)
            if hit is not None:
                return hit
        return None

    def _source(self, directory: str, target: str) -> str | None:
        """A package's entry (``dist/index.js``, ``dist/index.d.ts``) as a workspace source,
        through the project of the package's directory."""
        return self._built(
            join(directory, target), self.projects.governing(f"{directory}/package.json")
        )

    def _built(self, path: str, config: str | None) -> str | None:
        """The file itself, else, when ``path`` is build output of ``config``'s project or
        of a project it references (``outDir``), the source it compiles from (``rootDir``;
        without one ``src/``, then the project's directory)."""
        hit = self._file(path)
        if hit is not None or config is None:
            return hit
        for project in (config, *self.projects.references(config)):
            options = self.projects.effective(project)
            if options.out_dir is None or not path.startswith(options.out_dir + "/"):
                continue
            stem = _OUTPUT.sub("", path[len(options.out_dir) + 1 :])
            roots = (
                [options.root_dir]
                if options.root_dir
                else [join(options.leaf, "src"), options.leaf]
            )
            for root in roots:
                hit = self._file(join(root, stem))
                if hit is not None:
                    return hit
        return None

    def _file(self, stem: str) -> str | None:
        if stem in self.paths and not stem.endswith(".d.ts"):
            return stem
        root, extension = posixpath.splitext(stem)
        for compiled in _COMPILED.get(extension, ()):
            if root + compiled in self.paths:
                return root + compiled
        for candidate in (stem, f"{stem}/index"):
            candidate = candidate.removeprefix("./")
            for extension in _EXTENSIONS:
                if candidate + extension in self.paths:
                    return candidate + extension
        return None

    def prisma_model(self, delegate: str) -> Target | None:
        return self.prisma.get(delegate.removesuffix("()"))


class Resolver(Protocol):
    """What lookup reads of ``resolve.Resolver`` (which calls in here, so not imported)."""

    files: dict[str, FileFacts]
    top: dict[str, dict[str, Symbol]]
    members: dict[str, dict[str, dict[str, Symbol]]]
    aliases: dict[str, dict[str, Import]]
    js: JsModules


def lookup(resolver: Resolver, rel: str, name: str, depth: int = 0) -> Target | None:
    """What ``name`` (``x``, ``ns.x``, ``Cls.field.method``) means inside JS/TS file ``rel``."""
    if depth > 6 or rel not in resolver.files:
        return None
    top = resolver.top.get(rel, {})
    if name in top:  # also inline route handlers, named "GET /items/:id"
        return Target(rel, top[name])
    parts = [p.removesuffix("()") for p in name.split(".")]
    head, rest = parts[0], parts[1:]
    local = top.get(head)
    if local is not None:
        return follow(resolver, Target(rel, local), rest, depth)
    imp = resolver.aliases.get(rel, {}).get(head)
    if imp is None:
        return _reexported(resolver, rel, head, rest, depth)
    return _imported(resolver, rel, imp, rest, depth)


def _imported(
    resolver: Resolver, rel: str, imp: Import, rest: list[str], depth: int
) -> Target | None:
    js = resolver.js
    file = js.resolve(rel, imp.module)
    if file is None:
        if (
            imp.module.startswith(_PRISMA_MODULES) and imp.name
        ):  # import { Item } from '@prisma/client'
            return js.prisma_model(imp.name[:1].lower() + imp.name[1:])
        return None
    if imp.name is None:  # import * as ns / const ns = require(...)
        if not rest:
            default = export_default(resolver, file)
            return default or Target(file, None)
        return lookup(resolver, file, ".".join(rest), depth + 1) or (
            _default_member(resolver, file, rest, depth)
        )
    if imp.name == "default":
        default = export_default(resolver, file)
        if default is None:
            return None if rest else Target(file, None)
        return follow(resolver, default, rest, depth + 1)
    return lookup(resolver, file, ".".join([imp.name, *rest]), depth + 1)


def _default_member(resolver: Resolver, file: str, rest: list[str], depth: int) -> Target | None:
    """``require('./svc').list`` where the module exports an object or class as a whole."""
    default = export_default(resolver, file)
    return follow(resolver, default, rest, depth + 1) if default is not None else None


def _reexported(
    resolver: Resolver, rel: str, head: str, rest: list[str], depth: int
) -> Target | None:
    """``export * from './items'`` (or ``export { head } from``) in an index file."""
    facts = resolver.files[rel]
    for imp in facts.imports:
        if imp.level != 1 or (imp.alias != head and imp.alias != "*"):
            continue
        file = resolver.js.resolve(rel, imp.module)
        if file is None:
            continue
        inner = head if imp.alias == "*" else (imp.name or head)
        found = lookup(resolver, file, ".".join([inner, *rest]), depth + 1)
        if found is not None:
            return found
    return None


def export_default(resolver: Resolver, rel: str) -> Target | None:
    """What ``export default x`` / ``module.exports = x`` names (a relation ``default``)."""
    facts = resolver.files.get(rel)
    if facts is None:
        return None
    for relation in facts.relations:
        if relation.kind == "export_default":
            symbol = resolver.top.get(rel, {}).get(relation.target)
            if symbol is not None:
                return Target(rel, symbol)
            imp = resolver.aliases.get(rel, {}).get(relation.target)
            if imp is not None:
                return _imported(resolver, rel, imp, [], 1)
    return None


def follow(resolver: Resolver, target: Target, rest: list[str], depth: int) -> Target | None:
    """Walk ``rest`` from a definition: fields through their types, classes to members."""
    for _ in range(_MAX_STEPS):
        symbol = target.symbol
        if symbol is None or not rest:
            return target
        if symbol.kind in ("variable", "field"):
            typed = _typed(resolver, target, rest[0], depth)
            if typed is None:
                return None if symbol.kind == "field" else target
            target, consumed = typed
            if consumed:
                return target
            continue
        if symbol.kind in TYPE_KINDS or symbol.kind == "model":
            member = _member(resolver, target, rest[0], 0)
            if member is None:
                return target  # Item.findAll (Sequelize): the model itself
            target, rest = member, rest[1:]
            continue
        return target
    return None


def _typed(
    resolver: Resolver, value: Target, member: str, depth: int
) -> tuple[Target, bool] | None:
    """The value's declared type as a definition (True: it stands for the whole chain)."""
    assert value.symbol is not None
    declared = value.symbol.type
    if not declared:
        return None
    base, _, argument = declared.partition("<")
    argument = argument.rstrip(">").split(",")[0].strip()
    if base in _REPOSITORIES and argument:
        model = lookup(resolver, value.path, argument, depth + 1)
        return (model, True) if model is not None else None
    if _is_prisma_client(resolver, value.path, base, depth):
        model = resolver.js.prisma_model(member)
        return (model, True) if model is not None else None
    found = lookup(resolver, value.path, base, depth + 1)
    if found is None or found.symbol is None or found.symbol.kind not in TYPE_KINDS:
        return None
    return found, False


def _is_prisma_client(resolver: Resolver, rel: str, name: str, depth: int) -> bool:
    if name == _PRISMA_CLIENT:
        return True
    found = lookup(resolver, rel, name, depth + 1)
    return (
        found is not None
        and found.symbol is not None
        and found.symbol.kind == "class"
        and any(b.rsplit(".", 1)[-1] == _PRISMA_CLIENT for b in found.symbol.bases)
    )


def _member(resolver: Resolver, owner: Target, name: str, depth: int) -> Target | None:
    """A class's own member, else an ``extends`` base's."""
    symbol: Symbol | None = owner.symbol
    if symbol is None or depth > 4:
        return None
    own = resolver.members.get(owner.path, {}).get(symbol.name, {}).get(name)
    if own is not None:
        return Target(owner.path, own)
    for base in symbol.bases:
        found = lookup(resolver, owner.path, base, 1)
        if found is not None and found.symbol is not None and found.symbol.kind == "class":
            member = _member(resolver, found, name, depth + 1)
            if member is not None:
                return member
    return None


def imports_file(resolver: Resolver, rel: str, target: str) -> bool:
    """Whether file ``rel`` imports (or requires) workspace file ``target``."""
    js = resolver.js
    return any(js.resolve(rel, imp.module) == target for imp in resolver.files[rel].imports)
