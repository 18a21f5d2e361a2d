"""workplace-complaint on the real spaCy parser and VADER."""

from __future__ import annotations

import pytest

from prudent.text.workplace_complaint import WorkplaceComplaintDetector


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("I hate my job.", "I hate my job"),
        ("Management here is clueless.", "Management here is clueless"),
        ("My boss is useless.", "My boss is useless"),
        ("Acme Corp is a shambles.", "Acme Corp is a shambles"),
        ("My colleagues are idiots.", "My colleagues are idiots"),
        ("I can't stand my manager.", "I can't stand my manager"),
        ("I'm fed up with my boss.", "I'm fed up with my boss"),
        ("I dread going to work every morning.", "I dread going to work"),
        ("Work sucks.", "Work sucks"),
        ("My useless boss forgot my review again.", "My useless boss"),
        ("Honestly this job is soul-destroying.", "this job is soul-destroying"),
        ("Working at Acme is a nightmare.", "Working at Acme is a nightmare"),
        ("My manager's manager is clueless too.", "My manager's manager is clueless"),
    ],
)
def test_complaints_about_ones_own_work_fire_with_their_span(
    complaints: WorkplaceComplaintDetector, text: str, matched: str
) -> None:
    [hits] = complaints.find_many([text])
    assert len(hits) == 1, hits
    hit = hits[0]
    assert hit.matched == matched
    assert text[hit.start : hit.end] == matched
    assert "complaint about" in hit.message and "your" in hit.message
    assert "HR" in hit.fix


@pytest.mark.parametrize(
    "text",
    [
        "I HATE MY JOB.",  # case
        "My bosses are clueless.",  # plural
        "Acme's management is incompetent.",  # possessive of the employer
        "Title: My boss is an idiot",  # metadata line
        "The higher-ups here are clueless.",
        "I'm so bored at work.",
    ],
)
def test_variants_fire(complaints: WorkplaceComplaintDetector, text: str) -> None:
    [hits] = complaints.find_many([text])
    assert hits, text


@pytest.mark.parametrize(
    "text",
    [
        "I love my job.",
        "My boss gave me great feedback.",
        "I don't hate my job.",
        "My boss is not useless.",
        "If you have a complaint about work, raise it with your manager.",
        "If your manager is useless, talk to HR.",
        "Don't complain about work online; talk to your manager instead.",
        "The old system was a nightmare, so our team rebuilt it.",
        "Our team was frustrated by the old procurement rules.",
        "My friend hates his job.",
        "His boss is clueless.",
        "Project management is hard.",
        "I would hate to lose my job over a tweet.",
        "My job is to fix broken forms.",
        "I work at Acme Corp and love it.",
    ],
)
def test_neutral_talk_someone_elses_work_and_advice_pass(
    complaints: WorkplaceComplaintDetector, text: str
) -> None:
    assert complaints.find_many([text]) == [[]]


def test_employer_names_come_from_the_policy() -> None:
    from tests.text_models.conftest import make_policy

    text = "Globex is a shambles."
    without = WorkplaceComplaintDetector(make_policy())
    assert without.find_many([text]) == [[]]
    with_name = WorkplaceComplaintDetector(
        make_policy(workplace_complaint={"employer_names": ["Globex"]})
    )
    [hits] = with_name.find_many([text])
    assert [h.matched for h in hits] == ["Globex is a shambles"]
    assert "your employer (Globex)" in hits[0].message


def test_a_multi_word_employer_name_counts_by_its_head() -> None:
    from tests.text_models.conftest import make_policy

    detector = WorkplaceComplaintDetector(
        make_policy(workplace_complaint={"employer_names": ["Department of Example Services"]})
    )
    [hits, calm] = detector.find_many(
        [
            "Honestly, the Department of Example Services is a shambles.",
            "The Department of Example Services opened a new office.",
        ]
    )
    assert [h.matched for h in hits] == ["the Department of Example Services is a shambles"]
    assert "your employer (Department of Example Services)" in hits[0].message
    assert calm == []


def test_offsets_are_into_each_text_of_a_batch(complaints: WorkplaceComplaintDetector) -> None:
    texts = [
        "Title: Friday\n\nA quiet week.\n\nTo be honest, my boss is useless. Anyway.",
        "I love my job.",
    ]
    first, second = complaints.find_many(texts)
    assert [(h.start, h.matched) for h in first] == [
        (texts[0].index("my boss"), "my boss is useless")
    ]
    assert second == []
