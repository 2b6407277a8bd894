"""The action workflow: one engine call per action, shared by the LSP and the CLI."""

from backend_lsp.agent.workflow.apply import apply_outcome
from backend_lsp.agent.workflow.outcome import ActionFailed, ActionOutcome
from backend_lsp.agent.workflow.run import ActionWorkflow, LiveText, ProgressReport

__all__ = [
    "ActionFailed",
    "ActionOutcome",
    "ActionWorkflow",
    "LiveText",
    "ProgressReport",
    "apply_outcome",
]
