"""Turn Pelican's generators into a ``prudent.document.Site``.

Everything that will be published is collected: articles, pages, drafts,
hidden pages and their translations, static files, the theme's templates and
images, the settings that reach every page, and what other plugins register
in ``context["prudent_text_documents"]`` / ``context["prudent_image_files"]``
(the bookmarks page, for one), with the findings they made themselves in
``context["prudent_findings"]``.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from prudent.document import (
    HTML,
    IMAGE_SUFFIXES,
    MARKDOWN,
    PLAIN,
    RST,
    TEMPLATE,
    ImageFile,
    Site,
    TextDocument,
    relative_path,
)
from prudent.encoding import NotUtf8Error, read_text

_MAGIC = (b"\xff\xd8\xff", b"\x89PNG", b"GIF8", b"BM", b"II*\0", b"MM\0*", b"RIFF")

# Settings whose text is shown on every page; a site adds its own through
# PRUDENT_GUARDED_SETTINGS.
GUARDED_SETTINGS = (
    "SITENAME",
    "SITESUBTITLE",
    "AUTHOR",
    "AUTHOR_BIO",
    "DISCLAIMER",
    "LINKS",
    "SOCIAL",
    "MENUITEMS",
    "SITE_DESCRIPTION",
)

_KIND_BY_SUFFIX = {
    ".md": MARKDOWN,
    ".markdown": MARKDOWN,
    ".mkd": MARKDOWN,
    ".rst": RST,
    ".html": HTML,
    ".htm": HTML,
}

_CONTENT_LISTS = {
    "ArticlesGenerator": (
        "articles",
        "translations",
        "drafts",
        "drafts_translations",
        "hidden_articles",
        "hidden_translations",
    ),
    "PagesGenerator": (
        "pages",
        "translations",
        "hidden_pages",
        "hidden_translations",
        "draft_pages",
        "draft_translations",
    ),
}


def collect_site(generators: list[Any], root: Path) -> Site:
    settings = generators[0].settings
    context = generators[0].context
    content_dir = Path(settings["PATH"]).resolve()
    site = Site(root=root.resolve(), content_dir=content_dir)
    seen: set[str] = set()

    def add_text(path: Path, status: str = "") -> None:
        rel = site.rel(path)
        if rel in seen:
            return
        seen.add(rel)
        try:
            text = read_text(Path(path), rel)
        except NotUtf8Error as exc:
            site.findings.append(exc.diagnosis.finding(rel))
            return
        kind = _KIND_BY_SUFFIX.get(Path(path).suffix.lower(), PLAIN)
        meta = {"status": status} if status else {}
        site.texts.append(TextDocument(rel, text, kind, metadata=meta))

    for gen in generators:
        for attr in _CONTENT_LISTS.get(type(gen).__name__, ()):
            for item in getattr(gen, attr, []) or []:
                add_text(Path(item.source_path), getattr(item, "status", ""))
        for static in getattr(gen, "staticfiles", []) or []:
            path = Path(static.source_path)
            if is_image(path):
                site.images.append(ImageFile(site.rel(path), "content"))
            elif path.suffix.lower() in (".html", ".htm", ".txt", ".md"):
                add_text(path)

    site.images.extend(_unlisted_content_images(content_dir, site))
    site.texts.extend(settings_documents(settings, root))
    theme_texts, theme_images = theme_documents(settings, site)
    site.texts.extend(theme_texts)
    site.images.extend(theme_images)
    site.texts.extend(context.get("prudent_text_documents", []))
    site.images.extend(context.get("prudent_image_files", []))
    site.findings.extend(context.get("prudent_findings", []))
    return site


def is_image(path: Path) -> bool:
    if path.suffix.lower() in IMAGE_SUFFIXES:
        return True
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError:
        return False
    return head.startswith(_MAGIC)


def _unlisted_content_images(content_dir: Path, site: Site) -> Iterator[ImageFile]:
    """Images under content/ that Pelican would copy but did not list (e.g. attach)."""
    listed = {i.path for i in site.images}
    images_dir = content_dir / "images"
    if images_dir.is_dir():
        for path in sorted(images_dir.rglob("*")):
            if path.is_file() and is_image(path) and site.rel(path) not in listed:
                yield ImageFile(site.rel(path), "content")


def settings_documents(settings: dict[str, Any], root: Path) -> list[TextDocument]:
    files = [Path(f) for f in settings.get("PRUDENT_SETTINGS_FILES", [])] or [
        root / "pelicanconf.py"
    ]
    sources = [(f, read_text(f, relative_path(f, root))) for f in files if f.is_file()]
    names = list(GUARDED_SETTINGS) + list(settings.get("PRUDENT_GUARDED_SETTINGS", []))
    docs = []
    for name in names:
        for value in _strings(settings.get(name)):
            docs.extend(_locate(value, name, sources, root))
    return docs


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        if value.strip():
            yield value
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)


def _locate(
    value: str, name: str, sources: list[tuple[Path, str]], root: Path
) -> list[TextDocument]:
    """A setting's value as fragments placed where they are written in the settings file.

    Searched from the setting's own assignment (so "Tags" in an earlier comment is
    not taken for it). A value written as several literals ("a " "b", split over
    lines) becomes one fragment per literal, each at its own line and column.
    """
    label = f"setting {name}"
    for path, text in reversed(sources):  # the last file (publishconf) overrides
        assign = re.search(rf"^{re.escape(name)}\s*[:=]", text, re.M)
        start = assign.start() if assign else 0
        offset = text.find(value, start)
        if offset < 0:
            offset = text.find(value)
        if offset >= 0:
            line, col = _line_col(text, offset)
            return [TextDocument(relative_path(path, root), value, PLAIN, line, col, label=label)]
        pieces = _literal_pieces(text, start, value) if assign else []
        if pieces:
            return [
                TextDocument(relative_path(path, root), piece, PLAIN, line, col, label=label)
                for piece, line, col in pieces
            ]
    path = sources[-1][0] if sources else root / "pelicanconf.py"
    return [TextDocument(relative_path(path, root), value, PLAIN, 1, 1, label=label)]


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _literal_pieces(text: str, start: int, value: str) -> list[tuple[str, int, int]]:
    """The string literals after ``start`` whose values, joined, make ``value``."""
    first_line = text.count("\n", 0, start) + 1
    pieces: list[tuple[str, int, int]] = []
    joined = ""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return []
    for tok in tokens:
        if tok.start[0] < first_line or tok.type != tokenize.STRING:
            continue
        try:
            piece = ast.literal_eval(tok.string)
        except (ValueError, SyntaxError):
            continue
        if not isinstance(piece, str) or not value.startswith(joined + piece):
            if joined:
                pieces, joined = [], ""
            if not isinstance(piece, str) or not value.startswith(piece):
                continue
        prefix = len(tok.string) - len(tok.string.lstrip("rRbBuUfF"))
        quote = 3 if tok.string[prefix:].startswith(('"""', "'''")) else 1
        pieces.append((piece, tok.start[0], tok.start[1] + prefix + quote + 1))
        joined += piece
        if joined == value:
            return [p for p in pieces if p[0]]
    return []


def theme_documents(
    settings: dict[str, Any], site: Site
) -> tuple[list[TextDocument], list[ImageFile]]:
    theme = Path(settings["THEME"]).resolve()
    texts: list[TextDocument] = []
    images: list[ImageFile] = []
    templates = theme / "templates"
    if templates.is_dir():
        for path in sorted(templates.rglob("*")):
            if path.is_file() and path.suffix in (".html", ".xml", ".txt"):
                rel = site.rel(path)
                try:
                    texts.append(TextDocument(rel, read_text(path, rel), TEMPLATE))
                except NotUtf8Error as exc:
                    site.findings.append(exc.diagnosis.finding(rel))
    for static_dir in settings.get("THEME_STATIC_PATHS", ["static"]):
        base = theme / static_dir
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                if path.is_file() and is_image(path):
                    images.append(ImageFile(site.rel(path), "theme"))
    return texts, images
