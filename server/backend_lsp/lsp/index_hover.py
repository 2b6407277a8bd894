"""Hover from the workspace index: what a name from another module is, and what a route serves.

The user's own language server already describes same-file code, so this adds a
summary only where the index knows more: a definition in another file (a model,
a dependency, a CRUD function: its outline and where it lives), the routes a
handler serves (method and full path, dependencies), and the table a model maps
to with the number of routes that use it.
"""

from __future__ import annotations

import re
from pathlib import Path

from tree_sitter import Node

from backend_lsp.index.facts import TYPE_KINDS, Symbol
from backend_lsp.index.resolve import Target
from backend_lsp.index.routes import ResolvedRoute
from backend_lsp.lsp.indexing import IndexSnapshot

_DOTTED = re.compile(r"[A-Za-z_][\w.]*")
_MAX_OUTLINE_LINES = 25


# identifier node types, and the dotted node whose last part they can be (Python, Go, JS/TS)
_NAMES = frozenset(
    {
        "identifier",
        "type_identifier",
        "field_identifier",
        "package_identifier",
        "property_identifier",
    }
)
_DOTTED_NODES = {
    "attribute": "attribute",
    "selector_expression": "field",
    "qualified_type": "name",
    "member_expression": "property",
}
_FENCES = {
    "go": "go",
    "sql": "sql",
    "javascript": "javascript",
    "typescript": "typescript",
    "typescriptreact": "tsx",
    "prisma": "prisma",
}


def name_at(source: bytes, root: Node, offset: int) -> str | None:
    """The identifier (``x`` or ``mod.x`` up to the cursor's part) at byte ``offset``."""
    node = root.descendant_for_byte_range(offset, offset)
    if (node is None or node.type not in _NAMES) and offset > 0:
        node = root.descendant_for_byte_range(offset - 1, offset - 1)  # cursor after a word
    if node is None or node.type not in _NAMES:
        return None
    parent = node.parent
    if parent is not None and parent.type in _DOTTED_NODES:
        attribute = parent.child_by_field_name(_DOTTED_NODES[parent.type])
        if attribute is not None and attribute.id == node.id:
            node = parent
    text = source[node.start_byte : node.end_byte].decode("utf-8", "replace")
    if text.startswith("this."):  # JS/TS: the index names members by their class
        owner = _enclosing_class(source, node)
        text = f"{owner}{text[4:]}" if owner else text
    return text if _DOTTED.fullmatch(text) else None


def _enclosing_class(source: bytes, node: Node) -> str | None:
    current = node.parent
    while current is not None:
        if current.type in ("class_declaration", "abstract_class_declaration", "class"):
            name = current.child_by_field_name("name")
            return source[name.start_byte : name.end_byte].decode() if name is not None else None
        current = current.parent
    return None


def describe(snapshot: IndexSnapshot, path: Path, name: str) -> str | None:
    """Markdown for ``name`` as file ``path`` sees it, or None when the index adds nothing."""
    try:
        rel = path.resolve().relative_to(snapshot.root).as_posix()
    except (ValueError, OSError):
        return None
    target = snapshot.view.resolver.lookup(rel, name)
    if target is None:
        return None
    symbol = target.symbol
    if symbol is None:
        return f"module `{target.path}`" if target.path != rel else None
    routes = _routes_of(snapshot, target, symbol)
    table = _table_of(snapshot, target, symbol)
    if target.path == rel and not routes and table is None:
        return None  # same-file code without backend facts: the user's LSP covers it
    lines = [f"**{symbol.kind}** `{symbol.qualname}` in `{target.path}:{symbol.start_line}`"]
    for route in routes:
        deps = ", ".join(f"`{d}`" for d in route.dependency_names)
        after = f", depends on {deps}" if deps else ""
        lines.append(f"- route `{route.method} {route.path}`{after}")
    if table is not None:
        users = sum(1 for r in snapshot.routes if any(m == symbol.name for m, _, _ in r.models))
        latest = snapshot.view.latest_migration(table)
        where = f" (migration `{latest}`)" if latest else ""
        used = f"; used by {users} route{'s' if users != 1 else ''}" if users else ""
        lines.append(f"- table `{table}`{where}{used}")
    if target.path != rel:
        outline = symbol.outline.splitlines()
        if len(outline) > _MAX_OUTLINE_LINES:
            outline = [*outline[:_MAX_OUTLINE_LINES], "    ..."]
        fence = "```"
        facts = snapshot.view.resolver.files.get(target.path)
        language = _FENCES.get(facts.language, "python") if facts is not None else "python"
        lines += ["", f"{fence}{language}", *outline, fence]
    return "\n".join(lines)


def _routes_of(snapshot: IndexSnapshot, target: Target, symbol: Symbol) -> list[ResolvedRoute]:
    names = {symbol.qualname} | ({symbol.parent} if symbol.parent else set())
    found: list[ResolvedRoute] = []
    for route in snapshot.routes:
        handler = route.handler
        if (
            handler is not None
            and handler.symbol is not None
            and handler.path == target.path
            and handler.symbol.qualname in names
        ):
            found.append(route)
    return found


def _table_of(snapshot: IndexSnapshot, target: Target, symbol: Symbol) -> str | None:
    if symbol.kind not in TYPE_KINDS:
        return None
    return snapshot.view.resolver.tables_in(target.path).get(symbol.name)
