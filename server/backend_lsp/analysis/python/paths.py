"""What a file's path says about its role (tests, settings, service code).

Security rules weigh findings by role: a hard-coded password in a test
fixture or ``DEBUG = True`` in ``settings/dev.py`` is not the same problem as
in production settings.
"""

from __future__ import annotations

from pathlib import PurePath

_TEST_DIRS = {"tests", "test", "testing", "fixtures", "conftest"}
_DEV_SETTINGS = {"dev", "development", "local", "test", "tests", "testing", "ci"}
_SERVICE_PARTS = {
    "views", "api", "apis", "routes", "routers", "endpoints", "handlers", "services",
    "service", "controllers", "tasks", "workers", "consumers", "jobs", "resources",
}  # fmt: skip


def _parts(path: str) -> list[str]:
    return [p.lower() for p in PurePath(path.replace("\\", "/")).parts]


def is_test_path(path: str) -> bool:
    """pytest/unittest conventions: tests/ dirs, test_*.py, *_test.py, conftest.py."""
    parts = _parts(path)
    if not parts:
        return False
    stem = PurePath(parts[-1]).stem
    return (
        stem.startswith("test_")
        or stem.endswith("_test")
        or stem in ("conftest", "tests", "test")
        or any(p in _TEST_DIRS for p in parts[:-1])
    )


def is_settings_path(path: str) -> bool:
    """Django/Flask style settings modules: settings.py, settings/*.py, config(s)/*.py."""
    parts = _parts(path)
    if not parts:
        return False
    stem = PurePath(parts[-1]).stem
    return stem in ("settings", "config", "configs", "conf") or any(
        p in ("settings", "config", "configs", "conf") for p in parts[:-1]
    )


def is_dev_settings_path(path: str) -> bool:
    """Settings meant for local work or tests (``settings/dev.py``, ``test_settings.py``)."""
    parts = _parts(path)
    if not parts:
        return False
    words = set(PurePath(parts[-1]).stem.replace("-", "_").split("_"))
    return is_test_path(path) or bool(words & _DEV_SETTINGS)


def is_service_path(path: str) -> bool:
    """Modules that serve requests or jobs (views, api, services, tasks...)."""
    parts = _parts(path)
    return any(PurePath(p).stem in _SERVICE_PARTS for p in parts)
