"""Reference logos found in an image: ORB features, ratio test, RANSAC homography.

A match must survive, in order: Lowe's ratio test, a RANSAC homography with
enough inliers, and sanity checks on the geometry (the logo's outline maps to a
convex, not too skewed quadrilateral of a plausible size, and the inliers cover
a good part of the reference, not one corner of it). Each reference is also
matched in negative, for a light logo on a dark badge.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

# References are described at two sizes; ORB's pyramid (8 levels of 1.2) covers the scales
# between and below, so a logo from about 40 px to the whole image is found.
REFERENCE_SIDES = (480, 200)
LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp", ".tif", ".tiff")


@dataclass(frozen=True)
class LogoSettings:
    min_inliers: int = 15
    ratio: float = 0.8
    min_inlier_share: float = 0.25  # inliers / ratio-test survivors
    min_coverage: float = 0.10  # inliers' hull / reference area
    max_side: int = 640  # images are searched at this long side
    features: int = 1000  # ORB features of the searched image
    reference_features: int = 400  # per reference, size and polarity


@dataclass
class Reference:
    name: str  # file name in the reference folder
    size: tuple[int, int]  # width, height at REFERENCE_SIDE
    points: np.ndarray  # N x 2 float32
    descriptors: np.ndarray  # N x 32 uint8
    negative: bool = False


@dataclass(frozen=True)
class LogoMatch:
    name: str
    inliers: int
    box: tuple[int, int, int, int]  # x, y, width, height in the original image's pixels
    negative: bool


class LogoError(Exception):
    """A reference logo that cannot be used (named, with the fix)."""


def reference_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in LOGO_SUFFIXES)


def load_references(files: list[Path], settings: LogoSettings) -> list[Reference]:
    orb = _orb(settings.reference_features)
    refs: list[Reference] = []
    for path in files:
        try:
            with Image.open(path) as im:
                im.load()
                rgba = im.convert("RGBA")
        except (OSError, ValueError) as exc:
            raise LogoError(f"{path}: cannot read this reference logo ({exc})") from None
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        full = np.asarray(Image.alpha_composite(white, rgba).convert("L"))
        for side in REFERENCE_SIDES:
            refs += _describe(orb, path, full, side, settings)
    return refs


def _describe(
    orb: cv2.ORB, path: Path, full: np.ndarray, side: int, settings: LogoSettings
) -> list[Reference]:
    h, w = full.shape
    f = side / max(h, w)
    gray = cv2.resize(
        full, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA
    )
    pad = 24  # a margin, so features near the logo's edge are kept
    padded = cv2.copyMakeBorder(gray, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)
    out = []
    for negative, img in ((False, padded), (True, 255 - padded)):
        kps, des = orb.detectAndCompute(img, None)
        if des is None or len(kps) < settings.min_inliers * 2:
            if negative or side != REFERENCE_SIDES[0]:
                continue
            raise LogoError(
                f"{path}: too little detail to recognise ({len(kps or [])} features); "
                "use a larger, sharper image of the logo, cropped to it"
            )
        pts = np.float32([kp.pt for kp in kps]) - pad
        out.append(Reference(path.name, (gray.shape[1], gray.shape[0]), pts, des, negative))
    return out


def references_version(files: list[Path], settings: LogoSettings) -> str:
    h = hashlib.sha256(repr(settings).encode())
    h.update(f"sides={REFERENCE_SIDES};cv2={cv2.__version__}".encode())
    for p in files:
        h.update(p.name.encode() + b"\0" + hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()[:16]


def _orb(n: int) -> cv2.ORB:
    return cv2.ORB_create(
        nfeatures=n, scaleFactor=1.2, nlevels=8, edgeThreshold=15, patchSize=31, fastThreshold=12
    )


class LogoMatcher:
    def __init__(self, references: list[Reference], settings: LogoSettings) -> None:
        self.references = references
        self.settings = settings
        self.orb = _orb(settings.features)
        self.matcher = cv2.BFMatcher(cv2.NORM_HAMMING)

    def match(self, frame: Image.Image, scale: float = 1.0) -> list[LogoMatch]:
        if not self.references:
            return []
        gray = np.asarray(frame.convert("L"))
        h, w = gray.shape
        f = min(1.0, self.settings.max_side / max(h, w))
        if f < 1.0:
            gray = cv2.resize(gray, (round(w * f), round(h * f)), interpolation=cv2.INTER_AREA)
        kps, des = self.orb.detectAndCompute(gray, None)
        if des is None or len(kps) < self.settings.min_inliers:
            return []
        img_pts = np.float32([kp.pt for kp in kps])
        found: dict[str, LogoMatch] = {}
        for ref in self.references:
            m = self._match_one(ref, des, img_pts, gray.shape)
            if m is None:
                continue
            x, y, bw, bh = m[1]
            k = scale / f
            match = LogoMatch(
                ref.name,
                m[0],
                (round(x * k), round(y * k), round(bw * k), round(bh * k)),
                ref.negative,
            )
            if ref.name not in found or found[ref.name].inliers < match.inliers:
                found[ref.name] = match
        return list(found.values())

    def _match_one(
        self, ref: Reference, des: np.ndarray, img_pts: np.ndarray, shape: tuple[int, ...]
    ) -> tuple[int, tuple[int, int, int, int]] | None:
        s = self.settings
        pairs = self.matcher.knnMatch(ref.descriptors, des, k=2)
        good = [p[0] for p in pairs if len(p) == 2 and p[0].distance < s.ratio * p[1].distance]
        if len(good) < s.min_inliers:
            return None
        src = ref.points[[g.queryIdx for g in good]]
        dst = img_pts[[g.trainIdx for g in good]]
        H, mask = cv2.findHomography(src, dst, cv2.RANSAC, 6.0, maxIters=2000, confidence=0.995)
        if H is None or mask is None:
            return None
        inl = mask.ravel().astype(bool)
        # One image point may serve many reference points: count distinct ones.
        n_inliers = len({(round(p[0]), round(p[1])) for p in dst[inl]})
        if n_inliers < s.min_inliers or n_inliers < s.min_inlier_share * len(good):
            return None
        rw, rh = ref.size
        hull = cv2.convexHull(src[inl].reshape(-1, 1, 2))
        if cv2.contourArea(hull) < s.min_coverage * rw * rh:
            return None
        corners = np.float32([[0, 0], [rw, 0], [rw, rh], [0, rh]]).reshape(-1, 1, 2)
        quad = cv2.perspectiveTransform(corners, H).reshape(-1, 2)
        if not _plausible(quad, H, shape, ref.size):
            return None
        x0, y0 = quad.min(0)
        x1, y1 = quad.max(0)
        ih, iw = shape[:2]
        x0, y0 = max(0.0, float(x0)), max(0.0, float(y0))
        x1, y1 = min(float(iw), float(x1)), min(float(ih), float(y1))
        return n_inliers, (round(x0), round(y0), round(x1 - x0), round(y1 - y0))


def _plausible(
    quad: np.ndarray, H: np.ndarray, shape: tuple[int, ...], ref_size: tuple[int, int]
) -> bool:
    if not np.all(np.isfinite(quad)):
        return False
    if not cv2.isContourConvex(quad.reshape(-1, 1, 2).astype(np.float32)):
        return False
    area = cv2.contourArea(quad.astype(np.float32))
    ih, iw = shape[:2]
    if area < 24 * 24 or area > 4.0 * iw * ih:
        return False
    det = float(np.linalg.det(H[:2, :2]))
    if det <= 0:  # a mirror image is no placement of a printed logo
        return False
    sides = [float(np.linalg.norm(quad[i] - quad[(i + 1) % 4])) for i in range(4)]
    if min(sides) < 8:
        return False
    # Opposite sides of a logo seen in perspective keep comparable lengths.
    if max(sides[0], sides[2]) > 4 * min(sides[0], sides[2]):
        return False
    if max(sides[1], sides[3]) > 4 * min(sides[1], sides[3]):
        return False
    # ... and its aspect does not change beyond what a tilt can do.
    if abs(float(H[2, 0])) + abs(float(H[2, 1])) > 0.01:
        return False
    width, height = (sides[0] + sides[2]) / 2, (sides[1] + sides[3]) / 2
    aspect = (width / height) / (ref_size[0] / ref_size[1])
    return 1 / 3 <= aspect <= 3
