"""Scan image bytes: decode, NudeNet, logos, location; in parallel worker processes.

``scan_bytes`` is a pure function from bytes to a JSON-able result (what the
cache stores). ``Scanner`` runs it in worker processes that each load the models
once, or in this process for a handful of images (a pool costs more to start
than it saves).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np

from prudent.images.badge import BadgeDetector
from prudent.images.decode import Decoded, Unscannable, decode, sample_frames, sniff
from prudent.images.library import Library
from prudent.images.location import find_places
from prudent.images.logo import LogoMatcher, LogoSettings
from prudent.images.nudity import TILE_INPUT, NudityDetector
from prudent.images.svg import scan_svg
from prudent.progress import Progress

Result = dict[str, Any]
IN_PROCESS_BELOW = 4  # fewer images than this: no pool
MAX_LOGO_FRAMES = 4


@dataclass(frozen=True)
class ScanSettings:
    max_pixels: int = 64_000_000
    max_frames: int = 16
    tile_above: int = 1600
    tile_side: int = 800
    logo: LogoSettings = field(default_factory=LogoSettings)
    badges: bool = True
    svg_max_bytes: int = 20_000_000

    @property
    def work_side(self) -> int:
        return max(self.logo.max_side, 640)


class Models:
    """Everything a scan needs, loaded once per process."""

    def __init__(self, settings: ScanSettings, library: Library, threads: int = 1) -> None:
        self.settings = settings
        self.library = library
        self.nudity = NudityDetector(
            threads=threads, tile_above=settings.tile_above, tile_side=settings.tile_side
        )
        self.logos = LogoMatcher(library, settings.logo)
        self.badges = BadgeDetector(self.nudity) if settings.badges else None


def scan_bytes(data: bytes, models: Models, depth: int = 0) -> Result:
    """What is in these bytes. Never raises for bad input: it says ``unscannable``."""
    s = models.settings
    result: Result = {"format": sniff(data) if data else None}
    try:
        if result["format"] == "svg":
            return _scan_svg(data, models, depth, result)
        image = decode(
            data,
            max_pixels=s.max_pixels,
            max_frames=s.max_frames,
            work_side=s.work_side,
            big_above=s.tile_above,
            big_factor=TILE_INPUT / s.tile_side,
        )
    except Unscannable as exc:
        result["unscannable"] = str(exc)
        return result
    result.update(size=[image.width, image.height], frames=image.n_frames)
    result["detections"] = _nudity(image, models)
    result["logos"], result["badges"] = _logos_and_badges(image, models, result["detections"])
    result["places"] = [
        {"source": p.source, "detail": p.detail, "lat": p.latitude, "lon": p.longitude}
        for p in find_places(image.exif, image.xmp)
    ]
    return result


def _nudity(image: Decoded, models: Models) -> list[dict[str, Any]]:
    frame_numbers = sample_frames(image.n_frames, models.settings.max_frames)
    out = []
    long_side = max(image.width, image.height)
    for number, frame in zip(frame_numbers, image.frames, strict=True):
        for d in models.nudity.detect(frame, image.scale, long_side):
            out.append({"label": d.label, "score": d.score, "box": list(d.box), "frame": number})
    return out


def _logos_and_badges(
    image: Decoded, models: Models, detections: list[dict[str, Any]] | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Logos and ID badges, on one grey copy of each frame downscaled once."""
    frame_numbers = sample_frames(image.n_frames, models.settings.max_frames)
    picks = sample_frames(len(image.frames), MAX_LOGO_FRAMES)
    logos: list[dict[str, Any]] = []
    badges: list[dict[str, Any]] = []
    refs = models.library.references
    for i in picks:
        gray, scale = _gray(image, i, models.settings.logo.max_side)
        for m in models.logos.match(gray, scale):
            ref = refs[m.reference]
            logos.append(
                {
                    "id": ref.id,
                    "name": ref.name,
                    "origin": ref.origin,
                    "inliers": m.inliers,
                    "score": float(m.score),
                    "box": [int(v) for v in m.box],
                    "negative": m.negative,
                    "frame": frame_numbers[i],
                }
            )
        if models.badges is not None:
            faces = [
                tuple(c / scale for c in d["box"])
                for d in detections or []
                if d["frame"] == frame_numbers[i] and d["label"].startswith("FACE_")
            ]
            for b in models.badges.find(gray, np.asarray(image.frames[i]), scale, faces):
                badges.append(
                    {
                        "score": float(b.score),
                        "box": [int(v) for v in b.box],
                        "face": [int(v) for v in b.face],
                        "frame": frame_numbers[i],
                    }
                )
    return logos, badges


def _gray(image: Decoded, index: int, max_side: int) -> tuple[np.ndarray, float]:
    """Frame ``index`` in grey levels, long side at most ``max_side``; and its scale to the original."""
    rgb = np.asarray(image.frames[index])
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    h, w = gray.shape
    f = min(1.0, max_side / max(h, w))
    if f < 1.0:
        gray = cv2.resize(gray, (round(w * f), round(h * f)), interpolation=cv2.INTER_AREA)
    return gray, image.scale / f


def _scan_svg(data: bytes, models: Models, depth: int, result: Result) -> Result:
    svg = scan_svg(data, max_bytes=models.settings.svg_max_bytes)
    result["active"] = svg.active
    result["external"] = svg.external
    result["embedded"] = []
    if depth >= 2:
        if svg.rasters:
            result["unscannable"] = "an SVG nested in an SVG nested in an SVG"
        return result
    for raster in svg.rasters:
        result["embedded"].append(scan_bytes(raster, models, depth + 1))
    return result


# -- running many ---------------------------------------------------------------

_worker_models: Models | None = None
_RETRY: Result = {"retry": True}


def _workers_can_start() -> bool:
    """Worker processes re-import ``__main__``: impossible when it came from stdin or ``-c``."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if spec is not None and getattr(spec, "name", None):
        return True
    path = getattr(main, "__file__", None)
    return path is None or os.path.isfile(path)


def _init_worker(settings: ScanSettings, library: Library) -> None:
    global _worker_models
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import cv2

    cv2.setNumThreads(1)
    _worker_models = Models(settings, library, threads=1)


def _worker_scan(key: str, data: bytes) -> tuple[str, Result]:
    assert _worker_models is not None
    return key, _safe_scan(data, _worker_models)


def _safe_scan(data: bytes, models: Models) -> Result:
    try:
        return scan_bytes(data, models)
    except Exception as exc:  # a decoder bug must not pass an image: fail closed
        return {
            "unscannable": f"the scanner failed on it ({type(exc).__name__}: {exc})",
            "transient": True,
        }


class Scanner:
    def __init__(self, settings: ScanSettings, library: Library, workers: int = 0) -> None:
        self.settings = settings
        self.library = library
        self.workers = workers or (os.cpu_count() or 1)
        self._models: Models | None = None
        self._pool: ProcessPoolExecutor | None = None

    def models(self) -> Models:
        if self._models is None:
            self._models = Models(self.settings, self.library, threads=1)
        return self._models

    def scan(
        self,
        jobs: dict[str, bytes],
        progress: bool = False,
        on_result: Callable[[str, Result], None] | None = None,
    ) -> dict[str, Result]:
        """Scan ``{key: bytes}``; returns ``{key: result}``."""
        results: dict[str, Result] = {}
        if not jobs:
            return results
        bar = Progress("scanning images", len(jobs), unit="images") if progress else None
        try:
            for key, result in self._run(jobs):
                results[key] = result
                if on_result:
                    on_result(key, result)
                if bar:
                    bar.advance(1)
        finally:
            if bar:
                bar.close()
        return results

    def _run(self, jobs: dict[str, bytes]) -> Iterable[tuple[str, Result]]:
        if len(jobs) < IN_PROCESS_BELOW or self.workers == 1 or not _workers_can_start():
            models = self.models()
            for key, data in jobs.items():
                yield key, _safe_scan(data, models)
            return
        left = dict(jobs)
        for attempt in (1, 2):
            # A pool breaks when a worker dies (a decoder crash, the OOM killer):
            # the images it left are retried once in a fresh pool, then fail closed.
            for key, result in self._run_pool(left, last=attempt == 2):
                if result is _RETRY:
                    continue
                left.pop(key, None)
                yield key, result
            if not left:
                return

    def _run_pool(self, jobs: dict[str, bytes], last: bool) -> Iterable[tuple[str, Any]]:
        pool = self._get_pool()
        futures = {pool.submit(_worker_scan, key, data): key for key, data in jobs.items()}
        done: set[str] = set()
        try:
            # A hung decoder must not hang the build: generous, but bounded.
            for future in as_completed(futures, timeout=120 + 10 * len(jobs)):
                key = futures[future]
                done.add(key)
                try:
                    yield future.result()
                except BrokenProcessPool:
                    self.close(kill=True)
                    if not last:
                        yield key, _RETRY
                        continue
                    died = "the scanner process died while reading it (or one read beside it)"
                    yield key, {"unscannable": died, "transient": True}
                except Exception as exc:
                    failed = f"the scanner failed on it ({type(exc).__name__}: {exc})"
                    yield key, {"unscannable": failed, "transient": True}
        except TimeoutError:
            self.close(kill=True)
            for key in jobs:
                if key not in done:
                    yield key, {"unscannable": "the scan did not finish in time", "transient": True}

    def _get_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            import multiprocessing

            # Not fork: this process may already run ONNX Runtime or OpenCV threads,
            # and a forked child of a threaded process can deadlock. A fork server
            # starts clean and has the scanner imported once, so workers start fast.
            if sys.platform.startswith("linux"):
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload(["prudent.images.scanner"])
            else:
                context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=context,
                initializer=_init_worker,
                initargs=(self.settings, self.library),
            )
        return self._pool

    def close(self, kill: bool = False, wait: bool = False) -> None:
        if self._pool is not None:
            processes = list((getattr(self._pool, "_processes", None) or {}).values())
            self._pool.shutdown(wait=wait and not kill, cancel_futures=True)
            if kill:
                for process in processes:
                    process.terminate()
            self._pool = None

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()
