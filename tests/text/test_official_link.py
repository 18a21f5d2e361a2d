"""official-link: links to government sites, on the real host name, in every form."""

from __future__ import annotations

from pathlib import Path

import pytest

from prudent.document import HTML, PLAIN, TEMPLATE
from prudent.text.links import find_links, host_of
from tests.text.helpers import check_text, make_root, where


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_root(tmp_path_factory.mktemp("links"))


@pytest.mark.parametrize(
    ("line", "url"),
    [
        (
            "See [the guide](https://www.canada.ca/en/guide.html).",
            "https://www.canada.ca/en/guide.html",
        ),
        ("See [the guide](<https://www.gov.uk/a b>).", "https://www.gov.uk/a b"),
        (
            "See ![logo](https://assets.publishing.service.gov.uk/x.png).",
            "https://assets.publishing.service.gov.uk/x.png",
        ),
        ("See <https://www.usa.gov/>.", "https://www.usa.gov/"),
        ("See https://18f.gsa.gov/blog, please.", "https://18f.gsa.gov/blog"),
        ("See www.army.mil/news.", "www.army.mil/news"),
        ('See <a href="https://europa.eu/x">it</a>.', "https://europa.eu/x"),
        ("See <a href='//www.gc.ca/x'>it</a>.", "//www.gc.ca/x"),
        ("See <a href=https://www.govt.nz/>it</a>.", "https://www.govt.nz/"),
        ('See <img src="https://www.health.gov.au/a.png">.', "https://www.health.gov.au/a.png"),
        ("See [x](https://WWW.GOV.UK.:443/path).", "https://WWW.GOV.UK.:443/path"),
        ("See [x](https://ｇｏｖ.ｕｋ/).", "https://ｇｏｖ.ｕｋ/"),
        ("See [x](https:\\\\www.canada.ca\\en).", "https:\\\\www.canada.ca\\en"),
        ('See <a href="https://&#119;ww.gov.uk/">x</a>.', "https://&#119;ww.gov.uk/"),
    ],
)
def test_official_links_fire_where_the_url_is(root: Path, line: str, url: str) -> None:
    report = check_text(root, f"Title: T\n\nIntro.\n{line}\n")
    assert where(report.findings) == [("official-link", 4, line.index(url) + 1, url)]
    f = report.findings[0]
    assert "official government site" in f.message and "speaks for them" in f.message
    assert "<!-- guardrails: allow official-link because" in f.fix


def test_reference_links_fire_at_the_definition(root: Path) -> None:
    text = 'Title: T\n\nRead [the act][act].\n\n[act]: https://laws-lois.justice.gc.ca/eng/ "Act"\n'
    assert where(check_text(root, text).findings) == [
        ("official-link", 5, 8, "https://laws-lois.justice.gc.ca/eng/")
    ]


@pytest.mark.parametrize(
    "line",
    [
        "See [x](https://www.gov.uk.example.com/).",
        "See [x](https://gov.uk@evil.example/).",
        "See [x](https://notgov.uk/) and [y](https://govuk.example/).",
        "See [x](https://example.org/?next=https%3A%2F%2Fwww.gov.uk).",
        "See [x](https://www.a11yproject.com/) and [y](https://go.dev/).",
        "See [x](mailto:someone@canada.ca) and [y](/local/page/).",
        "<!-- https://www.canada.ca/ is not published as a link -->",
        "Write gov.uk in the text without linking it.",
    ],
)
def test_other_hosts_pass(root: Path, line: str) -> None:
    assert where(check_text(root, f"Title: T\n\n{line}\n").findings) == []


def test_host_parsing_is_the_browsers() -> None:
    assert host_of("https://user:pw@www.canada.ca:8443/x") == "www.canada.ca"
    assert host_of("HTTPS://WWW.GOV.UK./") == "www.gov.uk"
    assert host_of("//gc.ca/x") == "gc.ca"
    assert host_of("https:/\\gov.uk/") == "gov.uk"
    assert host_of("javascript:alert(1)") == ""
    assert host_of("/relative/path") == ""
    assert host_of("https://xn--gv-lja.uk/") == "xn--gv-lja.uk"


def test_settings_templates_and_html_are_checked(root: Path) -> None:
    setting = check_text(root, "https://www.canada.ca/en/my-dept.html", "pelicanconf.py", PLAIN)
    assert where(setting.findings) == [
        ("official-link", 1, 1, "https://www.canada.ca/en/my-dept.html")
    ]
    assert "[[allow]]" in setting.findings[0].fix  # a setting cannot carry a comment
    line = '  <a href="{{ SITEURL }}/about/">About</a> <a href="https://www.ontario.ca/">ON</a>'
    template = check_text(
        root, f"<footer>\n{line}\n</footer>\n", "theme/templates/base.html", TEMPLATE
    )
    col = line.index("https://www.ontario") + 1
    assert where(template.findings) == [("official-link", 2, col, "https://www.ontario.ca/")]
    page = check_text(
        root, '<p><a href="https://www.gov.scot/">x</a></p>', "content/pages/p.html", HTML
    )
    assert [r for r, *_ in where(page.findings)] == ["official-link"]


def test_policy_allows_hosts_and_adds_domains(tmp_path: Path) -> None:
    root = make_root(
        tmp_path,
        '[rules.official-link]\nallow_hosts = ["open.canada.ca"]\ndomains = ["city.example"]\n',
    )
    report = check_text(
        root,
        "Title: T\n\n[a](https://open.canada.ca/data) [b](https://www.city.example/) "
        "[c](https://www.canada.ca/)\n",
    )
    assert [m for *_, m in where(report.findings)] == [
        "https://www.city.example/",
        "https://www.canada.ca/",
    ]


def test_find_links_sees_every_form() -> None:
    text = (
        "[a](https://a.example/) <https://b.example/> https://c.example/x.\n"
        "[d]: https://d.example/\n<a href='https://e.example/'>e</a>"
        ' <img srcset="https://f.example/1x.png 1x, https://g.example/2x.png 2x">\n'
        "`t <https://h.example/>`_\n"
    )
    hosts = [link.host for link in find_links(text)]
    assert hosts == [f"{c}.example" for c in "abcdefgh"]
