"""partisan on a labelled set it was never tuned on: precision and recall floors.

The figures are in the README ("Measured quality"); print them with
``.venv/bin/pytest -q tests/text/test_partisan_quality.py -s``.
"""

from __future__ import annotations

from pathlib import Path

from prudent.document import TextDocument
from tests.text.helpers import checker, make_root

LABELLED = Path(__file__).parent / "labelled" / "partisan.tsv"


def _labelled() -> list[tuple[bool, str]]:
    rows = []
    for line in LABELLED.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, sentence = line.split("\t", 1)
            rows.append((label == "1", sentence))
    return rows


def test_precision_and_recall_on_the_labelled_set(tmp_path: Path) -> None:
    rows = _labelled()
    docs = [TextDocument(f"s{i}.md", f"Title: Note\n\n{s}\n") for i, (_, s) in enumerate(rows)]
    report = checker(make_root(tmp_path)).check(docs)
    fired = {f.location.path for f in report.findings if f.rule == "partisan"}
    tp = sum(1 for i, (y, _) in enumerate(rows) if y and f"s{i}.md" in fired)
    fp = sum(1 for i, (y, _) in enumerate(rows) if not y and f"s{i}.md" in fired)
    fn = sum(1 for i, (y, _) in enumerate(rows) if y and f"s{i}.md" not in fired)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    missed = [s for i, (y, s) in enumerate(rows) if y and f"s{i}.md" not in fired]
    wrong = [s for i, (y, s) in enumerate(rows) if not y and f"s{i}.md" in fired]
    print(f"\npartisan: precision {precision:.2f}, recall {recall:.2f} ({len(rows)} sentences)")
    print("missed:", missed, "\nfalse alarms:", wrong)
    assert len(rows) == 80
    assert precision >= 0.9, wrong
    assert recall >= 0.9, missed
