"""Cases whose flow crosses files: a handler (``app/views.py``) calls a helper module.

Per category (the sinks of ``generate.SINKS``), true cases put the sink in the helper
(``do(p)``), build the value in the helper and sink it in the handler (``build(p)``), or
go two helper files deep (``jobs.start(p)`` -> ``lower.do(p)``); safe look-alikes sanitize
inside the helper, ignore the parameter, build a constant, sanitize in a builder, or pass a
constant. Imports vary: ``from .services import ...``, ``from app import services``,
``from app.services import ... as ...``. Scored by category name ``<category>-xmodule``.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from taint_suite.generate import FRAMEWORKS, HEADER, SANITIZER, SINKS, _pick

SKIPPED = {"trust"}  # session writes belong to the handler's request, not a helper


@dataclass(frozen=True, slots=True)
class XCase:
    category: str
    code: str
    vulnerable: bool
    label: str
    source: str  # app/views.py
    files: dict[str, str] = field(default_factory=dict)  # the other modules, by path


def _imports(framework: str) -> str:
    """The framework head's import lines (a helper module imports what its sinks need)."""
    head = FRAMEWORKS[framework][0]
    return "".join(line + "\n" for line in head.splitlines() if line.startswith(("from", "import")))


def _sink(sink: str, name: str = "x") -> str:
    return re.sub(r"\bX\b", name, sink)


def _helper(framework: str, body: str) -> str:
    return HEADER + _imports(framework) + "\n\n" + body


def _handler(framework: str, source_index: int, imports: str, call: str) -> str:
    head, sources = FRAMEWORKS[framework]
    indent = "        " if framework == "drf" else "    "
    body = [f"v = {sources[source_index % len(sources)]}", f"return {call}"]
    return HEADER + imports + head + "".join(f"{indent}{line}\n" for line in body)


# (import line, how the handler names do(), how it names build())
_IMPORT_STYLES = [
    ("from .services import do, build\n", "do", "build"),
    ("from app import services\n", "services.do", "services.build"),
    ("from app.services import do as run_helper, build as make\n", "run_helper", "make"),
]
_DO = "def do(p):\n    x = p\n    return {sink}\n\ndef build(p):\n    return p\n"


def xmodule_cases() -> list[XCase]:
    out: list[XCase] = []
    frameworks = itertools.cycle(FRAMEWORKS)
    for category, (code, bad, _safe) in SINKS.items():
        if category in SKIPPED:
            continue
        sanitize = re.sub(r"\bv\b", "p", SANITIZER[category])
        shapes: list[tuple[bool, str, str, str, str, dict[str, str]]] = []
        for sink in bad[:2]:  # (vulnerable, label, sink, helper, handler call, more files)
            shapes.append((True, "sink in helper", sink, _DO.format(sink=_sink(sink)), "DO(v)", {}))
        for sink in bad[2:4]:
            helper = "def do(p):\n    return None\n\ndef build(p):\n    return p.strip()\n"
            shapes.append((True, "helper builds, handler sinks", sink, helper,
                           _sink(sink, "BUILD(v)"), {}))  # fmt: skip
        lower = _helper("flask", f"def sink_it(p):\n    x = p\n    return {_sink(bad[0])}\n")
        helper = "from .lower import sink_it\n\ndef do(p):\n    return sink_it('' + p)\n\n"
        helper += "def build(p):\n    return p\n"
        shapes.append((True, "two helper files", bad[0], helper, "DO(v)", {"app/lower.py": lower}))
        for sink in bad[:2]:
            helper = f"def do(p):\n    {sanitize}\n    return {_sink(sink)}\n\n"
            helper += "def build(p):\n    return p\n"
            shapes.append((False, "helper sanitizes", sink, helper, "DO(v)", {}))
        helper = f"def do(p):\n    x = 'alpha'\n    return {_sink(bad[0])}\n\n"
        helper += "def build(p):\n    return p\n"
        shapes.append((False, "helper ignores its parameter", bad[0], helper, "DO(v)", {}))
        helper = "def do(p):\n    return None\n\ndef build(p):\n    return 'alpha'\n"
        shapes.append((False, "builder returns a constant", bad[2], helper,
                       _sink(bad[2], "BUILD(v)"), {}))  # fmt: skip
        helper = f"def do(p):\n    {sanitize}\n    return p\n\ndef build(p):\n"
        helper += f"    {sanitize}\n    return x\n"
        shapes.append((False, "builder sanitizes", bad[3], helper, _sink(bad[3], "BUILD(v)"), {}))
        shapes.append((False, "constant passed", bad[1], _DO.format(sink=_sink(bad[1])),
                       "DO('alpha')", {}))  # fmt: skip
        for i, (vulnerable, label, sink, helper_body, call, extra) in enumerate(shapes):
            framework = _pick(frameworks, sink)
            imports, do_name, build_name = _IMPORT_STYLES[i % len(_IMPORT_STYLES)]
            text = call.replace("DO(", do_name + "(").replace("BUILD(", build_name + "(")
            files = {"app/__init__.py": "", "app/services.py": _helper(framework, helper_body)}
            files.update(extra)
            source = _handler(framework, i, imports, text)
            out.append(XCase(f"{category}-xmodule", code, vulnerable, f"{framework}:{label}",
                             source, files))  # fmt: skip
    return out
