"""The output pass on a rendered folder: nothing twice, traced where it can be, cached by digest."""

from __future__ import annotations

from pathlib import Path

import pytest

import prudent.published.checker as checker_module
from prudent.document import MARKDOWN, PLAIN, TEMPLATE, TextDocument
from prudent.policy import Policy
from prudent.published import PublishedChecker, Sources
from prudent.report import Report
from prudent.text import TextChecker
from tests.text.helpers import make_root

POST = (
    "Title: The Tories at 200\nTags: Tories, history\n"
    "Guardrails-Allow: partisan\nGuardrails-Reason: a history piece for the archive's anniversary\n\n"
    "The Tories were founded in 1834.\n"
)
TAG_PAGE = "<h1>Posts tagged {{ tag }}</h1>\n<p>{{ article.summary }}</p>\n"


def _setup(tmp_path: Path, policy: str = "") -> tuple[Path, TextChecker, list[TextDocument]]:
    root = make_root(tmp_path, policy)
    pol = Policy.load(root)
    text = TextChecker(pol, detectors={}, cache=False)
    pol.reject_unknown_keys()
    docs = [
        TextDocument("content/posts/tories.md", POST, MARKDOWN),
        TextDocument("theme/templates/tag.html", TAG_PAGE, TEMPLATE),
        TextDocument("pelicanconf.py", "Sam's Notebook", PLAIN, 3, 12, "setting SITENAME"),
    ]
    return root, text, docs


def _site(folder: Path, files: dict[str, str | bytes]) -> Path:
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)
    return folder


def _run(root: Path, text: TextChecker, docs: list[TextDocument], folder: Path) -> Report:
    source = text.check(docs)
    return PublishedChecker(text, text.policy).check(folder, Sources(docs, source))


def test_text_judged_at_its_source_is_not_judged_or_reported_again(tmp_path: Path) -> None:
    root, text, docs = _setup(tmp_path)
    folder = _site(
        tmp_path / "out",
        {
            "2026/tories/index.html": "<h1>The Tories at 200</h1>\n<p>The Tories were founded in 1834.</p>",
            "feeds/all.atom.xml": (
                '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>The Tories at 200</title>'
                '<category term="Tories"/></entry></feed>'
            ),
        },
    )
    report = _run(root, text, docs, folder)
    assert report.findings == [] and report.allowances == []  # the post's own text, allowed there


def test_a_source_words_composed_by_the_theme_keep_the_source_allowance(tmp_path: Path) -> None:
    _root, text, docs = _setup(tmp_path)
    folder = _site(tmp_path / "out", {"tag/tories/index.html": "<h1>Posts tagged Tories</h1>"})
    checker = PublishedChecker(text, text.policy)
    report = checker.check(folder, Sources(docs, text.check(docs)))
    assert report.findings == []
    [allowed] = report.allowances
    assert allowed.reason == "a history piece for the archive's anniversary"
    # The first place the post writes the word (its title; the tag says it again).
    assert str(allowed.finding.location) == "content/posts/tories.md:1:12"
    assert "output/tag/tories/index.html:1:18 (<h1> text)" in allowed.finding.message
    assert allowed.where.line == 3  # the post's Guardrails-Allow
    assert allowed.where in checker.used_allowances


def test_words_pieced_together_by_a_template_are_traced_to_it(tmp_path: Path) -> None:
    root, text, docs = _setup(tmp_path)
    docs.append(TextDocument("content/posts/labour.md", "Title: Labour\nTags: Labour\n\nHi.\n"))
    docs.append(TextDocument("theme/templates/tag.html", "<h1>Vote {{ tag }}</h1>\n", TEMPLATE))
    del docs[1]
    folder = _site(tmp_path / "out", {"tag/labour/index.html": "<p>x</p>\n<h1>Vote Labour</h1>"})
    [finding] = _run(root, text, docs, folder).findings
    assert finding.rule == "partisan" and finding.matched == "Vote Labour"
    assert str(finding.location) == "theme/templates/tag.html:1:5"
    assert "output/tag/labour/index.html:2:5 (<h1> text)" in finding.message
    assert "it came by the template theme/templates/tag.html" in finding.message
    assert finding.end is not None and finding.end.col == 9


def test_text_no_source_holds_is_reported_at_the_published_file_once(tmp_path: Path) -> None:
    root, text, docs = _setup(tmp_path)
    page = "<html><body>\n<footer><p>Built by a plugin. Feel the Bern!</p></footer></body></html>"
    folder = _site(tmp_path / "out", {f"p{i}/index.html": page for i in range(3)})
    [finding] = _run(root, text, docs, folder).findings
    assert str(finding.location) == "output/p0/index.html:2:31"
    assert "output/p0/index.html:2:31 and 2 more places (<p> text)" in finding.message
    assert "Pelican, the theme's code or a plugin" in finding.message
    assert 'paths = ["output/..."]' in finding.fix


def test_a_link_judged_where_it_is_written_is_not_reported_twice(tmp_path: Path) -> None:
    policy = (
        '[[allow]]\nrule = "official-link"\npaths = ["content/posts/*"]\n'
        'reason = "I speak for the department in these posts"\n'
    )
    root, text, docs = _setup(tmp_path, policy)
    docs.append(
        TextDocument(
            "content/posts/dept.md",
            "Title: D\n\nSee [the page](https://www.canada.ca/en/x.html).\n",
        )
    )
    folder = _site(
        tmp_path / "out",
        {
            "dept/index.html": '<p>See <a href="https://www.canada.ca/en/x.html">the page</a>.</p>',
            "extra/index.html": '<p><a href="https://www.gov.uk/">a plugin\'s link</a></p>',
        },
    )
    report = _run(root, text, docs, folder)
    [finding] = report.findings  # the post's link was judged (and allowed) in the post
    assert finding.rule == "official-link" and finding.matched == "https://www.gov.uk/"
    assert str(finding.location) == "output/extra/index.html:1:13"


def test_a_file_that_cannot_be_read_fails_closed_unless_allowed(tmp_path: Path) -> None:
    root, text, docs = _setup(tmp_path)
    folder = _site(
        tmp_path / "out",
        {"feeds/all.atom.xml": "<feed>\n<title>x</feed>\n", "files/cv.pdf": b"%PDF-1.7\n\x00\x01"},
    )
    report = _run(root, text, docs, folder)
    assert sorted((f.rule, str(f.location)) for f in report.findings) == [
        ("unjudged-output", "output/feeds/all.atom.xml:2:11"),  # the mismatched </feed>
        ("unjudged-output", "output/files/cv.pdf:1:1"),
    ]
    policy = (
        '[[allow]]\nrule = "unjudged-output"\npaths = ["output/files/*.pdf"]\n'
        'reason = "my CV, checked by hand"\n'
    )
    (tmp_path / "allowed").mkdir()
    root, text, docs = _setup(tmp_path / "allowed", policy)
    report = _run(root, text, docs, folder)
    assert [str(f.location) for f in report.findings] == ["output/feeds/all.atom.xml:2:11"]
    assert [a.reason for a in report.allowances] == ["my CV, checked by hand"]


def test_a_warm_pass_reads_only_the_files_that_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _root, text, docs = _setup(tmp_path)
    files = {f"p{i}/index.html": f"<p>Page {i}.</p>" for i in range(20)}
    folder = _site(tmp_path / "out", files)
    read: list[str] = []
    real = checker_module.read_file

    def counting(name: str, data: bytes):  # type: ignore[no-untyped-def]
        read.append(name)
        return real(name, data)

    monkeypatch.setattr(checker_module, "read_file", counting)
    source = text.check(docs)
    assert not PublishedChecker(text, text.policy).check(folder, Sources(docs, source)).findings
    assert len(read) == 20
    read.clear()
    assert not PublishedChecker(text, text.policy).check(folder, Sources(docs, source)).findings
    assert read == []  # every file's digest is in the cache
    (folder / "p7/index.html").write_text("<p>Page 7, and the GOP.</p>")
    report = PublishedChecker(text, text.policy).check(folder, Sources(docs, source))
    assert read == ["p7/index.html"]
    assert [str(f.location) for f in report.findings] == ["output/p7/index.html:1:20"]


def test_texts_judged_together_are_not_read_across(tmp_path: Path) -> None:
    root, text, docs = _setup(tmp_path)
    folder = _site(
        tmp_path / "out",
        {
            "a/index.html": "<p>We should all vote</p>",
            "b/index.html": "<p>Green roofs save energy.</p>",  # "vote Green" if read across
            "c/index.html": "<p>The Skills Network Protocol (SNP) is new.</p>",
            "d/index.html": "<p>I voted for the SNP.</p>",  # not the protocol of page c
        },
    )
    [finding] = _run(root, text, docs, folder).findings
    assert (str(finding.location), finding.matched) == ("output/d/index.html:1:20", "SNP")


def test_a_link_written_in_another_form_is_still_the_one_judged(tmp_path: Path) -> None:
    policy = (
        '[[allow]]\nrule = "official-link"\npaths = ["content/posts/*"]\n'
        'reason = "I speak for the department in these posts"\n'
    )
    root, text, docs = _setup(tmp_path, policy)
    url = "https://www.canada.ca/x?year=2013&region=WY"  # "&reg" is an entity to unescape()
    docs.append(TextDocument("content/posts/dept.md", f"Title: D\n\nSee [{url}]({url}).\n"))
    escaped = url.replace("&", "&amp;")
    folder = _site(
        tmp_path / "out", {"dept/index.html": f'<p><a href="{escaped}">{escaped}</a></p>'}
    )
    report = _run(root, text, docs, folder)
    assert report.findings == [] and report.allowances == []  # listed once, at the post
