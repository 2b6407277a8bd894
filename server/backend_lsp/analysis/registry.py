"""Rule registry and the analysis entry point.

A rule is an object with ``meta: RuleMeta`` and ``check(ctx) -> Iterable[Finding]``.
Rule modules register themselves with ``@register`` when
``backend_lsp.analysis.rules`` is imported.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Protocol, TypeVar

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.model import Finding, RuleMeta
from backend_lsp.analysis.python.bindings import scans_remembered

log = logging.getLogger(__name__)


class Rule(Protocol):
    meta: RuleMeta

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]: ...


_RULES: dict[str, Rule] = {}

R = TypeVar("R", bound=Rule)


def register(rule_class: type[R]) -> type[R]:
    """Class decorator: instantiate and register a rule by its code."""
    rule = rule_class()
    code = rule.meta.code
    if code in _RULES:
        raise ValueError(f"duplicate rule code {code}")
    _RULES[code] = rule
    return rule_class


def all_rules() -> list[Rule]:
    import backend_lsp.analysis.rules  # noqa: F401  (registers the rules)

    return sorted(_RULES.values(), key=lambda rule: rule.meta.code)


def all_metas() -> list[RuleMeta]:
    """Every documented code: the rules plus BE100, which the suppression pass reports."""
    from backend_lsp.analysis.suppressions import UNUSED_NOQA

    return sorted([rule.meta for rule in all_rules()] + [UNUSED_NOQA], key=lambda m: m.code)


def matches_code(meta: RuleMeta, patterns: Iterable[str]) -> bool:
    """A code or name prefix pattern, as ``--select``/``--ignore`` take them."""
    return any(
        meta.code.upper().startswith(p.strip().upper()) or meta.name.upper() == p.strip().upper()
        for p in patterns
        if p.strip()
    )


def select_rules(select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Rule]:
    """Filter by code or name prefix, as ``--select``/``--ignore`` do."""
    selected = [s.strip().upper() for s in select if s.strip()]
    ignored = [s.strip().upper() for s in ignore if s.strip()]

    def matches(rule: Rule, patterns: list[str]) -> bool:
        return any(
            rule.meta.code.upper().startswith(p) or rule.meta.name.upper() == p for p in patterns
        )

    rules = all_rules()
    if selected:
        rules = [r for r in rules if matches(r, selected)]
    return [r for r in rules if not matches(r, ignored)]


def analyze(ctx: AnalysisContext, rules: Iterable[Rule] | None = None) -> list[Finding]:
    """Run every applicable rule; a crashing rule is logged, never fatal."""
    if ctx.root is None:
        return []
    findings: list[Finding] = []
    with scans_remembered():  # the rules resolve names in the same scopes
        for rule in all_rules() if rules is None else rules:
            if ctx.language_id not in rule.meta.languages or not rule.meta.needs.met(ctx.source):
                continue
            try:
                findings.extend(rule.check(ctx))
            except Exception:
                log.exception("rule %s failed on %s", rule.meta.code, ctx.path)
    findings.sort(key=lambda f: (f.start, f.code))
    return _dedupe(findings)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, int, int]] = set()
    unique = []
    for finding in findings:
        key = (finding.code, finding.start, finding.end)
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique
