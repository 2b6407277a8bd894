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
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from backend_lsp import __version__
from backend_lsp.analysis.registry import select_rules
from backend_lsp.analysis.schema import WorkspaceSchema
from backend_lsp.config import AnalysisSettings
from backend_lsp.engine import FileTooLarge, analyze_document, is_excluded, settings_key
from backend_lsp.files import IgnoreRules, SkipReason, iter_source_files, read_source
from backend_lsp.report.check_cache import ResultCache, cache_key
from backend_lsp.report.model import CheckReport, LocatedFinding, locate
from backend_lsp.syntax import ParsedDocument, language_for_path

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


def _init_worker(job: _Job) -> None:
    global _JOB
    _JOB = job


def _schema_facts(path: Path) -> Any:
    from backend_lsp.analysis.schema_discovery import schema_facts

    assert _JOB is not None
    cache = ResultCache(_JOB.cache_dir) if _JOB.use_cache else None
    key = ""
    if cache is not None and path.suffix.lower() in {".py", ".sql"}:
        try:
            key = cache_key("schema", str(path.absolute()), path.read_bytes())
        except OSError:
            return None
        hit = cache.get(key)
        if hit is not None:
            return hit[0]
    facts = schema_facts(path)
    if cache is not None and key:
        cache.put(key, (facts,))
    return facts


_Result = tuple[list[LocatedFinding], SkipReason | None]


def _analyse(path: Path) -> _Result:
    """One file's located findings, or why it was skipped."""
    assert _JOB is not None
    job = _JOB
    text = read_source(path, job.settings.max_file_bytes)
    if isinstance(text, SkipReason):
        return [], text
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
        if hit is not None:
            document = ParsedDocument(text, None)  # no parse: the index is all locate needs
            return [_locate(f, document, path, job) for f in hit], None
    document = ParsedDocument(text, language_for_path(path))
    try:
        findings = analyze_document(str(path), document, job.settings, job.schema, root=job.root)
    except FileTooLarge as error:  # text grew past the limit when re-encoded
        return [], SkipReason(path, "too-large", str(error))
    except Exception as error:  # never let one file end the run
        log.exception("analysis failed on %s", path)
        return [], SkipReason(path, "failed", f"analysis failed: {error}")
    if cache is not None:
        cache.put(key, findings)
    return [_locate(f, document, path, job) for f in findings], None


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
    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(job,)) as pool:
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
    job = _Job(settings, root, cwd, WorkspaceSchema(), "", cache_dir, use_cache)
    schema = _schema(files, job, workers, progress)
    digest = hashlib.sha256(pickle.dumps(schema.tables)).hexdigest()
    job = _Job(settings, root, cwd, schema, digest, cache_dir, use_cache)
    results = _map(
        _analyse, files, job, workers, lambda done: progress("analysing", done, len(files))
    )
    for located, skipped in results:
        if skipped is not None:
            report.skipped.append(skipped)
            continue
        report.files_checked += 1
        report.findings.extend(located)
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
    return _schema(files, job, workers or os.cpu_count() or 1, lambda _p, _d, _t: None)


def _files(paths: Sequence[Path], root: Path, settings: AnalysisSettings) -> list[Path]:
    return [
        path
        for path in iter_source_files(paths, root, IgnoreRules(root))
        if not is_excluded(str(path), settings, root)
    ]


def _schema(files: Sequence[Path], job: _Job, workers: int, progress: Progress) -> WorkspaceSchema:
    from backend_lsp.analysis.schema_discovery import assemble_schema

    try:
        facts: Iterable[Any] = _map(
            _schema_facts, files, job, workers, lambda done: progress("schema", done, len(files))
        )
        return assemble_schema(list(facts))
    except Exception:
        log.exception("schema discovery failed; continuing without a schema")
        return WorkspaceSchema()
