"""``backend-lsp doctor``: what is installed, what is configured, what will be used.

It answers the first questions of every bug report without the user pasting
anything sensitive: the API key is reported as set or not set, never shown,
and a base URL has any user:password part masked.
"""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit, urlunsplit

from backend_lsp import __version__
from backend_lsp.files import PROJECT_IGNORE_FILE


@dataclass(frozen=True, slots=True)
class Check:
    label: str
    value: str
    ok: bool = True


def mask_url(url: str) -> str:
    """Hide credentials embedded in a URL (``https://user:pw@host`` -> ``https://***@host``)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(unparseable URL)"
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, f"***@{host}", parts.path, parts.query, parts.fragment))


def cache_dir(env: Mapping[str, str]) -> Path:
    """Where the agent's response cache lives (BACKEND_LSP_CACHE_DIR overrides)."""
    override = env.get("BACKEND_LSP_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("backend-lsp"))


def grammar_checks() -> list[Check]:
    from backend_lsp.syntax import SUPPORTED_LANGUAGES, get_language

    checks = []
    for language in SUPPORTED_LANGUAGES:
        try:
            loaded = get_language(language) is not None
            detail = "ok" if loaded else "not installed"
        except Exception as error:  # a broken wheel must not break the report
            loaded, detail = False, f"failed to load: {error}"
        checks.append(Check(f"grammar {language}", detail, loaded))
    return checks


def config_checks(root: Path, env: Mapping[str, str]) -> list[Check]:
    from backend_lsp.config import read_pyproject, resolve_settings

    checks = [Check("project root", str(root))]
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        section, problem = read_pyproject(root)
        if problem is not None:
            checks.append(Check("config pyproject.toml", str(problem), ok=False))
        elif section:
            checks.append(Check("config pyproject.toml", "[tool.backend-lsp] found, parses"))
        else:
            checks.append(Check("config pyproject.toml", "no [tool.backend-lsp] section"))
    else:
        checks.append(Check("config pyproject.toml", "not found (defaults apply)"))
    ignore_file = root / PROJECT_IGNORE_FILE
    checks.append(
        Check(f"config {PROJECT_IGNORE_FILE}", "found" if ignore_file.is_file() else "not found")
    )
    settings, problems = resolve_settings(root, env=env)
    for problem in problems:
        checks.append(Check("config problem", str(problem), ok=False))
    checks.append(Check("log level", settings.log_level))
    checks.append(Check("agent provider", settings.agent.provider))
    checks.append(Check("agent model", settings.agent.model))
    return checks


def provider_checks(env: Mapping[str, str]) -> list[Check]:
    key_state = "set" if env.get("ANTHROPIC_API_KEY") else "not set (agent actions disabled)"
    base_url = env.get("ANTHROPIC_BASE_URL")
    return [
        Check("ANTHROPIC_API_KEY", key_state),
        Check(
            "ANTHROPIC_BASE_URL", mask_url(base_url) if base_url else "not set (api.anthropic.com)"
        ),
        Check("cache dir", str(cache_dir(env))),
    ]


def collect_checks(root: Path, env: Mapping[str, str]) -> list[Check]:
    checks = [
        Check("backend-lsp", __version__),
        Check("python", f"{platform.python_version()} ({sys.executable})"),
        Check("platform", platform.platform()),
    ]
    checks += grammar_checks()
    checks += config_checks(root, env)
    checks += provider_checks(env)
    return checks


def run_doctor(root: Path, env: Mapping[str, str] | None, out: TextIO) -> int:
    """Print the report; 0 when everything loads and parses, 1 when something needs attention."""
    checks = collect_checks(root, os.environ if env is None else env)
    width = max(len(check.label) for check in checks)
    for check in checks:
        mark = "ok " if check.ok else "!! "
        out.write(f"{mark}{check.label.ljust(width)}  {check.value}\n")
    failed = [check for check in checks if not check.ok]
    out.write("All good.\n" if not failed else f"{len(failed)} item(s) need attention.\n")
    return 0 if not failed else 1
