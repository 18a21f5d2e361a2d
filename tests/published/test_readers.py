"""Published files read as readers get them: blocks, where they sit in the file, and failures."""

from __future__ import annotations

import gzip
import json

from prudent.published.formats import position, read_file
from prudent.published.markup import ATTRIBUTE, COMMENT, LINK, TEXT


def _blocks(name: str, data: str | bytes) -> list[tuple[str, str, str, tuple[int, int]]]:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    ft = read_file(name, raw)
    assert not ft.problems, ft.problems
    return [
        (b.kind, b.where, b.text.text.strip(), position(ft.text, b.text.origin(0)))
        for b in ft.blocks
    ]


def _at(name: str, data: str, word: str) -> tuple[int, int]:
    """Where the first block holding ``word`` places it in the file."""
    ft = read_file(name, data.encode("utf-8"))
    for b in ft.blocks:
        i = b.text.text.find(word)
        if i >= 0:
            return position(ft.text, b.text.origin(i))
    raise AssertionError(f"{word!r} in no block of {name}")


PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>A post &middot; Notebook</title>
<meta name="description" content="Notes on the Tories">
<meta property="og:image:alt" content="A chart of votes">
<meta property="og:image" content="https://www.canada.ca/chart.png">
<script type="application/ld+json">{"headline": "Vote Reform UK"}</script>
<style>.x::before { content: "Vote \\201C Green\\201D"; }</style>
</head><body>
<p>Vote <em>Lab</em>our today, <a href="https://www.gov.uk/x" title="GOV.UK">a link</a>.</p>
<img src="/images/a.png" alt="Jane &amp; the GOP">
<nav aria-label="Main menu"><a href="/tags/">Tags</a></nav>
<!-- note to self: vote Labour -->
<!-- guardrails: allow partisan because a quotation -->
<textarea placeholder="Say something">Lib&#101;ral text</textarea>
</body></html>
"""


def test_a_page_gives_visible_text_attributes_comments_and_links() -> None:
    blocks = _blocks("index.html", PAGE)
    texts = {text: (kind, where) for kind, where, text, _ in blocks}
    assert texts["A post · Notebook"] == (TEXT, "<title>")
    assert texts["Notes on the Tories"] == (ATTRIBUTE, 'content of <meta "description">')
    assert texts["A chart of votes"] == (ATTRIBUTE, 'content of <meta "og:image:alt">')
    assert texts["https://www.canada.ca/chart.png"][0] == LINK
    assert texts["Vote Reform UK"][0] == TEXT  # JSON-LD: machines quote it
    assert "Vote “Green”" in texts  # CSS content: shown on the page (an escape eats a space)
    # Inline elements do not break a phrase: "Vote <em>Lab</em>our" reads "Vote Labour".
    assert texts["Vote Labour today, a link."] == (TEXT, "<p> text")
    assert texts["https://www.gov.uk/x"] == (LINK, "href of <a>")
    assert texts["GOV.UK"] == (ATTRIBUTE, "title of <a>")
    assert texts["Jane & the GOP"] == (ATTRIBUTE, "alt of <img>")
    assert texts["Main menu"] == (ATTRIBUTE, "aria-label of <nav>")
    assert texts["<!-- note to self: vote Labour -->"] == (COMMENT, "comment")
    assert texts["Liberal text"][0] == TEXT and texts["Say something"][0] == ATTRIBUTE
    # Not read: technical metadata, relative links, and the allowance (a note to a reviewer).
    assert "width=device-width" not in texts and "/images/a.png" not in texts
    assert not any("guardrails:" in t for t in texts)


def test_positions_are_those_of_the_file_through_entities_and_inline_tags() -> None:
    lines = PAGE.splitlines()
    line = next(n for n, t in enumerate(lines, 1) if t.startswith("<p>Vote"))
    assert _at("index.html", PAGE, "our today") == (line, lines[line - 1].index("our today") + 1)
    assert _at("index.html", PAGE, "Lab") == (line, lines[line - 1].index("Lab") + 1)
    img = next(n for n, t in enumerate(lines, 1) if t.startswith("<img"))
    assert _at("index.html", PAGE, "the GOP") == (img, lines[img - 1].index("the GOP") + 1)


ATOM = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<feed xmlns="http://www.w3.org/2005/Atom"><title>Notebook</title>'
    "<subtitle>Notes from a proud Tories fan</subtitle>\n"
    "<entry><title>A post</title>"
    '<content type="html">&lt;p&gt;I might\n&lt;strong&gt;vote&lt;/strong&gt; Labour.&lt;/p&gt;'
    '&lt;img alt="the NDP logo" src="https://www.canada.ca/a.png"&gt;</content>'
    '<category term="Lib Dems"/></entry></feed>\n'
)


def test_a_feed_entry_is_html_again_and_maps_back_to_the_feed_file() -> None:
    blocks = _blocks("feeds/all.atom.xml", ATOM)
    texts = {text: (kind, where) for kind, where, text, _ in blocks}
    assert texts["Notes from a proud Tories fan"] == (TEXT, "Atom feed <subtitle>")
    assert texts["I might\nvote Labour."] == (TEXT, "Atom feed <content>: <p>")
    assert texts["the NDP logo"] == (ATTRIBUTE, "Atom feed <content>: alt of <img>")
    assert texts["https://www.canada.ca/a.png"][0] == LINK
    assert texts["Lib Dems"] == (ATTRIBUTE, "Atom feed: term of <category>")
    # "Labour" is on the feed's line 4, where the XML has it (after "&lt;/strong&gt; ").
    line4 = ATOM.split("\n")[3]
    assert _at("feeds/all.atom.xml", ATOM, "Labour") == (4, line4.index("Labour") + 1)


def test_json_feed_strings_decode_escapes_and_keep_their_place() -> None:
    feed = json.dumps(
        {"title": "Notebook", "items": [{"content_html": "<p>Vote \u201cLabour\u201d</p>"}]},
        indent=1,
    )  # json.dumps escapes the curly quotes: \u201c
    blocks = _blocks("feeds/all.json", feed)
    texts = {text: where for _, where, text, _ in blocks}
    assert texts["Vote “Labour”"] == 'JSON "content_html": <p>'
    assert (
        "Notebook" in texts and "title" not in texts and "items" not in texts
    )  # keys are not text
    line = next(n for n, t in enumerate(feed.splitlines(), 1) if "content_html" in t)
    col = feed.splitlines()[line - 1].index("Labour") + 1
    assert _at("feeds/all.json", feed, "Labour") == (line, col)


def test_svg_text_runs_are_one_phrase_and_title_desc_are_text() -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg"><title>Results</title>\n'
        "<desc>Seats won</desc><text>Vote <tspan>Lab</tspan>our</text></svg>"
    )
    texts = {text: where for _, where, text, _ in _blocks("images/chart.svg", svg)}
    assert texts == {
        "Results": "SVG <title>",
        "Seats won": "SVG <desc>",
        "Vote Labour": "SVG <text>",
    }


def test_css_and_scripts_give_strings_comments_and_urls() -> None:
    css = '/* the Tories */\na::after { content: "Vote Labour"; background: url(https://gc.ca/x.png) }'
    texts = {(kind, text) for kind, _, text, _ in _blocks("theme/css/a.css", css)}
    assert texts == {
        (COMMENT, "the Tories"),
        (ATTRIBUTE, "Vote Labour"),
        (LINK, "https://gc.ca/x.png"),
    }
    js = "// the GOP\nvar re = /'not a string/; el.innerHTML = '<b>Vote</b> Labour'; var n = 4 / 2;"
    blocks = _blocks("theme/js/a.js", js)
    assert [(k, t) for k, _, t, _ in blocks] == [(COMMENT, "the GOP"), (TEXT, "Vote Labour")]


def test_a_compressed_copy_is_read_inside() -> None:
    data = gzip.compress(b"<p>Vote Labour</p>")
    ft = read_file("index.html.gz", data)
    assert [b.text.text for b in ft.blocks] == ["Vote Labour"] and ft.note


def test_what_cannot_be_read_is_a_problem_never_skipped() -> None:
    broken = read_file("feeds/all.atom.xml", b"<feed><title>x</feed>\n")
    [problem] = broken.problems
    assert "does not parse" in problem.message and (problem.line, problem.col) == (1, 17)
    bad_json = read_file("search.json", b'{"a": "b",\n "c": }')
    [problem] = bad_json.problems
    assert "JSON does not parse" in problem.message
    assert position(bad_json.text, problem.offset) == (2, 7)
    latin1 = read_file("notes.txt", "Caf\u00e9 politics".encode("latin-1"))
    assert "not valid utf-8" in latin1.problems[0].message
    pdf = read_file("downloads/cv.pdf", b"%PDF-1.7\n\x00\x01binary")
    assert "not text" in pdf.problems[0].message
    # Images are judged by the image rules and fonts carry no prose: not read here.
    assert read_file("images/a.png", b"\x89PNG\r\n").skipped
    assert read_file("theme/fonts/a.woff2", b"wOF2\x00").skipped


def test_an_attribute_keeps_an_ampersand_a_browser_keeps() -> None:
    page = '<a href="https://x.example/?a=1&region=WY&amp;b=2" title="R&amp;D &copy; 2026">x</a>'
    texts = [text for _, _, text, _ in _blocks("index.html", page)]
    assert texts == ["https://x.example/?a=1&region=WY&b=2", "R&D © 2026", "x"]
