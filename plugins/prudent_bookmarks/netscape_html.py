"""Netscape bookmark files (what browsers and Pinboard export as HTML) to entries.

The format is loose HTML: ``<DT><A HREF="..." ADD_DATE="..." PRIVATE="1"
TOREAD="1" TAGS="a,b">Title</A>`` optionally followed by ``<DD>notes``, inside
nested ``<DL>`` folders (``<DT><H3>Folder</H3><DL>...</DL>``). Real exporters
vary: attributes in any case, no ``</A>``, ``LAST_MODIFIED``, ``ICON`` data
URIs, entities, dates in seconds or microseconds, tags split by commas or
spaces. All of that is read; a bookmark with no HREF or an unreadable date is a
problem reported at its line.

A browser export has no privacy mark: every bookmark in it is public unless
it says ``PRIVATE="1"``. Privacy fails closed: ``PRIVATE="1"`` anywhere in the
tag, or any attribute written twice with different values (which one a browser
or an importer believes is anyone's guess), keeps the bookmark private.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html.parser import HTMLParser

from .model import Entry, ExportError, Problem, Text, split_tags

_TRUE = {"1", "yes", "true"}
_FALSE = {"0", "no", "false", ""}
# Where a bookmark's title or notes end when the closing tag is missing.
_BREAKS = {"dt", "dd", "dl", "h3", "hr", "a"}
_ATTR = re.compile(
    r"""([A-Za-z_:][-\w:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.ASCII
)


class _Reader(HTMLParser):
    def __init__(self, path: str) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.entries: list[Entry] = []
        self.problems: list[Problem] = []
        self.saw_doctype = False
        self.anchors = 0
        self._mode = ""  # "a" while reading a title, "dd" while reading notes
        self._pending: dict | None = None  # the bookmark being read
        self._buffer: list[str] = []
        self._text_at: tuple[int, int] | None = None

    # -- parser callbacks -----------------------------------------------------

    def set_cdata_mode(self, *args: object, **kwargs: object) -> None:
        # A raw <script> or <style> in a title would otherwise swallow every
        # bookmark after it as text; here they are tags like any other.
        pass

    def handle_decl(self, decl: str) -> None:
        if decl.lower().startswith("doctype netscape-bookmark-file"):
            self.saw_doctype = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BREAKS:
            self._close_text()
        if tag == "br" and self._mode:
            self._buffer.append("\n")
        elif tag == "a":
            self._flush()
            self.anchors += 1
            self._start_anchor(attrs)
        elif tag == "dd" and self._pending is not None and "notes" not in self._pending:
            self._mode = "dd"
        elif tag in ("dt", "dl", "h3", "hr"):
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if (tag == "a" and self._mode == "a") or tag in ("dl", "dd"):
            self._close_text()
        if tag == "dl":
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._mode:
            return
        if self._text_at is None and data.strip():
            line, col = self.getpos()
            lead = data[: len(data) - len(data.lstrip())]
            if "\n" in lead:
                line, col = line + lead.count("\n"), len(lead) - lead.rfind("\n") - 1
            else:
                col += len(lead)
            self._text_at = (line, col + 1)
        self._buffer.append(data)

    def close(self) -> None:
        super().close()
        self._close_text()
        self._flush()

    # -- bookmarks --------------------------------------------------------------

    def _start_anchor(self, attrs: list[tuple[str, str | None]]) -> None:
        line, col = self.getpos()
        raw = self.get_starttag_text() or ""
        positions = _attribute_positions(raw, line, col + 1)
        self._pending = {
            "number": self.anchors,
            "line": line,
            "col": col + 1,
            "attrs": dict(attrs),
            "all_attrs": attrs,
            "positions": positions,
        }
        self._mode = "a"

    def _close_text(self) -> None:
        if not self._mode or self._pending is None:
            self._mode = ""
            return
        text = "".join(self._buffer)
        value = " ".join(text.split()) if self._mode == "a" else text.strip()
        where = self._text_at or (self._pending["line"], self._pending["col"])
        key = "title" if self._mode == "a" else "notes"
        self._pending[key] = Text(value, *where) if value else None
        self._mode, self._buffer, self._text_at = "", [], None

    def _flush(self) -> None:
        """Turn the bookmark read so far into an entry (or a problem)."""
        self._close_text()
        pending, self._pending = self._pending, None
        if pending is None:
            return
        try:
            self.entries.append(self._entry(pending))
        except _Bad as bad:
            line, col = bad.where or (pending["line"], pending["col"])
            self.problems.append(
                Problem(self.path, line, col, f"bookmark {pending['number']}{bad.label}: {bad}")
            )

    def _entry(self, p: dict) -> Entry:
        attrs: dict[str, str | None] = p["attrs"]
        positions: dict[str, tuple[int, int]] = p["positions"]
        href = (attrs.get("href") or "").strip()
        if not href:
            raise _Bad("has no HREF (the bookmarked URL)", "", None)
        label = f" ({href[:80]})"
        url = Text(href, *positions.get("href", (p["line"], p["col"])))
        tags_text = attrs.get("tags") or ""
        tl, tc = positions.get("tags", (p["line"], p["col"]))
        tags = tuple(split_tags(tags_text, tl, tc))
        time = _time(attrs, positions, label)
        every: list[tuple[str, str | None]] = p["all_attrs"]
        private = any(
            _flag({"private": value}, positions, "private", label)
            for name, value in every
            if name == "private"
        )
        toread = _flag(attrs, positions, "toread", label)
        doubts = tuple(
            Text(
                f"{name.upper()} is given {len(values)} times with different values: "
                "kept private (fail closed)",
                *positions.get(name, (p["line"], p["col"])),
            )
            for name, values in _repeated(every).items()
            if len(set(values)) > 1
        )
        private = private or bool(doubts)
        return Entry(
            self.path,
            p["number"],
            p["line"],
            p["col"],
            url,
            p.get("title"),
            p.get("notes"),
            tags,
            time,
            private,
            toread,
            doubts,
        )


def _repeated(attrs: list[tuple[str, str | None]]) -> dict[str, list[str]]:
    """Attributes written more than once, with every value they were given."""
    values: dict[str, list[str]] = {}
    for name, value in attrs:
        values.setdefault(name, []).append((value or "").strip())
    return {name: vs for name, vs in values.items() if len(vs) > 1}


class _Bad(Exception):
    def __init__(self, message: str, label: str, where: tuple[int, int] | None) -> None:
        super().__init__(message)
        self.label, self.where = label, where


def _attribute_positions(raw: str, line: int, col: int) -> dict[str, tuple[int, int]]:
    """Where each attribute's value starts, from the tag's raw text and position."""
    positions = {}
    for m in _ATTR.finditer(raw):
        name = m.group(1).lower()
        group = next(g for g in (2, 3, 4) if m.group(g) is not None)
        offset = m.start(group)
        before = raw[:offset]
        if "\n" in before:
            positions.setdefault(name, (line + before.count("\n"), offset - before.rfind("\n")))
        else:
            positions.setdefault(name, (line, col + offset))
    return positions


def _time(
    attrs: dict[str, str | None], positions: dict[str, tuple[int, int]], label: str
) -> datetime | None:
    """ADD_DATE (or LAST_MODIFIED): Unix time in seconds, or ms/µs as some tools write."""
    for name in ("add_date", "last_modified"):
        raw = (attrs.get(name) or "").strip()
        if not raw:
            continue
        try:
            stamp = float(raw)
            if stamp != stamp or stamp < 0:  # NaN or before 1970
                raise ValueError
            while stamp > 1e11:  # milliseconds or microseconds
                stamp /= 1000
            return datetime.fromtimestamp(stamp, UTC)
        except (ValueError, OverflowError, OSError):
            raise _Bad(
                f"{name.upper()} is {raw[:40]!r}, not a Unix time in seconds",
                label,
                positions.get(name),
            ) from None
    return None


def _flag(
    attrs: dict[str, str | None], positions: dict[str, tuple[int, int]], name: str, label: str
) -> bool:
    raw = (attrs.get(name) or "").strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    # Unknown values are refused rather than guessed: PRIVATE="y" must not publish.
    raise _Bad(f'{name.upper()} is "{raw[:20]}", not "1" or "0"', label, positions.get(name))


def parse(text: str, path: str) -> list[Entry]:
    """Entries of a Netscape bookmark file; raises ``ExportError`` naming file and entry."""
    reader = _Reader(path)
    reader.feed(text)
    reader.close()
    if reader.problems:
        raise ExportError(reader.problems)
    if not reader.anchors and not reader.saw_doctype:
        raise ExportError(
            [
                Problem(
                    path,
                    1,
                    1,
                    "not a bookmark export: no <!DOCTYPE NETSCAPE-Bookmark-file-1> and "
                    "no <DT><A HREF=...> bookmarks (export bookmarks to HTML from the browser)",
                )
            ]
        )
    return reader.entries
