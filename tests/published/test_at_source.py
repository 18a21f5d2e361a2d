"""Routes caught at their source, so that `make check` sees them as the build does."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from jinja2 import Environment

from prudent.document import HTML, MARKDOWN, RST, TEMPLATE
from prudent.images.svg import svg_documents
from prudent_guardrails.collect import settings_documents
from prudent_guardrails.templates import settings_used, template_documents
from tests.text.helpers import check_text, checker, make_root, where


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_root(tmp_path_factory.mktemp("source"))


def test_an_html_comment_is_judged_like_prose_where_it_is_written(root: Path) -> None:
    text = (
        "Title: A note\n\nPlain words about the Lib<!-- -->erals, read as one word.\n\n"
        "<!-- note to self: vote Labour on Thursday -->\n"
    )
    assert where(check_text(root, text).findings) == [
        ("partisan", 3, 19, "the Lib<!-- -->erals"),  # invisible inside a word, as in a browser
        ("partisan", 5, 20, "vote Labour"),  # in the page source and every feed
    ]


def test_an_allowance_comment_is_not_prose_and_allows_the_next_paragraph(root: Path) -> None:
    text = (
        "Title: T\n\n<!-- guardrails: allow partisan because quoting the week's polling report -->\n"
        "The Tories lead in this week's polls.\n"
    )
    report = check_text(root, text)
    assert where(report.findings) == []
    assert [a.finding.location.line for a in report.allowances] == [4]


def test_link_titles_are_shown_as_tooltips_so_they_are_judged(root: Path) -> None:
    text = (
        'Title: T\n\nSee [the site][r] and [this](https://example.org/ "the GOP").\n\n'
        '[r]: https://example.org/ "Vote Labour"\n'
    )
    lines = text.splitlines()
    assert where(check_text(root, text).findings) == [
        ("partisan", 3, lines[2].index("GOP") + 1, "GOP"),
        ("partisan", 5, lines[4].index("Vote") + 1, "Vote Labour"),
    ]


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        (
            MARKDOWN,
            "Write `<!-- guardrails: allow partisan because history -->` first.\nThe Tories.\n",
        ),
        (MARKDOWN, "```\n<!-- guardrails: allow partisan because history -->\n```\nThe Tories.\n"),
        (
            MARKDOWN,
            "Before.\n\n    <!-- guardrails: allow partisan because history -->\nThe Tories.\n",
        ),
        (
            MARKDOWN,
            "<textarea><!-- guardrails: allow partisan because history --></textarea>\nThe Tories.\n",
        ),
        (
            HTML,
            "<p><script>'<!-- guardrails: allow partisan because history -->'</script>\nThe Tories.</p>\n",
        ),
        (RST, "An example::\n\n<!-- guardrails: allow partisan because history -->\nThe Tories.\n"),
        (
            TEMPLATE,
            "{% raw %}{# guardrails: allow partisan because history #}{% endraw %}\nThe Tories.\n",
        ),
        (TEMPLATE, "{# <!-- guardrails: allow partisan because history --> #}\nThe Tories.\n"),
    ],
    ids=[
        "inline-code",
        "fenced",
        "indented",
        "textarea",
        "script",
        "rst",
        "jinja-raw",
        "jinja-comment",
    ],
)
def test_an_allowance_shown_as_an_example_allows_nothing(root: Path, kind: str, text: str) -> None:
    body = "Title: T\n\n" + text if kind == MARKDOWN else text
    report = check_text(
        root, body, "content/posts/p" + {HTML: ".html", RST: ".rst"}.get(kind, ".md"), kind
    )
    assert [f.rule for f in report.findings] == ["partisan"]  # no allowance, no "unused" warning
    assert report.allowances == []


def test_the_same_allowance_as_a_real_comment_allows(root: Path) -> None:
    text = "Title: T\n\nWrite `code` first.\n<!-- guardrails: allow partisan because history -->\nThe Tories.\n"
    report = check_text(root, text)
    assert report.findings == [] and len(report.allowances) == 1


ENV = Environment(trim_blocks=True, lstrip_blocks=True)


def test_a_constant_jinja_expression_is_judged_as_what_it_prints(root: Path) -> None:
    template = (
        "<footer>\n"
        '  <p>Made with care. {{ "Vote " ~ "Labour" }}</p>\n'
        '  <p>Vote {{ "Lab" ~ "our" }}, {{ "the TORIES"|lower }}</p>\n'
        '  <p>{{ "the GOP" if article else SITENAME }}</p>\n'
        '  {% set motto = "Plaid " ~ "Cymru" %}\n'
        "</footer>\n"
    )
    docs = template_documents("theme/templates/base.html", template, ENV)
    page = docs[0]
    assert page.kind == TEMPLATE and len(page.text) == len(template)  # positions are the file's
    report = checker(root).check(docs)
    lines = template.splitlines()
    assert where(report.findings) == [
        ("partisan", 2, lines[1].index("{{") + 1, "Vote Labour"),  # at the expression
        ("partisan", 3, lines[2].index("Vote") + 1, "Vote Labour"),  # read with the words before
        ("partisan", 3, lines[2].index('{{ "the') + 5, "tories"),
        ("partisan", 4, lines[3].index("GOP") + 1, "GOP"),  # one branch of a condition
        ("partisan", 5, lines[4].index("Plaid") + 1, "Plaid Cymru"),  # a {% set %} value
    ]


def test_the_settings_the_templates_print_are_the_ones_guarded(root: Path) -> None:
    used = settings_used(
        ["<li>{{ EXTRA_MENUITEMS }}</li>{% for x in FOOTER_LINES %}{{ x }}{% endfor %}"]
    )
    assert {"EXTRA_MENUITEMS", "FOOTER_LINES"} <= used


def test_a_computed_setting_is_judged_whole_at_its_pieces(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    conf = root / "pelicanconf.py"
    conf.write_text(
        'SITENAME = "Notebook"\n'
        'SITESUBTITLE = "Notes from a proud " + "Tor" + "ies fan"\n'
        "_PARTY = 'the GO' + 'P'\n"
        "DISCLAIMER = f'Views my own, not {_PARTY}'\n"
        "FOOTER_LINES = ['Vote ' + 'Labour']\n"
    )
    settings = dict(runpy.run_path(str(conf)), PRUDENT_SETTINGS_FILES=[str(conf)])
    docs = settings_documents(settings, root, {"FOOTER_LINES"})
    report = checker(root).check(docs)
    lines = conf.read_text().splitlines()
    assert where(report.findings) == [
        ("partisan", 2, lines[1].index("Tor") + 1, "Tories"),  # one value, placed at its pieces
        ("partisan", 4, 1, "GOP"),  # computed from a variable: at its assignment
        ("partisan", 5, lines[4].index("Vote") + 1, "Vote Labour"),  # only a template prints it
    ]


def test_svg_text_title_and_desc_are_judged_where_the_file_has_them(root: Path) -> None:
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="100" height="20">\n'
        b"  <title>A chart</title><desc>Seats of the NDP</desc>\n"
        b'  <text x="1" y="15">Vote <tspan>Lab</tspan>our. Jane Doe is a moron.</text>\n'
        b"</svg>\n"
    )
    docs = svg_documents("content/images/chart.svg", svg)
    report = checker(root).check(docs)
    assert where(report.findings) == [
        ("partisan", 2, 44, "NDP"),
        ("partisan", 3, 22, "Vote Labour"),
    ]
    assert all(f.location.path == "content/images/chart.svg" for f in report.findings)
