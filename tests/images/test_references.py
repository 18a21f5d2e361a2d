"""Finding image references in texts, placed on the URL, and resolving them."""

from __future__ import annotations

from pathlib import Path

from prudent.document import HTML, PLAIN, TEMPLATE, Site, TextDocument
from prudent.images.references import DATA, LOCAL, REMOTE, find_references


def _site(tmp_path: Path, *docs: TextDocument) -> Site:
    content = tmp_path / "content"
    for rel in ("images/a.png", "images/b.jpg", "posts/c.png", "images/d e.png"):
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / rel).write_bytes(b"x")
    return Site(root=tmp_path, content_dir=content, texts=list(docs))


def _where(refs):
    return [
        (r.location.line, r.location.col, r.kind, r.path.name if r.path else r.url) for r in refs
    ]


def test_markdown_inline_reference_style_and_metadata(tmp_path: Path) -> None:
    text = (
        "Title: T\n"
        "Image: {static}/images/a.png\n"
        "og_image: https://cdn.example.net/og.jpg\n"
        "\n"
        'Text ![alt](images/b.jpg "t") and ![x]({attach}c.png).\n'
        "![ref][pic] and ![pic] and [not an image][doc]\n"
        "\n"
        "[pic]: </images/d%20e.png>\n"
        "[doc]: https://example.org/page\n"
    )
    site = _site(tmp_path, TextDocument("content/posts/p.md", text))
    assert _where(find_references(site)) == [
        (2, 8, LOCAL, "a.png"),
        (3, 11, REMOTE, "https://cdn.example.net/og.jpg"),
        (5, 13, LOCAL, "b.jpg"),
        (5, 40, LOCAL, "c.png"),
        (8, 9, LOCAL, "d e.png"),
    ]


def test_html_img_srcset_picture_and_css(tmp_path: Path) -> None:
    text = (
        '<p><img alt=\'x\' src="/images/a.png" srcset="/images/b.jpg 2x, '
        'https://x.example/y.webp 3x"></p>\n'
        "<picture><source srcset='data:image/png;base64,iVBORw0KGgo= 1x'>"
        "<img src=//img.example/z.gif></picture>\n"
        '<div style="background: url(/images/a.png)"></div>\n'
        "<a href='/images/a.png'>a link is not an embed</a>\n"
        '<meta property="og:image" content="/images/b.jpg">\n'
    )
    site = _site(tmp_path, TextDocument("content/pages/p.html", text, HTML))
    got = _where(find_references(site))
    assert (1, 22, LOCAL, "a.png") in got
    assert (1, 45, LOCAL, "b.jpg") in got
    assert (1, 63, REMOTE, "https://x.example/y.webp") in got
    assert (2, 26, DATA, "data:image/png;base64,iVBORw0KGgo=") in got
    assert (2, 74, REMOTE, "https://img.example/z.gif") in got
    assert (3, 29, LOCAL, "a.png") in got
    assert (5, 36, LOCAL, "b.jpg") in got
    assert len(got) == 7


def test_missing_local_image_is_still_a_reference(tmp_path: Path) -> None:
    site = _site(tmp_path, TextDocument("content/posts/p.md", "\n![x]({static}/images/gone.png)\n"))
    [ref] = find_references(site)
    assert ref.kind == LOCAL and not ref.path.exists() and ref.path.name == "gone.png"
    assert (ref.location.line, ref.location.col) == (2, 6)


def test_templates_and_settings(tmp_path: Path) -> None:
    template = TextDocument(
        "theme/templates/base.html",
        '<img src="{{ SITEURL }}/images/a.png"><img src="{{ article.image }}">'
        '<img src="https://avatars.example/me.png">',
        TEMPLATE,
    )
    setting = TextDocument(
        "pelicanconf.py", "https://avatars.example/me.jpg", PLAIN, 12, 10, label="setting AVATAR"
    )
    site = _site(tmp_path, template, setting)
    got = _where(find_references(site))
    assert got == [
        (1, 11, LOCAL, "a.png"),
        (1, 80, REMOTE, "https://avatars.example/me.png"),
        (12, 10, REMOTE, "https://avatars.example/me.jpg"),
    ]


def test_code_examples_are_not_embeds(tmp_path: Path) -> None:
    text = (
        "Title: T\n\nWrite `![alt](/images/none.png)` like this:\n\n"
        '```html\n<img src="/images/example.png">\n```\n\n![real](/images/a.png)\n'
    )
    site = _site(tmp_path, TextDocument("content/posts/p.md", text))
    assert _where(find_references(site)) == [(9, 9, LOCAL, "a.png")]


def test_rst_image_directive_and_field(tmp_path: Path) -> None:
    from prudent.document import RST

    text = "Title\n#####\n\n:image: {static}/images/a.png\n\n.. figure:: {static}/images/b.jpg\n"
    site = _site(tmp_path, TextDocument("content/posts/p.rst", text, RST))
    assert _where(find_references(site)) == [(4, 9, LOCAL, "a.png"), (6, 13, LOCAL, "b.jpg")]


def test_a_style_sheet_in_plain_text_is_not_an_image_path(tmp_path: Path) -> None:
    # Red team F5: an SVG's <style> reaches the references as plain text; its url() was
    # read as a file named "rect{fill:url(https://..." that "does not exist".
    sheet = TextDocument(
        "content/images/s.svg", "rect{fill:u\\rl(https://x.example/r.svg#a)}", PLAIN
    )
    lone = TextDocument("settings", "{static}/images/a.png", PLAIN)
    assert _where(find_references(_site(tmp_path, sheet, lone))) == [(1, 1, LOCAL, "a.png")]


def test_escaped_css_and_link_tags_that_load(tmp_path: Path) -> None:
    # Red team F4: CSS escapes (u\72l, @\69mport) and comments hid remote loads; a
    # <link href> that loads (a style sheet, an icon, a preload) was not looked at.
    text = (
        '<div style="background:u\\72l(https://x.example/bge.png)">x</div>\n'
        '<style>@\\69mport "https://x.example/z.css"; @import/**/url(//x.example/c.css);'
        ' a { b: image-set("https://x.example/i" 1x) }</style>\n'
        '<link rel="stylesheet" href="https://x.example/l.css">'
        "<link rel=icon href='/images/a.png'><link rel=preload href=https://x.example/f.woff2>\n"
        '<link rel="canonical" href="https://x.example/"><link rel="alternate" href="/feed.xml">'
        '<link rel="stylesheet" href="/theme/css/main.css">\n'
    )
    got = _where(find_references(_site(tmp_path, TextDocument("content/p.html", text, HTML))))
    assert sorted(got) == [
        (1, 30, REMOTE, "https://x.example/bge.png"),
        (2, 19, REMOTE, "https://x.example/z.css"),
        (2, 60, REMOTE, "https://x.example/c.css"),
        (2, 98, REMOTE, "https://x.example/i"),
        (3, 30, REMOTE, "https://x.example/l.css"),
        (3, 76, LOCAL, "a.png"),
        (3, 114, REMOTE, "https://x.example/f.woff2"),
    ]
