"""Syntax-level scopes: enclosing function/class, imports, top-level definitions, outlines.

Python is first-class; JavaScript/TypeScript, Go and Java use the same code
through per-language tables of node types (best effort: a construct missing
from a table is simply not offered as context).
"""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

_JS_FUNCTIONS = frozenset(
    {
        "function_declaration",
        "generator_function_declaration",
        "method_definition",
        "function_expression",
        "arrow_function",
    }
)
_JS_CLASSES = frozenset({"class_declaration", "class", "abstract_class_declaration"})
_JS_DEFINITIONS = frozenset(
    {
        "function_declaration",
        "generator_function_declaration",
        "class_declaration",
        "abstract_class_declaration",
        "lexical_declaration",
        "variable_declaration",
        "interface_declaration",
        "type_alias_declaration",
        "enum_declaration",
    }
)


@dataclass(frozen=True, slots=True)
class LanguageTable:
    """Node types that play each role in one grammar."""

    functions: frozenset[str]
    classes: frozenset[str]
    imports: frozenset[str]
    definitions: frozenset[str]
    wrappers: frozenset[str]  # decorated_definition, export_statement: include, look inside
    identifiers: frozenset[str]
    strings: frozenset[str] = frozenset()  # string literals (context/places.py: SQL strings)
    models: frozenset[str] = frozenset()  # type definitions that can be a model or schema


TABLES: dict[str, LanguageTable] = {
    "python": LanguageTable(
        functions=frozenset({"function_definition"}),
        classes=frozenset({"class_definition"}),
        imports=frozenset({"import_statement", "import_from_statement", "future_import_statement"}),
        definitions=frozenset({"function_definition", "class_definition", "expression_statement"}),
        wrappers=frozenset({"decorated_definition"}),
        identifiers=frozenset({"identifier"}),
        strings=frozenset({"string", "concatenated_string"}),
        models=frozenset({"class_definition"}),
    ),
    "javascript": LanguageTable(
        _JS_FUNCTIONS,
        _JS_CLASSES,
        frozenset({"import_statement"}),
        _JS_DEFINITIONS,
        frozenset({"export_statement"}),
        frozenset({"identifier", "type_identifier"}),
        strings=frozenset({"string", "template_string"}),
        models=frozenset({"class_declaration"}),
    ),
    "go": LanguageTable(
        functions=frozenset({"function_declaration", "method_declaration", "func_literal"}),
        classes=frozenset(),
        imports=frozenset({"package_clause", "import_declaration"}),
        definitions=frozenset(
            {"function_declaration", "type_declaration", "const_declaration", "var_declaration"}
        ),
        wrappers=frozenset(),
        identifiers=frozenset({"identifier", "type_identifier", "field_identifier"}),
        strings=frozenset({"interpreted_string_literal", "raw_string_literal"}),
        models=frozenset({"type_spec"}),  # a struct with `db:`/`gorm:` tags
    ),
    "java": LanguageTable(
        functions=frozenset({"method_declaration", "constructor_declaration", "lambda_expression"}),
        classes=frozenset(
            {"class_declaration", "interface_declaration", "enum_declaration", "record_declaration"}
        ),
        imports=frozenset({"package_declaration", "import_declaration"}),
        definitions=frozenset(
            {"class_declaration", "interface_declaration", "enum_declaration", "record_declaration"}
        ),
        wrappers=frozenset(),
        identifiers=frozenset({"identifier", "type_identifier"}),
        strings=frozenset({"string_literal", "text_block"}),
        models=frozenset({"class_declaration", "record_declaration"}),
    ),
}
TABLES["typescript"] = TABLES["javascript"]
TABLES["typescriptreact"] = TABLES["javascript"]

# Anonymous functions whose useful extent is the statement that names them.
_NAMED_BY_PARENT = frozenset({"arrow_function", "function_expression", "func_literal"})
_STATEMENT_PARENTS = frozenset(
    {"variable_declarator", "lexical_declaration", "variable_declaration"}
)


def table_for(language_id: str | None) -> LanguageTable | None:
    return TABLES.get(language_id or "")


def with_wrappers(node: Node, table: LanguageTable) -> Node:
    """The node plus its decorators / ``export``: what a reader needs to see."""
    current = node
    while current.parent is not None and current.parent.type in table.wrappers:
        current = current.parent
    return current


def unwrap(node: Node, table: LanguageTable) -> Node:
    """The definition inside a decorator or export wrapper."""
    current = node
    while current.type in table.wrappers:
        inner = current.child_by_field_name("definition") or current.child_by_field_name(
            "declaration"
        )
        if inner is None:
            named = [c for c in current.named_children if c.type not in ("decorator", "comment")]
            if not named:
                break
            inner = named[-1]
        current = inner
    return current


def _function_extent(node: Node, table: LanguageTable) -> Node:
    """For ``const f = () => {}`` the declaration, not just the arrow function."""
    if node.type in _NAMED_BY_PARENT:
        current = node
        while current.parent is not None and current.parent.type in _STATEMENT_PARENTS:
            current = current.parent
        if current is not node:
            return with_wrappers(current, table)
    return with_wrappers(node, table)


def enclosing(node: Node, types: frozenset[str]) -> Node | None:
    """``node`` itself or its nearest ancestor whose type is in ``types``."""
    current: Node | None = node
    while current is not None:
        if current.type in types:
            return current
        current = current.parent
    return None


def enclosing_function(node: Node, table: LanguageTable) -> Node | None:
    """Innermost function around ``node``, widened to decorators / its declaration."""
    found = enclosing(node, table.functions)
    return _function_extent(found, table) if found is not None else None


def enclosing_class(node: Node, table: LanguageTable) -> Node | None:
    found = enclosing(node, table.classes) if table.classes else None
    return with_wrappers(found, table) if found is not None else None


def imports(root: Node, table: LanguageTable) -> list[Node]:
    """Module-level import statements, in order."""
    found: list[Node] = []
    for child in root.named_children:
        if unwrap(child, table).type in table.imports:
            found.append(child)
    return found


def _defined_names(node: Node, source: bytes, table: LanguageTable) -> list[str]:
    """Names a top-level statement defines (function, class, constant, variable)."""
    inner = unwrap(node, table)
    name = inner.child_by_field_name("name")
    if name is not None:
        return [_text(source, name)]
    names: list[str] = []
    if inner.type == "expression_statement":  # Python: X = ..., X: T = ...
        for child in inner.named_children:
            if child.type == "assignment":
                left = child.child_by_field_name("left")
                if left is not None:
                    names.extend(_identifiers_in(left, source))
        return names
    for child in inner.named_children:
        # JS variable_declarator, Go type_spec/const_spec/var_spec all carry a name field.
        child_name = child.child_by_field_name("name")
        if child_name is not None and child_name.type in table.identifiers:
            names.append(_text(source, child_name))
    return names


def _identifiers_in(node: Node, source: bytes) -> list[str]:
    if node.type == "identifier":
        return [_text(source, node)]
    if node.type in ("pattern_list", "tuple_pattern", "list_pattern"):
        return [_text(source, c) for c in node.named_children if c.type == "identifier"]
    return []


def top_level_definitions(root: Node, source: bytes, table: LanguageTable) -> dict[str, Node]:
    """name -> top-level statement defining it (the last definition wins, like at run time)."""
    found: dict[str, Node] = {}
    for child in root.named_children:
        inner = unwrap(child, table)
        if inner.type not in table.definitions:
            continue
        for name in _defined_names(child, source, table):
            found[name] = child
    return found


def class_members(cls: Node, source: bytes, table: LanguageTable) -> dict[str, Node]:
    """name -> member (method or field statement) directly in a class body."""
    body = unwrap(cls, table).child_by_field_name("body")
    members: dict[str, Node] = {}
    if body is None:
        return members
    for child in body.named_children:
        inner = unwrap(child, table)
        name = inner.child_by_field_name("name")
        if name is not None:
            members[_text(source, name)] = child
    return members


def line_start(node: Node) -> int:
    """Byte offset of the start of the line ``node`` starts on (keeps its indentation)."""
    return node.start_byte - node.start_point[1]


def signature(node: Node, source: bytes, table: LanguageTable) -> str:
    """Text of a definition up to its body, then `` ...``: what it takes and returns."""
    line_start_byte = line_start(node)
    inner = unwrap(node, table)
    body = inner.child_by_field_name("body")
    if body is None:
        return source[line_start_byte : node.end_byte].decode("utf-8", "replace")
    head = source[line_start_byte : body.start_byte].decode("utf-8", "replace").rstrip()
    return head + " ..."


def outline(cls: Node, source: bytes, table: LanguageTable) -> str:
    """A class with its fields in full and its methods as signatures."""
    inner = unwrap(cls, table)
    body = inner.child_by_field_name("body")
    start = line_start(cls)
    if body is None:
        return source[start : cls.end_byte].decode("utf-8", "replace")
    parts = [source[start : body.start_byte].decode("utf-8", "replace").rstrip()]
    if body.child_count and body.children[0].type == "{":
        parts[0] += " {"
    for child in body.named_children:
        if child.type == "comment":
            continue
        child_start = line_start(child)
        member = unwrap(child, table)
        if member.type in table.functions or member.type in table.classes:
            parts.append(signature(child, source, table))
        else:
            parts.append(source[child_start : child.end_byte].decode("utf-8", "replace"))
    if body.child_count and body.children[-1].type == "}":
        closing = body.children[-1]
        parts.append(source[line_start(closing) : closing.end_byte].decode("utf-8", "replace"))
    return "\n".join(parts)


def _text(source: bytes, node: Node) -> str:
    return source[node.start_byte : node.end_byte].decode("utf-8", "replace")
