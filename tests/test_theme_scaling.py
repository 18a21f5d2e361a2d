"""The theme's cost grows linearly with the number of posts.

Renders 500 and 2,000 generated posts with the project's theme (and the plugins
the theme needs, none of the guardrails) in a child process each, and compares
the CPU time the two renders took: four times the posts must cost less than
five times as much. A theme that loops over every post on every post's page
costs sixteen times as much. This is the bound the benchmark backs
(docs/benchmarks.md), not a timing assertion on absolute seconds; CPU time,
unlike wall time, barely moves when other work shares the machine.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

_RENDER = textwrap.dedent(
    """
    import sys
    from pelican import Pelican
    from pelican.settings import read_settings

    content, output, theme = sys.argv[1:4]
    settings = read_settings(override={
        "PATH": content, "OUTPUT_PATH": output, "THEME": theme,
        "PLUGINS": ["neighbors"], "SITEURL": "https://notebook.example.org",
        "TIMEZONE": "UTC", "DEFAULT_PAGINATION": 5, "CACHE_CONTENT": False,
        "ARTICLE_URL": "{date:%Y}/{date:%m}/{slug}/",
        "ARTICLE_SAVE_AS": "{date:%Y}/{date:%m}/{slug}/index.html",
        "FEED_ALL_ATOM": "feeds/all.atom.xml", "CATEGORY_FEED_ATOM": None,
        "TAG_FEED_ATOM": None, "AUTHOR_FEED_ATOM": None, "AUTHOR_FEED_RSS": None,
        "TRANSLATION_FEED_ATOM": None,
    })
    Pelican(settings).run()
    """
)


def _posts(folder: Path, count: int) -> None:
    folder.mkdir(parents=True)
    for i in range(count):
        day = 1 + i % 28
        month = 1 + (i // 28) % 12
        year = 2000 + i // (28 * 12)
        (folder / f"post-{i:05d}.md").write_text(
            f"Title: Notes number {i}\nDate: {year}-{month:02d}-{day:02d} 10:00\n"
            f"Category: Topic {i % 8}\nTags: tag{i % 40}x, tag{(i * 7) % 40}x\n\n"
            + "Plain words about digital services and working in the open. " * 20
            + "\n",
            encoding="utf-8",
        )


def _render_cpu_seconds(tmp: Path, count: int) -> float:
    content = tmp / f"content-{count}"
    _posts(content / "posts", count)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            _RENDER,
            str(content),
            str(tmp / f"out-{count}"),
            str(ROOT / "theme"),
        ],
        capture_output=True,
        text=True,
        cwd=tmp,
    )
    assert done.returncode == 0, f"Pelican failed on {count} posts:\n{done.stderr[-3000:]}"
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # Each article page links its newer and older neighbour: the theme rendered them.
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


@pytest.mark.slow
def test_theme_cost_grows_linearly(tmp_path: Path) -> None:
    small = _render_cpu_seconds(tmp_path, 500)
    large = _render_cpu_seconds(tmp_path, 2000)
    page = next((tmp_path / "out-2000").rglob("notes-number-1000/index.html")).read_text()
    assert "Notes number 1001" in page and "Notes number 999" in page, "no neighbour links"
    ratio = large / small
    assert ratio < 5.0, (
        f"2,000 posts cost {ratio:.1f}x 500 posts ({large:.1f} s against {small:.1f} s of CPU): "
        "something in the theme loops over every post for each page"
    )
