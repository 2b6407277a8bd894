"""What a rule sees: one parsed file plus what the workspace knows."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from tree_sitter import Node

from backend_lsp.analysis.model import Edit, Finding, Fix, RuleMeta, Severity
from backend_lsp.analysis.python.index import Region, node_index, restricted
from backend_lsp.analysis.schema import WorkspaceSchema
from backend_lsp.analysis.taint.engine import FileTaint, file_taint
from backend_lsp.analysis.taint.summaries import SummaryProvider
from backend_lsp.analysis.taint.tables import BUILTIN, TaintTables
from backend_lsp.syntax.document import ParsedDocument


@dataclass
class AnalysisContext:
    """Inputs of one analysis run; rules must not mutate them."""

    path: str
    document: ParsedDocument
    schema: WorkspaceSchema = field(default_factory=WorkspaceSchema)
    # Incremental runs: byte ranges whose nodes ``nodes()`` lists; None is the whole file.
    # Findings starting outside it are discarded by the caller, so rules need not check.
    only: Region | None = None
    # Sources, sinks and sanitizers for the taint engine: built-in plus the project's rows.
    taint_tables: TaintTables = BUILTIN
    # Summaries of imported workspace helpers (None: the taint engine stays within the file).
    taint_summaries: SummaryProvider | None = None
    # Keep per-function taint results for later edits (the editor); a batch run says no.
    taint_function_memo: bool = True
    # ``path`` relative to the project root, what tests/, scripts/, settings... are read from:
    # a checkout under ``~/tools/`` is not a script, one under ``~/test/`` not a test suite.
    # Empty: ``path`` itself (no root known).
    relative_path: str = ""

    @property
    def project_path(self) -> str:
        return self.relative_path or self.path

    @property
    def source(self) -> bytes:
        return self.document.source

    @property
    def language_id(self) -> str | None:
        return self.document.language_id

    @cached_property
    def root(self) -> Node | None:
        return self.document.root

    @cached_property
    def taint(self) -> FileTaint:
        """The taint engine's flows and facts for this file, looked up once per context.

        ``file_taint`` is memoised too, but its gate (a regex over the whole source) and
        memo lookup ran once per taint rule: a dozen whole-file scans per file.
        """
        assert self.root is not None
        return file_taint(
            self.source,
            self.root,
            self.taint_tables,
            self.taint_summaries,
            self.path,
            function_memo=self.taint_function_memo,
        )

    def nodes(self, *types: str) -> tuple[Node, ...]:
        """Nodes of the given types in source order, from one pass shared by every rule.

        Python only, and only types in ``analysis.python.index.INDEXED_TYPES``;
        empty without a tree. Limited to ``only`` when set.
        """
        if self.root is None or self.language_id != "python":
            return ()
        with restricted(self.only):
            return node_index(self.source, self.root).of(*types)

    def text(self, node: Node) -> str:
        return self.source[node.start_byte : node.end_byte].decode("utf-8", "replace")

    def finding(
        self,
        meta: RuleMeta,
        node: Node,
        message: str,
        fix: Fix | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        return Finding.at(meta, node.start_byte, node.end_byte, message, fix, severity)

    def replace(self, node: Node, new_text: str) -> Edit:
        return Edit(node.start_byte, node.end_byte, new_text)

    def line_indent(self, node: Node) -> str:
        """Leading whitespace of the line ``node`` starts on."""
        line = self.document.index.line_bytes(node.start_point[0]).decode("utf-8", "replace")
        return line[: len(line) - len(line.lstrip())]
