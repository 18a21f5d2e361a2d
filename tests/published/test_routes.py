"""Every route text takes to readers is judged, in a real Pelican build, with a place to act on.

A marker phrase (a different party or slogan each, so each finding says which
route it came by) is planted in every route the site has: a post, a page, an
HTML comment, a reference link's title, the theme's text, a constant template
expression, a setting, a computed setting, a partner's name (a feed-only
field), a partner's attribution, an SVG, a bookmark's note. The build fails
naming each at its source, before Pelican writes anything, and ``make check``
finds the same. Then the routes that exist only once the site is rendered: an
expression the theme pieces together, a post's tag in the theme's words, a
plugin that writes a file of its own. The build's output pass fails naming
each at the source it came from (or at the published file, when it has none).
Every failed build leaves output/ byte for byte as it was.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitebuild.build import BuildFailed, build, check
from tests.fixtures import tree_digest

POST = "content/posts/2026-11-20-markers.md"
PAGE = "content/pages/colophon.md"
SVG = "content/images/markers.svg"
BASE = "theme/templates/base.html"
CONF = "pelicanconf.py"
BOOKMARKS = "content/bookmarks/pinboard.json"
PLUGIN = '''"""A plugin that writes a file of its own (as sitemap or search plugins do)."""
from pathlib import Path

from pelican import signals


def _write(pelican):
    if "colophon" in pelican.settings["PLUGINS"]:  # signals outlive a build in one process
        Path(pelican.output_path, "humans.txt").write_text("Team: proud Liberal Democrats\\n")


def register():
    signals.finalized.connect(_write)
'''


def _models_off(project: Path) -> None:
    policy = project / "guardrails.toml"
    text = policy.read_text()
    for table in ("[rules.personal-attack]", "[rules.workplace-complaint]"):
        if f"\n{table}\n" in text:
            text = text.replace(f"\n{table}\n", f'\n{table}\nseverity = "off"\n')
        else:
            text += f'\n{table}\nseverity = "off"\n'
    policy.write_text(text)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _where(project: Path, rel: str, needle: str) -> str:
    """``rel:LINE:COL`` of the first ``needle`` in the project file ``rel``."""
    text = (project / rel).read_text(encoding="utf-8")
    at = text.index(needle)
    line = text.count("\n", 0, at) + 1
    return f"{rel}:{line}:{at - text.rfind(chr(10), 0, at)}"


def _plant(project: Path) -> dict[str, tuple[str, str]]:
    """Plant a marker in every route; return route -> (expected place, matched words)."""
    (project / POST).write_text(
        "Title: Markers\nDate: 2026-11-20 10:00\nTags: notes\n"
        "Crosspost: kind-of-digital\n\n"
        "A paragraph about Plaid Cymru.\n\n"
        "<!-- note to self: vote Labour on Thursday -->\n\n"
        "See [the site][r], and a chart:\n\n"
        "![A chart]({static}/images/markers.svg)\n\n"
        '[r]: https://example.org/ "the Brexit Party"\n',
        encoding="utf-8",
    )
    (project / PAGE).write_text(
        "Title: Colophon\n\nMade by a Scottish National Party fan.\n", encoding="utf-8"
    )
    (project / SVG).write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="20">'
        '<text x="1" y="15">Make America Great Again</text></svg>\n',
        encoding="utf-8",
    )
    _replace(
        project / BASE,
        "Built with Pelican and Prudent.",
        'Built with Pelican and Prudent. Reform UK. {{ "Libertarian " ~ "Party" }}.',
    )
    conf = project / CONF
    _replace(
        conf,
        'SITESUBTITLE = "Notes on digital services, plain language and working in the open"',
        'SITESUBTITLE = "Notes from a proud " + "Tor" + "ies fan"',
    )
    _replace(
        conf,
        '("Plain language guidelines',
        '("Vote Leave", "/leave/"),\n    ("Plain language guidelines',
    )
    _replace(conf, '"name": "Kind of Digital"', '"name": "Kind of Digital, for the Green Party"')
    _replace(
        conf,
        'Cross posted from <a href="{url}">{site}</a>.',
        'Cross posted from <a href="{url}">{site}</a>. #VoteLabour',
    )
    bookmarks = project / BOOKMARKS
    entries = json.loads(bookmarks.read_text(encoding="utf-8"))
    entries[0]["extended"] = "Read before the Democratic Unionist Party conference."
    bookmarks.write_text(json.dumps(entries, indent=2), encoding="utf-8")
    p = project
    return {
        "post": (_where(p, POST, "Plaid Cymru"), "Plaid Cymru"),
        "HTML comment": (_where(p, POST, "vote Labour"), "vote Labour"),
        "link title": (_where(p, POST, "Brexit Party"), "Brexit Party"),
        "page": (_where(p, PAGE, "Scottish National Party"), "Scottish National Party"),
        "template text": (_where(p, BASE, "Reform UK"), "Reform UK"),
        "template expression": (_where(p, BASE, '{{ "Libertarian'), "Libertarian Party"),
        "setting": (_where(p, CONF, "Vote Leave"), "Vote Leave"),
        "computed setting": (_where(p, CONF, 'Tor" +'), "Tories"),
        "feed-only field (partner name)": (_where(p, CONF, "Green Party"), "Green Party"),
        "partner attribution": (_where(p, CONF, "#VoteLabour"), "#VoteLabour"),
        "SVG": (_where(p, SVG, "Make America"), "Make America Great Again"),
        "bookmark note": (_where(p, BOOKMARKS, "Democratic Unionist"), "Democratic Unionist Party"),
    }


def _plant_rendered(project: Path) -> dict[str, tuple[str, str]]:
    """Routes that exist only once the site is rendered: the build's output pass sees them."""
    _replace(
        project / BASE,
        "Built with Pelican and Prudent.",
        'Built with Pelican and Prudent. {{ ("Feel the", SITENAME[:0] ~ "Bern")|join(" ") }}',
    )
    tag = project / "theme/templates/tag.html"
    _replace(tag, "{% block heading %}Tagged", "{% block heading %}Vote for {{ tag }}, tagged")
    (project / "content/posts/2026-11-21-labour.md").write_text(
        "Title: A history of labour law\nDate: 2026-11-21 10:00\nTags: Labour\n\nNotes.\n",
        encoding="utf-8",
    )
    _replace(project / CONF, "PLUGINS = [", 'PLUGINS = [\n    "colophon",')
    (project / "plugins/colophon").mkdir()
    (project / "plugins/colophon/__init__.py").write_text(PLUGIN, encoding="utf-8")
    return {
        "pieced by the theme": (_where(project, BASE, "Feel the"), "Feel the Bern"),
        "a tag in the theme's words": (
            _where(project, "theme/templates/tag.html", "Vote for"),
            "Vote for Labour",
        ),
        "a plugin's own file": ("output/humans.txt:1:13", "Liberal Democrats"),
    }


def _errors(report: str) -> dict[str, str]:
    """matched words -> 'PATH:LINE:COL' of each error line of a report."""
    out = {}
    for line in report.splitlines():
        m = re.match(r"^(\S+:\d+:\d+): error partisan: .*\(matched '([^']*)'\)", line)
        if m:
            out[m.group(2)] = m.group(1)
    return out


@pytest.fixture
def planted(project: Path) -> tuple[Path, dict[str, tuple[str, str]], dict[str, str]]:
    _models_off(project)
    green = build(project / "pelicanconf.py")
    assert not green.report.failed, green.report.to_text()
    before = tree_digest(project / "output")
    return project, _plant(project), before


def test_every_route_is_judged_at_its_source_before_anything_is_written(planted) -> None:
    project, routes, before = planted
    with pytest.raises(BuildFailed) as failed:
        build(project / "pelicanconf.py")
    report = str(failed.value)
    errors = _errors(report)
    for route, (place, words) in routes.items():
        assert errors.get(words) == place, f"{route}: {words!r} not reported at {place}\n{report}"
    assert len(errors) == len(routes), report  # each once, nothing twice
    assert tree_digest(project / "output") == before
    assert not list(project.glob(".output-*")), "staging folders must be cleaned up"


def test_check_sees_every_route_that_exists_before_rendering(planted) -> None:
    project, routes, _ = planted
    result = check(project / "pelicanconf.py")
    errors = _errors(result.report.to_text())
    assert {words: place for place, words in routes.values()} == errors


@pytest.fixture
def no_plugin_left() -> Iterator[None]:
    """The test's plugin must not stay connected to Pelican's signals for later tests."""
    yield
    module = sys.modules.pop("colophon", None)
    if module is not None:
        from pelican import signals

        signals.finalized.disconnect(module._write)


def test_what_only_rendering_makes_is_judged_before_the_swap(
    project: Path, no_plugin_left: None
) -> None:
    _models_off(project)
    build(project / "pelicanconf.py")
    before = tree_digest(project / "output")
    routes = _plant_rendered(project)
    assert not check(project / "pelicanconf.py").failed  # no source holds these phrases
    with pytest.raises(BuildFailed) as failed:
        build(project / "pelicanconf.py")
    report = str(failed.value)
    errors = _errors(report)
    for route, (place, words) in routes.items():
        assert errors.get(words) == place, f"{route}: {words!r} not reported at {place}\n{report}"
    assert len(errors) == len(routes), report
    lines = {
        words: next(x for x in report.splitlines() if f"'{words}'" in x)
        for _, words in routes.values()
    }
    assert (
        "it came by an expression of the template theme/templates/base.html"
        in lines["Feel the Bern"]
    )
    assert "it came by the template theme/templates/tag.html" in lines["Vote for Labour"]
    assert "Pelican, the theme's code or a plugin" in lines["Liberal Democrats"]
    for line in lines.values():  # each says where readers would have got it
        assert re.search(r"Found in the published site, .*: output/\S+:\d+:\d+", line), line
    assert tree_digest(project / "output") == before
    assert not list(project.glob(".output-*")), "staging folders must be cleaned up"
