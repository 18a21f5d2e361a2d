"""The reference library: the shipped government marks and the user's own logos, as features.

Every reference (an SVG rasterised with resvg, or a raster file) is described
with ORB at several sizes and in both polarities (a white crown on a black
header is the same crown). Features of a mark's flag (``ignore_paths``) are
dropped: a flag alone is not a logo. The features are cached on disk, keyed by
the source files' digests and the settings, so a build does not rasterise again.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from prudent.images.marks import Mark, MarkError, load_marks, verified_svg

LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp", ".tif", ".tiff", ".svg")
LIBRARY_VERSION = "library-5"


@dataclass(frozen=True)
class LibrarySettings:
    sizes: tuple[int, ...] = (72, 120, 200)  # square root of each rendering's area, pixels
    features: int = 300  # ORB features per rendering and polarity
    levels: int = 3  # ORB pyramid levels of a rendering (the searched image has its own)
    min_features: int = 40  # a logo with fewer at its largest size is refused
    flag_anchors: bool = True  # a mark's flag locates it; only the rest of it can match


@dataclass
class Variant:
    """One rendering of one reference: its ORB points and descriptors."""

    reference: int  # index into Library.references
    size: tuple[int, int]  # width, height of the rendering
    points: np.ndarray  # N x 2 float32, in the rendering's pixels
    descriptors: np.ndarray  # N x 32 uint8
    negative: bool
    angles: np.ndarray  # N float32, degrees (ORB's orientation)
    sizes: np.ndarray  # N float32, the feature's diameter in the rendering's pixels
    # The rendering itself (grey, the mark dark on white whatever ``negative`` says), with
    # the flag painted out as 0 in ``weight``: what a match's appearance is checked against.
    picture: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.uint8))
    weight: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.uint8))


@dataclass(frozen=True)
class ReferenceInfo:
    id: str  # mark id, or the file name of a user's logo
    name: str  # what the finding calls it
    origin: str  # "govuk-frontend 6.6.0", or "guardrails/logos/seal.png"
    family: str = ""


@dataclass
class Library:
    references: list[ReferenceInfo] = field(default_factory=list)
    variants: list[Variant] = field(default_factory=list)
    version: str = ""  # changes with any source file, the settings, OpenCV or resvg

    def __bool__(self) -> bool:
        return bool(self.variants)


class LogoError(Exception):
    """A reference logo that cannot be used (named, with the fix)."""


def reference_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in LOGO_SUFFIXES)


def select_marks(wanted: list[str] | None) -> list[Mark]:
    """The shipped marks named in ``wanted`` (None: all). Unknown ids raise ValueError."""
    marks = load_marks()
    if wanted is None:
        return marks
    ids = {m.id for m in marks}
    unknown = [w for w in wanted if w not in ids]
    if unknown:
        raise ValueError(
            f"unknown mark(s) {', '.join(unknown)}; the shipped marks are: {', '.join(sorted(ids))}"
        )
    return [m for m in marks if m.id in wanted]


def library_version(marks: list[Mark], files: list[Path], settings: LibrarySettings) -> str:
    h = hashlib.sha256(f"{LIBRARY_VERSION};{settings!r};cv2={cv2.__version__}".encode())
    h.update(f"resvg={_resvg_version()}".encode())
    for m in marks:
        h.update(f"mark:{m.id}:{m.sha256}:{m.ignore_paths}".encode())
    for p in files:
        h.update(p.name.encode() + b"\0" + hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()[:20]


def load_library(
    marks: list[Mark],
    files: list[Path],
    settings: LibrarySettings,
    cache_dir: Path | None = None,
    folder_name: str = "guardrails/logos",
) -> Library:
    """Features of every reference; read from ``cache_dir`` when the sources are unchanged."""
    key = library_version(marks, files, settings)
    cached = _read_cache(cache_dir, key) if cache_dir else None
    if cached is not None:
        cached.version = key
        return cached
    lib = Library(version=key)
    for mark in marks:
        try:
            svg = verified_svg(mark)
        except MarkError as exc:
            raise LogoError(str(exc)) from None
        aspect = _svg_aspect(svg.decode("utf-8"))
        sides = _long_sides(aspect[0] / aspect[1], settings.sizes)
        gray = {side: rasterise_svg(svg, side) for side in sides}
        ignore = _flag_mask(svg, mark.ignore_paths, sides) if mark.ignore_paths else {}
        lib.references.append(ReferenceInfo(mark.id, mark.name, mark.origin, mark.family))
        _describe(lib, len(lib.references) - 1, gray, ignore, settings, str(mark.path))
    for path in files:
        gray = _read_reference(path, settings)
        lib.references.append(ReferenceInfo(path.name, path.name, f"{folder_name}/{path.name}"))
        _describe(lib, len(lib.references) - 1, gray, {}, settings, str(path))
    if cache_dir:
        _write_cache(cache_dir, key, lib)
    return lib


# -- rasterising -----------------------------------------------------------------------


def _long_sides(aspect: float, sizes: tuple[int, ...]) -> tuple[int, ...]:
    """Long sides giving renderings of ``sizes`` (square root of the area): a wide mark is
    drawn wider, so its lettering is as large as a square mark's detail."""
    stretch = max(aspect, 1 / aspect) ** 0.5
    return tuple(round(s * stretch) for s in sizes)


def rasterise_svg(svg: bytes, long_side: int) -> np.ndarray:
    """The SVG drawn by resvg on white, its long side ``long_side`` pixels (grey levels)."""
    import resvg_py

    text = svg.decode("utf-8")
    w, h = _svg_aspect(text)
    kw = {"width": long_side} if w >= h else {"height": long_side}
    try:
        png = resvg_py.svg_to_bytes(
            svg_string=text, background="#ffffff", skip_system_fonts=True, **kw
        )
    except ValueError as exc:
        raise LogoError(f"resvg cannot draw it ({exc})") from None
    return cv2.imdecode(np.frombuffer(bytes(png), np.uint8), cv2.IMREAD_GRAYSCALE)


def _svg_aspect(text: str) -> tuple[float, float]:
    m = re.search(r'viewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)', text)
    if m:
        return float(m.group(1)), float(m.group(2))
    w = re.search(r'<svg[^>]*\swidth="([\d.]+)', text)
    h = re.search(r'<svg[^>]*\sheight="([\d.]+)', text)
    return (float(w.group(1)), float(h.group(1))) if w and h else (1.0, 1.0)


def _flag_mask(svg: bytes, paths: tuple[int, ...], sides: tuple[int, ...]) -> dict[int, np.ndarray]:
    """Where the flag is, per rendering size (255 = flag, with a margin)."""
    text = svg.decode("utf-8")
    found = list(re.finditer(r"<path\b.*?/>", text, re.S))
    flag_only = text
    for i, m in reversed(list(enumerate(found))):
        if i not in paths:
            flag_only = flag_only[: m.start()] + flag_only[m.end() :]
    out = {}
    for side in sides:
        gray = rasterise_svg(flag_only.encode("utf-8"), side)
        mask = (gray < 250).astype(np.uint8) * 255
        margin = max(3, side // 40)
        out[side] = cv2.dilate(mask, np.ones((2 * margin + 1, 2 * margin + 1), np.uint8))
    return out


def _read_reference(path: Path, settings: LibrarySettings) -> dict[int, np.ndarray]:
    data = path.read_bytes()
    if path.suffix.lower() == ".svg":
        try:
            w, h = _svg_aspect(data.decode("utf-8"))
            return {s: rasterise_svg(data, s) for s in _long_sides(w / h, settings.sizes)}
        except (LogoError, UnicodeDecodeError) as exc:
            raise LogoError(f"{path}: cannot draw this reference logo ({exc})") from None
    try:
        with Image.open(io.BytesIO(data)) as im:
            im.load()
            rgba = im.convert("RGBA")
    except (OSError, ValueError) as exc:
        raise LogoError(f"{path}: cannot read this reference logo ({exc})") from None
    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    full = np.asarray(Image.alpha_composite(white, rgba).convert("L"))
    h, w = full.shape
    out = {}
    for side in _long_sides(w / h, settings.sizes):
        f = side / max(h, w)
        size = (max(1, round(w * f)), max(1, round(h * f)))
        interp = cv2.INTER_AREA if f < 1 else cv2.INTER_CUBIC
        out[side] = cv2.resize(full, size, interpolation=interp)
    return out


# -- describing --------------------------------------------------------------------------

PAD = 20  # white margin around a rendering, so features at the logo's edge are kept


def reference_orb(settings: LibrarySettings) -> cv2.ORB:
    return cv2.ORB_create(
        nfeatures=settings.features,
        scaleFactor=1.25,
        nlevels=settings.levels,
        edgeThreshold=15,
        patchSize=31,
        fastThreshold=10,
    )


def _describe(
    lib: Library,
    ref: int,
    gray: dict[int, np.ndarray],
    ignore: dict[int, np.ndarray],
    settings: LibrarySettings,
    where: str,
) -> None:
    orb = reference_orb(settings)
    largest = max(gray)
    for side in sorted(gray):
        img = gray[side]
        padded = cv2.copyMakeBorder(img, PAD, PAD, PAD, PAD, cv2.BORDER_CONSTANT, value=255)
        allowed = np.full(padded.shape, 255, np.uint8)
        if side in ignore:
            flag = cv2.copyMakeBorder(
                ignore[side], PAD, PAD, PAD, PAD, cv2.BORDER_CONSTANT, value=0
            )
            allowed[flag > 0] = 0
        # The flag's features are kept to find the mark by (at a small size its lettering
        # has none), but never to decide: the appearance check leaves the flag out.
        detect = np.full(padded.shape, 255, np.uint8) if settings.flag_anchors else allowed
        for negative, picture in ((False, padded), (True, 255 - padded)):
            kps, des = orb.detectAndCompute(picture, detect)
            n = 0 if des is None else len(kps)
            if n < settings.min_features:
                if side == largest and not negative:
                    raise LogoError(
                        f"{where}: too little detail to recognise ({n} features); "
                        "use a larger, sharper image of the logo, cropped to it"
                    )
                continue
            pts = np.float32([kp.pt for kp in kps]) - PAD
            size = (img.shape[1], img.shape[0])
            angles = np.float32([kp.angle for kp in kps])
            sizes = np.float32([kp.size for kp in kps])
            keep = allowed[PAD:-PAD, PAD:-PAD]
            lib.variants.append(
                Variant(ref, size, pts, des, negative, angles, sizes, img.copy(), keep.copy())
            )


# -- cache ---------------------------------------------------------------------------------


def _read_cache(folder: Path, key: str) -> Library | None:
    path = folder / f"{key}.npz"
    try:
        with np.load(path, allow_pickle=False) as z:
            refs = [ReferenceInfo(*row) for row in z["refs"].tolist()]
            meta = z["meta"]
            lib = Library(refs)
            for i, row in enumerate(meta):
                lib.variants.append(
                    Variant(
                        int(row[0]),
                        (int(row[1]), int(row[2])),
                        z[f"p{i}"],
                        z[f"d{i}"],
                        bool(row[3]),
                        z[f"a{i}"],
                        z[f"s{i}"],
                        z[f"g{i}"],
                        z[f"w{i}"],
                    )
                )
            return lib
    except (OSError, KeyError, ValueError):
        return None


def _write_cache(folder: Path, key: str, lib: Library) -> None:
    arrays: dict[str, np.ndarray] = {
        "refs": np.array([[r.id, r.name, r.origin, r.family] for r in lib.references], dtype=str),
        "meta": np.array(
            [[v.reference, v.size[0], v.size[1], int(v.negative)] for v in lib.variants],
            dtype=np.int64,
        ).reshape(-1, 4),
    }
    for i, v in enumerate(lib.variants):
        arrays[f"p{i}"] = v.points
        arrays[f"d{i}"] = v.descriptors
        arrays[f"a{i}"] = v.angles
        arrays[f"s{i}"] = v.sizes
        arrays[f"g{i}"] = v.picture
        arrays[f"w{i}"] = v.weight
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{key}.{os.getpid()}.npz"
        np.savez(tmp, **arrays)
        os.replace(tmp, folder / f"{key}.npz")
    except OSError:
        pass  # an unwritable cache only costs time


def _resvg_version() -> str:
    try:
        return version("resvg-py")
    except Exception:
        return "unknown"
