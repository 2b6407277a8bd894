"""Fixture workspaces live here; their own test files are data, not tests to run."""

collect_ignore_glob = ["index/*"]
