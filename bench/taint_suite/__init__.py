"""Labelled handlers for bench/taint.py (written for this project, not copied from any suite)."""
