"""What the importer could not convert, reported like a linter.

Every entry names the source file and line, what was found and what the
importer did instead (kept it as text, removed it, linked to the old site), so
the author can finish the migration by hand.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Problem:
    path: str  # the source file, as given on the command line
    line: int
    col: int
    code: str  # stable id, e.g. "unknown-shortcode", "missing-image"
    found: str  # what the source had
    action: str  # what the importer did instead

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: warning import/{self.code}: {self.action} (found {self.found!r})"


@dataclass
class ImportReport:
    flavour: str = ""
    posts_found: int = 0
    posts_imported: list[str] = field(default_factory=list)  # destination paths
    posts_skipped: list[tuple[str, str]] = field(default_factory=list)  # (source, why)
    images_copied: list[str] = field(default_factory=list)  # destination paths
    converted: Counter[str] = field(default_factory=Counter)  # what -> how many
    problems: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def summary(self) -> str:
        conv = ", ".join(f"{n} {what}" for what, n in sorted(self.converted.items()))
        by_code = Counter(p.code for p in self.problems)
        text = (
            f"import ({self.flavour}): {len(self.posts_imported)} of {self.posts_found} posts "
            f"imported, {len(self.posts_skipped)} skipped, {len(self.images_copied)} images copied"
        )
        if conv:
            text += f"; converted {conv}"
        text += f"; {len(self.problems)} left for you"
        if by_code:
            text += " (" + ", ".join(f"{c}: {n}" for c, n in sorted(by_code.items())) + ")"
        return text

    def to_text(self) -> str:
        lines = [str(p) for p in sorted(self.problems, key=lambda p: (p.path, p.line, p.col))]
        lines += [f"{src}: skipped: {why}" for src, why in self.posts_skipped]
        lines.append(self.summary())
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        return json.dumps(
            {
                "flavour": self.flavour,
                "posts_found": self.posts_found,
                "posts_imported": self.posts_imported,
                "posts_skipped": [{"source": s, "why": w} for s, w in self.posts_skipped],
                "images_copied": self.images_copied,
                "converted": dict(self.converted),
                "problems": [asdict(p) for p in self.problems],
            },
            indent=2,
        )
