"""Every kind of published text file, read into blocks; what cannot be read is a problem.

HTML pages; XML (Atom and RSS feeds, sitemaps, SVG, OPML...); JSON (JSON Feed,
search indexes, web manifests); CSS (comments, strings such as ``content:``,
``url()``s); scripts (comments and strings); plain text (robots.txt, a
published ``.md``). Compressed copies (``.gz``, ``.svgz``) are read inside.

Fail closed: a file that is not valid in its encoding, an XML or JSON file that
does not parse, or a file that is not text at all (a PDF, an archive, audio)
is a *problem*, never skipped, because its words would reach readers unjudged.
Images (judged by the image rules) and fonts are the only files not read.
"""

from __future__ import annotations

import codecs
import gzip
import io
import re
import xml.parsers.expat
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from prudent.document import IMAGE_SUFFIXES
from prudent.published import markup
from prudent.published.mapped import Mapped
from prudent.published.markup import Block
from prudent.published.readers import Unreadable, read_css, read_json, read_script

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
XML_SUFFIXES = frozenset({".xml", ".atom", ".rss", ".rdf", ".svg", ".xsl", ".xslt", ".opml"})
XML_SUFFIXES |= {".kml", ".gpx", ".xsd"}
JSON_SUFFIXES = frozenset({".json", ".webmanifest", ".jsonld", ".geojson", ".map"})
CSS_SUFFIXES = frozenset({".css"})
JS_SUFFIXES = frozenset({".js", ".mjs", ".cjs"})
TEXT_SUFFIXES = frozenset({
    ".txt", ".text", ".md", ".markdown", ".rst", ".csv", ".tsv", ".ics", ".vcf", ".yaml",
    ".yml", ".toml", ".asc", ".ini", ".log",
})  # fmt: skip
# Not text, and carrying no prose a rule could judge: images (the image rules
# judge them) and fonts. SVG is an image and a text: it is read here too.
NOT_TEXT = (IMAGE_SUFFIXES - {".svg", ".svgz"}) | {".woff", ".woff2", ".ttf", ".otf", ".eot"}
MAX_EXPANDED = 64 * 2**20  # a compressed file may not expand beyond this


@dataclass
class Problem:
    offset: int  # in the decoded text (0 when there is none)
    message: str
    fix: str
    line: int = 0  # set when a parser gave the place itself
    col: int = 0


@dataclass
class FileText:
    """A published file as a reader gets it."""

    text: str  # the decoded text (positions are offsets into it)
    blocks: list[Block] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    note: str = ""  # e.g. "inside the gzip"
    skipped: str = ""  # why it was not read (an image, a font); "" if read


def read_file(name: str, data: bytes) -> FileText:
    """Blocks of the published file ``name`` (its path, for the suffix) with ``data``."""
    suffix = PurePosixPath(name).suffix.lower()
    note = ""
    if suffix in (".gz", ".svgz"):
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
                data = gz.read(MAX_EXPANDED + 1)
        except (OSError, EOFError) as exc:
            return _problem(f"the compressed file is corrupt ({exc})")
        if len(data) > MAX_EXPANDED:
            return _problem(f"the compressed file expands beyond {MAX_EXPANDED:,} bytes")
        name = name[: -len(suffix)] + (".svg" if suffix == ".svgz" else "")
        suffix = PurePosixPath(name).suffix.lower()
        note = "inside the compressed file"
    if suffix in NOT_TEXT:
        return FileText("", skipped="an image or a font")
    kind = _kind(suffix, data)
    if kind is None:
        return _problem(
            "the file is not text (no reader here can take its words out: a PDF, an archive, "
            "audio or video), so what it says would reach readers unjudged",
            "Publish its words as a page instead, or remove it",
        )
    text, problem = _decode(data, kind)
    if problem is not None:
        return FileText("", problems=[problem], note=note)
    out = FileText(text, note=note)
    try:
        if kind == "html":
            out.blocks = markup.read_markup(text)
        elif kind == "xml":
            _check_xml(data)
            out.blocks = markup.read_markup(text, xml=True, context=_xml_kind(text))
        elif kind == "json":
            out.blocks = read_json(text, 0, "JSON")
        elif kind == "css":
            out.blocks = read_css(text, 0, "stylesheet")
        elif kind == "js":
            out.blocks = read_script(text, 0, "script")
        else:
            out.blocks = [Block(Mapped.verbatim(text), "text")] if text.strip() else []
    except Unreadable as exc:
        out.problems.append(Problem(exc.offset, exc.message, _FIX_SYNTAX, exc.line, exc.col))
    return out


_FIX_SYNTAX = "Fix the file (or the template or plugin that writes it) so that it parses"


def _problem(message: str, fix: str = _FIX_SYNTAX) -> FileText:
    return FileText("", problems=[Problem(0, message, fix)])


def _kind(suffix: str, data: bytes) -> str | None:
    for kind, suffixes in (
        ("html", HTML_SUFFIXES),
        ("xml", XML_SUFFIXES),
        ("json", JSON_SUFFIXES),
        ("css", CSS_SUFFIXES),
        ("js", JS_SUFFIXES),
        ("text", TEXT_SUFFIXES),
    ):
        if suffix in suffixes:
            return kind
    head = data[:8192]
    if b"\0" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    stripped = head.lstrip()
    if stripped[:1] == b"<":
        return "xml" if stripped.startswith(b"<?xml") else "html"
    return "text"


_XML_ENCODING = re.compile(rb"""^<\?xml[^>]*\sencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._-]+)""", re.I)


def _decode(data: bytes, kind: str) -> tuple[str, Problem | None]:
    encoding = "utf-8"
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            encoding = codec
            break
    else:
        declared = None
        if kind == "xml":
            declared = _XML_ENCODING.match(data[:200])
        elif kind == "html":
            declared = _META_CHARSET.search(data[:2048])
        if declared:
            encoding = declared.group(1).decode("ascii").lower()
    try:
        codecs.lookup(encoding)
    except LookupError:
        return "", Problem(0, f"the file declares an unknown encoding {encoding!r}", _FIX_UTF8)
    try:
        return data.decode(encoding), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return "", Problem(
            0,
            f"the file is not valid {encoding} (byte 0x{data[exc.start]:02X} on line {line}), "
            "so its words cannot be read",
            _FIX_UTF8,
        )


_FIX_UTF8 = "Save it as UTF-8 (the encoding Pelican writes)"


def _check_xml(data: bytes) -> None:
    """Well-formed, or a problem at the line and column the parser stopped."""
    parser = xml.parsers.expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        raise Unreadable(
            0,
            f"the XML does not parse ({xml.parsers.expat.ErrorString(exc.code)}), so a "
            "reader's software may show any of it, or none",
            exc.lineno,
            exc.offset + 1,
        ) from None


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, col) of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _xml_kind(text: str) -> str:
    root = re.search(r"<(?!\?|!)([A-Za-z][\w:.-]*)", text)
    name = root.group(1).rsplit(":", 1)[-1].lower() if root else ""
    return {
        "feed": "Atom feed",
        "rss": "RSS feed",
        "rdf": "RSS feed",
        "urlset": "sitemap",
        "sitemapindex": "sitemap",
        "svg": "SVG",
        "opml": "OPML",
    }.get(name, "XML")
