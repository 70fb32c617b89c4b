"""Helpers the tests share: data builders, service checks, the simulated quarter's helpers."""
