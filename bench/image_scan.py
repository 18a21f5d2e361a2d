"""Image scan cost: raw NudeNet alone vs Prudent's whole scan, cold and warm cache.

    .venv/bin/python bench/image_scan.py [--limit N] [--repeat R] [--workers W]

On the 18F blog's images in ../shared/corpus/18f/assets (every one raw NudeNet can
read), with a synthetic reference logo installed. Each round runs, side by side:
- raw NudeNet: ``NudeDetector().detect(path)`` on each image in turn (what NudeNet's
  README does);
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=0, help="use the first N images")
    parser.add_argument("--repeat", type=int, default=3, help="rounds (median reported)")
    parser.add_argument("--workers", type=int, default=0, help="scanner processes (0 = cores)")
    args = parser.parse_args()

    import cv2
    from nudenet import NudeDetector

    warnings.simplefilter("ignore")
    images = [p for p in corpus() if cv2.imread(str(p)) is not None]
    if args.limit:
        images = images[: args.limit]
    n = len(images)
    detector = NudeDetector()
    detector.detect(str(images[0]))  # warm-up, as the scans' model load is not counted twice
    parallel = make_root(images, args.workers)
    single = make_root(images, 1)
    raw_t, cold_t, single_t, warm_t = [], [], [], []
    report = None
    for _ in range(args.repeat):
        start = time.perf_counter()
        for path in images:
            detector.detect(str(path))
        raw_t.append(time.perf_counter() - start)
        t, report = scan(parallel, cold=True)
        cold_t.append(t)
        t, _ = scan(single, cold=True)
        single_t.append(t)
        t, _ = scan(parallel, cold=False)
        warm_t.append(t)
    raw, cold, one, warm = (statistics.median(x) for x in (raw_t, cold_t, single_t, warm_t))
    print(f"images: {n} (18F blog assets), rounds: {args.repeat}, medians")
    print(f"raw NudeNet alone         {raw:7.2f} s  {1000 * raw / n:6.1f} ms/image")
    print(
        f"cold scan, {args.workers or 'all'} workers     {cold:7.2f} s  {1000 * cold / n:6.1f} ms/image  ratio {cold / raw:.2f}"
    )
    print(
        f"cold scan, 1 process      {one:7.2f} s  {1000 * one / n:6.1f} ms/image  ratio {one / raw:.2f}"
    )
    print(
        f"warm scan (cache)         {warm:7.2f} s  {1000 * warm / n:6.1f} ms/image  ratio {warm / raw:.2f}"
    )
    rules: dict[str, int] = {}
    for f in report.findings:  # type: ignore[union-attr]
        rules[f.rule] = rules.get(f.rule, 0) + 1
    print(f"findings under the default policy with a synthetic logo installed: {rules or 'none'}")
    for root in (parallel, single):
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
