"""Remake ``tests/corpus/18f-sample`` from the full 18F corpus (deterministic).

    .venv/bin/python tests/corpus/make_18f_sample.py [--corpus DIR]

The sample is what a clone without ``../shared`` tests the importer, a real
build and the image rules on: every post with one of the rarer constructs the
importer must handle, the posts whose pictures hold another format than their
name says, a few whose pictures were left out of the corpus, a few with no
picture at all, and an even spread of the rest with small pictures. Each post
comes with every picture it shows that the corpus has, at the same path.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from importer.corpus import SAMPLE, corpus_dir  # noqa: E402

# Include with parameters, raw blocks in code, a comment, tabs in the front
# matter, {{ image | url }}, {{ page.image }}, embeds, team filters,
# image_with_class inside HTML (the same posts tests/importer/test_18f.py names).
TRICKY = (
    "2014-11-17-taking-control-of-our-website-with-jekyll-and-webhooks.md",
    "2016-07-18-cloud-gov-full-steam-ahead-fedramp-assessment-process.md",
    "2016-05-19-content-debt-what-it-is-where-to-find-it-and-how-to-prevent-it-in-the-first-place.md",
    "2016-10-03-using-rfps-make-every-dollar-count.md",
    "2014-12-23-hub.md",
    "2014-05-14-hacking-bureaucracy-improving-hiring-and-software.md",
    "2015-12-23-looking-back-2015-our-own-words.md",
    "2024-07-17-working-with-oracle-databases-in-open-source-projects.md",
    "2014-11-26-how-to-use-more-open-source.md",  # {% for %} ... {% endfor %}
)
# Their pictures are a PNG named .jpg and JPEGs named .png.
WRONG_EXTENSION = (
    "2015-07-29-style-guide-for-open-source-documentation.md",
    "2015-12-02-analytics-usa-gov-new-features-more-data.md",
    "2016-01-11-introducing-the-css-coding-style-guide.md",
)
REFERENCE = re.compile(r"/?assets/blog/[^\s\"')}\]]+")
FENCED = re.compile(r"^```.*?^```", re.M | re.S)  # code samples show paths, not pictures
SPREAD = 14  # posts with one to three small pictures, evenly spaced over the years
SMALL = 150_000  # bytes of pictures in one such post
MISSING = 3  # posts that show a picture the corpus left out (over 400 KB)
TEXT_ONLY = 4  # posts with no picture


def pictures(corpus: Path, post: Path) -> tuple[list[str], list[str]]:
    text = FENCED.sub("", post.read_text())
    refs = sorted({m.group(0).lstrip("/") for m in REFERENCE.finditer(text)})
    return [r for r in refs if (corpus / r).is_file()], [
        r for r in refs if not (corpus / r).is_file()
    ]


def select(corpus: Path) -> list[Path]:
    posts = sorted((corpus / "posts").glob("*.md"))
    chosen = {corpus / "posts" / name for name in TRICKY + WRONG_EXTENSION}

    def size(refs: list[str]) -> int:
        return sum((corpus / r).stat().st_size for r in refs)

    small, missing, text_only = [], [], []
    for post in posts:
        have, lacking = pictures(corpus, post)
        if not have and not lacking:
            text_only.append(post)
        elif lacking and have and size(have) < SMALL:
            missing.append(post)
        elif not lacking and 1 <= len(have) <= 3 and size(have) < SMALL:
            small.append(post)
    for group, count in ((small, SPREAD), (missing, MISSING), (text_only, TEXT_ONLY)):
        step = max(1, len(group) // count)
        chosen.update(group[step // 2 :: step][:count])
    return sorted(chosen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus", type=Path, help="the full corpus (default: found as the tests find it)"
    )
    args = parser.parse_args()
    corpus = args.corpus or corpus_dir()
    for sub in ("posts", "assets"):
        shutil.rmtree(SAMPLE / sub, ignore_errors=True)
    (SAMPLE / "posts").mkdir(parents=True)
    images = set()
    chosen = select(corpus)
    for post in chosen:
        shutil.copy2(post, SAMPLE / "posts" / post.name)
        images.update(pictures(corpus, post)[0])
    for rel in sorted(images):
        (SAMPLE / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(corpus / rel, SAMPLE / rel)
    total = sum((SAMPLE / rel).stat().st_size for rel in images)
    print(f"{len(chosen)} posts and {len(images)} pictures ({total / 1e6:.1f} MB) in {SAMPLE}")


if __name__ == "__main__":
    main()
