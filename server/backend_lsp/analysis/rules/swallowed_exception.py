"""BE015: broad exceptions swallowed silently (``except Exception: pass``).

What a backend reviewer wants flagged is an ``except`` that hides a failed
operation with consequences: a write, a payment, a message sent, an auth
check, left with ``pass``/``continue``, no log and no fallback. So
``except Exception``/``BaseException`` is reported when the guarded code does
such an operation (the verb table ``_CONSEQUENTIAL``); reading, parsing,
probing and coercing are not. Never reported: a probe with a defined fallback
(the code after the try supplies the value), best-effort telemetry, and
best-effort cleanup (``close``/``__del__``/``finally`` paths). A bare
``except:`` is always reported: it also swallows SystemExit and
KeyboardInterrupt (``BaseException`` is treated the same way).

Severity follows where it happens: WARNING inside a route handler or in
service code (views, api, services, tasks...), INFORMATION elsewhere. A
comment in the body marks the choice as deliberate and is not reported.
Narrow exceptions and ``contextlib.suppress`` are never flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.locations import ONE_OFF_DATA_CODE
from backend_lsp.analysis.model import Edit, Finding, Fix, RuleMeta, Severity
from backend_lsp.analysis.python.imports import ensure_import, import_aliases
from backend_lsp.analysis.python.nodes import (
    call_name,
    enclosing_function,
    function_name,
    node_text,
    own_calls,
    statement_assignment,
)
from backend_lsp.analysis.python.paths import Location, is_service_path
from backend_lsp.analysis.python.routes import route_at
from backend_lsp.analysis.registry import register

_BROAD = {"Exception", "BaseException", "builtins.Exception", "builtins.BaseException"}
_SILENT = ("pass_statement", "continue_statement")
_LOGGER_FACTORIES = ("getLogger", "get_logger", "getChild")
# First word of a call (``send_receipt``, ``order.save``) that changes state
# elsewhere: its failure, swallowed, is a lost write or an unchecked decision.
_CONSEQUENTIAL = frozenset({
    "save", "commit", "create", "update", "delete", "insert", "upsert", "bulk", "persist",
    "store", "write", "send", "sendmail", "publish", "enqueue", "delay", "apply", "dispatch",
    "notify", "email", "mail", "charge", "pay", "refund", "capture", "transfer", "withdraw",
    "deposit", "invoice", "fulfil", "fulfill", "sync", "upload", "post", "put", "patch",
    "authenticate", "authorize", "login", "verify", "grant", "revoke", "approve", "migrate",
})  # fmt: skip
_CONTAINER_METHODS = frozenset({
    "append", "extend", "add", "setdefault", "pop", "discard", "sort", "appendleft", "clear",
})  # fmt: skip
# Statement calls that are neither reads nor writes worth a finding.
_PURE_EFFECTS = frozenset({
    "print", "sleep", "display", "__init__", "start", "join", "setattr", "debug", "info",
    "warning", "error", "exception",
})  # fmt: skip
_CONSEQUENTIAL_NAMES = frozenset({
    "apply_async", "send_task", "check_password", "check_permission", "check_permissions",
    "check_object_permissions", "has_perm", "has_perms", "has_permission",
})  # fmt: skip
# Later words of a name whose first word looks like a verb but that returns a
# description of the thing (``refund_matching_id``, ``payment_render_short``).
_READ_WORDS = frozenset({
    "id", "ids", "render", "rendered", "display", "html", "text", "label", "labels", "url",
    "urls", "name", "names", "summary", "details", "description", "repr", "str", "short",
})  # fmt: skip
# ``execute`` counts only with SQL that writes.
_WRITE_SQL = re.compile(r"(?i)\b(?:insert|update|delete|merge|upsert|alter|drop|truncate)\b")
# Callees and scopes that are best effort by nature: telemetry, cleanup.
_BEST_EFFORT_WORDS = frozenset({
    "telemetry", "analytics", "metric", "metrics", "milestone", "milestones", "amplitude",
    "posthog", "statsd", "logs", "logger", "logging", "warn", "warnings", "quietly",
    "silently", "best", "safe", "safely",
})  # fmt: skip
# Module names that say the whole file is telemetry (``analytics.py``, ``send_logs.py``).
_TELEMETRY_WORDS = frozenset({
    "telemetry", "analytics", "metrics", "milestone", "milestones", "amplitude", "posthog",
    "statsd", "logs",
})  # fmt: skip
_CLEANUP_FUNCTIONS = frozenset({
    "__del__", "__exit__", "__aexit__", "close", "aclose", "cleanup", "clean", "shutdown",
    "stop", "terminate", "kill", "teardown", "dispose", "release", "disconnect", "finalize",
    "atexit", "unlink", "remove",
})  # fmt: skip
_CLEANUP_PREFIXES = frozenset({"cleanup", "teardown", "shutdown", "dispose", "finalize"})
_WORD_SPLIT = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


@register
class SwallowedException:
    meta = RuleMeta(
        code="BE015",
        name="swallowed-exception",
        severity=Severity.WARNING,
        summary="A broad exception is caught and silently ignored.",
        doc_url="https://cwe.mitre.org/data/definitions/390.html",
        locations=(*ONE_OFF_DATA_CODE[:-1], (Location.SCRIPTS, "info")),
    )

    def check(self, ctx: AnalysisContext) -> Iterator[Finding]:
        assert ctx.root is not None
        logger: str | None = None
        logger_known = False
        for clause in ctx.nodes("except_clause"):
            caught = _caught(ctx.source, clause)
            if caught is None:
                continue
            body = clause.named_children[-1] if clause.named_children else None
            if body is None or body.type != "block":
                continue
            statements = [c for c in body.named_children if c.type != "comment"]
            if len(statements) != 1 or not _is_silent(statements[0]):
                continue
            if any(c.type == "comment" for c in (*clause.named_children, *body.named_children)):
                continue  # the author wrote down why (or silenced E722): a decision, not a slip
            if caught not in ("", "BaseException") and not _hides_consequences(ctx, clause):
                continue
            if not logger_known:
                logger, logger_known = _module_logger(ctx), True
            yield self._finding(ctx, clause, body, statements[0], caught, logger)

    def _finding(
        self,
        ctx: AnalysisContext,
        clause: Node,
        body: Node,
        statement: Node,
        caught: str,
        logger: str | None,
    ) -> Finding:
        in_handler = route_at(ctx.source, clause, ctx.path) is not None
        severity = (
            Severity.WARNING
            if in_handler or is_service_path(ctx.project_path)
            else Severity.INFORMATION
        )
        if any(c.type == "comment" for c in (*clause.named_children, *body.named_children)):
            severity = Severity(min(int(severity) + 1, int(Severity.HINT)))
        what = (
            "every exception, even KeyboardInterrupt and SystemExit"
            if caught == ""
            else (f"`{caught}`")
        )
        action = "skipped with `continue`" if statement.type == "continue_statement" else "ignored"
        where = " in a request handler" if in_handler else ""
        message = (
            f"Catching {what} and leaving it {action}{where} hides failures: bugs and outages "
            "vanish without a trace. Log it (logger.exception), re-raise, or catch only the "
            "exception you expect."
        )
        header_end = next((c.end_byte for c in clause.children if c.type == ":"), clause.end_byte)
        return Finding.at(
            self.meta,
            clause.start_byte,
            header_end,
            message,
            _fix(ctx, clause, statement, logger),
            severity,
        )


def _caught(source: bytes, clause: Node) -> str | None:
    """'' for a bare except, the broad name caught, or None when the catch is narrow."""
    value = next((c for c in clause.named_children if c.type not in ("block", "comment")), None)
    if value is None:
        return ""
    if value.type == "as_pattern":
        value = value.named_children[0] if value.named_children else None
        if value is None:
            return None
    candidates = (
        value.named_children if value.type in ("tuple", "parenthesized_expression") else [value]
    )
    for candidate in candidates:
        if node_text(source, candidate) in _BROAD:
            return node_text(source, candidate).removeprefix("builtins.")
    return None


def _is_silent(statement: Node) -> bool:
    if statement.type in _SILENT:
        return True
    return (
        statement.type == "expression_statement"
        and statement.named_child_count == 1
        and statement.named_children[0].type == "ellipsis"
    )


def _module_logger(ctx: AnalysisContext) -> str | None:
    """Name of a module-level logger (``logger = logging.getLogger(__name__)``), if any."""
    assert ctx.root is not None
    for statement in ctx.root.named_children:
        assignment = statement_assignment(statement)
        if assignment is None:
            continue
        left = assignment.child_by_field_name("left")
        right = assignment.child_by_field_name("right")
        if left is None or right is None or left.type != "identifier" or right.type != "call":
            continue
        callee = node_text(ctx.source, right.child_by_field_name("function"))
        if callee.rsplit(".", 1)[-1] in _LOGGER_FACTORIES:
            return node_text(ctx.source, left)
    aliases = import_aliases(ctx.source, ctx.root)
    for local, qualified in aliases.items():
        if qualified == "loguru.logger":
            return local
    return None


def _fix(ctx: AnalysisContext, clause: Node, statement: Node, logger: str | None) -> Fix:
    assert ctx.root is not None
    edits: list[Edit] = []
    if logger is None:
        aliases = import_aliases(ctx.source, ctx.root)
        module = next((k for k, v in aliases.items() if v == "logging"), None)
        if module is None:
            module = "logging"
            added = ensure_import(ctx.source, ctx.root, "logging")
            if added is not None:
                edits.append(added)
        logger = f"{module}.getLogger(__name__)"
    function = enclosing_function(clause)
    context = function_name(ctx.source, function) if function is not None else ""
    text = "unexpected error" + (f" in {context}" if context else "")
    call = f'{logger}.exception("{text}")'
    if statement.type == "continue_statement":
        # Keep the loop going, but leave a trace first.
        if statement.start_point[0] == clause.start_point[0]:
            indent = ctx.line_indent(clause) + "    "
            edits.append(
                Edit(statement.start_byte, statement.start_byte, f"\n{indent}{call}\n{indent}")
            )
        else:
            edits.append(
                Edit(
                    statement.start_byte,
                    statement.start_byte,
                    f"{call}\n{ctx.line_indent(statement)}",
                )
            )
    else:
        edits.append(ctx.replace(statement, call))
    return Fix(title="Log the exception instead of ignoring it", edits=tuple(edits))


def _hides_consequences(ctx: AnalysisContext, clause: Node) -> bool:
    """The guarded code does something whose failure matters, and nothing stands in for it."""
    statement = clause.parent
    if statement is None or statement.type != "try_statement":
        return False
    moves_on = any(
        c.type == "continue_statement" for c in (clause.named_children[-1].named_children)
    )
    if _probe_with_fallback(statement, moves_on) or _best_effort_scope(ctx, statement):
        return False
    if _records_outcome(ctx.source, statement):
        return False
    body = statement.child_by_field_name("body")
    return body is not None and any(
        _consequential(ctx.source, call) and not _cleanup_call(ctx.source, call)
        for call in own_calls(body)
    )


def _records_outcome(source: bytes, statement: Node) -> bool:
    """``valid = False`` / ``try: verify(t); valid = True`` / ``except Exception: pass``.

    The try ends by setting a local flag to a literal, over the literal it held before
    the try: the flag is the outcome the caller reads, so the failure is not hidden.
    An attribute (``order.paid = True``) is state, not a local flag: still judged.
    """
    body = statement.child_by_field_name("body")
    statements = [c for c in body.named_children if c.type != "comment"] if body else []
    flag = _literal_assignment(source, statements[-1]) if statements else None
    if flag is None:
        return False
    before = statement.prev_named_sibling
    while before is not None:
        if _literal_assignment(source, before) == flag:
            return True
        before = before.prev_named_sibling
    return False


def _literal_assignment(source: bytes, statement: Node) -> str | None:
    """The name in ``name = <literal>`` (True/False/None, a number or a string), else None."""
    assignment = statement_assignment(statement)
    if assignment is None:
        return None
    left = assignment.child_by_field_name("left")
    right = assignment.child_by_field_name("right")
    if left is None or right is None or left.type != "identifier":
        return None
    return node_text(source, left) if right.type in _LITERALS else None


_LITERALS = ("true", "false", "none", "integer", "float", "string")
# Calls that release a resource: failing to close a stale connection loses nothing.
_CLEANUP_CALLS = frozenset({
    "close", "aclose", "disconnect", "shutdown", "terminate", "kill", "dispose", "release",
    "cleanup",
})  # fmt: skip


def _cleanup_call(source: bytes, call: Node) -> bool:
    """``conn.close()``, ``client.disconnect()``: a resource released, nothing written."""
    callee = call_name(source, call)
    return bool(callee) and callee.rsplit(".", 1)[-1].lstrip("_").lower() in _CLEANUP_CALLS


def _words(name: str) -> list[str]:
    return [w for w in _WORD_SPLIT.split(_CAMEL.sub("_", name).lower()) if w]


def _best_effort(words: list[str]) -> bool:
    """Telemetry or logging words, unless it is an audit trail (that one must not get lost)."""
    return bool(set(words) & _BEST_EFFORT_WORDS) and "audit" not in words


def _consequential(source: bytes, call: Node) -> bool:
    """A call run for its effect (its value unused) or one whose verb changes state."""
    callee = call_name(source, call)
    if not callee or _best_effort(_words(callee)):
        return False  # ``analytics.track(...)``, ``logger.info(...)``: best effort by design
    last = callee.rsplit(".", 1)[-1].lstrip("_").lower()
    words = _words(last)
    if not words:
        return False
    if words[0] == "execute":
        args = call.child_by_field_name("arguments")
        return args is not None and _WRITE_SQL.search(node_text(source, args)) is not None
    if last in _CONSEQUENTIAL_NAMES:
        return not _in_memory(source, call, last)
    if words[0] in _CONSEQUENTIAL:
        if not _for_effect(call) and set(words[1:]) & _READ_WORDS:
            return False  # ``d = refund_matching_id(r)``: a noun phrase read for its value
        return not _in_memory(source, call, last)
    return _for_effect(call) and last not in _PURE_EFFECTS and not _in_memory(source, call, last)


def _for_effect(call: Node) -> bool:
    """``send(x)`` / ``await sync()`` as a statement: only its side effect is wanted."""
    parent = call.parent
    if parent is not None and parent.type == "await":
        parent = parent.parent
    return parent is not None and parent.type == "expression_statement"


def _in_memory(source: bytes, call: Node, method: str) -> bool:
    """``items.append(x)``, ``attrs.update(other)``: a local container, not a store."""
    if method in _CONTAINER_METHODS:
        return True
    if method != "update":
        return False
    args = call.child_by_field_name("arguments")
    items = [a for a in (args.named_children if args else []) if a.type != "comment"]
    return len(items) == 1 and items[0].type in ("dictionary", "identifier", "call")


def _best_effort_scope(ctx: AnalysisContext, statement: Node) -> bool:
    """Cleanup (``close``, ``__del__``, a ``finally`` block) or telemetry: failures are moot."""
    node = statement.parent
    while node is not None:
        if node.type == "finally_clause":
            return True
        if node.type == "function_definition":
            name = function_name(ctx.source, node)
            words = _words(name)
            # ``close``/``_kill_quietly``/``shutdown_workers``; not ``close_account``
            if name.strip("_").lower() in _CLEANUP_FUNCTIONS or name in _CLEANUP_FUNCTIONS:
                return True
            if words and words[0] in _CLEANUP_PREFIXES:
                return True
            if _best_effort(words):
                return True
            break
        node = node.parent
    module = _words(ctx.project_path.rsplit("/", 1)[-1])
    return bool(set(module) & _TELEMETRY_WORDS and "audit" not in module) or any(
        part in ("telemetry", "analytics") for part in ctx.project_path.split("/")[:-1]
    )


def _probe_with_fallback(statement: Node, moves_on: bool = False) -> bool:
    """``try: return probe() / except Exception: pass`` then a default: a lookup that may fail.

    The try ends in ``return``/``continue``/``break`` on success, and the code
    after it (in this block or an enclosing one) is the defined outcome of a
    failure, so nothing is hidden. Bare ``except:`` is still reported: it also
    swallows SystemExit.
    """
    body = statement.child_by_field_name("body")
    statements = [c for c in body.named_children if c.type != "comment"] if body else []
    if not statements or statements[-1].type not in _JUMPS:
        return False
    # ``continue``/``break``: the fallback must run in this loop iteration
    stops: tuple[str, ...] = ("function_definition", "module")
    if statements[-1].type != "return_statement":
        stops = (*stops, "for_statement", "while_statement")
    node: Node | None = statement
    while node is not None and node.type not in stops:
        after = node.next_named_sibling
        while after is not None and after.type == "comment":
            after = after.next_named_sibling
        if after is not None and after.type not in _HANDLER_CLAUSES:
            return True  # an explicit fallback; falling off the end hides the failure
        if moves_on and node.type in ("for_statement", "while_statement"):
            # ``for v in candidates: try: return parse(v) / except Exception: continue``: a
            # failed candidate moves the search on; the loop running out is its designed
            # "none found" outcome
            return True
        node = node.parent
    return False


_JUMPS = ("return_statement", "continue_statement", "break_statement")
_HANDLER_CLAUSES = ("except_clause", "else_clause", "finally_clause", "elif_clause")
