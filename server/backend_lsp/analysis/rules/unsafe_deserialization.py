"""BE013: deserialising data with formats that can run code, judged by where it comes from.

pickle and its relatives rebuild arbitrary objects, so loading bytes an attacker can
influence runs their code. Request data reaching a loader (here or through a helper) is an
ERROR with its flow; bytes of unknown origin given to a bytes loader, and files under an
upload directory, are WARNINGs; constants, this code's own pickles and worker results, the
app's own files (a path the request does not choose) and safe YAML loaders in any spelling
are not reported (``python/data_origin.py``). Fix for YAML: the safe loader.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.locations import ONE_OFF_DATA_CODE
from backend_lsp.analysis.model import FileReads, Finding, Fix, RuleMeta, Severity
from backend_lsp.analysis.python.bindings import ASSIGNED_OR_OPENED, resolve_name, scope_bindings
from backend_lsp.analysis.python.calls import is_true, resolved_calls
from backend_lsp.analysis.python.data_origin import Judged, Origin, judge, judge_path
from backend_lsp.analysis.python.imports import import_aliases
from backend_lsp.analysis.python.nodes import (
    enclosing,
    enclosing_function,
    keyword_argument,
    node_text,
    parameter_name,
    positional_arguments,
    walk,
)
from backend_lsp.analysis.registry import register
from backend_lsp.analysis.taint.engine import FileTaint
from backend_lsp.analysis.taint.flow import Flow
from backend_lsp.analysis.taint.tables import DESERIALIZE

_CODE_LOADERS = {
    f"{module}.{function}"
    for module in ("pickle", "cPickle", "_pickle", "dill", "cloudpickle")
    for function in ("load", "loads", "Unpickler")
} | {"marshal.load", "marshal.loads", "jsonpickle.decode", "jsonpickle.unpickler.decode",
     "yaml.unsafe_load", "yaml.unsafe_load_all"}  # fmt: skip
_ARTEFACT_LOADERS = {
    "shelve.open",
    "joblib.load",
    "pandas.read_pickle",
    "sklearn.externals.joblib.load",
}
_PICKLERS = ("pickle", "cPickle", "_pickle", "dill", "cloudpickle")
_UNSAFE_YAML = {"Loader", "UnsafeLoader", "CLoader", "CUnsafeLoader"}
_SAFE_YAML = {"SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader"}


@register
class UnsafeDeserialization:
    meta = RuleMeta(
        code="BE013",
        name="unsafe-deserialization",
        severity=Severity.ERROR,
        summary="Data is deserialised with a format that can execute code.",
        doc_url="https://cwe.mitre.org/data/definitions/502.html",
        # Tests round-trip their own objects; a migration reads back the format the app
        # stored, once, to convert it: neither has a fix at that spot.
        locations=ONE_OFF_DATA_CODE[:-1],
        # A loader whose parameter every caller fills with this module's own ``dumps`` is
        # judged by call sites in other chunks (``_pickled_by_callers``): in a file that
        # pickles, a function chunk that loads is a fact, re-judged after every edit.
        reads=FileReads(
            when=tuple(f"{module}.dumps".encode() for module in _PICKLERS),
            markers=(b"load", b"Unpickler", b"decode"),
        ),
    )

    def check(self, ctx: AnalysisContext) -> Iterator[Finding]:
        assert ctx.root is not None
        taint = ctx.taint
        aliases = import_aliases(ctx.source, ctx.root)
        helper_flows = {f.call.start_byte: f for f in taint.flows_for(DESERIALIZE)}
        yield from self._into_helpers(ctx, taint)
        for call in resolved_calls(ctx.source, ctx.root):
            qualified = call.qualified
            data = positional_arguments(call.node)
            if qualified in _CODE_LOADERS or self._ruamel_unsafe(ctx, call.node, qualified):
                if data and (_pickled_here(ctx, data[0]) or _pickled_by_callers(ctx, data[0])):
                    continue  # bytes this code pickled itself (a round trip), not input
                judged = self._origin(ctx, taint, aliases, helper_flows, call.node, data)
                if judged.origin is Origin.TRUSTED:
                    continue  # a literal, a folded constant, the app's own file or worker
                reads_file = call.name.rsplit(".", 1)[-1] in ("load", "Unpickler")
                if judged.origin is Origin.UNKNOWN and reads_file and not _ruamel(call.node):
                    continue  # a stream the caller opened: an artefact, not exchanged bytes
                yield self._report(ctx, call.node, call.name, judged)
            elif qualified == "multiprocessing.connection.Connection.recv" or (
                call.name.endswith(".recv") and _is_listener_connection(ctx, call.node)
            ):
                yield ctx.finding(
                    self.meta,
                    call.node,
                    "`Connection.recv()` unpickles what the peer sends: a client that "
                    "reaches the listener runs code in this process. Use recv_bytes() with "
                    "JSON, and authkey on the Listener.",
                    severity=Severity.WARNING,
                )
            elif qualified in ("yaml.load", "yaml.load_all") and not _proven_clean(taint, data):
                judged = self._origin(ctx, taint, aliases, helper_flows, call.node, data)
                yield from self._yaml(ctx, call.node, call.name, judged, aliases)
            elif qualified in _ARTEFACT_LOADERS or self._torch_or_numpy(ctx, qualified, call.node):
                if data and _in_private_temp_dir(ctx, data[0]):
                    continue  # a file in a temp dir this function made: only this code wrote it
                judged = self._origin(ctx, taint, aliases, helper_flows, call.node, data, True)
                if judged.origin in (Origin.TRUSTED, Origin.UNKNOWN):
                    continue  # a model or cache file from the app's own settings or caller
                yield self._report(ctx, call.node, call.name, judged)

    @staticmethod
    def _origin(
        ctx: AnalysisContext,
        taint: FileTaint,
        aliases: dict[str, str],
        helper_flows: dict[int, Flow],
        call: Node,
        data: list[Node],
        path: bool = False,
    ) -> Judged:
        """Request data (here or through a helper), trusted, an upload, or unknown."""
        flow = helper_flows.get(call.start_byte)
        if flow is not None and flow.call.end_byte == call.end_byte:
            return Judged(Origin.REQUEST, flow.taint, flow.arg)
        if not data:
            return Judged(Origin.UNKNOWN)
        if path:
            return judge_path(ctx.source, taint, aliases, data[0])
        return judge(ctx.source, taint, aliases, data[0])

    def _report(self, ctx: AnalysisContext, call: Node, name: str, judged: Judged) -> Finding:
        message = (
            f"`{name}` can execute arbitrary code while loading: never use it on "
            "data a user, a queue or the network can influence. Use JSON (or msgpack, "
            "protobuf) for exchanged data, or sign and verify what you pickle."
        )
        severity = Severity.ERROR
        flow = None
        if judged.origin is Origin.REQUEST and judged.taint is not None and judged.node:
            flow = Flow(DESERIALIZE, call, judged.node, name, judged.taint)
            first = judged.taint.steps[0] if judged.taint.steps else None
            line = ctx.document.index.line_of(first.start) + 1 if first else None
            message = f"{flow.describe(line)}: {message}"
        elif judged.origin is Origin.UPLOADS:
            severity = Severity.WARNING
            message = (
                f"`{name}` loads a file from an upload directory: users write those files, "
                "and loading one runs their code. Store uploads as data (JSON), never pickle."
            )
        else:
            severity = Severity.WARNING
            message = f"Bytes of unknown origin (a parameter, a cache or database read): {message}"
        return Finding.at(
            self.meta, call.start_byte, call.end_byte, message,
            severity=severity, flow=flow.steps() if flow is not None else (),
        )  # fmt: skip

    def _into_helpers(self, ctx: AnalysisContext, taint: FileTaint) -> Iterator[Finding]:
        """Request data passed to an imported helper that deserialises it (its own file's
        finding cannot show where the data comes from): reported at the call."""
        for flow in taint.flows_for(DESERIALIZE):
            if flow.tail:
                message = (
                    f"{flow.describe(ctx.document.index.line_of(flow.taint.steps[0].start) + 1)}"
                    if flow.taint.steps
                    else flow.describe()
                )
                yield Finding.at(
                    self.meta, flow.arg.start_byte, flow.arg.end_byte,
                    f"{message}: it is deserialised with a format that can execute code. "
                    "Use JSON for exchanged data, or sign and verify what you pickle.",
                    flow=flow.steps(),
                )  # fmt: skip

    @staticmethod
    def _ruamel_unsafe(ctx: AnalysisContext, call: Node, qualified: str) -> bool:
        """``YAML(typ="unsafe").load(...)``: ruamel's unsafe loader builds any object."""
        if not qualified.endswith(".load"):
            return False
        function = call.child_by_field_name("function")
        receiver = function.child_by_field_name("object") if function is not None else None
        text = node_text(ctx.source, receiver)
        return (
            receiver is not None
            and receiver.type == "call"
            and "YAML(" in text
            and ("'unsafe'" in text or '"unsafe"' in text)
        )

    @staticmethod
    def _torch_or_numpy(ctx: AnalysisContext, qualified: str, call: Node) -> bool:
        if qualified == "torch.load":
            return not is_true(ctx.source, keyword_argument(ctx.source, call, "weights_only"))
        if qualified == "numpy.load":
            return is_true(ctx.source, keyword_argument(ctx.source, call, "allow_pickle"))
        return False

    def _yaml(
        self, ctx: AnalysisContext, call: Node, name: str, judged: Judged, aliases: dict[str, str]
    ) -> Iterator[Finding]:
        loader = keyword_argument(ctx.source, call, "Loader")
        positional = positional_arguments(call)
        if loader is None and len(positional) >= 2:
            loader = positional[1]
        request = judged.origin is Origin.REQUEST
        safe_name = name.rsplit(".", 1)[0] + ".safe_" + name.rsplit(".", 1)[-1]
        if loader is None:
            if judged.origin is Origin.TRUSTED and not _file_argument(ctx, positional):
                return  # a literal or folded constant document
            function = call.child_by_field_name("function")
            fix = None
            if function is not None and function.type == "attribute":
                attribute = function.child_by_field_name("attribute")
                if attribute is not None:
                    new = "safe_" + node_text(ctx.source, attribute)
                    fix = Fix(f"Use {safe_name}", (ctx.replace(attribute, new),))
            yield ctx.finding(
                self.meta,
                call,
                f"`{name}` without a Loader: old PyYAML builds arbitrary Python objects "
                f"(code execution) and PyYAML 6 raises TypeError. Use `{safe_name}`.",
                fix,
                None if request else Severity.WARNING,
            )
            return
        loader_name = _loader_name(ctx, loader, aliases)
        if loader_name in _SAFE_YAML or loader_name not in (*_UNSAFE_YAML, "FullLoader"):
            return  # safe in any spelling, or a custom loader we cannot judge
        if judged.origin is Origin.TRUSTED or (loader_name == "FullLoader" and not request):
            return  # the app's own file or a constant; FullLoader builds no code objects
        prefix = (
            node_text(ctx.source, loader).rsplit(".", 1)[0] + "."
            if "." in node_text(ctx.source, loader)
            else ""
        )
        safe = "CSafeLoader" if loader_name.startswith("C") else "SafeLoader"
        fix = Fix(f"Use {prefix}{safe}", (ctx.replace(loader, prefix + safe),))
        if loader_name == "FullLoader":
            yield ctx.finding(
                self.meta,
                loader,
                "FullLoader still constructs many Python objects; for configuration or "
                "request data use SafeLoader.",
                fix,
                Severity.WARNING,
            )
            return
        yield ctx.finding(
            self.meta,
            loader,
            f"`{name}` with `{loader_name}` constructs arbitrary Python objects: a crafted "
            "document runs code. Use SafeLoader (or yaml.safe_load).",
            fix,
            None if request else Severity.WARNING,
        )


def _loader_name(ctx: AnalysisContext, loader: Node, aliases: dict[str, str]) -> str:
    """``SafeLoader`` for ``yaml.SafeLoader``, ``CSafeLoader as Loader`` (through imports),
    ``getattr(yaml, "CSafeLoader", yaml.SafeLoader)`` and a ``Loader = yaml.CSafeLoader``
    binding; a class of the file deriving from a safe loader counts as safe."""
    text = node_text(ctx.source, loader)
    if loader.type == "identifier":
        bound = resolve_name(ctx.source, loader)
        if bound is not None:
            text = node_text(ctx.source, bound)
        elif text in aliases:
            text = aliases[text]
    if loader.type == "call" and all(
        s in _SAFE_YAML for s in re.findall(r"C?(?:Safe|Base|Unsafe|Full)?Loader", text)
    ):
        return "SafeLoader"
    name = text.rsplit(".", 1)[-1]
    if ctx.root is not None and name not in _SAFE_YAML:
        for node in walk(ctx.root):
            if (
                node.type == "class_definition"
                and node_text(ctx.source, node.child_by_field_name("name")) == name
            ):
                bases = node_text(ctx.source, node.child_by_field_name("superclasses"))
                if any(safe in bases for safe in _SAFE_YAML):
                    return "SafeLoader"
    return name


def _file_argument(ctx: AnalysisContext, data: list[Node]) -> bool:
    return bool(data) and data[0].type not in ("string", "concatenated_string")


def _ruamel(call: Node) -> bool:
    function = call.child_by_field_name("function")
    receiver = function.child_by_field_name("object") if function is not None else None
    return receiver is not None and receiver.type == "call"


def _pickled_here(ctx: AnalysisContext, data: Node) -> bool:
    """``pickled = pickle.dumps(obj)`` ... ``pickle.loads(pickled)`` in one function, or
    ``self._b = cloudpickle.dumps(x)`` in the class that loads ``self._b``: every value bound
    to the name is this code's own pickling."""
    if data.type == "identifier":
        scope = enclosing_function(data)
    elif data.type == "attribute" and node_text(ctx.source, data).startswith("self."):
        scope = enclosing(data, "class_definition")
    else:
        return False
    if scope is None:
        return False
    name = node_text(ctx.source, data)
    values = [
        node.child_by_field_name("right")
        for node in walk(scope)
        if node.type == "assignment"
        and node_text(ctx.source, node.child_by_field_name("left")) == name
    ]
    return bool(values) and all(_is_pickle_dumps(ctx.source, value) for value in values)


def _is_pickle_dumps(source: bytes, value: Node | None) -> bool:
    return (
        value is not None
        and value.type == "call"
        and node_text(source, value.child_by_field_name("function")).rsplit(".", 1)
        in ([m, "dumps"] for m in _PICKLERS)
    )


def _pickled_by_callers(ctx: AnalysisContext, data: Node) -> bool:
    """The loaded name is a parameter that every caller in the module fills with this
    module's own ``dumps``: ``payload = cloudpickle.dumps((fn, args))`` then
    ``partial(_run_serialized_call, payload)`` (a payload handed to a worker process)."""
    function = enclosing_function(data)
    if data.type != "identifier" or function is None:
        return False
    parameters = function.child_by_field_name("parameters")
    listed = parameters.named_children if parameters is not None else []
    names = [parameter_name(ctx.source, p) for p in listed]
    name = node_text(ctx.source, data)
    if not names or names[0] != name or ctx.root is None:
        return False
    fn_name = node_text(ctx.source, function.child_by_field_name("name"))
    passed: list[Node] = []
    for call in walk(ctx.root):
        if call.type != "call":
            continue
        callee = node_text(ctx.source, call.child_by_field_name("function"))
        args = positional_arguments(call)
        if callee == fn_name and args:
            passed.append(args[0])
        elif (
            callee in ("partial", "functools.partial")
            and len(args) >= 2
            and node_text(ctx.source, args[0]) == fn_name
        ):
            passed.append(args[1])
    return bool(passed) and all(
        _is_pickle_dumps(
            ctx.source, resolve_name(ctx.source, arg) if arg.type == "identifier" else arg
        )
        for arg in passed
    )


_TEMP_DIR_MAKERS = re.compile(r"^(tempfile\.)?(TemporaryDirectory|mkdtemp)\(")


def _in_private_temp_dir(ctx: AnalysisContext, data: Node) -> bool:
    """``with tempfile.TemporaryDirectory() as tmp`` ... ``torch.load(os.path.join(tmp, F))``:
    a fresh directory only this process can write to, so the file is this code's own."""
    function = enclosing_function(data)
    if function is None:
        return False
    path = resolve_name(ctx.source, data) if data.type == "identifier" else data
    if path is None:
        return False
    temp_dirs: set[str] = set()
    for bound in scope_bindings(ctx.source, function, ASSIGNED_OR_OPENED):
        if bound.value is not None and _TEMP_DIR_MAKERS.match(node_text(ctx.source, bound.value)):
            temp_dirs.add(node_text(ctx.source, bound.target))
    if not temp_dirs:
        return False
    text = node_text(ctx.source, path)
    return any(
        re.match(rf"^(os\.path\.join\(|(pathlib\.)?Path\()\s*{re.escape(d)}\s*[,)]", text)
        or re.match(rf"^{re.escape(d)}\s*/", text)
        for d in temp_dirs
    )


def _is_listener_connection(ctx: AnalysisContext, call: Node) -> bool:
    """``conn.recv()`` in a module that imports multiprocessing.connection's Listener/Client."""
    text = ctx.source
    return b"multiprocessing.connection" in text and (b"Listener" in text or b"Client" in text)


def _proven_clean(taint: FileTaint, data: list[Node]) -> bool:
    """The engine folded the loaded value to a constant or a sanitized value."""
    if not data:
        return False
    seen, origin = taint.fact(data[0])
    return seen and (origin is None or not origin.live(DESERIALIZE))
