"""Reference logos found in a picture: one ORB pass, one combined index, RANSAC per rendering.

The picture's ORB features (computed once, on the grey image the scanner
downscaled once) are looked up in a single LSH index over every rendering of
every reference. A feature votes for a rendering when its nearest neighbour
there is clearly closer than the nearest neighbour in any other reference
(Lowe's ratio test, across references: two sizes of the same crown do not
cancel each other out). Only renderings with enough votes go on to a RANSAC
homography, and a match must then pass checks on the geometry: enough distinct
inliers, a good part of the reference covered (not one corner of it), and an
outline that maps to a convex quadrilateral a tilt or a rotation can produce.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import cv2
import numpy as np

from prudent.images.library import Library, Variant

DEBUG = bool(os.environ.get("PRUDENT_LOGO_DEBUG"))

VOTES = 1  # candidate reference features per image feature and rendering
MAX_BUCKET = 8  # reference features sharing one hash key, at most
GRID = 8  # features are spread over GRID x GRID cells
MAX_DISTANCE = 72  # Hamming, of 256 bits: farther is no match whatever the ratio


class BinaryIndex:
    """Locality-sensitive hashing of 256-bit descriptors: a few bit positions per table.

    Two descriptors of the same point differ in about 30 to 60 bits; the chance
    they agree on all ``bits`` sampled positions of one table is then 0.1 to 0.2,
    and over ``tables`` tables a true match is found 4 times in 5, while a
    random descriptor collides with about ``n / 2**bits`` per table. Candidates
    are then measured exactly. All in numpy, a few milliseconds per picture.
    """

    def __init__(self, descriptors: np.ndarray, tables: int = 16, bits: int = 14) -> None:
        rng = np.random.default_rng(20260101)
        self.descriptors = descriptors
        self.bits = bits
        # Every table's sampled positions side by side, and one sorted array of
        # (table << bits | key) for all tables: one lookup per picture, not one per table.
        self.positions = np.concatenate(
            [np.sort(rng.choice(256, bits, replace=False)) for _ in range(tables)]
        )
        self.weights = (1 << np.arange(bits, dtype=np.int64))[::-1]
        self.tables = tables
        keys = self._keys(descriptors)  # N x tables
        rows = np.repeat(np.arange(len(descriptors)), tables)
        flat = keys.ravel()
        # A key shared by many reference features (a plain edge, a flat patch) tells
        # nothing and costs much: left out of the index, like a stop word.
        _, inverse, counts = np.unique(flat, return_inverse=True, return_counts=True)
        keep = counts[inverse] <= MAX_BUCKET
        order = np.argsort(flat[keep], kind="stable")
        sorted_keys = flat[keep][order]
        self.sorted_rows = rows[keep][order]
        # Where each possible key's run starts in sorted_rows: a lookup is two reads.
        self.starts = np.searchsorted(sorted_keys, np.arange((tables << bits) + 1))
        self.words = np.ascontiguousarray(descriptors).view(np.uint64)  # N x 4

    def _keys(self, descriptors: np.ndarray) -> np.ndarray:
        bits = np.unpackbits(descriptors, axis=1)[:, self.positions]
        keys = (
            bits.reshape(len(descriptors), self.tables, self.bits).astype(np.int64) @ self.weights
        )
        return keys + (np.arange(self.tables, dtype=np.int64) << self.bits)

    def candidates(self, query: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(query index, indexed descriptor, Hamming distance) of every colliding pair."""
        keys = self._keys(query).ravel()
        lo = self.starts[keys]
        n = self.starts[keys + 1] - lo
        total = int(n.sum())
        if not total:
            empty = np.zeros(0, np.int64)
            return empty, empty, empty
        q = np.repeat(np.arange(len(keys)) // self.tables, n)
        offsets = np.arange(total) - np.repeat(np.cumsum(n) - n, n)
        r = self.sorted_rows[np.repeat(lo, n) + offsets]  # repeats are dropped by the caller
        words = np.ascontiguousarray(query).view(np.uint64)
        d = np.bitwise_count(words[q] ^ self.words[r]).sum(1, dtype=np.int64)
        return q, r, d


@dataclass(frozen=True)
class LogoSettings:
    min_inliers: int = 12
    ratio: float = 0.8
    min_inlier_share: float = 0.2  # inliers / votes for that rendering
    min_coverage: float = 0.05  # inliers' hull / rendering area
    max_side: int = 1024  # the picture is searched at this long side
    features: int = 1000  # ORB features of the searched picture
    levels: int = 6  # ORB pyramid levels of the searched picture (scale factor 1.2)
    candidates_per_feature: int = 3  # ORB corners detected per feature kept (the grid picks)
    lsh_tables: int = 16  # hash tables of the index
    lsh_bits: int = 14  # bits sampled per table
    verified: int = 8  # renderings with the most votes that go on to RANSAC
    min_appearance: float = 0.6  # correlation of the mark, warped back, with the rendering
    strong_inliers: int = 36  # this many distinct inliers need only ...
    strong_appearance: float = 0.4  # ... this correlation (a logo partly covered)
    few_inliers: int = 5  # fewer than min_inliers (small lettering) will do, with ECC
    refine_from: float = 0.2  # a match looking at least this alike is aligned by ECC first


@dataclass(frozen=True)
class LogoMatch:
    reference: int  # index into Library.references
    inliers: int
    box: tuple[int, int, int, int]  # x, y, width, height in the original image's pixels
    negative: bool
    score: float  # inliers / features of the rendering in the box, 0..1
    look: float = 1.0  # the appearance check's correlation


class LogoMatcher:
    def __init__(self, library: Library, settings: LogoSettings) -> None:
        self.library = library
        self.settings = settings
        self.orb = cv2.ORB_create(
            nfeatures=settings.candidates_per_feature * settings.features,
            scaleFactor=1.2,
            nlevels=settings.levels,
            edgeThreshold=15,
            patchSize=31,
            fastThreshold=10,
        )
        variants = library.variants
        self.index: BinaryIndex | None = None
        if variants:
            self.points = np.concatenate([v.points for v in variants])
            self.angles = np.concatenate([v.angles for v in variants])
            self.sizes = np.concatenate([v.sizes for v in variants])
            self.owner = np.concatenate(
                [np.full(len(v.descriptors), i, np.int32) for i, v in enumerate(variants)]
            )
            # The ratio test compares families: the GOV.UK logo holds the crown, and the
            # English and French signatures hold the same two lines, swapped.
            families = {r.family or r.id: i for i, r in enumerate(library.references)}
            family = np.array(
                [
                    families[
                        library.references[v.reference].family or library.references[v.reference].id
                    ]
                    for v in variants
                ],
                np.int32,
            )
            self.mark_of = family[self.owner]  # family of each indexed descriptor
            self.family = {v.reference: int(family[i]) for i, v in enumerate(variants)}
            self.index = BinaryIndex(
                np.concatenate([v.descriptors for v in variants]),
                settings.lsh_tables,
                settings.lsh_bits,
            )

    def match(self, gray: np.ndarray, scale: float = 1.0) -> list[LogoMatch]:
        """Logos in ``gray`` (already at most ``max_side``); boxes times ``scale`` = original px."""
        if self.index is None:
            return []
        kps, des = self.features(gray)
        if des is None or len(kps) < self.settings.few_inliers:
            return []
        img_pts = np.float32([kp.pt for kp in kps])
        img_geo = np.float32([(kp.angle, kp.size, kp.pt[0], kp.pt[1]) for kp in kps])
        votes = self._votes(des)
        found: dict[int, LogoMatch] = {}
        for variant, pairs in votes.items():
            before = len(pairs)
            pairs = self._consistent(pairs, img_geo)
            if DEBUG:
                ref = self.library.references[self.library.variants[variant].reference].id
                print(
                    f"  votes {ref}/{self.library.variants[variant].size} {before} -> {len(pairs)}"
                )
            if len(pairs) < self.settings.few_inliers:
                continue
            m = self._verify(variant, pairs, img_pts, gray, scale)
            if m is not None and (
                m.reference not in found or found[m.reference].inliers < m.inliers
            ):
                found[m.reference] = m
        return _outermost(sorted(found.values(), key=lambda m: -m.box[2] * m.box[3]), self.family)

    def features(self, gray: np.ndarray) -> tuple[list[cv2.KeyPoint], np.ndarray | None]:
        """ORB features spread over the picture: the strongest in each cell of a grid, so a
        small logo keeps its share when a busy region (foliage, a starry sky) has stronger corners."""
        s = self.settings
        kps = self.orb.detect(gray, None)
        if len(kps) > s.features:
            h, w = gray.shape
            xy = np.array([k.pt for k in kps])
            response = np.array([k.response for k in kps])
            cell = (
                np.minimum(xy[:, 1] * GRID // h, GRID - 1) * GRID
                + np.minimum(xy[:, 0] * GRID // w, GRID - 1)
            ).astype(np.int64)
            order = np.lexsort((-response, cell))
            first = np.searchsorted(cell[order], np.arange(GRID * GRID))
            rank = np.arange(len(order)) - first[cell[order]]
            per_cell = s.features // (GRID * GRID) + 1
            keep = order[rank < per_cell]
            if len(keep) < s.features:  # what the sparse cells left, to the strongest elsewhere
                rest = np.setdiff1d(np.argsort(-response), keep, assume_unique=True)
                keep = np.concatenate([keep, rest[: s.features - len(keep)]])
            kps = [kps[i] for i in keep]
        return self.orb.compute(gray, kps)

    def _votes(self, des: np.ndarray) -> dict[int, list[tuple[int, int]]]:
        """{rendering: [(image feature, reference feature)]} that pass the ratio test."""
        s = self.settings
        assert self.index is not None
        q, r, d = self.index.candidates(des)
        if len(q) == 0:
            return {}
        order = np.lexsort((d, q))
        q, r, d = q[order], r[order], d[order]
        starts = np.flatnonzero(np.r_[True, q[1:] != q[:-1]])
        group = np.cumsum(np.r_[False, q[1:] != q[:-1]])  # group number of each pair
        mark = self.mark_of[r]
        best_mark = mark[starts][group]
        # The nearest neighbour in any other reference bounds the ratio test.
        other = np.where(mark != best_mark, d, MAX_DISTANCE / s.ratio).astype(np.float32)
        nearest_other = np.minimum.reduceat(other, starts)[group]
        ok = (mark == best_mark) & (d < s.ratio * nearest_other) & (d <= MAX_DISTANCE)
        q, r, variant = q[ok], r[ok], self.owner[r[ok]]
        # At most VOTES per image feature and rendering, its nearest (pairs are sorted by
        # distance): lettering repeats ("Government of Canada"), and RANSAC picks the right one.
        key = q.astype(np.int64) * len(self.library.variants) + variant
        order = np.argsort(key, kind="stable")
        key_sorted = key[order]
        first = np.searchsorted(key_sorted, key_sorted, "left")
        keep = order[np.arange(len(order)) - first < VOTES]
        q, r, variant = q[keep], r[keep], variant[keep]
        votes: dict[int, list[tuple[int, int]]] = {}
        counts = np.bincount(variant, minlength=len(self.library.variants))
        ranked = np.argsort(-counts, kind="stable")[: s.verified]
        for v in ranked[counts[ranked] >= s.few_inliers]:
            sel = variant == v
            votes[int(v)] = list(zip(q[sel].tolist(), r[sel].tolist(), strict=True))
        return votes

    def _consistent(
        self, pairs: list[tuple[int, int]], img_geo: np.ndarray
    ) -> list[tuple[int, int]]:
        """The pairs that agree on rotation and scale (Lowe's Hough step): the one peak of a
        coarse histogram and its neighbours. Cheap, and it spares RANSAC the noise."""
        q = np.array([p[0] for p in pairs])
        r = np.array([p[1] for p in pairs])
        turn = (img_geo[q, 0] - self.angles[r]) % 360.0
        zoom = np.log2(img_geo[q, 1] / self.sizes[r])
        a = np.floor(turn / 30.0).astype(np.int64) % 12
        z = np.floor(zoom / 0.5).astype(np.int64) + 8
        z = np.clip(z, 0, 15)
        hist = np.zeros((12, 16), np.int64)
        np.add.at(hist, (a, z), 1)
        pa, pz = np.unravel_index(int(hist.argmax()), hist.shape)
        da = np.minimum((a - pa) % 12, (pa - a) % 12)
        keep = np.flatnonzero((da <= 1) & (np.abs(z - pz) <= 1))
        if len(keep) < self.settings.few_inliers:
            return []
        # ... and on where the rendering's origin lands in the picture.
        theta = np.radians(turn[keep])
        k = 2.0 ** zoom[keep]
        src, dst = self.points[r[keep]], img_geo[q[keep], 2:4]
        ox = dst[:, 0] - k * (np.cos(theta) * src[:, 0] - np.sin(theta) * src[:, 1])
        oy = dst[:, 1] - k * (np.sin(theta) * src[:, 0] + np.cos(theta) * src[:, 1])
        cell = max(8.0, float(np.median(k)) * float(np.ptp(src, axis=0).max()) / 4)
        gx, gy = np.floor(ox / cell).astype(np.int64), np.floor(oy / cell).astype(np.int64)
        key = gx * 100_003 + gy
        values, counts = np.unique(key, return_counts=True)
        bx, by = divmod(int(values[counts.argmax()]), 100_003)
        if by > 50_000:
            bx, by = bx + 1, by - 100_003
        near = (np.abs(gx - bx) <= 1) & (np.abs(gy - by) <= 1)
        return [pairs[i] for i in keep[near]]

    def _verify(
        self,
        variant: int,
        pairs: list[tuple[int, int]],
        img_pts: np.ndarray,
        gray: np.ndarray,
        scale: float,
    ) -> LogoMatch | None:
        s = self.settings
        shape = gray.shape
        v = self.library.variants[variant]
        src = self.points[[p[1] for p in pairs]]
        dst = img_pts[[p[0] for p in pairs]]
        rw, rh = v.size
        ref = self.library.references[v.reference].id
        corners = np.float32([[0, 0], [rw, 0], [rw, rh], [0, rh]]).reshape(-1, 1, 2)
        # A homography first (a tilt); then an affine map, which a wide, thin mark's
        # points (two lines of lettering, nearly collinear) pin down where a homography
        # swings wild. Each must put the whole drawing where the features say.
        for model in ("homography", "affine", "similarity"):
            if model == "homography":
                H, mask = cv2.findHomography(
                    src, dst, cv2.USAC_FAST, 5.0, maxIters=200, confidence=0.99
                )
            elif model == "affine":
                A, mask = cv2.estimateAffine2D(src, dst, ransacReprojThreshold=4.0, maxIters=200)
                H = None if A is None else np.vstack([A, [0.0, 0.0, 1.0]])
            else:
                A, mask = cv2.estimateAffinePartial2D(
                    src, dst, ransacReprojThreshold=4.0, maxIters=200
                )
                H = None if A is None else np.vstack([A, [0.0, 0.0, 1.0]])
            if H is None or mask is None:
                continue
            inl = mask.ravel().astype(bool)
            # One image point may serve many reference points (and vice versa): count distinct.
            n_dst = len(np.unique(np.round(dst[inl]), axis=0))
            n_src = len(np.unique(np.round(src[inl]), axis=0))
            n = min(n_dst, n_src)
            why = ""
            if n < s.few_inliers or n < s.min_inlier_share * len(pairs):
                why = f"inliers {n}/{len(pairs)}"
            elif (
                cv2.contourArea(cv2.convexHull(src[inl].reshape(-1, 1, 2)))
                < s.min_coverage * rw * rh
            ):
                why = "coverage"
            else:
                quad = cv2.perspectiveTransform(corners, H).reshape(-1, 2)
                if not plausible(quad, H, shape, v.size):
                    why = "outline"
            if why:
                if DEBUG:
                    print(f"  {model} {ref} rejected: {why}")
                continue
            need = s.strong_appearance if n >= s.strong_inliers else s.min_appearance
            look = appearance(gray, H, v)
            if look < need and look >= s.refine_from and n < s.min_inliers:
                # A few inliers pin the mark only roughly: let the picture itself align it.
                H = refine(gray, H, v)
                if DEBUG:
                    print(f"  refine {ref} from {look:.2f} to {appearance(gray, H, v):.2f}")
                look = appearance(gray, H, v)
                quad = cv2.perspectiveTransform(corners, H).reshape(-1, 2)
                if not plausible(quad, H, shape, v.size):
                    look = 0.0
            if DEBUG:
                print(f"  {model} {ref} n={n} look={look:.2f}")
            if look < need:
                continue
            ih, iw = shape[:2]
            x0, y0 = np.clip(quad.min(0), 0, [iw, ih])
            x1, y1 = np.clip(quad.max(0), 0, [iw, ih])
            # How many of the rendering's features inside the box agree.
            score = min(1.0, n / max(1.0, 0.5 * len(v.points)))
            box = tuple(round(float(c) * scale) for c in (x0, y0, x1 - x0, y1 - y0))
            return LogoMatch(v.reference, n, box, v.negative, round(score, 3), round(look, 3))  # type: ignore[arg-type]
        return None


def refine(gray: np.ndarray, H: np.ndarray, v: Variant) -> np.ndarray:
    """``H`` improved by ECC (Evangelidis and Psarakis): the homography that best
    correlates the rendering with the picture, started from the features' estimate."""
    template = v.picture.astype(np.float32)
    if v.negative:
        template = 255.0 - template
    k = float(np.sqrt(abs(np.linalg.det(H[:2, :2]))))
    if k < 1.0:  # work at the picture's detail: the rendering shrunk to the mark's size
        f = max(k, 0.25)
        size = (max(8, round(template.shape[1] * f)), max(8, round(template.shape[0] * f)))
        template = cv2.resize(template, size, interpolation=cv2.INTER_AREA)
        S = np.diag([template.shape[1] / v.size[0], template.shape[0] / v.size[1], 1.0])
    else:
        S = np.eye(3)
    # Only the neighbourhood of the mark: ECC takes the gradient of its whole input.
    corners = np.float32([[0, 0], [v.size[0], 0], [v.size[0], v.size[1]], [0, v.size[1]]])
    quad = cv2.perspectiveTransform(corners.reshape(-1, 1, 2), H).reshape(-1, 2)
    pad = 0.15 * float(np.ptp(quad, axis=0).max()) + 8
    ih, iw = gray.shape[:2]
    x0, y0 = (max(0, int(c - pad)) for c in quad.min(0))
    x1, y1 = min(iw, int(quad[:, 0].max() + pad)), min(ih, int(quad[:, 1].max() + pad))
    if x1 - x0 < 16 or y1 - y0 < 16:
        return H
    T = np.array([[1.0, 0, -x0], [0, 1.0, -y0], [0, 0, 1.0]])
    warp = (T @ H @ np.linalg.inv(S)).astype(np.float32)
    warp /= warp[2, 2]
    try:
        _, warp = cv2.findTransformECC(
            template,
            gray[y0:y1, x0:x1].astype(np.float32),
            warp,
            cv2.MOTION_HOMOGRAPHY,
            (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 30, 1e-4),
            None,  # OpenCV 5.0 refuses a uint8 mask here; the flag helps align anyway
            3,
        )
    except cv2.error as exc:
        if DEBUG:
            print("  ECC failed", str(exc)[-80:])
        return H
    return np.linalg.inv(T) @ warp.astype(np.float64) @ S


def appearance(gray: np.ndarray, H: np.ndarray, v: Variant) -> float:
    """How much the picture, seen through ``H`` in the rendering's frame, looks like the
    rendering: the correlation of their grey levels (negated for a light-on-dark match),
    both blurred to the detail the picture holds, flag left out. Features agreeing on a
    geometry can still sit on another drawing (the GOV of LOGIN.GOV, a row of letters);
    the whole drawing in its place cannot."""
    rw, rh = v.size
    if v.picture.size == 0:
        return 1.0  # a library cached without renderings: geometry alone decides
    patch = cv2.warpPerspective(
        gray, H, (rw, rh), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP, borderValue=0
    )
    inside = cv2.warpPerspective(
        np.full(gray.shape, 255, np.uint8),
        H,
        (rw, rh),
        flags=cv2.WARP_INVERSE_MAP | cv2.INTER_NEAREST,
    )
    k = float(np.sqrt(abs(np.linalg.det(H[:2, :2]))))  # picture pixels per rendering pixel
    sigma = max(1.0, 0.7 / max(k, 1e-3))
    a = cv2.GaussianBlur(patch.astype(np.float32), (0, 0), sigma)
    b = cv2.GaussianBlur(v.picture.astype(np.float32), (0, 0), sigma)
    keep = (inside > 0) & (v.weight > 0)
    if keep.sum() < 0.5 * rw * rh:
        return 0.0
    a, b = a[keep], b[keep]
    a -= a.mean()
    b -= b.mean()
    r = float((a * b).sum() / (np.sqrt((a * a).sum() * (b * b).sum()) + 1e-9))
    return -r if v.negative else r


def _outermost(matches: list[LogoMatch], family: dict[int, int]) -> list[LogoMatch]:
    """One finding per mark: the crown inside a GOV.UK logo found is that logo, not two;
    of two marks of a family in one place (the English and the French signature, the
    same words in another order), the one that looks more like the picture."""
    kept: list[LogoMatch] = []
    for m in matches:  # largest first
        x, y, w, h = m.box
        same = [
            k
            for k in kept
            if family[k.reference] == family[m.reference]
            and max(0, min(x + w, k.box[0] + k.box[2]) - max(x, k.box[0]))
            * max(0, min(y + h, k.box[1] + k.box[3]) - max(y, k.box[1]))
            >= 0.7 * w * h
        ]
        if not same:
            kept.append(m)
            continue
        for k in same:  # one place, two drawings of the same size: the closer look wins
            if k.box[2] * k.box[3] < 1.5 * w * h and m.look > k.look:
                kept[kept.index(k)] = m
                break
    return kept


def plausible(
    quad: np.ndarray, H: np.ndarray, shape: tuple[int, ...], ref_size: tuple[int, int]
) -> bool:
    """Could a printed logo, scaled, rotated and seen at an angle, have this outline?"""
    why = implausible(quad, H, shape, ref_size)
    if why and DEBUG:
        print(f"    outline: {why}")
    return not why


def implausible(
    quad: np.ndarray, H: np.ndarray, shape: tuple[int, ...], ref_size: tuple[int, int]
) -> str:
    """Why no printed logo, scaled, rotated and seen at an angle, has this outline ("": it could)."""
    if not np.all(np.isfinite(quad)):
        return "not finite"
    if not cv2.isContourConvex(quad.reshape(-1, 1, 2).astype(np.float32)):
        return "not convex"
    area = cv2.contourArea(quad.astype(np.float32))
    ih, iw = shape[:2]
    if area < 16 * 16 or area > 4.0 * iw * ih:
        return "too small or too large"
    if float(np.linalg.det(H[:2, :2])) <= 0:  # a mirror image is no placement of a printed logo
        return "mirrored"
    sides = [float(np.linalg.norm(quad[i] - quad[(i + 1) % 4])) for i in range(4)]
    if min(sides) < 6:
        return "a side too short"
    # Opposite sides of a logo seen in perspective keep comparable lengths.
    if max(sides[0], sides[2]) > 3 * min(sides[0], sides[2]):
        return "top and bottom unequal"
    if max(sides[1], sides[3]) > 3 * min(sides[1], sides[3]):
        return "left and right unequal"
    # Corners stay near right angles (a tilt of up to about 60 degrees).
    for i in range(4):
        a = quad[i - 1] - quad[i]
        b = quad[(i + 1) % 4] - quad[i]
        cos = float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-9))
        if abs(cos) > 0.6:
            return "a corner far from square"
    width, height = (sides[0] + sides[2]) / 2, (sides[1] + sides[3]) / 2
    aspect = (width / height) / (ref_size[0] / ref_size[1])
    return "" if 1 / 2.5 <= aspect <= 2.5 else "aspect"
