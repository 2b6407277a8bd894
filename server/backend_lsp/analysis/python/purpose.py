"""What a value is for, read from where it goes: the names around a call.

Rules that flag a primitive only when it guards a secret (``random`` for a reset token,
MD5 for a signature) ask for the names of where the call's value lands: the assigned
target (``user.reset_token = ...``), the keyword it is passed as (``password=...``), the
dict key it is stored under, and the enclosing function when the value is what it returns
(``def generate_otp(): return random.randint(...)``).
"""

from __future__ import annotations

from tree_sitter import Node

from backend_lsp.analysis.python.nodes import function_name, node_text, string_value, walk

_STOP = ("function_definition", "class_definition", "module", "lambda")


def destination_names(source: bytes, call: Node) -> list[str]:
    """Names of where the value of ``call`` ends up, nearest first."""
    names: list[str] = []
    node = call
    assigned: str | None = None
    returned = False
    while node.parent is not None and node.parent.type not in _STOP:
        parent = node.parent
        if parent.type == "keyword_argument" and node == parent.child_by_field_name("value"):
            names.append(node_text(source, parent.child_by_field_name("name")))
        elif parent.type == "pair" and node == parent.child_by_field_name("value"):
            key = parent.child_by_field_name("key")
            if key is not None:
                names.append(string_value(source, key) or node_text(source, key))
        elif parent.type in ("assignment", "augmented_assignment") and node == (
            parent.child_by_field_name("right")
        ):
            assigned = node_text(source, parent.child_by_field_name("left"))
            names.append(assigned)
        elif parent.type == "return_statement":
            returned = True
        elif parent.type == "call" and node != parent.child_by_field_name("function"):
            cookie = _cookie_name(source, parent)
            if cookie is not None:
                names.append(cookie)
            if not _preserving(source, parent):
                break  # ``signer.sign(digest)``: what lands further on is another value
        if parent.type in ("expression_statement", "return_statement", "block"):
            break
        node = parent
    function = _enclosing_function(call)
    if function is not None and (returned or _returns(source, function, assigned)):
        names.append(function_name(source, function))
    if function is not None and assigned is not None and assigned.isidentifier():
        names += _copied_into(source, function, assigned)
    return names


def _copied_into(source: bytes, function: Node, name: str) -> list[str]:
    """One hop: ``code = random...; user.otp_code = str(code)`` lands in ``user.otp_code``."""
    found: list[str] = []
    for node in walk(function):
        if node.type == "assignment":
            target, value = node.child_by_field_name("left"), node.child_by_field_name("right")
        elif node.type == "keyword_argument":
            target, value = node.child_by_field_name("name"), node.child_by_field_name("value")
        else:
            continue
        if target is None or value is None or node_text(source, target) == name:
            continue
        if any(n.type == "identifier" and node_text(source, n) == name for n in walk(value)):
            found.append(node_text(source, target))
    return found


# Calls whose result is still the same value, re-encoded (``"".join(...)``, ``str(code)``).
_PRESERVING = frozenset(
    {"join", "str", "format", "encode", "decode", "lower", "upper", "strip", "bytes", "int",
     "hex", "hexdigest", "digest", "b64encode", "urlsafe_b64encode", "b32encode", "zfill",
     "list", "tuple"}
)  # fmt: skip


def _preserving(source: bytes, call: Node) -> bool:
    function = call.child_by_field_name("function")
    name = node_text(source, function).rsplit(".", 1)[-1]
    return name in _PRESERVING or node_text(source, function).endswith("set_cookie")


def _cookie_name(source: bytes, call: Node) -> str | None:
    """``resp.set_cookie("session", value)``: the value is that cookie."""
    function = call.child_by_field_name("function")
    if function is None or not node_text(source, function).endswith("set_cookie"):
        return None
    args = call.child_by_field_name("arguments")
    first = args.named_children[0] if args is not None and args.named_children else None
    return (string_value(source, first) or node_text(source, first)) if first else None


def _enclosing_function(node: Node) -> Node | None:
    parent = node.parent
    while parent is not None:
        if parent.type == "function_definition":
            return parent
        if parent.type in ("class_definition", "lambda"):
            return None
        parent = parent.parent
    return None


def _returns(source: bytes, function: Node, name: str | None) -> bool:
    """Does ``function`` return the variable ``name`` itself (``return code``,
    ``return str(code)``, ``return code, expiry``) rather than something computed from it?"""
    if not name or not name.isidentifier():
        return False
    for node in walk(function):
        if node.type != "return_statement" or not node.named_children:
            continue
        value = node.named_children[0]
        items = value.named_children if value.type in ("tuple", "expression_list") else [value]
        for item in items:
            while item.type == "call" and _preserving(source, item):
                args = item.child_by_field_name("arguments")
                if args is None or len(args.named_children) != 1:
                    break
                item = args.named_children[0]
            if item.type == "identifier" and node_text(source, item) == name:
                return True
    return False
