"""SVG: active content is blocked, embedded rasters are handed back to be scanned.

An SVG is a document, not a picture: opened on its own it runs its scripts and
event handlers with the blog's origin. Prudent does not render vector shapes
(no SVG renderer is among the pinned dependencies); it scans every raster an
SVG embeds as a ``data:`` URI. Its words (``<text>``, ``<title>``, ``<desc>``,
comments, ``aria-label``, link targets) are text: ``svg_documents`` hands them
to the text rules.
"""

from __future__ import annotations

import base64
import binascii
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from urllib.parse import unquote_to_bytes

from prudent.document import TextDocument
from prudent.images.decode import Unscannable, svg_text
from prudent.published.documents import source_documents

ACTIVE_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener"}
_JS_URL = re.compile(r"^\s*(?:javascript|vbscript|data:text/html)", re.I)


@dataclass
class SvgScan:
    active: list[str] = field(default_factory=list)  # what makes it active, for the message
    rasters: list[bytes] = field(default_factory=list)  # embedded images to scan
    external: list[str] = field(default_factory=list)  # images it loads from elsewhere


def scan_svg(data: bytes, *, max_bytes: int, max_rasters: int = 32) -> SvgScan:
    text = svg_text(data, max_bytes)
    if re.search(rb"<!ENTITY", text, re.I):
        result = SvgScan()
        result.active.append("an <!ENTITY> declaration (entity expansion and external entities)")
        return result
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise Unscannable(f"the SVG is not well-formed XML ({exc})") from None
    result = SvgScan()
    for el in root.iter():
        tag = _local(el.tag).lower()
        if tag in ACTIVE_ELEMENTS:
            result.active.append(f"a <{_local(el.tag)}> element")
        for attr, value in el.attrib.items():
            name = _local(attr).lower()
            if name.startswith("on"):
                result.active.append(f'an event handler {_local(attr)}="{value[:40]}"')
            elif _JS_URL.match(value or ""):
                result.active.append(f'a script URL in {_local(attr)}="{value[:40]}"')
            elif name == "href" and tag in ("image", "feimage", "use"):
                _embedded(value, result, max_rasters)
        if tag == "style" and el.text and re.search(r"url\(\s*['\"]?\s*javascript:", el.text, re.I):
            result.active.append("a script URL in a <style> sheet")
    return result


def _embedded(value: str, result: SvgScan, max_rasters: int) -> None:
    value = value.strip()
    if value.lower().startswith("data:"):
        if len(result.rasters) >= max_rasters:
            raise Unscannable(f"the SVG embeds more than {max_rasters} images")
        result.rasters.append(data_uri_bytes(value))
    elif re.match(r"^(?:https?:)?//", value, re.I):
        result.external.append(value)


def data_uri_bytes(uri: str) -> bytes:
    """The payload of a ``data:`` URI (base64 or percent-encoded)."""
    header, sep, payload = uri.partition(",")
    if not sep:
        raise Unscannable("a data: URI without a comma (malformed)")
    if header.lower().endswith(";base64"):
        try:
            return base64.b64decode(re.sub(r"\s+", "", payload), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise Unscannable(f"a data: URI whose base64 is corrupt ({exc})") from None
    return unquote_to_bytes(payload)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else str(tag)


def svg_documents(path: str, data: bytes) -> list[TextDocument]:
    """The words of the SVG at project path ``path`` as text documents at their line and column.

    Read as a browser shows them: a ``<text>`` with its ``<tspan>`` runs is one
    phrase ("Vote <tspan>Labour</tspan>"), ``<title>`` and ``<desc>`` are what
    assistive technology reads out, comments are in the file anyone downloads.
    An ``.svgz`` is read inside. A file that is not well-formed gives none: the
    image rules report it as unscannable.
    """
    return source_documents(path, data, "SVG image")
