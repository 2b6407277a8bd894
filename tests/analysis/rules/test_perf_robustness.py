"""All four perf rules on broken, mid-edit and odd input: no crash, no hang."""

from __future__ import annotations

import time

import pytest

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.registry import analyze, select_rules
from backend_lsp.syntax.document import ParsedDocument

RULES = ["BE004", "BE005", "BE006", "BE007"]


@pytest.mark.parametrize(
    "source",
    [
        "for o in Order.objects.filter(\n    print(o.customer.",
        "async def f(:\n    time.sleep(\n",
        "@app.get('/x')\ndef x():\n    return db.query(User).all(\n",
        "requests.get(url,\n",
        "\x00\x01\xff\xfe binary \x00 for x in y: cursor.execute(",
        "qs = qs\nfor o in qs:\n    o.items.all()\n",
        "x = (((((((((((((((((((((Order.objects.all())))))))))))))))))))))\n" * 50,
    ],
)
def test_broken_input_is_analysed_without_errors(
    source: str, caplog: pytest.LogCaptureFixture
) -> None:
    document = ParsedDocument(source.encode("utf-8", "surrogateescape"), "python")
    analyze(AnalysisContext("app/views.py", document), select_rules(RULES))
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


def _generated_module(functions: int) -> str:
    return "".join(
        f"def view_{i}(request):\n"
        f"    for row in Order.objects.filter(n={i}):\n"
        f"        cursor.execute('SELECT 1')\n"
        f"        print(row.customer_id, requests.get(u{i}, timeout=3))\n"
        for i in range(functions)
    )


def _analysis_cpu(functions: int) -> float:
    """Best of three CPU times (not wall: the test machines are shared and noisy)."""
    document = ParsedDocument(_generated_module(functions), "python")
    times = []
    for _ in range(3):
        start = time.process_time()
        findings = analyze(AnalysisContext("app/views.py", document), select_rules(RULES))
        times.append(time.process_time() - start)
    assert len([f for f in findings if f.code == "BE004"]) == functions
    return min(times)


def test_large_generated_module_scales_linearly() -> None:
    """Four times the functions costs about four times the work, not sixteen: a rule that
    rescans the whole module per function shows up here on any machine."""
    small, large = _analysis_cpu(100), _analysis_cpu(400)
    assert large < 7 * small + 0.05, (small, large)
