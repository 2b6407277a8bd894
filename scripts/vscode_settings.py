"""Write editors/vscode/package.json `contributes.configuration` from the settings model.

One source of truth: the pydantic model in backend_lsp.config. tests/editors checks that
package.json matches what this prints, so the extension's settings never drift from the
server's. Usage: python scripts/vscode_settings.py [--check]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter
from pydantic.fields import FieldInfo

from backend_lsp.config import Settings

PACKAGE_JSON = Path(__file__).resolve().parent.parent / "editors" / "vscode" / "package.json"
SECTION = "backendLsp"
# The key goes to SecretStorage ("backend-lsp: Set API key"), never into settings.json.
SECRET_KEYS = frozenset({"agent.api_key"})
# The extension's own settings (read by the extension, stripped before the server sees them).
EXTENSION_PROPERTIES: dict[str, dict[str, Any]] = {
    f"{SECTION}.server.path": {
        "type": "string",
        "default": "",
        "scope": "machine-overridable",
        "description": "Path to the backend-lsp executable; empty: the selected Python "
        "environment, then PATH, then the extension's private environment.",
    }
}


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _inline(schema: Any, defs: dict[str, Any]) -> Any:
    """Replace $ref with the definition: VS Code's settings UI does not follow $defs."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            return _inline(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
        return {k: _inline(v, defs) for k, v in schema.items() if k not in ("$defs", "title")}
    if isinstance(schema, list):
        return [_inline(item, defs) for item in schema]
    return schema


def _property(info: FieldInfo) -> dict[str, Any]:
    schema = TypeAdapter[Any](info.annotation or Any).json_schema(mode="serialization")
    prop: dict[str, Any] = _inline(schema, schema.get("$defs", {}))
    any_of = prop.pop("anyOf", None)
    if any_of is not None:  # `X | None`: VS Code wants a list of types
        kinds = [option for option in any_of if option.get("type") != "null"]
        if len(kinds) == 1:
            prop.update(kinds[0])
        prop["type"] = [*([prop["type"]] if "type" in prop else []), "null"]
    for bound, key in (("ge", "minimum"), ("le", "maximum"), ("gt", "exclusiveMinimum")):
        for meta in info.metadata:
            if hasattr(meta, bound):
                prop[key] = getattr(meta, bound)
    default = info.get_default(call_default_factory=True)
    prop["default"] = default.model_dump() if isinstance(default, BaseModel) else default
    if info.description:
        prop["description"] = info.description
    return prop


def properties(model: type[BaseModel] = Settings, prefix: str = "") -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        dotted = f"{prefix}{name}"
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            found.update(properties(annotation, f"{dotted}."))
            continue
        if dotted in SECRET_KEYS:
            continue
        key = ".".join(camel(part) for part in dotted.split("."))
        found[f"{SECTION}.{key}"] = _property(info)
    return found


def configuration() -> dict[str, Any]:
    return {
        "title": "backend-lsp",
        "properties": {**EXTENSION_PROPERTIES, **dict(sorted(properties().items()))},
    }


def main(argv: list[str]) -> int:
    package = json.loads(PACKAGE_JSON.read_text(encoding="utf-8"))
    wanted = configuration()
    if "--check" in argv:
        if package["contributes"]["configuration"] != wanted:
            message = f"{PACKAGE_JSON} is out of date: run python scripts/vscode_settings.py"
            print(message, file=sys.stderr)
            return 1
        return 0
    package["contributes"]["configuration"] = wanted
    PACKAGE_JSON.write_text(json.dumps(package, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
