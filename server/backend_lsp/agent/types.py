"""The contract between context gathering (backend_lsp.context) and the agent.

Kept tiny and dependency-free so the context engineer and the prompt builder can
evolve independently: the context side fills these, the prompt side renders them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ContextItem:
    """One slice of workspace text the model should see, and why it was chosen.

    Lines are 1-based and inclusive; ``tokens`` is the producer's estimate, used
    only for budgeting and reporting.
    """

    path: str
    start_line: int
    end_line: int
    reason: str
    text: str
    tokens: int


@dataclass(frozen=True, slots=True)
class ContextBundle:
    """Everything gathered for one action: supporting items plus the selection."""

    items: list[ContextItem]
    selection: ContextItem
    tokens: int
    budget: int
