"""Fixtures of the scale-out tests (services themselves are checked in tests.support.services)."""

from tests.support.services import pg_warehouse  # noqa: F401  (a fixture, used by name)
