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
    mark_id: str,
    photo: Image.Image,
    rng: np.random.Generator,
    *,
    long_side: int = 1280,
    **fixed: object,
) -> Placed:
    """``fixed`` pins any of style, on_card, width_share, angle, tilt, quality, at (centre)."""
    bg = photo.convert("RGB")
    f = long_side / max(bg.size)
    bg = bg.resize((round(bg.width * f), round(bg.height * f)), Image.Resampling.LANCZOS)
    W, H = bg.size
    gray = mark_picture(mark_id)
    style = str(
        fixed.get("style") or rng.choice(["black", "colour", "negative"], p=[0.4, 0.35, 0.25])
    )
    on_card = bool(fixed.get("on_card", style == "negative" or rng.random() < 0.5))
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
    width_share = float(fixed.get("width_share", rng.uniform(0.10, 0.30)))  # type: ignore[arg-type]
    angle = float(fixed.get("angle", rng.uniform(-15, 15)))  # type: ignore[arg-type]
    tilt = float(fixed.get("tilt", rng.uniform(0.0, 0.3)))  # type: ignore[arg-type]
    quality = int(fixed.get("quality", rng.integers(60, 91)))  # type: ignore[call-overload]
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
    if "at" in fixed:
        cx, cy = (float(c) * d for c, d in zip(fixed["at"], (W, H), strict=True))  # type: ignore[call-overload]
    dst = dst + np.float32([cx, cy])
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


def badge_card(face: Image.Image, rng: np.random.Generator, portrait: bool = True) -> Image.Image:
    """An ID card (ISO ID-1 proportions): a coloured band, a photo, a name and two lines."""
    from PIL import ImageDraw, ImageFont

    w, h = (340, 540) if portrait else (540, 340)
    card = Image.new("RGB", (w, h), (248, 248, 244))
    d = ImageDraw.Draw(card)
    band = tuple(int(v) for v in rng.integers(10, 120, 3))
    d.rectangle([0, 0, w, round(0.14 * h)], fill=band)
    big = ImageFont.load_default(size=round(0.055 * h))
    small = ImageFont.load_default(size=round(0.04 * h))
    d.text((round(0.06 * w), round(0.035 * h)), "DEPARTMENT OF SAMPLES", fill="white", font=small)
    if portrait:
        pw = round(0.56 * w)
        photo_box = (round((w - pw) / 2), round(0.19 * h), pw, round(pw * 1.25))
        text_y, text_x = photo_box[1] + photo_box[3] + round(0.04 * h), round(0.1 * w)
    else:
        pw = round(0.3 * w)
        photo_box = (round(0.05 * w), round(0.22 * h), pw, round(pw * 1.25))
        text_y, text_x = round(0.3 * h), photo_box[0] + pw + round(0.05 * w)
    x, y, pw, ph = photo_box
    card.paste(face.convert("RGB").resize((pw, ph), Image.Resampling.LANCZOS), (x, y))
    names = ["ALEX MORGAN", "SAM RIVERA", "JO TAYLOR", "CHRIS LEE"]
    d.text((text_x, text_y), names[int(rng.integers(0, 4))], fill=(20, 20, 20), font=big)
    d.text((text_x, text_y + round(0.08 * h)), "Policy Analyst", fill=(40, 40, 40), font=small)
    d.text(
        (text_x, text_y + round(0.14 * h)),
        f"ID {int(rng.integers(10**5, 10**6))}",
        fill=(40, 40, 40),
        font=small,
    )
    return card


def badge_composite(
    face: Image.Image,
    photo: Image.Image,
    rng: np.random.Generator,
    *,
    long_side: int = 1280,
    **fixed: float,
) -> Placed:
    """An ID badge held up in a photo: 12-30% of its width, rotated, tilted, as JPEG.
    ``fixed`` pins any of share, angle, tilt, portrait (0 or 1)."""
    portrait = bool(fixed.get("portrait", rng.random() < 0.6))
    card = np.asarray(badge_card(face, rng, portrait=portrait), np.float32)
    bg = photo.convert("RGB")
    f = long_side / max(bg.size)
    bg = bg.resize((round(bg.width * f), round(bg.height * f)), Image.Resampling.LANCZOS)
    W, H = bg.size
    ch, cw = card.shape[:2]
    share = fixed.get("share", rng.uniform(0.12, 0.30))
    angle = fixed.get("angle", rng.uniform(-15, 15))
    tilt = fixed.get("tilt", rng.uniform(0.0, 0.25))
    s = share * W / cw
    src = np.float32([[0, 0], [cw, 0], [cw, ch], [0, ch]])
    dst = (src - [cw / 2, ch / 2]) * s
    dst[dst[:, 1] < 0, 0] *= 1 - tilt
    a = math.radians(angle)
    rot = np.float32([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    dst = dst @ rot.T
    lo, hi = dst.min(0), dst.max(0)
    dst = dst + np.float32(
        [
            rng.uniform(-lo[0] + 2, max(-lo[0] + 2, W - hi[0] - 2)),
            rng.uniform(-lo[1] + 2, max(-lo[1] + 2, H - hi[1] - 2)),
        ]
    )
    M = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    warped = cv2.warpPerspective(card, M, (W, H), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.ones((ch, cw), np.float32), M, (W, H), flags=cv2.INTER_AREA)
    out = np.asarray(bg, np.float32) * (1 - mask[..., None]) + warped * mask[..., None]
    quality = int(rng.integers(65, 91))
    buf = io.BytesIO()
    Image.fromarray(np.clip(out, 0, 255).astype(np.uint8)).save(buf, "JPEG", quality=quality)
    x0, y0 = dst.min(0)
    x1, y1 = dst.max(0)
    how = f"badge, {100 * share:.0f}% of the width, {angle:+.0f} deg, tilt {tilt:.2f}, JPEG q{quality}"
    return Placed(
        buf.getvalue(), (round(x0), round(y0), round(x1 - x0), round(y1 - y0)), "id-badge", how
    )
