"""A bilingual site's cold build: peak memory and wall time, against the same site in
English only (the anchor), interleaved.

    .venv/bin/python bench/bilingual.py [--posts 100] [--images 10] [--rounds 2]

The English posts are the benchmark site's (``bench/sitegen.py``: real 18F
paragraphs); the French ones are the real posts of the Canadian Digital Service
sample (``tests/corpus/cds-fr-sample``, MIT), as Pelican Markdown: half of them
translations of English posts (same slug, ``Lang: fr``), half with no ``Lang:``
at all (the language identifier decides). Both sites allow ``official-link``
(``bench/18f-policy.toml``): both teams wrote for their employers. Pictures and links are left out of the
French posts (their files are not in the sample). Each build runs in its own
process with no cache (``bench/measure.py``: peak resident memory of the whole
process tree, sampled every 20 ms).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.measure import run_step  # noqa: E402
from bench.sitegen import generate  # noqa: E402
from importer.corpus import corpus_or_exit  # noqa: E402

FRENCH = ROOT / "tests" / "corpus" / "cds-fr-sample" / "posts"
OUT = ROOT / "bench" / "out"
_IMG = re.compile(r"<img\b[^>]*>|</?div\b[^>]*>|</?strike>|</?strong>", re.I)
_LINK = re.compile(r"!?\[([^\]]*)\]\s?\([^)]*\)?")
_URL = re.compile(r"https?://\S+|mailto:\S+")


def french_posts(dest: Path, english_slugs: list[str]) -> int:
    """The French sample as Pelican posts in ``dest``; returns how many."""
    files = sorted(FRENCH.glob("*.md"))
    for i, f in enumerate(files):
        text = f.read_text("utf-8")
        _, head, body = text.split("---\n", 2)
        title = re.search(r"^title:\s*(.+)$", head, re.M)
        date = re.search(r"^date:\s*'?(\d{4}-\d{2}-\d{2})", head, re.M)
        name = _IMG.sub(" ", (title.group(1) if title else f.stem).strip("'\"> -"))
        body = _URL.sub("", _LINK.sub(r"\1", _IMG.sub(" ", body)))
        meta = [f"Title: {name}", f"Date: {date.group(1) if date else '2018-01-01'} 09:00"]
        if i % 2 == 0 and i // 2 < len(english_slugs):
            meta += [f"Slug: {english_slugs[i // 2]}", "Lang: fr"]  # a translation
        else:
            meta.append(f"Slug: fr-{i:03d}")
        (dest / f"fr-{i:03d}.md").write_text("\n".join(meta) + "\n\n" + body, "utf-8")
    return len(files)


def make_sites(posts: int, images: int) -> tuple[Path, Path, dict]:
    corpus = corpus_or_exit("bench/bilingual.py")
    english, bilingual = OUT / "site-en", OUT / "site-bilingual"
    made = generate(english, posts, images, corpus)
    # Both teams wrote for their employers: links to official sites are allowed, as in
    # bench/corpus.py (the rules measured here are the three text rules and the build).
    policy = english / "guardrails.toml"
    policy.write_text(
        policy.read_text("utf-8") + "\n" + (ROOT / "bench" / "18f-policy.toml").read_text("utf-8")
    )
    if bilingual.exists():
        shutil.rmtree(bilingual)
    shutil.copytree(english, bilingual)
    slugs = [f"entry-{i + 1:04d}" for i in range(posts)]
    made["french_posts"] = french_posts(bilingual / "content" / "posts", slugs)
    return english, bilingual, made


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--posts", type=int, default=100)
    ap.add_argument("--images", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    english, bilingual, made = make_sites(args.posts, args.images)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    print(f"commit {commit}; {made}")
    print("| site | round | cold build (s) | peak memory (MiB) | result |")
    print("| --- | --- | --- | --- | --- |")
    for r in range(args.rounds):
        for label, site in (("English only", english), ("bilingual", bilingual)):
            shutil.rmtree(site / ".cache", ignore_errors=True)
            shutil.rmtree(site / "output", ignore_errors=True)
            run = run_step("build", site)
            result = "failed" if "failed" in run.result else run.result.get("summary", "")
            if "failed" in run.result:
                print(run.result["failed"][-2000:], file=sys.stderr)
            print(f"| {label} | {r + 1} | {run.seconds:.1f} | {run.peak_mb:.0f} | {result} |")


if __name__ == "__main__":
    main()
