"""tsconfig's JSON dialect (JSON with comments and trailing commas), also read for
package.json: one reader for every JS project file."""

from __future__ import annotations

import json
import re

_TOKENS = re.compile(r'"(?:\\.|[^"\\])*"|//[^\n]*|/\*.*?\*/|[^"/]+|/', re.S)
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


def loose_json(text: str) -> object:
    """tsconfig's JSON dialect: comments and trailing commas allowed (None if still invalid)."""
    pieces: list[str] = []
    for token in _TOKENS.findall(text):
        if token.startswith(("//", "/*")):
            continue
        if token.startswith('"') or not pieces or pieces[-1].startswith('"'):
            pieces.append(token)
        else:
            pieces[-1] += token
    cleaned = "".join(p if p.startswith('"') else _TRAILING_COMMA.sub(r"\1", p) for p in pieces)
    try:
        return json.loads(cleaned)
    except ValueError:
        return None
