"""Values the engine tracks: a taint with the steps it took, and a flow that reached a sink."""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from backend_lsp.analysis.model import FlowStep

MAX_STEPS = 12


@dataclass(frozen=True, slots=True)
class Taint:
    """Request data (or, when ``weak``, a plain parameter of unknown origin).

    ``by_param`` keeps, for parameters whose part of the value was cleaned more than
    the whole (``urljoin(host, reverse(kwargs=kwargs))``: ``kwargs`` only filled a
    route), what their part cleaned; a helper's summary reads it per parameter.
    """

    source: str
    steps: tuple[FlowStep, ...]
    cleared: frozenset[str] = frozenset()
    weak: bool = False
    params: frozenset[int] = frozenset()
    by_param: tuple[tuple[int, frozenset[str]], ...] = ()

    def live(self, category: str) -> bool:
        return category not in self.cleared

    def cleared_for(self, param: int) -> frozenset[str]:
        """What the part of the value that came from parameter ``param`` cleans."""
        for index, cleared in self.by_param:
            if index == param:
                return cleared
        return self.cleared

    def via(self, node: Node, message: str) -> Taint:
        if len(self.steps) >= MAX_STEPS or any(
            s.start == node.start_byte and s.path is None for s in self.steps
        ):
            return self
        step = FlowStep(node.start_byte, node.end_byte, message)
        return Taint(
            self.source, (*self.steps, step), self.cleared, self.weak, self.params, self.by_param
        )

    def clear(self, categories: frozenset[str]) -> Taint:
        by_param = tuple((i, c | categories) for i, c in self.by_param)
        return Taint(
            self.source, self.steps, self.cleared | categories, self.weak, self.params, by_param
        )


# A name or call result the file does not define: not request data as far as we know,
# but not a proven constant either (rules that judge built strings keep reporting it).
UNKNOWN_ORIGIN = Taint("a value of unknown origin", (), weak=True)


def _by_param(a: Taint, b: Taint, whole: frozenset[str]) -> tuple[tuple[int, frozenset[str]], ...]:
    """Per parameter, what every part that came from it cleans (where it differs from
    ``whole``, the merged value's own)."""
    out: list[tuple[int, frozenset[str]]] = []
    for index in sorted(a.params | b.params):
        parts = [t.cleared_for(index) for t in (a, b) if index in t.params]
        cleared = parts[0] if len(parts) == 1 else parts[0] & parts[1]
        if cleared != whole:
            out.append((index, cleared))
    return tuple(out)


def merge(a: Taint | None, b: Taint | None) -> Taint | None:
    """Either value may flow on: keep the stronger one's path, clean only where both are."""
    if a is None:
        return b
    if b is None or (a is b and not a.by_param):
        return a  # the same value on both sides (an unchanged name across branches)
    if a.weak != b.weak:  # request data wins; its sanitizers still hold
        strong = b if a.weak else a
        return Taint(
            strong.source,
            strong.steps,
            strong.cleared,
            False,
            a.params | b.params,
            _by_param(a, b, strong.cleared),
        )
    cleared = a.cleared & b.cleared
    return Taint(a.source, a.steps, cleared, a.weak, a.params | b.params, _by_param(a, b, cleared))


@dataclass(frozen=True, slots=True)
class Flow:
    """Tainted data reaching argument ``arg`` of the sink call ``call``.

    A flow into an imported helper's sink is reported at the call of the helper
    (``through`` names it); ``tail`` holds its steps in the helper's file, sink last.
    """

    category: str
    call: Node
    arg: Node
    sink: str
    taint: Taint
    tail: tuple[FlowStep, ...] = ()
    through: str = ""
    at: str = ""  # the helper's sink as ``app/services.py:12``

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.category, self.call.start_byte, self.arg.start_byte)

    def steps(self) -> tuple[FlowStep, ...]:
        if self.tail:
            return (*self.taint.steps, *self.tail)
        line = self.call.start_point[0] + 1
        last = FlowStep(
            self.arg.start_byte, self.arg.end_byte, f"reaches `{self.sink}` (line {line})"
        )
        return (*self.taint.steps, last)

    def describe(self, source_line: int | None = None) -> str:
        first = self.taint.steps[0] if self.taint.steps else None
        origin = f"`{self.taint.source}`"
        if first is not None and source_line is not None:
            origin += f" (line {source_line})"
        line = self.call.start_point[0] + 1
        if self.tail:
            return (
                f"{origin} reaches `{self.sink}` in {self.at} "
                f"through `{self.through}()` (line {line})"
            )
        return f"{origin} reaches `{self.sink}` (line {line})"
