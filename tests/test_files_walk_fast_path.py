"""The tree walk matches only each entry's own name below the top; the answer must equal
asking ``is_ignored`` about every file (ancestors, nested .gitignore files, negations)."""

from __future__ import annotations

import os
from pathlib import Path

from backend_lsp.files import IgnoreRules, iter_source_files

LAYOUT = {
    ".gitignore": "build/\n*.gen.py\n!keep.gen.py\nlocal_*\n",
    "app/.gitignore": "secret_views.py\nfixtures/\n!fixtures/\n/only_here.py\n",
    "app/sub/.gitignore": "!secret_views.py\n*.tmp.py\n",
}
FILES = (
    "app/views.py", "app/secret_views.py", "app/only_here.py", "app/sub/only_here.py",
    "app/sub/secret_views.py", "app/sub/x.tmp.py", "app/fixtures/data.py", "build/out.py",
    "app/build/deep.py", "a.gen.py", "keep.gen.py", "app/keep.gen.py", "local_conf.py",
    "app/local_x/mod.py", "node_modules/pkg/index.py", "app/__pycache__/m.py", "README.md",
)  # fmt: skip


def test_walk_equals_asking_about_every_file(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    for name, text in LAYOUT.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    for name in FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x = 1\n", encoding="utf-8")
    rules = IgnoreRules(tmp_path)
    expected = sorted(
        Path(folder) / name
        for folder, _, names in os.walk(tmp_path)
        for name in names
        if name.endswith(".py") and not rules.is_ignored(Path(folder) / name)
    )
    walked = list(iter_source_files([tmp_path], tmp_path, IgnoreRules(tmp_path)))
    assert sorted(walked) == expected
    assert tmp_path / "app" / "views.py" in walked
    assert tmp_path / "app" / "sub" / "secret_views.py" in walked  # re-included deeper
    assert tmp_path / "app" / "secret_views.py" not in walked
    assert tmp_path / "app" / "build" / "deep.py" not in walked
    assert tmp_path / "keep.gen.py" in walked and tmp_path / "a.gen.py" not in walked
