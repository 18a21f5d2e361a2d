"""Photos carrying a shipped mark, made the way the logo rule must survive them.

A mark (rendered by resvg from the shipped SVG, in black, in a colour, or light
on a dark plate) is printed on a card or straight onto the scene, then placed
in a photo at 10-30% of its width, rotated up to 15 degrees either way, tilted
in perspective, and the photo recompressed as JPEG.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from prudent.images.library import rasterise_svg
from prudent.images.marks import load_marks, verified_svg

COLOURS = {  # what the marks are printed in, besides black
    "govuk": (11, 12, 12),
    "gc": (51, 51, 51),
    "canada": (38, 55, 74),
    "nhs": (0, 94, 184),
}


@dataclass(frozen=True)
class Placed:
    data: bytes  # the JPEG
    box: tuple[int, int, int, int]  # where the mark is, x, y, w, h in the photo's pixels
    mark: str
    how: str  # a short description, for reports


def mark_picture(mark_id: str, long_side: int = 700) -> np.ndarray:
    mark = next(m for m in load_marks() if m.id == mark_id)
    return rasterise_svg(verified_svg(mark), long_side)


def composite(
    mark_id: str, photo: Image.Image, rng: np.random.Generator, *, long_side: int = 1280
) -> Placed:
    bg = photo.convert("RGB")
    f = long_side / max(bg.size)
    bg = bg.resize((round(bg.width * f), round(bg.height * f)), Image.Resampling.LANCZOS)
    W, H = bg.size
    gray = mark_picture(mark_id)
    style = rng.choice(["black", "colour", "negative"], p=[0.4, 0.35, 0.25])
    on_card = style == "negative" or rng.random() < 0.5
    ink = np.array({"black": (15, 15, 15)}.get(str(style), _colour(mark_id)), np.float32)
    alpha = (255 - gray.astype(np.float32)) / 255.0  # 1 where the mark is drawn
    margin = round(0.12 * min(gray.shape)) if on_card else 0
    h, w = gray.shape
    if on_card:
        plate = (250, 250, 246) if style != "negative" else (20, 24, 30)
        ink = np.array((250, 250, 250), np.float32) if style == "negative" else ink
        rgb = np.empty((h + 2 * margin, w + 2 * margin, 3), np.float32)
        rgb[:] = plate
        a = np.zeros(rgb.shape[:2], np.float32)
        a[margin : margin + h, margin : margin + w] = alpha
        rgb = rgb * (1 - a[..., None]) + ink * a[..., None]
        cover = np.ones(rgb.shape[:2], np.float32)
    else:
        rgb = np.empty((h, w, 3), np.float32)
        rgb[:] = ink
        cover = alpha
    width_share = rng.uniform(0.10, 0.30)
    angle = rng.uniform(-15, 15)
    tilt = rng.uniform(0.0, 0.3)
    quality = int(rng.integers(60, 91))
    s = width_share * W / w
    lh, lw = rgb.shape[:2]
    src = np.float32([[0, 0], [lw, 0], [lw, lh], [0, lh]])
    dst = (src - [lw / 2, lh / 2]) * s
    side = rng.integers(0, 4)  # which edge recedes
    if side == 0:
        dst[dst[:, 1] < 0, 0] *= 1 - tilt
    elif side == 1:
        dst[dst[:, 1] > 0, 0] *= 1 - tilt
    elif side == 2:
        dst[dst[:, 0] < 0, 1] *= 1 - tilt
    else:
        dst[dst[:, 0] > 0, 1] *= 1 - tilt
    a = math.radians(angle)
    rot = np.float32([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    dst = dst @ rot.T
    lo, hi = dst.min(0), dst.max(0)
    cx = rng.uniform(-lo[0] + 2, W - hi[0] - 2) if hi[0] - lo[0] < W - 4 else W / 2
    cy = rng.uniform(-lo[1] + 2, H - hi[1] - 2) if hi[1] - lo[1] < H - 4 else H / 2
    dst = dst + [cx, cy]
    M = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    warped = cv2.warpPerspective(rgb, M, (W, H), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(cover, M, (W, H), flags=cv2.INTER_AREA)[..., None]
    out = np.asarray(bg, np.float32) * (1 - mask) + warped * mask
    buf = io.BytesIO()
    Image.fromarray(np.clip(out, 0, 255).astype(np.uint8)).save(buf, "JPEG", quality=quality)
    x0, y0 = dst.min(0)
    x1, y1 = dst.max(0)
    box = (round(x0), round(y0), round(x1 - x0), round(y1 - y0))
    how = (
        f"{style}{' on a card' if on_card else ''}, {100 * width_share:.0f}% of the width, "
        f"{angle:+.0f} deg, tilt {tilt:.2f}, JPEG q{quality}"
    )
    return Placed(buf.getvalue(), box, mark_id, how)


def _colour(mark_id: str) -> tuple[int, int, int]:
    for prefix, colour in COLOURS.items():
        if mark_id.startswith(prefix):
            return colour
    return (20, 20, 20)
