"""The VS Code extension's contributed settings are generated from the settings model."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _generator() -> ModuleType:
    script = ROOT / "scripts" / "vscode_settings.py"
    spec = importlib.util.spec_from_file_location("vscode_settings", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["vscode_settings"] = module
    spec.loader.exec_module(module)
    return module


def _contributed() -> dict[str, object]:
    package = json.loads((ROOT / "editors" / "vscode" / "package.json").read_text(encoding="utf-8"))
    configuration = package["contributes"]["configuration"]
    assert isinstance(configuration, dict)
    return configuration


def test_package_json_matches_the_settings_model() -> None:
    assert _contributed() == _generator().configuration(), (
        "editors/vscode/package.json drifted from backend_lsp.config: "
        "run python scripts/vscode_settings.py"
    )


def test_every_model_field_but_the_key_is_a_setting() -> None:
    properties = _contributed()["properties"]
    assert isinstance(properties, dict)
    assert "backendLsp.analysis.debounceMs" in properties
    assert "backendLsp.agent.contextBudgetTokens" in properties
    assert not any("apiKey" in key for key in properties), "the API key belongs in SecretStorage"


def test_contributed_defaults_validate_against_the_model() -> None:
    from backend_lsp.config import load_settings, normalise_keys

    properties = _contributed()["properties"]
    assert isinstance(properties, dict)
    nested: dict[str, object] = {}
    for key, schema in properties.items():
        parts = key.split(".")[1:]
        if parts[0] == "server":
            continue
        node = nested
        for part in parts[:-1]:
            node = node.setdefault(part, {})  # type: ignore[assignment]
        assert isinstance(schema, dict)
        node[parts[-1]] = schema["default"]
    _, problems = load_settings([("package.json defaults", normalise_keys(nested))])
    assert problems == []


def test_the_generator_notices_drift(tmp_path: Path) -> None:
    generator = _generator()
    package = json.loads((ROOT / "editors" / "vscode" / "package.json").read_text(encoding="utf-8"))
    del package["contributes"]["configuration"]["properties"]["backendLsp.agent.model"]
    stale = tmp_path / "package.json"
    stale.write_text(json.dumps(package), encoding="utf-8")
    setattr(generator, "PACKAGE_JSON", stale)  # noqa: B010 - the module is loaded by path
    assert generator.main(["--check"]) == 1
    assert generator.main([]) == 0
    assert generator.main(["--check"]) == 0
