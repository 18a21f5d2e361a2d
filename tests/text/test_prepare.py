"""Prose preparation: markup out, evasions folded, every character mapped to its source."""

from __future__ import annotations

import pytest

from prudent.document import HTML, PLAIN, TEMPLATE, TextDocument
from prudent.text.prepare import (
    Vocabulary,
    fold,
    joined_view,
    latin_twins,
    metadata_fields,
    prepare,
)


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
    assert "tory" not in text and "gop" not in text and "hidden" not in text


def test_templates_drop_jinja_but_keep_text() -> None:
    doc = TextDocument(
        "theme/templates/base.html",
        "<footer>{{ SITENAME }} {% if x %}Made with care{% endif %} {# note #}</footer>",
        TEMPLATE,
    )
    text = prepare(doc).text
    assert "Made with care" in text
    assert "SITENAME" not in text and "note" not in text and "{%" not in text


@pytest.mark.parametrize(
    ("source", "reads"),
    [
        ("Lab\u0585ur", "Labour"),  # Armenian oh
        ("\u13deabour", "Labour"),  # Cherokee tle
        ("L\u0430b\u043eur", "Labour"),  # Cyrillic a, o
        ("Lab\u03bfur", "Labour"),  # Greek omicron
        ("\u1d1b\u043er\u0131es", "tories"),  # Latin small capital T, Cyrillic o, dotless i
        ("\u0442\u043eries", "tories"),  # Cyrillic te: its prototype is a small capital T
        ("\u0141abour", "Labour"),  # L with stroke
        ("\u0153uvre", "oeuvre"),  # a ligature: two letters from one
    ],
)
def test_confusables_from_every_script_fold_with_unicode_data(source: str, reads: str) -> None:
    doc = TextDocument("p.md", f"Vote {source} now.\n")
    p = prepare(doc)
    assert reads in p.text
    assert _source_of(doc, reads) == source  # the span still maps to the source exactly


def test_confusables_come_from_the_uts39_library() -> None:
    from confusable_homoglyphs.confusables import confusables_data

    twins = latin_twins()
    assert len(twins) > 1000  # every script, not a hand table
    assert all(len(c) == 1 and not c.isascii() for c in twins)
    assert twins["\u0585"] == "o" and "\u0585" in confusables_data
    assert "\u0394" not in twins  # Greek Delta has no Latin twin


VOCABULARY = Vocabulary(["vote", "labour", "tories", "tory"])


@pytest.mark.parametrize(
    ("text", "joined"),
    [
        ("Vote L a b o u r now", "Vote Labour now"),
        ("Vote L-a-b-o-u-r", "Vote Labour"),
        ("Vote L.a.b.o.u.r.", "Vote Labour"),  # an abbreviation's last dot goes too
        ("V O T E L A B O U R", "VOTE LABOUR"),  # known words one after another
        ("v o t e l a b o u r", "vote labour"),
        ("Vote L . a . b . o . u . r", "Vote Labour"),
        ("Vote Lab.our", "Vote Labour"),
        ("Vote L_a_b_o_u_r", "Vote Labour"),
        ("V o t e L a b o u r", "Vote Labour"),
        ("the T*o*r*i*e*s", "the Tories"),
    ],
)
def test_split_words_are_joined_in_a_view_that_maps_back(text: str, joined: str) -> None:
    view = joined_view(text, VOCABULARY)
    assert view is not None and view.text == joined
    for i, ch in enumerate(view.text):
        assert text[view.origin[i]] == ch  # every character maps back to its own
    word = next(w for w in ("Tories", "Labour", "LABOUR", "labour") if w in joined)
    start = view.text.index(word)
    a, b = view.span(start, start + len(word))
    assert view.joined_within(start, start + len(word))
    assert "".join(c for c in text[a:b] if c.isalpha()) == word  # the split word, exactly
    assert text[a] == word[0] and text[b - 1] == word[-1]


@pytest.mark.parametrize(
    "text",
    [
        "Items a b c and d are due.",
        "a, b, c",
        "and/or",
        "see node.js",
        "the well-known co-op",
        "Vote L a b our",
    ],
)
def test_ordinary_text_is_not_joined(text: str) -> None:
    assert joined_view(text, VOCABULARY) is None


def test_metadata_values_are_located() -> None:
    doc = TextDocument("p.md", "Title: A *note*\nSlug: vote-labour\nTags: maga, snp\n\nBody\n")
    p = prepare(doc)
    assert [(k, p.text[a:b]) for k, a, b in p.fields] == [
        ("title", "A note"),
        ("tags", "maga, snp"),
    ]
    fields = metadata_fields(doc)
    assert [(k, doc.text[a:b]) for k, a, b in fields] == [
        ("title", "A *note*"),
        ("slug", "vote-labour"),
        ("tags", "maga, snp"),
    ]
