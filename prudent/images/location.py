"""Where a photo was taken, as its metadata tells anyone who downloads it.

EXIF GPS (JPEG APP1, PNG eXIf, WebP EXIF, TIFF) and XMP location properties
(``exif:GPSLatitude``/``GPSLongitude`` and IPTC's location fields).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PIL import Image

GPS_IFD = 0x8825
GPS_LAT_REF, GPS_LAT, GPS_LON_REF, GPS_LON = 1, 2, 3, 4
GPS_DEST_LAT, GPS_DEST_LON = 20, 22

# XMP properties that say where a photo was taken or what place it shows.
XMP_LOCATION = (
    "exif:GPSLatitude",
    "exif:GPSLongitude",
    "exif:GPSDestLatitude",
    "exif:GPSDestLongitude",
    "exifEX:GPSLatitude",
    "exifEX:GPSLongitude",
    "Iptc4xmpCore:Location",
    "Iptc4xmpExt:LocationCreated",
    "Iptc4xmpExt:LocationShown",
    "Iptc4xmpExt:Sublocation",
    "photoshop:City",
)


@dataclass(frozen=True)
class Place:
    source: str  # "EXIF GPS" or "XMP"
    detail: str  # what was found, for the message
    latitude: float | None = None
    longitude: float | None = None


def find_places(exif: Image.Exif | None, xmp_packets: list[bytes]) -> list[Place]:
    places: list[Place] = []
    if exif is not None:
        place = _exif_gps(exif)
        if place:
            places.append(place)
    for packet in xmp_packets:
        place = _xmp(packet)
        if place and place not in places:
            places.append(place)
            break
    return places


def _exif_gps(exif: Image.Exif) -> Place | None:
    try:
        gps = exif.get_ifd(GPS_IFD)
    except (KeyError, ValueError, TypeError, OSError, SyntaxError):
        gps = {}
    if not gps:
        return None
    lat = _dms(gps.get(GPS_LAT), gps.get(GPS_LAT_REF), "S")
    lon = _dms(gps.get(GPS_LON), gps.get(GPS_LON_REF), "W")
    if lat is not None and lon is not None:
        return Place("EXIF GPS", f"latitude {lat:.6f}, longitude {lon:.6f}", lat, lon)
    dlat = _dms(gps.get(GPS_DEST_LAT), gps.get(GPS_DEST_LAT - 1), "S")
    dlon = _dms(gps.get(GPS_DEST_LON), gps.get(GPS_DEST_LON - 1), "W")
    if dlat is not None and dlon is not None:
        return Place(
            "EXIF GPS", f"destination latitude {dlat:.6f}, longitude {dlon:.6f}", dlat, dlon
        )
    if lat is not None or lon is not None:
        return Place("EXIF GPS", "a partial GPS position (latitude or longitude)")
    return None


def _dms(value: object, ref: object, negative: str) -> float | None:
    try:
        parts = [float(v) for v in value]  # type: ignore[union-attr]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if not parts or any(p != p for p in parts):  # NaN from a 0/0 rational
        return None
    deg = (
        parts[0]
        + (parts[1] / 60 if len(parts) > 1 else 0)
        + (parts[2] / 3600 if len(parts) > 2 else 0)
    )
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "replace")
    if isinstance(ref, str) and ref.strip("\0 ").upper() == negative:
        deg = -deg
    return deg


_XMP_PROP = re.compile(
    rb"(%s)\s*(?:=\s*[\"']([^\"']*)[\"']|>([^<]*)<|>)"
    % b"|".join(re.escape(p.encode()) for p in XMP_LOCATION)
)


def _xmp(packet: bytes) -> Place | None:
    found: dict[str, str] = {}
    for m in _XMP_PROP.finditer(packet):
        name = m.group(1).decode()
        value = (m.group(2) or m.group(3) or b"").decode("utf-8", "replace").strip()
        if name.endswith(("LocationCreated", "LocationShown")) or value:
            found.setdefault(name, value or "(structured)")
    if not found:
        return None
    lat = _xmp_coordinate(found.get("exif:GPSLatitude") or found.get("exifEX:GPSLatitude"))
    lon = _xmp_coordinate(found.get("exif:GPSLongitude") or found.get("exifEX:GPSLongitude"))
    detail = ", ".join(f"{k}={v!r}" for k, v in sorted(found.items()))
    if lat is not None and lon is not None:
        detail = f"latitude {lat:.6f}, longitude {lon:.6f} ({detail})"
    return Place("XMP", detail, lat, lon)


def _xmp_coordinate(value: str | None) -> float | None:
    """XMP GPS coordinates are "DDD,MM.mmk" or "DDD,MM,SSk" with k in NSEW."""
    if not value:
        return None
    m = re.fullmatch(
        r"\s*(\d+(?:\.\d+)?),(\d+(?:\.\d+)?)(?:,(\d+(?:\.\d+)?))?\s*([NSEW])\s*", value
    )
    if not m:
        try:
            return float(value)
        except ValueError:
            return None
    deg = float(m.group(1)) + float(m.group(2)) / 60 + float(m.group(3) or 0) / 3600
    return -deg if m.group(4) in "SW" else deg
