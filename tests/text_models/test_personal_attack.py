"""personal-attack on the real spaCy model, VADER and alt-profanity-check."""

from __future__ import annotations

import pytest

from prudent.text import nlp
from prudent.text.hits import Hit
from prudent.text.personal_attack import PersonalAttackDetector


def only_hit(detector: PersonalAttackDetector, text: str) -> Hit:
    [hits] = detector.find_many([text])
    assert len(hits) == 1, hits
    return hits[0]


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("John Smith is a moron.", "John Smith is a moron"),
        ("Minister Doe is an idiot.", "Minister Doe is an idiot"),
        ("Dr. Smith is a quack and a charlatan.", "Dr. Smith is a quack and a charlatan"),
        ("@jdoe is clueless.", "@jdoe is clueless"),
        ("Bob Hale, that idiot, broke the build again.", "Bob Hale, that idiot"),
        ("I think Karen Miller is a total clown.", "Karen Miller is a total clown"),
        ("Jane Doe looks like an idiot in that photo.", "Jane Doe looks like an idiot"),
        ("Dave Wilson's incompetence is staggering.", "Dave Wilson's incompetence"),
        ("Mark Evans is an incompetent manager.", "Mark Evans is an incompetent manager"),
        ("Our new lead, Nora Blake, is lazy and dishonest.", "Nora Blake, is lazy and dishonest"),
        (
            "Gary Holt, who is a complete buffoon, chaired it.",
            "Gary Holt, who is a complete buffoon",
        ),
        ("Peter Grant sucks.", "Peter Grant sucks"),
    ],
)
def test_insults_aimed_at_a_person_fire_with_their_span(
    attacks: PersonalAttackDetector, text: str, matched: str
) -> None:
    hit = only_hit(attacks, text)
    assert hit.matched == matched
    assert text[hit.start : hit.end] == matched
    assert "named or identifiable person" in hit.message
    assert hit.fix


def test_what_a_fool_names_the_person(attacks: PersonalAttackDetector) -> None:
    text = "What a fool Bob Jenkins is!"
    hit = only_hit(attacks, text)
    assert "Bob Jenkins" in hit.matched and "fool" in hit.matched
    assert "'fool' is aimed at Bob Jenkins" in hit.message


def test_a_pronoun_points_back_to_the_person_named_before(
    attacks: PersonalAttackDetector,
) -> None:
    text = "I met Jane Porter at the conference. She is a moron."
    hit = only_hit(attacks, text)
    assert (hit.start, hit.end) == (text.index("She"), text.rindex("."))
    assert hit.matched == "She is a moron"
    assert 'Jane Porter ("She")' in hit.message


def test_a_pronoun_with_nobody_named_before_passes(attacks: PersonalAttackDetector) -> None:
    assert attacks.find_many(["The release slipped again. She is a moron."]) == [[]]
    # "they" after a plural thing means the things
    assert attacks.find_many(["Bob Smith built the forms. They are a disgrace."]) == [[]]


@pytest.mark.parametrize(
    "text",
    [
        "JOHN SMITH IS A MORON.",  # case
        "I MET JANE PORTER AT THE CONFERENCE. SHE IS A MORON.",
        "john smith is a moron.",
        "Sarah Lee and Tom Baker are idiots.",  # plural
        "Title: Mike Jones is a MORON",  # a metadata line
        "@bob_the_dev is an absolute muppet.",  # handle
        "Sarah Lee is a fucking asshole.",
        "Everyone knows Alan Ford is a hack.",
    ],
)
def test_evasions_and_variants_still_fire(attacks: PersonalAttackDetector, text: str) -> None:
    [hits] = attacks.find_many([text])
    assert hits, text


@pytest.mark.parametrize(
    "text",
    [
        "I disagree with Sarah's proposal.",
        "The old form was a disgrace, so Mike rebuilt it.",
        "Bob's proposal is stupid.",
        "Bob Hale is a git expert.",
        "Alice Walker is no fool.",
        "Alice Walker is not an idiot.",
        "Dana White is anything but lazy.",
        "I felt like an idiot when I forgot the password.",
        "Don't be a fool: back up your data.",
        "Gary Holt gave a talk on fraud detection.",
        "Councillor Patel said the old website was useless.",
        "Scope creep hit Bob's project.",
        "We use lazy loading, as Bob suggested.",
        "Dostoevsky wrote The Idiot in 1869.",
        "My cat is a moron.",
    ],
)
def test_criticism_of_ideas_and_harsh_words_about_things_pass(
    attacks: PersonalAttackDetector, text: str
) -> None:
    assert attacks.find_many([text]) == [[]]


def test_offsets_are_into_each_text_of_a_batch(attacks: PersonalAttackDetector) -> None:
    texts = [
        "Title: Weekly notes\n\nWe shipped the forms.\n\nLater, Bob Hale said hi. Bob Hale is an idiot.",
        "Nothing to see here.",
        "First paragraph.\n\nSecond one: @jdoe is clueless, and Jane Roe is a liar.",
    ]
    first, second, third = attacks.find_many(texts)
    assert [texts[0][h.start : h.end] for h in first] == ["Bob Hale is an idiot"]
    assert second == []
    assert [h.matched for h in third] == ["@jdoe is clueless", "Jane Roe is a liar"]
    assert third[0].start == texts[2].index("@jdoe")


def test_the_classifier_catches_an_offensive_word_the_list_lacks(
    attacks: PersonalAttackDetector,
) -> None:
    # "scum" is in neither the insult list nor VADER's lexicon: only the
    # offensive-language classifier knows it, and the parse aims it at the person.
    assert "scum" not in attacks.insults
    assert "scum" not in nlp.vader().lexicon
    assert nlp.profanity_probs(["scum"])[0] >= attacks.word_threshold
    [hits] = attacks.find_many(["Rick Hart is total scum."])
    assert [h.matched for h in hits] == ["Rick Hart is total scum"]
    # and a word the classifier finds harmless in the same place passes
    assert attacks.find_many(["Rick Hart is total genius."]) == [[]]


def test_a_word_only_the_classifier_knows_pointed_at_with_this_is_an_attack(
    attacks: PersonalAttackDetector,
) -> None:
    texts = ["Look at this cheating scum.", "This cheating scum lied again.", "I fixed this bug."]
    found = attacks.find_many(texts)
    assert [[h.matched for h in hits] for hits in found] == [
        ["this cheating scum"],
        ["This cheating scum"],
        [],
    ]
    assert "scum" not in attacks.insults  # the classifier's word, not the list's
