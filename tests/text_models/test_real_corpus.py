"""Both rules on real posts: the 18F corpus (509 approved posts) blocks nothing."""

from __future__ import annotations

import pytest

from importer.corpus import corpus_dir
from prudent.document import MARKDOWN, TextDocument
from prudent.text.personal_attack import PersonalAttackDetector
from prudent.text.prepare import prepare
from prudent.text.workplace_complaint import WorkplaceComplaintDetector
from tests.text_models.conftest import make_policy

POSTS = corpus_dir() / "posts"
EMPLOYERS = ["18F", "GSA", "General Services Administration", "Technology Transformation Services"]


@pytest.mark.slow
@pytest.mark.skipif(
    not POSTS.is_dir(), reason=f"the 18F corpus is not at {POSTS} (set PRUDENT_CORPUS)"
)
def test_no_18f_post_is_flagged_by_either_rule() -> None:
    files = sorted(POSTS.glob("*.md"))
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
