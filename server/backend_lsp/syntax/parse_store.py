"""One tree-sitter parse per file content for a batch run (``check``).

A run reads a file up to four times: its schema facts, its own analysis, as a
helper another file's taint analysis imports (once per depth left), as a URL
module. Within ``sharing_parses()`` every reader of the same path and bytes gets
the same source object and tree (read-only: a document copies a shared tree
before an edit), so each is parsed once and the per-document memos keyed by
them (node index, imports, outline) are shared too. The store keeps the trees
used last, bounded by count and source bytes, and ends with the block; outside
it (the language server, one-off readers) every document parses its own.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from tree_sitter import Tree

from backend_lsp.syntax.document import ParsedDocument

MAX_TREES = 1024
# A tree takes about 25 times its source in memory (measured on a Django app): 4 MB of
# source is ~100 MB of trees per process, whatever the size of the tree walked.
MAX_SOURCE_BYTES = 4 * 1024 * 1024

_Key = tuple[str, str]
_Entry = tuple[bytes, Tree]


class ParseStore:
    """The trees parsed last, by (path, language), each with the exact bytes it parsed.

    Trees a reader said will be read again (``again``: the schema pass, before the
    file's own analysis) are dropped only after every other tree has gone.
    """

    def __init__(self, max_trees: int = MAX_TREES, max_bytes: int = MAX_SOURCE_BYTES) -> None:
        self._max_trees, self._max_bytes = max_trees, max_bytes
        self._awaited: OrderedDict[_Key, _Entry] = OrderedDict()  # to be read again
        self._read: OrderedDict[_Key, _Entry] = OrderedDict()  # may be read again
        self._bytes = 0
        self.parses = 0  # trees parsed and offered to the store (tests, benchmarks)
        self.hits = 0

    def document(
        self, path: str, source: bytes | str, language_id: str | None, *, again: bool = False
    ) -> ParsedDocument:
        """A document for ``source`` at ``path``: the stored tree when these exact bytes
        were parsed before, else one parsed on first use and then stored."""
        if isinstance(source, str):
            source = source.encode("utf-8", "surrogatepass")
        if language_id is None:
            return ParsedDocument(source, None)
        key = (path, language_id)
        known = self._awaited.pop(key, None) or self._read.pop(key, None)
        if known is not None and (known[0] is source or known[0] == source):
            (self._awaited if again else self._read)[key] = known
            self.hits += 1
            return ParsedDocument(known[0], language_id, tree=known[1])
        if known is not None:
            self._bytes -= len(known[0])
        return ParsedDocument(
            source, language_id, on_parse=lambda tree: self._put(key, source, tree, again)
        )

    def __len__(self) -> int:
        return len(self._awaited) + len(self._read)

    def _put(self, key: _Key, source: bytes, tree: Tree, again: bool) -> None:
        self.parses += 1
        for entries in (self._awaited, self._read):
            old = entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old[0])
        if len(source) > self._max_bytes:
            return
        (self._awaited if again else self._read)[key] = (source, tree)
        self._bytes += len(source)
        while len(self) > self._max_trees or self._bytes > self._max_bytes:
            entries = self._read if self._read else self._awaited
            dropped, _ = entries.popitem(last=False)[1]
            self._bytes -= len(dropped)


_ACTIVE: ContextVar[ParseStore | None] = ContextVar("backend_lsp_parse_store", default=None)


@contextmanager
def sharing_parses(store: ParseStore | None = None) -> Iterator[ParseStore]:
    """Within the block, ``shared_document`` readers of one file content share a parse."""
    active = store if store is not None else ParseStore()
    token = _ACTIVE.set(active)
    try:
        yield active
    finally:
        _ACTIVE.reset(token)


def install(store: ParseStore) -> None:
    """Share parses for the rest of this context: a worker process that lives for one run."""
    _ACTIVE.set(store)


def shared_document(
    path: str, source: bytes | str, language_id: str | None, *, again: bool = False
) -> ParsedDocument:
    """A document that will not be edited: its tree shared with the run's other readers of
    the same bytes at ``path`` (inside ``sharing_parses``), else parsed on first use.
    ``again``: this run will read the file again later (kept in preference to others)."""
    store = _ACTIVE.get()
    if store is None:
        return ParsedDocument(source, language_id)
    return store.document(path, source, language_id, again=again)
