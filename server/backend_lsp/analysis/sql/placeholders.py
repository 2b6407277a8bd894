"""Quote-aware scanning of SQL text: placeholders and statement boundaries.

sqlglot cannot parse psycopg's ``%s``/``%(name)s``, so the text is normalised
to ``?``/``:name`` first. Every rewrite keeps the length unchanged, which
means character offsets reported by sqlglot are offsets in the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# PEP 249 names, plus "dollar" for PostgreSQL/asyncpg's $1.
QMARK = "qmark"
NUMERIC = "numeric"
NAMED = "named"
FORMAT = "format"
PYFORMAT = "pyformat"
DOLLAR = "dollar"

_PYFORMAT = re.compile(r"%\((\w+)\)s")
_NAMED = re.compile(r":([A-Za-z_]\w*)")
_NUMERIC = re.compile(r":(\d+)")
_DOLLAR = re.compile(r"\$(\d+)")
_DOLLAR_QUOTE = re.compile(r"\$(\w*)\$")


@dataclass(frozen=True, slots=True)
class Placeholder:
    start: int
    end: int
    style: str
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Scan:
    placeholders: tuple[Placeholder, ...]
    normalized: str  # same length as the input; parseable by sqlglot
    statements: tuple[tuple[int, int], ...]  # [start, end) of each ';'-separated statement


def scan_sql(sql: str) -> Scan:
    """One pass over ``sql`` outside strings/comments: placeholders and ';' splits."""
    out = list(sql)
    found: list[Placeholder] = []
    bounds: list[tuple[int, int]] = []
    stmt_start = 0
    i = 0
    n = len(sql)
    while i < n:
        ch = sql[i]
        if ch in ("'", '"', "`"):
            i = _skip_quoted(sql, i, ch)
            continue
        if ch == "-" and sql.startswith("--", i):
            newline = sql.find("\n", i)
            i = n if newline < 0 else newline
            continue
        if ch == "#" and i + 1 < n and sql[i + 1] in " \t":  # MySQL comment
            newline = sql.find("\n", i)
            i = n if newline < 0 else newline
            continue
        if ch == "/" and sql.startswith("/*", i):
            close = sql.find("*/", i + 2)
            i = n if close < 0 else close + 2
            continue
        if ch == ";":
            bounds.append((stmt_start, i))
            stmt_start = i + 1
            i += 1
            continue
        if ch == "?":
            found.append(Placeholder(i, i + 1, QMARK))
            i += 1
            continue
        if ch == "%":
            if sql.startswith("%s", i):
                found.append(Placeholder(i, i + 2, FORMAT))
                out[i : i + 2] = ["?", " "]
                i += 2
                continue
            match = _PYFORMAT.match(sql, i)
            if match:
                name = match.group(1)
                found.append(Placeholder(i, match.end(), PYFORMAT, name))
                replacement = (":" + name).ljust(match.end() - i)
                out[i : match.end()] = list(replacement)
                i = match.end()
                continue
            if sql.startswith("%%", i):
                out[i + 1] = " "
                i += 2
                continue
        if ch == ":" and (i == 0 or sql[i - 1] != ":") and not sql.startswith("::", i):
            match = _NAMED.match(sql, i) or _NUMERIC.match(sql, i)
            if match and not (i > 0 and (sql[i - 1].isalnum() or sql[i - 1] == "_")):
                style = NAMED if match.re is _NAMED else NUMERIC
                found.append(Placeholder(i, match.end(), style, match.group(1)))
                if style == NUMERIC:  # sqlglot reads ':1' only in some dialects
                    out[i : match.end()] = list("?".ljust(match.end() - i))
                i = match.end()
                continue
        if ch == "$":
            quote = _DOLLAR_QUOTE.match(sql, i)
            if quote:
                close = sql.find(quote.group(0), quote.end())
                i = n if close < 0 else close + len(quote.group(0))
                continue
            match = _DOLLAR.match(sql, i)
            if match:
                found.append(Placeholder(i, match.end(), DOLLAR, match.group(1)))
                i = match.end()
                continue
        i += 1
    if sql[stmt_start:].strip():
        bounds.append((stmt_start, n))
    statements = tuple((s, e) for s, e in bounds if sql[s:e].strip())
    return Scan(tuple(found), "".join(out), statements)


def _skip_quoted(sql: str, start: int, quote: str) -> int:
    """Index just past the closing quote (doubled quotes and backslashes escape)."""
    i = start + 1
    n = len(sql)
    while i < n:
        ch = sql[i]
        if ch == "\\" and quote != "`":
            i += 2
            continue
        if ch == quote:
            if i + 1 < n and sql[i + 1] == quote:
                i += 2
                continue
            return i + 1
        i += 1
    return n
