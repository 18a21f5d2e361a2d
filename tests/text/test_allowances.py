"""Allowances: next to the text, for a whole post, in the policy; always with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from prudent.document import TextDocument
from tests.text.helpers import check_text, checker, make_root, where


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_root(tmp_path_factory.mktemp("allow"))


def test_comment_allows_the_next_paragraph_only(root: Path) -> None:
    text = (
        "Title: T\n\n"
        "<!-- guardrails: allow partisan because a history of Canadian parties, not advocacy -->\n"
        "The Liberal Party was in power in 1968\nand the NDP later.\n\n"
        "The Tories too.\n"
    )
    report = check_text(root, text)
    assert where(report.findings) == [("partisan", 7, 5, "Tories")]
    assert [(a.finding.location.line, a.finding.matched) for a in report.allowances] == [
        (4, "Liberal Party"),
        (5, "NDP"),
    ]
    a = report.allowances[0]
    assert a.reason == "a history of Canadian parties, not advocacy"
    assert (a.where.path, a.where.line, a.where.col) == ("content/posts/p.md", 3, 1)
    assert "allowed partisan: 'Liberal Party' because a history" in report.to_text()


def test_comment_names_several_rules(root: Path) -> None:
    text = (
        "Title: T\n\n<!-- guardrails: allow partisan, official-link because quoting the "
        "party's own press release -->\nThe [NDP release](https://www.canada.ca/x).\n"
    )
    report = check_text(root, text)
    assert where(report.findings) == []
    assert sorted(a.finding.rule for a in report.allowances) == ["official-link", "partisan"]


def test_allowance_without_reason_is_an_error_and_allows_nothing(root: Path) -> None:
    text = "Title: T\n\n<!-- guardrails: allow partisan -->\nThe GOP.\n"
    report = check_text(root, text)
    assert where(report.findings) == [
        ("allowance-without-reason", 3, 1, "<!-- guardrails: allow partisan -->"),
        ("partisan", 4, 5, "GOP"),
    ]
    assert report.allowances == []
    assert report.failed


def test_unknown_rule_is_an_error(root: Path) -> None:
    text = "Title: T\n\n<!-- guardrails: allow partisn because a typo -->\nThe GOP.\n"
    found = where(check_text(root, text).findings)
    assert [(r, line) for r, line, *_ in found] == [("allowance-unknown-rule", 3), ("partisan", 4)]


def test_unused_allowance_is_a_warning(root: Path) -> None:
    text = (
        "Title: T\n\n<!-- guardrails: allow partisan because it was needed once -->\nPlain text.\n"
    )
    report = check_text(root, text)
    assert where(report.findings) == [("allowance-unused", 3, 1, "partisan")]
    assert not report.failed and len(report.warnings) == 1


def test_whole_post_allowance_in_metadata(root: Path) -> None:
    text = (
        "Title: The NDP at fifty\nGuardrails-Allow: partisan, official-link\n"
        "Guardrails-Reason: an anniversary piece I was asked to write by the NDP archive\n\n"
        "The NDP and the [archive](https://www.bac-lac.gc.ca/x).\n\nMore on the NDP.\n"
    )
    report = check_text(root, text)
    assert where(report.findings) == []
    assert len(report.allowances) == 4
    assert {a.where.line for a in report.allowances} == {2}
    assert all(a.reason.startswith("an anniversary piece") for a in report.allowances)


def test_whole_post_allowance_needs_a_reason(root: Path) -> None:
    text = "Title: T\nGuardrails-Allow: partisan\n\nThe GOP.\n"
    assert [(r, line) for r, line, *_ in where(check_text(root, text).findings)] == [
        ("allowance-without-reason", 2),
        ("partisan", 4),
    ]


def test_policy_allows_site_wide_and_per_path(tmp_path: Path) -> None:
    root = make_root(
        tmp_path,
        "# spokesperson\n"
        '[[allow]]\nrule = "official-link"\nreason = "I am my department\'s spokesperson"\n\n'
        '[[allow]]\nrule = "partisan"\npaths = ["content/posts/history-*.md"]\n'
        'reason = "the history series names parties"\n',
    )
    tc = checker(root)
    docs = [
        TextDocument("content/posts/history-1.md", "Title: T\n\nThe NDP [x](https://gc.ca/).\n"),
        TextDocument("content/posts/other.md", "Title: T\n\nThe NDP [x](https://gc.ca/).\n"),
    ]
    report = tc.check(docs)
    assert [(f.location.path, f.rule) for f in report.sorted_findings()] == [
        ("content/posts/other.md", "partisan")
    ]
    wheres = sorted(
        (a.finding.location.path, a.finding.rule, a.where.line) for a in report.allowances
    )
    assert wheres == [
        ("content/posts/history-1.md", "official-link", 2),
        ("content/posts/history-1.md", "partisan", 6),
        ("content/posts/other.md", "official-link", 2),
    ]
    assert all(a.where.path == "guardrails.toml" for a in report.allowances)


def test_restructuredtext_comment_allowance(root: Path) -> None:
    from prudent.document import RST

    text = (
        "A title\n#######\n\n:date: 2026-11-01\n\n"
        ".. guardrails: allow partisan because the post quotes a party's name in a citation\n\n"
        "The NDP wrote this.\n\nThe GOP too.\n"
    )
    report = check_text(root, text, "content/posts/p.rst", RST)
    assert where(report.findings) == [("partisan", 10, 5, "GOP")]
    assert [a.finding.matched for a in report.allowances] == ["NDP"]
    assert report.findings[0].fix.endswith(
        ".. guardrails: allow partisan because REASON (before the paragraph)"
    )


def test_template_allowance_in_a_jinja_comment(root: Path) -> None:
    from prudent.document import TEMPLATE

    text = (
        "<footer>\n{# guardrails: allow official-link because the theme credits the open "
        'data portal it is built for #}\n<a href="https://open.canada.ca/">Open data</a>\n\n'
        '<a href="https://www.gov.uk/">UK</a>\n</footer>\n'
    )
    report = check_text(root, text, "theme/templates/base.html", TEMPLATE)
    assert where(report.findings) == [("official-link", 5, 10, "https://www.gov.uk/")]
    assert [a.finding.location.line for a in report.allowances] == [3]


def test_windows_line_endings_and_a_byte_order_mark(root: Path) -> None:
    text = (
        "\ufeffTitle: T\r\nGuardrails-Reason: metadata is not prose: vote Labour\r\n\r\n"
        "<!-- guardrails: allow partisan because quoting a 1990s slogan -->\r\n"
        "New Labour.\r\n\r\nThe GOP.\r\n"
    )
    report = check_text(root, text)
    assert [(r, line) for r, line, *_ in where(report.findings)] == [
        ("allowance-unknown-rule", 2),  # a reason without Guardrails-Allow
        ("partisan", 7),
    ]
    assert [a.finding.matched for a in report.allowances] == ["New Labour"]
