"""Providers: who answers an action (the Anthropic API, a cloud, or the offline analyzer)."""

from __future__ import annotations

import importlib.util

from backend_lsp.agent.requests import Provider
from backend_lsp.config import AgentSettings, Settings
from backend_lsp.log_guard import mask_userinfo

_ENABLE_HINT = (
    "set ANTHROPIC_API_KEY (or agent.api_key), or ANTHROPIC_BASE_URL / agent.base_url for an "
    "Anthropic-compatible gateway"
)


def _agent(settings: Settings | AgentSettings) -> AgentSettings:
    return settings.agent if isinstance(settings, Settings) else settings


def provider_status(settings: Settings | AgentSettings) -> tuple[bool, str]:
    """Whether AI actions can run, and a sentence saying why not / how to enable them."""
    agent = _agent(settings)
    if agent.provider == "offline":
        return (
            False,
            f"AI actions are off (agent.provider = offline); to enable them, {_ENABLE_HINT}",
        )
    if agent.provider in ("bedrock", "vertex"):
        module = "boto3" if agent.provider == "bedrock" else "google.auth"
        if importlib.util.find_spec(module.split(".")[0]) is None:
            return False, (
                f"the {agent.provider} provider needs: pip install 'backend-lsp[{agent.provider}]'"
            )
        return True, f"AI actions use {agent.provider} (model {agent.model})"
    if agent.api_key is not None and agent.api_key.get_secret_value():
        return True, f"AI actions use the Anthropic API (model {agent.model})"
    if agent.base_url:
        gateway = mask_userinfo(agent.base_url)
        return True, f"AI actions use the gateway at {gateway} (model {agent.model})"
    return False, f"No AI provider is configured: {_ENABLE_HINT}"


def make_provider(settings: Settings | AgentSettings) -> Provider:
    """The provider the settings ask for; the offline one when no model can be reached."""
    from backend_lsp.agent.providers.offline import OfflineProvider

    agent = _agent(settings)
    available, reason = provider_status(agent)
    if not available:
        return OfflineProvider(reason)
    from backend_lsp.agent.providers.anthropic import AnthropicProvider

    return AnthropicProvider(agent)
