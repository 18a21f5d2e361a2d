"""Remove location metadata from JPEG, PNG, WebP and TIFF without touching the pixels.

Nothing is re-encoded. The GPS IFD inside the EXIF block is blanked in place
(its entries and the values they point at are zeroed and its entry count set to
0, so every other offset in the file stays valid), and XMP location properties
are overwritten with spaces, which XMP packets are designed to absorb. Only a
compressed PNG text chunk is rewritten, and the pixel data is compared before
and after.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import struct
import zlib
from pathlib import Path

from PIL import Image

from prudent.images.decode import sniff
from prudent.images.location import GPS_IFD

_TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}
_XMP_NAMES = r"(?:exif|exifEX):GPS\w+|Iptc4xmpCore:Location|Iptc4xmpExt:(?:LocationCreated|LocationShown|Sublocation)|photoshop:City"
_XMP_ELEMENT = re.compile(rb"<(%s)\b[^>]*?(?:/>|>.*?</\1\s*>)" % _XMP_NAMES.encode(), re.S)
_XMP_ATTR = re.compile(rb"\s(?:%s)\s*=\s*(?:\"[^\"]*\"|'[^']*')" % _XMP_NAMES.encode())


class StripError(Exception):
    """The file cannot be stripped safely; ``str()`` says why."""


def strip_location(data: bytes) -> tuple[bytes, list[str]]:
    """(new bytes, what was removed). The pixels are identical; raises StripError otherwise."""
    fmt = sniff(data)
    buf = bytearray(data)
    removed: list[str] = []
    if fmt == "jpeg":
        _jpeg(buf, removed)
    elif fmt == "png":
        buf = _png(buf, removed)
    elif fmt == "webp":
        _webp(buf, removed)
    elif fmt == "tiff":
        if _blank_gps(buf, 0):
            removed.append("EXIF GPS")
        if _blank_xmp(buf, 0, len(buf)):
            removed.append("XMP location")
    else:
        raise StripError(
            f"{(fmt or 'this file').upper()} is not a format whose location Prudent strips "
            "(JPEG, PNG, WebP, TIFF)"
        )
    out = bytes(buf)
    if removed and _pixels(out) != _pixels(data):
        raise StripError("stripping would change the pixels; the file was left as it was")
    return out, removed


def _pixels(data: bytes) -> list[bytes]:
    try:
        with Image.open(io.BytesIO(data)) as im:
            frames = []
            for i in range(getattr(im, "n_frames", 1)):
                im.seek(i)
                frames.append(im.tobytes())
            return frames
    except (OSError, ValueError) as exc:
        raise StripError(f"the image cannot be decoded ({exc})") from None


# -- TIFF / EXIF ---------------------------------------------------------------


def _blank_gps(buf: bytearray, base: int) -> bool:
    """Blank the GPS IFD of the TIFF structure starting at ``base``. True if it had entries."""
    order = bytes(buf[base : base + 2])
    if order not in (b"II", b"MM"):
        return False
    e = "<" if order == b"II" else ">"
    try:
        (ifd0,) = struct.unpack_from(e + "I", buf, base + 4)
        gps = None
        for tag, _typ, _count, value in _entries(buf, base, ifd0, e):
            if tag == GPS_IFD:
                gps = value
        if gps is None:
            return False
        entries = list(_entries(buf, base, gps, e))
        if not entries:
            return False
        for _tag, typ, count, value in entries:
            size = _TYPE_SIZES.get(typ, 1) * count
            if size > 4 and base + value + size <= len(buf):
                buf[base + value : base + value + size] = bytes(size)
        start = base + gps
        buf[start : start + 2 + 12 * len(entries)] = bytes(2 + 12 * len(entries))
    except struct.error:
        raise StripError(
            "the EXIF block is corrupt; re-export the picture without metadata"
        ) from None
    return True


def _entries(buf: bytearray, base: int, offset: int, e: str):
    (n,) = struct.unpack_from(e + "H", buf, base + offset)
    for i in range(n):
        tag, typ, count, value = struct.unpack_from(e + "HHII", buf, base + offset + 2 + 12 * i)
        yield tag, typ, count, value


# -- XMP -----------------------------------------------------------------------------


def _blank_xmp(buf: bytearray, start: int, end: int) -> bool:
    """Overwrite XMP location properties in ``buf[start:end]`` with spaces (same length)."""
    chunk = bytes(buf[start:end])
    if b"<x:xmpmeta" not in chunk and b"<rdf:RDF" not in chunk:
        return False
    spans = [m.span() for m in _XMP_ELEMENT.finditer(chunk)]
    spans += [m.span() for m in _XMP_ATTR.finditer(chunk)]
    for a, b in spans:
        buf[start + a : start + b] = b" " * (b - a)
    return bool(spans)


# -- containers -------------------------------------------------------------------


def _jpeg(buf: bytearray, removed: list[str]) -> None:
    pos = 2
    while pos + 4 <= len(buf):
        if buf[pos] != 0xFF:
            raise StripError("the JPEG's segments are corrupt")
        marker = buf[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        if marker in (0xD9, 0xDA):  # end of image, start of scan: no metadata past here
            return
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            pos += 2
            continue
        (length,) = struct.unpack_from(">H", buf, pos + 2)
        body, end = pos + 4, pos + 2 + length
        if marker == 0xE1:
            if bytes(buf[body : body + 6]) == b"Exif\0\0" and _blank_gps(buf, body + 6):
                removed.append("EXIF GPS")
            elif _blank_xmp(buf, body, end):
                removed.append("XMP location")
        pos = end


def _png(buf: bytearray, removed: list[str]) -> bytearray:
    out = bytearray(buf[:8])
    pos = 8
    while pos + 12 <= len(buf):
        (length,) = struct.unpack_from(">I", buf, pos)
        ctype = bytes(buf[pos + 4 : pos + 8])
        chunk = bytearray(buf[pos : pos + 12 + length])
        data_start = 8
        changed = False
        if ctype == b"eXIf":
            tiff = 8 + (6 if chunk[8:14] == b"Exif\0\0" else 0)
            changed = _blank_gps(chunk, tiff)
            if changed:
                removed.append("EXIF GPS")
        elif ctype == b"iTXt" and chunk[8:].startswith(b"XML:com.adobe.xmp\0"):
            head = data_start + len(b"XML:com.adobe.xmp\0")
            compressed = chunk[head] == 1
            # keyword\0 flag method language\0 translated\0 text
            rest = chunk[head + 2 : 8 + length]
            lang_end = rest.index(b"\0")
            trans_end = rest.index(b"\0", lang_end + 1)
            text_start = head + 2 + trans_end + 1
            if compressed:
                text = bytearray(zlib.decompress(bytes(chunk[text_start : 8 + length])))
                if _blank_xmp(text, 0, len(text)):
                    body = bytes(chunk[8:text_start]) + zlib.compress(bytes(text))
                    chunk = bytearray(struct.pack(">I", len(body)) + ctype + body + b"\0\0\0\0")
                    length = len(body)
                    changed = True
            else:
                changed = _blank_xmp(chunk, text_start, 8 + length)
            if changed:
                removed.append("XMP location")
        if changed:
            struct.pack_into(">I", chunk, 8 + length, zlib.crc32(bytes(chunk[4 : 8 + length])))
        out += chunk
        pos += 12 + struct.unpack_from(">I", buf, pos)[0]
        if ctype == b"IEND":
            break
    out += buf[pos:]
    return out


def _webp(buf: bytearray, removed: list[str]) -> None:
    pos = 12
    while pos + 8 <= len(buf):
        ctype = bytes(buf[pos : pos + 4])
        (size,) = struct.unpack_from("<I", buf, pos + 4)
        body = pos + 8
        if ctype == b"EXIF":
            tiff = body + (6 if bytes(buf[body : body + 6]) == b"Exif\0\0" else 0)
            if _blank_gps(buf, tiff):
                removed.append("EXIF GPS")
        elif ctype == b"XMP " and _blank_xmp(buf, body, body + size):
            removed.append("XMP location")
        pos = body + size + (size & 1)


def strip_file(path: Path) -> list[str]:
    """Strip ``path`` in place (atomically). Returns what was removed."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StripError(f"cannot read it ({exc.strerror or exc})") from None
    new, removed = strip_location(data)
    if removed:
        tmp = path.with_name(f".{path.name}.strip-tmp")
        tmp.write_bytes(new)
        shutil.copymode(path, tmp)
        os.replace(tmp, path)
    return removed
