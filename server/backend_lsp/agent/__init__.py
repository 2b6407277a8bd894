"""The backend-developer agent: definitions, actions, prompts, providers, cache.

Engine code: never imports pygls or lsprotocol, so the CLI and tests can drive it.
"""
