"""BE013: deserialising data with formats that can run code.

pickle and its relatives rebuild arbitrary objects, so loading bytes an
attacker can influence runs their code. ERROR for the general-purpose loaders
(pickle, dill, marshal, jsonpickle, ``yaml.load`` with an unsafe or missing
Loader); WARNING for loaders usually pointed at local artefacts (shelve,
joblib, ``pandas.read_pickle``, ``torch.load`` without ``weights_only=True``,
``numpy.load(allow_pickle=True)``) and for ``FullLoader``, which is safer
than ``Loader`` but still not meant for untrusted input. Fix for YAML: the
safe loader.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.model import Finding, Fix, RuleMeta, Severity
from backend_lsp.analysis.python.calls import is_true, resolved_calls
from backend_lsp.analysis.python.nodes import keyword_argument, node_text, positional_arguments
from backend_lsp.analysis.registry import register

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
    )

    def check(self, ctx: AnalysisContext) -> Iterator[Finding]:
        assert ctx.root is not None
        for call in resolved_calls(ctx.source, ctx.root):
            qualified = call.qualified
            if qualified in _CODE_LOADERS:
                yield ctx.finding(
                    self.meta,
                    call.node,
                    f"`{call.name}` can execute arbitrary code while loading: never use it on "
                    "data a user, a queue or the network can influence. Use JSON (or msgpack, "
                    "protobuf) for exchanged data, or sign and verify what you pickle.",
                )
            elif qualified in ("yaml.load", "yaml.load_all"):
                yield from self._yaml(ctx, call.node, call.name)
            elif qualified in _ARTEFACT_LOADERS or self._torch_or_numpy(ctx, qualified, call.node):
                yield ctx.finding(
                    self.meta,
                    call.node,
                    f"`{call.name}` unpickles its input and can run code from it: load only "
                    "files you produced and control.",
                    severity=Severity.WARNING,
                )

    @staticmethod
    def _torch_or_numpy(ctx: AnalysisContext, qualified: str, call: Node) -> bool:
        if qualified == "torch.load":
            return not is_true(ctx.source, keyword_argument(ctx.source, call, "weights_only"))
        if qualified == "numpy.load":
            return is_true(ctx.source, keyword_argument(ctx.source, call, "allow_pickle"))
        return False

    def _yaml(self, ctx: AnalysisContext, call: Node, name: str) -> Iterator[Finding]:
        loader = keyword_argument(ctx.source, call, "Loader")
        positional = positional_arguments(call)
        if loader is None and len(positional) >= 2:
            loader = positional[1]
        safe_name = name.rsplit(".", 1)[0] + ".safe_" + name.rsplit(".", 1)[-1]
        if loader is None:
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
            )
            return
        loader_name = node_text(ctx.source, loader).rsplit(".", 1)[-1]
        if loader_name in _SAFE_YAML or loader_name not in (*_UNSAFE_YAML, "FullLoader"):
            return  # safe, or a custom loader we cannot judge
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
        )
