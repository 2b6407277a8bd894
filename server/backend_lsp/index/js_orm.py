"""JavaScript/TypeScript ORM models -> tables: TypeORM entities and Sequelize models.

TypeORM: ``@Entity('items')`` / ``@Entity({ name })`` (else the snake_case class
name, TypeORM's default naming strategy); columns are the fields under a column
decorator (``@Column({ name })`` renames), ``@ManyToOne``/``@OneToOne`` add the
``<property>Id`` join column, and every relation decorator's ``() => Target``
is an ``fk`` Relation. sequelize-typescript's ``@Table({ tableName })`` reads
the same way. Sequelize: ``const Item = sequelize.define('Item', attrs, {
tableName })`` and ``Item.init(attrs, { tableName })`` on a class extending
``Model`` (default table: the model name pluralised, as Sequelize does);
associations (``Item.belongsTo(User)``) are ``fk`` Relations. Prisma client
calls need no record here: ``jsmodules`` follows ``prisma.item`` to the model.
"""

from __future__ import annotations

from tree_sitter import Node

from backend_lsp.index.facts import Model, Relation
from backend_lsp.index.gorm import gorm_column
from backend_lsp.index.js_syntax import (
    Decorator,
    arguments,
    call_expressions,
    chain,
    object_entries,
    string_value,
    text,
)

_COLUMNS = frozenset(
    {
        "Column",
        "PrimaryColumn",
        "PrimaryGeneratedColumn",
        "CreateDateColumn",
        "UpdateDateColumn",
        "DeleteDateColumn",
        "VersionColumn",
        "ObjectIdColumn",
    }
)
_JOINS = frozenset({"ManyToOne", "OneToOne"})  # the owning side holds the <property>Id column
_RELATIONS = _JOINS | {"OneToMany", "ManyToMany", "BelongsTo", "HasMany", "HasOne", "ForeignKey"}
_ENTITIES = {"Entity": "name", "Table": "tableName", "ViewEntity": "name"}
_ASSOCIATIONS = frozenset({"belongsTo", "hasMany", "hasOne", "belongsToMany"})


def pluralise(name: str) -> str:
    if name.endswith("y") and name[-2:-1] not in ("a", "e", "i", "o", "u"):
        return name[:-1] + "ies"
    return name + ("es" if name.endswith(("s", "x", "z", "ch", "sh")) else "s")


def _option(source: bytes, args: tuple[Node, ...] | list[Node], key: str) -> str | None:
    for argument in args:
        value = object_entries(source, argument).get(key)
        found = string_value(source, value)
        if found is not None:
            return found
    return None


def entity(
    source: bytes,
    cls: str,
    decorators: list[Decorator],
    fields: list[tuple[str, list[Decorator]]],
) -> tuple[Model | None, list[Relation]]:
    """A decorated class as a TypeORM (or sequelize-typescript) model, with its relations."""
    marker = next((d for d in decorators if d.name in _ENTITIES), None)
    relations: list[Relation] = []
    columns: list[str] = []
    for name, field_decorators in fields:
        for found in field_decorators:
            if found.name in _COLUMNS:
                columns.append(_option(source, found.args, "name") or name)
            elif found.name in _RELATIONS:
                target = _target(source, found)
                if target:
                    relations.append(Relation(cls, "fk", target))
                if found.name in _JOINS:
                    columns.append(f"{name}Id")
    if marker is None:
        return None, relations
    first = string_value(source, marker.args[0]) if marker.args else None
    table = first or _option(source, marker.args, _ENTITIES[marker.name]) or gorm_column(cls)
    orm = "sequelize" if marker.name == "Table" else "typeorm"
    if orm == "sequelize" and first is None and not _option(source, marker.args, "tableName"):
        table = pluralise(cls)
    return Model(cls, table, orm, tuple(dict.fromkeys(columns))), relations


def _target(source: bytes, found: Decorator) -> str | None:
    """``() => User`` / ``(type) => User`` / ``User`` as the relation's first argument."""
    if not found.args:
        return None
    first = found.args[0]
    if first.type == "arrow_function":
        first = first.child_by_field_name("body") or first
    parts = chain(source, first)
    return ".".join(parts) if parts else None


def sequelize_define(source: bytes, name: str, value: Node) -> Model | None:
    """``sequelize.define('Item', { ... }, { tableName })`` assigned to ``name``."""
    if value.type != "call_expression":
        return None
    parts = chain(source, value.child_by_field_name("function"))
    if not parts or parts[-1] != "define" or len(parts) < 2:
        return None
    args = arguments(value)
    model = string_value(source, args[0]) if args else None
    if model is None:
        return None
    return Model(name, _table(source, model, args[2:]), "sequelize", _attributes(source, args[1:2]))


def sequelize_calls(
    source: bytes, root: Node, classes: set[str]
) -> tuple[list[Model], list[Relation]]:
    """``X.init(attrs, opts)`` on a workspace class, and ``X.belongsTo(Y)`` associations."""
    models: list[Model] = []
    relations: list[Relation] = []
    for node in call_expressions(root):
        parts = chain(source, node.child_by_field_name("function"))
        if not parts or len(parts) != 2:
            continue
        owner, method = parts
        args = arguments(node)
        if method == "init" and owner in classes and args and args[0].type == "object":
            name = _option(source, args[1:], "modelName") or owner
            models.append(
                Model(
                    owner,
                    _table(source, name, args[1:]),
                    "sequelize",
                    _attributes(source, args[:1]),
                )
            )
        elif method in _ASSOCIATIONS and args:
            target = chain(source, args[0])
            if target and len(target) == 1:
                relations.append(Relation(owner, "fk", target[0]))
    return models, relations


def _table(source: bytes, model: str, options: list[Node]) -> str:
    explicit = _option(source, options, "tableName")
    if explicit:
        return explicit
    frozen = any(
        text(source, object_entries(source, o).get("freezeTableName")) == "true" for o in options
    )
    return model if frozen else pluralise(model)


def _attributes(source: bytes, args: list[Node]) -> tuple[str, ...]:
    """Attribute keys of a Sequelize attributes object (``field:`` renames a column)."""
    if not args:
        return ()
    columns = []
    for key, value in object_entries(source, args[0]).items():
        renamed = string_value(source, object_entries(source, value).get("field"))
        columns.append(renamed or key)
    return tuple(columns)
