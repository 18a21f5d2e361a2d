"""The labelled sets hold their precision and recall (the README quotes them)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from prudent.text.personal_attack import PersonalAttackDetector
from prudent.text.workplace_complaint import WorkplaceComplaintDetector
from tests.text_models.conftest import ROOT

_spec = importlib.util.spec_from_file_location("text_quality", ROOT / "bench" / "text_quality.py")
assert _spec and _spec.loader
text_quality = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(text_quality)

LABELLED = Path(__file__).parent / "labelled"


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["", ".heldout"])
@pytest.mark.parametrize("rule", ["personal_attack", "workplace_complaint"])
def test_precision_and_recall_floor(
    rule: str,
    kind: str,
    attacks: PersonalAttackDetector,
    complaints: WorkplaceComplaintDetector,
) -> None:
    rows = text_quality.read_labelled(LABELLED / f"{rule}{kind}.tsv")
    assert sum(y for y, _ in rows) >= 25 and sum(1 - y for y, _ in rows) >= 25
    detector = attacks if rule == "personal_attack" else complaints
    predicted = [bool(h) for h in detector.find_many([t for _, t in rows])]
    s = text_quality.score(rows, predicted)
    assert s["precision"] >= 0.95, s
    assert s["recall"] >= 0.85, s
