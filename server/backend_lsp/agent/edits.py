"""The anchored edit protocol: the model's search/replace hunks -> byte-offset edits.

The model never sends line numbers (they go stale and models miscount); it
quotes the text to change. Each hunk is matched against the live text, first
exactly, then line-wise ignoring indentation and trailing spaces (models often
re-indent a snippet they quote), and the match must be unique. Hunks are all
anchored in the same text and must not overlap. Any failure raises
``EditError`` naming the hunk, so a caller never applies half an answer.
"""

from __future__ import annotations

import difflib
import itertools
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Protocol

from tree_sitter import Node, Parser

from backend_lsp.analysis.model import Edit
from backend_lsp.syntax.languages import get_language

_MAX_SYNTAX_MESSAGES = 10
_PREVIEW_CHARS = 60


class EditError(Exception):
    """A hunk could not be applied; nothing was applied."""


class HunkLike(Protocol):
    """Anything with the two strings of an anchored hunk (the agent's own types fit)."""

    @property
    def search(self) -> str: ...

    @property
    def replace(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Hunk:
    """One anchored replacement: ``search`` quotes live text, ``replace`` is its new text."""

    search: str
    replace: str

    @classmethod
    def from_mapping(cls, value: Mapping[str, object]) -> Hunk:
        search, replace = value.get("search"), value.get("replace")
        if not isinstance(search, str) or not isinstance(replace, str):
            raise EditError("a hunk needs string fields 'search' and 'replace'")
        return cls(search, replace)


HunkInput = HunkLike | Mapping[str, object]


@dataclass(frozen=True, slots=True)
class _Span:
    """A resolved hunk: replace characters [start, end) of the text with ``text``."""

    number: int
    start: int
    end: int
    text: str


def _as_hunk(value: HunkInput) -> HunkLike:
    if isinstance(value, Mapping):
        return Hunk.from_mapping(value)
    return value


def _preview(search: str) -> str:
    first = next((line.strip() for line in search.splitlines() if line.strip()), "")
    if len(first) > _PREVIEW_CHARS:
        first = first[: _PREVIEW_CHARS - 1] + "…"
    return repr(first)


def _label(number: int, hunk: HunkLike) -> str:
    return f"hunk {number} (search starting {_preview(hunk.search)})"


def _newline_of(text: str) -> str:
    """The document's line break: CRLF when most of its breaks are CRLF."""
    crlf = text.count("\r\n")
    return "\r\n" if crlf and crlf * 2 >= text.count("\n") else "\n"


def _with_newline(text: str, newline: str) -> str:
    normalised = text.replace("\r\n", "\n")
    return normalised if newline == "\n" else normalised.replace("\n", newline)


def _line_number(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _exact_matches(text: str, needle: str) -> list[int]:
    """Up to two occurrences of ``needle``.

    A needle that starts with indentation must start a line: otherwise
    ``"    x"`` would match inside ``"        x"`` and the replacement would land
    with the wrong indentation (the tolerant matcher handles that case).
    """
    anchored = needle[:1] in (" ", "\t")
    found: list[int] = []
    position = text.find(needle)
    while position != -1 and len(found) < 2:
        if not anchored or position == 0 or text[position - 1] == "\n":
            found.append(position)
        position = text.find(needle, position + 1)
    return found


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _trim_blank(lines: list[str]) -> tuple[int, int]:
    """Counts of blank lines at the start and the end of ``lines``."""
    lead = 0
    while lead < len(lines) and not lines[lead].strip():
        lead += 1
    trail = 0
    while trail < len(lines) - lead and not lines[len(lines) - 1 - trail].strip():
        trail += 1
    return lead, trail


def _common_indent(lines: Iterable[str]) -> str:
    indents = [_indent(line) for line in lines if line.strip()]
    if not indents:
        return ""
    shortest = min(indents, key=len)
    while shortest and not all(i.startswith(shortest) for i in indents):
        shortest = shortest[:-1]
    return shortest


def _indent_ratio(model: list[str], live: list[str], model_base: str, live_base: str) -> Fraction:
    """Live indentation width per model indentation width (2-space vs 4-space, tabs).

    1 unless every indented line agrees on another ratio: a guess that is not
    consistent is not made.
    """
    ratios = set()
    for quoted, actual in zip(model, live, strict=True):
        if not quoted.strip():
            continue
        relative = len(_indent(quoted)) - len(model_base)
        if relative > 0:
            ratios.add(Fraction(len(_indent(actual)) - len(live_base), relative))
    if len(ratios) == 1:
        ratio = ratios.pop()
        if ratio > 0:
            return ratio
    return Fraction(1)


def _reindent(lines: list[str], old: str, new: str, ratio: Fraction, unit: str) -> list[str]:
    """Move ``lines`` from base indentation ``old`` to ``new``, keeping relative indents."""
    out: list[str] = []
    for line in lines:
        if not line.strip():
            out.append("")
            continue
        body = line.lstrip(" \t")
        if not line.startswith(old):
            out.append(new + body)
            continue
        extra = line[len(old) : len(line) - len(body)]
        scaled = len(extra) * ratio
        if ratio != 1 and scaled.denominator == 1:
            extra = unit * int(scaled)
        out.append(new + extra + body)
    return out


class _Lines:
    """The live text split into lines with their character offsets."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines(keepends=True)
        self.starts: list[int] = []
        offset = 0
        for line in self.lines:
            self.starts.append(offset)
            offset += len(line)
        self.stripped = [line.strip() for line in self.lines]

    def content_end(self, index: int) -> int:
        line = self.lines[index]
        return self.starts[index] + len(line.rstrip("\r\n"))

    def full_end(self, index: int) -> int:
        return self.starts[index] + len(self.lines[index])


def _tolerant_span(
    text: str, lines: _Lines, number: int, hunk: HunkLike, newline: str
) -> _Span | None:
    """Line-wise match ignoring indentation and trailing whitespace; None when absent."""
    search_lines = hunk.search.replace("\r\n", "\n").split("\n")
    replace_lines = hunk.replace.replace("\r\n", "\n").split("\n")
    s_lead, s_trail = _trim_blank(search_lines)
    r_lead, r_trail = _trim_blank(replace_lines)
    # Blank lines around both sides are context, not change: drop what they share.
    lead, trail = min(s_lead, r_lead), min(s_trail, r_trail)
    search_core = search_lines[s_lead : len(search_lines) - s_trail]
    replace_core = replace_lines[lead : len(replace_lines) - trail]
    if not search_core:
        return None
    wanted = [line.strip() for line in search_core]
    size = len(wanted)
    hits = [
        i
        for i in range(len(lines.lines) - size + 1)
        if lines.stripped[i] == wanted[0] and lines.stripped[i : i + size] == wanted
    ]
    if not hits:
        return None
    if len(hits) > 1:
        where = ", ".join(str(i + 1) for i in hits[:5])
        raise EditError(
            f"{_label(number, hunk)} is ambiguous: it matches at lines {where} "
            "(ignoring indentation); quote more surrounding lines"
        )
    first = hits[0]
    last = first + size - 1
    live_indent = _common_indent(lines.lines[first : last + 1])
    model_indent = _common_indent(search_core)
    matched = [line.rstrip("\r\n") for line in lines.lines[first : last + 1]]
    ratio = _indent_ratio(search_core, matched, model_indent, live_indent)
    unit = "\t" if any(_indent(line).endswith("\t") for line in matched) else " "
    new_lines = _reindent(replace_core, model_indent, live_indent, ratio, unit)
    start = lines.starts[first]
    if not any(line.strip() for line in new_lines):
        # Deleting whole lines: take their line breaks too, leave no blank husk.
        return _Span(number, start, lines.full_end(last), "")
    return _Span(number, start, lines.content_end(last), newline.join(new_lines))


def _resolve(text: str, lines: _Lines, number: int, hunk: HunkLike, newline: str) -> _Span:
    if not hunk.search.strip():
        raise EditError(
            f"hunk {number} has an empty search string; each hunk must quote existing text"
        )
    search = _with_newline(hunk.search, newline)
    replace = _with_newline(hunk.replace, newline)
    exact = _exact_matches(text, search)
    if len(exact) > 1:
        where = ", ".join(str(_line_number(text, p)) for p in exact)
        raise EditError(
            f"{_label(number, hunk)} is ambiguous: its text occurs more than once "
            f"(lines {where}); quote more surrounding lines"
        )
    if exact:
        start = exact[0]
        if not replace.strip() and search.endswith("\n"):
            # Deleting whole lines quoted without their indentation: take the
            # indentation too, or the next line would inherit it.
            line_start = text.rfind("\n", 0, start) + 1
            if not text[line_start:start].strip(" \t"):
                start = line_start
        return _Span(number, start, exact[0] + len(search), replace)
    span = _tolerant_span(text, lines, number, hunk, newline)
    if span is None:
        raise EditError(
            f"{_label(number, hunk)} was not found in the document, even ignoring "
            "indentation and trailing spaces"
        )
    return span


def _check_overlaps(text: str, spans: list[_Span]) -> None:
    ordered = sorted(spans, key=lambda s: (s.start, s.end))
    for before, after in itertools.pairwise(ordered):
        if after.start < before.end:
            first, second = sorted((before.number, after.number))
            raise EditError(
                f"hunks {first} and {second} overlap (around line "
                f"{_line_number(text, after.start)}); merge them into one hunk"
            )


def _to_bytes(text: str, spans: list[_Span]) -> list[Edit]:
    """Character spans -> byte-offset edits, in document order, without no-ops."""
    edits: list[Edit] = []
    cursor_char = 0
    cursor_byte = 0
    for span in sorted(spans, key=lambda s: s.start):
        cursor_byte += len(text[cursor_char : span.start].encode("utf-8", "surrogatepass"))
        start_byte = cursor_byte
        old = text[span.start : span.end]
        end_byte = start_byte + len(old.encode("utf-8", "surrogatepass"))
        cursor_char, cursor_byte = span.end, end_byte
        if old != span.text:
            edits.append(Edit(start_byte, end_byte, span.text))
    return edits


def match_hunks(text: str, hunks: Sequence[HunkInput]) -> list[Edit]:
    """Anchor every hunk in ``text``; all or nothing.

    Returns edits in byte offsets of ``text`` (UTF-8), sorted, non-overlapping,
    with the document's own line breaks in the new text.
    """
    if not hunks:
        raise EditError("the answer contains no edits")
    newline = _newline_of(text)
    lines = _Lines(text)
    spans = [
        _resolve(text, lines, number, _as_hunk(hunk), newline)
        for number, hunk in enumerate(hunks, start=1)
    ]
    _check_overlaps(text, spans)
    return _to_bytes(text, spans)


def plan_edits(original_text: str, live_text: str, hunks: Sequence[HunkInput]) -> list[Edit]:
    """Edits against ``live_text`` for hunks the model wrote against ``original_text``.

    When the user typed while the model was working, the hunks are re-anchored
    in the live text; if one no longer matches uniquely, the whole answer is
    refused rather than applied to the wrong place.
    """
    if original_text == live_text:
        return match_hunks(live_text, hunks)
    try:
        return match_hunks(live_text, hunks)
    except EditError as error:
        raise EditError(
            f"the document changed while the agent was working and the edit no longer "
            f"fits: {error}. Run the action again on the current text."
        ) from error


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Apply byte-offset edits (non-overlapping) to ``text``."""
    data = text.encode("utf-8", "surrogatepass")
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        if not 0 <= edit.start <= edit.end <= len(data):
            raise EditError(f"edit range {edit.start}-{edit.end} is outside the document")
        data = (
            data[: edit.start] + edit.new_text.encode("utf-8", "surrogatepass") + data[edit.end :]
        )
    return data.decode("utf-8", "surrogatepass")


def apply_hunks(text: str, hunks: Sequence[HunkInput]) -> str:
    """Convenience: the text after applying ``hunks`` (raises EditError, never partial)."""
    return apply_edits(text, match_hunks(text, hunks))


def _problems(language_id: str, text: str) -> list[tuple[int, str, str]]:
    """(line, key, description) of each syntax problem; the key ignores position."""
    language = get_language(language_id)
    if language is None:
        return []
    source = text.encode("utf-8", "surrogatepass")
    root = Parser(language).parse(source).root_node
    found: list[tuple[int, str, str]] = []
    stack: list[Node] = [root] if root.has_error else []
    while stack:
        node = stack.pop()
        line = node.start_point[0] + 1
        if node.is_missing:
            found.append((line, f"missing:{node.type}", f"missing {node.type!r}"))
        elif node.is_error:
            snippet = source[node.start_byte : node.end_byte].decode("utf-8", "replace").strip()
            first = snippet.splitlines()[0] if snippet else ""
            short = first[:40] + ("…" if len(first) > 40 else "")
            found.append((line, f"error:{snippet}", f"syntax error near {short!r}"))
        elif node.has_error:
            stack.extend(reversed(node.children))
    return found


def introduces_syntax_errors(language_id: str | None, before: str, after: str) -> list[str]:
    """Syntax problems in ``after`` that ``before`` did not have, with line numbers.

    Problems are compared by kind and text, not position, so an edit above an
    existing error does not make that error look new. Empty when the language
    has no grammar (nothing to check against).
    """
    if not language_id or get_language(language_id) is None:
        return []
    old = Counter(key for _, key, _ in _problems(language_id, before))
    messages: list[str] = []
    for line, key, description in _problems(language_id, after):
        if old[key] > 0:
            old[key] -= 1
            continue
        messages.append(f"line {line}: {description}")
        if len(messages) >= _MAX_SYNTAX_MESSAGES:
            break
    return messages


def unified_diff(path: str, before: str, after: str) -> str:
    """A git-style unified diff of one file (empty when nothing changed)."""
    if before == after:
        return ""
    old = before.splitlines(keepends=True)
    new = after.splitlines(keepends=True)
    out: list[str] = []
    for line in difflib.unified_diff(old, new, f"a/{path}", f"b/{path}"):
        if line.endswith("\n"):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)
