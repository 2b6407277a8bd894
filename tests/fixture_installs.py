"""What ``npm install`` leaves in a fixture workspace that resolution reads: never
committed (node_modules is ignored), so written here, for the index tests, the recall
test and ``bench/js_recall.py`` alike. TypeScript itself needs them to follow the
workspace's packages (``@invoicing/core``) and a shared config's ``extends``."""

from __future__ import annotations

from pathlib import Path

from tests.tree_files import write_tree

# ``npm install`` in the project-references workspace: the registry configs its shared
# config extends, and the links npm makes for the workspace's packages.
_REFERENCES_FILES = {
    "node_modules/@tsconfig/node20/package.json": (
        '{"name": "@tsconfig/node20", "version": "20.1.4", "license": "MIT"}\n'
    ),
    "node_modules/@tsconfig/node20/tsconfig.json": (
        '{ "compilerOptions": { "lib": ["es2023"], "module": "node16", '
        '"target": "es2022", "moduleResolution": "node16" } }\n'
    ),
    "node_modules/@tsconfig/strictest/package.json": '{"name": "@tsconfig/strictest"}\n',
    "node_modules/@tsconfig/strictest/tsconfig.json": (
        '{ "compilerOptions": { "strict": true, "noUncheckedIndexedAccess": true } }\n'
    ),
}
_REFERENCES_LINKS = {
    "node_modules/@invoicing/tsconfig": "../../tooling/tsconfig",
    "node_modules/@invoicing/core": "../../packages/core",
    "node_modules/@invoicing/api": "../../packages/api",
}
INSTALLS: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "ts_references": (_REFERENCES_FILES, _REFERENCES_LINKS),
}


def install(root: Path, fixture: str) -> Path:
    """Lay out ``fixture``'s install under ``root`` (nothing for a fixture without one)."""
    files, links = INSTALLS.get(fixture, ({}, {}))
    write_tree(root, files)
    for rel, target in links.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).symlink_to(target)
    return root
