"""Python-specific facts shared by rules and hover (routes, calls, scopes)."""
