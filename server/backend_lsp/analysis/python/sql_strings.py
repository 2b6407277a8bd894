"""SQL in Python source: the strings that reach a database call, and how they were built.

A query is modelled as a sequence of literal pieces and holes (interpolated
expressions), whatever the syntax that built it: f-string, ``%``,
``.format`` or ``+``. Rules then reason about holes, not about syntax.
"""

from __future__ import annotations

import re
import string
from contextlib import suppress
from dataclasses import dataclass, field

from tree_sitter import Node, QueryCursor

from backend_lsp.analysis.model import FileReads
from backend_lsp.analysis.python.bindings import (
    ASSIGNMENT,
    DEFINITION,
    assignments_before,
    resolve_name,
    scope_bindings,
)
from backend_lsp.analysis.python.imports import names_importing
from backend_lsp.analysis.python.index import Region, active_region, node_index
from backend_lsp.analysis.python.nodes import (
    ancestors,
    call_arguments,
    enclosing_function,
    enclosing_scope,
    is_docstring,
    is_fstring,
    keyword_argument,
    node_text,
    positional_arguments,
    string_value,
    walk,
)
from backend_lsp.analysis.sql.facts import looks_like_sql
from backend_lsp.syntax.queries import compile_query

HOLE = "\ue000"  # stands for a hole in templates; never present in real SQL

CONSTANT = "constant"
FSTRING = "fstring"
PERCENT = "percent"
FORMAT = "format"
CONCAT = "concat"
AUGMENTED = "augmented"
REPLACE = "replace"

# method name -> API family; the SQL argument must also look like SQL
_DB_METHODS: dict[str, str] = {
    "execute": "dbapi",
    "executemany": "dbapi",
    "executescript": "dbapi",
    "exec_driver_sql": "dbapi",
    "raw": "django_raw",
    "fetch": "asyncpg",
    "fetchrow": "asyncpg",
    "fetchval": "asyncpg",
    "fetch_all": "databases",
    "fetch_one": "databases",
    "fetch_val": "databases",
    "execute_many": "databases",
    "query": "dbapi",
    "read_sql": "pandas",
    "read_sql_query": "pandas",
    "run": "pg8000",  # pg8000.native Connection.run(sql, **params)
    "cursor": "asyncpg",  # asyncpg Connection.cursor(query, *args)
    "fetchmany": "asyncpg",
    "copy_from_query": "asyncpg",
    "sql": "duckdb",  # duckdb.sql(query) / connection.sql(query)
    "command": "clickhouse",  # clickhouse_connect client.command(sql)
}
# SQLAlchemy clause methods: a string reaching them is SQL text (1.x coerced it; text()
# always is), verb or not. Only in modules that use SQLAlchemy: Django's ``filter`` and
# ``order_by`` take lookups and field names the ORM validates.
_CLAUSE_METHODS = frozenset({"filter", "where", "order_by", "group_by", "having", "distinct"})
_SQL_KEYWORDS = ("sql", "query", "operation", "statement", "raw_query", "stmt")
_PARAM_KEYWORDS = ("params", "parameters", "args", "vars", "values")
_UPPER_CONSTANT = re.compile(r"^_*[A-Z][A-Z0-9_]*$")
_PLACEHOLDER_TEXT = re.compile(r"^[?%s$:\d,\s()]*$")
_ASSIGNED = frozenset({ASSIGNMENT})
_DEFINED = frozenset({DEFINITION})
_SAFE_CALLS = {"int", "float", "len", "bool", "abs", "round"}
# driver/framework quoting helpers: their output is meant to be spliced into SQL
_QUOTING_CALLS = {"quote_name", "quote_ident", "quote_identifier", "escape_string", "literal"}
# annotations that cannot hold SQL text when enforced (FastAPI, pydantic), not in plain calls
_SAFE_TYPES = {"int", "float", "bool", "UUID", "uuid.UUID", "Decimal", "decimal.Decimal"}
# table names that come from the model definitions, not from users
_SCHEMA_ATTRIBUTES = ("_meta.db_table", "__tablename__", "__table__.name", "_meta.model_name")
_SQL_WORD = re.compile(
    rb"(?i)\b(?:select|insert|update|delete|with|create|alter|drop|truncate|replace|merge|"
    rb"upsert|explain)\b"
)
# a string literal starting with a SQL verb somewhere in the file: the cheap gate
_SQL_START = re.compile(
    rb"(?i)[\"'(]\s*(?:--[^\n]*\n\s*)?(?:select|insert|update|delete|with|create|alter|drop|"
    rb"truncate|replace|merge|upsert|explain)\b"
)
_PERCENT_SPEC = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?[sdifr]|%%")


@dataclass(frozen=True, slots=True)
class Piece:
    """Literal SQL text as written in the source (escapes not decoded)."""

    text: str
    start: int  # byte offset of ``text`` in the source
    string: Node  # the string node it comes from


@dataclass(frozen=True, slots=True)
class Hole:
    """An interpolated value; ``start``/``end`` span its marker in the source."""

    expr: Node | None
    start: int
    end: int
    safe: bool


@dataclass(frozen=True, slots=True)
class BuiltSql:
    """A SQL text assembled from literal pieces and holes."""

    how: str
    node: Node
    parts: tuple[Piece | Hole, ...]
    assignment: Node | None = None  # the `name = ...` it was read from, if any

    @property
    def template(self) -> str:
        return "".join(p.text if isinstance(p, Piece) else HOLE for p in self.parts)

    @property
    def holes(self) -> tuple[Hole, ...]:
        return tuple(p for p in self.parts if isinstance(p, Hole))

    @property
    def unsafe_holes(self) -> tuple[Hole, ...]:
        return tuple(h for h in self.holes if not h.safe)


@dataclass(frozen=True, slots=True)
class SqlCall:
    """A call that sends SQL to a database."""

    call: Node  # the call whose arguments carry parameters (execute, fetch, raw, ...)
    method: str
    api: str  # dbapi | django_raw | django_extra | asyncpg | databases | pandas | sqlalchemy
    sql_arg: Node  # the argument node as written at the call site
    sql: BuiltSql
    params: Node | None
    extra_positional: int = 0  # positional arguments after the SQL (asyncpg style)
    text_call: Node | None = None  # sqlalchemy text(...) wrapping the SQL, if any
    # a bare text() fragment without an SQL verb (``text(f"{col} = :v")``): SQL only by
    # the call, so rules report it only when request data reaches it
    verbless: bool = False


@dataclass(frozen=True, slots=True)
class SqlLiteral:
    """A SQL-looking string literal (f-string holes become HOLE)."""

    node: Node
    sql: BuiltSql

    def byte_offset(self, index: int) -> int | None:
        """Source byte offset of template character ``index`` (None inside a hole)."""
        position = 0
        for part in self.sql.parts:
            length = len(part.text) if isinstance(part, Piece) else 1
            if index < position + length:
                if isinstance(part, Hole):
                    return None
                return part.start + len(part.text[: index - position].encode("utf-8"))
            position += length
        return None


@dataclass(slots=True)
class _Scope:
    source: bytes
    sqlalchemy_text: set[str] = field(default_factory=set)
    sqlalchemy: bool = False


def find_sql_calls(source: bytes, root: Node) -> list[SqlCall]:
    """Every database call in the module whose SQL argument we can follow."""
    if not _SQL_START.search(source) and b".extra(" not in source and b"sqlalchemy" not in source:
        return []
    sqlalchemy = b"sqlalchemy" in source
    aliases = names_importing(source, root, "sqlalchemy", "text") if sqlalchemy else set()
    scope = _Scope(source, aliases, b"sqlalchemy" in source or b"sqlmodel" in source)
    calls: list[SqlCall] = []
    for node in node_index(source, root).of("call"):
        found = _sql_call(scope, node)
        if found is not None:
            calls.append(found)
    return calls


def sql_literals(source: bytes, root: Node) -> list[SqlLiteral]:
    """Every SQL-looking string literal (docstrings excluded), outermost strings only."""
    key = (root.id, active_region())  # a partial (incremental) run must not answer a whole one
    cached = _LITERALS.get(source)
    if cached is not None and cached[0] == key:
        return list(cached[1])
    found: list[SqlLiteral] = []
    if not _SQL_START.search(source):
        return found
    for node in node_index(source, root).of("string", "concatenated_string"):
        if node.parent is not None and node.parent.type == "concatenated_string":
            continue
        if is_docstring(node):
            continue
        if not _SQL_WORD.search(node.text or b""):
            continue
        built = _literal(source, node, judge=False)
        if built is None or not looks_like_sql(_probe(built.template)):
            continue
        found.append(SqlLiteral(node, built))
    if len(_LITERALS) >= 8:
        with suppress(RuntimeError, StopIteration, KeyError):  # analysis runs in threads
            _LITERALS.pop(next(iter(_LITERALS)))
    _LITERALS[source] = (key, tuple(found))
    return found


# BE002, BE003 and hover all ask for the same file's literals in a row
_LITERALS: dict[bytes, tuple[tuple[int, Region | None], tuple[SqlLiteral, ...]]] = {}


def nodes_of(root: Node, *types: str) -> list[Node]:
    """Nodes of the given types in source order, found by tree-sitter in C (a Python
    walk over every node is the dominant cost on large files)."""
    query = "[" + " ".join(f"({t})" for t in types) + "] @n"
    captures = QueryCursor(compile_query("python", query)).captures(root)
    return sorted(captures.get("n", []), key=lambda n: (n.start_byte, -n.end_byte))


def _probe(template: str) -> str:
    return template.replace(HOLE, "__v__")


def _is_text_call(scope: _Scope, call: Node) -> bool:
    function = call.child_by_field_name("function")
    if function is None:
        return False
    name = node_text(scope.source, function)
    if function.type == "identifier":
        return name in scope.sqlalchemy_text
    return name in ("sa.text", "sqlalchemy.text", "sql.text", "expression.text")


def _sql_call(scope: _Scope, call: Node) -> SqlCall | None:
    source = scope.source
    function = call.child_by_field_name("function")
    if function is None:
        return None
    if _is_text_call(scope, call):
        return _standalone_text(scope, call)
    if function.type == "attribute":
        method = node_text(source, function.child_by_field_name("attribute"))
    elif function.type == "identifier":
        method = node_text(source, function)
        if method not in ("read_sql", "read_sql_query", "RawSQL"):
            return None
    else:
        return None
    if method == "extra":
        return _django_extra(scope, call)
    api = "django_raw" if method == "RawSQL" else _DB_METHODS.get(method, "")
    clause = method in _CLAUSE_METHODS and scope.sqlalchemy
    if clause:
        api = "sqlalchemy_clause"  # no parametrize fix: values go to bindparams/params()
    if not api:
        return None
    positional = positional_arguments(call)
    sql_arg = positional[0] if positional else None
    if sql_arg is None:
        for keyword in _SQL_KEYWORDS:
            sql_arg = keyword_argument(source, call, keyword)
            if sql_arg is not None:
                break
    if sql_arg is None:
        return None
    text_call: Node | None = None
    target = sql_arg
    if target.type == "call" and _is_text_call(scope, target):
        text_args = positional_arguments(target)
        if not text_args:
            return None
        text_call, target = target, text_args[0]
        api = "sqlalchemy_clause" if clause else "sqlalchemy"
    built = build_sql(source, target, call)
    if built is None:
        return None
    verbless = not clause and not looks_like_sql(_probe(built.template).lstrip())
    if text_call is None and verbless:
        return None  # text() and clause arguments are SQL whatever they start with
    params = None
    if len(positional) > 1 and positional[0] == sql_arg:
        params = positional[1]
    for keyword in _PARAM_KEYWORDS:
        params = params or keyword_argument(source, call, keyword)
    extra = max(0, len(positional) - 1) if positional and positional[0] == sql_arg else 0
    return SqlCall(call, method, api, sql_arg, built, params, extra, text_call, verbless)


def _standalone_text(scope: _Scope, call: Node) -> SqlCall | None:
    """``text(...)`` not passed straight to a DB call (those are handled by the outer call)."""
    parent = call.parent
    if parent is not None and parent.type == "argument_list":
        outer = parent.parent
        if outer is not None and outer.type == "call":
            outer_fn = outer.child_by_field_name("function")
            if outer_fn is not None and outer_fn.type == "attribute":
                name = node_text(scope.source, outer_fn.child_by_field_name("attribute"))
                if name in _DB_METHODS or name in _CLAUSE_METHODS:
                    return None
    args = positional_arguments(call)
    if not args:
        return None
    built = build_sql(scope.source, args[0], call)
    if built is None:
        return None  # text() always holds SQL, verb or not
    verbless = not looks_like_sql(_probe(built.template).lstrip())
    return SqlCall(call, "text", "sqlalchemy", args[0], built, None, 0, call, verbless)


def _django_extra(scope: _Scope, call: Node) -> SqlCall | None:
    """``.extra(where=[...])``: each fragment is SQL, even without a verb."""
    where = keyword_argument(scope.source, call, "where")
    if where is None or where.type not in ("list", "tuple"):
        return None
    for item in where.named_children:
        built = build_sql(scope.source, item, call)
        if built is not None and built.unsafe_holes:
            params = keyword_argument(scope.source, call, "params")
            return SqlCall(call, "extra", "django_extra", item, built, params)
    return None


def build_sql(source: bytes, node: Node, use: Node, depth: int = 0) -> BuiltSql | None:
    """How the text of ``node`` is built, following variables assigned before ``use``."""
    if depth > 4:
        return None
    if node.type == "parenthesized_expression" and node.named_child_count == 1:
        inner = node.named_children[0]
        return build_sql(source, inner, use, depth + 1)
    if node.type in ("string", "concatenated_string"):
        return _literal(source, node)
    if node.type == "binary_operator":
        operator = node.child_by_field_name("operator")
        op = node_text(source, operator)
        if op == "%":
            return _percent(source, node, use)
        if op == "+":
            return _concat(source, node, use, depth)
        return None
    if node.type == "call":
        return _format_call(source, node, use)
    if node.type == "identifier":
        return _through_variable(source, node, use, depth)
    return None


def _literal(source: bytes, node: Node, judge: bool = True, depth: int = 0) -> BuiltSql | None:
    """Pieces and holes of a (possibly f-, possibly implicitly concatenated) string.

    ``judge=False`` skips deciding whether holes are safe (costly, and not
    needed when only the SQL shape matters).
    """
    strings = node.named_children if node.type == "concatenated_string" else [node]
    parts: list[Piece | Hole] = []
    fstring = False
    for item in strings:
        if item.type != "string":
            return None
        prefix = node_text(source, item.child(0)).lower()
        if "b" in prefix:
            return None
        is_f = is_fstring(source, item)
        fstring = fstring or is_f
        for child in item.named_children:
            if child.type == "string_content":
                text = node_text(source, child)
                parts.append(Piece(text, child.start_byte, item))
            elif child.type == "interpolation":
                expr = child.named_children[0] if child.named_children else None
                safe = (
                    judge
                    and _is_safe(source, expr, child, depth)
                    and not any(
                        c.type in ("type_conversion", "format_specifier") for c in child.children
                    )
                )
                parts.append(Hole(expr, child.start_byte, child.end_byte, safe))
    return BuiltSql(FSTRING if fstring else CONSTANT, node, tuple(parts))


def _percent(source: bytes, node: Node, use: Node) -> BuiltSql | None:
    left = node.child_by_field_name("left")
    right = node.child_by_field_name("right")
    if left is None or right is None or left.type not in ("string", "concatenated_string"):
        return None
    base = _literal(source, left)
    if base is None or base.holes:
        return None
    if right.type == "tuple":
        values: list[Node] | dict[str, Node] = list(right.named_children)
    elif right.type == "dictionary":
        values = {}
        for pair in right.named_children:
            key = pair.child_by_field_name("key") if pair.type == "pair" else None
            value = pair.child_by_field_name("value") if pair.type == "pair" else None
            if key is None or value is None or key.type != "string":
                return _opaque(source, PERCENT, node, base, right, use)
            values[_plain(source, key)] = value
    elif right.type in ("identifier", "attribute", "call", "subscript") and _count_specs(base) > 1:
        return _opaque(source, PERCENT, node, base, right, use)
    else:
        values = [right]
    parts: list[Piece | Hole] = []
    index = 0
    for piece in base.parts:
        assert isinstance(piece, Piece)
        cursor = 0
        for match in _PERCENT_SPEC.finditer(piece.text):
            if match.group(0) == "%%":
                continue
            before = piece.text[cursor : match.start()]
            if before:
                parts.append(Piece(before, _at(piece, cursor), piece.string))
            if isinstance(values, dict):
                expr = values.get(match.group(1) or "")
            else:
                expr = values[index] if index < len(values) else None
            index += 1
            start = _at(piece, match.start())
            safe = expr is not None and _is_safe(source, expr, use)
            parts.append(Hole(expr, start, _at(piece, match.end()), safe))
            cursor = match.end()
        if cursor < len(piece.text):
            parts.append(Piece(piece.text[cursor:], _at(piece, cursor), piece.string))
    return BuiltSql(PERCENT, node, tuple(parts))


def _count_specs(base: BuiltSql) -> int:
    return sum(
        1
        for p in base.parts
        if isinstance(p, Piece)
        for m in _PERCENT_SPEC.finditer(p.text)
        if m.group(0) != "%%"
    )


def _opaque(
    source: bytes, how: str, node: Node, base: BuiltSql, values: Node, use: Node
) -> BuiltSql:
    """Values we cannot map to markers one by one: one hole for all of them."""
    safe = _is_safe(source, values, use)
    hole = Hole(None if not safe else values, values.start_byte, values.end_byte, safe)
    return BuiltSql(how, node, (*base.parts, hole))


def _at(piece: Piece, index: int) -> int:
    return piece.start + len(piece.text[:index].encode("utf-8"))


def _format_call(source: bytes, node: Node, use: Node) -> BuiltSql | None:
    function = node.child_by_field_name("function")
    if function is None or function.type != "attribute":
        return None
    method = node_text(source, function.child_by_field_name("attribute"))
    if method == "replace":
        return _replace_call(source, node, function, use)
    if method != "format":
        return None
    receiver = function.child_by_field_name("object")
    if receiver is not None and receiver.type in ("identifier", "attribute"):
        receiver = _kept_template(source, receiver, use)  # ``FIND.format(x)``
    if receiver is None or receiver.type not in ("string", "concatenated_string"):
        return None  # psycopg's sql.SQL(...).format(...) composes safely
    base = _literal(source, receiver)
    if base is None or base.holes:
        return None
    positional = positional_arguments(node)
    arguments = node.child_by_field_name("arguments")
    if arguments is None:
        return None
    if len(positional) != len(call_arguments(node)) - _keyword_count(node):
        return _opaque(source, FORMAT, node, base, arguments, use)  # *args / **kwargs
    parts: list[Piece | Hole] = []
    auto = 0
    for piece in base.parts:
        assert isinstance(piece, Piece)
        cursor = 0
        try:
            fields = list(string.Formatter().parse(piece.text))
        except ValueError:
            return None
        for literal, name, spec, conversion in fields:
            if literal:
                # '{{' in the source is one '{' in ``literal``: re-find literal text by length
                raw_len = len(literal) + literal.count("{") + literal.count("}")
                parts.append(
                    Piece(piece.text[cursor : cursor + raw_len], _at(piece, cursor), piece.string)
                )
                cursor += raw_len
            if name is None:
                continue
            raw = (
                "{"
                + name
                + ("!" + conversion if conversion else "")
                + (":" + spec if spec else "")
                + "}"
            )
            expr: Node | None
            if name == "":
                expr = positional[auto] if auto < len(positional) else None
                auto += 1
            elif name.isdigit():
                expr = positional[int(name)] if int(name) < len(positional) else None
            else:
                expr = keyword_argument(source, node, name)
            start = _at(piece, cursor)
            cursor += len(raw)
            safe = expr is not None and not spec and not conversion and _is_safe(source, expr, use)
            parts.append(Hole(expr, start, _at(piece, cursor), safe))
    return BuiltSql(FORMAT, node, tuple(parts))


def _replace_call(source: bytes, node: Node, function: Node, use: Node) -> BuiltSql | None:
    """``"... '[VALUE]'".replace("[VALUE]", value)``: a home-made template."""
    receiver = function.child_by_field_name("object")
    args = positional_arguments(node)
    if receiver is None or receiver.type != "string" or len(args) != 2:
        return None
    base = _literal(source, receiver)
    marker = string_value(source, args[0])
    if base is None or base.holes or not marker:
        return None
    safe = _is_safe(source, args[1], use)
    parts: list[Piece | Hole] = []
    for piece in base.parts:
        assert isinstance(piece, Piece)
        cursor = 0
        while (found := piece.text.find(marker, cursor)) >= 0:
            if found > cursor:
                parts.append(Piece(piece.text[cursor:found], _at(piece, cursor), piece.string))
            end = found + len(marker)
            parts.append(Hole(args[1], _at(piece, found), _at(piece, end), safe))
            cursor = end
        if cursor < len(piece.text):
            parts.append(Piece(piece.text[cursor:], _at(piece, cursor), piece.string))
    return BuiltSql(REPLACE, node, tuple(parts))


def _keyword_count(call: Node) -> int:
    return sum(1 for a in call_arguments(call) if a.type == "keyword_argument")


def _concat(source: bytes, node: Node, use: Node, depth: int) -> BuiltSql | None:
    operands: list[Node] = []
    _flatten_plus(source, node, operands)
    parts: list[Piece | Hole] = []
    has_literal = False
    for operand in operands:
        if operand.type in ("string", "concatenated_string"):
            literal = _literal(source, operand)
            if literal is None:
                return None
            has_literal = True
            parts.extend(literal.parts)
        else:
            nested = (
                build_sql(source, operand, use, depth + 1) if operand.type == "identifier" else None
            )
            if nested is not None and nested.how == CONSTANT:
                parts.extend(nested.parts)
                continue
            safe = _is_safe(source, operand, use)
            parts.append(Hole(operand, operand.start_byte, operand.end_byte, safe))
    if not has_literal:
        return None
    return BuiltSql(CONCAT, node, tuple(parts))


def _flatten_plus(source: bytes, node: Node, out: list[Node]) -> None:
    if (
        node.type == "binary_operator"
        and node_text(source, node.child_by_field_name("operator")) == "+"
    ):
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is not None:
            _flatten_plus(source, left, out)
        if right is not None:
            _flatten_plus(source, right, out)
        return
    if node.type == "parenthesized_expression" and node.named_child_count == 1:
        _flatten_plus(source, node.named_children[0], out)
        return
    out.append(node)


def _through_variable(source: bytes, name: Node, use: Node, depth: int) -> BuiltSql | None:
    assigned, augments = assignments_before(source, node_text(source, name), use)
    if assigned is None:
        return None
    value = assigned.child_by_field_name("right")
    if value is None:
        return None
    built = build_sql(source, value, use, depth + 1)
    if built is None:
        return None
    if not augments:
        return BuiltSql(built.how, built.node, built.parts, assigned)
    parts = list(built.parts)
    for augment in augments:
        right = augment.child_by_field_name("right")
        extra = build_sql(source, right, use, depth + 1) if right is not None else None
        if extra is None:
            assert right is not None
            parts.append(
                Hole(right, right.start_byte, right.end_byte, _is_safe(source, right, use))
            )
        else:
            parts.extend(extra.parts)
    return BuiltSql(AUGMENTED, built.node, tuple(parts), assigned)


def _kept_template(source: bytes, name: Node, use: Node) -> Node | None:
    """The string literal a template name holds: a local or module assignment (``FIND``),
    or a class attribute read as ``self.FIND`` / ``cls.FIND``; None when not one literal."""
    text = node_text(source, name)
    if name.type == "attribute":
        base, _, attr = text.partition(".")
        if base not in ("self", "cls") or "." in attr:
            return None
        scope = next((a for a in ancestors(use) if a.type == "class_definition"), None)
        if scope is None:
            return None
        targets = {attr, f"self.{attr}", f"cls.{attr}"}
        values = [
            node.child_by_field_name("right")
            for node in walk(scope)
            if node.type == "assignment"
            and node_text(source, node.child_by_field_name("left")) in targets
        ]
    else:
        assigned, augments = assignments_before(source, text, use)
        if assigned is not None:
            value = assigned.child_by_field_name("right")
            return value if not augments and value is not None else None
        module = next((a for a in ancestors(use) if a.type == "module"), None)
        if module is None:
            return None
        values = [
            bound.value
            for bound in scope_bindings(source, module, _ASSIGNED)
            if node_text(source, bound.target) == text
        ]
    if len(values) != 1 or values[0] is None:
        return None
    value = values[0]
    return value if value.type in ("string", "concatenated_string") else None


def _plain(source: bytes, node: Node) -> str:
    return "".join(node_text(source, c) for c in node.named_children if c.type == "string_content")


def _is_safe(source: bytes, expr: Node | None, use: Node, depth: int = 0) -> bool:
    """Whether an interpolated expression cannot carry attacker-controlled SQL."""
    if expr is None or depth > 3:
        return False
    kind = expr.type
    if kind in ("integer", "float", "true", "false", "none"):
        return True
    if kind in ("string", "concatenated_string"):
        built = _literal(source, expr, depth=depth + 1)
        return built is not None and all(h.safe for h in built.holes)
    if kind == "identifier":
        name = node_text(source, expr)
        if _UPPER_CONSTANT.match(name) or _counts_in_range(source, expr):
            return True
        assigned, augments = assignments_before(source, name, use)
        if assigned is None or augments:
            return False
        value = assigned.child_by_field_name("right")
        return value is not None and _is_safe(source, value, assigned, depth + 1)
    if kind == "attribute":
        attribute = node_text(source, expr.child_by_field_name("attribute"))
        text = node_text(source, expr)
        return bool(_UPPER_CONSTANT.match(attribute)) or text.endswith(_SCHEMA_ATTRIBUTES)
    if kind == "subscript":  # ALLOWED_COLUMNS[key]: an allow-list lookup
        value = expr.child_by_field_name("value")
        return value is not None and bool(_UPPER_CONSTANT.match(node_text(source, value)))
    if kind == "conditional_expression":
        branches = expr.named_children
        return len(branches) == 3 and all(
            _is_safe(source, b, use, depth + 1) for b in (branches[0], branches[2])
        )
    if kind == "parenthesized_expression" and expr.named_child_count == 1:
        return _is_safe(source, expr.named_children[0], use, depth + 1)
    if kind == "binary_operator" and node_text(source, expr.child_by_field_name("operator")) == "+":
        # "_id, " + columns: text glued from safe pieces is safe
        return all(
            _is_safe(source, expr.child_by_field_name(side), use, depth + 1)
            for side in ("left", "right")
        )
    if kind == "call":
        return _is_safe_call(source, expr, use, depth)
    return False


def _is_safe_call(source: bytes, call: Node, use: Node, depth: int = 0) -> bool:
    function = call.child_by_field_name("function")
    if function is None:
        return False
    name = node_text(source, function)
    if name in _SAFE_CALLS or name.rsplit(".", 1)[-1] in _QUOTING_CALLS:
        return True
    if function.type == "identifier" and _quotes_its_argument(source, function):
        return True
    arguments = call_arguments(call)
    if name == "str" and len(arguments) == 1 and arguments[0].type == "call":
        return _is_safe_call(source, arguments[0], use, depth)
    method = (
        node_text(source, function.child_by_field_name("attribute"))
        if function.type == "attribute"
        else ""
    )
    receiver = function.child_by_field_name("object") if method else None
    if receiver is None or receiver.type != "string":
        return False
    if method == "join":
        return _only_placeholders(source, call) or _joins_safe_items(source, call, use, depth)
    if method == "format":
        # "RETURNING {cols}".format(cols=cols): a fixed template filled with safe pieces
        template = _literal(source, receiver, depth=depth + 1)
        return (
            template is not None
            and not template.holes
            and bool(arguments)
            and all(_is_safe(source, _argument_value(a), use, depth + 1) for a in arguments)
        )
    return False


def _argument_value(argument: Node) -> Node | None:
    if argument.type == "keyword_argument":
        return argument.child_by_field_name("value")
    return None if argument.type in ("list_splat", "dictionary_splat") else argument


_COMPREHENSIONS = ("generator_expression", "list_comprehension", "set_comprehension")


def _joins_safe_items(source: bytes, call: Node, use: Node, depth: int) -> bool:
    """``", ".join(identifier(c) for c in cols)``: every joined item is safe text (each
    quoted by a quoting helper, or a placeholder numbered by ``range``)."""
    items = call.child_by_field_name("arguments")  # a bare generator is the argument list
    if items is not None and items.type == "argument_list":
        arguments = call_arguments(call)
        items = arguments[0] if len(arguments) == 1 else None
    if items is None or items.type not in _COMPREHENSIONS:
        return False
    element = items.child_by_field_name("body")
    return _is_safe(source, element, use, depth + 1)


def _counts_in_range(source: bytes, name: Node) -> bool:
    """``name`` is the variable of an enclosing comprehension over ``range(...)``: an int."""
    text = node_text(source, name)
    node = name.parent
    while node is not None and node.type not in ("function_definition", "module"):
        if node.type in _COMPREHENSIONS:
            for clause in node.named_children:
                if clause.type != "for_in_clause":
                    continue
                left = clause.child_by_field_name("left")
                right = clause.child_by_field_name("right")
                if (
                    left is not None
                    and left.type == "identifier"
                    and node_text(source, left) == text
                    and right is not None
                    and right.type == "call"
                    and node_text(source, right.child_by_field_name("function")) == "range"
                ):
                    return True
        node = node.parent
    return False


def _quotes_its_argument(source: bytes, name: Node) -> bool:
    """``name`` is a function defined before this use that is an SQL quoting helper."""
    definition = resolve_name(source, name, _DEFINED) or _module_function(source, name)
    return definition is not None and _is_quoting_helper(source, definition)


def quoting_helper_names(source: bytes, root: Node) -> tuple[bytes, ...]:
    """The module-level quoting helpers' names: a function's BE001 verdict depends on
    their bodies, so incremental analysis treats chunks naming them as facts."""
    if b".replace(" not in source:
        return ()
    names: list[bytes] = []
    for statement in root.named_children:
        definition = statement
        if definition.type == "decorated_definition":
            definition = definition.child_by_field_name("definition") or definition
        name = definition.child_by_field_name("name")
        if name is not None and _is_quoting_helper(source, definition):
            names.append(node_text(source, name).encode())
    return tuple(names)


def _is_quoting_helper(source: bytes, definition: Node) -> bool:
    """A function whose result is its argument with the quote character doubled, wrapped
    in that quote (``return '"' + s.replace('"', '""') + '"'``), whatever it is called."""
    if definition.type != "function_definition":
        return False
    header = definition.child_by_field_name("parameters")
    body = definition.child_by_field_name("body")
    parameters = header.named_children if header is not None else []
    if len(parameters) != 1 or parameters[0].type not in ("identifier", "typed_parameter"):
        return False
    if body is None:
        return False
    parameter = node_text(source, parameters[0]).split(":", 1)[0].strip()
    statements = [s for s in body.named_children if s.type != "comment"]
    if statements and statements[0].type == "expression_statement":
        first = statements[0].named_children
        if first and first[0].type == "string":
            statements = statements[1:]  # the docstring
    if len(statements) != 1 or statements[0].type != "return_statement":
        return False
    returned = statements[0].named_children
    return bool(returned) and _wraps_doubled(source, returned[0], parameter)


def _module_function(source: bytes, name: Node) -> Node | None:
    """The module-level ``def`` a name used inside a function refers to (bound anywhere in
    the module: it is looked up when the function runs)."""
    if name.parent is None or enclosing_scope(name).type == "module":
        return None
    root = name
    while root.parent is not None:
        root = root.parent
    text = node_text(source, name)
    found = [
        b.value
        for b in scope_bindings(source, root, _DEFINED)
        if node_text(source, b.target) == text
    ]
    return found[-1] if found else None


def _wraps_doubled(source: bytes, expr: Node, parameter: str) -> bool:
    """``Q + <parameter>.replace(Q, QQ)... + Q`` for a single quote character Q."""
    pieces: list[Node] = []
    _flatten_plus(source, expr, pieces)
    if len(pieces) != 3:
        return False
    opening, middle, closing = pieces
    quote = string_value(source, opening)
    if quote not in ("'", '"', "`") or string_value(source, closing) != quote:
        return False
    doubled = False
    current: Node | None = middle
    while current is not None and current.type == "call":
        function = current.child_by_field_name("function")
        if function is None or function.type != "attribute":
            return False
        if node_text(source, function.child_by_field_name("attribute")) != "replace":
            return False
        args = positional_arguments(current)
        if len(args) == 2 and [string_value(source, a) for a in args] == [quote, quote * 2]:
            doubled = True
        current = function.child_by_field_name("object")
    return doubled and current is not None and node_text(source, current) == parameter


def typed_numeric(source: bytes, expr: Node | None, use: Node) -> bool:
    """``expr`` is a parameter annotated int/float/UUID...: harmless if the type is enforced."""
    if expr is None or expr.type != "identifier":
        return False
    name = node_text(source, expr)
    assigned, _ = assignments_before(source, name, use)
    return assigned is None and _typed_parameter(source, name, use) in _SAFE_TYPES


def _typed_parameter(source: bytes, name: str, use: Node) -> str | None:
    """The annotation of parameter ``name`` of the function around ``use``."""
    function = enclosing_function(use)
    parameters = function.child_by_field_name("parameters") if function is not None else None
    for parameter in parameters.named_children if parameters is not None else []:
        if parameter.type not in ("typed_parameter", "typed_default_parameter"):
            continue
        ident = parameter.child_by_field_name("name")
        if ident is None and parameter.named_children:
            ident = parameter.named_children[0]
        if node_text(source, ident) == name:
            return node_text(source, parameter.child_by_field_name("type"))
    return None


def _only_placeholders(source: bytes, call: Node) -> bool:
    """``", ".join("?" * len(ids))`` and friends: the joined text holds only placeholders."""
    args = call.child_by_field_name("arguments")
    if args is None:
        return False
    saw_placeholder = False
    for node in walk(args):
        if node.type == "string_content":
            if not _PLACEHOLDER_TEXT.match(node_text(source, node)):
                return False
            saw_placeholder = True
        elif node.type == "interpolation":
            expr = node.named_children[0] if node.named_children else None
            if expr is None or expr.type not in ("identifier", "integer", "binary_operator"):
                return False
    return saw_placeholder


# What ``find_sql_calls`` / ``sql_literals`` test on the whole file, and the quoting
# helpers other functions' verdicts read: rules that call them declare it, so
# incremental analysis keys reuse on the outcomes.
SQL_READS = FileReads(
    gates=(b".extra(", b"sqlalchemy"), patterns=(_SQL_START,), named=quoting_helper_names
)
