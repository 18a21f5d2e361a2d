"""Bytes to pixels, or a clear reason why not (fail closed).

Formats are told by their magic bytes, never by the file name. Every frame of
an animation is decoded (evenly sampled past ``max_frames``), and images are
reduced while decoding (JPEG DCT scaling) to the size the detectors need.
"""

from __future__ import annotations

import gzip
import io
import re
import warnings
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageFile

ImageFile.LOAD_TRUNCATED_IMAGES = False  # a truncated file is unscannable, not half-checked

EXTENSION_FORMATS = {
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".jpe": "jpeg",
    ".png": "png",
    ".gif": "gif",
    ".webp": "webp",
    ".bmp": "bmp",
    ".tif": "tiff",
    ".tiff": "tiff",
    ".svg": "svg",
    ".svgz": "svg",
    ".ico": "ico",
    ".avif": "avif",
    ".heic": "heif",
    ".heif": "heif",
    ".jxl": "jxl",
}
FORMAT_EXTENSION = {
    "jpeg": ".jpg",
    "png": ".png",
    "gif": ".gif",
    "webp": ".webp",
    "bmp": ".bmp",
    "tiff": ".tif",
    "svg": ".svg",
    "ico": ".ico",
    "avif": ".avif",
    "heif": ".heic",
    "jxl": ".jxl",
}


class Unscannable(Exception):
    """The bytes cannot be checked; ``str()`` says why in plain words."""


def sniff(data: bytes) -> str | None:
    """The image format the bytes really are, or None."""
    head = data[:64]
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:2] == b"BM":
        return "bmp"
    if head[:4] in (b"II*\0", b"MM\0*"):
        return "tiff"
    if head[:4] == b"\0\0\1\0":
        return "ico"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"avif", b"avis"):
            return "avif"
        if brand in (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"):
            return "heif"
    if head.startswith(b"\xff\x0a") or head.startswith(b"\0\0\0\x0cJXL \r\n\x87\n"):
        return "jxl"
    if head.startswith(b"\x1f\x8b"):
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
                inner = gz.read(4096)
        except (OSError, EOFError):
            return None
        return "svg" if _is_svg_text(inner) else None
    if _is_svg_text(data[:4096]):
        return "svg"
    return None


def _is_svg_text(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith(b"<") and b"<svg" in text


def svg_text(data: bytes, max_bytes: int) -> bytes:
    """The XML of an SVG or SVGZ, bounded (a gzip bomb is unscannable)."""
    if data.startswith(b"\x1f\x8b"):
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
                data = gz.read(max_bytes + 1)
        except (OSError, EOFError) as exc:
            raise Unscannable(f"the compressed SVG is corrupt ({exc})") from None
        if len(data) > max_bytes:
            raise Unscannable(f"the SVG expands to more than {max_bytes:,} bytes")
    return data


@dataclass
class Decoded:
    format: str
    width: int
    height: int
    frames: list[Image.Image]  # RGB, long side at most the work size
    n_frames: int = 1
    exif: Image.Exif | None = None
    xmp: list[bytes] = field(default_factory=list)

    @property
    def scale(self) -> float:
        """Original pixels per work pixel (to report boxes in the original's pixels)."""
        return self.width / self.frames[0].width if self.frames else 1.0


def decode(
    data: bytes,
    *,
    max_pixels: int,
    max_frames: int,
    work_side: int,
    big_above: int = 0,
    big_factor: float = 0.0,
) -> Decoded:
    """Decode every sampled frame, reduced to ``work_side`` pixels on its long side.

    Images whose long side is above ``big_above`` keep ``big_factor`` of their
    size instead (the nudity tiles need the detail).
    """
    if not data:
        raise Unscannable("the file is empty (zero bytes)")
    fmt = sniff(data)
    if fmt is None:
        raise Unscannable("the bytes are not an image format Prudent can read")
    if fmt == "svg":
        raise AssertionError("SVG goes through prudent.images.svg")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data))
            width, height = im.size
            if width * height > max_pixels:
                raise Unscannable(
                    f"{width}x{height} pixels is more than the {max_pixels:,} allowed by "
                    "images.max_pixels (a decompression bomb, or a photo to scale down "
                    "before publishing)"
                )
            n_frames = int(getattr(im, "n_frames", 1) or 1)
            if big_above and max(width, height) > big_above:
                work_side = max(work_side, round(max(width, height) * big_factor))
            exif = im.getexif()
            xmp = _xmp_packets(im, data)
            frames = [
                _frame(im, index, work_side, width, height)
                for index in sample_frames(n_frames, max_frames)
            ]
    except Unscannable:
        raise
    except Image.DecompressionBombError as exc:
        # Pillow refuses before the size is known here, quoting its own limit: say ours.
        m = re.search(r"\((\d+) pixels\)", str(exc))
        size = f"{int(m.group(1)):,} pixels" if m else "its size"
        raise Unscannable(
            f"{size} is more than the {max_pixels:,} allowed by images.max_pixels "
            "(a decompression bomb, or a photo to scale down before publishing)"
        ) from None
    except Image.UnidentifiedImageError:
        raise Unscannable(
            f"it starts like a {fmt.upper()} file but Pillow cannot identify it "
            "(corrupt, or a variant this Pillow build does not support)"
        ) from None
    except (OSError, ValueError, SyntaxError, EOFError, IndexError, TypeError) as exc:
        raise Unscannable(f"the {fmt.upper()} data is truncated or corrupt ({exc})") from None
    except MemoryError:
        raise Unscannable("decoding it needs more memory than is available") from None
    return Decoded(fmt, width, height, frames, n_frames, exif, xmp)


def sample_frames(n_frames: int, max_frames: int) -> list[int]:
    """Every frame, or ``max_frames`` spread evenly (first and last included)."""
    if n_frames <= max_frames:
        return list(range(n_frames))
    if max_frames <= 1:
        return [0]
    step = (n_frames - 1) / (max_frames - 1)
    return sorted({round(i * step) for i in range(max_frames)})


def _frame(im: Image.Image, index: int, work_side: int, width: int, height: int) -> Image.Image:
    if index:
        im.seek(index)
    if im.format == "JPEG" and max(width, height) > work_side:
        im.draft("RGB", _fit(width, height, work_side))  # decode at 1/2, 1/4 or 1/8 scale
    im.load()
    frame = _to_rgb(im)
    if max(frame.size) > work_side:
        frame = frame.resize(_fit(*frame.size, work_side), Image.Resampling.BILINEAR, None, 2.0)
    return frame


def _fit(width: int, height: int, side: int) -> tuple[int, int]:
    scale = min(1.0, side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _to_rgb(im: Image.Image) -> Image.Image:
    if im.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        arr = np.asarray(im, dtype=np.float64)
        lo, hi = float(arr.min()), float(arr.max())
        arr = (arr - lo) * (255.0 / (hi - lo)) if hi > lo else np.zeros_like(arr)
        return Image.fromarray(arr.astype(np.uint8), "L").convert("RGB")
    if im.mode == "RGB":
        return im.copy()
    has_alpha = im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        im.mode == "P" and "transparency" in im.info
    )
    if has_alpha:
        # What a reader sees on a light page.
        rgba = im.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return im.convert("RGB")


def _xmp_packets(im: Image.Image, data: bytes) -> list[bytes]:
    packets: list[bytes] = []
    for key in ("xmp", "XML:com.adobe.xmp"):
        value = im.info.get(key)
        if isinstance(value, str):
            value = value.encode("utf-8", "replace")
        if isinstance(value, bytes) and value:
            packets.append(value)
    start = data.find(b"<x:xmpmeta")
    while start >= 0 and len(packets) < 8:
        end = data.find(b"</x:xmpmeta>", start)
        if end < 0:
            break
        packets.append(data[start : end + 12])
        start = data.find(b"<x:xmpmeta", end)
    return packets
