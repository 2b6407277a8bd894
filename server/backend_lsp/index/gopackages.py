"""Go names -> definitions: a package is a directory, imports resolve through ``go.mod``.

An import path under a workspace module's path (``module example.com/shop`` in
``go.mod``) names the directory below that module's root; nested modules each
own their subtree. Names are looked up in the file's own package (every file of
the directory), then through its imports. A dotted name is followed the way Go
code reads: ``ItemHandler.svc.Create`` goes to the field ``svc``, its declared
type, then that type's method (methods may live in any file of the package,
and embedded structs lend theirs); ``pkg.New().List`` follows ``New``'s result
type. GORM models are collected here too, since ``AutoMigrate`` and
``TableName`` are often in another file than the struct.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import PurePosixPath

from backend_lsp.index.facts import TYPE_KINDS, FileFacts, Import, Symbol, Target
from backend_lsp.index.gorm import gorm_table

_VALUES = ("field", "variable", "constant")
_MAX_STEPS = 12


def _directory(rel: str) -> str:
    return str(PurePosixPath(rel).parent)


class GoPackages:
    """Package, module and model maps for the Go files of one index snapshot."""

    def __init__(self, files: dict[str, FileFacts]) -> None:
        self.files = files
        modules = [
            (facts.package, _directory(rel))
            for rel, facts in files.items()
            if facts.language == "gomod" and facts.package
        ]
        self.modules = sorted(modules, key=lambda m: -len(m[0]))
        self.packages: dict[str, list[str]] = defaultdict(list)
        for rel in sorted(files, key=lambda r: (r.endswith("_test.go"), r)):
            if files[rel].language == "go":
                self.packages[_directory(rel)].append(rel)
        self.top: dict[str, dict[str, Target]] = defaultdict(dict)
        self.members: dict[tuple[str, str], dict[str, Target]] = defaultdict(dict)
        self.aliases: dict[str, dict[str, Import]] = {}
        for directory, rels in self.packages.items():
            for rel in rels:
                self.aliases[rel] = {i.alias: i for i in files[rel].imports}
                for symbol in files[rel].symbols:
                    target = Target(rel, symbol)
                    if symbol.parent is None:
                        self.top[directory].setdefault(symbol.name, target)
                    else:
                        self.members[(directory, symbol.parent)].setdefault(symbol.name, target)
        self.models: dict[tuple[str, str], tuple[str, str]] = {}
        self._collect_models()

    # -- packages -----------------------------------------------------------------------

    def import_directory(self, path: str) -> str | None:
        """The workspace directory an import path names, through the longest module path."""
        for module, root in self.modules:
            if path == module or path.startswith(module + "/"):
                tail = path[len(module) :].strip("/")
                directory = str(PurePosixPath(root) / tail) if tail else root
                directory = directory.removeprefix("./") if directory != "." else "."
                return directory if directory in self.packages else None
        return None

    def _imported(self, rel: str, head: str) -> str | None:
        """The package directory an identifier names in ``rel`` (alias, else package name)."""
        imp = self.aliases.get(rel, {}).get(head)
        if imp is not None:
            return self.import_directory(imp.module)
        for imp in self.aliases.get(rel, {}).values():  # a directory named unlike its package
            directory = self.import_directory(imp.module)
            if directory is not None and self.package_name(directory) == head:
                return directory
        return None

    def package_name(self, directory: str) -> str:
        rels = self.packages.get(directory, [])
        return self.files[rels[0]].package if rels else ""

    # -- lookup -------------------------------------------------------------------------

    def lookup(self, rel: str, name: str) -> Target | None:
        """What ``name`` (``x``, ``pkg.X``, ``T.field.M``, ``pkg.New().M``) means in ``rel``."""
        parts = name.split(".")
        head, call = _call(parts[0])
        target = self.top.get(_directory(rel), {}).get(head)
        rest = parts[1:]
        if target is None:
            directory = self._imported(rel, head)
            if directory is None:
                return None
            if not rest:
                rels = self.packages.get(directory, [])
                return Target(rels[0], None) if rels else None
            head, call = _call(rest[0])
            target = self.top.get(directory, {}).get(head)
            rest = rest[1:]
        if target is None:
            return None
        return self._follow(target, call, rest)

    def _follow(self, target: Target, call: bool, rest: list[str]) -> Target | None:
        for _ in range(_MAX_STEPS):
            symbol = target.symbol
            if symbol is None:
                return None
            if call:  # pkg.New(): what it returns
                found = self._type(target.path, symbol.type) if symbol.type else None
                if found is None:
                    return None
                target, call = found, False
                continue
            if not rest:
                return target
            part, call = _call(rest[0])
            rest = rest[1:]
            if symbol.kind in _VALUES:  # a value: continue from its declared type
                found = self._type(target.path, symbol.type) if symbol.type else None
                if found is None:
                    return None
                target = found
            member = self._member(target, part, 0)
            if member is None:
                return None
            target = member
        return None

    def _type(self, rel: str, name: str) -> Target | None:
        """A type name as file ``rel`` sees it (``T`` or ``pkg.T``)."""
        if not name or name.endswith("()"):
            return None
        parts = name.split(".")
        if len(parts) == 1:
            found = self.top.get(_directory(rel), {}).get(name)
        elif len(parts) == 2:
            directory = self._imported(rel, parts[0])
            found = self.top.get(directory, {}).get(parts[1]) if directory is not None else None
        else:
            return None
        if found is None or found.symbol is None:
            return None
        return found if found.symbol.kind in (*TYPE_KINDS, "type") else None

    def _member(self, owner: Target, name: str, depth: int) -> Target | None:
        """A field or method of a type, its own or an embedded type's."""
        symbol = owner.symbol
        if symbol is None or depth > 4:
            return None
        own = self.members.get((_directory(owner.path), symbol.name), {}).get(name)
        if own is not None:
            return own
        for base in symbol.bases:
            embedded = self._type(owner.path, base)
            if embedded is not None:
                found = self._member(embedded, name, depth + 1)
                if found is not None:
                    return found
        return None

    # -- GORM ---------------------------------------------------------------------------

    def _collect_models(self) -> None:
        tables: dict[tuple[str, str], str] = {}
        for directory, rels in self.packages.items():
            for rel in rels:
                for relation in self.files[rel].relations:
                    if relation.kind == "table_name":
                        tables[(directory, relation.owner)] = relation.target
        for directory, rels in self.packages.items():
            for rel in rels:
                for model in self.files[rel].models:
                    table = tables.get((directory, model.name), model.table)
                    self.models.setdefault((rel, model.name), (model.name, table))
        for rel in [r for rels in self.packages.values() for r in rels]:
            for relation in self.files[rel].relations:
                if relation.kind != "gorm_model":
                    continue
                found = self._type(rel, relation.target)
                if found is None or found.symbol is None or found.symbol.kind != "struct":
                    continue
                name = found.symbol.name
                table = tables.get((_directory(found.path), name), gorm_table(name))
                self.models.setdefault((found.path, name), (name, table))

    def model(self, rel: str, symbol: Symbol) -> tuple[str, str] | None:
        return self.models.get((rel, symbol.name))

    def tables_in(self, rel: str) -> dict[str, str]:
        return {name: table for (path, name), (_n, table) in self.models.items() if path == rel}


def _call(part: str) -> tuple[str, bool]:
    return (part[:-2], True) if part.endswith("()") else (part, False)
