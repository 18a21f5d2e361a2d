"""Text guardrails (partisan, personal-attack, workplace-complaint, official-link)."""

from __future__ import annotations

from collections.abc import Iterable

from prudent.document import TextDocument
from prudent.policy import Policy
from prudent.report import Report


class TextChecker:
    def __init__(self, policy: Policy) -> None:
        self.policy = policy

    def check(self, docs: Iterable[TextDocument]) -> Report:
        docs = list(docs)
        return Report(checked={"texts": len(docs)})
