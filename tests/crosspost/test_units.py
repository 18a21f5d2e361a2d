"""The plugin's pure parts: URL resolution, XML-safe text, attribution, target names."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest

from prudent_crosspost.absolute_urls import absolutize_html, parse_srcset
from prudent_crosspost.attribution import (
    DEFAULT_ATTRIBUTION,
    render_attribution,
    template_problem,
)
from prudent_crosspost.locate import Problems, SettingsText
from prudent_crosspost.settings import add_defaults
from prudent_crosspost.targets import configured_targets, requested_targets, resolve_target
from prudent_crosspost.xml_safe import xml_safe
from prudent_guardrails.collect import settings_documents

BASE = "https://example.org/blog/2026/11/post/"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<a href="/about/">a</a>', '<a href="https://example.org/about/">a</a>'),
        ("<a href=x.html>a</a>", f'<a href="{BASE}x.html">a</a>'),
        ("<img src='../pic.png' alt=\"a > b\">", f'<img src="{BASE[:-5]}pic.png" alt="a > b">'),
        ('<a href="">self</a>', f'<a href="{BASE}">self</a>'),
        ('<a href="#fn:1">1</a>', f'<a href="{BASE}#fn:1">1</a>'),
        ('<a href="//cdn.example.net/x">c</a>', '<a href="https://cdn.example.net/x">c</a>'),
        ('<a HREF=" /x?a=1&amp;b=2 ">q</a>', '<a HREF="https://example.org/x?a=1&amp;b=2">q</a>'),
        (
            '<video poster="p.jpg" src="/v.mp4"></video>',
            f'<video poster="{BASE}p.jpg" src="https://example.org/v.mp4"></video>',
        ),
        (
            '<blockquote cite="/q">q</blockquote>',
            '<blockquote cite="https://example.org/q">q</blockquote>',
        ),
    ],
)
def test_urls_resolve_as_a_browser_on_the_posts_page_would(html: str, expected: str) -> None:
    assert absolutize_html(html, BASE) == expected


@pytest.mark.parametrize(
    "html",
    [
        '<a href="https://other.example/x">x</a>',
        '<a href="mailto:a@example.org">m</a> <a href="tel:+15550100">t</a>',
        '<img src="data:image/png;base64,iVBORw0KGgo=">',
        '<a title="/not-a-url">t</a><img alt="x.png">',
        '<!-- <img src="x.png"> --><script>var s = "<img src=x>";</script>',
        '<pre><code>&lt;a href="/x"&gt;</code></pre>',
        "text without tags & an ampersand",
    ],
)
def test_everything_else_is_left_byte_for_byte(html: str) -> None:
    assert absolutize_html(html, BASE) == html


def test_srcset_candidates_each_resolved_with_descriptors_kept() -> None:
    html = '<img srcset="a.png 1x,/b.png 2x, c.png 480w" src="a.png">'
    assert absolutize_html(html, BASE) == (
        f'<img srcset="{BASE}a.png 1x, https://example.org/b.png 2x, {BASE}c.png 480w" '
        f'src="{BASE}a.png">'
    )
    assert parse_srcset("a, b.png 1x,, c.png") == [("a", ""), ("b.png", "1x"), ("c.png", "")]
    assert parse_srcset("x.png (max-width: 1px, 2px) 1x, y.png") == [
        ("x.png", "(max-width: 1px, 2px) 1x"),
        ("y.png", ""),
    ]


def test_xml_safe_drops_control_characters_raw_and_as_references() -> None:
    assert xml_safe("a\x0bb\x1bc\x00d\x7fe\x85f\ufffeg") == "abcdefg"
    assert xml_safe("tab\tnew\nline\r") == "tab\tnew\nline\r"
    assert xml_safe("x&#11;y&#x1B;z&#9;&#146;&#x1F600;") == "xyz&#9;&#146;&#x1F600;"
    assert xml_safe("caf\u00e9 \u2014 \U0001f600") == "caf\u00e9 \u2014 \U0001f600"


@pytest.mark.parametrize(
    ("template", "problem"),
    [
        ('Cross posted from <a href="{url}">{site</a>.', "malformed"),
        ("Cross posted from {site}}", "malformed"),
        ('From <a href="{link}">{site}</a>.', "unknown placeholder {link}"),
        ("From {0}.", "unknown placeholder {0}"),
        ("From {site.upper}.", "unknown placeholder {site.upper}"),
        ('From <a href="{url}">{site}.', "leaves <a> open"),
        ("From {site}</em>.", "closes a tag it never opened: </em>"),
        ("On {date:%Q%}.", None),
        ("On {title:>1000000000000}.", "{title} takes no format"),
        ("On {url!r}.", "{url} takes no format"),
        ("On {date:%d %B %Y}.", None),
    ],
)
def test_attribution_template_problems(template: str, problem: str | None) -> None:
    found = template_problem(template)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found, found


def test_attribution_escapes_values_and_wraps_a_paragraph() -> None:
    values = dict(
        url="https://example.org/a?b=1&c=2",
        site='Sam\'s "Notebook" <3',
        siteurl="https://example.org",
        title="T",
        author="A",
        target="Partner",
        date=dt.datetime(2026, 11, 2, tzinfo=dt.UTC),
    )
    assert template_problem(DEFAULT_ATTRIBUTION) is None
    assert render_attribution(DEFAULT_ATTRIBUTION, **values) == (
        '<p class="crosspost-attribution">Originally published at '
        '<a href="https://example.org/a?b=1&amp;c=2">Sam&#x27;s &quot;Notebook&quot; &lt;3</a>.</p>'
    )
    assert (
        render_attribution('<p class="x">For {target}, {date:%-d %B %Y}.</p>', **values)
        == '<p class="x">For Partner, 2 November 2026.</p>'
    )


def test_target_names_from_metadata() -> None:
    assert requested_targets("kind-of-digital, govloop,, govloop ") == [
        "kind-of-digital",
        "govloop",
    ]
    assert requested_targets(["a", " b "]) == ["a", "b"]
    assert requested_targets(None) == []
    target, why = resolve_target("GovLoop", {})
    assert target is not None and target.id == "govloop" and target.name == "govloop" and not why
    target, why = resolve_target("../etc/passwd", {})
    assert target is None and "not a valid name" in why and "'etc-passwd'" in why
    target, why = resolve_target("govlop", {}, declared=["govloop"])
    assert target is None and "did you mean 'govloop'" in why


def _settings(tmp_path: Path, text: str) -> dict:
    conf = tmp_path / "pelicanconf.py"
    conf.write_text(text)
    namespace: dict = {}
    exec(compile(text, str(conf), "exec"), namespace)
    return {
        "PATH": str(tmp_path / "content"),
        "PRUDENT_ROOT": str(tmp_path),
        "PRUDENT_SETTINGS_FILES": [str(conf)],
        **{k: v for k, v in namespace.items() if k.isupper()},
    }


def test_settings_values_are_checked(tmp_path: Path) -> None:
    settings = _settings(
        tmp_path,
        "SITENAME = 'S'\n"
        "CROSSPOST_TARGETS = {\n"
        "    'ok': {'name': 'OK', 'categories': ['Notes'], 'max_items': 3},\n"
        "    'empty': {},\n"
        "    'Bad Name': {},\n"
        "    'words': {'categories': 'Notes'},\n"
        "    'count': {'max_items': 0},\n"
        "    'nameless': {'name': ''},\n"
        "}\n",
    )
    problems = Problems()
    targets = configured_targets(settings, SettingsText(settings), problems, ["Notes"])
    assert sorted(targets) == ["empty", "ok"]
    assert targets["ok"].categories == ("Notes",) and targets["ok"].max_items == 3
    assert targets["empty"].name == "empty" and targets["empty"].attribution == DEFAULT_ATTRIBUTION
    text = "\n".join(problems.lines)
    assert len(problems) == 4, text
    assert "pelicanconf.py:5:5: error crosspost-settings: CROSSPOST_TARGETS['Bad Name']" in text
    assert (
        "pelicanconf.py:6:15: error crosspost-settings: CROSSPOST_TARGETS['words']: 'categories' must be a list"
        in text
    )
    assert (
        "pelicanconf.py:7:15: error crosspost-settings: CROSSPOST_TARGETS['count']: 'max_items'"
        in text
    )
    assert (
        "pelicanconf.py:8:18: error crosspost-settings: CROSSPOST_TARGETS['nameless']: 'name'"
        in text
    )
    problems = Problems()
    assert (
        configured_targets(
            {**settings, "CROSSPOST_TARGETS": ["ok"]}, SettingsText(settings), problems
        )
        == {}
    )
    assert "must be a dict" in problems.lines[0]


def test_partner_text_is_handed_to_the_guardrails(tmp_path: Path) -> None:
    settings = _settings(
        tmp_path,
        "SITENAME = 'S'\n"
        "CROSSPOST_TARGETS = {\n"
        "    'kod': {'attribution': 'Cross posted from the Kind of Digital partner blog {site}.'},\n"
        "}\n",
    )
    pelican = SimpleNamespace(settings=settings)
    add_defaults(pelican)
    assert settings["FEED_ALL_JSON"] == "feeds/all.json"
    docs = settings_documents(settings, tmp_path)
    [doc] = [d for d in docs if "Kind of Digital partner" in d.text]
    assert (doc.path, doc.start_line, doc.label) == (
        "pelicanconf.py",
        3,
        "setting CROSSPOST_TARGETS",
    )
