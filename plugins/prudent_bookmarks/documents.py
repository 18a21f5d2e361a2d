"""What the guardrails check of the bookmarks: everything published, where it is written."""

from __future__ import annotations

from prudent.document import PLAIN, TextDocument

from .model import Bookmark, Text


def text_documents(bookmarks: list[Bookmark]) -> list[TextDocument]:
    """One plain-text fragment per published URL, title, note and tag.

    Each sits at its place in the export file, so a finding reads
    ``content/bookmarks/pinboard.json:LINE:COL``. Private bookmarks and private
    tags are not published, so they are not here.
    """
    docs: list[TextDocument] = []
    for bookmark in bookmarks:
        entry = bookmark.source
        pieces: list[tuple[str, Text | None, str]] = [
            (entry.path, entry.url, "URL"),
            (entry.path, entry.title, "title"),
            (entry.path, entry.notes, "notes"),
        ]
        pieces += [(path, tag, "tag") for path, tag in bookmark.tag_texts]
        for path, text, what in pieces:
            if text is not None:
                docs.append(
                    TextDocument(
                        path,
                        text.value,
                        PLAIN,
                        text.line,
                        text.col,
                        f"bookmark {entry.number} ({bookmark.url[:80]}) {what}",
                        {"bookmark_url": bookmark.url},
                    )
                )
    return docs
