"""A finding is a value: where, which rule, what matched, why, how to fix."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file. ``path`` is relative to the project root."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Finding:
    rule: str  # stable rule id, e.g. "partisan"
    severity: Severity
    location: Location
    matched: str  # the text (or image detail) that triggered the rule
    message: str  # what it is and why it matters
    fix: str = ""  # how to fix it or allow it
    extra: dict[str, object] = field(default_factory=dict, compare=False, hash=False)
    # Where the matched source text ends (exclusive), when the rule knows: the
    # review report marks exactly those words, SARIF gets an end of its region.
    end: Location | None = field(default=None, compare=False, hash=False)

    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location
        return (loc.path, loc.line, loc.col, self.rule)

    def to_dict(self) -> dict[str, object]:
        d = asdict(self)
        d["severity"] = str(self.severity)
        return d


@dataclass(frozen=True)
class Allowance:
    """A finding waved through by the author, with the reason they gave."""

    finding: Finding
    reason: str
    where: Location  # where the allowance was written

    def to_dict(self) -> dict[str, object]:
        return {
            "finding": self.finding.to_dict(),
            "reason": self.reason,
            "where": asdict(self.where),
        }
