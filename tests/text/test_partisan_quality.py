"""partisan on its labelled set: precision and recall floors, the finding on the right line.

The figures, overall and by kind, are in docs/quality.md; print them with
``.venv/bin/pytest -q tests/text/test_partisan_quality.py -s``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from prudent.document import TextDocument
from tests.text.helpers import checker, make_root

LABELLED = Path(__file__).parent / "labelled" / "partisan.tsv"
_METADATA = re.compile(r"[A-Z][a-z]+: ")


@dataclass(frozen=True)
class Row:
    partisan: bool
    text: str
    kind: str

    def document(self, i: int) -> TextDocument:
        if _METADATA.match(self.text):  # a metadata line: line 2
            return TextDocument(f"s{i}.md", f"Title: Note\n{self.text}\n\nBody.\n")
        return TextDocument(f"s{i}.md", f"Title: Note\n\n{self.text}\n")  # line 3

    @property
    def line(self) -> int:
        return 2 if _METADATA.match(self.text) else 3


def labelled() -> list[Row]:
    rows, kind = [], ""
    for line in LABELLED.read_text(encoding="utf-8").splitlines():
        if line.startswith("# kind:"):
            kind = line.split(":", 1)[1].strip()
        elif line.strip() and not line.startswith("#"):
            label, sentence = line.split("\t", 1)
            assert label in ("0", "1"), line
            rows.append(Row(label == "1", sentence, kind))
    return rows


def judge(rows: list[Row], root: Path) -> list[bool]:
    """For each row, whether partisan fired (on the row's own line)."""
    docs = [r.document(i) for i, r in enumerate(rows)]
    report = checker(root).check(docs)
    fired: dict[str, set[int]] = {}
    for f in report.findings:
        if f.rule == "partisan":
            fired.setdefault(f.location.path, set()).add(f.location.line)
    return [r.line in fired.get(f"s{i}.md", set()) for i, r in enumerate(rows)]


def figures(rows: list[Row], predicted: list[bool]) -> tuple[float, float, int, int]:
    tp = sum(1 for r, p in zip(rows, predicted, strict=True) if r.partisan and p)
    fp = sum(1 for r, p in zip(rows, predicted, strict=True) if not r.partisan and p)
    pos = sum(r.partisan for r in rows)
    neg = len(rows) - pos
    caught = tp / pos if pos else 1.0
    passed = (neg - fp) / neg if neg else 1.0
    return caught, passed, pos, neg


def test_precision_and_recall_on_the_labelled_set(tmp_path: Path) -> None:
    rows = labelled()
    predicted = judge(rows, make_root(tmp_path))
    tp = sum(1 for r, p in zip(rows, predicted, strict=True) if r.partisan and p)
    fp = sum(1 for r, p in zip(rows, predicted, strict=True) if not r.partisan and p)
    fn = sum(1 for r, p in zip(rows, predicted, strict=True) if r.partisan and not p)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"\npartisan: precision {precision:.2f}, recall {recall:.2f} ({len(rows)} rows)")
    print("| kind | partisan rows caught | ordinary rows passed |\n| --- | ---: | ---: |")
    for kind in dict.fromkeys(r.kind for r in rows):
        part = [(r, p) for r, p in zip(rows, predicted, strict=True) if r.kind == kind]
        caught, passed, pos, neg = figures([r for r, _ in part], [p for _, p in part])
        c = f"{round(caught * pos)}/{pos}" if pos else "-"
        n = f"{round(passed * neg)}/{neg}" if neg else "-"
        print(f"| {kind} | {c} | {n} |")
    missed = [r.text for r, p in zip(rows, predicted, strict=True) if r.partisan and not p]
    wrong = [r.text for r, p in zip(rows, predicted, strict=True) if not r.partisan and p]
    print("missed:", missed, "\nfalse alarms:", wrong)
    assert len(rows) >= 318
    assert sum(r.partisan for r in rows) >= 162
    assert precision >= 0.9, wrong
    assert recall >= 0.9, missed
    caught, passed, _, _ = figures(rows, predicted)
    assert caught >= 0.9 and passed >= 0.9, (missed, wrong)
