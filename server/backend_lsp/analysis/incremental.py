"""Incremental analysis: after an edit, re-run the rules only where findings can change.

A module is split into top-level chunks: each statement runs from its first
byte to the next statement's (trailing comments and blank lines included).
A *plain function chunk* is a top-level (possibly decorated) ``def`` that no
other chunk's findings can depend on; every other chunk is a *fact*. When the
facts are byte-for-byte unchanged, the findings of an unchanged plain function
chunk are a function of its bytes alone, so they are reused, shifted by the
chunk's displacement. Everything else (facts and new or edited functions) is
re-analysed with ``AnalysisContext.only`` / ``index.restricted`` hiding the
reused chunks. Any doubt means a full run: the result always equals one.

What rules read across chunks is declared in their metadata (``RuleMeta.reads``,
a ``FileReads``) and turned into guards here by ``guards``:

- imports and classes, at any depth (``module``; aliases, import fixes, models,
  class-based views): a function chunk containing ``import`` or ``class`` is a fact.
- names bound anywhere in the file (``when`` / ``markers``; BE007's Sessions and
  clients, BE013's loaders judged by their callers in a file that pickles): in a file
  with one of ``when``, a function chunk naming a marker or an import alias of one is
  a fact.
- names a rule finds per file (``named``; BE008's module constants passed as a
  password or JWT key, reported at the constant): a function chunk naming one is a fact.
- module-level statements (constants, settings, loggers, SQL variables): top-level
  non-functions are always facts.
- where an import fix goes (after the last top-level import unless code comes
  first): a function chunk above a top-level import is a fact.
- whole-file tests on the raw bytes (``gates`` and ``patterns``; BE006's
  ``async``, BE004's loop and ORM markers, the SQL helpers' gates in
  ``sql_strings.SQL_READS``): their outcomes are part of the facts key.
- line numbers in messages (BE001 "built on line N"): remapped through the
  chunk map, or the finding's chunk is re-analysed.
- fix edits outside the finding's chunk (an import added at the top): shifted
  by the displacement of the unchanged chunk they fall in, else re-analysed.
- taint flows (helper summaries cross functions): the offset-free signature of the
  file's flows is part of the facts key; flow steps are remapped like the finding.
- nothing else: variable resolution (``resolve_name``, ``assignments_before``,
  ``chain_through_variables``) stays inside the enclosing function or the
  module scope, and route detection reads the function's own decorators.

Path, settings and schema are part of the key: a change means a full run.

Whole-file work is not repeated when its input is unchanged: the import alias
map (imports live only in fact chunks) is carried over to the new version when
neither tree has errors, and fix edits outside a chunk (the added import) are
mapped once per distinct offset.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from tree_sitter import Node

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.model import Edit, FileReads, Finding, Fix, FlowStep
from backend_lsp.analysis.python.imports import carry_aliases, computed_aliases, import_aliases
from backend_lsp.analysis.python.index import Region, in_region, restricted
from backend_lsp.analysis.registry import Rule, analyze
from backend_lsp.text import LineIndex

_IMPORTS = ("import_statement", "import_from_statement", "future_import_statement")
_LINE_REF = re.compile(r"\bline (\d+)\b")


@dataclass(frozen=True, slots=True)
class Guards:
    """The cross-chunk reads of a set of rules, from their ``RuleMeta.reads``."""

    gates: tuple[bytes, ...]  # whole-file ``in`` tests: their outcomes key reuse
    patterns: tuple[re.Pattern[bytes], ...]  # whole-file regex searches, likewise
    always: tuple[bytes, ...]  # a function chunk containing one is a fact
    # (when, markers): in a file containing one of ``when``, a function chunk with a
    # marker, or with the local name of an import whose qualified name has one, is a fact
    bound: tuple[tuple[tuple[bytes, ...], tuple[bytes, ...]], ...]
    # per-file names a function chunk must not hold to be reused (``FileReads.named``)
    named: tuple[Callable[[bytes, Node], tuple[bytes, ...]], ...] = ()


@functools.lru_cache(maxsize=32)
def _guards_of(reads: tuple[FileReads, ...]) -> Guards:
    return Guards(
        tuple(sorted({gate for r in reads for gate in r.gates})),
        tuple(dict.fromkeys(pattern for r in reads for pattern in r.patterns)),
        (b"import", b"class") if any(r.module for r in reads) else (),
        tuple(dict.fromkeys((r.when, r.markers) for r in reads if r.markers)),
        tuple(dict.fromkeys(r.named for r in reads if r.named is not None)),
    )


def guards(rules: Iterable[Rule]) -> Guards:
    """What incremental analysis must watch for ``rules`` (derived from the registry)."""
    return _guards_of(tuple(rule.meta.reads for rule in rules))


@dataclass(frozen=True, slots=True)
class Chunk:
    """One top-level statement with its trailing comments and blank lines."""

    start: int
    end: int
    text: bytes
    function: bool  # a plain function chunk: its findings may be reused
    has_error: bool


def split_chunks(source: bytes, root: Node, watch: Guards) -> list[Chunk]:
    """Partition the whole module into chunks (a leading comment block is a fact)."""
    starts: list[tuple[int, Node | None]] = []
    for child in root.children:
        if child.type == "comment":
            continue
        if not starts and child.start_byte > 0:
            starts.append((0, None))
        starts.append((child.start_byte, child))
    if not starts:
        return [Chunk(0, len(source), source, False, root.has_error)] if source else []
    ends = [start for start, _ in starts[1:]] + [len(source)]
    markers = _fact_markers(source, root, watch)
    marked = _marked(source, [start for start, _ in starts], ends, markers)
    # Import fixes go after the last top-level import unless code comes first
    # (``ensure_import``): a function above an import moves them, so it is a fact.
    last_import = max(
        (i for i, (_, node) in enumerate(starts) if node is not None and node.type in _IMPORTS),
        default=-1,
    )
    chunks: list[Chunk] = []
    for i, (start, node) in enumerate(starts):
        end = ends[i]
        function = (
            node is not None
            and i > last_import
            and i not in marked
            and _is_function(node)
            and node.start_byte == start
            and (start == 0 or source[start - 1 : start] == b"\n")
        )
        chunks.append(
            Chunk(start, end, source[start:end], function, node.has_error if node else False)
        )
    return chunks


def _marked(
    source: bytes, starts: list[int], ends: list[int], markers: tuple[bytes, ...]
) -> set[int]:
    """Indices of the chunks whose bytes contain a marker (one scan of the source per marker)."""
    marked: set[int] = set()
    for marker in markers:
        at = source.find(marker)
        while at != -1:
            i = bisect.bisect_right(starts, at) - 1
            if i >= 0 and at + len(marker) <= ends[i]:
                marked.add(i)
            at = source.find(marker, at + 1)
    return marked


def _is_function(node: Node) -> bool:
    if node.type == "decorated_definition":
        definition = node.child_by_field_name("definition")
        return definition is not None and definition.type == "function_definition"
    return node.type == "function_definition"


def _fact_markers(source: bytes, root: Node, watch: Guards) -> tuple[bytes, ...]:
    """Bytes that make a function chunk a fact in this file."""
    markers = list(watch.always)
    for when, names in watch.bound:
        if when and not any(w in source for w in when):
            continue
        decoded = [name.decode() for name in names]
        aliases = {
            local.encode()
            for local, qualified in import_aliases(source, root).items()
            if any(name in qualified for name in decoded)
        }
        markers.extend((*names, *sorted(aliases)))
    for find in watch.named:
        markers.extend(find(source, root))
    return tuple(dict.fromkeys(markers))


def syntax_key(ctx: AnalysisContext, chunks: Sequence[Chunk], watch: Guards) -> tuple[Any, ...]:
    """What every chunk's findings may depend on besides its own bytes, but the taint
    signature (``run`` adds it: helper summaries cross functions). An error tree too: a
    removed call can turn a helper into a view (its flows change though its chunk did not).
    """
    source = ctx.source
    gates = tuple(g in source for g in watch.gates)
    sql = tuple(pattern.search(source) is not None for pattern in watch.patterns)
    chunk_facts = tuple((c.text, c.has_error) for c in chunks if not c.function)
    return (gates, sql, chunk_facts)


@dataclass(slots=True)
class _State:
    key: tuple[Any, ...]
    facts: tuple[Any, ...]
    chunks: list[Chunk]
    findings: list[list[Finding]]  # per chunk, in analysis order
    # per chunk: its findings move with it as a block but for the fix edits at these
    # offsets outside it (an import added at the top), or None (``_contained``)
    contained: list[tuple[int, ...] | None]
    lines: LineIndex
    aliases: dict[str, str] | None  # the import aliases, if a rule computed them
    has_error: bool


class _Mapper:
    """Old byte offsets -> new ones through the chunks that survived unchanged."""

    def __init__(
        self, old: Sequence[Chunk], moved: dict[int, int], lines: LineIndex, growth: int
    ) -> None:
        self._starts = [c.start for c in old]
        self._end = old[-1].end if old else 0
        self._growth = growth  # new size - old size: how far the end of the file moved
        self._old = old
        self._moved = moved  # old chunk index -> displacement
        self._lines = lines
        self._offsets: dict[int, int | None] = {}  # many fixes share one edit (an import)

    def offset(self, offset: int) -> int | None:
        try:
            return self._offsets[offset]
        except KeyError:
            moved = self._offsets[offset] = self._offset(offset)
            return moved

    def _offset(self, offset: int) -> int | None:
        at = bisect.bisect_right(self._starts, offset) - 1
        # The start and end of the file are neighbours too: text inserted before the
        # first chunk (or after the last) must not drag an edit anchored there along.
        shifts = {0} if offset == 0 else set()
        if offset == self._end:
            shifts.add(self._growth)
        for i in (at - 1, at):  # an offset on a boundary belongs to both neighbours
            if 0 <= i < len(self._old) and self._old[i].start <= offset <= self._old[i].end:
                shift = self._moved.get(i)
                if shift is None:
                    return None
                shifts.add(shift)
        return offset + shifts.pop() if len(shifts) == 1 else None

    def chunk(
        self,
        index: int,
        findings: list[Finding],
        lines: LineIndex,
        outside: tuple[int, ...] | None = None,
    ) -> list[Finding] | None:
        """The findings of old chunk ``index`` moved to its new place, or None if one cannot be.
        ``outside``: what ``_contained`` found for them (the same list back when nothing moved)."""
        chunk, shift = self._old[index], self._moved[index]
        if outside is not None:
            if not outside:
                if shift == 0:
                    return findings
                return [_shifted(f, shift, _fix_shifted(f.fix, shift)) for f in findings]
            if shift == 0 and all(self.offset(at) == at for at in outside):
                return findings
        low, high = chunk.start, chunk.end
        moved: list[Finding] = []
        for finding in findings:
            if "line " in finding.message or not low <= finding.start <= finding.end <= high:
                general = self.finding(finding, lines)
                if general is None:
                    return None
                moved.append(general)
                continue
            fix = finding.fix
            if fix is not None:
                fix = self._fix(fix, low, high, shift)
                if fix is None:
                    return None
            if shift == 0 and fix is finding.fix:
                moved.append(finding)
            else:
                moved.append(_shifted(finding, shift, fix))
        return moved

    def _fix(self, fix: Fix, low: int, high: int, shift: int) -> Fix | None:
        """``fix`` with edits inside the chunk shifted and others mapped; same object if unmoved."""
        edits: list[Edit] = []
        same = True
        for edit in fix.edits:
            if _inside(edit.start, edit.end, low, high):
                start, end = edit.start + shift, edit.end + shift
            else:
                a, b = self.offset(edit.start), self.offset(edit.end)
                if a is None or b is None:
                    return None
                start, end = a, b
            if start != edit.start or end != edit.end:
                same = False
                edits.append(Edit(start, end, edit.new_text))
            else:
                edits.append(edit)
        return fix if same else Fix(fix.title, tuple(edits))

    def finding(self, finding: Finding, new_lines: LineIndex) -> Finding | None:
        start, end = self.offset(finding.start), self.offset(finding.end)
        if start is None or end is None:
            return None
        fix = finding.fix
        if fix is not None:
            edits = []
            for edit in fix.edits:
                a, b = self.offset(edit.start), self.offset(edit.end)
                if a is None or b is None:
                    return None
                edits.append(Edit(a, b, edit.new_text))
            fix = Fix(fix.title, tuple(edits))
        message = self._message(finding.message, new_lines)
        if message is None:
            return None
        flow = []
        for step in finding.flow:
            if step.path is not None:  # in another file: this edit cannot move it
                flow.append(step)
                continue
            a, b = self.offset(step.start), self.offset(step.end)
            text = self._message(step.message, new_lines)
            if a is None or b is None or text is None:
                return None
            flow.append(FlowStep(a, b, text))
        return dataclasses.replace(
            finding, start=start, end=end, fix=fix, message=message, flow=tuple(flow)
        )

    def _message(self, message: str, new_lines: LineIndex) -> str | None:
        failed = False

        def remap(match: re.Match[str]) -> str:
            nonlocal failed
            moved = self.offset(self._lines.line_start(int(match.group(1)) - 1))
            if moved is None:
                failed = True
                return match.group(0)
            return f"line {new_lines.line_of(moved) + 1}"

        result = _LINE_REF.sub(remap, message)
        return None if failed else result


class ChunkedAnalysis:
    """Per-document memory of the last run; ``run`` returns what a full run would.

    Not thread-safe: one analysis of a document at a time (the LSP layer
    already serialises them per document).
    """

    def __init__(self) -> None:
        self._state: _State | None = None
        self._contained: list[tuple[int, ...] | None] = []  # of the last ``_partial``'s groups
        self.last_reused = 0  # chunks reused by the last run (for tests and benchmarks)

    def reset(self) -> None:
        self._state = None

    def run(
        self, ctx: AnalysisContext, rules: Sequence[Rule], key: tuple[Any, ...]
    ) -> list[Finding]:
        """Raw findings (before severity overrides) of ``rules`` on ``ctx``."""
        root = ctx.root
        if root is None or ctx.language_id != "python":
            self._state = None
            return analyze(ctx, rules)
        source = ctx.source
        watch = guards(rules)
        chunks = split_chunks(source, root, watch)
        syntax = syntax_key(ctx, chunks, watch)
        state = self._state
        if (
            state is not None
            and state.key == key
            and state.facts[:-1] == syntax
            and state.aliases is not None
            and not state.has_error
            and not root.has_error
            and b"import" in watch.always
        ):
            # Imports live only in fact chunks, which are unchanged: so are the aliases
            # (carried before the taint engine, which reads them, runs for the signature).
            carry_aliases(source, root, state.aliases)
        facts = (*syntax, ctx.taint.signature(source))  # the facts key
        lines = ctx.document.index
        self.last_reused = 0
        grouped: list[list[Finding]] | None = None
        if state is None or state.key != key or state.facts != facts:
            findings = analyze(ctx, rules)
        else:
            findings, grouped = self._partial(ctx, rules, state, chunks, lines)
        if grouped is None:
            grouped = _by_chunk(chunks, findings)
            contained = [_contained(c, group) for c, group in zip(chunks, grouped, strict=True)]
        else:
            contained = self._contained
        self._state = _State(
            key,
            facts,
            chunks,
            grouped,
            contained,
            lines,
            computed_aliases(source, root),
            root.has_error,
        )
        return findings

    def _partial(
        self,
        ctx: AnalysisContext,
        rules: Sequence[Rule],
        state: _State,
        chunks: list[Chunk],
        lines: LineIndex,
    ) -> tuple[list[Finding], list[list[Finding]] | None]:
        """Findings and their grouping by chunk (None when it is left to ``_by_chunk``)."""
        old = state.chunks
        pairs = _match(old, chunks)
        moved = {i: chunks[j].start - old[i].start for i, j in pairs.items()}
        mapper = _Mapper(old, moved, state.lines, len(ctx.source) - (old[-1].end if old else 0))
        reused: dict[int, list[Finding]] = {}  # new chunk index -> shifted findings
        contained: dict[int, tuple[int, ...] | None] = {}
        for i, j in pairs.items():
            if not old[i].function:
                continue
            block = state.contained[i]
            shifted = mapper.chunk(i, state.findings[i], lines, block)
            if shifted is not None:
                reused[j] = shifted
                # the same findings (or all inside, moved along): what held still holds
                same = block == () or shifted is state.findings[i]
                contained[j] = block if same else _contained(chunks[j], shifted)
        if not reused:
            return analyze(ctx, rules), None
        region = _complement(len(ctx.source), (chunks[j] for j in sorted(reused)))
        partial = dataclasses.replace(ctx, only=region)
        with restricted(region):
            fresh = [f for f in analyze(partial, rules) if in_region(region, f.start)]
        self.last_reused = len(reused)
        # Chunks are disjoint and in order, so per-chunk lists (each sorted) concatenate
        # into the order a full run sorts into.
        grouped = _by_chunk(chunks, fresh)
        for j, findings in reused.items():
            grouped[j] = findings
        self._contained = [
            contained[j] if j in contained else _contained(chunk, grouped[j])
            for j, chunk in enumerate(chunks)
        ]
        return [f for group in grouped for f in group], grouped


def _inside(start: int, end: int, low: int, high: int) -> bool:
    """True when [start, end) moves with the chunk [low, high).

    An insertion on the chunk's boundary (an import added at the end of the
    previous chunk) belongs to the neighbour as much as to the chunk: it is
    mapped through both (``_Mapper.offset``) rather than moved with this one.
    """
    if start == end and start in (low, high):
        return False
    return low <= start <= end <= high


def _contained(chunk: Chunk, findings: Iterable[Finding]) -> tuple[int, ...] | None:
    """Do ``findings`` move with ``chunk`` as a block (each and its flow steps in this file
    inside it, no line number in a message)? If so, the offsets of their fix edits not
    ``_inside`` it, else None."""
    low, high = chunk.start, chunk.end
    outside: set[int] = set()
    for finding in findings:
        if not low <= finding.start <= finding.end <= high or "line " in finding.message:
            return None
        for step in finding.flow:
            if step.path is None and (
                not low <= step.start <= step.end <= high or "line " in step.message
            ):
                return None
        fix = finding.fix
        for edit in fix.edits if fix is not None else ():
            if not _inside(edit.start, edit.end, low, high):
                outside.update((edit.start, edit.end))
    return tuple(sorted(outside))


def _fix_shifted(fix: Fix | None, shift: int) -> Fix | None:
    if fix is None:
        return None
    return Fix(
        fix.title, tuple([Edit(e.start + shift, e.end + shift, e.new_text) for e in fix.edits])
    )


def _shifted(finding: Finding, shift: int, fix: Fix | None) -> Finding:
    """``finding`` moved by ``shift`` with ``fix`` (already moved); no dataclasses.replace."""
    return Finding(
        finding.code,
        finding.name,
        finding.severity,
        finding.message,
        finding.start + shift,
        finding.end + shift,
        finding.doc_url,
        fix,
        finding.source,
        finding.data,
        tuple(
            s if s.path is not None else FlowStep(s.start + shift, s.end + shift, s.message)
            for s in finding.flow
        )
        if finding.flow
        else (),
    )


def _match(old: Sequence[Chunk], new: Sequence[Chunk]) -> dict[int, int]:
    """Old chunk index -> new chunk index for chunks whose bytes did not change.

    Facts pair up in order (the facts key being equal, they are the same
    sequence); function chunks pair by their bytes, first come first served.
    """
    pairs: dict[int, int] = {}
    old_facts = [i for i, c in enumerate(old) if not c.function]
    new_facts = [j for j, c in enumerate(new) if not c.function]
    pairs.update(zip(old_facts, new_facts, strict=True))
    waiting: dict[tuple[bytes, bool], deque[int]] = defaultdict(deque)
    for i, chunk in enumerate(old):
        if chunk.function:
            waiting[(chunk.text, chunk.has_error)].append(i)
    for j, chunk in enumerate(new):
        if chunk.function:
            queue = waiting.get((chunk.text, chunk.has_error))
            if queue:
                pairs[queue.popleft()] = j
    return pairs


def _complement(size: int, reused: Iterable[Chunk]) -> Region:
    """Byte ranges of the module outside the reused chunks."""
    ranges: list[tuple[int, int]] = []
    at = 0
    for chunk in reused:
        if chunk.start > at:
            ranges.append((at, chunk.start))
        at = chunk.end
    if at < size or not ranges:
        ranges.append((at, max(at, size)))
    return tuple(ranges)


def _by_chunk(chunks: Sequence[Chunk], findings: Iterable[Finding]) -> list[list[Finding]]:
    starts = [c.start for c in chunks]
    grouped: list[list[Finding]] = [[] for _ in chunks]
    for finding in findings:
        at = max(0, bisect.bisect_right(starts, finding.start) - 1)
        if grouped:
            grouped[at].append(finding)
    return grouped
