"""One file on disk -> its facts; the unit of work a worker process runs.

Kept free of shared state so it runs unchanged in a worker process (tree-sitter
parsing holds the GIL, so threads would not help) or in-process for a single
file update.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from backend_lsp.files import SkipReason, decode_source
from backend_lsp.index.facts import FileFacts
from backend_lsp.index.jspackages import INSTALL_MARKERS
from backend_lsp.index.store import content_hash, serialize
from backend_lsp.syntax.languages import extensions, get_language, language_for_path

if TYPE_CHECKING:
    from tree_sitter import Node

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
    blob: bytes | None = None  # the facts in their stored form, when a parse worker made it


def looks_generated(text: str) -> bool:
    """Minified or machine-written: a huge line is never code a reader wants."""
    if len(text) <= _MINIFIED_LINE:  # no line can be longer than the file
        return False
    return max(map(len, text.splitlines())) > _MINIFIED_LINE


# index language -> (module, function, needs a tree-sitter parse); imported on first use.
# An extractor returns the file's facts, or a reason to skip it (a generated file).
EXTRACTORS: dict[str, tuple[str, str, bool]] = {
    "python": ("backend_lsp.index.python", "extract_python", True),
    "go": ("backend_lsp.index.golang", "extract_go", True),
    "gomod": ("backend_lsp.index.golang", "extract_gomod", False),
    "sql": ("backend_lsp.index.sqlfiles", "extract_sql", False),
    "javascript": ("backend_lsp.index.javascript", "extract_js", True),
    "typescript": ("backend_lsp.index.javascript", "extract_js", True),
    "typescriptreact": ("backend_lsp.index.javascript", "extract_js", True),
    "tsconfig": ("backend_lsp.index.tsconfig", "extract_tsconfig", False),
    "prisma": ("backend_lsp.index.prisma", "extract_prisma", False),
    "jspackage": ("backend_lsp.index.jspackages", "extract_manifest", False),
}
# Index languages of files the walk finds by name, not by a grammar's extension.
NAMED_FILES = {
    "go.mod": "gomod",
    "tsconfig.json": "tsconfig",
    "jsconfig.json": "tsconfig",
    "package.json": "jspackage",
    "pnpm-workspace.yaml": "jspackage",
}
SUFFIXES = {".prisma": "prisma"}
# tsconfig.base.json, tsconfig-google.json, base.tsconfig.json: what ``extends`` names
_TSCONFIG = re.compile(r"[\w.-]*tsconfig[\w.-]*\.json")
# A shared-config package (``@acme/tsconfig``, ``@repo/typescript-config``): its JSON files
# are configs an ``extends`` names (``base.json``, ``node20.json``).
_CONFIG_PACKAGE = re.compile(r"(?:^|[-_.@])(?:tsconfig|typescript-config|ts-config)$")
# Third-party code checked into the tree (Go modules' vendor/): not the workspace's own.
_VENDORED = frozenset({"go", "gomod", "sql"})
# Build output and bundles, not source: type declarations and minified files.
_BUILT = (".d.ts", ".d.mts", ".d.cts", ".min.js", ".min.mjs", ".bundle.js")
Extractor = Callable[[bytes, "Node | None", str], "FileFacts | str"]


def index_language(rel: str | PurePath) -> str | None:
    """The extractor a path gets (None: not indexed): by extension, plus ``NAMED_FILES``."""
    pure = PurePath(rel)
    language = (
        NAMED_FILES.get(pure.name)
        or SUFFIXES.get(pure.suffix)
        or ("tsconfig" if _TSCONFIG.fullmatch(pure.name) else None)
        or ("tsconfig" if pure.suffix == ".json" and _config_package(pure) else None)
        or language_for_path(pure)
    )
    if language in _VENDORED and "vendor" in pure.parts[:-1]:
        return None
    if pure.name.endswith(_BUILT):
        return None
    return language if language in EXTRACTORS else None


def extracted_language(rel: str | PurePath) -> str | None:
    """The extractor a file that reached extraction gets: ``index_language``, else a JSON
    file is a tsconfig. The walk keeps only files ``index_language`` names; any other
    JSON file comes here because a config's ``extends`` or ``references`` names it
    (``./config/base.json``; ``jsproject.project_files``, ``WorkspaceIndex.update``),
    and what it is comes from that role, not its name."""
    language = index_language(rel)
    if language is None and PurePath(rel).suffix == ".json":
        return "tsconfig"
    return language


def _config_package(pure: PurePath) -> bool:
    return len(pure.parts) > 1 and bool(_CONFIG_PACKAGE.search(pure.parts[-2]))


def watched_globs() -> tuple[str, ...]:
    """What the index reads, as file watcher globs (derived from ``EXTRACTORS``)."""
    globs = [f"**/*{ext}" for ext, lang in extensions().items() if lang in EXTRACTORS]
    globs += [f"**/*{ext}" for ext in SUFFIXES]
    globs += [f"**/{name}" for name in NAMED_FILES] + ["**/tsconfig.*.json"]
    globs += ["**/{tsconfig,typescript-config}/*.json"]
    globs += ["**/*tsconfig*.json"]  # what ``extends`` names (``tsconfig-google.json``)
    # rewritten by every package install: node_modules configs are re-checked (jsproject)
    globs += [f"**/node_modules/{{{','.join(INSTALL_MARKERS)}}}"]
    return tuple(dict.fromkeys(globs))


def _extractor(language: str) -> tuple[Extractor, bool]:
    module, function, parse = EXTRACTORS[language]
    extract: Extractor = getattr(importlib.import_module(module), function)
    return extract, parse


def extract_text(rel: str, data: bytes) -> FileFacts | str:
    """Facts of a file's bytes, or a skip reason."""
    language = extracted_language(rel)
    if language is None:
        return f"no index extractor for {language_for_path(rel) or 'this file type'}"
    text = decode_source(Path(rel), data)
    if isinstance(text, SkipReason):
        return text.detail
    if looks_generated(text):
        return "minified or generated"
    extract, parse = _extractor(language)
    source = text.encode("utf-8")
    if not parse:
        return extract(source, None, rel)
    from tree_sitter import Parser

    grammar = get_language(language)
    if grammar is None:
        return "grammar not installed"
    tree = Parser(grammar).parse(source)
    return extract(source, tree.root_node, rel)


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
    """A worker's batch (fewer, larger messages than one call per file).

    The facts travel as their stored text only (``blob``; ``facts`` None): it is
    what the cache keeps, and reading it back costs the receiving process less
    than unpickling the records (25 vs 37 ms for 64 files), in steps it can pause
    between (``parsing.decoded``), where unpickling is one call per batch.
    """
    results = [extract_path(root, rel) for rel in rels]
    return [
        r if r.facts is None else replace(r, facts=None, blob=serialize(r.facts)) for r in results
    ]
