"""Fixture workspaces are copied to tmp so tests can edit them and own their cache."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

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
