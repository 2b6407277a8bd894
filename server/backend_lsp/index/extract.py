"""One file on disk -> its facts; the unit of work a worker process runs.

Kept free of shared state so it runs unchanged in a worker process (tree-sitter
parsing holds the GIL, so threads would not help) or in-process for a single
file update.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from backend_lsp.files import SkipReason, decode_source
from backend_lsp.index.facts import FileFacts
from backend_lsp.index.store import content_hash
from backend_lsp.syntax.languages import get_language, language_for_path

MAX_FILE_BYTES = 1_000_000
_MINIFIED_LINE = 5_000


@dataclass(frozen=True, slots=True)
class Extracted:
    """The result for one path: facts, or why the file was skipped."""

    rel: str
    hash: str
    mtime_ns: int
    size: int
    facts: FileFacts | None
    skipped: str | None = None


def looks_generated(text: str) -> bool:
    """Minified or machine-written: a huge line is never code a reader wants."""
    return any(len(line) > _MINIFIED_LINE for line in text.splitlines())


def extract_text(rel: str, data: bytes) -> FileFacts | str:
    """Facts of a file's bytes, or a skip reason."""
    language = language_for_path(rel)
    if language != "python":
        return f"no index extractor for {language or 'this file type'}"
    text = decode_source(Path(rel), data)
    if isinstance(text, SkipReason):
        return text.detail
    if looks_generated(text):
        return "minified or generated"
    from tree_sitter import Parser

    from backend_lsp.index.python import extract_python

    grammar = get_language(language)
    if grammar is None:
        return "grammar not installed"
    source = text.encode("utf-8")
    tree = Parser(grammar).parse(source)
    return extract_python(source, tree.root_node, rel)


def extract_path(root: str, rel: str) -> Extracted:
    """Read and extract ``root/rel``; never raises for bad input."""
    path = Path(root) / rel
    try:
        info = path.stat()
        if info.st_size > MAX_FILE_BYTES:
            return Extracted(rel, "", info.st_mtime_ns, info.st_size, None, "too large")
        data = path.read_bytes()
    except OSError as error:
        return Extracted(rel, "", 0, 0, None, error.strerror or type(error).__name__)
    try:
        result = extract_text(rel, data)
    except Exception as error:  # a grammar or extractor bug loses one file, not the index
        result = f"extraction failed: {type(error).__name__}: {error}"
    if isinstance(result, str):
        return Extracted(rel, content_hash(data), info.st_mtime_ns, len(data), None, result)
    return Extracted(rel, content_hash(data), info.st_mtime_ns, len(data), result)


def extract_many(root: str, rels: list[str]) -> list[Extracted]:
    """A worker's batch (fewer, larger messages than one call per file)."""
    return [extract_path(root, rel) for rel in rels]
