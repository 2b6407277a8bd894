"""Where in the code a position is: function, route, SQL string, model class.

The agent's action catalog is filtered by these places (``ActionSpec.applies``);
the answer comes from an already parsed tree, so listing actions stays instant.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from tree_sitter import Node

from backend_lsp.analysis.sql.facts import looks_like_sql_literal
from backend_lsp.context.scope import table_for
from backend_lsp.syntax.document import ParsedDocument

# Base classes / markers of persistence and schema models across the usual frameworks.
_MODEL = re.compile(
    r"\b(Model|Base|DeclarativeBase|BaseModel|SQLModel|Document|EmbeddedDocument|Schema|"
    r"Serializer|ModelSerializer|TypedDict|Struct|Entity|Table|Embeddable)\b|@Entity|@Table|"
    r"@Document|@Schema|gorm\.Model|`(?:json|db|gorm):"
)
_MAX_SCAN = 64  # ancestors visited from the cursor: deep trees stay cheap


def _is_sql_string(source: bytes, node: Node) -> bool:
    """The analyzer's own test, so an action offered on SQL agrees with what it checks."""
    if node.end_byte - node.start_byte > 20_000:
        return False
    text = source[node.start_byte : node.end_byte].decode("utf-8", "replace")
    return looks_like_sql_literal(text)


def _is_model(source: bytes, node: Node) -> bool:
    body = node.child_by_field_name("body")
    end = body.start_byte if body is not None else node.end_byte
    header = source[node.start_byte : min(end, node.start_byte + 600)]
    if node.prev_named_sibling is not None and node.prev_named_sibling.type in ("decorator",):
        header = source[node.prev_named_sibling.start_byte : node.start_byte] + header
    parent = node.parent
    if parent is not None and parent.type == "decorated_definition":
        header = source[parent.start_byte : node.start_byte] + header
    if node.type == "type_spec" and body is None:
        header = source[node.start_byte : min(node.end_byte, node.start_byte + 2000)]
    return _MODEL.search(header.decode("utf-8", "replace")) is not None


def code_places_at(document: ParsedDocument, path: str, offset: int) -> set[str]:
    """The places around byte ``offset`` of a parsed document (a .sql file is all SQL)."""
    places: set[str] = set()
    if document.language_id == "sql":
        places.add("sql")
    table = table_for(document.language_id)
    if table is None or not document.has_grammar:
        return places
    root = document.root  # parsed already: a snapshot is never stale
    if root is None:
        return places
    source = document.source
    node: Node | None = root.named_descendant_for_byte_range(offset, offset)
    python = document.language_id == "python"
    for _ in range(_MAX_SCAN):
        if node is None:
            break
        if node.type in table.functions and "function" not in places:
            places.add("function")
            if python:
                from backend_lsp.analysis.python.routes import route_for_function

                views = PurePath(path).stem in ("views", "api", "viewsets")
                if route_for_function(source, node, views_module=views) is not None:
                    places.add("route")
        elif node.type in table.strings and "sql" not in places and _is_sql_string(source, node):
            places.add("sql")
        elif node.type in table.models and "model" not in places and _is_model(source, node):
            places.add("model")
        node = node.parent
    return places
