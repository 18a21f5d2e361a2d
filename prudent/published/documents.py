"""A file published as it is (a theme's CSS or script, an SVG, a JSON file) as source documents.

Such a file reaches readers byte for byte, so it is judged at its source, by
``make check`` as well as by the build: each block a reader gets (a CSS
``content:`` string, a comment, an SVG ``<text>``) becomes a plain-text
fragment placed at its line and column in the file.
"""

from __future__ import annotations

from prudent.document import PLAIN, TextDocument
from prudent.published.formats import position, read_file
from prudent.published.markup import LINK


def source_documents(path: str, data: bytes, what: str = "") -> list[TextDocument]:
    """The fragments of the file at project path ``path``; a file that cannot be read gives none
    (the build's output pass reports it)."""
    ft = read_file(path, data)
    docs = []
    for block in ft.blocks:
        text = block.text.text
        if not text.strip():
            continue
        segments = []
        for at, origin, _ in block.text.pieces():
            line, col = position(ft.text, origin)
            segments.append((at, line, col))
        line, col = segments[0][1:] if segments else (1, 1)
        label = f"{what or 'published file'}: {block.where}"
        if block.kind == LINK:
            label += " (link)"
        docs.append(TextDocument(path, text, PLAIN, line, col, label, segments=tuple(segments)))
    return docs
