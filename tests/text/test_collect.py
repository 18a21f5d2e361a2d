"""Settings reach every page: each string is checked where it is written."""

from __future__ import annotations

import runpy
from pathlib import Path

from prudent_guardrails.collect import settings_documents
from tests.text.helpers import checker, make_root, where


def test_settings_fragments_point_at_their_literals(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    conf = root / "pelicanconf.py"
    conf.write_text(
        "# Tags and Archives are mentioned here first.\n"
        'AUTHOR = "Sam"\n'
        "AUTHOR_BIO = (\n"
        '    "I work in the public service. "\n'
        "    'I used to vote Labour.'\n"
        ")\n"
        "MENUITEMS = (('Tags', '/tags/'),)\n"
        "LINKS = (\n"
        '    ("My department", "https://www.canada.ca/en/dept.html"),\n'
        ")\n"
    )
    settings = dict(runpy.run_path(str(conf)), PRUDENT_SETTINGS_FILES=[str(conf)])
    docs = settings_documents(settings, root)
    placed = {(d.label, d.text): (d.start_line, d.start_col) for d in docs}
    assert placed[("setting MENUITEMS", "Tags")] == (7, 16)
    # Two literals are one value (one fragment), each piece placed where it is written.
    bio = "I work in the public service. I used to vote Labour."
    assert placed[("setting AUTHOR_BIO", bio)] == (4, 6)
    [doc] = [d for d in docs if d.text == bio]
    assert [(d.line, d.col) for d in map(doc.location, (0, bio.index("I used")))] == [
        (4, 6),
        (5, 6),
    ]
    report = checker(root).check(docs)
    assert where(report.findings) == [
        ("partisan", 5, 16, "vote Labour"),
        ("official-link", 9, 24, "https://www.canada.ca/en/dept.html"),
    ]
