"""ID badges and lanyard cards, found without a reference: a card holding a face and print.

An ID card has a shape (ISO/IEC 7810 ID-1, 85.6 x 54 mm: long side 1.59 times
the short, either way up) and a content (a face photograph beside printed
lines: a name, an employer, a mark). Either alone is common (a credit card, a
framed portrait, a book cover); together they are a badge. The faces are
NudeNet's, from the whole picture (the nudity rule's own pass: OpenCV 5 no
longer ships Haar cascades). Cards come two ways: guessed around a face's
photograph (a rectangle of sharp edges around the face), or card-shaped
quadrilaterals (edges and bright regions, which survive a plastic sleeve or a
lanyard clip) with a face on them. Each is rectified and kept when the face is
of a photograph's size, rows of small printed shapes cover a few lines' worth
of the rest, and the rest is mostly plain ground.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from prudent.images.nudity import NudityDetector

CARD_ASPECT = (1.35, 1.85)  # long side / short side, with room for a tilt
CARD_AREA = (0.004, 0.6)  # share of the picture
PHOTO_AREA = (0.0008, 0.08)  # a badge's photograph, share of the picture
CANON = 320  # the rectified card's long side, pixels (NudeNet's own input size)
MIN_PLAIN = 0.6  # share of the card outside the photo that is plain ground
MIN_PLAIN_CARD = 0.4  # ... and of the whole card, photo included (checked before any face)
MIN_PRINT = 0.03  # share of the card outside the photo covered by lines of print
PRINT_RANGE = (0.04, 0.16)  # ... on a badge: a few lines, not a texture
MAX_CANDIDATES = 10
FACES = ("FACE_FEMALE", "FACE_MALE")
MIN_FACE_SCORE = 0.3
MIN_FACE_PX = 12  # in the searched picture
MAX_FACE_RUNS = 1  # NudeNet runs on a candidate card per picture, at most ...
MIN_SEEN_FACE = 24  # ... when its face would be smaller than this in the whole-picture pass
WHOLE_INPUT = 320  # NudeNet's input side for the whole picture
MIN_FACE_SHARE = 0.2  # the face on a badge, at least this share of the card's short side


@dataclass(frozen=True)
class BadgeMatch:
    box: tuple[int, int, int, int]  # the card, x, y, w, h in the original image's pixels
    face: tuple[int, int, int, int]  # the face on it, same pixels
    score: float  # 0..1: how much of the card outside the photo carries print


class BadgeDetector:
    def __init__(self, nudity: NudityDetector) -> None:
        self.nudity = nudity

    def find(
        self,
        gray: np.ndarray,
        rgb: np.ndarray,
        scale: float = 1.0,
        faces: list[tuple[float, float, float, float]] | None = None,
    ) -> list[BadgeMatch]:
        """Badges in a picture: ``gray`` is the searched copy (boxes times ``scale`` are the
        original's pixels), ``rgb`` the same frame in colour at any size. ``faces`` are the
        faces NudeNet found in the whole frame (in ``gray``'s pixels; the scanner passes
        its own pass's), or None to run NudeNet on ``rgb`` here. A card holding none of
        them is run through NudeNet itself only when it is too small for the whole
        picture's pass to have seen its face, once per picture at most (each run costs
        as much as the whole picture's pass)."""
        found: list[BadgeMatch] = []
        runs = 0
        k = rgb.shape[1] / gray.shape[1]
        if faces is None:
            faces = [
                tuple(c / k for c in d.box)
                for d in self.nudity.detect(Image.fromarray(rgb))
                if d.label in FACES and d.score >= MIN_FACE_SCORE
            ]
        # Face first: a face NudeNet found in the whole frame, inside a photograph's
        # rectangle (sharp straight edges around it, as no face in a scene has), with the
        # card guessed around that photograph: no outline of the card, no NudeNet run.
        for face in faces or []:
            for photo in _photo_around(gray, face):
                for quad in _around_photo(photo):
                    card, to_image = rectify(gray, quad)
                    known = _faces_on(quad, to_image, card.shape, [face])
                    if known is None or print_share(card, (0, 0, 0, 0)) < MIN_PRINT:
                        continue
                    m = self._check(card, to_image, quad, scale, known)
                    if m is not None:
                        found = _keep_best(found, m)
        for quad in card_candidates(gray):
            card, to_image = rectify(gray, quad)
            if print_share(card, (0, 0, 0, 0)) < MIN_PRINT:
                continue  # no lines of print on it at all: a picture frame, a screen, a door
            if plain_share(card, (0, 0, 0, 0)) < MIN_PLAIN_CARD:
                continue  # texture all over: a crowd, foliage, a shirt
            known = _faces_on(quad, to_image, card.shape, faces)
            if known is None:
                # A face too small for the whole picture's pass may be seen on the card
                # itself: NudeNet once per picture at most, and only then.
                seen = 0.3 * min(_sides(quad)) * WHOLE_INPUT / max(gray.shape)
                if runs == MAX_FACE_RUNS or seen >= MIN_SEEN_FACE:
                    continue
                runs += 1
                card_rgb = rectify(rgb, quad * k)[0]
                f = card.shape[1] / card_rgb.shape[1]
                known = [
                    tuple(round(c * f) for c in d.box)
                    for d in self.nudity.detect(Image.fromarray(card_rgb))
                    if d.label in FACES and d.score >= MIN_FACE_SCORE
                ]
            m = self._check(card, to_image, quad, scale, known)
            if m is not None:
                found = _keep_best(found, m)
        return found

    def _check(
        self,
        card: np.ndarray,
        to_image: np.ndarray,
        quad: np.ndarray,
        scale: float,
        known: list[tuple[int, int, int, int]],
    ) -> BadgeMatch | None:
        ch, cw = card.shape
        short = min(ch, cw)
        faces = [
            b
            for b in known
            if MIN_FACE_SHARE * short <= b[2] <= 0.75 * short and 0.65 <= b[2] / max(1, b[3]) <= 1.5
        ]
        # A photograph on a card: the face well inside it, and a modest part of it.
        m = 0.03 * short
        faces = [
            b
            for b in faces
            if b[0] >= m
            and b[1] >= m
            and b[0] + b[2] <= cw - m
            and b[1] + b[3] <= ch - m
            and b[2] * b[3] <= 0.2 * cw * ch
        ]
        if not faces:
            return None
        fx, fy, fw, fh = max(faces, key=lambda b: b[2] * b[3])
        # The photograph around the face: a passport-style crop, taller than wide.
        px0, px1 = max(0, fx - fw // 3), min(cw, fx + fw + fw // 3)
        py0, py1 = max(0, fy - fh // 2), min(ch, fy + fh + fh // 2)
        share = print_share(card, (px0, py0, px1, py1))
        if not PRINT_RANGE[0] <= share <= PRINT_RANGE[1]:
            return None
        if plain_share(card, (px0, py0, px1, py1)) < MIN_PLAIN:
            return None
        corners = cv2.perspectiveTransform(
            np.float32([[fx, fy], [fx + fw, fy + fh]]).reshape(-1, 1, 2), to_image
        ).reshape(-1, 2)
        (ax, ay), (bx, by) = corners.min(0), corners.max(0)
        if bx - ax < MIN_FACE_PX or not 0.6 <= (bx - ax) / max(1.0, by - ay) <= 1.6:
            return None  # a face too small to see, or squashed by a wrong card outline
        x0, y0 = quad.min(0)
        x1, y1 = quad.max(0)
        k = scale
        return BadgeMatch(
            (round(x0 * k), round(y0 * k), round((x1 - x0) * k), round((y1 - y0) * k)),
            (round(ax * k), round(ay * k), round((bx - ax) * k), round((by - ay) * k)),
            round(min(1.0, share / PRINT_RANGE[1]), 3),
        )


def _photo_around(gray: np.ndarray, face: tuple[float, float, float, float]) -> list[np.ndarray]:
    """Rectangles shaped like a badge's photograph that hold ``face`` (in ``gray``'s pixels)."""
    x, y, w, h = face
    if not (MIN_FACE_PX <= w <= 0.25 * max(gray.shape) and 0.6 <= w / max(1.0, h) <= 1.6):
        return []
    ih, iw = gray.shape
    x0, y0 = max(0, int(x - 1.2 * w)), max(0, int(y - 1.2 * h))
    x1, y1 = min(iw, int(x + 2.2 * w)), min(ih, int(y + 2.4 * h))
    window = cv2.GaussianBlur(gray[y0:y1, x0:x1], (3, 3), 0)
    if window.size == 0:
        return []
    med = float(np.median(window))
    edges = cv2.Canny(window, max(10.0, 0.5 * med), min(255.0, max(40.0, 1.2 * med)))
    edges = cv2.dilate(edges, np.ones((3, 3), np.uint8))
    contours, _ = cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    centre = (x + w / 2 - x0, y + h / 2 - y0)
    out: list[np.ndarray] = []
    for c in contours:
        if not 1.3 * w * h <= cv2.contourArea(c) <= 8 * w * h:
            continue
        quad = _as_quad(c)
        if quad is None or not _photo_aspect(quad):
            continue
        if cv2.pointPolygonTest(quad.reshape(-1, 1, 2), centre, False) <= 0:
            continue
        quad = quad + np.float32([x0, y0])
        if not any(_quad_iou(quad, o) > 0.7 for o in out):
            out.append(quad)
    return out[:2]


def _keep_best(found: list[BadgeMatch], m: BadgeMatch) -> list[BadgeMatch]:
    """Two outlines of one badge (its edge, or guessed around its photo): the one whose
    face sits best in plain print wins."""
    same = [f for f in found if _overlap(m.face, f.face) > 0.5]
    if all(m.score > f.score for f in same):
        return [f for f in found if f not in same] + [m]
    return found


def _faces_on(
    quad: np.ndarray,
    to_image: np.ndarray,
    shape: tuple[int, ...],
    faces: list[tuple[float, float, float, float]],
) -> list[tuple[int, int, int, int]] | None:
    """The whole-frame faces inside ``quad``, in the rectified card's pixels; None if none."""
    if not faces:
        return None
    to_card = np.linalg.inv(to_image)
    out = []
    for x, y, w, h in faces:
        if cv2.pointPolygonTest(quad.reshape(-1, 1, 2), (x + w / 2, y + h / 2), False) <= 0:
            continue
        pts = np.float32([[x, y], [x + w, y], [x + w, y + h], [x, y + h]]).reshape(-1, 1, 2)
        c = cv2.perspectiveTransform(pts, to_card).reshape(-1, 2)
        (ax, ay), (bx, by) = c.min(0), c.max(0)
        out.append((round(ax), round(ay), round(bx - ax), round(by - ay)))
    return out or None


def card_candidates(gray: np.ndarray) -> list[np.ndarray]:
    """Convex quadrilaterals shaped like an ID-1 card, largest first (4 x 2 float32 each)."""
    h, w = gray.shape
    area = float(h * w)
    blurred = cv2.GaussianBlur(gray, (5, 5), 0)
    med = float(np.median(blurred))
    edges = cv2.Canny(blurred, max(10.0, 0.5 * med), min(255.0, max(40.0, 1.2 * med)))
    edges = cv2.dilate(edges, np.ones((3, 3), np.uint8))
    _, bright = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    quads: list[tuple[float, np.ndarray]] = []
    for binary in (edges, bright):
        contours, _ = cv2.findContours(binary, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
        for c in contours:
            a = cv2.contourArea(c)
            if not PHOTO_AREA[0] * area <= a <= CARD_AREA[1] * area:
                continue
            quad = _as_quad(c)
            if quad is None:
                continue
            qa = cv2.contourArea(quad)
            if quad.min() < -2 or (quad[:, 0] > w + 2).any() or (quad[:, 1] > h + 2).any():
                continue
            if CARD_AREA[0] * area <= qa <= CARD_AREA[1] * area and _card_aspect(quad):
                quads.append((qa, quad))
            elif PHOTO_AREA[0] * area <= qa <= PHOTO_AREA[1] * area and _photo_aspect(quad):
                # The card's edge may be lost against a white shirt or a table; its
                # photograph, a dark-framed portrait rectangle, rarely is. Look around it.
                for window in _around_photo(quad):
                    if (
                        window.min() >= -2
                        and (window[:, 0] <= w + 2).all()
                        and (window[:, 1] <= h + 2).all()
                    ):
                        quads.append((qa * 0.5, window))
    quads.sort(key=lambda t: -t[0])
    out: list[np.ndarray] = []
    for _, q in quads:
        if not any(_quad_iou(q, o) > 0.7 for o in out):
            out.append(q)
        if len(out) == MAX_CANDIDATES:
            break
    return out


def _as_quad(contour: np.ndarray) -> np.ndarray | None:
    hull = cv2.convexHull(contour)
    peri = cv2.arcLength(hull, True)
    approx = cv2.approxPolyDP(hull, 0.03 * peri, True)
    if len(approx) == 4 and cv2.isContourConvex(approx):
        quad = approx.reshape(4, 2).astype(np.float32)
    else:
        # Rounded corners or a clip on one edge: the minimum-area rectangle, if it fits well.
        rect = cv2.minAreaRect(contour)
        (rw, rh) = rect[1]
        if rw * rh <= 0 or cv2.contourArea(hull) < 0.88 * rw * rh:
            return None
        quad = cv2.boxPoints(rect).astype(np.float32)
    return _order(quad)


def _order(q: np.ndarray) -> np.ndarray:
    """Top-left, top-right, bottom-right, bottom-left."""
    s = q.sum(1)
    d = np.diff(q, axis=1).ravel()
    return np.float32([q[np.argmin(s)], q[np.argmin(d)], q[np.argmax(s)], q[np.argmax(d)]])


def _sides(q: np.ndarray) -> list[float]:
    return [float(np.linalg.norm(q[i] - q[(i + 1) % 4])) for i in range(4)]


def _card_aspect(q: np.ndarray) -> bool:
    s = _sides(q)
    if min(s) < 24:
        return False
    across, down = (s[0] + s[2]) / 2, (s[1] + s[3]) / 2
    if max(s[0], s[2]) > 1.6 * min(s[0], s[2]) or max(s[1], s[3]) > 1.6 * min(s[1], s[3]):
        return False  # more perspective than a card held up to a camera
    ratio = max(across, down) / min(across, down)
    return CARD_ASPECT[0] <= ratio <= CARD_ASPECT[1]


def _photo_aspect(q: np.ndarray) -> bool:
    """A passport-style photograph: upright (within a tilt), taller than wide."""
    s = _sides(q)
    across, down = (s[0] + s[2]) / 2, (s[1] + s[3]) / 2
    return min(s) >= 16 and 1.1 <= down / across <= 1.55


def _around_photo(q: np.ndarray) -> list[np.ndarray]:
    """Where the card would be: the photo at the top of a portrait badge, or at the left
    of a landscape one."""
    tl, tr, br, bl = q
    u, v = tr - tl, bl - tl  # the photo's width and height, as vectors
    portrait = np.float32(
        [
            tl - 0.45 * u - 0.4 * v,
            tr + 0.45 * u - 0.4 * v,
            br + 0.45 * u + 1.0 * v,
            bl - 0.45 * u + 1.0 * v,
        ]
    )
    landscape = np.float32(
        [
            tl - 0.2 * u - 0.25 * v,
            tr + 2.3 * u - 0.25 * v,
            br + 2.3 * u + 0.1 * v,
            bl - 0.2 * u + 0.1 * v,
        ]
    )
    return [portrait, landscape]


def rectify(picture: np.ndarray, quad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The card seen straight on (long side CANON), and the homography back to the picture."""
    s = _sides(quad)
    across, down = (s[0] + s[2]) / 2, (s[1] + s[3]) / 2
    if across >= down:
        w, h = CANON, round(CANON * down / across)
    else:
        w, h = round(CANON * across / down), CANON
    dst = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    M = cv2.getPerspectiveTransform(quad.astype(np.float32), dst)
    card = cv2.warpPerspective(picture, M, (w, h), flags=cv2.INTER_AREA)
    return card, np.linalg.inv(M)


def print_share(card: np.ndarray, photo: tuple[int, int, int, int]) -> float:
    """Share of the card outside the photo (and its margin) covered by rows of small print."""
    h, w = card.shape
    grad = cv2.morphologyEx(card, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8))
    _, ink = cv2.threshold(grad, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    m = max(2, round(0.04 * min(h, w)))  # the card's border is no print
    ink[:m] = 0
    ink[-m:] = 0
    ink[:, :m] = 0
    ink[:, -m:] = 0
    x0, y0, x1, y1 = photo
    ink[y0:y1, x0:x1] = 0
    # Letters joined into words and lines: short, wide blobs of a letter's height.
    lines = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((3, max(3, w // 40)), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
    covered = 0
    for i in range(1, n):
        _, _, bw, bh, _ = stats[i]
        if 0.015 * h <= bh <= 0.2 * h and bw >= 1.5 * bh and bw >= 0.06 * w:
            covered += bw * bh
    free = h * w - (x1 - x0) * (y1 - y0)
    return covered / max(1.0, float(free))


def plain_share(card: np.ndarray, photo: tuple[int, int, int, int]) -> float:
    """Share of the card outside the photo that is plain (a card's printed ground), not the
    texture of a shirt, a crowd or a room."""
    grad = cv2.morphologyEx(card, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8))
    flat = grad < 16
    x0, y0, x1, y1 = photo
    flat[y0:y1, x0:x1] = False
    free = card.size - (x1 - x0) * (y1 - y0)
    return float(flat.sum()) / max(1.0, float(free))


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    ix = max(0, min(ax + aw, bx + bw) - max(ax, bx))
    iy = max(0, min(ay + ah, by + bh) - max(ay, by))
    return ix * iy / max(1, min(aw * ah, bw * bh))


def _quad_iou(a: np.ndarray, b: np.ndarray) -> float:
    ax, ay, aw, ah = cv2.boundingRect(a.astype(np.int32))
    bx, by, bw, bh = cv2.boundingRect(b.astype(np.int32))
    ix = max(0, min(ax + aw, bx + bw) - max(ax, bx))
    iy = max(0, min(ay + ah, by + bh) - max(ay, by))
    inter = ix * iy
    return inter / max(1, aw * ah + bw * bh - inter)
