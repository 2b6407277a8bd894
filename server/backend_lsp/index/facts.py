"""What the index keeps per file: plain, JSON-ready records.

Extraction runs in worker processes and results are stored in SQLite, so the
records are small frozen dataclasses that round-trip through ``to_json`` /
``from_json`` without any tree-sitter objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

# Symbol kinds that are types: a model or schema can be any of them.
TYPE_KINDS = frozenset({"class", "struct", "interface", "model"})


@dataclass(frozen=True, slots=True)
class Symbol:
    """A definition: class, function, method, module variable or class field.

    Go adds struct, interface, type, constant and field kinds; JS/TS add
    ``test`` (an ``it()``/``test()`` case) and ``model`` (a Prisma model block,
    a ``sequelize.define`` result); ``type`` is the
    declared type (a field's or variable's type, a function's first result), so
    ``h.svc.Create`` can be followed through ``svc``'s type.
    """

    name: str
    kind: str
    parent: str | None
    start_line: int
    end_line: int
    outline: str
    bases: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()
    strings: tuple[str, ...] = ()
    type: str = ""

    @property
    def qualname(self) -> str:
        return f"{self.parent}.{self.name}" if self.parent else self.name


@dataclass(frozen=True, slots=True)
class Target:
    """A resolved definition: a symbol in a file, or a whole module (symbol None)."""

    path: str
    symbol: Symbol | None


@dataclass(frozen=True, slots=True)
class Import:
    """``from <level dots><module> import name as alias`` (name None for ``import module``).

    JS/TS: ``module`` is the specifier, ``name`` the imported name (``default``,
    None for a namespace or ``require``), ``level=1`` a re-export
    (``export ... from``); a tsconfig's ``paths`` entry is ``name`` -> ``module``.
    """

    module: str
    name: str | None
    alias: str
    level: int = 0


@dataclass(frozen=True, slots=True)
class Route:
    """An HTTP entry point declared in this file; ``router`` is the object it hangs off."""

    method: str
    path: str
    handler: str
    router: str | None
    line: int
    dependencies: tuple[str, ...] = ()
    framework: str = "fastapi"


@dataclass(frozen=True, slots=True)
class Include:
    """``parent.include_router(child, prefix=...)`` or Django ``path("p/", include("m"))``.

    ``dependencies``: middleware the parent applies to what is mounted (Express: the
    ``use`` calls before the mount and the mount's own leading handlers).
    """

    parent: str | None
    child: str
    prefix: str
    line: int
    dependencies: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Model:
    """An ORM class and the table it maps to."""

    name: str
    table: str
    orm: str
    columns: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Relation:
    """A class-level link the backend hides: serializer_class, queryset, Meta.model, FK target."""

    owner: str
    kind: str
    target: str


@dataclass(frozen=True, slots=True)
class FileFacts:
    """Everything extracted from one file."""

    language: str
    symbols: tuple[Symbol, ...] = ()
    imports: tuple[Import, ...] = ()
    routes: tuple[Route, ...] = ()
    routers: dict[str, str] = field(default_factory=dict)
    includes: tuple[Include, ...] = ()
    models: tuple[Model, ...] = ()
    relations: tuple[Relation, ...] = ()
    migration_tables: tuple[str, ...] = ()
    module_uses: tuple[str, ...] = ()
    package: str = ""  # Go: the package clause's name; go.mod: the module path; tsconfig: baseUrl

    def to_json(self) -> dict[str, Any]:
        """Readable form (facts dumps): each record as a positional list."""
        data: dict[str, Any] = {"language": self.language, "routers": self.routers}
        for name, _, names in RECORDS:
            data[name] = [[getattr(r, f) for f in names] for r in getattr(self, name)]
        data["migration_tables"] = list(self.migration_tables)
        data["module_uses"] = list(self.module_uses)
        if self.package:
            data["package"] = self.package
        return data


# (FileFacts field, record type, the record's field names): the one table the stored
# form (``store.serialize``) and the readable dump (``to_json``) both follow, in order.
RECORDS: tuple[tuple[str, type[Any], tuple[str, ...]], ...] = tuple(
    (name, kind, tuple(f.name for f in fields(kind)))
    for name, kind in (
        ("symbols", Symbol),
        ("imports", Import),
        ("routes", Route),
        ("includes", Include),
        ("models", Model),
        ("relations", Relation),
    )
)
