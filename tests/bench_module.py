"""The generated backend module bench/lsp_latency.py edits, for tests that want the same."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def bench_text(lines: int) -> str:
    """About ``lines`` lines of routes, queries and helpers, as the latency bench writes."""
    spec = importlib.util.spec_from_file_location("lsp_latency", ROOT / "bench" / "lsp_latency.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text: str = module.generate(lines)
    return text
