"""BE009: debug mode switched on in code that can reach production.

Debug mode leaks stack traces, settings and SQL to clients, and Werkzeug's
debugger runs arbitrary code. Flagged: ``DEBUG = True`` in settings modules
(not dev/test settings, not ``Dev``/``Test`` config classes), ``app.debug =
True``, ``app.config["DEBUG"] = True``, ``debug=True`` passed to an app or its
``run()``, and a DEBUG read from the environment whose default is on
(``env.bool("DEBUG", default=True)``, ``os.getenv("DEBUG", "True") == "True"``).
``uvicorn.run(reload=True)`` is reported as INFORMATION: harmless
locally, a waste and a risk when it ships. Test files are skipped.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.locations import TESTS_AND_FIXTURES
from backend_lsp.analysis.model import Finding, Fix, RuleMeta, Severity
from backend_lsp.analysis.python.calls import is_true, keyword_node, resolved_calls
from backend_lsp.analysis.python.edits import remove_argument
from backend_lsp.analysis.python.imports import ensure_import
from backend_lsp.analysis.python.nodes import (
    keyword_argument,
    node_text,
    positional_arguments,
    string_value,
    walk,
)
from backend_lsp.analysis.python.paths import is_dev_settings_path, is_settings_path, is_test_path
from backend_lsp.analysis.registry import register

_APPS = ("FastAPI", "Starlette", "Flask", "Quart", "Sanic", "Litestar", "Application")
_DEV_CLASS_WORDS = ("dev", "test", "local", "debug")


@register
class DebugEnabled:
    meta = RuleMeta(
        code="BE009",
        name="debug-enabled",
        severity=Severity.WARNING,
        summary="Debug mode is enabled in code that may run in production.",
        doc_url="https://cwe.mitre.org/data/definitions/489.html",
        locations=TESTS_AND_FIXTURES,
    )

    def check(self, ctx: AnalysisContext) -> Iterator[Finding]:
        assert ctx.root is not None
        if is_test_path(ctx.project_path) or is_dev_settings_path(ctx.project_path):
            return
        yield from self._assignments(ctx)
        if b"debug" not in ctx.source and b"reload" not in ctx.source:
            return  # both findings below need a ``debug=``/``reload=`` keyword
        for call in resolved_calls(ctx.source, ctx.root):
            last = call.qualified.rsplit(".", 1)[-1]
            debug = keyword_node(ctx.source, call.node, "debug")
            debug_on = debug is not None and is_true(ctx.source, debug.child_by_field_name("value"))
            if debug is not None and debug_on and (last == "run" or last in _APPS):
                yield ctx.finding(
                    self.meta,
                    debug,
                    f"`debug=True` in `{call.name}(...)` turns on debug mode: tracebacks "
                    "(and with Flask, an interactive debugger that runs any code) are shown "
                    "to whoever triggers an error. Enable it from the environment in "
                    "development only.",
                    Fix("Remove debug=True", (remove_argument(debug),)),
                )
            reload = keyword_node(ctx.source, call.node, "reload")
            if (
                call.qualified == "uvicorn.run"
                and reload is not None
                and is_true(ctx.source, reload.child_by_field_name("value"))
            ):
                yield ctx.finding(
                    self.meta,
                    reload,
                    "`reload=True` watches the file system and restarts the server: meant "
                    "for development. Pass it from the command line (`uvicorn --reload`) "
                    "instead of hard-coding it.",
                    Fix("Remove reload=True", (remove_argument(reload),)),
                    Severity.INFORMATION,
                )

    def _assignments(self, ctx: AnalysisContext) -> Iterator[Finding]:
        assert ctx.root is not None
        settings = is_settings_path(ctx.project_path)
        for node in ctx.nodes("assignment"):
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            if left is None or right is None:
                continue
            # The target first: it is cheap and rules out almost every assignment.
            target = node_text(ctx.source, left)
            if left.type == "identifier" and target == "DEBUG":
                if not settings or _in_dev_class(ctx.source, node):
                    continue
            elif left.type == "attribute" and target.endswith(".debug"):
                pass
            elif left.type == "subscript":
                key = left.child_by_field_name("subscript")
                if key is None or string_value(ctx.source, key) != "DEBUG":
                    continue
            else:
                continue
            literal = node_text(ctx.source, right) == "True"
            if not literal and not _env_default_on(ctx.source, right):
                continue
            if literal:
                yield ctx.finding(
                    self.meta,
                    node,
                    f"`{target} = True` ships debug mode: error pages expose code, settings "
                    "and queries. Read it from the environment so production stays off by "
                    "default.",
                    _env_fix(ctx, right),
                )
                continue
            yield ctx.finding(
                self.meta,
                node,
                f"`{target}` defaults to on when the environment does not set it: a deploy "
                "that forgets the variable ships debug mode (error pages expose code, "
                "settings and queries). Make the default off.",
                _env_fix(ctx, right),
            )


_TRUTHY = frozenset({"true", "1", "yes", "on", "y", "t"})


def _truthy(source: bytes, node: Node | None) -> str | None:
    """The lowered text of a literal that reads as on (``True``, ``"true"``, ``1``), else None."""
    if node is None:
        return None
    text = string_value(source, node) if node.type == "string" else node_text(source, node)
    lowered = (text or "").strip().lower()
    return lowered if lowered in _TRUTHY else None


def _env_default_on(source: bytes, value: Node) -> bool:
    """``env.bool("DEBUG", default=True)``, ``os.getenv("DEBUG", "True") == "True"``.

    An environment read of a DEBUG variable whose default, when the variable is
    unset, turns debug mode on.
    """
    compared: set[str] | None = None
    if value.type == "comparison_operator" and len(value.named_children) == 2:
        operators = [c.type for c in value.children if not c.is_named]
        right = value.named_children[1]
        items = right.named_children if right.type in ("tuple", "list", "set") else [right]
        literals = {(string_value(source, i) or node_text(source, i)).lower() for i in items}
        if operators == ["=="] or operators == ["in"]:
            compared = literals
        else:
            return False
        value = value.named_children[0]
    for call in (n for n in walk(value) if n.type == "call"):
        positional = positional_arguments(call)
        name = string_value(source, positional[0]) if positional else None
        if name is None or "debug" not in name.lower():
            continue
        default = keyword_argument(source, call, "default")
        if default is None and len(positional) >= 2:
            default = positional[1]
        on = _truthy(source, default)
        if on is not None and (compared is None or on in compared):
            return True
    return False


def _in_dev_class(source: bytes, node: Node) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.type == "class_definition":
            name = node_text(source, parent.child_by_field_name("name")).lower()
            return any(word in name for word in _DEV_CLASS_WORDS)
        parent = parent.parent
    return False


def _env_fix(ctx: AnalysisContext, value: Node) -> Fix:
    assert ctx.root is not None
    edits = [ctx.replace(value, 'os.environ.get("DEBUG", "") == "1"')]
    added = ensure_import(ctx.source, ctx.root, "os")
    if added is not None:
        edits.insert(0, added)
    return Fix("Read DEBUG from the environment (off by default)", tuple(edits))
