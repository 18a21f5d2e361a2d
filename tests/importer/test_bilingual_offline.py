"""A bilingual government blog (Jekyll, English and French) imported and built offline.

Written the way such blogs are: authors who sign with their role ("Jane Doe,
Developer", "Marie Tremblay, conseillère principale en politiques"), pictures on
the department's asset server in the body (Markdown, ``<img>``, ``srcset``, an
include), in the front matter (``image:``, a theme's ``header.teaser``) and as
the cover the importer makes. The asset server is unreachable: every socket is
refused while the build runs, as on a machine with no network.
"""

from __future__ import annotations

import socket
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
import yaml

from importer import import_blog
from sitebuild.build import BuildFailed, build
from tests.importer.conftest import build_settings, picture, write

ATOM = "{http://www.w3.org/2005/Atom}"
ASSETS = "https://assets.digital.example.invalid"

EN_POST = f"""---
layout: post
lang: en
title: "Building trust with plain language"
date: 2021-03-04 09:00:00 -0500
author: "Jane Doe, Developer"
image: {ASSETS}/blog/2021/trust-cover.jpg
header:
  teaser: {ASSETS}/blog/2021/trust-teaser.png
description: How we rewrote our benefit letters.
---

We rewrote our benefit letters with the people who receive them.

![A letter before and after]({ASSETS}/blog/2021/letter.png)

<img src="{ASSETS}/blog/2021/team.jpg" alt="The team at work" srcset="{ASSETS}/blog/2021/team-2x.jpg 2x">

{{% include figure.html image="{ASSETS}/blog/2021/chart.svg" alt="Reading age by letter" %}}

Read the [service standard](https://www.canada.ca/en/government/system/digital-government/government-canada-digital-standards.html).
"""

FR_POST = f"""---
layout: post
lang: fr
title: "Bâtir la confiance grâce au langage clair"
date: 2021-03-04 09:00:00 -0500
author: "Marie Tremblay, conseillère principale en politiques"
image: {ASSETS}/blog/2021/confiance-couverture.jpg
description: Comment nous avons réécrit nos lettres de prestations.
---

Nous avons réécrit nos lettres avec les personnes qui les reçoivent.

![Une lettre avant et après]({ASSETS}/blog/2021/lettre.png)

<picture><source srcset="{ASSETS}/blog/2021/equipe.webp" type="image/webp"><img src="/assets/img/equipe.png" alt="L'équipe au travail"></picture>
"""

LIST_POST = """---
title: "Two designers, one prototype"
date: 2021-04-01
authors:
  - "Sam Li, Designer"
  - "Alex Martin, Product Manager"
---

We paired on a paper prototype before writing any code.
"""

POLICY = """
# An official blog speaks for its department.
[[allow]]
rule = "official-link"
reason = "the team publishes for its department"
"""


@pytest.fixture
def gov_blog(tmp_path: Path) -> Path:
    site = tmp_path / "blog"
    write(site / "_config.yml", "title: Digital blog\nlanguages: [en, fr]\n")
    write(site / "_posts/2021-03-04-building-trust.md", EN_POST)
    write(site / "_posts/2021-03-04-batir-la-confiance.md", FR_POST)
    write(site / "_posts/2021-04-01-two-designers.md", LIST_POST)
    picture(site / "assets/img/equipe.png")
    return site


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every connection and name lookup fails, as with the cable out."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args[1] if len(args) > 1 else args)
        raise OSError(101, "Network is unreachable")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: refuse(None, a[0]))
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: refuse(None, a[0]))
    return attempts


def _front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n", 2)[1])


def _allow_official_links(project: Path) -> None:
    policy = project / "guardrails.toml"
    policy.write_text(policy.read_text() + POLICY)


def test_imported_with_link_it_builds_offline_with_one_author_per_post(
    gov_blog: Path, empty_project: Path, no_network: list[object]
) -> None:
    content = empty_project / "content"
    report = import_blog(gov_blog / "_posts", content, remote_images="link")
    assert len(report.posts_imported) == 3, report.to_text()
    posts = {p.name: p for p in (content / "posts").glob("*.md")}
    en = _front_matter(posts["2021-03-04-building-trust.md"])
    fr = _front_matter(posts["2021-03-04-batir-la-confiance.md"])
    duo = _front_matter(posts["2021-04-01-two-designers.md"])
    # One author per person; the role kept aside, not an author of its own.
    assert (en["authors"], en["author_roles"]) == (["Jane Doe"], {"Jane Doe": "Developer"})
    assert fr["authors"] == ["Marie Tremblay"]
    assert fr["author_roles"]["Marie Tremblay"] == "conseillère principale en politiques"
    assert duo["authors"] == ["Sam Li", "Alex Martin"]
    # No picture of any post is remote any more: front matter, cover, body.
    assert "image" not in en and "cover" not in en and "teaser" not in en["header"]
    assert en["source_remote_images"] == [
        f"{ASSETS}/blog/2021/trust-cover.jpg",
        f"{ASSETS}/blog/2021/trust-teaser.png",
    ]
    body = posts["2021-03-04-building-trust.md"].read_text().split("---\n", 2)[2]
    assert f"[A letter before and after]({ASSETS}/blog/2021/letter.png)" in body
    assert f'<a href="{ASSETS}/blog/2021/team.jpg">The team at work</a>' in body
    assert f"[Reading age by letter]({ASSETS}/blog/2021/chart.svg)" in body
    fr_body = posts["2021-03-04-batir-la-confiance.md"].read_text().split("---\n", 2)[2]
    assert "equipe.webp" not in fr_body and "{static}/images/equipe.png" in fr_body
    # The report lists each picture that stayed behind, at its line in the source.
    remote = sorted(
        (Path(p.path).name, p.line) for p in report.problems if p.code == "remote-image"
    )
    assert remote == [
        ("2021-03-04-batir-la-confiance.md", 7),  # image:
        ("2021-03-04-batir-la-confiance.md", 13),  # ![...]
        ("2021-03-04-batir-la-confiance.md", 15),  # <source srcset>
        ("2021-03-04-building-trust.md", 7),  # image: (and the cover made from it)
        ("2021-03-04-building-trust.md", 9),  # header.teaser
        ("2021-03-04-building-trust.md", 15),  # ![...]
        ("2021-03-04-building-trust.md", 17),  # <img src srcset>
        ("2021-03-04-building-trust.md", 19),  # {% include figure.html image=... %}
    ], report.to_text()

    _allow_official_links(empty_project)
    result = build(empty_project / "pelicanconf.py", overrides=build_settings(empty_project))
    assert not result.report.failed, result.report.to_text()
    assert no_network == [], "the build tried the network"
    out = result.output
    everything = "\n".join(p.read_text("utf-8", "replace") for p in out.rglob("*.html"))
    assert "Building trust with plain language" in everything
    assert "Bâtir la confiance" in everything
    assert f'src="{ASSETS}' not in everything and f'srcset="{ASSETS}' not in everything
    assert "Developer" not in everything.replace("developer", "")  # the role is no author
    pages = sorted(p.relative_to(out).as_posix() for p in out.glob("2021/*/*/index.html"))
    assert pages == ["2021/03/building-trust/index.html", "2021/04/two-designers/index.html"]
    # A post in another language than DEFAULT_LANG goes where Pelican's
    # ARTICLE_LANG_SAVE_AS says: pelicanconf.py puts it under its language.
    french = out / "fr/2021/03/batir-la-confiance/index.html"
    assert "Nous avons réécrit" in french.read_text("utf-8")
    assert '<html lang="fr"' in french.read_text("utf-8")
    # The feeds carry each post's author: the person, never the role.
    atom = ET.parse(out / "feeds/all.atom.xml").getroot()
    names = {
        e.find(f"{ATOM}title").text: [a.findtext(f"{ATOM}name") for a in e.findall(f"{ATOM}author")]
        for e in atom.findall(f"{ATOM}entry")
    }
    assert names["Building trust with plain language"] == ["Jane Doe"]
    assert names["Bâtir la confiance grâce au langage clair"] == ["Marie Tremblay"]
    assert names["Two designers, one prototype"][0] == "Sam Li"


def test_kept_remote_images_fail_offline_with_the_url_the_error_and_the_switch(
    gov_blog: Path, empty_project: Path, no_network: list[object]
) -> None:
    import_blog(gov_blog / "_posts", empty_project / "content")  # keep: judged at build
    _allow_official_links(empty_project)
    with pytest.raises(BuildFailed) as failed:
        build(empty_project / "pelicanconf.py", overrides=build_settings(empty_project))
    text = str(failed.value)
    line = next(x for x in text.splitlines() if f"{ASSETS}/blog/2021/letter.png" in x)
    assert "error unscannable-image" in line and "network is unreachable" in line.lower()
    assert "offline = true under [images.remote] in guardrails.toml" in line
    assert "--remote-images link" in line
    assert no_network, "the build should have tried, and failed, to fetch"


class _Assets(BaseHTTPRequestHandler):
    bodies: ClassVar[dict[str, bytes]] = {}

    def do_GET(self) -> None:
        body = self.bodies.get(self.path.split("?")[0])
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "image/png" if body else "text/plain")
        self.end_headers()
        self.wfile.write(body or b"missing")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def asset_server(tmp_path: Path) -> Iterator[str]:
    png = picture(tmp_path / "p.png").read_bytes()
    _Assets.bodies = {
        f"/blog/2021/{n}": png
        for n in ("trust-cover.jpg", "trust-teaser.png", "letter.png", "team.jpg", "lettre.png")
    }
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Assets)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_download_copies_what_it_can_and_links_the_rest(
    gov_blog: Path, empty_project: Path, asset_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for post in (gov_blog / "_posts").glob("*.md"):
        post.write_text(post.read_text().replace(ASSETS, asset_server))
    content = empty_project / "content"
    report = import_blog(gov_blog / "_posts", content, remote_images="download")
    en = _front_matter(content / "posts/2021-03-04-building-trust.md")
    assert en["image"] == en["cover"] == "{static}/images/remote/127.0.0.1/trust-cover.png"
    assert en["header"]["teaser"] == "{static}/images/remote/127.0.0.1/trust-teaser.png"
    assert report.converted["downloaded images"] >= 5
    copied = sorted(p.name for p in (content / "images/remote/127.0.0.1").iterdir())
    assert copied == ["letter.png", "lettre.png", "team.png", "trust-cover.png", "trust-teaser.png"]
    # What the server did not have became a link, and the report says why.
    [chart] = [p for p in report.problems if p.code == "remote-image" and "chart.svg" in p.found]
    assert "could not download it (the server answered HTTP 404" in chart.action
    assert chart.line == 19 and chart.path.endswith("2021-03-04-building-trust.md")
    # The build needs no network now: every picture is a local file, judged.
    monkeypatch.setattr(
        socket.socket, "connect", lambda *a: (_ for _ in ()).throw(OSError(101, "off"))
    )
    _allow_official_links(empty_project)
    result = build(empty_project / "pelicanconf.py", overrides=build_settings(empty_project))
    assert not result.report.failed, result.report.to_text()
    page = (result.output / "2021/03/building-trust/index.html").read_text()
    assert 'src="https://notebook.example.org/images/remote/127.0.0.1/letter.png"' in page
    assert (result.output / "images/remote/127.0.0.1/trust-cover.png").is_file()


def test_link_leaves_no_embedded_media_or_styled_picture_remote(tmp_path: Path) -> None:
    site = tmp_path / "hugo"
    write(site / "hugo.toml", 'title = "Blogue"\n')
    write(
        site / "content/posts/medias.md",
        "---\ntitle: Médias\ndate: 2022-05-05\nauthor: 'Léa Roy, développeuse'\n---\n"
        f'<div style="background-image: url({ASSETS}/bg.jpg)">Bannière</div>\n\n'
        f'<video poster="{ASSETS}/poster.png"><source src="{ASSETS}/clip.mp4" type="video/mp4"></video>\n\n'
        f'<object data="{ASSETS}/diagram.svg" type="image/svg+xml"></object>\n\n'
        '<iframe src="https://www.youtube.com/embed/abc"></iframe>\n\n'
        f'```html\n<img src="{ASSETS}/in-code.png">\n```\n',
    )
    report = import_blog(site / "content/posts", tmp_path / "out", remote_images="link")
    text = (tmp_path / "out/posts/2022-05-05-medias.md").read_text()
    body = text.split("---\n", 2)[2]
    assert "background-image: none" in body
    assert 'poster="' not in body and "clip.mp4" not in body and "diagram.svg" not in body
    assert "https://www.youtube.com/embed/abc" in body  # a page in a frame is a link's business
    assert f'<img src="{ASSETS}/in-code.png">' in body  # code is an example, not an embed
    assert _front_matter(tmp_path / "out/posts/2022-05-05-medias.md")["authors"] == ["Léa Roy"]
    lines = sorted(p.line for p in report.problems if p.code == "remote-image")
    assert lines == [6, 8, 8, 10], report.to_text()
