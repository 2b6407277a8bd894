"""The one WorkspaceEdit builder: quick fixes, agent edits and new files.

Whether an edit goes out as plain ``changes`` or versioned ``documentChanges``,
whether text edits carry a change annotation, and whether files may be created
is decided here, from the client's capabilities, and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from backend_lsp.lsp.capabilities import ClientCapabilities
from backend_lsp.lsp.convert import to_range
from backend_lsp.text import Encoding, LineIndex

if TYPE_CHECKING:
    from backend_lsp.analysis.model import Edit

ANNOTATION_ID = "backend-agent"


class CannotCreateFiles(Exception):
    """The client has no versioned documentChanges with the ``create`` operation."""


class WorkspaceEditBuilder:
    """Collects edits of open documents and new files, then builds one WorkspaceEdit.

    With an ``annotation`` (agent edits) and a client that takes documentChanges,
    every text edit and file creation is annotated so the client can ask first.
    """

    def __init__(
        self,
        caps: ClientCapabilities,
        encoding: Encoding,
        annotation: types.ChangeAnnotation | None = None,
    ) -> None:
        self._caps = caps
        self._encoding = encoding
        self._annotation = annotation
        self._changes: dict[str, list[types.TextEdit]] = {}
        self._document_changes: list[Any] = []

    @property
    def _annotated(self) -> bool:
        return self._annotation is not None and self._caps.document_changes

    def _text_edit(
        self, rng: types.Range, new_text: str
    ) -> types.TextEdit | types.AnnotatedTextEdit:
        if self._annotated:
            return types.AnnotatedTextEdit(
                annotation_id=ANNOTATION_ID, range=rng, new_text=new_text
            )
        return types.TextEdit(range=rng, new_text=new_text)

    def replace(self, uri: str, version: int, index: LineIndex, edits: Iterable[Edit]) -> None:
        """Byte-offset edits of an open document at ``version`` (``index`` is its text)."""
        ranges = [(to_range(index, e.start, e.end, self._encoding), e.new_text) for e in edits]
        if not self._caps.document_changes:
            plain = [types.TextEdit(range=rng, new_text=text) for rng, text in ranges]
            self._changes.setdefault(uri, []).extend(plain)
            return
        if not ranges and self._annotated:
            return  # agent edits that only create files: no empty edit of the document
        identifier = types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version)
        text_edits = [self._text_edit(rng, text) for rng, text in ranges]
        self._document_changes.append(
            types.TextDocumentEdit(text_document=identifier, edits=text_edits)
        )

    def create_file(self, uri: str, content: str) -> None:
        """A new file (never overwriting) and its content."""
        if not self._caps.create_files:
            raise CannotCreateFiles(uri)
        annotation_id = ANNOTATION_ID if self._annotated else None
        self._document_changes.append(
            types.CreateFile(
                uri=uri,
                options=types.CreateFileOptions(overwrite=False, ignore_if_exists=False),
                annotation_id=annotation_id,
            )
        )
        start = types.Position(line=0, character=0)
        identifier = types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None)
        edit = self._text_edit(types.Range(start=start, end=start), content)
        self._document_changes.append(
            types.TextDocumentEdit(text_document=identifier, edits=[edit])
        )

    def build(self) -> types.WorkspaceEdit:
        if not self._caps.document_changes:
            return types.WorkspaceEdit(changes=self._changes)
        annotations = (
            {ANNOTATION_ID: self._annotation}
            if self._annotated and self._annotation is not None
            else None
        )
        return types.WorkspaceEdit(
            document_changes=self._document_changes, change_annotations=annotations
        )
