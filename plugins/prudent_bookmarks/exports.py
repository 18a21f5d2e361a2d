"""Read every export file in the bookmarks folder (Pinboard JSON, browser HTML)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from prudent.document import relative_path
from prudent.encoding import NotUtf8Error, read_text

from . import netscape_html, pinboard_json
from .model import Entry, ExportError, Problem

READERS = {
    ".json": pinboard_json.parse,
    ".html": netscape_html.parse,
    ".htm": netscape_html.parse,
}


def export_files(folder: Path) -> list[Path]:
    """The files an author put in the folder: hidden files and editor backups skipped."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and not p.name.endswith("~")
    )


def read_folder(
    folder: Path, root: Path, progress: Callable[[int], None] | None = None
) -> list[Entry]:
    """All entries of all exports in ``folder``, in file order.

    Every problem in every file is collected first, so one build names them
    all; then ``ExportError`` is raised.
    """
    entries: list[Entry] = []
    problems: list[Problem] = []
    for path in export_files(folder):
        rel = relative_path(path, root)
        try:
            found = read_file(path, rel)
            entries.extend(found)
            if progress:
                progress(len(found))
        except ExportError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ExportError(problems)
    return entries


def read_file(path: Path, rel: str) -> list[Entry]:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        hint = (
            "Pinboard's XML export is not read: export JSON (posts/all?format=json) instead"
            if path.suffix.lower() == ".xml"
            else "put only Pinboard JSON (.json) or browser bookmark HTML (.html) exports here"
        )
        raise ExportError([Problem(rel, 1, 1, f"not a bookmark export: {hint}")])
    try:
        text = read_text(path, rel)
    except NotUtf8Error as exc:
        d = exc.diagnosis
        raise ExportError(
            [Problem(rel, d.line, d.col, f"{d.reason()}. {d.fix(rel)}, or export it again")]
        ) from None
    return reader(text, rel)
