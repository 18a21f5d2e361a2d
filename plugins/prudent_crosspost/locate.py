"""Where a problem is: ``path:line:col`` in pelicanconf.py or in a post's metadata.

Problems are collected, not raised one by one, so a build reports every
cross-post mistake at once, in the linter format the guardrails use.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prudent.document import relative_path
from prudent.findings import Location


@dataclass
class Problems:
    lines: list[str] = field(default_factory=list)

    def add(self, where: Location, message: str, rule: str = "crosspost-settings") -> None:
        self.lines.append(f"{where}: error {rule}: {message}")

    def __bool__(self) -> bool:
        return bool(self.lines)

    def __len__(self) -> int:
        return len(self.lines)


def project_root(settings: Mapping[str, Any]) -> Path:
    root = settings.get("PRUDENT_ROOT")
    return Path(root) if root else Path(settings["PATH"]).resolve().parent


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


class SettingsText:
    """The settings files' text, to point a problem at the line that causes it."""

    def __init__(self, settings: Mapping[str, Any]) -> None:
        self.root = project_root(settings)
        files = [Path(f) for f in settings.get("PRUDENT_SETTINGS_FILES", [])]
        files = files or [self.root / "pelicanconf.py"]
        self.sources: list[tuple[Path, str]] = [
            (f, f.read_text(encoding="utf-8")) for f in files if f.is_file()
        ]

    def _find(self, setting: str) -> tuple[Path, str, int] | None:
        pattern = re.compile(rf"^{re.escape(setting)}\s*[:=]", re.MULTILINE)
        for path, text in reversed(self.sources):  # the last file overrides
            match = pattern.search(text)
            if match:
                return path, text, match.start()
        return None

    def setting(self, setting: str) -> Location:
        found = self._find(setting)
        if found is None:
            path = self.sources[-1][0] if self.sources else self.root / "pelicanconf.py"
            return Location(relative_path(path, self.root))
        path, text, offset = found
        return Location(relative_path(path, self.root), *_line_col(text, offset))

    def key(self, setting: str, key: Any, after: Any = None) -> Location:
        """The quoted ``key`` inside ``setting`` (after the quoted ``after``, if given)."""
        found = self._find(setting)
        if found is None:
            return self.setting(setting)
        path, text, offset = found
        for word in (after, key) if after is not None else (key,):
            match = re.compile(rf"""["']{re.escape(str(word))}["']""").search(text, offset)
            if match is None:
                break
            offset = match.start()
        return Location(relative_path(path, self.root), *_line_col(text, offset))


def metadata_location(source_path: str | Path, key: str, root: Path) -> Location:
    """The line of ``Key:`` in a content file's metadata (or its first line)."""
    rel = relative_path(source_path, root)
    try:
        text = Path(source_path).read_text(encoding="utf-8")
    except OSError:
        return Location(rel)
    match = re.compile(rf"^[ \t]*:?{re.escape(key)}:", re.IGNORECASE | re.MULTILINE).search(text)
    if match is None:
        return Location(rel)
    line, _ = _line_col(text, match.start())
    return Location(rel, line, 1)
