"""Typed settings: one model, several layers, clear errors.

Layers, lowest first: defaults < ``[tool.backend-lsp]`` in pyproject.toml <
LSP initializationOptions < workspace/configuration < environment. Keys may be
snake_case, kebab-case or camelCase. A value that fails validation is reported
(naming the key and the layer) and dropped, so the next lower layer (finally
the default) applies: a typo never disables the server, and never goes
unnoticed.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from backend_lsp.analysis.model import Treatment
from backend_lsp.analysis.python.paths import LocationName

DEFAULT_MODEL = "claude-sonnet-5-5"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_default=True)


class TaintSettings(_Section):
    """Project-specific taint tables, added to the built-in ones (``analysis/taint/tables.py``)."""

    sources: list[str] = Field(
        default_factory=list,
        description=(
            "Qualified calls or attribute chains whose value is request data "
            "(e.g. ``myapp.http.param``)."
        ),
    )
    sinks: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "Qualified call -> category its first argument must not receive request data for "
            "(sql, command, code, path, ssrf, xss, redirect, deserialize, xxe, xpath, ldap)."
        ),
    )
    sanitizers: dict[str, list[str]] = Field(
        default_factory=dict,
        description='Qualified call -> categories its result is clean for ("*" = every one).',
    )

    @field_validator("sources")
    @classmethod
    def _names(cls, value: list[str]) -> list[str]:
        for name in value:
            _check_name(name)
        return value

    @field_validator("sinks")
    @classmethod
    def _sinks(cls, value: dict[str, str]) -> dict[str, str]:
        for name, category in value.items():
            _check_name(name)
            _check_category(name, category, star=False)
        return value

    @field_validator("sanitizers")
    @classmethod
    def _sanitizers(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for name, categories in value.items():
            _check_name(name)
            if not categories:
                raise ValueError(f"'{name}': name at least one category (or \"*\")")
            for category in categories:
                _check_category(name, category, star=True)
        return value


_DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


def _check_name(name: str) -> None:
    if not _DOTTED.match(name):
        raise ValueError(f"'{name}' is not a dotted Python name (like myapp.http.param)")


def _check_category(name: str, category: str, *, star: bool) -> None:
    from backend_lsp.analysis.taint import tables

    allowed = sorted(tables.ALL - {tables.TRUST})
    if (star and category == "*") or category in allowed:
        return
    choices = ", ".join(allowed) + (', or "*"' if star else "")
    raise ValueError(f"'{name}': unknown category '{category}' (one of {choices})")


class AnalysisSettings(_Section):
    enabled: bool = True
    select: list[str] = Field(default_factory=list, description="Rule codes or prefixes to run.")
    ignore: list[str] = Field(default_factory=list, description="Rule codes or prefixes to skip.")
    severity: dict[str, Literal["error", "warning", "info", "hint"]] = Field(
        default_factory=dict, description="Per-code severity overrides."
    )
    locations: dict[LocationName, dict[str, Treatment]] = Field(
        default_factory=dict,
        description=(
            "Per location kind (tests, migrations, fixtures, scripts, settings), code -> "
            "skip, report, warning, info or hint; overrides the rules' own defaults."
        ),
    )
    max_file_bytes: int = Field(2_000_000, ge=1, description="Larger files are skipped.")
    debounce_ms: int = Field(
        150,
        ge=0,
        le=10_000,
        description=(
            "Editor: the first change after this long without edits is analysed at once; "
            "changes arriving sooner, or while an analysis runs, are coalesced into one "
            "run this long after the last of them."
        ),
    )
    sql_dialect: str | None = Field(None, description="sqlglot dialect for SQL strings.")
    cache_max_mb: int = Field(
        256,
        ge=1,
        le=100_000,
        description=(
            "check: size cap (MB) of the per-file result cache in the user cache directory; "
            "oldest entries are evicted first."
        ),
    )
    exclude: list[str] = Field(
        default_factory=list, description="gitignore-style globs (from the root) not analysed."
    )
    extend_exclude: list[str] = Field(
        default_factory=list, description="More globs not analysed, added to ``exclude``."
    )
    per_file_ignores: dict[str, list[str]] = Field(
        default_factory=dict, description="Glob -> codes or prefixes not reported there."
    )
    foreign_suppressions: bool = Field(
        False,
        description=(
            "Also honour other tools' suppressions for the same problem: ruff's "
            "``# noqa: S105`` (flake8-bandit), ``BLE001`` and Bandit's ``# nosec [Bnnn]``."
        ),
    )
    honour_nosec_codes: bool = Field(
        True,
        description=(
            "Honour Bandit's ``# nosec B105`` that names its check, for the backend-lsp "
            "codes of that problem, even with ``foreign_suppressions`` off: a person wrote "
            "it for that check on that line. A bare ``# nosec`` needs ``foreign_suppressions``."
        ),
    )
    taint: TaintSettings = Field(
        default_factory=lambda: TaintSettings(),
        description="Extra sources, sinks and sanitizers for the taint engine.",
    )


Place = Literal["selection", "function", "sql", "route", "model", "diagnostic"]


class CustomAction(_Section):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    instruction: str
    kind: str = "refactor.rewrite"
    applies_to: list[Place] = Field(default_factory=lambda: list[Place](["selection"]))
    output: Literal["edit", "new_files", "diagnostics", "explanation"] = "edit"


class AgentSettings(_Section):
    provider: Literal["auto", "anthropic", "bedrock", "vertex", "offline"] = "auto"
    model: str = DEFAULT_MODEL
    max_tokens: int = Field(8192, ge=256, le=128_000)
    timeout_s: float = Field(120.0, gt=0, le=3600)
    max_retries: int = Field(2, ge=0, le=10)
    api_key: SecretStr | None = None
    base_url: str | None = None
    agent: str = "backend-developer"
    agents_dirs: list[str] = Field(default_factory=list)
    context_budget_tokens: int = Field(12_000, ge=500, le=200_000)
    needs_confirmation: bool = True
    cache_enabled: bool = True
    cache_max_mb: int = Field(64, ge=1, le=10_000)
    actions: list[CustomAction] = Field(default_factory=list)

    @field_validator("api_key", mode="before")
    @classmethod
    def _clean_key(cls, value: object) -> object:
        """Strip a pasted newline or spaces; refuse control characters inside the key.

        A key with a stray ``\\n`` would be sent in a header (and logged by
        HTTP libraries in their errors); one with controls inside is not a key.
        """
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        if not isinstance(value, str):
            return value
        key = value.strip()
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in key):
            raise ValueError(
                "the API key contains control characters (a pasted line break or tab?); "
                "set it again as one line"
            )
        from backend_lsp.log_guard import register_secret

        register_secret(key)
        return key or None


class IndexSettings(_Section):
    background: bool = Field(
        True,
        description=(
            "Editor: build the workspace index (symbols, hover, agent context) in the "
            "background after start-up; off: it is built on first use."
        ),
    )


class Settings(_Section):
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    log_file: str | None = None
    analysis: AnalysisSettings = Field(default_factory=lambda: AnalysisSettings())
    agent: AgentSettings = Field(default_factory=lambda: AgentSettings())
    index: IndexSettings = Field(default_factory=lambda: IndexSettings())


@dataclass(frozen=True, slots=True)
class ConfigProblem:
    """One rejected value: where it came from and why."""

    source: str
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: invalid value for '{self.key}': {self.message}; using the default"


_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def _snake(key: str) -> str:
    return _CAMEL.sub("_", key).replace("-", "_").lower()


# Settings whose keys are user data (rule codes, path globs), kept as written.
_VERBATIM_KEYS = frozenset({"severity", "per_file_ignores", "sinks", "sanitizers"})


def normalise_keys(value: Any) -> Any:
    """snake_case every mapping key, recursively (lists of mappings included)."""
    if isinstance(value, Mapping):
        normalised = {}
        for key, item in value.items():
            name = _snake(str(key))
            verbatim = name in _VERBATIM_KEYS and isinstance(item, Mapping)
            normalised[name] = dict(item) if verbatim else normalise_keys(item)
        return normalised
    if isinstance(value, list):
        return [normalise_keys(v) for v in value]
    return value


def _merge(base: dict[str, Any], layer: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in layer.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _drop(layer: dict[str, Any], loc: tuple[int | str, ...]) -> bool:
    """Remove the value at ``loc`` (or its nearest droppable parent) from a layer."""
    node: Any = layer
    for part in loc[:-1]:
        if isinstance(node, dict) and part in node:
            child = node[part]
            if not isinstance(child, (dict, list)):
                node.pop(part)
                return True
            node = child
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return False
    last = loc[-1] if loc else None
    if isinstance(node, dict) and last in node:
        node.pop(last)
        return True
    if isinstance(node, list) and isinstance(last, int) and last < len(node):
        node.pop(last)
        return True
    return False


def _top_key(layer: dict[str, Any], loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
    """Shorten a validation location to the setting a user would name."""
    if len(loc) >= 2 and loc[0] == "agent" and loc[1] == "actions":
        return loc[:3]
    return loc


def load_settings(
    layers: list[tuple[str, Mapping[str, Any]]],
) -> tuple[Settings, list[ConfigProblem]]:
    """Merge layers (lowest first), dropping each invalid value with a problem."""
    normalised = [(name, normalise_keys(dict(data))) for name, data in layers if data]
    problems: list[ConfigProblem] = []
    for _attempt in range(50):
        merged: dict[str, Any] = {}
        for _name, data in normalised:
            merged = _merge(merged, data)
        try:
            return Settings.model_validate(merged), problems
        except ValidationError as error:
            progressed = False
            for issue in error.errors():
                loc = _top_key(merged, tuple(issue["loc"]))
                key = ".".join(str(part) for part in loc)
                # The highest layer that sets this key is the one to blame.
                for name, data in reversed(normalised):
                    if _drop(data, loc):
                        problems.append(ConfigProblem(name, key, issue["msg"]))
                        progressed = True
                        break
            if not progressed:
                break
    return Settings(), problems


def read_pyproject(root: Path) -> tuple[dict[str, Any], ConfigProblem | None]:
    """``[tool.backend-lsp]`` from ``root/pyproject.toml`` (empty when absent)."""
    path = root / "pyproject.toml"
    if not path.is_file():
        return {}, None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return {}, ConfigProblem(str(path), "pyproject.toml", f"cannot be read: {error}")
    section = data.get("tool", {}).get("backend-lsp", {})
    if not isinstance(section, dict):
        return {}, ConfigProblem(str(path), "tool.backend-lsp", "must be a table")
    return _lift_path_keys(section), None


# Path settings may sit at the top of [tool.backend-lsp], where ruff users put them.
_PATH_KEYS = ("exclude", "extend-exclude", "extend_exclude", "per-file-ignores", "per_file_ignores")


def _lift_path_keys(section: dict[str, Any]) -> dict[str, Any]:
    lifted = {key: section[key] for key in _PATH_KEYS if key in section}
    if not lifted:
        return section
    rest = {key: value for key, value in section.items() if key not in lifted}
    analysis = rest.get("analysis")
    rest["analysis"] = {**lifted, **(analysis if isinstance(analysis, dict) else {})}
    return rest


def environment_layer(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Settings from the environment (ANTHROPIC_* and BACKEND_LSP_*)."""
    env = os.environ if env is None else env
    agent: dict[str, Any] = {}
    if env.get("ANTHROPIC_API_KEY"):
        agent["api_key"] = env["ANTHROPIC_API_KEY"]
    if env.get("ANTHROPIC_BASE_URL"):
        agent["base_url"] = env["ANTHROPIC_BASE_URL"]
    if env.get("BACKEND_LSP_MODEL"):
        agent["model"] = env["BACKEND_LSP_MODEL"]
    if env.get("BACKEND_LSP_PROVIDER"):
        agent["provider"] = env["BACKEND_LSP_PROVIDER"]
    layer: dict[str, Any] = {}
    if agent:
        layer["agent"] = agent
    if env.get("BACKEND_LSP_LOG_LEVEL"):
        layer["log_level"] = env["BACKEND_LSP_LOG_LEVEL"].lower()
    return layer


def resolve_settings(
    root: Path | None,
    *,
    init_options: Mapping[str, Any] | None = None,
    workspace_config: Mapping[str, Any] | None = None,
    cli: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
) -> tuple[Settings, list[ConfigProblem]]:
    """All layers for a workspace root, in precedence order."""
    layers: list[tuple[str, Mapping[str, Any]]] = []
    problems: list[ConfigProblem] = []
    if root is not None:
        project, problem = read_pyproject(root)
        if problem is not None:
            problems.append(problem)
        layers.append(("pyproject.toml [tool.backend-lsp]", project))
    layers.append(("initializationOptions", init_options or {}))
    layers.append(("workspace/configuration", workspace_config or {}))
    layers.append(("command line", cli or {}))
    layers.append(("environment", environment_layer(env)))
    settings, layer_problems = load_settings(layers)
    return settings, problems + layer_problems
