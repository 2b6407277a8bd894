"""Names -> definitions across the workspace: modules, imports, re-exports.

A view over ``WorkspaceIndex.files`` rebuilt (cheaply, no parsing) when the
index changes. Module names come from the package chain above each file
(directories with ``__init__.py``), so ``src/`` and ``backend/app`` layouts
resolve like the interpreter would see them; the full dotted path is
registered too for namespace packages.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import PurePosixPath

from backend_lsp.index.facts import FileFacts, Import, Symbol, Target
from backend_lsp.index.gopackages import GoPackages
from backend_lsp.index.jsmodules import JS_LANGUAGES, JsModules
from backend_lsp.index.jsmodules import lookup as js_lookup

__all__ = ["Resolver", "Target", "module_names"]

_GO = frozenset({"go", "gomod"})
# Facts other files' resolution reads as a whole (module config, manifests, Prisma models).
_PROJECT = frozenset({"tsconfig", "prisma", "jspackage"})


def module_names(rel: str, packages: set[str]) -> list[str]:
    """Dotted names a file is importable as (package chain first, then the full path)."""
    pure = PurePosixPath(rel)
    parts = list(pure.parent.parts)
    leaf = [] if pure.stem == "__init__" else [pure.stem]
    chain: list[str] = []
    for depth in range(len(parts), 0, -1):
        if "/".join(parts[:depth]) in packages:
            chain.insert(0, parts[depth - 1])
        else:
            break
    names = [".".join(chain + leaf)] if chain or leaf else []
    full = ".".join(parts + leaf)
    if full and full not in names:
        names.append(full)
    return [n for n in names if n]


class Resolver:
    """Module and symbol lookup for one snapshot of the index."""

    def __init__(self, files: dict[str, FileFacts]) -> None:
        self.files = files
        packages = {str(PurePosixPath(rel).parent) for rel in files if rel.endswith("__init__.py")}
        self.packages = packages
        self.modules: dict[str, str] = {}
        self.module_of: dict[str, str] = {}
        self.go = GoPackages(files)  # Go packages are directories; Python modules follow
        self.js = JsModules(files)  # JS/TS specifiers resolve to paths
        for rel in sorted(files, key=lambda r: (r.count("/"), r)):
            if files[rel].language != "python":
                continue
            names = module_names(rel, packages)
            if names:
                self.module_of[rel] = names[0]
            for name in names:
                self.modules.setdefault(name, rel)
        self.top: dict[str, dict[str, Symbol]] = {}
        self.members: dict[str, dict[str, dict[str, Symbol]]] = {}
        self.by_name: dict[str, list[Target]] = defaultdict(list)
        self.aliases: dict[str, dict[str, Import]] = {}
        for rel, facts in files.items():
            self._add(rel, facts)

    def _add(self, rel: str, facts: FileFacts) -> None:
        top: dict[str, Symbol] = {}
        members: dict[str, dict[str, Symbol]] = defaultdict(dict)
        for symbol in facts.symbols:
            if symbol.parent is None:
                top.setdefault(symbol.name, symbol)
                if facts.language == "python":
                    # a new list, never an append: a copy (``copy``) shares the old lists
                    self.by_name[symbol.name] = [
                        *self.by_name.get(symbol.name, ()),
                        Target(rel, symbol),
                    ]
            else:
                members[symbol.parent][symbol.name] = symbol
        self.top[rel] = top
        self.members[rel] = dict(members)
        self.aliases[rel] = {imp.alias: imp for imp in facts.imports}

    def copy(self, files: dict[str, FileFacts]) -> Resolver:
        """A resolver over ``files`` sharing nothing ``replace`` mutates (shallow copies)."""
        twin = Resolver.__new__(Resolver)
        twin.files = files
        twin.packages = self.packages
        twin.go = self.go  # a Go change rebuilds (``replace``), so it is never stale here
        twin.js = self.js  # depends on the set of paths and tsconfigs only (same rule)
        twin.modules = dict(self.modules)
        twin.module_of = dict(self.module_of)
        twin.top = dict(self.top)
        twin.members = dict(self.members)
        twin.by_name = defaultdict(list, self.by_name)
        twin.aliases = dict(self.aliases)
        return twin

    def replace(self, rel: str, old: FileFacts | None, new: FileFacts | None) -> bool:
        """Apply one file's change in place; False when module names shift (rebuild then).

        A Go file or go.mod rebuilds too: its package's maps span the directory.
        """
        if rel.endswith("__init__.py") and (old is None) != (new is None):
            return False
        if any(f is not None and f.language in _GO | _PROJECT for f in (old, new)):
            return False
        if (old is None) != (new is None) and any(
            f is not None and f.language in JS_LANGUAGES for f in (old, new)
        ):
            return False  # a JS file added or removed: specifiers may resolve elsewhere
        if old is not None:
            for name in {s.name for s in old.symbols if s.parent is None}:
                kept = [t for t in self.by_name.get(name, []) if t.path != rel]
                if kept:
                    self.by_name[name] = kept
                else:
                    self.by_name.pop(name, None)
            self.top.pop(rel, None)
            self.members.pop(rel, None)
            self.aliases.pop(rel, None)
        if new is None:
            for name in [n for n, path in self.modules.items() if path == rel]:
                del self.modules[name]
            self.module_of.pop(rel, None)
            return True
        if old is None and new.language == "python":
            names = module_names(rel, self.packages)
            if names:
                self.module_of[rel] = names[0]
            for name in names:
                self.modules.setdefault(name, rel)
        self._add(rel, new)
        return True

    def _package_of(self, rel: str) -> list[str]:
        """The importing file's package as the modules map names it."""
        name = self.module_of.get(rel)
        if name is None:
            return list(PurePosixPath(rel).parent.parts)
        parts = name.split(".")
        return parts if rel.endswith("__init__.py") else parts[:-1]

    def absolute(self, rel: str, imp: Import) -> str:
        if imp.level == 0:
            return imp.module
        base = self._package_of(rel)
        base = base[: len(base) - (imp.level - 1)] if imp.level > 1 else base
        return ".".join([*base, imp.module] if imp.module else base)

    def module_file(self, dotted: str) -> str | None:
        return self.modules.get(dotted)

    def lookup(self, rel: str, name: str, depth: int = 0) -> Target | None:
        """What ``name`` (``x`` or ``mod.x``) means inside file ``rel``."""
        if depth > 4 or rel not in self.files:
            return None
        language = self.files[rel].language
        if language == "go":
            return self.go.lookup(rel, name)
        if language in JS_LANGUAGES:
            return js_lookup(self, rel, name, depth)
        head, _, rest = name.partition(".")
        local = self.top.get(rel, {}).get(head)
        if local is not None:
            if rest and local.kind == "class":
                member = self.members[rel].get(local.name, {}).get(rest.split(".")[0])
                return Target(rel, member or local)
            return Target(rel, local)
        imp = self.aliases.get(rel, {}).get(head)
        if imp is None:
            return None
        module = self.absolute(rel, imp)
        if imp.name is None:  # import a.b as c / import a.b
            dotted = module if imp.alias != module.split(".")[0] else module.split(".")[0]
            if rest:
                sub, _, tail = rest.partition(".")
                child = self.module_file(f"{dotted}.{sub}") if imp.alias == head else None
                if child is not None and tail:
                    return self.lookup(child, tail, depth + 1)
                if child is not None:
                    return Target(child, None)
            file = self.module_file(dotted)
            if file is None:
                return None
            return self.lookup(file, rest, depth + 1) if rest else Target(file, None)
        submodule = self.module_file(f"{module}.{imp.name}")
        if submodule is not None:  # from app import crud
            return self.lookup(submodule, rest, depth + 1) if rest else Target(submodule, None)
        file = self.module_file(module)
        if file is None:
            return None
        return self.lookup(file, imp.name + ("." + rest if rest else ""), depth + 1)

    def tables_in(self, rel: str) -> dict[str, str]:
        """ORM class name -> table for the models defined in ``rel``."""
        facts = self.files.get(rel)
        if facts is None:
            return {}
        if facts.language == "go":
            return self.go.tables_in(rel)
        found: dict[str, str] = {}
        for model in facts.models:
            found.setdefault(model.name, model.table)
        return found

    def global_unique(self, name: str) -> Target | None:
        """A workspace-wide definition by bare name, when exactly one exists (string FKs)."""
        found = self.by_name.get(name.rsplit(".", 1)[-1], [])
        return found[0] if len(found) == 1 else None
