"""What the core checks: text with positions, and image files.

A ``TextDocument`` is a whole source file (a post, a page, a template) or a
fragment of one (a setting's value in ``pelicanconf.py``, one bookmark in an
export). Offsets into ``text`` map back to ``path:line:col`` in the real file.
"""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from prudent.findings import Finding, Location

# File names that mark an image, whatever reads it (publishing, references).
IMAGE_SUFFIXES = frozenset(
    [
        ".jpg",
        ".jpeg",
        ".jpe",
        ".png",
        ".gif",
        ".webp",
        ".bmp",
        ".tif",
        ".tiff",
        ".svg",
        ".svgz",
        ".avif",
        ".heic",
        ".heif",
        ".ico",
        ".jxl",
    ]
)


def relative_path(path: str | Path, root: Path) -> str:
    """``path`` relative to ``root`` with forward slashes; as given if outside it."""
    p = Path(path)
    try:
        return p.resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return p.as_posix()


# Kinds of text: they decide how the text is read (Markdown, HTML, plain).
MARKDOWN = "markdown"
HTML = "html"
RST = "rst"
PLAIN = "plain"  # a setting value, a bookmark's notes
TEMPLATE = "template"  # Jinja templates of the theme


@dataclass(frozen=True)
class TextDocument:
    path: str  # relative to the project root, forward slashes
    text: str
    kind: str = MARKDOWN
    start_line: int = 1  # where ``text`` starts in the file (fragments)
    start_col: int = 1
    label: str = ""  # what the fragment is, e.g. "setting LINKS"
    metadata: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @cached_property
    def _line_starts(self) -> list[int]:
        starts = [0]
        find, i = self.text.find, self.text.find("\n")
        while i >= 0:  # str.find, not a loop over every character: long posts add up
            starts.append(i + 1)
            i = find("\n", i + 1)
        return starts

    def location(self, offset: int) -> Location:
        """The file position of character ``offset`` of ``text`` (1-based)."""
        offset = max(0, min(offset, len(self.text)))
        idx = bisect.bisect_right(self._line_starts, offset) - 1
        col = offset - self._line_starts[idx] + 1
        if idx == 0:
            col += self.start_col - 1
        return Location(self.path, self.start_line + idx, col)

    @cached_property
    def digest(self) -> str:
        h = hashlib.sha256()
        for part in (self.path, self.kind, str(self.start_line), str(self.start_col), self.text):
            h.update(part.encode("utf-8", "surrogatepass"))
            h.update(b"\0")
        for k in sorted(self.metadata):
            h.update(f"{k}={self.metadata[k]}\0".encode("utf-8", "surrogatepass"))
        return h.hexdigest()


@dataclass(frozen=True)
class ImageFile:
    """An image file that will be published (content or theme)."""

    path: str  # relative to the project root
    source: str = "content"  # "content" | "theme"


@dataclass
class Site:
    """Everything a build would publish, as the core sees it."""

    root: Path
    content_dir: Path
    texts: list[TextDocument] = field(default_factory=list)
    images: list[ImageFile] = field(default_factory=list)
    # What the adapters found while collecting: a file that is not UTF-8, a
    # bookmark URL whose secret was removed. Reported with the rules' findings.
    findings: list[Finding] = field(default_factory=list)

    def rel(self, path: str | Path) -> str:
        return relative_path(path, self.root)
