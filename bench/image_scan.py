"""Image scan cost: raw NudeNet at its best vs Prudent's whole scan, cold and warm cache.

    .venv/bin/python bench/image_scan.py [--limit N] [--repeat R] [--workers W]

On the 18F blog's images in ../shared/corpus/18f/assets (every one raw NudeNet can
read), with the shipped government marks (and a synthetic reference logo) installed.
Each round runs, side by side:
- raw NudeNet, the strongest baseline: ``NudeDetector().detect(path)`` in two worker
  processes with one ONNX Runtime thread each (what runs fastest on two cores; one
  process with the default threads is several times slower here);
- cold scan: ``ImageChecker.check`` with an empty cache: read, hash, decode
  (every frame), NudeNet (scaled or tiled), ORB logo matching, EXIF/XMP location,
  worker processes started from scratch;
- cold scan in one process (workers = 1), for the per-image cost without parallelism;
- warm scan: the same again, every result from the cache.
Prints the median over the rounds, and the ratios to raw NudeNet. The machine is
shared and noisy: trust the ratios, measured in the same rounds, over the times.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from importer.corpus import corpus_or_exit, pictures  # noqa: E402
from prudent.document import ImageFile, Site  # noqa: E402
from prudent.images import ImageChecker  # noqa: E402
from prudent.policy import Policy  # noqa: E402


def corpus() -> list[Path]:
    return pictures(corpus_or_exit("bench/image_scan.py"))


def make_root(images: list[Path], workers: int) -> Path:
    from tests.images.synth import synthetic_seal

    root = Path(tempfile.mkdtemp(prefix="prudent-bench-images-"))
    shipped = (ROOT / "guardrails.toml").read_text(encoding="utf-8")
    section = shipped.split("\n# images\n", 1)[1]
    section = section.replace("workers = 0 ", f"workers = {workers} ", 1)
    (root / "guardrails.toml").write_text(section, encoding="utf-8")
    (root / "guardrails" / "logos").mkdir(parents=True)
    synthetic_seal().save(root / "guardrails" / "logos" / "seal.png")
    content = root / "content" / "images"
    content.mkdir(parents=True)
    for i, path in enumerate(images):
        shutil.copyfile(path, content / f"{i:04d}-{path.name}")
    return root


def site_of(root: Path) -> Site:
    site = Site(root=root, content_dir=root / "content")
    site.images = [ImageFile(site.rel(p)) for p in sorted((root / "content" / "images").iterdir())]
    return site


def scan(root: Path, cold: bool) -> tuple[float, object]:
    if cold:
        shutil.rmtree(root / ".cache", ignore_errors=True)
    start = time.perf_counter()
    checker = ImageChecker(Policy.load(root))
    report = checker.check(site_of(root))
    elapsed = time.perf_counter() - start
    checker.close()
    return elapsed, report


_detector = None


def _raw_init() -> None:
    global _detector
    import onnxruntime
    from nudenet import NudeDetector

    from prudent.images.nudity import model_path

    detector = NudeDetector()
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    detector.onnx_session = onnxruntime.InferenceSession(
        str(model_path()), options, providers=["CPUExecutionProvider"]
    )
    _detector = detector


def _raw_detect(path: str) -> int:
    assert _detector is not None
    return len(_detector.detect(path))


def raw_nudenet(images: list[Path], workers: int = 2) -> float:
    """Wall seconds for raw NudeNet over ``images`` in ``workers`` single-thread processes,
    their start and model load included (as the cold scan's are)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    ctx = multiprocessing.get_context("spawn")
    start = time.perf_counter()
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_raw_init) as pool:
        list(pool.map(_raw_detect, [str(p) for p in images], chunksize=4))
    return time.perf_counter() - start


def cpu_per_image(images: list[Path], rounds: int) -> tuple[float, float]:
    """CPU seconds per image, in this process, one thread each, interleaved image by image:
    raw ``NudeDetector().detect(path)`` against Prudent's whole ``scan_bytes`` (decode,
    NudeNet, tiles, every frame, marks, badges, EXIF/XMP), with the shipped library."""
    import os

    os.environ["OMP_NUM_THREADS"] = "1"
    import cv2

    cv2.setNumThreads(1)
    from prudent.images.library import LibrarySettings, load_library, select_marks
    from prudent.images.scanner import Models, ScanSettings, scan_bytes

    _raw_init()
    assert _detector is not None
    models = Models(ScanSettings(), load_library(select_marks(None), [], LibrarySettings()))
    datas = [(str(p), p.read_bytes()) for p in images]
    _detector.detect(datas[0][0])
    scan_bytes(datas[0][1], models)
    raw = ours = 0.0
    for _ in range(rounds):
        for path, data in datas:
            t = time.process_time()
            _detector.detect(path)
            raw += time.process_time() - t
            t = time.process_time()
            scan_bytes(data, models)
            ours += time.process_time() - t
    n = rounds * len(datas)
    return raw / n, ours / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=0, help="use the first N images")
    parser.add_argument("--repeat", type=int, default=3, help="rounds (median reported)")
    parser.add_argument("--workers", type=int, default=0, help="scanner processes (0 = cores)")
    parser.add_argument(
        "--only",
        choices=("raw", "scan", "cpu"),
        help="run one side once and exit (to time the two as whole processes, interleaved, "
        "with an outside tool such as /usr/bin/time -v)",
    )
    args = parser.parse_args()

    import cv2

    warnings.simplefilter("ignore")
    images = [p for p in corpus() if cv2.imread(str(p)) is not None]
    if args.limit:
        images = images[: args.limit]
    n = len(images)
    if args.only == "cpu":
        raw, ours = cpu_per_image(images, args.repeat)
        print(f"CPU per image, one thread, interleaved, {n} images x {args.repeat} rounds:")
        print(
            f"raw NudeNet {1000 * raw:.1f} ms, Prudent's whole scan {1000 * ours:.1f} ms, ratio {ours / raw:.2f}"
        )
        return
    if args.only == "raw":
        print(f"raw NudeNet, 2 x 1 thread: {raw_nudenet(images):.2f} s for {n} images")
        return
    if args.only == "scan":
        root = make_root(images, args.workers)
        t, report = scan(root, cold=True)
        shutil.rmtree(root, ignore_errors=True)
        print(f"cold scan: {t:.2f} s for {n} images, {len(report.findings)} findings")
        return
    parallel = make_root(images, args.workers)
    single = make_root(images, 1)
    raw_t, cold_t, single_t, warm_t = [], [], [], []
    report = None
    for _ in range(args.repeat):
        raw_t.append(raw_nudenet(images))
        t, report = scan(parallel, cold=True)
        cold_t.append(t)
        t, _ = scan(single, cold=True)
        single_t.append(t)
        t, _ = scan(parallel, cold=False)
        warm_t.append(t)
    raw, cold, one, warm = (statistics.median(x) for x in (raw_t, cold_t, single_t, warm_t))
    print(f"images: {n} (18F blog assets), rounds: {args.repeat}, medians")
    print(f"raw NudeNet, 2 x 1 thread {raw:7.2f} s  {1000 * raw / n:6.1f} ms/image")
    print(
        f"cold scan, {args.workers or 'all'} workers     {cold:7.2f} s  {1000 * cold / n:6.1f} ms/image  ratio {cold / raw:.2f}"
    )
    print(
        f"cold scan, 1 process      {one:7.2f} s  {1000 * one / n:6.1f} ms/image  "
        f"CPU per image vs one NudeNet worker {one / (2 * raw):.2f}"
    )
    print(
        f"warm scan (cache)         {warm:7.2f} s  {1000 * warm / n:6.1f} ms/image  ratio {warm / raw:.2f}"
    )
    rules: dict[str, int] = {}
    for f in report.findings:  # type: ignore[union-attr]
        rules[f.rule] = rules.get(f.rule, 0) + 1
    print(
        "findings under the default policy (shipped marks, badges, a synthetic logo): "
        f"{rules or 'none'}"
    )
    import os

    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores)")
    for root in (parallel, single):
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
