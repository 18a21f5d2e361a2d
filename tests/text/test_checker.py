"""TextChecker wiring: model detectors on prepared prose, positions, allowances, cache."""

from __future__ import annotations

import re
from pathlib import Path

from prudent.document import PLAIN, TextDocument
from prudent.policy import Policy
from prudent.text import MODEL_DETECTORS, TextChecker
from prudent.text.hits import Hit
from tests.text.helpers import checker, make_root, where


class FakeDetector:
    """Implements the agreed detector interface: ``find_many(texts) -> list[list[Hit]]``."""

    def __init__(self, word: str) -> None:
        self.word = word
        self.calls: list[list[str]] = []

    def find_many(self, texts: list[str]) -> list[list[Hit]]:
        self.calls.append(list(texts))
        return [
            [
                Hit(
                    m.start(), m.end(), m.group(0), f"'{self.word}' is aimed at a person", "Drop it"
                )
                for m in re.finditer(self.word, text, re.I)
            ]
            for text in texts
        ]


def test_detectors_get_prepared_prose_and_hits_map_to_the_source(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    attack, complaint = FakeDetector("idiot"), FakeDetector("hate my job")
    tc = checker(root, {"personal-attack": attack, "workplace-complaint": complaint})
    docs = [
        TextDocument("content/posts/a.md", "Title: A\n\nI met Jo. She is an **1d**1ot.\n"),
        TextDocument("content/posts/b.md", "Title: B\n\nHonestly I\n*hate* my job.\n"),
        TextDocument("pelicanconf.py", "Sam, idiot", PLAIN, start_line=9, start_col=14),
    ]
    report = tc.check(docs)
    assert len(attack.calls) == 1 and len(complaint.calls) == 1  # one batch per detector
    assert "She is an idiot." in attack.calls[0][0]  # markup stripped, leetspeak folded
    assert where(report.findings) == [
        ("personal-attack", 3, 23, "1d**1ot"),
        ("workplace-complaint", 4, 2, "hate* my job"),
        ("personal-attack", 9, 19, "idiot"),
    ]
    f = report.findings[0]
    assert f.message == "'idiot' is aimed at a person"
    assert f.fix.startswith("Drop it; or, if it is right here, allow it with a reason: <!--")


def test_model_rules_obey_severity_and_allowances(tmp_path: Path) -> None:
    root = make_root(tmp_path, '[rules.workplace-complaint]\nseverity = "warning"\n')
    tc = checker(
        root,
        {"personal-attack": FakeDetector("idiot"), "workplace-complaint": FakeDetector("boss")},
    )
    text = (
        "Title: T\n\nMy boss.\n\n<!-- guardrails: allow personal-attack because quoting a "
        "headline about a film character -->\nThe Idiot, a novel.\n"
    )
    report = tc.check([TextDocument("content/posts/p.md", text)])
    assert [(f.rule, str(f.severity)) for f in report.findings] == [
        ("workplace-complaint", "warning")
    ]
    assert [a.finding.rule for a in report.allowances] == ["personal-attack"]


def test_rules_switched_off_are_not_built(tmp_path: Path) -> None:
    root = make_root(
        tmp_path,
        '[rules.personal-attack]\nseverity = "off"\nthreshold = 0.5\n\n'
        '[rules.workplace-complaint]\nseverity = "off"\n',
    )
    policy = Policy.load(root)
    tc = TextChecker(policy, cache=False)  # the real loader: nothing to load when off
    policy.reject_unknown_keys()  # settings of a rule that is off are not typos
    assert tc.detectors == {}


def test_real_detector_modules_are_named_by_the_agreed_interface() -> None:
    assert MODEL_DETECTORS == {
        "personal-attack": ("prudent.text.personal_attack", "PersonalAttackDetector"),
        "workplace-complaint": ("prudent.text.workplace_complaint", "WorkplaceComplaintDetector"),
    }


def test_unchanged_documents_come_from_the_cache(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    detector = FakeDetector("idiot")
    docs = [
        TextDocument("content/posts/a.md", "Title: A\n\nThe GOP idiot.\n"),
        TextDocument("content/posts/b.md", "Title: B\n\nFine.\n"),
    ]
    first = checker(root, {"personal-attack": detector}, cache=True).check(docs)
    assert len(detector.calls) == 1
    again = checker(root, {"personal-attack": detector}, cache=True).check(docs)
    assert len(detector.calls) == 1  # nothing re-checked
    assert again.sorted_findings() == first.sorted_findings()
    assert list((root / ".cache/prudent/text").rglob("*.json"))

    changed = [docs[0], TextDocument("content/posts/b.md", "Title: B\n\nAn idiot.\n")]
    checker(root, {"personal-attack": detector}, cache=True).check(changed)
    assert detector.calls[-1] == [detector.calls[-1][0]] and "An idiot." in detector.calls[-1][0]

    (root / "guardrails/partisan/us.txt").write_text("Fine$\n")  # a list changed
    report = checker(root, {"personal-attack": detector}, cache=True).check(docs)
    assert len(detector.calls[-1]) == 2  # everything checked again
    assert [m for r, *_, m in where(report.findings, "partisan")] == ["Fine"]
