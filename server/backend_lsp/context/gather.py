"""Selection -> ranked, budgeted context bundle for one action.

Ranking, best first (the budget drops from the bottom): the analyzer's
findings on the selection (tiny, and exactly what the user is looking at),
the enclosing function, the same-file definitions the selection uses (in
first-use order), the module's imports, and the enclosing class as an outline
(fields in full, methods as signatures, so the function is not sent twice).
"""

from __future__ import annotations

import logging
from pathlib import Path

from tree_sitter import Node

from backend_lsp.agent.types import ContextBundle, ContextItem
from backend_lsp.analysis.explain.markdown import flow_chain
from backend_lsp.analysis.model import Finding
from backend_lsp.context import scope
from backend_lsp.context.budget import estimate_tokens, fit
from backend_lsp.context.references import references_in
from backend_lsp.files import IgnoreRules, SkipReason, read_source
from backend_lsp.index.build import WorkspaceIndex
from backend_lsp.syntax.document import ParsedDocument
from backend_lsp.syntax.languages import language_for_path

log = logging.getLogger(__name__)

# A referenced definition bigger than this share of the budget is sent as its
# signature / outline only, so one huge helper cannot crowd out everything else.
_MAX_DEFINITION_SHARE = 4
_MAX_FINDINGS = 20


class ContextError(Exception):
    """The file cannot be used as context (private, unreadable, binary, too large)."""


def display_path(root: Path | None, path: Path) -> str:
    """Workspace-relative POSIX path when ``path`` is inside ``root``, else as given."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except (ValueError, OSError):
            pass
    return path.as_posix()


def check_private(root: Path | None, path: Path, ignore: IgnoreRules | None) -> None:
    """Refuse files the ignore rules mark private (.env*, keys, gitignored, project ignore)."""
    rules = ignore if ignore is not None else IgnoreRules(root or path.parent)
    if rules.is_private(path):
        raise ContextError(
            f"{path}: matches the ignore rules (.gitignore, .env*, key files or "
            ".backend-lsp-ignore); it is never sent to the model"
        )


def open_document(
    path: Path,
    *,
    root: Path | None = None,
    ignore: IgnoreRules | None = None,
    max_bytes: int = 2_000_000,
) -> ParsedDocument:
    """Read a file for context, checking the ignore rules before a single byte is read."""
    check_private(root, path, ignore)
    text = read_source(path, max_bytes)
    if isinstance(text, SkipReason):
        raise ContextError(str(text))
    return ParsedDocument(text, language_for_path(path))


def _item(
    path: str, source: bytes, start: int, end: int, reason: str, text: str | None = None
) -> ContextItem:
    """An item for bytes [start, end) (lines are 1-based inclusive)."""
    body = text if text is not None else source[start:end].decode("utf-8", "replace")
    first = source.count(b"\n", 0, start) + 1
    last = first + source.count(b"\n", start, max(start, end - 1))
    return ContextItem(path, first, last, reason, body, estimate_tokens(body))


def _node_item(
    path: str, source: bytes, node: Node, reason: str, text: str | None = None
) -> ContextItem:
    return _item(path, source, scope.line_start(node), node.end_byte, reason, text)


def _selection_range(document: ParsedDocument, start_line: int, end_line: int) -> tuple[int, int]:
    """Bytes of whole lines [start_line, end_line] (1-based), clamped to the document."""
    index = document.index
    last_line = max(1, index.line_count - (1 if document.source.endswith(b"\n") else 0))
    first, last = sorted((start_line, end_line))
    first = min(max(first, 1), last_line)
    last = min(max(last, 1), last_line)
    return index.line_start(first - 1), index.line_end(last - 1)


def _core(source: bytes, start: int, end: int) -> tuple[int, int]:
    """[start, end) without surrounding whitespace, so scopes are found from real code."""
    while start < end and source[start : start + 1].isspace():
        start += 1
    while end > start and source[end - 1 : end].isspace():
        end -= 1
    return start, max(end, start)


def _findings_item(
    path: str,
    source: bytes,
    findings: list[Finding],
    start: int,
    end: int,
    document: ParsedDocument,
) -> ContextItem | None:
    relevant = [f for f in findings if f.start < max(end, start + 1) and f.end >= start]
    if not relevant:
        return None
    lines: list[str] = []
    for f in relevant[:_MAX_FINDINGS]:
        lines.append(
            f"- line {document.index.line_of(f.start) + 1}: {f.code} {f.name} "
            f"({f.severity.label}): {f.message}"
        )
        if f.flow:  # what the analyzer proved, so the model need not re-derive the path
            lines.append(f"  flow: {flow_chain(f)}")
    if len(relevant) > _MAX_FINDINGS:
        lines.append(f"- ... and {len(relevant) - _MAX_FINDINGS} more")
    return _item(path, source, start, end, "offline analyzer findings", "\n".join(lines) + "\n")


def _analyze(path: Path, document: ParsedDocument) -> list[Finding]:
    """The analyzer's findings with default settings; a failure only loses this item."""
    from backend_lsp.config import AnalysisSettings
    from backend_lsp.engine import analyze_document

    try:
        return analyze_document(str(path), document, AnalysisSettings.model_validate({}))
    except Exception as error:  # too large, a rule bug: context still works without findings
        log.info("no findings for context of %s: %s", path, error)
        return []


def _definition_item(
    path: str,
    source: bytes,
    node: Node,
    name: str,
    reason: str,
    table: scope.LanguageTable,
    budget: int,
) -> ContextItem:
    item = _node_item(path, source, node, reason)
    if item.tokens * _MAX_DEFINITION_SHARE <= budget:
        return item
    inner = scope.unwrap(node, table)
    if inner.type in table.classes:
        return _node_item(
            path, source, node, f"{reason} (outline)", scope.outline(node, source, table)
        )
    if inner.type in table.functions:
        return _node_item(
            path, source, node, f"{reason} (signature)", scope.signature(node, source, table)
        )
    return item


def _workspace_items(
    index: WorkspaceIndex,
    path: Path,
    selection: ContextItem,
    names: list[str],
    budget: int,
    covered: list[tuple[str, int, int]],
) -> list[ContextItem]:
    """Items from other definitions and files; a broken index only loses these items."""
    from backend_lsp.context.workspace import workspace_items

    if budget <= 0:
        return []
    try:
        return workspace_items(
            index,
            path,
            selection.start_line,
            selection.end_line,
            names,
            budget,
            covered,
            selection.text,
        )
    except Exception as error:  # never let the index break an action
        log.warning("workspace context for %s failed: %s", path, error, exc_info=True)
        return []


def gather_context(
    root: Path | None,
    path: Path,
    document: ParsedDocument,
    start_line: int,
    end_line: int,
    *,
    budget_tokens: int,
    findings: list[Finding] | None = None,
    ignore: IgnoreRules | None = None,
    index: WorkspaceIndex | None = None,
) -> ContextBundle:
    """Context for lines [start_line, end_line] (1-based, inclusive) of ``document``.

    ``findings`` are the analyzer's findings for the document (byte offsets);
    None runs the analyzer here. ``index`` adds the rest of the workspace
    (context.workspace); without it only this file is used. Raises
    ContextError for a private file.
    """
    check_private(root, path, ignore)
    shown = display_path(root, path)
    source = document.source
    start, end = _selection_range(document, start_line, end_line)
    root_node = document.root
    table = scope.table_for(document.language_id)
    if root_node is None or table is None:  # no grammar: the selection alone
        selection = _item(shown, source, start, end, "selection")
        selection, _ = fit(selection, [], budget_tokens)
        return ContextBundle([], selection, selection.tokens, budget_tokens)

    core_start, core_end = _core(source, start, end)
    anchor = root_node.descendant_for_byte_range(core_start, max(core_start, core_end))
    anchor = anchor or root_node
    function = scope.enclosing_function(anchor, table)
    selection_reason = "selection"
    if function is not None and start_line == end_line:
        # A cursor or one line: the function is the unit worth acting on.
        start, end = scope.line_start(function), function.end_byte
        selection_reason = "selection (expanded to the enclosing function)"
        function_item = None
    elif function is not None and not (
        scope.line_start(function) >= start and function.end_byte <= end
    ):
        function_item = _node_item(shown, source, function, "enclosing function")
    else:
        function_item = None
    selection = _item(shown, source, start, end, selection_reason)

    ranked: list[ContextItem] = []
    all_findings = findings if findings is not None else _analyze(path, document)
    found_item = _findings_item(shown, source, all_findings, start, end, document)
    if found_item is not None:
        ranked.append(found_item)
    if function_item is not None:
        ranked.append(function_item)

    cls = scope.enclosing_class(anchor, table)
    refs = references_in(root_node, source, start, end, table)
    covered = [(start, end)] + ([(function.start_byte, function.end_byte)] if function else [])
    seen: set[int] = set()

    def inside_covered(node: Node) -> bool:
        return any(node.start_byte >= a and node.end_byte <= b for a, b in covered) or any(
            node.start_byte <= a and node.end_byte >= b for a, b in covered
        )

    if cls is not None:
        members = scope.class_members(cls, source, table)
        for name in refs.members:
            member = members.get(name)
            if member is not None and member.id not in seen and not inside_covered(member):
                seen.add(member.id)
                ranked.append(
                    _definition_item(
                        shown,
                        source,
                        member,
                        name,
                        f"method/field `{name}` used by the selection",
                        table,
                        budget_tokens,
                    )
                )
    definitions = scope.top_level_definitions(root_node, source, table)
    for name in refs.names:
        node = definitions.get(name)
        if node is None or node.id in seen or inside_covered(node):
            continue
        seen.add(node.id)
        ranked.append(
            _definition_item(
                shown,
                source,
                node,
                name,
                f"definition of `{name}` used by the selection",
                table,
                budget_tokens,
            )
        )

    tail: list[ContextItem] = []
    import_nodes = scope.imports(root_node, table)
    if import_nodes:
        text = "\n".join(
            source[scope.line_start(n) : n.end_byte].decode("utf-8", "replace")
            for n in import_nodes
        )
        tail.append(
            _item(
                shown,
                source,
                scope.line_start(import_nodes[0]),
                import_nodes[-1].end_byte,
                "imports",
                text,
            )
        )
    if cls is not None and not (scope.line_start(cls) >= start and cls.end_byte <= end):
        tail.append(
            _node_item(
                shown, source, cls, "enclosing class (outline)", scope.outline(cls, source, table)
            )
        )
    if index is not None:
        used = selection.tokens + sum(i.tokens for i in ranked) + sum(i.tokens for i in tail)
        taken = [(i.path, i.start_line, i.end_line) for i in (selection, *ranked)]
        ranked.extend(
            _workspace_items(
                index, path, selection, refs.names + refs.members, budget_tokens - used, taken
            )
        )
    ranked.extend(tail)

    selection, kept = fit(selection, ranked, budget_tokens)
    total = selection.tokens + sum(item.tokens for item in kept)
    return ContextBundle(kept, selection, total, budget_tokens)
