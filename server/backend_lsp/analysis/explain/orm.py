"""Hover for an ORM query chain: what it fetches, whether it is bounded, N+1 risk."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tree_sitter import Node

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.explain.facts import orm_chain
from backend_lsp.analysis.explain.markdown import code, findings_section, join_codes, overlapping
from backend_lsp.analysis.model import Finding
from backend_lsp.analysis.python.nodes import enclosing_function, node_text, walk

if TYPE_CHECKING:
    from backend_lsp.analysis.python.orm import OrmChain

_ORM_NAMES = {"django": "Django ORM", "sqlalchemy": "SQLAlchemy", "sqlmodel": "SQLModel"}
_MANAGER_CALLS = ("all", "filter", "count", "exclude", "first", "exists", "order_by")
_N_PLUS_ONE_CODES = ("BE004",)


def explain_orm(ctx: AnalysisContext, node: Node, findings: list[Finding]) -> str | None:
    chain = orm_chain(ctx.source, node)
    if chain is None:
        return None
    source = ctx.source
    what = chain.model or (f"related `{chain.relation_manager}`" if chain.relation_manager else "?")
    lines = [f"**{_ORM_NAMES.get(chain.orm, chain.orm)} query** on {code(what)}"]
    lines.append(f"- {chain.summary}")
    steps = [_step(source, op.name, op.node, op.called) for op in chain.operations]
    if steps:
        lines.append(f"- Steps: {' → '.join(code(s, 48) for s in steps[:8])}")
    if chain.eager:
        lines.append(f"- Eager-loads: {join_codes(chain.eager)}")
    if chain.single:
        lines.append("- Bounded: yes (one row or one value)")
    elif chain.aggregate:
        lines.append("- Bounded: yes (aggregates without GROUP BY: one row)")
    elif chain.bounded:
        lines.append("- Bounded: yes (limit, slice or pagination)")
    else:
        lines.append("- Bounded: **no**: returns every matching row; paginate or limit it")
    lines.append(f"- N+1 risk: {_n_plus_one(ctx, chain, findings)}")
    lines.extend(
        findings_section(overlapping(findings, chain.node.start_byte, chain.node.end_byte))
    )
    return "\n".join(lines)


def _step(source: bytes, name: str, node: Node, called: bool) -> str:
    if name == "[]":
        index = node.child_by_field_name("subscript")
        return f"[{node_text(source, index)}]"
    if not called:
        return name
    arguments = node.child_by_field_name("arguments")
    return f"{name}{node_text(source, arguments) if arguments is not None else '()'}"


def _n_plus_one(ctx: AnalysisContext, chain: OrmChain, findings: list[Finding]) -> str:
    """The analyzer's verdict (its BE004 findings), never a second opinion.

    A finding on the chain itself (a query run once per row of an outer loop)
    or inside a loop over the chain (directly or through the variable it is
    assigned to) is a yes; without one the answer is no, whatever it looks like,
    so a hover never contradicts the diagnostics on the same lines.
    """
    hits = [f for f in findings if f.code in _N_PLUS_ONE_CODES]
    own = overlapping(hits, chain.node.start_byte, chain.node.end_byte)
    if own:
        return _verdict(ctx, own[0])
    loops = _loops_over(ctx.source, chain.node)
    for loop in loops:
        inside = overlapping(hits, loop.start_byte, loop.end_byte)
        if not inside:
            continue
        lazy = _lazy_relations(ctx, chain, loop)
        if lazy:
            line = loop.start_point[0] + 1
            return (
                f"**yes**: the loop on line {line} reads {join_codes(lazy, 3)} "
                f"without eager loading: one query per row ({inside[0].code})"
            )
        return _verdict(ctx, inside[0])
    if chain.single:
        return "none (single row)"
    if loops:
        return f"none found: no query per row in the loop on line {loops[0].start_point[0] + 1}"
    return "none found (not iterated here)"


def _verdict(ctx: AnalysisContext, hit: Finding) -> str:
    line = ctx.document.index.line_of(hit.start) + 1
    first = re.split(r"(?<=[.!?])\s", hit.message.strip(), maxsplit=1)[0]
    return f"**yes** ({hit.code}, line {line}): {first}"


def _loops_over(source: bytes, chain_node: Node) -> list[Node]:
    """for-statements / comprehensions iterating the chain or the name it is assigned to."""
    loops: list[Node] = []
    parent = chain_node.parent
    if parent is not None and parent.type in ("for_statement", "for_in_clause"):
        loops.append(parent if parent.type == "for_statement" else parent.parent or parent)
        return loops
    if parent is None or parent.type != "assignment":
        return loops
    target = parent.child_by_field_name("left")
    if target is None or target.type != "identifier":
        return loops
    name = node_text(source, target)
    scope = enclosing_function(chain_node)
    if scope is None:
        return loops
    for node in walk(scope):
        if node.start_byte <= parent.end_byte:
            continue
        if node.type in ("for_statement", "for_in_clause"):
            right = node.child_by_field_name("right")
            if right is not None and node_text(source, right) == name:
                loops.append(node if node.type == "for_statement" else node.parent or node)
    return loops


def _lazy_relations(ctx: AnalysisContext, chain: OrmChain, loop: Node) -> list[str]:
    """Relations of the loop variable read in the loop that the chain did not eager-load."""
    source = ctx.source
    variable = _loop_variable(source, loop)
    if variable is None:
        return []
    table = ctx.schema.by_model(chain.model) if chain.model else None
    relations = set(table.relations) if table is not None else set()
    found: list[str] = []
    for node in walk(loop):
        if node.type != "attribute":
            continue
        obj = node.child_by_field_name("object")
        attr = node.child_by_field_name("attribute")
        if obj is None or attr is None or node_text(source, obj) != variable:
            continue
        relation = node_text(source, attr)
        if chain.eager_loads(relation):
            continue
        outer = node.parent
        used_as_manager = (
            outer is not None
            and outer.type == "attribute"
            and node_text(source, outer.child_by_field_name("attribute")) in _MANAGER_CALLS
            and outer.parent is not None
            and outer.parent.type == "call"
        )
        if relation in relations or used_as_manager or relation.endswith("_set"):
            found.append(f"{variable}.{relation}")
    return list(dict.fromkeys(found))


def _loop_variable(source: bytes, loop: Node) -> str | None:
    if loop.type == "for_statement":
        left = loop.child_by_field_name("left")
    else:
        clause = next((c for c in loop.named_children if c.type == "for_in_clause"), None)
        left = clause.child_by_field_name("left") if clause is not None else None
    if left is None or left.type != "identifier":
        return None
    return node_text(source, left)
