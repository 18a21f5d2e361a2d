"""The logo rule's quality: alarms on the 18F blog's images, recall on held-out composites.

    .venv/bin/python bench/logo_quality.py [--seed S] [--per-mark N] [--badges N]

1. Every image of ../shared/corpus/18f/assets scanned with the shipped library (the
   default policy, nothing in guardrails/logos/): every alarm is listed, to be judged.
2. Held-out composites: each shipped mark, and an ID badge, placed in photos the rule
   was never tuned on (the 18F blog's own JPEG photographs, which carry no mark: see
   part 1), at 10-30% of the width, rotated up to 15 degrees, tilted, as JPEG 60-90.
   Tuning used scikit-image's and scikit-learn's sample photos only.
   Recall is per mark; false alarms are the wrong marks reported on those composites.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from prudent.images.library import LibrarySettings, load_library, select_marks  # noqa: E402
from prudent.images.scanner import Models, ScanSettings, scan_bytes  # noqa: E402


def corpus() -> list[Path]:
    from tests.images.synth import corpus_images

    return corpus_images() or sys.exit("../shared/corpus/18f/assets not found")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--per-mark", type=int, default=20, help="composites per mark")
    parser.add_argument("--badges", type=int, default=20, help="badge composites")
    args = parser.parse_args()
    from tests.images.composite import badge_composite, composite

    library = load_library(select_marks(None), [], LibrarySettings())
    models = Models(ScanSettings(), library, threads=1)
    files = corpus()
    print(f"## Alarms on the 18F blog's {len(files)} images (shipped marks, default policy)\n")
    alarms = 0
    start = time.perf_counter()
    for path in files:
        r = scan_bytes(path.read_bytes(), models)
        rel = path.relative_to(path.parents[2])
        for m in r.get("logos") or []:
            print(f"- `{rel}`: {m['id']} ({m['inliers']} features) at {m['box']}")
            alarms += 1
        for b in r.get("badges") or []:
            print(f"- `{rel}`: ID badge at {b['box']} (face {b['face']})")
            alarms += 1
    print(f"\n{alarms} alarms on {len(files)} images ({time.perf_counter() - start:.0f} s)\n")

    photos = [p for p in files if p.suffix.lower() in (".jpg", ".jpeg")]
    rng = np.random.default_rng(args.seed)
    picks = rng.choice(len(photos), size=min(len(photos), 60), replace=False)
    backgrounds = [photos[i] for i in picks]
    hits: Counter[str] = Counter()
    total: Counter[str] = Counter()
    wrong: Counter[str] = Counter()
    misses: list[str] = []
    bands: dict[str, Counter[int]] = {"found": Counter(), "all": Counter()}  # by width band
    marks = [m.id for m in select_marks(None)]
    for mark in marks:
        for i in range(args.per_mark):
            bg = Image.open(backgrounds[(i * 7 + len(mark)) % len(backgrounds)])
            placed = composite(mark, bg, rng)
            r = scan_bytes(placed.data, models)
            found = {m["id"] for m in r.get("logos") or []}
            total[mark] += 1
            hits[mark] += mark in found
            band = min(25, int(placed.how.split("% of the width")[0].split(", ")[-1]) // 5 * 5)
            bands["all"][band] += 1
            bands["found"][band] += mark in found
            wrong[mark] += len(found - {mark}) + len(r.get("badges") or [])
            if mark not in found:
                misses.append(f"{mark}: {placed.how}")
    face_src = Image.open(io.BytesIO(_astronaut_png())).crop((130, 10, 330, 260))
    for i in range(args.badges):
        bg = Image.open(backgrounds[(i * 11) % len(backgrounds)])
        placed = badge_composite(face_src, bg, rng)
        r = scan_bytes(placed.data, models)
        total["id-badge"] += 1
        hits["id-badge"] += bool(r.get("badges"))
        wrong["id-badge"] += len(r.get("logos") or [])
        if not r.get("badges"):
            misses.append(f"id-badge: {placed.how}")
    print(f"## Held-out composites (seed {args.seed}, backgrounds: 18F photographs)\n")
    print("| mark | found | recall | other marks reported |")
    print("| --- | --- | --- | --- |")
    for mark in [*marks, "id-badge"]:
        print(
            f"| {mark} | {hits[mark]}/{total[mark]} | {hits[mark] / total[mark]:.0%} | {wrong[mark]} |"
        )
    all_hits, all_total = sum(hits.values()), sum(total.values())
    print(
        f"| all | {all_hits}/{all_total} | {all_hits / all_total:.0%} | {sum(wrong.values())} |\n"
    )
    print("Marks (not badges) by their width in the photo:\n")
    print("| width | found | recall |")
    print("| --- | --- | --- |")
    for band in sorted(bands["all"]):
        f, a = bands["found"][band], bands["all"][band]
        print(f"| {band}-{band + 5}% | {f}/{a} | {f / a:.0%} |")
    print()
    print("Missed:")
    for m in misses:
        print(f"- {m}")


def _astronaut_png() -> bytes:
    from skimage import data

    buf = io.BytesIO()
    Image.fromarray(data.astronaut()).save(buf, "PNG")
    return buf.getvalue()


if __name__ == "__main__":
    main()
