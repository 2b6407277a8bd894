"""``check``'s per-file cache and process pool: same answers, fewer re-analyses."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from backend_lsp.config import AnalysisSettings
from backend_lsp.report import collect as collect_module
from backend_lsp.report.collect import collect

VIEW = """\
import requests


def sync_account_{n}(account_id):
    return requests.get(f"https://ledger.internal/accounts/{{account_id}}")
"""


def write_app(root: Path, count: int) -> None:
    (root / "pyproject.toml").write_text("[project]\nname = 'ledger'\n", encoding="utf-8")
    (root / "ledger").mkdir()
    for n in range(count):
        (root / "ledger" / f"sync_{n}.py").write_text(VIEW.format(n=n), encoding="utf-8")


def summary(report: collect_module.CheckReport) -> list[tuple[str, int, str]]:
    return [(i.path, i.span.line, i.finding.code) for i in report.findings]


def test_warm_run_reuses_results_and_an_edit_misses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_app(tmp_path, 3)
    cache = tmp_path / "cache"
    settings = AnalysisSettings()
    cold = collect([tmp_path], tmp_path, settings, cwd=tmp_path, cache_dir=cache, workers=1)
    assert len(cold.findings) == 3

    calls: list[str] = []
    real = collect_module.analyze_document

    def counting(path: str, *args: object, **kwargs: object) -> object:
        calls.append(Path(path).name)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(collect_module, "analyze_document", counting)
    warm = collect([tmp_path], tmp_path, settings, cwd=tmp_path, cache_dir=cache, workers=1)
    assert summary(warm) == summary(cold)
    assert calls == []

    edited = tmp_path / "ledger" / "sync_1.py"
    edited.write_text("\n\n" + edited.read_text(encoding="utf-8"), encoding="utf-8")
    after = collect([tmp_path], tmp_path, settings, cwd=tmp_path, cache_dir=cache, workers=1)
    assert calls == ["sync_1.py"]
    assert [line for path, line, _ in summary(after) if path.endswith("sync_1.py")] == [7]

    other = AnalysisSettings(ignore=["BE007"])
    ignored = collect([tmp_path], tmp_path, other, cwd=tmp_path, cache_dir=cache, workers=1)
    assert ignored.findings == []  # settings are part of the key


def test_pool_gives_the_same_report_as_one_process(tmp_path: Path) -> None:
    write_app(tmp_path, 70)
    settings = AnalysisSettings()
    single = collect([tmp_path], tmp_path, settings, cwd=tmp_path, use_cache=False, workers=1)
    pooled = collect([tmp_path], tmp_path, settings, cwd=tmp_path, use_cache=False, workers=2)
    assert len(single.findings) == 70
    assert summary(pooled) == summary(single)
    assert pooled.files_checked == single.files_checked == 70


def test_unwritable_cache_degrades_to_no_cache(tmp_path: Path) -> None:
    write_app(tmp_path, 2)
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("", encoding="utf-8")
    report = collect(
        [tmp_path], tmp_path, AnalysisSettings(), cwd=tmp_path, cache_dir=blocker, workers=1
    )
    assert len(report.findings) == 2


def test_an_edited_analyzer_source_changes_every_key(tmp_path: Path) -> None:
    """Editable installs keep their version across edits; the key must still move."""
    from backend_lsp.report.check_cache import source_digest

    rules = tmp_path / "rules"
    rules.mkdir()
    module = rules / "rule.py"
    module.write_text("LIMIT = 1\n")
    before = source_digest(tmp_path)
    assert source_digest(tmp_path) == before
    module.write_text("LIMIT = 22\n")
    assert source_digest(tmp_path) != before
    (rules / "new_rule.py").write_text("")
    assert source_digest(tmp_path) != before


def test_warm_run_reads_no_file_and_a_same_size_edit_still_misses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from backend_lsp.report import check_cache

    monkeypatch.setattr(check_cache, "_RACY_NS", 0)  # trust signatures of files just written
    write_app(tmp_path, 3)
    cache = tmp_path / "cache"
    settings = AnalysisSettings()
    cold = collect([tmp_path], tmp_path, settings, cwd=tmp_path, cache_dir=cache, workers=1)

    reads: list[str] = []
    real_read = collect_module.read_source

    def counting_read(path: Path, limit: int) -> object:
        reads.append(path.name)
        return real_read(path, limit)

    monkeypatch.setattr(collect_module, "read_source", counting_read)
    warm = collect([tmp_path], tmp_path, settings, cwd=tmp_path, cache_dir=cache, workers=1)
    assert summary(warm) == summary(cold)
    assert reads == []  # the run manifest answered from stat alone

    edited = tmp_path / "ledger" / "sync_2.py"
    before = edited.stat()
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("requests.get(", "requests.put("), encoding="utf-8")
    assert edited.stat().st_size == before.st_size
    os.utime(edited, ns=(before.st_atime_ns, before.st_mtime_ns))  # same size, same mtime
    after = collect([tmp_path], tmp_path, settings, cwd=tmp_path, cache_dir=cache, workers=1)
    assert reads == ["sync_2.py"]  # the changed ctime sent it to the content hash
    fresh = collect([tmp_path], tmp_path, settings, cwd=tmp_path, use_cache=False, workers=1)
    messages = [i.finding.message for i in after.findings]
    assert messages == [i.finding.message for i in fresh.findings]
    assert messages != [i.finding.message for i in cold.findings]


def test_result_cache_is_bounded_and_evicts_the_oldest(tmp_path: Path) -> None:
    from backend_lsp.report.check_cache import ResultCache, cache_key

    cache = ResultCache(tmp_path, max_mb=0.01)  # about 10 kB
    keys = [cache_key("entry", str(n)) for n in range(8)]
    for n, key in enumerate(keys):
        cache.put(key, "x" * 3000)
        path = cache.directory / key[:2] / f"{key}.pickle"
        os.utime(path, ns=(n * 10**9, n * 10**9))  # written in order
    assert cache.size() > cache.max_bytes
    removed = cache.prune()
    assert cache.size() <= cache.max_bytes
    assert removed == 5
    assert [cache.get(key) is not None for key in keys] == [False] * 5 + [True] * 3


@pytest.mark.parametrize(("cap_mb", "kept"), [(1, False), (None, True)])
def test_cache_cap_is_the_analysis_cache_max_mb_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cap_mb: int | None, kept: bool
) -> None:
    """A 2 MB stale entry outlives a run under the 256 MB default, not under a 1 MB cap."""
    from backend_lsp.report import check_cache
    from backend_lsp.report.check_cache import ResultCache, cache_key

    monkeypatch.setattr(check_cache, "_RACY_NS", 0)  # trust files just written: a manifest
    write_app(tmp_path, 2)
    cache_dir = tmp_path / "cache"
    stale = cache_key("stale")
    ResultCache(cache_dir).put(stale, "x" * 2_000_000)
    path = ResultCache(cache_dir).directory / stale[:2] / f"{stale}.pickle"
    os.utime(path, ns=(10**9, 10**9))  # the oldest entry by far
    settings = AnalysisSettings() if cap_mb is None else AnalysisSettings(cache_max_mb=cap_mb)
    report = collect([tmp_path], tmp_path, settings, cwd=tmp_path, cache_dir=cache_dir, workers=1)
    assert [code for _, _, code in summary(report)] == ["BE007", "BE007"]
    assert path.exists() is kept
