"""Prose preparation: markup out, evasions folded, every character mapped to its source."""

from __future__ import annotations

import pytest

from prudent.document import HTML, PLAIN, TEMPLATE, TextDocument
from prudent.text.prepare import fold, prepare


def _source_of(doc: TextDocument, word: str) -> str:
    p = prepare(doc)
    i = p.text.index(word)
    return doc.text[p.source_offset(i) : p.source_end(i + len(word))]


def test_markdown_markup_is_dropped_and_text_kept() -> None:
    doc = TextDocument(
        "p.md",
        "Title: My **bold** title\nDate: 2026-01-01\nSlug: my-slug\n\n"
        '# Heading\n\n> quoted *text* and [link text](https://example.org/x "tip")\n'
        '![alt words](/img.png) <span title="tooltip words">x</span> &amp; &#76;ab\n',
    )
    text = prepare(doc).text
    for visible in ("My bold title", "Heading", "quoted text", "link text", "alt words"):
        assert visible in text
    assert "tooltip words" in text and "& Lab" in text
    for hidden in ("2026-01-01", "my-slug", "https://", "**", "example.org", "Date", "#"):
        assert hidden not in text


@pytest.mark.parametrize(
    ("source", "reads"),
    [
        ("**Lib**eral", "Liberal"),
        ("Lib<b>eral</b>", "Liberal"),
        ("Lib<!-- hidden -->eral", "Liberal"),
        ("T&shy;o&#8203;ries", "Tories"),
        ("T&#111;ries", "Tories"),
        ("T&oacute;ries", "Tories"),
        ("N\u200bD\u200dP", "NDP"),
        ("\u0422\u043eries", "Tories"),  # Cyrillic Т and о
        ("\u039d\u0394P", "NΔP"),  # Greek N folds; Δ has no Latin twin
        ("1d1ot", "idiot"),
        ("T0RIES", "TORIES"),
        ("ＧＯＰ", "GOP"),  # full-width
        ("Qu\u00e9b\u00e9cois", "Quebecois"),
        ("Que\u0301be\u0301cois", "Quebecois"),  # combining accents
        ("Tories\u2019", "Tories'"),
    ],
)
def test_evasions_read_as_plain_words(source: str, reads: str) -> None:
    doc = TextDocument("p.md", f"Some {source} here.\n")
    assert reads in prepare(doc).text
    # The source span runs from the first to the last character that reads as the word.
    assert _source_of(doc, reads) == {
        "**Lib**eral": "Lib**eral",
        "Lib<b>eral</b>": "Lib<b>eral",
    }.get(source, source)


def test_numbers_with_units_are_not_leetspeak() -> None:
    assert fold("18F ships 2nd release at 10am in 1990s, v2 and H1") == (
        "18F ships 2nd release at 10am in 1990s, v2 and H1"
    )


def test_offsets_map_back_to_line_and_column() -> None:
    doc = TextDocument("content/posts/p.md", "Title: T\n\nfirst line\n  a **Lib**eral word\n")
    p = prepare(doc)
    i = p.text.index("Liberal")
    assert doc.location(p.source_offset(i)) == doc.location(doc.text.index("Lib"))
    loc = doc.location(p.source_offset(i))
    assert (loc.line, loc.col) == (4, 7)


def test_fragment_offsets_use_the_start_position() -> None:
    doc = TextDocument("pelicanconf.py", "Vote Labour", PLAIN, start_line=12, start_col=9)
    p = prepare(doc)
    loc = doc.location(p.source_offset(p.text.index("Labour")))
    assert (loc.path, loc.line, loc.col) == ("pelicanconf.py", 12, 14)


def test_html_keeps_visible_text_and_attributes_only() -> None:
    doc = TextDocument(
        "p.html",
        "<html><head><style>.tory{}</style><script>var gop=1</script></head>"
        '<body><p>Hello <img alt="a picture" src="x.png"> there</p><!-- hidden --></body>',
        HTML,
    )
    text = prepare(doc).text
    assert "Hello" in text and "a picture" in text and "there" in text
    assert "tory" not in text and "gop" not in text
    assert text.rstrip().endswith("hidden")  # a comment is published: read after the rest


def test_templates_drop_jinja_but_keep_text() -> None:
    doc = TextDocument(
        "theme/templates/base.html",
        "<footer>{{ SITENAME }} {% if x %}Made with care{% endif %} {# note #}</footer>",
        TEMPLATE,
    )
    text = prepare(doc).text
    assert "Made with care" in text
    assert "SITENAME" not in text and "note" not in text and "{%" not in text
