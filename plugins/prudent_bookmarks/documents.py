"""What the guardrails check of the bookmarks: everything published, where it is written."""

from __future__ import annotations

from prudent.document import PLAIN, TextDocument

from .model import Bookmark, Text


def text_documents(bookmarks: list[Bookmark]) -> list[TextDocument]:
    """One plain-text fragment per published URL, title, note and tag.

    Each sits at its place in the export file, so a finding reads
    ``content/bookmarks/pinboard.json:LINE:COL``. Private bookmarks and private
    tags are not published, so they are not here. The text is what is published
    (a URL without its secrets), placed where the entry's text starts.
    """
    docs: list[TextDocument] = []
    for bookmark in bookmarks:
        entry = bookmark.source
        pieces: list[tuple[str, Text | None, str]] = [
            (entry.path, _as_published(entry.url, bookmark.url), "URL"),
            (entry.path, _as_published(entry.title, bookmark.title), "title"),
            (entry.path, _as_published(entry.notes, bookmark.notes), "notes"),
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


def _as_published(text: Text | None, value: str) -> Text | None:
    if text is None or text.value == value:
        return text
    return Text(value, text.line, text.col)
