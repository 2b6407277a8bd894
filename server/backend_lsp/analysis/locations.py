"""What each rule means where a file lives: skip it, or report it at another severity.

Rules declare defaults in ``RuleMeta.locations`` (a loop in a migration is not
a production N+1, a fixture password is not a leaked secret); the
``analysis.locations`` setting overrides them per location kind and code.
When a path is of several kinds, the mildest treatment wins (skip, then the
lowest severity), so a test settings module gets what tests get.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from backend_lsp.analysis.model import Finding, RuleMeta, Severity, Treatment
from backend_lsp.analysis.python.paths import Location, LocationName

Overrides = Mapping[LocationName, Mapping[str, Treatment]]  # location kind -> code -> treatment

_MILDNESS: dict[Treatment, int] = {
    "report": 0, "error": 1, "warning": 2, "info": 3, "hint": 4, "skip": 5,
}  # fmt: skip


def treatments(
    kinds: frozenset[Location], metas: Sequence[RuleMeta], overrides: Overrides
) -> dict[str, Treatment]:
    """Code -> treatment for the rules that are not simply reported in a file of ``kinds``
    (``roles.file_kinds``: its path's and its content's)."""
    if not kinds:
        return {}
    result: dict[str, Treatment] = {}
    for meta in metas:
        defaults = dict(meta.locations)
        chosen: Treatment = "report"
        for kind in kinds:
            configured = {c.upper(): t for c, t in overrides.get(kind.value, {}).items()}
            here = configured.get(meta.code, defaults.get(kind, "report"))
            if _MILDNESS[here] > _MILDNESS[chosen]:
                chosen = here
        if chosen != "report":
            result[meta.code] = chosen
    return result


def apply(findings: list[Finding], treatment: Mapping[str, Treatment]) -> list[Finding]:
    """Drop skipped codes and lower the severity of downgraded ones (never raise it)."""
    if not treatment:
        return findings
    kept: list[Finding] = []
    for finding in findings:
        how = treatment.get(finding.code, "report")
        if how == "skip":
            continue
        if how != "report":
            severity = Severity.parse(how)
            if severity > finding.severity:  # a larger value is a milder severity
                finding = dataclasses.replace(finding, severity=severity)
        kept.append(finding)
    return kept


LOCATION_NAMES = tuple(kind.value for kind in Location)

# Shared defaults rules compose in their RuleMeta.
TESTS_AND_FIXTURES: tuple[tuple[Location, Treatment], ...] = (
    (Location.TESTS, "skip"),
    (Location.FIXTURES, "skip"),
)
# Data code that runs once, by hand or at deploy: not a production hot path. A command run by
# hand that wipes or reads a whole table does so on purpose, so scripts are skipped too.
ONE_OFF_DATA_CODE: tuple[tuple[Location, Treatment], ...] = (
    *TESTS_AND_FIXTURES,
    (Location.MIGRATIONS, "skip"),
    (Location.SCRIPTS, "skip"),
)
