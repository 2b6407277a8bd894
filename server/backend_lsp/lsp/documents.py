"""Open documents: our own ParsedDocument per URI, kept in step with the editor.

pygls updates its own text before a didChange handler runs, so we keep a
separate copy and apply each change event with the line index of the text as
it was before that event: tree-sitter then gets a true incremental edit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from backend_lsp.lsp.convert import uri_to_path
from backend_lsp.syntax.document import ParsedDocument, TextChange
from backend_lsp.syntax.languages import language_id_for
from backend_lsp.text import Encoding

log = logging.getLogger(__name__)


@dataclass
class DocumentState:
    """Everything the server knows about one open document."""

    uri: str
    path: str
    document: ParsedDocument
    binary: bool = False
    # The last analysed snapshot (tree parsed, immutable) and its findings.
    snapshot: ParsedDocument | None = None
    findings: list[object] = field(default_factory=list)
    analysed_version: int | None = None
    skipped: str | None = None

    @property
    def version(self) -> int:
        return self.document.version

    @property
    def language_id(self) -> str | None:
        return self.document.language_id


def looks_binary(text: str) -> bool:
    """NUL characters never appear in source code; editors send them for binaries."""
    return "\x00" in text[:8192]


AppliedChange = TextChange | None
"""A change the store applied, in bytes of the text before it; None: the whole text replaced."""

ChangeListener = Callable[[str, Sequence[AppliedChange]], None]


class DocumentStore:
    """URI -> DocumentState for the documents the client has opened.

    Whatever follows ranges in a document (agent results) subscribes to the
    byte-level changes the store applied, so nothing has to run before it.
    """

    def __init__(self) -> None:
        self._docs: dict[str, DocumentState] = {}
        self._listeners: list[ChangeListener] = []

    def subscribe(self, listener: ChangeListener) -> None:
        """Call ``listener(uri, applied)`` after every didChange the store applied."""
        self._listeners.append(listener)

    def __contains__(self, uri: str) -> bool:
        return uri in self._docs

    def __len__(self) -> int:
        return len(self._docs)

    def get(self, uri: str) -> DocumentState | None:
        return self._docs.get(uri)

    def uris(self) -> list[str]:
        return list(self._docs)

    def source_at(self, path: Path) -> bytes | None:
        """The live bytes of the document open at ``path`` (resolved), None if not open."""
        key = str(path)
        for state in list(self._docs.values()):
            if state.path == key and not state.binary:
                return state.document.source
        return None

    def open(self, uri: str, language_id: str | None, text: str, version: int) -> DocumentState:
        path = uri_to_path(uri)
        binary = looks_binary(text)
        language = None if binary else language_id_for(language_id, path)
        document = ParsedDocument(text, language, version)
        state = DocumentState(uri=uri, path=path, document=document, binary=binary)
        self._docs[uri] = state
        return state

    def close(self, uri: str) -> DocumentState | None:
        return self._docs.pop(uri, None)

    def change(
        self,
        uri: str,
        version: int,
        changes: list[tuple[tuple[int, int, int, int] | None, str]],
        encoding: Encoding,
    ) -> DocumentState | None:
        """Apply LSP change events: (range as (l0, c0, l1, c1) or None for full text, text)."""
        state = self._docs.get(uri)
        if state is None:
            log.warning("didChange for a document that is not open: %s", uri)
            return None
        document = state.document
        applied: list[AppliedChange] = []
        for rng, text in changes:
            if "\x00" in text:
                state.binary = True
            if rng is None:
                document.replace_all(text)
                applied.append(None)
                continue
            index = document.index  # the index of the text before this event
            start = index.offset(rng[0], rng[1], encoding)
            end = index.offset(rng[2], rng[3], encoding)
            if end < start:
                start, end = end, start
            change = TextChange(start, end, text)
            document.apply(change)
            applied.append(change)
        document.version = version
        for listener in self._listeners:
            listener(uri, applied)
        return state
