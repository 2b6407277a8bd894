"""Context recall for JS/TS handlers: the workspace definitions TypeScript resolves from a
handler's identifiers (stored answers, checked against a live TypeScript when installed;
hand-written for the monorepo, whose packages resolve only once built) must be in the
context, within the token budget."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from jedi_oracle import recall
from route_handlers import handler_ranges
from tests.fixture_installs import install
from ts_oracle import FIXTURES, ask, expected_uses, stored, typescript_dir

from backend_lsp.cli import main
from backend_lsp.index import WorkspaceIndex

DATA = Path(__file__).resolve().parents[1] / "data" / "index"


@pytest.mark.parametrize("fixture", FIXTURES)
def test_context_recall_against_typescript(
    fixture: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = tmp_path / fixture
    shutil.copytree(DATA / fixture, root)
    install(root, fixture)  # node_modules links TypeScript follows (ts_references)
    monkeypatch.chdir(root)
    index = WorkspaceIndex(root, persist=False)
    index.build(workers=1)
    requests = handler_ranges(index)
    assert len(requests) >= 4
    expected = expected_uses(root, fixture, requests)
    typescript = typescript_dir()
    if typescript is not None and fixture != "node_monorepo":
        assert ask(typescript, root, requests) == [stored(fixture)[r] for r in requests]
    values: list[float] = []
    for (rel, first, last), uses in zip(requests, expected, strict=True):
        assert main(["context", f"{root / rel}:{first}-{last}", "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        result = recall(uses, data["items"])
        assert result.value >= 0.75, (rel, first, sorted(result.missed))
        assert int(data["tokens"]) <= 6000
        values.append(result.value)
    assert sum(values) / len(values) >= 0.9, values
