"""Context gathering: what the model sees for an action on a selection.

Engine code (no LSP): the selection, its enclosing scope, imports, the
same-file definitions it uses and the analyzer's findings, ranked and cut to
a token budget. The CLI's ``context`` command and the agent runner share it.
"""

from backend_lsp.context.budget import estimate_tokens
from backend_lsp.context.gather import ContextError, gather_context, open_document
from backend_lsp.context.render import context_to_json, render_bundle, render_item

__all__ = [
    "ContextError",
    "context_to_json",
    "estimate_tokens",
    "gather_context",
    "open_document",
    "render_bundle",
    "render_item",
]
