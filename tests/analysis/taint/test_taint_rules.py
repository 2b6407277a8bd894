"""Each taint rule flags its hand-written true cases and none of the safe look-alikes."""

from __future__ import annotations

import pytest
from tests.analysis.rule_helpers import run
from tests.analysis.taint.cases import NEGATIVE, POSITIVE


@pytest.mark.parametrize(
    ("code", "source"), [(c, s) for c, cases in POSITIVE.items() for s in cases]
)
def test_flags_request_data_reaching_the_sink(code: str, source: str) -> None:
    findings = run(code, source, path="app/views.py")
    assert findings, source
    assert findings[0].flow, "a taint finding carries its flow"
    assert "reaches" in findings[0].message


@pytest.mark.parametrize(
    ("code", "source"), [(c, s) for c, cases in NEGATIVE.items() for s in cases]
)
def test_ignores_safe_look_alikes(code: str, source: str) -> None:
    assert run(code, source, path="app/views.py") == [], source


def test_every_rule_has_five_of_each() -> None:
    assert all(len(POSITIVE[c]) >= 5 and len(NEGATIVE[c]) >= 5 for c in POSITIVE)
