"""Offline taint analysis: where request data flows, and which sinks it reaches."""
