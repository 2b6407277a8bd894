"""What a file is, from its path and, where a framework fixes the shape, its content.

A folder name is only a convention: ckan keeps its Alembic revisions in
``ckan/migration/versions/``, other projects in ``db/revisions/``. A revision file
says what it is wherever it lives (module-level ``revision`` and ``down_revision``
with ``def upgrade()`` or an ``alembic`` import), and so does a Django migration
(``class Migration(migrations.Migration)``). ``file_kinds`` is the one answer the
analyzer's location treatments and the index's migration tables both use; paths
alone are ``paths.location_kinds``.
"""

from __future__ import annotations

from tree_sitter import Node

from backend_lsp.analysis.python.imports import module_level_bindings
from backend_lsp.analysis.python.nodes import module_bindings, node_text
from backend_lsp.analysis.python.paths import Location, location_kinds

_REVISION_NAMES = ("revision", "down_revision")
_MIGRATION_FUNCTIONS = frozenset({"upgrade", "downgrade"})
_DJANGO_BASES = frozenset({"migrations.Migration", "django.db.migrations.Migration"})


def _top_definitions(root: Node, kind: str) -> list[Node]:
    found: list[Node] = []
    for statement in root.named_children:
        if statement.type == "decorated_definition":
            statement = statement.child_by_field_name("definition") or statement
        if statement.type == kind:
            found.append(statement)
    return found


def is_alembic_revision(source: bytes, root: Node) -> bool:
    """Module-level ``revision`` and ``down_revision`` (Alembic's revision chain), and
    an ``upgrade``/``downgrade`` function or an ``alembic`` import beside them."""
    if b"down_revision" not in source:
        return False  # cheap gate: most modules are not revisions
    bound = module_bindings(source, root)
    if not all(name in bound for name in _REVISION_NAMES):
        return False
    functions = {
        node_text(source, f.child_by_field_name("name"))
        for f in _top_definitions(root, "function_definition")
    }
    if functions & _MIGRATION_FUNCTIONS:
        return True
    return any(b.module.split(".", 1)[0] == "alembic" for b in module_level_bindings(source, root))


def is_django_migration(source: bytes, root: Node) -> bool:
    """A module-level ``class Migration(migrations.Migration)``."""
    if b"Migration" not in source:
        return False
    for cls in _top_definitions(root, "class_definition"):
        if node_text(source, cls.child_by_field_name("name")) != "Migration":
            continue
        bases = cls.child_by_field_name("superclasses")
        names = [node_text(source, b) for b in bases.named_children] if bases is not None else []
        if any(name in _DJANGO_BASES for name in names):
            return True
    return False


def content_kinds(source: bytes, root: Node | None) -> frozenset[Location]:
    """The kinds a Python module's content proves, whatever its path."""
    if root is None or root.type != "module":  # not a Python tree
        return frozenset()
    if is_alembic_revision(source, root) or is_django_migration(source, root):
        return frozenset({Location.MIGRATIONS})
    return frozenset()


def file_kinds(path: str, source: bytes, root: Node | None) -> frozenset[Location]:
    """Every kind the file belongs to: its path's and its content's."""
    return location_kinds(path) | content_kinds(source, root)
