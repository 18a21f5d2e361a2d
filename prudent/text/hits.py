"""What a text rule's detector returns: a span of the prepared text and why."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Hit:
    start: int  # offsets into the prepared (normalised) text handed to the detector
    end: int
    matched: str  # the words as the author wrote them (after normalisation)
    message: str  # what it is and why it matters
    fix: str = ""  # how to fix it (the checker adds how to allow it)
