"""Both rules on real posts: the 18F corpus (509 approved posts) blocks nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from prudent.document import MARKDOWN, TextDocument
from prudent.text.personal_attack import PersonalAttackDetector
from prudent.text.prepare import prepare
from prudent.text.workplace_complaint import WorkplaceComplaintDetector
from tests.text_models.conftest import make_policy

EMPLOYERS = ["18F", "GSA", "General Services Administration", "Technology Transformation Services"]


@pytest.mark.slow
def test_no_18f_post_is_flagged_by_either_rule(corpus_18f: Path) -> None:
    # Without the corpus the fixture skips, saying where to put it.
    files = sorted((corpus_18f / "posts").glob("*.md"))
    assert len(files) >= 500
    texts = [prepare(TextDocument(f.name, f.read_text("utf-8"), MARKDOWN)).text for f in files]
    policy = make_policy(workplace_complaint={"employer_names": EMPLOYERS})
    for detector in (PersonalAttackDetector(policy), WorkplaceComplaintDetector(policy)):
        flagged = [
            (f.name, [h.matched for h in hits])
            for f, hits in zip(files, detector.find_many(texts), strict=True)
            if hits
        ]
        assert flagged == [], f"{type(detector).__name__} flagged real posts: {flagged}"
