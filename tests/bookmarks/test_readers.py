"""The export readers and the merge rules, without Pelican: positions, quirks, problems."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from prudent_bookmarks import netscape_html, pinboard_json
from prudent_bookmarks.documents import text_documents
from prudent_bookmarks.exports import read_folder
from prudent_bookmarks.model import (
    Entry,
    ExportError,
    Text,
    is_linkable,
    merge,
    tag_slug,
    tags_of,
    url_key,
)

HERE = Path(__file__).parent
FIREFOX = (HERE / "firefox.html").read_text(encoding="utf-8")


def position(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """1-based (line, col) of the nth occurrence of ``needle`` in ``text``."""
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(needle, offset + 1)
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def at(text: Text | None) -> tuple[int, int]:
    assert text is not None
    return text.line, text.col


# -- Pinboard JSON ----------------------------------------------------------------

PINBOARD = """[
{"href":"https:\\/\\/webaim.org\\/resources\\/contrastchecker\\/","description":"WebAIM: Contrast Checker","extended":"  Two colours in, a ratio out.","meta":"x","hash":"y","time":"2026-11-12T15:20:02Z","shared":"yes","toread":"no","tags":"accessibility .work colour"},
{"href":"https://example.org/private","description":"Private thing","extended":"","time":"2026-11-13T09:00:00Z","shared":"no","toread":"yes","tags":"home"},
{"href":"https://example.org/no-title","description":"","extended":"","time":"2026-11-01T00:00:00Z","shared":"yes","toread":"yes","tags":""}
]
"""


def test_pinboard_entries_with_positions_of_every_text() -> None:
    first, private, untitled = pinboard_json.parse(PINBOARD, "content/bookmarks/pinboard.json")
    assert first.url.value == "https://webaim.org/resources/contrastchecker/"  # \/ decoded
    assert at(first.url) == position(PINBOARD, "https:")
    assert first.title and first.title.value == "WebAIM: Contrast Checker"
    assert at(first.title) == position(PINBOARD, "WebAIM: Contrast")
    assert first.notes and first.notes.value == "Two colours in, a ratio out."
    assert at(first.notes) == position(PINBOARD, "Two colours")  # leading spaces skipped
    assert [(t.value, t.line, t.col) for t in first.tags] == [
        ("accessibility", *position(PINBOARD, "accessibility .work")),
        (".work", *position(PINBOARD, ".work")),
        ("colour", *position(PINBOARD, 'colour"')),
    ]
    assert first.time == datetime(2026, 11, 12, 15, 20, 2, tzinfo=UTC)
    assert (first.private, first.toread, first.number, first.line) == (False, False, 1, 2)
    assert private.private and private.toread
    assert untitled.title is None and untitled.tags == ()


def test_pinboard_wrapper_object_tag_lists_and_missing_shared() -> None:
    text = json.dumps(
        {
            "date": "2026-11-20T00:00:00Z",
            "user": "sam",
            "posts": [
                {
                    "href": "https://a.example/",
                    "time": "2026-11-20T10:00:00Z",
                    "shared": "yes",
                    "tags": ["one", "two"],
                },
                {
                    "href": "https://b.example/",
                    "time": "2026-11-19T10:00:00",
                    "description": False,
                    "extended": None,
                },
            ],
        },
        indent=1,
    )
    tagged, unmarked = pinboard_json.parse(text, "p.json")
    assert [t.value for t in tagged.tags] == ["one", "two"]
    assert unmarked.private, "a post that does not say it is shared is private (fail closed)"
    assert unmarked.time == datetime(2026, 11, 19, 10, tzinfo=UTC)
    assert unmarked.title is None and unmarked.notes is None


@pytest.mark.parametrize(
    ("text", "needle", "message"),
    [
        (
            '[{"href": "https://a.example/", "time": "2026-11-20T10:00:00Z",}]',
            "}]",
            "not valid JSON: Expecting property name",
        ),
        (
            '[\n {"href": "https://a.example/", "time": "2026-11-20T10:00:00Z"},\n'
            ' {"description": "No URL", "time": "2026-11-20T10:00:00Z"}\n]',
            '{"description"',
            'entry 2: has no "href"',
        ),
        (
            '[\n {"href": "https://a.example/x",\n  "time": "last Tuesday"}\n]',
            '"last Tuesday"',
            "entry 1 (https://a.example/x): \"time\" is 'last Tuesday', not a date",
        ),
        ('[\n {"href": "https://a.example/x"}\n]', "{", 'has no "time"'),
        ('[\n {"href": 42, "time": "2026-11-20T10:00:00Z"}\n]', "42", '"href" is empty'),
        ('[\n "https://a.example/"\n]', '"https', "entry 1: is a string, not an object"),
        ('{"user": "sam"}', "{", "expected a list of bookmarks"),
        ("[" * 100000 + "]" * 100000, "[", "nested too deeply"),
    ],
)
def test_malformed_pinboard_export_names_file_entry_and_place(
    text: str, needle: str, message: str
) -> None:
    with pytest.raises(ExportError) as caught:
        pinboard_json.parse(text, "content/bookmarks/pinboard.json")
    [problem] = caught.value.problems
    assert message in problem.message
    assert (problem.line, problem.col) == position(text, needle)
    assert str(problem).startswith(
        f"content/bookmarks/pinboard.json:{problem.line}:{problem.col}: error bookmark-export: "
    )
    assert "content/bookmarks/pinboard.json" in str(caught.value)


def test_bad_json_points_at_the_syntax_error() -> None:
    text = '[\n {"href": "https://a.example/",\n  "time": "2026-11-20T10:00:00Z",}\n]'
    with pytest.raises(ExportError) as caught:
        pinboard_json.parse(text, "p.json")
    [problem] = caught.value.problems
    assert (problem.line, problem.col) == position(text, "}\n]")


def test_every_bad_entry_is_reported_at_once() -> None:
    text = '[\n {"href": "https://a.example/"},\n {"time": "2026-11-20T10:00:00Z"}\n]'
    with pytest.raises(ExportError) as caught:
        pinboard_json.parse(text, "p.json")
    assert [(p.line, p.message.split(":")[0]) for p in caught.value.problems] == [
        (2, "entry 1 (https"),
        (3, "entry 2"),
    ]


# -- Netscape HTML ------------------------------------------------------------------


def test_firefox_style_export_with_real_world_quirks() -> None:
    entries = netscape_html.parse(FIREFOX, "content/bookmarks/firefox.html")
    forms, stack, diary, line_length, most_visited = entries
    # Uppercase attributes, entities, ICON data URI, LAST_MODIFIED, comma tags, <DD> notes.
    assert forms.url.value == "https://www.a11yproject.com/posts/how-to-write-accessible-forms/"
    assert forms.title and forms.title.value == "Accessible forms & labels — The A11Y Project"
    assert at(forms.title) == position(FIREFOX, "Accessible forms &amp;")
    assert forms.notes and forms.notes.value == (
        "Labels, hints & errors: <label> beats placeholder text."
    )
    assert at(forms.notes) == position(FIREFOX, "Labels, hints")
    assert [(t.value, t.line, t.col) for t in forms.tags] == [
        ("accessibility", *position(FIREFOX, "accessibility,forms")),
        ("forms", *position(FIREFOX, 'forms"')),
    ]
    assert at(forms.url) == position(FIREFOX, "https://www.a11yproject.com/posts")
    assert forms.time == datetime.fromtimestamp(1763700000, UTC)
    # Lowercase attributes, no </A>, space-separated tags, ADD_DATE in microseconds,
    # inside a nested folder.
    assert stack.title and stack.title.value == "The Stack"
    assert [t.value for t in stack.tags] == ["css", "layout"]
    assert stack.time == datetime.fromtimestamp(1763600000, UTC)
    assert diary.private and diary.notes and "private note" in diary.notes.value
    # TOREAD, PRIVATE="0", tags with a space after the comma, no date at all.
    assert line_length.toread and not line_length.private and line_length.time is None
    assert [t.value for t in line_length.tags] == ["typography", ".mine"]
    assert most_visited.url.value.startswith("place:")
    # Folders are not bookmarks; their names are not titles.
    assert all("Nested folder" not in (e.title.value if e.title else "") for e in entries)


def test_multiline_tag_positions() -> None:
    text = (
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL><p>\n<DT><A\n  HREF='https://a.example/'\n"
        '  ADD_DATE="1763700000" TAGS="one,two">\n  Title on its own line</A>\n</DL>\n'
    )
    [entry] = netscape_html.parse(text, "b.html")
    assert at(entry.url) == position(text, "https://a.example/")
    assert [(t.line, t.col) for t in entry.tags] == [position(text, "one"), position(text, "two")]
    assert at(entry.title) == position(text, "Title on")


@pytest.mark.parametrize(
    ("bookmark", "needle", "message"),
    [
        ('<DT><A ADD_DATE="1763700000">No URL</A>', "<A ADD", "bookmark 2: has no HREF"),
        (
            '<DT><A HREF="https://b.example/" ADD_DATE="yesterday">B</A>',
            "yesterday",
            "bookmark 2 (https://b.example/): ADD_DATE is 'yesterday', not a Unix time",
        ),
        (
            '<DT><A HREF="https://b.example/" PRIVATE="y">B</A>',
            'y">B',
            'PRIVATE is "y", not "1" or "0"',
        ),
    ],
)
def test_malformed_netscape_bookmark_names_the_entry(
    bookmark: str, needle: str, message: str
) -> None:
    text = (
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL><p>\n"
        '<DT><A HREF="https://a.example/" ADD_DATE="1763700000">A</A>\n'
        f"{bookmark}\n</DL>\n"
    )
    with pytest.raises(ExportError) as caught:
        netscape_html.parse(text, "content/bookmarks/b.html")
    [problem] = caught.value.problems
    assert message in problem.message
    assert (problem.line, problem.col) == position(text, needle)


def test_raw_script_in_a_title_does_not_swallow_the_bookmarks_after_it() -> None:
    text = (
        '<DL><p>\n<DT><A HREF="https://a.example/">Evil <script>alert(1)</A>\n'
        '<DT><A HREF="https://b.example/" ADD_DATE="1763700000">B</A>\n</DL>\n'
    )
    first, second = netscape_html.parse(text, "b.html")
    assert first.title and first.title.value == "Evil alert(1)"
    assert second.url.value == "https://b.example/" and second.title
    assert second.title.value == "B"


def test_a_page_that_is_not_a_bookmark_export_is_refused() -> None:
    with pytest.raises(ExportError, match=r"b\.html:1:1: error bookmark-export: not a bookmark"):
        netscape_html.parse("<html><body><p>Hello</p></body></html>", "b.html")


def test_folder_reader_reports_every_file_and_refuses_unknown_ones(tmp_path: Path) -> None:
    folder = tmp_path / "content" / "bookmarks"
    folder.mkdir(parents=True)
    (folder / "a.json").write_text("[{]")
    (folder / "b.xml").write_text("<posts/>")
    (folder / "c.html").write_bytes(b"<DT><A HREF='https://x.example/'>Caf\xe9</A>")
    (folder / ".DS_Store").write_bytes(b"\0\0")
    (folder / "d.json~").write_text("backup")
    with pytest.raises(ExportError) as caught:
        read_folder(folder, tmp_path)
    assert [(p.path, p.line) for p in caught.value.problems] == [
        ("content/bookmarks/a.json", 1),
        ("content/bookmarks/b.xml", 1),
        ("content/bookmarks/c.html", 1),
    ]
    assert "export JSON" in caught.value.problems[1].message
    assert caught.value.problems[2].col == len("<DT><A HREF='https://x.example/'>Caf") + 1
    assert "not UTF-8" in caught.value.problems[2].message


# -- merging, links, tags -----------------------------------------------------------


def entry(
    url: str,
    *,
    day: int | None,
    tags: str = "",
    private: bool = False,
    title: str = "",
    path: str = "p.json",
    toread: bool = False,
) -> Entry:
    tag_texts = tuple(Text(t, day or 1, i + 1) for i, t in enumerate(tags.split()))
    return Entry(
        path,
        1,
        1,
        1,
        Text(url, 1, 1),
        Text(title or url, 1, 1),
        None,
        tag_texts,
        datetime(2026, 11, day, tzinfo=UTC) if day else None,
        private,
        toread,
    )


def test_duplicates_merge_newest_wins_tags_are_united() -> None:
    bookmarks = merge(
        [
            entry(
                "https://Example.org:443/a",
                day=3,
                tags="design Writing",
                title="Old title",
                path="a.json",
            ),
            entry(
                "https://example.org/a",
                day=9,
                tags="writing css .secret",
                title="New title",
                path="b.html",
                toread=True,
            ),
            entry("https://example.org/b", day=5, tags="design"),
        ]
    )
    merged, other = bookmarks
    assert (merged.title, merged.time.day, merged.toread) == ("New title", 9, True)
    assert merged.tags == ("writing", "css", "design")  # newest spelling first, no private
    assert [path for path, _ in merged.tag_texts] == ["b.html", "b.html", "a.json"]
    assert other.url == "https://example.org/b"


def test_a_url_private_anywhere_stays_private_and_internal_urls_are_dropped() -> None:
    bookmarks = merge(
        [
            entry("https://example.org/a", day=9),
            entry("https://example.org/a", day=3, private=True),
            entry("place:sort=8&maxResults=10", day=4),
            entry("file:///home/sam/notes.txt", day=4),
            entry("https://example.org/undated", day=None),
            entry("https://example.org/c", day=1),
        ]
    )
    assert [b.url for b in bookmarks] == ["https://example.org/c", "https://example.org/undated"]


@pytest.mark.parametrize(
    ("url", "linkable"),
    [
        ("https://example.org/a?b=1&c=2", True),
        ("HTTP://EXAMPLE.ORG/", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("https://exa\nmple.org/", False),
        (" javascript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("https:/no-host", False),
        ("ftp://example.org/file", False),
        ("//example.org/", False),
    ],
)
def test_only_plain_http_urls_are_linkable(url: str, linkable: bool) -> None:
    assert is_linkable(url) is linkable


def test_url_identity_and_tag_slugs() -> None:
    assert url_key("HTTPS://Example.ORG:443") == url_key("https://example.org/")
    assert url_key("http://example.org/a#x") != url_key("http://example.org/a")
    assert url_key("http://example.org/") != url_key("https://example.org/")
    assert tag_slug("Plain Language") == tag_slug("plain-language") == "plain-language"
    assert tag_slug("Café_UX") == "café-ux"
    assert tag_slug("!!!").startswith("tag-")
    long = tag_slug("é" * 300)
    assert len(long) < 64 and long.startswith("é" * 50) and long != tag_slug("é" * 299)
    tags = tags_of(
        merge(
            [
                entry("https://a.example/", day=2, tags="Design css"),
                entry("https://b.example/", day=1, tags="design"),
            ]
        )
    )
    assert [(t.name, t.slug, t.count) for t in tags] == [("css", "css", 1), ("Design", "design", 2)]


def test_guardrail_documents_cover_public_text_only_at_its_place() -> None:
    text = PINBOARD
    entries = pinboard_json.parse(text, "content/bookmarks/pinboard.json")
    docs = text_documents(merge(entries))
    seen = {(d.text, d.path, d.start_line, d.start_col, d.kind) for d in docs}
    path = "content/bookmarks/pinboard.json"
    assert ("WebAIM: Contrast Checker", path, *position(text, "WebAIM: C"), "plain") in seen
    assert ("Two colours in, a ratio out.", path, *position(text, "Two colours"), "plain") in seen
    assert ("colour", path, *position(text, 'colour"'), "plain") in seen
    assert (
        "https://webaim.org/resources/contrastchecker/",
        path,
        *position(text, "https:"),
        "plain",
    ) in seen
    assert not any(".work" in d.text or "Private thing" in d.text for d in docs)
