"""What a file's path says about its role (tests, migrations, settings, service code).

Rules weigh findings by role: a hard-coded password in a test fixture, a loop
in a data migration or ``DEBUG = True`` in ``settings/dev.py`` is not the same
problem as in production code. ``location_kinds`` is the one place that says
which kinds a path belongs to; each rule's ``RuleMeta.locations`` says what
it means there.
"""

from __future__ import annotations

import functools
import itertools
from enum import StrEnum
from pathlib import PurePath
from typing import Literal

LocationName = Literal["tests", "migrations", "fixtures", "scripts", "settings"]


class Location(StrEnum):
    """Where code lives, as framework conventions tell from the path."""

    TESTS = "tests"  # tests/, test_*.py, *_test.py, conftest.py
    MIGRATIONS = "migrations"  # Django migrations/, alembic/; by content anywhere (roles.py)
    FIXTURES = "fixtures"  # fixtures/, factories, mock_data.py: data made up for tests and demos
    SCRIPTS = "scripts"  # management/commands/, scripts/, bin/, cli.py, commands.py: run by hand
    SETTINGS = "settings"  # settings.py, settings/*.py, config modules


_MIGRATION_DIRS = {"alembic", "migrate_repo"}  # and any folder ending in "migrations"
_FIXTURE_DIRS = {"fixtures", "factories", "testdata", "test_data", "sample_data", "demo"}
_FIXTURE_STEMS = {
    "factories", "factory", "fixtures", "mock_data", "fake_data", "sample_data", "demo_data",
}  # fmt: skip
# A module named for the made-up data it writes (ckan's ``create_test_data.py``,
# ``load_sample_data.py``): the stem ends in one of these.
_FIXTURE_SUFFIXES = ("_test_data", "_testdata", "_sample_data", "_fake_data", "_demo_data")
_SCRIPT_DIRS = {"scripts", "script", "bin", "tools", "devtools", "cli"}
# A module of command-line entry points (click/typer ``cli.py``, ``commands.py``, ``manage.py``).
_SCRIPT_STEMS = {"cli", "commands", "manage"}

_TEST_DIRS = {"tests", "test", "testing", "testutils", "test_utils", "fixtures", "conftest"}
_DEV_SETTINGS = {"dev", "development", "local", "test", "tests", "testing", "ci"}
# Folders of a project kept beside the package to run it locally or show it off (misago's
# ``devproject/``, django-oscar's ``sandbox/``): their settings never reach production.
_DEV_PROJECT_DIRS = {
    "devproject", "dev_project", "devsite", "dev_site", "sandbox", "example_project",
    "demo_project", "sample_project", "testproject", "test_project",
}  # fmt: skip
_SERVICE_PARTS = {
    "views", "api", "apis", "routes", "routers", "endpoints", "handlers", "services",
    "service", "controllers", "tasks", "workers", "consumers", "jobs", "resources",
}  # fmt: skip


@functools.lru_cache(maxsize=256)
def _parts(path: str) -> tuple[str, ...]:
    """Lowered path parts; cached because every rule asks about the same few paths."""
    return tuple(p.lower() for p in PurePath(path.replace("\\", "/")).parts)


@functools.lru_cache(maxsize=256)
def is_test_path(path: str) -> bool:
    """pytest/unittest conventions: tests/ dirs, test_*.py, *_test.py, conftest.py, and the
    ``pytest_plugin.py`` a package ships its fixtures in (a ``pytest11`` entry point)."""
    parts = _parts(path)
    if not parts:
        return False
    stem = PurePath(parts[-1]).stem
    return (
        stem.startswith("test_")
        or stem.endswith("_test")
        or stem in ("conftest", "tests", "test", "pytest_plugin")
        or any(p in _TEST_DIRS for p in parts[:-1])
    )


@functools.lru_cache(maxsize=256)
def is_settings_path(path: str) -> bool:
    """Django/Flask style settings modules: settings.py, settings/*.py, config(s)/*.py."""
    parts = _parts(path)
    if not parts:
        return False
    stem = PurePath(parts[-1]).stem
    return stem in ("settings", "config", "configs", "conf") or any(
        p in ("settings", "config", "configs", "conf") for p in parts[:-1]
    )


@functools.lru_cache(maxsize=256)
def is_dev_settings_path(path: str) -> bool:
    """Settings meant for local work or tests (``settings/dev.py``, ``test_settings.py``,
    ``devproject/settings.py``). ``path`` is relative to the project root."""
    parts = _parts(path)
    if not parts:
        return False
    words = set(PurePath(parts[-1]).stem.replace("-", "_").split("_"))
    dev_folder = any(p in _DEV_PROJECT_DIRS or p in ("dev", "development") for p in parts[:-1])
    return is_test_path(path) or bool(words & _DEV_SETTINGS) or dev_folder


@functools.lru_cache(maxsize=256)
def is_service_path(path: str) -> bool:
    """Modules that serve requests or jobs (views, api, services, tasks...)."""
    parts = _parts(path)
    return any(PurePath(p).stem in _SERVICE_PARTS for p in parts)


@functools.lru_cache(maxsize=256)
def is_migration_path(path: str) -> bool:
    """Django ``migrations/`` (and their shared helpers), Alembic ``alembic/``, ``_migrations/``."""
    parts = _parts(path)
    if not parts or PurePath(parts[-1]).stem == "__init__":
        return False
    if PurePath(parts[-1]).stem in ("migrations", "migrate"):
        return True  # one module of migration steps (``core/migrations.py``)
    return any(p.endswith("migrations") or p in _MIGRATION_DIRS for p in parts[:-1])


@functools.lru_cache(maxsize=256)
def is_fixture_path(path: str) -> bool:
    parts = _parts(path)
    if not parts:
        return False
    stem = PurePath(parts[-1]).stem
    return (
        stem in _FIXTURE_STEMS
        or stem.endswith(_FIXTURE_SUFFIXES)
        or any(p in _FIXTURE_DIRS for p in parts[:-1])
    )


@functools.lru_cache(maxsize=256)
def is_script_path(path: str) -> bool:
    """Django management commands, CLI modules and maintenance scripts run by hand."""
    parts = _parts(path)
    if parts and PurePath(parts[-1]).stem in _SCRIPT_STEMS:
        return True
    folders = parts[:-1]
    if any(a == "management" and b == "commands" for a, b in itertools.pairwise(folders)):
        return True
    return any(p in _SCRIPT_DIRS for p in folders)


@functools.lru_cache(maxsize=256)
def location_kinds(path: str) -> frozenset[Location]:
    """Every kind the path belongs to (a test settings module is both)."""
    kinds = set[Location]()
    if is_test_path(path):
        kinds.add(Location.TESTS)
    if is_migration_path(path):
        kinds.add(Location.MIGRATIONS)
    if is_fixture_path(path):
        kinds.add(Location.FIXTURES)
    if is_script_path(path):
        kinds.add(Location.SCRIPTS)
    if is_settings_path(path):
        kinds.add(Location.SETTINGS)
    return frozenset(kinds)
