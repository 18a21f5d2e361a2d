"""Which generator a posts folder comes from, and which files in it are posts."""

from __future__ import annotations

from pathlib import Path

FLAVOURS = ("jekyll", "hugo", "eleventy")
POST_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
_MARKERS = {
    "jekyll": ("_config.yml", "_config.yaml", "_posts", "Gemfile"),
    "hugo": ("hugo.toml", "hugo.yaml", "hugo.json", "config.toml", "archetypes"),
    "eleventy": (
        ".eleventy.js",
        "eleventy.config.js",
        "eleventy.config.mjs",
        ".eleventy.cjs",
        "eleventy.config.cjs",
    ),
}


def ancestors(source: Path, levels: int = 3) -> list[Path]:
    """The folder and the few above it, where a site keeps its config and assets."""
    source = source.resolve()
    return [source, *list(source.parents)[:levels]]


def detect(source: Path, sample: list[str]) -> str:
    """Config files first; failing that, the syntax the posts use."""
    for folder in ancestors(source):
        for flavour, markers in _MARKERS.items():
            if any((folder / m).exists() for m in markers):
                return flavour
    text = "\n".join(sample)
    if "{{<" in text or "{{%" in text or any(s.lstrip().startswith("+++") for s in sample):
        return "hugo"
    if source.name == "_posts" or "{% post_url" in text or "site.baseurl" in text:
        return "jekyll"
    if "| url }}" in text or "{% image" in text:
        return "eleventy"
    return "jekyll"


def find_posts(source: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """(posts, skipped with why). ``_index.md`` is a Hugo list page, not a post."""
    posts, skipped = [], []
    for path in sorted(source.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in POST_SUFFIXES:
            continue
        rel_parts = path.relative_to(source).parts
        if any(p.startswith(".") or p == "node_modules" for p in rel_parts):
            continue
        if path.name.startswith("_") or path.stem.lower() in ("readme", "license", "changelog"):
            skipped.append((path, "not a post (list page or project file)"))
            continue
        posts.append(path)
    return posts, skipped


def search_roots(source: Path) -> list[Path]:
    """Where root-relative URLs (``/assets/x.png``) may live on disk."""
    roots = []
    for folder in ancestors(source):
        for sub in ("", "static", "src", "public", "content"):
            candidate = folder / sub if sub else folder
            if candidate.is_dir() and candidate not in roots:
                roots.append(candidate)
    return roots
