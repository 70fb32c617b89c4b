"""The weekly package for the ministry: extract, build, audit (quality gate), publish to outbox/."""

from publishing.errors import GateFailed, PersonalDataError

__all__ = ["GateFailed", "PersonalDataError"]
