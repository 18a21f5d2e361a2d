"""Images the tests make: a synthetic agency seal (no real government's) and its placements."""

from __future__ import annotations

import io
import math
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from importer.corpus import find_corpus, pictures

ROOT = Path(__file__).resolve().parents[2]


def corpus_images() -> list[Path]:
    """The full 18F corpus's pictures (``importer.corpus`` finds it); empty without it."""
    corpus = find_corpus()
    return pictures(corpus) if corpus else []


def synthetic_seal(size: int = 400, seed: int = 7) -> Image.Image:
    """A made-up "Department of Examples" seal: rings, a star, lettering, a crest."""
    rng = np.random.default_rng(seed)
    im = Image.new("RGB", (size, size), "white")
    d = ImageDraw.Draw(im)
    c = size / 2
    d.ellipse([4, 4, size - 4, size - 4], fill=(20, 40, 110), outline=(200, 160, 40), width=10)
    d.ellipse(
        [size * 0.18, size * 0.18, size * 0.82, size * 0.82],
        fill="white",
        outline=(200, 160, 40),
        width=6,
    )
    font = ImageFont.load_default(size=max(10, size // 16))
    text = "DEPARTMENT OF EXAMPLES * BUREAU OF SAMPLES * "
    for i, ch in enumerate(text):
        a = 2 * math.pi * i / len(text) - math.pi / 2
        r = size * 0.41
        x, y = c + r * math.cos(a), c + r * math.sin(a)
        glyph = Image.new("RGBA", (size // 10, size // 10), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((size // 40, 0), ch, fill="white", font=font)
        glyph = glyph.rotate(-math.degrees(a) - 90, resample=Image.Resampling.BICUBIC)
        im.paste(glyph, (int(x - size // 20), int(y - size // 20)), glyph)
    pts = []
    for k in range(10):
        r = size * (0.28 if k % 2 == 0 else 0.12)
        a = math.pi * k / 5 - math.pi / 2
        pts.append((c + r * math.cos(a), c + r * math.sin(a)))
    d.polygon(pts, fill=(180, 30, 40), outline=(20, 40, 110))
    for _ in range(14):  # a crest of small shapes gives the seal its detail
        x, y = rng.uniform(size * 0.3, size * 0.7, 2)
        r = rng.uniform(size * 0.01, size * 0.03)
        d.rectangle(
            [x - r, y - r, x + r, y + r], fill=tuple(int(v) for v in rng.integers(0, 255, 3))
        )
    d.text((c - size * 0.12, c + size * 0.16), "EST 1901", fill=(20, 40, 110), font=font)
    return im


def place(
    logo: Image.Image,
    background: Image.Image,
    *,
    scale: float = 0.4,
    angle: float = 0.0,
    tilt: float = 0.0,
    at: tuple[float, float] = (0.5, 0.5),
    occlude: float = 0.0,
) -> Image.Image:
    """``logo`` pasted into ``background``: scaled, rotated, tilted in perspective, partly covered."""
    bg = np.asarray(background.convert("RGB")).copy()
    H, W = bg.shape[:2]
    lg = np.asarray(logo.convert("RGB"))
    lh, lw = lg.shape[:2]
    side = scale * min(W, H)
    s = side / max(lw, lh)
    src = np.float32([[0, 0], [lw, 0], [lw, lh], [0, lh]])
    cx, cy = at[0] * W, at[1] * H
    dst = (src - [lw / 2, lh / 2]) * s
    dst[:, 0] *= 1 - tilt * (dst[:, 1] < 0) * 0.0 + 0  # keep shape; tilt applied below
    if tilt:
        top = dst[:, 1] < 0
        dst[top, 0] *= 1 - tilt  # the top edge recedes
    a = math.radians(angle)
    rot = np.float32([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    dst = dst @ rot.T + [cx, cy]
    M = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    warped = cv2.warpPerspective(lg, M, (W, H), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.full((lh, lw), 255, np.uint8), M, (W, H))
    if occlude:
        x0 = int(dst[:, 0].min())
        x1 = int(x0 + (dst[:, 0].max() - x0) * occlude)
        mask[:, x0:x1] = 0
    bg[mask > 127] = warped[mask > 127]
    return Image.fromarray(bg)


def jpeg(im: Image.Image, quality: int = 60) -> bytes:
    buf = io.BytesIO()
    im.convert("RGB").save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def png(im: Image.Image) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()
