"""Fixture workspaces are copied to tmp so tests can edit them and own their cache."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.fixture_installs import install
from tests.tree_files import write_tree

DATA = Path(__file__).resolve().parents[1] / "data" / "index"


def copy_fixture(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(DATA / name, target)
    return target


@pytest.fixture
def fastapi_root(tmp_path: Path) -> Path:
    return copy_fixture("fastapi_sqlmodel", tmp_path) / "backend"


@pytest.fixture
def django_root(tmp_path: Path) -> Path:
    return copy_fixture("django_drf", tmp_path)


@pytest.fixture
def go_root(tmp_path: Path) -> Path:
    return copy_fixture("go_gin_gorm", tmp_path)


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def express_root(tmp_path: Path) -> Path:
    return copy_fixture("express_prisma", tmp_path)


@pytest.fixture
def nest_root(tmp_path: Path) -> Path:
    return copy_fixture("nest_typeorm", tmp_path)


@pytest.fixture
def cjs_root(tmp_path: Path) -> Path:
    return copy_fixture("express_cjs", tmp_path)


# What ``npm install`` leaves that resolution reads (never committed, so written here):
# the tsconfig a shared config extends, and package code the index must never read.
_INSTALLED = {
    "node_modules/@tsconfig/node20/package.json": '{"name": "@tsconfig/node20"}\n',
    "node_modules/@tsconfig/node20/tsconfig.json": (
        '{ "compilerOptions": { "lib": ["es2023"], "module": "node16", '
        '"target": "es2022", "outDir": "build" } }\n'
    ),
    "node_modules/express/package.json": '{"name": "express", "main": "index.js"}\n',
    "node_modules/express/index.js": "module.exports = require('./lib/express');\n",
    "node_modules/express/tsconfig.json": '{ "compilerOptions": { "baseUrl": "." } }\n',
}


@pytest.fixture
def monorepo_root(tmp_path: Path) -> Path:
    root = copy_fixture("node_monorepo", tmp_path)
    (root / ".gitignore").write_text("node_modules/\ndist/\n.env\n")
    write_tree(root, _INSTALLED)
    return root


@pytest.fixture
def references_root(tmp_path: Path) -> Path:
    root = copy_fixture("ts_references", tmp_path)
    (root / ".gitignore").write_text("node_modules/\npackages/*/lib/\n")
    return install(root, "ts_references")
