"""Markdown fencing shared by the prompt and the CLI's context view (kept import-light)."""

from __future__ import annotations


def code_fence(text: str) -> str:
    """A backtick fence longer than any backtick run in ``text``, so code cannot close it."""
    longest = run = 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    return "`" * max(3, longest + 1)
