"""Run the analyzer over files on disk and gather a CheckReport.

The CLI's ``check`` is this plus formatting; nothing here prints, so the same
collection can back other front ends (a pre-commit hook, a bench).

Two passes, each spread over a process pool and cached per file: the
workspace schema's per-file facts, then the analysis (which depends on the
assembled schema, so its cache key includes a digest of it).
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from backend_lsp import __version__
from backend_lsp.analysis.path_rules import PathRules, relative_posix
from backend_lsp.analysis.registry import select_rules
from backend_lsp.analysis.schema import WorkspaceSchema
from backend_lsp.analysis.taint.summaries import Dependency
from backend_lsp.analysis.taint.workspace import WorkspaceSummaries
from backend_lsp.config import AnalysisSettings
from backend_lsp.engine import FileTooLarge, analyze_document, settings_key
from backend_lsp.files import IgnoreRules, SkipReason, iter_source_files, read_source
from backend_lsp.report.check_cache import (
    ResultCache,
    RunManifest,
    Stat,
    cache_key,
    stat_signature,
    trusted,
)
from backend_lsp.report.model import CheckReport, LocatedFinding, locate
from backend_lsp.syntax import ParsedDocument, language_for_path
from backend_lsp.syntax.parse_store import ParseStore, install, shared_document, sharing_parses

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]  # (phase, done, total)
# Below this many files a pool costs more to start than it saves.
_POOL_MIN_FILES = 64
_CHUNK = 16


@dataclass(frozen=True, slots=True)
class _Job:
    """Everything a worker needs, sent once per worker process."""

    settings: AnalysisSettings
    root: Path
    cwd: Path
    schema: WorkspaceSchema
    schema_digest: str
    cache_dir: Path | None
    use_cache: bool


_JOB: _Job | None = None
_SUMMARIES: WorkspaceSummaries | None = None  # per process: each module summarised once


def _init_worker(job: _Job) -> None:
    global _JOB
    _JOB = job


def _init_pool_worker(job: _Job) -> None:
    """A pool process lives for one pass of one run: its parses are shared until it ends."""
    install(ParseStore())
    _init_worker(job)


def _summaries(root: Path) -> WorkspaceSummaries:
    """The process's summaries of imported helpers under ``root`` (taint across modules)."""
    global _SUMMARIES
    if _SUMMARIES is None or _SUMMARIES.root != root.resolve():
        _SUMMARIES = WorkspaceSummaries(root)
    return _SUMMARIES


def _schema_facts(path: Path) -> Any:
    from backend_lsp.analysis.schema_discovery import may_define_schema, schema_facts

    assert _JOB is not None
    cache = ResultCache(_JOB.cache_dir) if _JOB.use_cache else None
    key = ""
    suffix = path.suffix.lower()
    if suffix == ".py" or (cache is not None and suffix == ".sql"):
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if suffix == ".py" and not may_define_schema(data):
            return None  # most files: no parse, no cache entry
        if cache is not None:
            key = cache_key("schema", str(path.absolute()), data)
            hit = cache.get(key)
            if hit is not None:
                return hit[0]
    facts = schema_facts(path)
    if cache is not None and key:
        cache.put(key, (facts,))
    return facts


# Located findings, or why the file was skipped, and the imported modules (path, content
# digest) the findings depend on: a result is reused only while they are unchanged.
_Result = tuple[list[LocatedFinding], SkipReason | None, frozenset[Dependency]]
_NO_DEPENDENCIES: frozenset[Dependency] = frozenset()


def _analyse(path: Path) -> _Result:
    """One file's located findings, or why it was skipped."""
    assert _JOB is not None
    job = _JOB
    text = read_source(path, job.settings.max_file_bytes)
    if isinstance(text, SkipReason):
        return [], text, _NO_DEPENDENCIES
    summaries = _summaries(job.root)
    cache = ResultCache(job.cache_dir) if job.use_cache else None
    key = ""
    if cache is not None:
        key = cache_key(
            "analysis",
            str(path.absolute()),
            str(job.root.absolute()),
            job.schema_digest,
            repr(settings_key(job.settings)),
            text,
        )
        hit = cache.get(key)
        if hit is not None and summaries.current(hit[1]):
            document = ParsedDocument(text, None)  # no parse: the index is all locate needs
            return [_locate(f, document, path, job) for f in hit[0]], None, hit[1]
    # The file's schema pass and the taint analysis of its importers read it too.
    document = shared_document(os.path.realpath(path), text, language_for_path(path))
    try:
        findings = analyze_document(
            str(path),
            document,
            job.settings,
            job.schema,
            root=job.root,
            summaries=summaries,
            batch=True,
        )
    except FileTooLarge as error:  # text grew past the limit when re-encoded
        return [], SkipReason(path, "too-large", str(error)), _NO_DEPENDENCIES
    except Exception as error:  # never let one file end the run
        log.exception("analysis failed on %s", path)
        return [], SkipReason(path, "failed", f"analysis failed: {error}"), _NO_DEPENDENCIES
    dependencies = summaries.dependencies_of(str(path))
    if cache is not None:
        cache.put(key, (findings, dependencies))
    return [_locate(f, document, path, job) for f in findings], None, dependencies


def _locate(finding: Any, document: ParsedDocument, path: Path, job: _Job) -> LocatedFinding:
    return locate(finding, document.index, path, cwd=job.cwd, root=job.root)


T = TypeVar("T")


def _map(
    function: Callable[[Path], T],
    files: Sequence[Path],
    job: _Job,
    workers: int,
    on_done: Callable[[int], None],
) -> Iterator[T]:
    """``function`` over ``files`` in order, in a pool when that pays off."""
    if workers <= 1 or len(files) < _POOL_MIN_FILES:
        _init_worker(job)
        for done, path in enumerate(files, 1):
            yield function(path)
            on_done(done)
        return
    with ProcessPoolExecutor(workers, initializer=_init_pool_worker, initargs=(job,)) as pool:
        for done, result in enumerate(pool.map(function, files, chunksize=_CHUNK), 1):
            yield result
            on_done(done)


def collect(
    paths: Sequence[Path],
    root: Path,
    settings: AnalysisSettings,
    *,
    cwd: Path,
    use_cache: bool = True,
    cache_dir: Path | None = None,
    workers: int | None = None,
    on_progress: Progress | None = None,
) -> CheckReport:
    """Findings for every source file under ``paths`` (gitignore and exclude respected)."""
    rules = select_rules(settings.select, settings.ignore)
    report = CheckReport(root=root, rules=[rule.meta for rule in rules], tool_version=__version__)
    files = _files(paths, root, settings)
    workers = workers or os.cpu_count() or 1
    progress = on_progress or (lambda _phase, _done, _total: None)
    cache = ResultCache(cache_dir, settings.cache_max_mb) if use_cache else None
    manifest = None
    if cache is not None:
        run = (str(root.absolute()), str(cwd.absolute()), repr(settings_key(settings)))
        manifest = RunManifest(cache, cache_key("run", *run))
    names = [str(path.absolute()) for path in files]
    now = time.time_ns()
    stats = [trusted(stat_signature(path), now) for path in files]
    known = [_unchanged(manifest, name, stat) for name, stat in zip(names, stats, strict=True)]

    # In-process passes share one parse per file content (a pool worker does the same
    # for its own files: _init_pool_worker).
    with sharing_parses():
        job = _Job(settings, root, cwd, WorkspaceSchema(), "", cache_dir, use_cache)
        facts = _gather(
            _schema_facts,
            files,
            [None if entry is None else (entry[1],) for entry in known],
            job,
            workers,
            lambda done, total: progress("schema", done, total),
        )
        schema = _schema([fact for fact in facts])
        digest = hashlib.sha256(pickle.dumps(schema.tables)).hexdigest()
        job = _Job(settings, root, cwd, schema, digest, cache_dir, use_cache)
        summaries = _summaries(root)  # a stat per dependency, to vouch for a manifest entry
        results = _gather(
            _analyse,
            files,
            [
                None
                if entry is None or entry[2] != digest or not summaries.current(entry[3][2])
                else (entry[3],)
                for entry in known
            ],
            job,
            workers,
            lambda done, total: progress("analysing", done, total),
        )
    for located, skipped, _dependencies in results:
        if skipped is not None:
            report.skipped.append(skipped)
            continue
        report.files_checked += 1
        report.findings.extend(located)
    if cache is not None and manifest is not None:
        entries = {
            name: (stat, fact, digest, result)
            for name, stat, fact, result in zip(names, stats, facts, results, strict=True)
            if stat is not None and (result[1] is None or result[1].kind != "failed")
        }
        if entries != manifest.entries:
            manifest.save(entries)
            cache.prune()
    return report


def workspace_schema(
    root: Path, settings: AnalysisSettings, *, use_cache: bool = True, workers: int | None = None
) -> WorkspaceSchema:
    """The schema ``check`` of ``root`` analyses with (same files, same per-file cache).

    Front ends that analyse one file (``explain``, ``run``) use it so their
    findings, and what they explain, agree with ``check``.
    """
    files = _files([root], root, settings)
    job = _Job(settings, root, root, WorkspaceSchema(), "", None, use_cache)
    workers = workers or os.cpu_count() or 1
    return _schema(_map(_schema_facts, files, job, workers, lambda _done: None))


def _files(paths: Sequence[Path], root: Path, settings: AnalysisSettings) -> list[Path]:
    path_rules = PathRules.from_settings(settings)  # once, not per file
    return [
        path
        for path in iter_source_files(paths, root, IgnoreRules(root))
        if not path_rules.is_excluded(relative_posix(path, root))
    ]


def _unchanged(
    manifest: RunManifest | None, name: str, stat: Stat | None
) -> tuple[Stat, Any, str, Any] | None:
    """The manifest's entry for a file whose signature it recorded unchanged, else None."""
    if manifest is None or stat is None:
        return None
    entry = manifest.entries.get(name)
    return entry if entry is not None and entry[0] == stat else None


def _gather(
    function: Callable[[Path], T],
    files: Sequence[Path],
    known: Sequence[tuple[T] | None],
    job: _Job,
    workers: int,
    on_done: Callable[[int, int], None],
) -> list[T]:
    """``function`` over the files whose result is not ``known`` (a 1-tuple), in file order."""
    missing = [files[i] for i, hit in enumerate(known) if hit is None]
    computed = iter(_map(function, missing, job, workers, lambda d: on_done(d, len(missing))))
    return [hit[0] if hit is not None else next(computed) for hit in known]


def _schema(facts: Iterable[Any]) -> WorkspaceSchema:
    from backend_lsp.analysis.schema_discovery import assemble_schema

    try:
        return assemble_schema(list(facts))
    except Exception:
        log.exception("schema discovery failed; continuing without a schema")
        return WorkspaceSchema()
