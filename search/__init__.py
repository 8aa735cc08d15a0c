"""Querying, ranking, and the front ends (CLI, web)."""
