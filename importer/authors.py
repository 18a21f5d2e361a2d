"""Authors as Jekyll, Hugo and Eleventy mean them: one person a string.

Those generators never split an ``author:`` string: ``"Jane Doe, Developer"`` is
one author who signs with her role, as government blogs do (and in French:
``"Marie Tremblay, conseillère en politiques"``). A list (``authors: [a, b]``)
is one author an item; a Hugo ``author: {name: ...}`` table is its name. The
role after the comma is kept as ``author_roles`` metadata (not shown by the
theme); only a string whose every comma-separated part is plainly a personal
name ("Jane Doe, John Smith") is read as several authors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Words that make a part a role, not a name (English and French), one a line.
ROLE_WORDS = frozenset(
    w.strip().lower()
    for w in (Path(__file__).with_name("role-words.txt")).read_text(encoding="utf-8").splitlines()
    if w.strip() and not w.lstrip().startswith("#")
)
_NAME_WORD = re.compile(r"^[A-ZÀ-ÖØ-Þ][\w'’.-]*$")


@dataclass
class Authors:
    names: list[str] = field(default_factory=list)
    roles: dict[str, str] = field(default_factory=dict)  # name -> role, as written
    split: list[str] = field(default_factory=list)  # strings read as several names


def parse_authors(value: Any) -> Authors:
    """``author``/``authors`` front matter to one entry per person."""
    out = Authors()
    items = value if isinstance(value, (list, tuple)) else [value]
    for item in items:
        if isinstance(item, dict):
            item = item.get("name") or item.get("title") or item.get("display_name")
        if item is None:
            continue
        text = " ".join(str(item).split())
        if not text:
            continue
        parts = [p.strip() for p in text.split(",") if p.strip()]
        if len(parts) > 1 and all(_plain_name(p) for p in parts):
            out.split.append(text)
            for part in parts:
                _add(out, part, "")
            continue
        _add(out, parts[0] if parts else text, ", ".join(parts[1:]))
    return out


def _add(out: Authors, name: str, role: str) -> None:
    if name not in out.names:
        out.names.append(name)
    if role and name not in out.roles:
        out.roles[name] = role


def _plain_name(part: str) -> bool:
    """Two to four capitalised words, none of them a role: "Jane Doe", "Anne-Marie Côté"."""
    words = part.split()
    if not 2 <= len(words) <= 4:
        return False
    return all(_NAME_WORD.match(w) and w.lower().strip(".") not in ROLE_WORDS for w in words)
