"""Configs read from node_modules follow ``npm install``: a shared tsconfig package
installed (or upgraded) after the index was built is read on the install's marker file
(``node_modules/.package-lock.json``), on a watched-file event for the config itself, and
on the next start, without node_modules being listed or its code read."""

from __future__ import annotations

from pathlib import Path

from tests.tree_files import write_tree

from backend_lsp.index import WorkspaceIndex

_INSTALLED = {
    "node_modules/@company/tsconfig-node/package.json": (
        '{"name": "@company/tsconfig-node", "version": "1.2.0",\n'
        ' "tsconfig": "./tsconfig.base.json"}\n'
    ),
    # TypeScript 5.5 ``${configDir}``: the consuming project's directory
    "node_modules/@company/tsconfig-node/tsconfig.base.json": (
        '{ "compilerOptions": { "module": "NodeNext", "strict": true,\n'
        '  "paths": { "@lib/*": ["${configDir}/src/lib/*"] } } }\n'
    ),
}


def _service(tmp_path: Path) -> Path:
    root = tmp_path / "billing-service"
    files = {
        ".gitignore": "node_modules/\n",
        "package.json": (
            '{"name": "billing-service", "type": "module",\n'
            ' "devDependencies": {"@company/tsconfig-node": "^1.2.0"}}\n'
        ),
        "tsconfig.json": '{ "extends": "@company/tsconfig-node", "include": ["src"] }\n',
        "src/app.ts": "import { slugify } from '@lib/strings';\nexport const s = slugify('A');\n",
        "src/lib/strings.ts": "export const slugify = (s: string) => s.toLowerCase();\n",
        # installed before: node_modules exists, so the tree walk's stamps do not move
        "node_modules/express/package.json": '{"name": "express", "main": "index.js"}\n',
        "node_modules/express/index.js": "module.exports = {};\n",
    }
    write_tree(root, files)
    return root


def _install(root: Path, files: dict[str, str]) -> None:
    write_tree(root, files)
    (root / "node_modules/.package-lock.json").write_text('{"lockfileVersion": 3}\n')


def test_install_marker_reads_the_newly_installed_config(tmp_path: Path) -> None:
    root = _service(tmp_path)
    index = WorkspaceIndex(root, persist=False)
    index.build(workers=1)
    assert index.view().resolver.js.resolve("src/app.ts", "@lib/strings") is None
    # the package is not installed yet, but where it would be is watched
    assert "node_modules/@company/tsconfig-node/tsconfig.json" in index.vendored
    _install(root, _INSTALLED)
    assert index.update(root / "node_modules/.package-lock.json")
    assert index.view().resolver.js.resolve("src/app.ts", "@lib/strings") == "src/lib/strings.ts"
    # only the configs the chain names were read from node_modules
    assert sorted(rel for rel in index.files if rel.startswith("node_modules/")) == sorted(
        _INSTALLED
    )
    # a watched-file event on the installed config itself is followed; other files in
    # node_modules are still not indexed
    config = root / "node_modules/@company/tsconfig-node/tsconfig.base.json"
    config.write_text(config.read_text().replace("@lib/*", "@shared/*"))
    assert index.update(config)
    js = index.view().resolver.js
    assert js.resolve("src/app.ts", "@shared/strings") == "src/lib/strings.ts"
    assert not index.update(root / "node_modules/express/package.json")
    assert not index.update(root / "node_modules/.package-lock.json")  # nothing moved


def test_restart_notices_an_install_made_while_the_editor_was_closed(tmp_path: Path) -> None:
    root = _service(tmp_path)
    cache = tmp_path / "cache"
    first = WorkspaceIndex(root, cache_dir=cache)
    first.build(workers=1)
    first.close()
    _install(root, _INSTALLED)  # node_modules/@company/ appears; no stamped directory moves
    second = WorkspaceIndex(root, cache_dir=cache)
    stats = second.build(workers=1)
    assert stats.parsed == 2  # the two installed files, nothing else
    js = second.view().resolver.js
    assert js.resolve("src/app.ts", "@lib/strings") == "src/lib/strings.ts"
    second.close()
