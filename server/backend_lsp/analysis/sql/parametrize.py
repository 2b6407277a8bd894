"""Rewrite an interpolated query into a parametrized one (the BE001 quick fix).

Every check here exists to refuse: a wrong "fix" for SQL injection is worse
than none, so any doubt (unknown driver, existing parameters, odd quoting,
values used elsewhere) returns None.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from backend_lsp.analysis.model import Edit, Fix
from backend_lsp.analysis.python.nodes import enclosing_scope, node_text, walk
from backend_lsp.analysis.python.sql_strings import (
    CONCAT,
    FORMAT,
    FSTRING,
    HOLE,
    PERCENT,
    Hole,
    Piece,
    SqlCall,
)
from backend_lsp.analysis.sql.placeholders import DOLLAR, NAMED, QMARK, scan_sql
from backend_lsp.analysis.sql.placeholders import FORMAT as FORMAT_STYLE

VALUE = "value"
IDENTIFIER = "identifier"
FRAGMENT = "fragment"

_VALUE_WORDS = {
    "like",
    "ilike",
    "in",
    "is",
    "between",
    "and",
    "limit",
    "offset",
    "then",
    "else",
    "when",
    "values",
    "not",
    "or",
    "by_value",
}
_IDENTIFIER_WORDS = {
    "from",
    "join",
    "into",
    "update",
    "table",
    "by",
    "select",
    "distinct",
    "as",
    "exists",
}
_SIMPLE = {"identifier", "attribute", "subscript", "call", "integer", "float", "string"}
_DRIVERS_FORMAT = {
    "psycopg2",
    "psycopg",
    "pymysql",
    "MySQLdb",
    "mysql",
    "aiomysql",
    "django",
    "pgdb",
    "pg8000",
}
_DRIVERS_QMARK = {"sqlite3", "aiosqlite", "pyodbc"}
_TAIL_WORD = re.compile(r"([A-Za-z_]+)\s*$")


def hole_position(template: str, index: int) -> str:
    """What the ``index``-th hole of a template stands for: a value, an identifier, a clause."""
    position = _nth(template, index)
    before = template[:position]
    if before.count("'") % 2 == 1:
        return VALUE
    stripped = before.rstrip()
    if not stripped:
        return FRAGMENT
    last = stripped[-1]
    if last in "=<>":
        return VALUE
    if last == ".":
        return IDENTIFIER
    if last in "(,":
        opener = _open_paren_word(stripped)
        if opener in ("in", "values"):
            return VALUE
        return IDENTIFIER if opener in ("select", "") and last == "," else FRAGMENT
    word_match = _TAIL_WORD.search(stripped)
    word = word_match.group(1).lower() if word_match else ""
    if word in _VALUE_WORDS:
        return VALUE
    if word in _IDENTIFIER_WORDS:
        return IDENTIFIER
    return FRAGMENT


def _nth(template: str, index: int) -> int:
    position = -1
    for _ in range(index + 1):
        position = template.index(HOLE, position + 1)
    return position


def _open_paren_word(text: str) -> str:
    """The word before the innermost unclosed '(' (or 'select' at top level)."""
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        ch = text[i]
        if ch == ")":
            depth += 1
        elif ch == "(":
            if depth == 0:
                match = _TAIL_WORD.search(text[:i])
                return match.group(1).lower() if match else ""
            depth -= 1
    return "select" if re.search(r"\bselect\b", text, re.I) else ""


def paramstyle_for(call: SqlCall, imports: set[str]) -> str | None:
    """The driver's placeholder style, or None when we cannot be sure."""
    if call.api == "sqlalchemy":
        return NAMED
    if call.api == "asyncpg" or (call.method == "execute" and "asyncpg" in imports):
        return DOLLAR if "asyncpg" in imports or call.api == "asyncpg" else None
    if call.api == "django_raw":
        return FORMAT_STYLE
    if call.api != "dbapi" or call.method not in ("execute", "query"):
        return None
    formats = imports & _DRIVERS_FORMAT
    qmarks = imports & _DRIVERS_QMARK
    if formats and not qmarks:
        return FORMAT_STYLE
    if qmarks and not formats:
        return QMARK
    return None


def parametrize(source: bytes, call: SqlCall, style: str) -> Fix | None:
    """A Fix turning the interpolations of ``call`` into parameters, or None."""
    built = call.sql
    holes = built.holes
    if built.how not in (FSTRING, PERCENT, FORMAT, CONCAT) or not holes:
        return None
    if (
        call.params is not None
        or call.extra_positional
        or (call.method != "text" and (call.method in ("executemany", "executescript", "extra")))
    ):
        return None
    if call.method == "text" or any(h.safe or h.expr is None for h in holes):
        return None
    if any(h.expr is not None and h.expr.type not in _SIMPLE for h in holes):
        return None
    template = built.template
    if scan_sql(template.replace(HOLE, "x")).placeholders:
        return None  # already partly parametrized: mixing styles would be guesswork
    if any(hole_position(template, i) != VALUE for i in range(len(holes))):
        return None
    quoted = [_quoted(template, i) for i in range(len(holes))]
    if any(q is None for q in quoted):
        return None
    if built.assignment is not None and not _single_use(source, built.assignment, call.call):
        return None
    names = _param_names(source, holes) if style == NAMED else []
    marks = [_mark(style, i, names) for i in range(len(holes))]
    new_sql = _rewrite(source, call, [bool(q) for q in quoted], marks, style)
    if new_sql is None:
        return None
    values = [node_text(source, h.expr) for h in holes]
    anchor = call.text_call if call.text_call is not None and call.method != "text" else None
    after = anchor if anchor is not None else call.sql_arg
    params = _params_text(style, call, values, names)
    edits = [
        Edit(built.node.start_byte, built.node.end_byte, new_sql),
        Edit(after.end_byte, after.end_byte, params),
    ]
    edits.sort(key=lambda e: e.start)
    if edits[0].end > edits[1].start:
        return None
    return Fix(title=f"Pass {_listing(values)} as query parameters", edits=tuple(edits))


def _quoted(template: str, index: int) -> bool | None:
    """True: hole is exactly inside '...'; False: bare; None: part of a longer literal."""
    position = _nth(template, index)
    before = template[:position]
    if before.count("'") % 2 == 0:
        return False
    after = template[position + 1 :]
    if before.endswith("'") and after.startswith("'"):
        return True
    return None


def _single_use(source: bytes, assignment: Node, call: Node) -> bool:
    left = assignment.child_by_field_name("left")
    if left is None:
        return False
    name = node_text(source, left)
    scope = enclosing_scope(call)
    uses = sum(1 for n in walk(scope) if n.type == "identifier" and node_text(source, n) == name)
    return uses == 2


def _param_names(source: bytes, holes: tuple[Hole, ...]) -> list[str]:
    names: list[str] = []
    seen: dict[str, str] = {}
    for i, hole in enumerate(holes):
        expr = hole.expr
        assert expr is not None
        text = node_text(source, expr)
        if text in seen:
            names.append(seen[text])
            continue
        base = f"p{i + 1}"
        if expr.type == "identifier":
            base = text
        elif expr.type == "attribute":
            base = node_text(source, expr.child_by_field_name("attribute"))
        elif expr.type == "subscript":
            key = expr.child_by_field_name("subscript")
            key_text = node_text(source, key).strip("'\"") if key is not None else ""
            if key is not None and key.type == "string" and key_text.isidentifier():
                base = key_text
        name = base
        suffix = 2
        while name in seen.values():
            name = f"{base}_{suffix}"
            suffix += 1
        seen[text] = name
        names.append(name)
    return names


def _mark(style: str, index: int, names: list[str]) -> str:
    if style == QMARK:
        return "?"
    if style == DOLLAR:
        return f"${index + 1}"
    if style == NAMED:
        return f":{names[index]}"
    return "%s"


def _params_text(style: str, call: SqlCall, values: list[str], names: list[str]) -> str:
    if style == DOLLAR:
        return ", " + ", ".join(values)
    if style == NAMED:
        pairs: dict[str, str] = {}
        for name, value in zip(names, values, strict=True):
            pairs.setdefault(name, value)
        return ", {" + ", ".join(f'"{k}": {v}' for k, v in pairs.items()) + "}"
    if call.api == "django_raw":
        return ", [" + ", ".join(values) + "]"
    return ", (" + ", ".join(values) + (",)" if len(values) == 1 else ")")


def _rewrite(
    source: bytes, call: SqlCall, quoted: list[bool], marks: list[str], style: str
) -> str | None:
    built = call.sql
    if built.how == CONCAT:
        return _rewrite_concat(source, call, quoted, marks, style)
    node = built.node
    span = node
    if built.how == PERCENT:
        span = node.child_by_field_name("left") or node
    elif built.how == FORMAT:
        function = node.child_by_field_name("function")
        receiver = function.child_by_field_name("object") if function is not None else None
        if receiver is None:
            return None
        span = receiver
    edits: list[tuple[int, int, str]] = []
    for hole, is_quoted, mark in zip(built.holes, quoted, marks, strict=True):
        start, end = hole.start, hole.end
        if is_quoted:
            if source[start - 1 : start] != b"'" or source[end : end + 1] != b"'":
                return None
            start, end = start - 1, end + 1
        edits.append((start, end, mark))
    hole_ranges = [(h.start, h.end) for h in built.holes]
    strings = [span] if span.type == "string" else list(span.named_children)
    for item in strings:
        start_token = item.child(0)
        if start_token is None:
            return None
        prefix = node_text(source, start_token)
        if "f" in prefix.lower():
            cleaned = prefix.replace("f", "").replace("F", "")
            edits.append((start_token.start_byte, start_token.end_byte, cleaned))
        braces = built.how in (FSTRING, FORMAT)
        for child in item.named_children:
            if child.type != "string_content":
                continue
            text = node_text(source, child)
            for match in re.finditer(r"\{\{|\}\}|%%|%", text):
                at = child.start_byte + len(text[: match.start()].encode("utf-8"))
                if any(s <= at < e for s, e in hole_ranges):
                    continue
                token = match.group(0)
                if token in ("{{", "}}") and braces:
                    edits.append((at, at + 2, token[0]))
                elif token == "%%" and built.how == PERCENT and style != FORMAT_STYLE:
                    edits.append((at, at + 2, "%"))
                elif token == "%" and built.how != PERCENT and style == FORMAT_STYLE:
                    edits.append((at, at + 1, "%%"))
                elif token == "%%" and built.how != PERCENT and style == FORMAT_STYLE:
                    edits.append((at, at + 2, "%%%%"))
    return _apply(source, span.start_byte, span.end_byte, edits)


def _rewrite_concat(
    source: bytes, call: SqlCall, quoted: list[bool], marks: list[str], style: str
) -> str | None:
    pieces: list[str] = []
    delimiters: set[tuple[str, str]] = set()
    hole_index = 0
    parts = list(call.sql.parts)
    for position, part in enumerate(parts):
        if isinstance(part, Piece):
            start = node_text(source, part.string.child(0))
            end = node_text(source, part.string.child(part.string.child_count - 1))
            if "f" in start.lower():
                return None
            delimiters.add((start, end))
            text = part.text
            if style == FORMAT_STYLE:
                text = text.replace("%", "%%")
            nxt = parts[position + 1] if position + 1 < len(parts) else None
            prv = parts[position - 1] if position > 0 else None
            if isinstance(nxt, Hole) and quoted[hole_index]:
                text = text[:-1]
            if isinstance(prv, Hole) and quoted[hole_index - 1]:
                text = text[1:]
            pieces.append(text)
        else:
            pieces.append(marks[hole_index])
            hole_index += 1
    if len(delimiters) != 1:
        return None
    start, end = delimiters.pop()
    return start + "".join(pieces) + end


def _apply(source: bytes, start: int, end: int, edits: list[tuple[int, int, str]]) -> str | None:
    edits.sort()
    out: list[bytes] = []
    cursor = start
    for edit_start, edit_end, text in edits:
        if edit_start < cursor or edit_end > end:
            return None
        out.append(source[cursor:edit_start])
        out.append(text.encode("utf-8"))
        cursor = edit_end
    out.append(source[cursor:end])
    return b"".join(out).decode("utf-8", "replace")


def _listing(values: list[str]) -> str:
    unique = list(dict.fromkeys(values))
    shown = ", ".join(f"`{v}`" for v in unique[:3])
    return shown + (" ..." if len(unique) > 3 else "")
