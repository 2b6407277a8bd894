"""Edits that keep Python syntax valid: dropping an argument with its comma."""

from __future__ import annotations

from tree_sitter import Node

from backend_lsp.analysis.model import Edit


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
