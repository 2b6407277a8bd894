"""BE025: a session or auth cookie without Secure/HttpOnly, or settings that turn them off
(CWE-614, CWE-1004).

A cookie that carries a session, token or login is stolen over plain HTTP without
``Secure`` and by any injected script without ``HttpOnly``. Flagged: ``set_cookie`` /
``set_signed_cookie`` of a cookie whose name or value names a session, token or credential
with ``secure``/``httponly`` missing or false, ``response.cookies[name] = ...`` of such a
cookie never marked secure in that function, and ``SESSION_COOKIE_SECURE = False`` (and the
HttpOnly, CSRF and remember-me twins) in settings that are not dev or test settings. A
cookie holding a UI preference (theme, language, a dismissed banner) is not flagged, nor is
the CSRF cookie's missing HttpOnly (scripts must read it), nor a call with ``**kwargs``.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.locations import TESTS_AND_FIXTURES
from backend_lsp.analysis.model import Edit, Finding, Fix, RuleMeta, Severity
from backend_lsp.analysis.python.calls import is_false, keyword_node, resolved_calls
from backend_lsp.analysis.python.nodes import (
    enclosing_function,
    has_kwargs_splat,
    node_text,
    positional_arguments,
    string_value,
    walk,
)
from backend_lsp.analysis.python.paths import is_dev_settings_path, is_test_path
from backend_lsp.analysis.python.words import has_word, name_words, names_secret
from backend_lsp.analysis.registry import register

_SESSION_WORDS = frozenset(
    {"session", "sess", "sessionid", "sid", "auth", "authorization", "jwt", "remember",
     "login", "identity", "access", "refresh", "bearer", "userid", "uid"}
)  # fmt: skip
_CSRF = frozenset({"csrf", "csrftoken", "xsrf"})
# Setting -> the value that weakens it.
_SETTINGS: dict[str, str] = {
    "SESSION_COOKIE_SECURE": "False", "SESSION_COOKIE_HTTPONLY": "False",
    "CSRF_COOKIE_SECURE": "False", "REMEMBER_COOKIE_SECURE": "False",
    "REMEMBER_COOKIE_HTTPONLY": "False", "JWT_COOKIE_SECURE": "False",
    "SESSION_COOKIE_SAMESITE": "None",
}  # fmt: skip
_DEV_CLASS_WORDS = ("dev", "test", "local", "debug")  # as BE009 reads config classes


def _literal_flag(ctx: AnalysisContext, call: Node, value: Node | None) -> bool:
    """A literal value is a flag, not a credential, unless the call turns Secure or HttpOnly
    off by name on a non-empty value: ``set_cookie("session_id", "abc", secure=False)`` is
    a deliberate weakening; ``set_cookie("sessionid", "", ...)`` deletes the cookie."""
    if value is None or value.type not in ("string", "integer", "true", "false"):
        return False
    if value.type == "string" and any(c.type == "interpolation" for c in value.named_children):
        return False  # ``f"{user.pk}:{token}"`` is built from values, not a flag
    if value.type == "string" and not string_value(ctx.source, value):
        return True
    for flag in ("secure", "httponly"):
        node = keyword_node(ctx.source, call, flag)
        if node is not None and is_false(ctx.source, node.child_by_field_name("value")):
            return False
    return True


def _sensitive(name: str) -> bool:
    if has_word(name, _CSRF):
        return False
    return has_word(name, _SESSION_WORDS) or names_secret(name) or _session_like(name)


def _session_like(name: str) -> bool:
    """Words run together or inflected: ``appsessionid``, ``PHPSESSID``, ``authtoken``,
    ``rememberme``, ``impersonation_session``, ``xtoken`` (not ``author``)."""
    for word in name_words(name):
        if "session" in word or "sessid" in word or word.endswith("token"):
            return True
        if word.startswith(("remember", "impersonat")):
            return True
        if word.startswith("auth") and not word.startswith("author"):
            return True
    return False


@register
class InsecureCookie:
    meta = RuleMeta(
        code="BE025",
        name="insecure-cookie",
        severity=Severity.WARNING,
        summary="A session or auth cookie is set without Secure or HttpOnly.",
        doc_url="https://cwe.mitre.org/data/definitions/614.html",
        locations=TESTS_AND_FIXTURES,
    )

    def check(self, ctx: AnalysisContext) -> Iterator[Finding]:
        assert ctx.root is not None
        # Both call shapes below are matched on the callee as written, so on these bytes.
        calls = any(
            word in ctx.source for word in (b"set_cookie", b"set_signed_cookie", b"config.update")
        )
        for call in resolved_calls(ctx.source, ctx.root) if calls else ():
            method = call.name.rsplit(".", 1)[-1]
            if method in ("set_cookie", "set_signed_cookie") and "." in call.name:
                finding = self._set_cookie(ctx, call.node, method)
                if finding is not None:
                    yield finding
            elif method == "update" and call.name.endswith("config.update"):
                yield from self._config_update(ctx, call.node)
        yield from self._assignments(ctx)

    def _set_cookie(self, ctx: AnalysisContext, call: Node, method: str) -> Finding | None:
        if has_kwargs_splat(call):
            return None
        args = positional_arguments(call)
        key = keyword_node(ctx.source, call, "key")
        name_node = args[0] if args else (key.child_by_field_name("value") if key else None)
        value_node = args[1] if len(args) > 1 else _value(ctx, call)
        name = _text_or_value(ctx, name_node)
        value = node_text(ctx.source, value_node) if value_node is not None else ""
        if _literal_flag(ctx, call, value_node):
            return None  # a literal flag ("done", "1") is not a credential
        if has_word(name, _CSRF) or has_word(value, _CSRF):
            return None  # the CSRF cookie is read by scripts on purpose
        if not (_sensitive(name) or (value and names_secret(value))):
            return None
        missing: list[str] = []
        edits: list[Edit] = []
        for flag in ("secure", "httponly"):
            node = keyword_node(ctx.source, call, flag)
            if node is None:
                missing.append(flag)
            elif is_false(ctx.source, node.child_by_field_name("value")):
                missing.append(flag)
                value_of = node.child_by_field_name("value")
                assert value_of is not None
                edits.append(ctx.replace(value_of, "True"))
        if not missing:
            return None
        added = ", ".join(f"{f}=True" for f in missing if keyword_node(ctx.source, call, f) is None)
        if keyword_node(ctx.source, call, "samesite") is None:
            added = f'{added}, samesite="Lax"' if added else 'samesite="Lax"'
        arguments = call.child_by_field_name("arguments")
        if added and arguments is not None:
            close = arguments.end_byte - 1
            inner = node_text(ctx.source, arguments)[1:-1].rstrip()
            sep = "" if not inner or inner.endswith(",") else ", "
            edits.append(Edit(close, close, f"{sep}{added}"))
        what = " and ".join(f"`{f}`" for f in missing)
        return ctx.finding(
            self.meta,
            call,
            f"`{method}({name or '...'})` carries a session or credential without {what}: "
            "without Secure it travels over plain HTTP, without HttpOnly any injected script "
            "can read it. Set secure=True, httponly=True and samesite='Lax'.",
            Fix("Mark the cookie Secure, HttpOnly, SameSite=Lax", tuple(edits)),
        )

    def _config_update(self, ctx: AnalysisContext, call: Node) -> Iterator[Finding]:
        if (
            is_test_path(ctx.project_path)
            or is_dev_settings_path(ctx.project_path)
            or _in_dev_class(ctx, call)
        ):
            return
        arguments = call.child_by_field_name("arguments")
        for argument in arguments.named_children if arguments is not None else ():
            if argument.type != "keyword_argument":
                continue
            key = node_text(ctx.source, argument.child_by_field_name("name"))
            yield from self._setting(ctx, argument, key, argument.child_by_field_name("value"))

    def _assignments(self, ctx: AnalysisContext) -> Iterator[Finding]:
        dev = is_test_path(ctx.project_path) or is_dev_settings_path(ctx.project_path)
        for node in ctx.nodes("assignment"):
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            if left is None or right is None:
                continue
            if left.type == "subscript":
                base = node_text(ctx.source, left.child_by_field_name("value"))
                subscript = left.child_by_field_name("subscript")
                key = string_value(ctx.source, subscript) if subscript is not None else None
                if base.endswith(".cookies") and key is not None:
                    yield from self._cookie_jar(ctx, node, base, key)
                    continue
                if key is None or not base.endswith("config"):
                    continue
            elif left.type == "identifier":
                key = node_text(ctx.source, left)
            else:
                continue
            if dev or _in_dev_class(ctx, node):
                continue
            yield from self._setting(ctx, node, key, right)

    def _setting(
        self, ctx: AnalysisContext, node: Node, key: str, value: Node | None
    ) -> Iterator[Finding]:
        weak = _SETTINGS.get(key)
        if not weak or value is None or node_text(ctx.source, value) != weak:
            return
        cookie = key.split("_")[0].lower()
        harm = {
            "SECURE": "travel over plain HTTP, where anyone on the network reads it",
            "HTTPONLY": "be read by any script injected into the page",
            "SAMESITE": "ride along on cross-site requests (CSRF)",
        }[key.rsplit("_", 1)[-1]]
        yield ctx.finding(
            self.meta,
            node,
            f"`{key} = {weak}` lets the {cookie} cookie {harm}. Keep it on in production "
            "(read it from the environment if local development needs it off).",
        )

    def _cookie_jar(
        self, ctx: AnalysisContext, node: Node, base: str, key: str
    ) -> Iterator[Finding]:
        if not _sensitive(key):
            return
        scope = enclosing_function(node) or ctx.root
        assert scope is not None
        for n in walk(scope):
            subscript = n.child_by_field_name("subscript") if n.type == "subscript" else None
            if subscript is None:
                continue
            owner = node_text(ctx.source, n.child_by_field_name("value"))
            flag = (string_value(ctx.source, subscript) or "").lower()
            if owner.startswith(base) and flag == "secure":
                return
        yield ctx.finding(
            self.meta,
            node,
            f"`{base}[{key!r}]` holds a session or credential and is never marked secure "
            "here: set `['secure'] = True` and `['httponly'] = True`, or use "
            "`set_cookie(..., secure=True, httponly=True, samesite='Lax')`.",
        )


def _value(ctx: AnalysisContext, call: Node) -> Node | None:
    node = keyword_node(ctx.source, call, "value")
    return node.child_by_field_name("value") if node is not None else None


def _text_or_value(ctx: AnalysisContext, node: Node | None) -> str:
    if node is None:
        return ""
    return string_value(ctx.source, node) or node_text(ctx.source, node)


def _in_dev_class(ctx: AnalysisContext, node: Node) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.type == "class_definition":
            name = node_text(ctx.source, parent.child_by_field_name("name")).lower()
            return any(word in name for word in _DEV_CLASS_WORDS)
        parent = parent.parent
    return False
