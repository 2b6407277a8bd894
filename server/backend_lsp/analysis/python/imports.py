"""What a module imports, and the edit that adds a missing import.

Rules resolve callees through the imports (``from yaml import load as l``
makes ``l(...)`` a ``yaml.load`` call), and fixes that introduce ``os`` or
``logging`` must add the import or the fixed file no longer runs.
"""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from backend_lsp.analysis.model import Edit
from backend_lsp.analysis.python.index import SourceMemo
from backend_lsp.analysis.python.nodes import node_text

_IMPORT_TYPES = ("import_statement", "import_from_statement", "future_import_statement")


# Rules ask for the aliases once per finding (fix builders, has_import); walking
# every statement each time made a file with many findings quadratic.
_MEMO: SourceMemo[dict[str, str]] = SourceMemo(regional=False)  # a tree walk, not the index


def import_aliases(source: bytes, root: Node) -> dict[str, str]:
    """Local name -> qualified name for every import in the module (any depth).

    ``import os.path`` binds ``os``; ``import numpy as np`` maps np -> numpy;
    ``from jwt import decode`` maps decode -> jwt.decode. Relative and star
    imports are skipped: they name nothing we can qualify. Memoised per
    document version; callers get their own copy.
    """
    return dict(_MEMO.get(source, root, lambda: _collect_aliases(source, root)))


def computed_aliases(source: bytes, root: Node) -> dict[str, str] | None:
    """The aliases if something already computed them for this version, else None."""
    return _MEMO.peek(source, root)


def carry_aliases(source: bytes, root: Node, aliases: dict[str, str]) -> None:
    """Record aliases known to be unchanged (incremental analysis: imports untouched)."""
    _MEMO.put(source, root, aliases)


@dataclass(frozen=True, slots=True)
class ImportBinding:
    """One name an import statement binds.

    ``import os.path`` binds ``os`` (target ``os``, module ``os.path``);
    ``import numpy as np`` binds ``np`` (target ``numpy``); ``from .models import
    Order as O`` binds ``O`` (module ``models``, name ``Order``, level 1).
    """

    local: str
    module: str  # the module as written, leading dots stripped ("" for ``from . import x``)
    name: str | None  # the imported name of a from-import ("*" for a star import)
    level: int  # leading dots of a relative import
    nested: bool  # inside a function or class body: not a module-level name
    statement: Node

    @property
    def target(self) -> str:
        """What the local name stands for, qualified (``jwt.decode``, ``numpy``, ``os``)."""
        if self.name is None:
            return self.module if self.local != self.module.split(".", 1)[0] else self.local
        return f"{self.module}.{self.name}" if self.module else self.name


def statement_imports(source: bytes, statement: Node, nested: bool = False) -> list[ImportBinding]:
    """The names one ``import`` / ``from ... import`` statement binds, in order."""
    found: list[ImportBinding] = []
    if statement.type == "import_statement":
        for child in statement.named_children:
            if child.type == "aliased_import":
                module = node_text(source, child.child_by_field_name("name"))
                local = node_text(source, child.child_by_field_name("alias"))
            elif child.type == "dotted_name":
                module = node_text(source, child)
                local = module.split(".", 1)[0]
            else:
                continue
            found.append(ImportBinding(local, module, None, 0, nested, statement))
    elif statement.type == "import_from_statement":
        module_node = statement.child_by_field_name("module_name")
        if module_node is None:
            return found
        written = node_text(source, module_node)
        module = written.lstrip(".")
        level = len(written) - len(module) if module_node.type == "relative_import" else 0
        names = statement.children_by_field_name("name")
        if not names and any(c.type == "wildcard_import" for c in statement.named_children):
            found.append(ImportBinding("*", module, "*", level, nested, statement))
        for child in names:
            if child.type == "aliased_import":
                name = node_text(source, child.child_by_field_name("name"))
                local = node_text(source, child.child_by_field_name("alias"))
            else:
                name = local = node_text(source, child)
            found.append(ImportBinding(local, module, name, level, nested, statement))
    return found


# Where import statements can sit: compound statements and their clauses, at any depth.
_IMPORT_HOLDERS = frozenset(
    {"module", "block", "if_statement", "elif_clause", "else_clause", "try_statement",
     "except_clause", "except_group_clause", "finally_clause", "with_statement",
     "for_statement", "while_statement", "match_statement", "case_clause",
     "function_definition", "class_definition", "decorated_definition"}
)  # fmt: skip
_BODIES = frozenset({"function_definition", "class_definition"})
_DEFINITIONS = frozenset({*_BODIES, "decorated_definition"})

_SCAN: SourceMemo[tuple[ImportBinding, ...]] = SourceMemo(regional=False)


def module_import_bindings(source: bytes, root: Node) -> tuple[ImportBinding, ...]:
    """Every name bound by an import anywhere in the module, in source order.

    The one import scanner: aliases, imported module names and the taint
    engine's module-level imports are all views of this list. A tree walk over
    statements (not the node index), so a partial incremental run sees every import.
    """
    return _SCAN.get(source, root, lambda: tuple(_scan(source, root)))


def module_level_bindings(source: bytes, root: Node) -> list[ImportBinding]:
    """The bindings of ``module_import_bindings`` that are not nested, without walking
    into function and class bodies (where every import is nested): a few top-level
    statements instead of the whole tree, for callers that want module names only."""
    tops = [c for c in reversed(root.named_children) if c.type not in _DEFINITIONS]
    return [b for b in _scan(source, root, tops) if not b.nested]


def _scan(source: bytes, root: Node, tops: list[Node] | None = None) -> list[ImportBinding]:
    found: list[ImportBinding] = []
    stack: list[tuple[Node, bool]] = (
        [(root, False)] if tops is None else [(node, False) for node in tops]
    )
    while stack:
        node, nested = stack.pop()
        if node.type in ("import_statement", "import_from_statement"):
            found.extend(statement_imports(source, node, nested))
        elif (
            node.type in _IMPORT_HOLDERS
            and source.find(b"import", node.start_byte, node.end_byte) != -1
        ):  # a body without the word holds no import statement: not walked
            inner = nested or node.type in _BODIES
            stack.extend((child, inner) for child in reversed(node.named_children))
    return found


def imported_modules(source: bytes, root: Node) -> set[str]:
    """Top-level module names imported anywhere in the file (``psycopg2``, ``sqlite3``...)."""
    modules = {b.module.split(".", 1)[0] for b in module_import_bindings(source, root)}
    modules.discard("")
    return modules


def names_importing(source: bytes, root: Node, package: str, name: str) -> set[str]:
    """Local names under which ``name`` from ``package`` (or a submodule) is bound:
    ``from sqlalchemy.sql import text as t`` gives ``t`` for ("sqlalchemy", "text")."""
    return {
        b.local
        for b in module_import_bindings(source, root)
        if b.level == 0 and b.name == name and b.module.startswith(package)
    }


def _collect_aliases(source: bytes, root: Node) -> dict[str, str]:
    aliases: dict[str, str] = {}
    for bound in module_import_bindings(source, root):
        if bound.level or bound.name == "*":
            continue
        if bound.name is None and bound.local == bound.module.split(".", 1)[0]:
            aliases.setdefault(bound.local, bound.local)  # ``import os.path`` keeps an alias
        else:
            aliases[bound.local] = bound.target
    return aliases


def qualified_name(dotted: str, aliases: dict[str, str]) -> str:
    """``dotted`` with its first segment expanded through ``aliases``."""
    head, _, rest = dotted.partition(".")
    target = aliases.get(head)
    if target is None:
        return dotted
    return f"{target}.{rest}" if rest else target


def has_import(source: bytes, root: Node, module: str, name: str | None = None) -> bool:
    """True when ``import module`` (or ``from module import name``) binds that name as is."""
    aliases = import_aliases(source, root)
    if name is None:
        head = module.split(".", 1)[0]
        return aliases.get(head) == head
    return aliases.get(name) == f"{module}.{name}"


def ensure_import(source: bytes, root: Node, module: str, name: str | None = None) -> Edit | None:
    """An edit adding ``import module`` / ``from module import name``; None if present.

    The new line goes after the last top-level import (or after the module
    docstring and leading comments when there is none), so the result stays
    valid and isort-shaped enough for a reviewer.
    """
    if has_import(source, root, module, name):
        return None
    statement = f"import {module}" if name is None else f"from {module} import {name}"
    anchor = _insertion_anchor(root)
    if anchor is None:
        return Edit(0, 0, statement + "\n")
    end = anchor.end_byte
    newline = source.find(b"\n", end)
    if newline < 0:
        return Edit(len(source), len(source), "\n" + statement + "\n")
    return Edit(newline + 1, newline + 1, statement + "\n")


def _insertion_anchor(root: Node) -> Node | None:
    """The node after which an import line belongs."""
    last_import: Node | None = None
    preamble: Node | None = None
    seen_code = False
    for child in root.named_children:
        if child.type in _IMPORT_TYPES:
            last_import = child
        elif child.type == "comment":
            continue  # shebang, licence header, comments between imports
        elif not seen_code and _is_docstring(child):
            preamble = child
        elif child.type in ("if_statement", "try_statement") and last_import is not None:
            continue  # ``if TYPE_CHECKING:`` / ``try: import ujson`` between imports
        else:
            break
        seen_code = True
    if last_import is not None:
        return last_import
    if preamble is not None:
        return preamble
    leading = None
    for child in root.named_children:
        if child.type != "comment":
            break
        leading = child
    return leading


def _is_docstring(node: Node) -> bool:
    return (
        node.type == "expression_statement"
        and node.named_child_count == 1
        and node.named_children[0].type in ("string", "concatenated_string")
    )
