"""What a module imports, and the edit that adds a missing import.

Rules resolve callees through the imports (``from yaml import load as l``
makes ``l(...)`` a ``yaml.load`` call), and fixes that introduce ``os`` or
``logging`` must add the import or the fixed file no longer runs.
"""

from __future__ import annotations

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


def _collect_aliases(source: bytes, root: Node) -> dict[str, str]:
    aliases: dict[str, str] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "import_statement":
            for child in node.named_children:
                _bind(source, child, "", aliases)
        elif node.type == "import_from_statement":
            module = node.child_by_field_name("module_name")
            if module is None or module.type == "relative_import":
                continue
            prefix = node_text(source, module)
            for child in node.children_by_field_name("name"):
                _bind(source, child, prefix, aliases)
        elif node.type in (
            "module",
            "block",
            "if_statement",
            "try_statement",
            "else_clause",
            "except_clause",
            "finally_clause",
            "function_definition",
            "class_definition",
            "decorated_definition",
            "with_statement",
        ):
            stack.extend(reversed(node.named_children))
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


def _bind(source: bytes, child: Node, prefix: str, aliases: dict[str, str]) -> None:
    if child.type == "aliased_import":
        original = node_text(source, child.child_by_field_name("name"))
        local = node_text(source, child.child_by_field_name("alias"))
        aliases[local] = f"{prefix}.{original}" if prefix else original
    elif child.type == "dotted_name":
        text = node_text(source, child)
        if prefix:
            aliases[text] = f"{prefix}.{text}"
        else:
            head = text.split(".", 1)[0]
            aliases.setdefault(head, head)


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
