"""``check`` after one edit on the bench site: the one-shot command and with ``watch``.

    python bench/check_latency.py [--reps 5] [--quick]

Times the real command a user runs, ``invoke check`` (what ``make check``
runs), from start to exit, after appending a sentence to one post: once on its
own (``PRUDENT_NO_WATCH=1``) and once while ``invoke watch`` runs beside it
(the command then asks the resident process). The two alternate, a different
post each time, so that load on the machine falls on both alike. Prints the
medians stamped with commit, date, machine and load; the posts are restored.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from bench.run import FULL, QUICK, prepare_site  # noqa: E402
from bench.stamp import stamp  # noqa: E402
from importer.corpus import corpus_or_exit  # noqa: E402

INVOKE = Path(sys.executable).parent / "invoke"


def _check(site: Path, env: dict[str, str]) -> tuple[float, str]:
    t = time.perf_counter()
    out = subprocess.run(
        [str(INVOKE), "-r", str(ROOT), "check", "--settings", str(site / "pelicanconf.py")],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        cwd=site,
    )
    seconds = time.perf_counter() - t
    if out.returncode != 0:
        raise SystemExit(
            f"check failed on the bench site:\n{out.stdout[-2000:]}{out.stderr[-2000:]}"
        )
    return seconds, out.stdout.strip().splitlines()[-1]


def _edit(post: Path, n: int) -> None:
    with post.open("a", encoding="utf-8") as fh:
        fh.write(f"\nA note added for latency run {n}: the workshop moved to the second floor.\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="the 60-post site")
    args = parser.parse_args()
    corpus = corpus_or_exit("bench/check_latency.py")
    spec = {k: v for k, v in (QUICK if args.quick else FULL).items() if k != "reps"}
    site = HERE / "out" / ("site-quick" if args.quick else "site")
    made = prepare_site(site, spec, corpus)
    posts = [
        p
        for p in sorted((site / "content/posts").glob("*.md"))
        if "crosspost" not in p.read_text(encoding="utf-8").lower()
    ][: 2 * args.reps + 1]
    originals = {p: p.read_text(encoding="utf-8") for p in posts}
    alone = {"PRUDENT_NO_WATCH": "1"}
    rows: dict[str, list[float]] = {"one-shot": [], "with watch": []}
    watcher = None
    try:
        _check(site, alone)  # the index (a full check, or from the last run)
        log = open(site / ".cache" / "watch.log", "w")  # noqa: SIM115
        watcher = subprocess.Popen(
            [str(INVOKE), "-r", str(ROOT), "watch", "--settings", str(site / "pelicanconf.py")],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=site,
        )
        deadline = time.time() + 300
        while "checked in" not in (site / ".cache" / "watch.log").read_text():
            if time.time() > deadline or watcher.poll() is not None:
                raise SystemExit("watch did not start: see " + str(site / ".cache/watch.log"))
            time.sleep(0.2)
        time.sleep(2)  # its warm-up (the models) after the first check
        n = 0
        for r in range(args.reps):
            for name, env in (("one-shot", alone), ("with watch", {})):
                _edit(posts[n], n)
                seconds, summary = _check(site, env)
                rows[name].append(seconds)
                print(f"  {r + 1}/{args.reps} {name:10} {seconds:6.2f} s  {summary}", flush=True)
                n += 1
    finally:
        if watcher is not None:
            watcher.terminate()
            watcher.wait(timeout=30)
        for p, text in originals.items():
            p.write_text(text, encoding="utf-8")
    info = stamp()
    result = {
        "site": f"{made['posts']} posts, {made['images']} images",
        "reps": args.reps,
        **{f"{k} median (s)": round(statistics.median(v), 3) for k, v in rows.items()},
        **{f"{k} runs (s)": [round(x, 2) for x in v] for k, v in rows.items()},
        **info,
    }
    print(json.dumps(result, indent=1))
    (HERE / "out" / "check-latency.json").write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
