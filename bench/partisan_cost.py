"""What the ``partisan`` rule costs on real posts (it runs on every document).

    .venv/bin/python bench/partisan_cost.py [CORPUS_POSTS_DIR] [--repeat N]

Reads every Markdown post of the 18F corpus (509 posts, public domain), prepares
each once (``prepare``: the shared step every text rule reads), then times, N
times over the whole corpus, building the rule from the project's lists and
running it on every post (prose, metadata labels and link targets; the links
themselves are parsed once beforehand, as the checker does for every link rule), and prints the
medians with the words per second. ``prepare`` is timed too: the evasion
folding (spaced letters, confusables) lives there and every rule pays for it.
Timings taken while other work runs on the machine are noisy: compare runs made
back to back.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from importer.corpus import corpus_dir  # noqa: E402
from prudent.document import MARKDOWN, TextDocument  # noqa: E402
from prudent.policy import Policy  # noqa: E402
from prudent.text.links import find_links  # noqa: E402
from prudent.text.partisan import PartisanRule  # noqa: E402
from prudent.text.prepare import prepare  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("posts", nargs="?", default=str(corpus_dir() / "posts"))
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    files = sorted(Path(args.posts).glob("*.md"))
    if not files:
        raise SystemExit(f"{args.posts}: no posts (set PRUDENT_CORPUS or name the folder)")
    docs = [TextDocument(f.name, f.read_text(encoding="utf-8"), MARKDOWN) for f in files]
    words = sum(len(d.text.split()) for d in docs)
    policy = Policy.load(ROOT)
    # Links are parsed once per document for every link rule: not this rule's cost.
    links = [find_links(d.text) for d in docs]

    prep_times, build_times, run_times = [], [], []
    hits = 0
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        prepared = [prepare(d) for d in docs]
        t1 = time.perf_counter()
        rule = PartisanRule(policy)
        t2 = time.perf_counter()
        hits = 0
        for doc, p, doc_links in zip(docs, prepared, links, strict=True):
            hits += len(rule.find(p.text, p.lexical, p.fields))
            hits += len(rule.find_labels(doc, doc_links))
            hits += len(rule.find_links(doc_links))
        t3 = time.perf_counter()
        prep_times.append(t1 - t0)
        build_times.append(t2 - t1)
        run_times.append(t3 - t2)
    run = statistics.median(run_times)
    prep = statistics.median(prep_times)
    print(f"{len(docs)} posts, {words:,} words, {args.repeat} runs (medians):")
    print(f"  prepare (all rules share it): {prep * 1000:8.1f} ms  ({words / prep:,.0f} words/s)")
    print(f"  partisan: build the lists     {statistics.median(build_times) * 1000:8.1f} ms")
    print(f"  partisan: check every post    {run * 1000:8.1f} ms  ({words / run:,.0f} words/s)")
    print(f"  partisan hits (before allowances): {hits}")


if __name__ == "__main__":
    main()
