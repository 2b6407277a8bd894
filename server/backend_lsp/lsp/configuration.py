"""Settings for the session: pyproject < initializationOptions < client config < env.

Every rejected value is shown to the user (window/showMessage, Warning) and
logged; the default applies, so a typo never stops the server.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types

if TYPE_CHECKING:
    from pygls.lsp.server import LanguageServer

    from backend_lsp.config import ConfigProblem, Settings

log = logging.getLogger(__name__)

SECTION = "backendLsp"


def section_of(value: Any) -> Mapping[str, Any]:
    """Accept both ``{"backendLsp": {...}}`` and the section itself."""
    if not isinstance(value, Mapping):
        return {}
    inner = value.get(SECTION)
    return inner if isinstance(inner, Mapping) else value


def resolve(
    root: Path | None,
    init_options: Mapping[str, Any] | None,
    client_config: Mapping[str, Any] | None,
    cli: Mapping[str, Any] | None,
) -> tuple[Settings, list[ConfigProblem]]:
    from backend_lsp.config import resolve_settings

    return resolve_settings(
        root,
        init_options=section_of(init_options) if init_options else None,
        workspace_config=client_config,
        cli=cli,
    )


def report_problems(server: LanguageServer, problems: list[ConfigProblem]) -> None:
    for problem in problems:
        log.warning("%s", problem)
        server.window_show_message(
            types.ShowMessageParams(
                type=types.MessageType.Warning, message=f"backend-lsp: {problem}"
            )
        )


async def pull_client_config(server: LanguageServer) -> Mapping[str, Any] | None:
    """workspace/configuration for our section (the caller checked the client offers it)."""
    try:
        result = await server.workspace_configuration_async(
            types.ConfigurationParams(items=[types.ConfigurationItem(section=SECTION)])
        )
    except Exception as error:
        log.warning("workspace/configuration failed: %s", error)
        return None
    if not result or not isinstance(result[0], Mapping):
        return {}
    return dict(result[0])


def summary(settings: Settings) -> dict[str, Any]:
    """Settings as JSON for the status command, secrets replaced by whether they are set."""
    data = settings.model_dump(mode="json")
    agent = data.get("agent", {})
    agent["api_key"] = "set" if settings.agent.api_key is not None else "not set"
    if settings.agent.base_url:
        from backend_lsp.log_guard import mask_userinfo

        agent["base_url"] = mask_userinfo(settings.agent.base_url)
    return data
