"""What the output pass costs a build: ``python bench/published.py [--posts N] [--reps R]``.

The output pass (``prudent.published``) reads every file Pelican wrote, after
Pelican and before the swap. This script builds the bench site (1,000 posts of
real 18F prose by default, ``bench/sitegen.py``) once to fill the caches, then
measures, interleaved so that machine noise hits each variant alike, in fresh
processes:

- a warm guarded build with no change: the whole build, and the output pass
  inside it (wall and CPU seconds, timed around the pass in the same process);
- a warm guarded build after editing one post (the files that change are read
  and judged again);
- stock Pelican on the same content (its default theme, no plugins), the
  strictest anchor: what a user would run instead, and the fastest build.

It prints the medians and the ratios, and writes them to
``bench/RESULTS-published.md``. Each step runs in its own process
(``--step``), as ``make build`` would.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(ROOT / "plugins")]


def step_build(site: Path) -> dict:
    """One guarded build, with the output pass timed where it runs."""
    import sitebuild.build as sitebuild

    judged = sitebuild._judge_published
    spent: dict[str, float] = {}

    def timed(*args):  # type: ignore[no-untyped-def]
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return judged(*args)
        finally:
            spent["wall"] = time.perf_counter() - wall
            spent["cpu"] = time.process_time() - cpu

    sitebuild._judge_published = timed
    overrides = {
        "PRUDENT_ROOT": str(site),
        "PRUDENT_SETTINGS_FILES": [str(site / "pelicanconf.py")],
        "PRUDENT_PROGRESS": False,
    }
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        result = sitebuild.build(site / "pelicanconf.py", site / "output", overrides)
        summary = result.report.summary()
    except sitebuild.BuildFailed as exc:
        return {"failed": str(exc)[-3000:]}
    return {
        "seconds": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "pass_seconds": spent.get("wall", 0.0),
        "pass_cpu": spent.get("cpu", 0.0),
        "summary": summary,
    }


def step_stock(site: Path) -> dict:
    """Stock Pelican on the same content: the default theme, no plugins, into a temp folder."""
    import tempfile

    from pelican.settings import DEFAULT_CONFIG

    from sitebuild.build import load_settings, run_pelican

    settings = load_settings(site / "pelicanconf.py", {"PRUDENT_ROOT": str(site)})
    with tempfile.TemporaryDirectory(dir=site) as out:
        settings = dict(
            settings,
            THEME=DEFAULT_CONFIG["THEME"],
            PLUGINS=[],
            OUTPUT_PATH=out,
            DELETE_OUTPUT_DIRECTORY=False,
        )
        wall, cpu = time.perf_counter(), time.process_time()
        run_pelican(settings)
        return {"seconds": time.perf_counter() - wall, "cpu": time.process_time() - cpu}


def _child(mode: str, site: Path) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--step", mode, str(site)]
    out = subprocess.run(cmd, capture_output=True, text=True)
    lines = [line for line in out.stdout.splitlines() if line.startswith("RESULT ")]
    if out.returncode != 0 or not lines:
        raise SystemExit(f"{mode} failed (exit {out.returncode}):\n{out.stderr[-3000:]}")
    result = json.loads(lines[-1][len("RESULT ") :])
    if result.get("failed") or result.get("warnings"):
        raise SystemExit(f"{mode} failed on the bench site:\n{result}")
    return result


def _edit(post: Path, n: int) -> None:
    with post.open("a", encoding="utf-8") as fh:
        fh.write(f"\nA note added for benchmark run {n}: the workshop moved to the second floor.\n")


def measure(site: Path, reps: int) -> dict[str, list[dict]]:
    runs: dict[str, list[dict]] = {"warm": [], "edited": [], "stock": []}
    posts = sorted((site / "content/posts").glob("*.md"))
    originals = {p: p.read_text(encoding="utf-8") for p in posts[:reps]}
    try:
        for r in range(reps):
            print(f"repetition {r + 1} of {reps}", flush=True)
            for name in ("warm", "stock", "edited"):
                if name == "edited":
                    _edit(posts[r], r)
                result = _child("stock" if name == "stock" else "build", site)
                if name == "edited":
                    posts[r].write_text(originals[posts[r]], encoding="utf-8")
                runs[name].append(result)
                extra = f", pass {result['pass_seconds']:.2f} s" if "pass_seconds" in result else ""
                print(f"  {name:7} {result['seconds']:7.2f} s{extra}", flush=True)
    finally:
        for p, text in originals.items():
            p.write_text(text, encoding="utf-8")
    return runs


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def report(runs: dict[str, list[dict]], made: dict, files: int, reps: int) -> str:
    warm, edited, stock = runs["warm"], runs["edited"], runs["stock"]
    share = [r["pass_seconds"] / r["seconds"] for r in warm]
    cpu_share = [r["pass_cpu"] / r["cpu"] for r in warm if r["cpu"]]
    edited_share = [r["pass_seconds"] / r["seconds"] for r in edited]
    rows = [
        ("warm guarded build, no change", _median(warm, "seconds"), _median(warm, "pass_seconds")),
        ("warm guarded build, one post edited", _median(edited, "seconds"), _median(edited, "pass_seconds")),
        ("stock Pelican (default theme, no plugins)", _median(stock, "seconds"), None),
    ]  # fmt: skip
    lines = [
        "# The output pass: what it costs a build",
        "",
        f"Site: {made['posts']} posts ({made['words']:,} words), {made['images']} images "
        f"(`bench/sitegen.py`), {files:,} published files; {reps} repetitions, interleaved, "
        "medians. Generated with `.venv/bin/python bench/published.py`.",
        "",
        f"Machine: {platform.machine()}, {platform.platform()}, Python {platform.python_version()}; "
        "2 cores shared with other developers' work while this ran, so wall times are noisy: "
        "the pass's share is measured within each build (same process, same moment).",
        "",
        "| step | build (s) | output pass (s) | runs (s) |",
        "| --- | ---: | ---: | --- |",
    ]
    for (name, build, pass_s), key in zip(rows, ("warm", "edited", "stock"), strict=True):
        runs_text = ", ".join(f"{r['seconds']:.2f}" for r in runs[key])
        lines.append(
            f"| {name} | {build:.2f} | {'' if pass_s is None else f'{pass_s:.3f}'} | {runs_text} |"
        )
    lines += [
        "",
        "```",
        f"published-pass-share-warm: {statistics.median(share):.3f}"
        f"  (each build: {', '.join(f'{s:.3f}' for s in share)})",
        f"published-pass-share-warm-cpu: {statistics.median(cpu_share):.3f}",
        f"published-pass-share-one-edit: {statistics.median(edited_share):.3f}",
        "published-pass-vs-stock-pelican: "
        + f"{statistics.median(w['pass_seconds'] / s['seconds'] for w, s in zip(warm, stock, strict=True)):.3f}",
        "published-pass-vs-stock-pelican-cpu: "
        + f"{statistics.median(w['pass_cpu'] / s['cpu'] for w, s in zip(warm, stock, strict=True)):.3f}",
        "```",
        "",
        "Target: the pass within 5% of a warm build (share <= 0.050); the stricter lines "
        "compare it with stock Pelican, the fastest build of the same content.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--images", type=int, default=30)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--site", type=Path, default=HERE / "out" / "published")
    parser.add_argument("--step", nargs=2, metavar=("MODE", "SITE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        step = step_stock if args.step[0] == "stock" else step_build
        print("RESULT " + json.dumps(step(Path(args.step[1]).resolve())))
        return
    from bench.run import prepare_site
    from importer.corpus import corpus_dir

    site = args.site.resolve()
    spec = {"posts": args.posts, "images": args.images, "reps": args.reps}
    made = prepare_site(site, spec, corpus_dir())
    print("cold build (empty caches; fills them) ...", flush=True)
    shutil.rmtree(site / ".cache", ignore_errors=True)
    cold = _child("build", site)
    print(f"  cold    {cold['seconds']:7.2f} s, pass {cold['pass_seconds']:.2f} s", flush=True)
    files = sum(1 for p in (site / "output").rglob("*") if p.is_file())
    runs = measure(site, args.reps)
    text = report(runs, made, files, args.reps)
    text += (
        f"\nThe cold build (empty caches) that filled them took {cold['seconds']:.2f} s "
        f"({cold['cpu']:.2f} s CPU in its main process), of which the output pass "
        f"{cold['pass_seconds']:.2f} s ({cold['pass_cpu']:.2f} s CPU).\n"
    )
    (HERE / "RESULTS-published.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
