"""SVG: active content is blocked, embedded rasters are handed back to be scanned.

An SVG is a document, not a picture: opened on its own it runs its scripts and
event handlers with the blog's origin. Prudent does not render vector shapes
(no SVG renderer is among the pinned dependencies); it scans every raster an
SVG embeds as a ``data:`` URI. Its words (``<text>``, ``<title>``, ``<desc>``,
comments, ``aria-label``, link targets) are text: ``svg_documents`` hands them
to the text rules.

Whatever an SVG would load from another server (an ``href`` to an image or
another SVG, a ``url(...)`` in a style or a presentation attribute, a CSS
``@import``, an ``<?xml-stylesheet?>``, an ``xml:base`` that sends relative
references elsewhere) is listed in ``external``: the checker refuses it, since
what another server sends is never judged. References within the site
(relative paths) load files the build publishes and checks; hyperlinks
(``<a href>``) and metadata (``<metadata>``, RDF) load nothing.
"""

from __future__ import annotations

import base64
import binascii
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from urllib.parse import unquote_to_bytes

from prudent.document import TextDocument
from prudent.images.css import IMPORT, css_loads
from prudent.images.decode import Unscannable, svg_text
from prudent.published.documents import source_documents

ACTIVE_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener"}
_JS_URL = re.compile(r"^\s*(?:javascript|vbscript|data:text/html)", re.I)
# Absolute: a scheme (http:, ftp:, file:, ...) or a network path (//host).
_ABSOLUTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|//)", re.I)
_STYLESHEET_PI = re.compile(rb"""<\?xml-stylesheet\b[^>]*?\bhref\s*=\s*["']([^"']*)["']""", re.I)
_ANIMATIONS = {"set", "animate", "animatemotion", "animatetransform", "animatecolor"}
_SVG_NS = "http://www.w3.org/2000/svg"


@dataclass
class SvgScan:
    active: list[str] = field(default_factory=list)  # what makes it active, for the message
    rasters: list[bytes] = field(default_factory=list)  # embedded images to scan
    external: list[str] = field(default_factory=list)  # "URL (what loads it)", from elsewhere


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
    for m in _STYLESHEET_PI.finditer(text):
        _load(m.group(1).decode("utf-8", "replace"), "an <?xml-stylesheet?>", result, any_url=True)
    for el in _drawn(root):
        _external_references(el, _local(el.tag).lower(), result)
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
        if tag == "style" and el.text and any(_JS_URL.match(u.url) for u in css_loads(el.text)):
            result.active.append("a script URL in a <style> sheet")
    return result


def _drawn(root: ET.Element) -> list[ET.Element]:
    """Every element but those inside <metadata> and foreign (RDF, Inkscape) ones."""
    out: list[ET.Element] = []

    def walk(el: ET.Element) -> None:
        ns = el.tag[1:].split("}", 1)[0] if isinstance(el.tag, str) and el.tag[:1] == "{" else ""
        if ns not in ("", _SVG_NS) and _local(el.tag).lower() not in ACTIVE_ELEMENTS:
            return
        out.append(el)
        if _local(el.tag).lower() == "metadata":
            return
        for child in el:
            walk(child)

    walk(root)
    return out


def _external_references(el: ET.Element, tag: str, result: SvgScan) -> None:
    """What this element would load from another server."""
    for attr, value in el.attrib.items():
        name = _local(attr).lower()
        if name == "href" and tag != "a":
            _load(value, f"<{_local(el.tag)} {_local(attr)}>", result)
        elif name == "base":  # xml:base: relative references resolve against it
            _load(value, "an xml:base", result)
        elif (
            tag in _ANIMATIONS
            and name in ("to", "from", "by", "values")
            and el.get("attributeName", "").split(":")[-1].lower() in ("href", "src")
        ):
            for part in value.split(";"):
                _load(part, f"<{_local(el.tag)}> that sets an href", result)
        # Presentation attributes (fill=, mask=, ...) are CSS values, as style= is.
        for load in css_loads(value):
            _load(load.url, f"{load.what} in {_local(attr)}=", result)
    if tag == "style" and el.text:
        for load in css_loads(el.text):
            if load.what == IMPORT:
                _load(load.url, "a CSS @import", result, any_url=True)
            else:
                _load(load.url, f"{load.what} in a <style> sheet", result)


def _load(value: str, what: str, result: SvgScan, *, any_url: bool = False) -> None:
    """Note ``value`` if it loads from another server (``any_url``: or from anywhere)."""
    value = value.strip()
    if not value or value.startswith("#") or value.lower().startswith("data:"):
        return
    if _JS_URL.match(value):
        return  # reported as active content
    listed = any(e.startswith(f"{value} (") for e in result.external)
    if (any_url or _ABSOLUTE.match(value)) and not listed:
        result.external.append(f"{value} ({what})")


def _embedded(value: str, result: SvgScan, max_rasters: int) -> None:
    value = value.strip()
    if value.lower().startswith("data:"):
        if len(result.rasters) >= max_rasters:
            raise Unscannable(f"the SVG embeds more than {max_rasters} images")
        result.rasters.append(data_uri_bytes(value))


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
