"""Generate the benchmark site: N posts of about 600 words and real 18F images.

The prose is real: paragraphs of the 18F blog (public domain), shuffled with a
fixed seed, links flattened to their text. Images are the corpus's own (all
296, plus mirrored copies when more are asked for, so every file has distinct
bytes). The site is a project of its own (settings, theme, plugins, policy)
under ``bench/out/``.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
from pathlib import Path

from PIL import Image, ImageOps

from importer.links import real_suffix

ROOT = Path(__file__).resolve().parent.parent
CATEGORIES = ["Notes", "Events", "Services", "Links", "Design", "Research", "Writing", "Work"]
TAGS = [
    "plain language", "accessibility", "open source", "user research", "content design",
    "agile", "procurement", "cloud", "security", "data", "apis", "design systems",
    "workshops", "webchats", "hiring", "onboarding", "documentation", "testing", "devops",
    "analytics", "forms", "mobile", "search", "performance", "privacy", "prototyping",
    "service design", "strategy", "training", "events", "reading", "tools", "writing",
    "team", "learning", "metrics", "feedback", "partners", "roadmaps", "notes",
]  # fmt: skip
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_SKIP = re.compile(r"\{[%{]|<|^\s*(?:[#>|*+-]|\d+\.|```|~~~)|\]:|https?://")


def paragraphs(corpus: Path) -> list[str]:
    """Plain prose paragraphs of the corpus, at least 25 words each."""
    out: list[str] = []
    for post in sorted((corpus / "posts").glob("*.md")):
        body = post.read_text(encoding="utf-8").split("---", 2)[-1]
        for para in re.split(r"\n\s*\n", body):
            para = " ".join(_LINK.sub(r"\1", para).split())
            if len(para.split()) >= 25 and not _SKIP.search(para):
                out.append(para)
    return out


def images(corpus: Path, count: int, dest: Path) -> list[str]:
    """``count`` distinct image files copied to ``dest``; their names."""
    sources = sorted(p for p in (corpus / "assets").rglob("*") if p.is_file())
    if not sources and count:
        raise SystemExit(f"bench: no pictures under {corpus / 'assets'}; is it the 18F corpus?")
    dest.mkdir(parents=True, exist_ok=True)
    names: list[str] = []
    for i in range(count):
        src = sources[i % len(sources)]
        # Three corpus files hold another format than their suffix (the importer
        # fixes those too); name each copy after what it holds.
        name = f"img{i:04d}{real_suffix(src) or src.suffix.lower()}"
        if i < len(sources):
            shutil.copy2(src, dest / name)
        elif src.suffix.lower() in (".svg", ".svgz"):  # a drawing: the same, other bytes
            name = f"img{i:04d}{src.suffix.lower()}"
            (dest / name).write_bytes(src.read_bytes() + f"\n<!-- copy {i} -->\n".encode())
        else:  # a mirrored or turned copy: same kind of picture, different bytes
            turn = _TURNS[(i // len(sources) - 1) % len(_TURNS)]
            with Image.open(src) as im:
                mirrored = turn(im.convert("RGB"))
                name = f"img{i:04d}.png"
                mirrored.save(dest / name)
        names.append(name)
    return names


# Copies past the corpus's own pictures: each round turns them another way, so
# that 1,500 images are 1,500 distinct files (the first round, mirrored, is the
# 1,000-post site's).
_TURNS = (
    ImageOps.mirror,
    ImageOps.flip,
    lambda im: im.transpose(Image.Transpose.ROTATE_180),
    lambda im: im.transpose(Image.Transpose.TRANSPOSE),
    lambda im: im.transpose(Image.Transpose.TRANSVERSE),
)


def generate(site: Path, posts: int, image_count: int, corpus: Path, seed: int = 18) -> dict:
    """Write the whole project to ``site`` (replacing it). Returns what was made."""
    if site.exists():
        shutil.rmtree(site)
    content = site / "content"
    (content / "posts").mkdir(parents=True)
    for name in ("pelicanconf.py", "guardrails.toml"):
        shutil.copy2(ROOT / name, site / name)
    for part in ("theme", "plugins", "guardrails"):
        if (ROOT / part).is_dir():
            shutil.copytree(ROOT / part, site / part, ignore=shutil.ignore_patterns("__pycache__"))
    if (ROOT / "content" / "pages").is_dir():
        shutil.copytree(ROOT / "content" / "pages", content / "pages")
    rng = random.Random(seed)
    pool = paragraphs(corpus)
    rng.shuffle(pool)
    names = images(corpus, image_count, content / "images")
    # Spread the images evenly over the posts.
    with_image = {round(i * posts / max(1, image_count)): n for i, n in enumerate(names)}
    start = dt.datetime(2019, 1, 1, 9, 0)
    words_total = 0
    cursor = 0
    for i in range(posts):
        date = start + dt.timedelta(hours=19 * i)
        first = " ".join(pool[cursor % len(pool)].split()[:5]).rstrip(".,;:")
        title = f"Notebook entry {i + 1}: {first}"
        tags = ", ".join(rng.sample(TAGS, 3))
        body: list[str] = []
        words = 0
        while words < 600:
            para = pool[cursor % len(pool)]
            cursor += 1
            body.append(para)
            words += len(para.split())
        body.insert(len(body) // 2, "## What we learned")
        if i in with_image:
            body.insert(
                1, f"![Picture {i + 1} from the 18F blog]({{static}}/images/{with_image[i]})"
            )
        summary = " ".join(body[0].split()[:30])
        text = (
            f"Title: {title}\n"
            f"Date: {date:%Y-%m-%d %H:%M}\nCategory: {CATEGORIES[i % len(CATEGORIES)]}\n"
            f"Tags: {tags}\nSlug: entry-{i + 1:04d}\nSummary: {summary}\n\n"
            + "\n\n".join(body)
            + "\n"
        )
        (content / "posts" / f"entry-{i + 1:04d}.md").write_text(text, encoding="utf-8")
        words_total += words
    return {"posts": posts, "images": len(names), "words": words_total}
