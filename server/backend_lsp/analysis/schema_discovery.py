"""Find table definitions in the workspace, without importing or running user code.

Sources: CREATE TABLE statements (.sql files, SQL strings in Python),
Alembic ``op.create_table``, SQLAlchemy declarative models (incl.
Flask-SQLAlchemy and SQLModel) and Django models. Lines are 0-based, like
tree-sitter points and LSP positions.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from tree_sitter import Node

from backend_lsp.analysis.python.nodes import (
    call_arguments,
    keyword_argument,
    node_text,
    positional_arguments,
    statement_assignment,
    string_value,
)
from backend_lsp.analysis.python.orm import relationship_loading
from backend_lsp.analysis.python.sql_strings import nodes_of
from backend_lsp.analysis.schema import Table, WorkspaceSchema
from backend_lsp.syntax.document import ParsedDocument
from backend_lsp.syntax.parse_store import shared_document

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 2 * 1024 * 1024
_CREATE_TABLE = re.compile(
    r"^\s*create\s+(?:or\s+replace\s+)?(?:(?:global\s+|local\s+)?temp(?:orary)?\s+|unlogged\s+)?"
    r"table\b",
    re.I,
)
_SA_COLUMN = {"Column", "mapped_column"}
_DJANGO_RELATIONS = {"ForeignKey", "OneToOneField", "ManyToManyField"}
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


@dataclass(slots=True)
class _Reverse:
    """A reverse accessor to add on the target model once every file is read."""

    target: str
    accessor: str
    source_model: str
    loading: str | None = None  # ``backref("name", lazy="joined")``


@dataclass(slots=True)
class _Found:
    tables: list[Table] = field(default_factory=list)
    reverses: list[_Reverse] = field(default_factory=list)


def schema_from_document(path: str, document: ParsedDocument) -> list[Table]:
    """Tables defined in one file (CREATE TABLE, ORM models, migrations)."""
    found = _from_document(path, document)
    schema = WorkspaceSchema()
    for table in found.tables:
        _merge(schema, table)
    _apply_reverses(schema, found.reverses)
    return list(schema.tables.values())


def with_document_schema(
    old: WorkspaceSchema | None, path: str, document: ParsedDocument
) -> WorkspaceSchema:
    """``old`` with the tables of ``path`` replaced by what ``document`` defines now."""
    fresh = WorkspaceSchema()
    if old is not None:
        for table in old.tables.values():
            if table.path != path:
                fresh.add(table)
    for table in schema_from_document(path, document):
        fresh.add(table)
    return fresh


def discover_schema(paths: Iterable[Path]) -> WorkspaceSchema:
    """Tables defined across the given files; unreadable, binary or huge files are skipped."""
    return assemble_schema(schema_facts(path) for path in paths)


def schema_facts(path: Path) -> _Found | None:
    """What one file contributes to the workspace schema (picklable: ``check`` runs this
    in worker processes and caches it per file content)."""
    document = _load(path)
    if document is None:
        return None
    try:
        return _from_document(str(path), document)
    except Exception:  # one odd file must not cost the whole schema
        log.exception("schema discovery failed on %s", path)
        return None


def assemble_schema(facts: Iterable[_Found | None]) -> WorkspaceSchema:
    """Merge per-file facts, in file order, into one schema."""
    schema = WorkspaceSchema()
    reverses: list[_Reverse] = []
    for found in facts:
        if found is None:
            continue
        for table in found.tables:
            _merge(schema, table)
        reverses.extend(found.reverses)
    _apply_reverses(schema, reverses)
    return schema


def _load(path: Path) -> ParsedDocument | None:
    language = {".sql": "sql", ".py": "python"}.get(path.suffix.lower())
    if language is None:
        return None
    try:
        if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    if b"\x00" in data[:8192]:
        return None
    # In a run (``check``) the file's own analysis reads the same tree after this pass.
    text = data.decode("utf-8", "replace")
    return shared_document(os.path.realpath(path), text, language, again=True)


def _merge(schema: WorkspaceSchema, table: Table) -> None:
    """Later definitions add columns; model and relation facts are kept from either."""
    existing = schema.tables.get(table.name.lower())
    if existing is None:
        schema.add(table)
        return
    for column in table.columns:
        if column not in existing.columns:
            existing.columns.append(column)
    existing.model = existing.model or table.model
    for name, target in table.relations.items():
        existing.relations.setdefault(name, target)
    for name, strategy in table.loading.items():
        existing.loading.setdefault(name, strategy)
    if existing.path is None:
        existing.path, existing.line = table.path, table.line


def _apply_reverses(schema: WorkspaceSchema, reverses: list[_Reverse]) -> None:
    for reverse in reverses:
        target = schema.by_model(reverse.target) or schema.get(reverse.target)
        if target is not None:
            target.relations.setdefault(reverse.accessor, reverse.source_model)
            if reverse.loading is not None:
                target.loading.setdefault(reverse.accessor, reverse.loading)


def _from_document(path: str, document: ParsedDocument) -> _Found:
    found = _Found()
    if document.language_id == "sql":
        text = document.source.decode("utf-8", "replace")
        found.tables.extend(create_tables(text, path))
        return found
    if document.language_id != "python":
        return found
    source = document.source
    sql, alembic, models = _create_words(source), b"create_table" in source, _models(source)
    if not (sql or alembic or models):  # = not may_define_schema(source)
        return found  # nothing to find: skip the parse
    root = document.root
    if root is None:
        return found
    if sql:
        _sql_strings(source, root, path, found)
    if alembic:
        _alembic(source, root, path, found)
    if models:
        for node in nodes_of(root, "class_definition"):
            _model_class(source, node, path, found)
    return found


def may_define_schema(source: bytes) -> bool:
    """False when a Python file's source cannot contribute a table (no parse needed)."""
    return _create_words(source) or b"create_table" in source or _models(source)


def _create_words(source: bytes) -> bool:
    """False when no string in ``source`` can hold a CREATE TABLE (both words, any case).

    ``create`` alone is in a quarter of all Python files; with ``table`` it is a third
    of those, so most skip the parse."""
    upper = source.upper()
    return b"CREATE" in upper and b"TABLE" in upper


def _models(source: bytes) -> bool:
    """False when no class in ``source`` can be a model (``_model_class``'s own tests)."""
    return b"class" in source and (
        b"__tablename__" in source
        or b"db.Model" in source
        or b"SQLModel" in source
        or (b"Model" in source and b"django" in source)
    )


# -- SQL ----------------------------------------------------------------------------------


def create_tables(sql: str, path: str | None = None, line_offset: int = 0) -> list[Table]:
    """Tables of every CREATE TABLE statement in ``sql``."""
    from sqlglot import exp

    from backend_lsp.analysis.sql.facts import parse_statement
    from backend_lsp.analysis.sql.placeholders import scan_sql

    tables: list[Table] = []
    scan = scan_sql(sql)
    for start, end in scan.statements:
        chunk = scan.normalized[start:end]
        if not _CREATE_TABLE.match(_strip_comments(chunk)):
            continue
        tree = parse_statement(chunk)
        if not isinstance(tree, exp.Create) or not isinstance(tree.this, exp.Schema):
            continue
        target = tree.this.this
        if not isinstance(target, exp.Table) or not target.name:
            continue
        columns = [c.name for c in tree.this.expressions if isinstance(c, exp.ColumnDef)]
        relations: dict[str, str] = {}
        for column in tree.this.expressions:
            if isinstance(column, exp.ColumnDef):
                reference = column.find(exp.Reference)
                if reference is not None and reference.find(exp.Table) is not None:
                    referenced = reference.find(exp.Table)
                    assert referenced is not None
                    relations[column.name] = referenced.name
        lead = len(chunk) - len(_strip_comments(chunk))
        line = line_offset + sql.count("\n", 0, start + lead)
        tables.append(Table(target.name, columns, path, line, None, relations))
    return tables


def _strip_comments(chunk: str) -> str:
    return re.sub(r"^(?:\s+|--[^\n]*\n|/\*.*?\*/)*", "", chunk, flags=re.S)


def _sql_strings(source: bytes, root: Node, path: str, found: _Found) -> None:
    for node in nodes_of(root, "string", "concatenated_string"):
        if node.parent is not None and node.parent.type == "concatenated_string":
            continue
        if b"CREATE" not in source[node.start_byte : node.end_byte].upper():
            continue  # the value is made of this text: no CREATE TABLE in it
        value = string_value(source, node)
        if value and _CREATE_TABLE.match(_strip_comments(value)):
            found.tables.extend(create_tables(value, path, node.start_point[0]))


# -- Alembic ------------------------------------------------------------------------------


def _alembic(source: bytes, root: Node, path: str, found: _Found) -> None:
    for node in nodes_of(root, "call"):
        function = node.child_by_field_name("function")
        if function is None or not node_text(source, function).endswith("create_table"):
            continue
        args = positional_arguments(node)
        name = string_value(source, args[0]) if args else None
        if not name:
            continue
        columns: list[str] = []
        for arg in args[1:]:
            if arg.type == "call" and _callee_last(source, arg) == "Column":
                inner = positional_arguments(arg)
                column = string_value(source, inner[0]) if inner else None
                if column:
                    columns.append(column)
        found.tables.append(Table(name, columns, path, node.start_point[0]))


# -- ORM models ---------------------------------------------------------------------------


def _model_class(source: bytes, klass: Node, path: str, found: _Found) -> None:
    body = klass.child_by_field_name("body")
    if body is None:
        return
    bases = klass.child_by_field_name("superclasses")
    base_text = node_text(source, bases)
    tablename = _class_string(source, body, "__tablename__")
    if tablename is not None or _is_sqlalchemy_base(base_text):
        _sqlalchemy_model(source, klass, body, tablename, base_text, path, found)
    elif _is_django_base(base_text) and b"django" in source:
        _django_model(source, klass, body, path, found)


def _is_sqlalchemy_base(base_text: str) -> bool:
    return "db.Model" in base_text or ("SQLModel" in base_text and "table=True" in base_text)


def _is_django_base(base_text: str) -> bool:
    return bool(re.search(r"\bmodels\.Model\b|\bModel\b", base_text))


def _class_string(source: bytes, body: Node, name: str) -> str | None:
    for statement in body.named_children:
        assignment = statement_assignment(statement)
        if assignment is None:
            continue
        left = assignment.child_by_field_name("left")
        right = assignment.child_by_field_name("right")
        if node_text(source, left) == name and right is not None:
            return string_value(source, right)
    return None


def _callee_last(source: bytes, call: Node) -> str:
    function = call.child_by_field_name("function")
    return node_text(source, function).rsplit(".", 1)[-1]


def _snake(name: str) -> str:
    return _CAMEL.sub("_", name).lower()


def _sqlalchemy_model(
    source: bytes,
    klass: Node,
    body: Node,
    tablename: str | None,
    base_text: str,
    path: str,
    found: _Found,
) -> None:
    model = node_text(source, klass.child_by_field_name("name"))
    if _class_string(source, body, "__abstract__") is not None:
        return
    if tablename is None:
        tablename = model.lower() if "SQLModel" in base_text else _snake(model)
    columns: list[str] = []
    relations: dict[str, str] = {}
    loading: dict[str, str] = {}
    sqlmodel = "SQLModel" in base_text
    for statement in body.named_children:
        assignment = statement_assignment(statement)
        if assignment is None:
            continue
        left = assignment.child_by_field_name("left")
        if left is None or left.type != "identifier":
            continue
        attribute = node_text(source, left)
        if attribute.startswith("__"):
            continue
        right = assignment.child_by_field_name("right")
        annotation = assignment.child_by_field_name("type")
        annotation_text = node_text(source, annotation)
        callee = _callee_last(source, right) if right is not None and right.type == "call" else ""
        if callee == "relationship" or callee == "Relationship":
            assert right is not None
            target = _relationship_target(source, right, annotation_text)
            if target:
                relations[attribute] = target
                strategy = relationship_loading(source, right)
                if strategy is not None:
                    loading[attribute] = strategy
                reverse = _backref(source, right, target, model)
                if reverse is not None:
                    found.reverses.append(reverse)
            continue
        if callee in _SA_COLUMN or (callee == "Field" and sqlmodel):
            assert right is not None
            args = positional_arguments(right)
            explicit = string_value(source, args[0]) if args and callee != "Field" else None
            columns.append(explicit or attribute)
        elif right is None and annotation is not None:
            if (annotation_text.startswith("Mapped[") and not _is_collection(annotation_text)) or (
                sqlmodel and not annotation_text.startswith(("ClassVar", "list[", "List["))
            ):
                columns.append(attribute)
        elif sqlmodel and annotation is not None and right is not None:
            columns.append(attribute)
    found.tables.append(
        Table(tablename, columns, path, klass.start_point[0], model, relations, loading)
    )


def _backref(source: bytes, call: Node, target: str, model: str) -> _Reverse | None:
    """``backref="owners"`` or ``backref=backref("owners", lazy="dynamic")``: the accessor
    SQLAlchemy adds on ``target``, with the strategy the backref declares."""
    value = keyword_argument(source, call, "backref")
    if value is None:
        return None
    if value.type == "call" and _callee_last(source, value) == "backref":
        args = positional_arguments(value)
        accessor = string_value(source, args[0]) if args else None
        strategy = relationship_loading(source, value)
    else:
        accessor, strategy = string_value(source, value), None
    return _Reverse(target, accessor, model, strategy) if accessor else None


def _is_collection(annotation: str) -> bool:
    inner = annotation[len("Mapped[") :]
    return inner.startswith(("list[", "List[", "set[", "Set[", '"', "'"))


def _relationship_target(source: bytes, call: Node, annotation: str) -> str | None:
    args = positional_arguments(call)
    if args:
        value = string_value(source, args[0])
        if value is None and args[0].type in ("identifier", "attribute"):
            value = node_text(source, args[0])
        if value:
            return value.split(".")[-1]
    names = re.findall(r"[A-Za-z_]\w*", annotation.replace("Mapped", " "))
    ignored = {"list", "List", "set", "Set", "Optional", "None", "Union"}
    candidates = [n for n in names if n not in ignored]
    return candidates[-1] if candidates else None


def _django_model(source: bytes, klass: Node, body: Node, path: str, found: _Found) -> None:
    model = node_text(source, klass.child_by_field_name("name"))
    meta = _meta(source, body)
    if meta.get("abstract") == "True" or meta.get("proxy") == "True":
        return
    app_label = meta.get("app_label") or _app_label(path)
    table = meta.get("db_table") or (f"{app_label}_{model.lower()}" if app_label else model.lower())
    columns: list[str] = []
    relations: dict[str, str] = {}
    has_pk = False
    for statement in body.named_children:
        assignment = statement_assignment(statement)
        if assignment is None:
            continue
        left = assignment.child_by_field_name("left")
        right = assignment.child_by_field_name("right")
        if left is None or left.type != "identifier" or right is None or right.type != "call":
            continue
        field_type = _callee_last(source, right)
        if not field_type.endswith("Field") and field_type not in _DJANGO_RELATIONS:
            continue
        attribute = node_text(source, left)
        primary = keyword_argument(source, right, "primary_key")
        has_pk = has_pk or node_text(source, primary) == "True"
        db_column = keyword_argument(source, right, "db_column")
        column_name = string_value(source, db_column) if db_column is not None else None
        if field_type in _DJANGO_RELATIONS:
            target = _django_target(source, right, model)
            if target:
                relations[attribute] = target
                reverse = _django_reverse(source, right, model, field_type)
                if reverse:
                    found.reverses.append(_Reverse(target, reverse, model))
            if field_type == "ManyToManyField":
                continue
            columns.append(column_name or f"{attribute}_id")
        else:
            columns.append(column_name or attribute)
    if not has_pk:
        columns.insert(0, "id")
    found.tables.append(Table(table, columns, path, klass.start_point[0], model, relations))


def _meta(source: bytes, body: Node) -> dict[str, str]:
    values: dict[str, str] = {}
    for statement in body.named_children:
        if statement.type != "class_definition":
            continue
        if node_text(source, statement.child_by_field_name("name")) != "Meta":
            continue
        inner = statement.child_by_field_name("body")
        for line in inner.named_children if inner is not None else []:
            assignment = statement_assignment(line)
            if assignment is None:
                continue
            key = node_text(source, assignment.child_by_field_name("left"))
            right = assignment.child_by_field_name("right")
            if right is None:
                continue
            value = string_value(source, right)
            values[key] = value if value is not None else node_text(source, right)
    return values


def _app_label(path: str) -> str:
    parts = PurePath(path).parts
    if len(parts) >= 2 and parts[-1] == "models.py":
        return parts[-2]
    if len(parts) >= 3 and parts[-2] == "models":  # a models/ package
        return parts[-3]
    return ""


def _django_target(source: bytes, call: Node, model: str) -> str | None:
    args = positional_arguments(call)
    target_node = args[0] if args else keyword_argument(source, call, "to")
    if target_node is None:
        return None
    value = string_value(source, target_node)
    if value is None:
        value = node_text(source, target_node)
    if value == "self":
        return model
    return value.split(".")[-1] or None


def _django_reverse(source: bytes, call: Node, model: str, field_type: str) -> str | None:
    related = keyword_argument(source, call, "related_name")
    if related is not None:
        name = string_value(source, related)
        if name is None or name.endswith("+"):
            return None
        return name.replace("%(class)s", model.lower())
    if any(arg.type == "dictionary_splat" for arg in call_arguments(call)):
        return None
    return model.lower() if field_type == "OneToOneField" else f"{model.lower()}_set"
