"""Suppression comments: ``# noqa``, ``# backend-lsp: ignore[...]`` and ``skip-file``.

Directives count only inside real comments (tree-sitter comment nodes), so a
``"# noqa"`` in a string or docstring never silences anything. A directive
applies to the lines its finding starts and ends on. Codes in a directive
that silenced nothing are reported as BE100 (unused-noqa) when that code is
selected, like ruff's RUF100; codes of other tools (``E501``, ``S101``) are
theirs and left alone, and a bare ``# noqa`` is shared with other linters,
so it is never reported. With ``foreign_suppressions`` on, a line silenced for
the same problem under another tool's code (``# noqa: S105``, Bandit's
``# nosec`` / ``# nosec B608``) stays silent here too (``foreign_codes``). Off by
default: a blanket ``# noqa: S301`` written to quiet another linter is not a
review of this finding (``ruff --add-noqa`` writes them by the thousand), and a
bare ``# nosec`` names no check. A ``# nosec B105`` naming the Bandit check is
honoured by default (``honour_nosec_codes``): Bandit never writes one itself, so
someone reviewed that line for that very problem.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from tree_sitter import Node

from backend_lsp.analysis.foreign_codes import BANDIT_COVERED, NOQA_EQUIVALENTS, NOSEC_EQUIVALENTS
from backend_lsp.analysis.model import Edit, Finding, Fix, RuleMeta, Severity
from backend_lsp.text import LineIndex

UNUSED_NOQA = RuleMeta(
    code="BE100",
    name="unused-noqa",
    severity=Severity.WARNING,
    summary="A suppression comment names a backend-lsp code that silenced nothing.",
    doc_url="https://pypi.org/project/backend-lsp/#be100",
)

OWN_PREFIX = "BE"
_CODE = r"[A-Z]+[0-9]+"
_CODES = rf"{_CODE}(?:\s*,\s*{_CODE}|\s+{_CODE}(?![a-z]))*"
# Cheap gate: most files hold no directive, and then no tree is walked.
# Words that start a directive (any case). Found with ``bytes.find`` on the lowered
# source: a case-insensitive regex search of a 5,000-line file took ~20 ms per edit.
_GATE_WORDS = (b"noqa", b"nosec", b"backend-lsp")
_NOQA = re.compile(
    rf"(?P<marker>#|//|--)\s*noqa(?::\s*(?P<codes>{_CODES}))?(?P<colon>:)?", re.IGNORECASE
)
_IGNORE = re.compile(rf"backend-lsp\s*:\s*ignore(?:\[\s*(?P<codes>{_CODES})?\s*\])?")
# Bandit: ``# nosec`` (every Bandit check on the line) or ``# nosec B105, B106``.
_NOSEC = re.compile(r"#\s*nosec\b(?::?[ \t]*(?P<codes>B[0-9]+(?:[ \t]*,?[ \t]*B[0-9]+)*))?")
_SKIP_FILE = re.compile(r"backend-lsp\s*:\s*skip-file\b")
_SPLIT = re.compile(r"[\s,]+")


@dataclass(frozen=True, slots=True)
class Directive:
    """One suppression comment; ``codes`` empty means every code on the line."""

    kind: Literal["noqa", "ignore", "nosec"]
    line: int  # 0-based
    start: int  # bytes of the directive text inside the comment
    end: int
    codes: tuple[str, ...]
    at_comment_end: bool  # nothing but whitespace follows it on the line

    # backend-lsp codes for the same problems as the other tool's codes named here
    also: frozenset[str] = frozenset()

    def covers(self, code: str) -> bool:
        if self.kind == "nosec":
            return code in self.also
        return not self.codes or code in self.codes or code in self.also


def _equivalents(kind: str, codes: tuple[str, ...]) -> frozenset[str]:
    if kind == "nosec":
        if not codes:
            return BANDIT_COVERED
        return frozenset(NOSEC_EQUIVALENTS[c] for c in codes if c in NOSEC_EQUIVALENTS)
    if kind == "noqa":
        return frozenset(NOQA_EQUIVALENTS[c] for c in codes if c in NOQA_EQUIVALENTS)
    return frozenset()


@dataclass(frozen=True, slots=True)
class Suppressions:
    skip_file: bool = False
    directives: tuple[Directive, ...] = ()


NONE = Suppressions()


def _comment_at(root: Node, offset: int) -> Node | None:
    node: Node | None = root.descendant_for_byte_range(offset, offset + 1)
    while node is not None and "comment" not in node.type:
        if node.type in {"string", "string_content", "template_string", "interpreted_string"}:
            return None
        node = node.parent
    return node


def _codes(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    return tuple(part.upper() for part in _SPLIT.split(text.strip()) if part)


def _directives_in(
    comment: Node, index: LineIndex, foreign: bool, nosec_codes: bool
) -> Iterable[Directive | Literal["skip"]]:
    raw = comment.text or b""
    text = raw.decode("utf-8", "replace")
    base = comment.start_byte

    def offset(char_index: int) -> int:
        return base + len(text[:char_index].encode("utf-8"))

    def located(kind: Literal["noqa", "ignore", "nosec"], match: re.Match[str]) -> Directive:
        start, end = offset(match.start()), offset(match.end())
        line = index.line_of(start)
        tail = index.source[end : index.line_end(line)]
        codes = _codes(match["codes"])
        reviewed = kind == "nosec" and nosec_codes and bool(codes)  # ``# nosec B105``
        also = _equivalents(kind, codes) if foreign or reviewed else frozenset()
        return Directive(kind, line, start, end, codes, not tail.strip(), also)

    if _SKIP_FILE.search(text):
        yield "skip"
    for match in _NOQA.finditer(text):
        if match["colon"] and not match["codes"]:
            continue  # a noqa colon naming no code is ambiguous: it silences nothing (as in ruff)
        yield located("noqa", match)
    for match in _IGNORE.finditer(text):
        yield located("ignore", match)
    for match in _NOSEC.finditer(text) if foreign or nosec_codes else ():
        if foreign or match["codes"]:
            yield located("nosec", match)


def scan(
    source: bytes,
    root: Node | None,
    index: LineIndex,
    *,
    foreign: bool = False,
    nosec_codes: bool = True,
) -> Suppressions:
    """Every directive in real comments of ``source``.

    ``foreign``: other tools' codes for the same problem count too (``foreign_codes``);
    ``nosec_codes``: a Bandit ``# nosec Bnnn`` naming its check counts even without it.
    """
    hits = _gate_hits(source) if root is not None else []
    if root is None or not hits:
        return NONE
    seen: set[int] = set()
    skip_file = False
    directives: list[Directive] = []
    for at in hits:
        comment = _comment_at(root, at)
        if comment is None or comment.start_byte in seen:
            continue
        seen.add(comment.start_byte)
        for item in _directives_in(comment, index, foreign, nosec_codes):
            if item == "skip":
                skip_file = True
            else:
                directives.append(item)
    return Suppressions(skip_file, tuple(directives))


def _gate_hits(source: bytes) -> list[int]:
    """Offsets, in order, where a directive word starts (the comment there is parsed)."""
    lowered = source.lower()
    hits: list[int] = []
    for word in _GATE_WORDS:
        at = lowered.find(word)
        while at != -1:
            hits.append(at)
            at = lowered.find(word, at + len(word))
    return sorted(hits)


# Simple statements: a directive on their last line covers a finding inside them,
# so ``)  # noqa: BE007`` after a call spread over lines works as in flake8.
_SIMPLE_STATEMENTS = frozenset(
    {
        "expression_statement",
        "return_statement",
        "assert_statement",
        "raise_statement",
        "delete_statement",
        "lexical_declaration",
        "variable_declaration",
        "short_var_declaration",
        "local_variable_declaration",
    }
)


def _statement_end_line(root: Node | None, finding: Finding, index: LineIndex) -> int | None:
    if root is None:
        return None
    node: Node | None = root.descendant_for_byte_range(finding.start, finding.start)
    while node is not None and node.type not in _SIMPLE_STATEMENTS:
        node = node.parent
    return None if node is None else index.line_of(max(node.start_byte, node.end_byte - 1))


def apply(
    findings: list[Finding],
    suppressions: Suppressions,
    index: LineIndex,
    root: Node | None,
    *,
    report_unused: bool,
    enabled: frozenset[str],
    known: frozenset[str],
) -> list[Finding]:
    """Findings left after the directives, plus BE100 findings when ``report_unused``."""
    if suppressions.skip_file:
        return []
    if not suppressions.directives:
        return findings
    by_line: dict[int, list[Directive]] = {}
    for directive in suppressions.directives:
        by_line.setdefault(directive.line, []).append(directive)
    used: set[tuple[int, str]] = set()
    kept: list[Finding] = []
    for finding in findings:
        lines = {index.line_of(finding.start), index.line_of(max(finding.start, finding.end - 1))}
        statement_end = _statement_end_line(root, finding, index)
        if statement_end is not None:
            lines.add(statement_end)
        hit = [d for line in lines for d in by_line.get(line, ()) if d.covers(finding.code)]
        for directive in hit:
            used.add((directive.start, finding.code))
        if not hit:
            kept.append(finding)
    if report_unused:
        kept.extend(_unused(suppressions.directives, used, enabled, known))
        kept.sort(key=lambda f: (f.start, f.code))
    return kept


def _unused(
    directives: Iterable[Directive],
    used: set[tuple[int, str]],
    enabled: frozenset[str],
    known: frozenset[str],
) -> Iterable[Finding]:
    for directive in directives:
        if directive.kind == "nosec":
            continue  # Bandit's comment: its codes are Bandit's to judge
        ours = [code for code in directive.codes if code.startswith(OWN_PREFIX)]
        stale = [code for code in ours if (directive.start, code) not in used]
        if not stale:
            continue
        reasons = []
        for code in stale:
            if code not in known:
                reasons.append(f"unknown code {code}")
            elif code not in enabled:
                reasons.append(f"{code} is not enabled")
            else:
                reasons.append(f"unused code {code}")
        yield Finding.at(
            UNUSED_NOQA,
            directive.start,
            directive.end,
            f"Suppression comment: {', '.join(reasons)}.",
            fix=_removal(directive, stale),
        )


def _removal(directive: Directive, stale: list[str]) -> Fix | None:
    """Drop the stale codes; drop the whole directive when nothing is left."""
    remaining = [code for code in directive.codes if code not in stale]
    if remaining:
        text = (
            f"# noqa: {', '.join(remaining)}"
            if directive.kind == "noqa"
            else f"backend-lsp: ignore[{', '.join(remaining)}]"
        )
        return Fix("Remove unused suppression codes", (Edit(directive.start, directive.end, text),))
    if directive.kind == "noqa" and directive.at_comment_end:
        return Fix("Remove unused suppression", (Edit(directive.start, directive.end, ""),))
    return None


# The line-comment marker each language's noqa comment is written with.
_COMMENT_MARKERS = {"python": "#", "sql": "--"}


def ignore_finding_edit(
    source: bytes, root: Node | None, index: LineIndex, finding: Finding, language_id: str
) -> Edit:
    """The edit behind "Ignore CODE on this line": a noqa comment ``apply`` will honour.

    It goes on the last line of the statement holding the finding (where a
    comment cannot land inside a multi-line string), else on the finding's line.
    """
    line = _statement_end_line(root, finding, index)
    if line is None:
        line = index.line_of(finding.start)
    marker = _COMMENT_MARKERS.get(language_id, "//")
    return noqa_edit(source, index, line, finding.code, marker)


def noqa_edit(
    source: bytes, index: LineIndex, line: int, code: str, comment_marker: str = "#"
) -> Edit:
    """The edit that silences ``code`` on ``line``: extend its noqa comment or add one.

    Used by the editor's "Ignore CODE on this line" quick fix.
    """
    start, end = index.line_start(line), index.line_end(line)
    text = source[start:end].decode("utf-8", "replace")
    matches = list(_NOQA.finditer(text))
    match = matches[-1] if matches else None
    if match is not None and match["codes"]:
        codes = list(_codes(match["codes"]))
        if code not in codes:
            codes.append(code)
        prefix = text[: match.start()].encode("utf-8")
        own = text[match.start() : match.end()].encode("utf-8")
        new = f"{match['marker']} noqa: {', '.join(codes)}"
        return Edit(start + len(prefix), start + len(prefix) + len(own), new)
    if match is not None:  # a bare noqa already silences everything
        return Edit(end, end, "")
    stripped = text.rstrip()
    at = start + len(stripped.encode("utf-8"))
    return Edit(at, end, f"{stripped and '  '}{comment_marker} noqa: {code}")
