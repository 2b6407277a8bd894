"""Edits that keep Python syntax valid: dropping or adding an argument with its comma."""

from __future__ import annotations

from tree_sitter import Node

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.model import Edit
from backend_lsp.analysis.python.nodes import call_arguments


def remove_argument(argument: Node) -> Edit:
    """Delete one argument of a call together with the comma that separates it.

    ``f(a, verify=False)`` -> ``f(a)``; ``f(verify=False, b=1)`` -> ``f(b=1)``;
    ``f(verify=False)`` -> ``f()``.
    """
    previous = argument.prev_sibling
    following = argument.next_sibling
    if previous is not None and previous.type == ",":
        before = previous.prev_sibling
        start = before.end_byte if before is not None else previous.start_byte
        end = argument.end_byte
        if following is not None and following.type == ",":
            end = following.start_byte  # keep a trailing comma the author put there
        return Edit(start, end, "")
    if following is not None and following.type == ",":
        after = following.next_sibling
        end = after.start_byte if after is not None and after.type != ")" else following.end_byte
        return Edit(argument.start_byte, end, "")
    return Edit(argument.start_byte, argument.end_byte, "")


def insert_keyword(ctx: AnalysisContext, call: Node, keyword: str) -> Edit | None:
    """Edit adding ``keyword`` as the last argument, respecting trailing commas and layout."""
    args = call.child_by_field_name("arguments")
    if args is None or args.type != "argument_list":
        return None  # ``f(x for x in y)``: a bare generator argument cannot take more
    items = call_arguments(call)
    close = args.children[-1] if args.children else None
    if close is None or close.type != ")":
        return None
    if not items:
        return Edit(close.start_byte, close.start_byte, keyword)
    last = items[-1]
    trailing = [c for c in args.children if c.type == "," and c.start_byte >= last.end_byte]
    multiline = last.start_point[0] != args.start_point[0] and (
        close.start_point[0] != last.end_point[0]
    )
    if multiline:
        indent = ctx.line_indent(last)
        if trailing:
            comma = trailing[0]
            return Edit(comma.end_byte, comma.end_byte, f"\n{indent}{keyword},")
        return Edit(last.end_byte, last.end_byte, f",\n{indent}{keyword}")
    if trailing:
        comma = trailing[0]
        return Edit(comma.end_byte, comma.end_byte, f" {keyword}")
    return Edit(last.end_byte, last.end_byte, f", {keyword}")
