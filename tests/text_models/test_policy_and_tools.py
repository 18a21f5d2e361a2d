"""Settings, fail-closed loading, sentence splitting and word lists."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from prudent.policy import Policy, PolicyError
from prudent.text import nlp
from prudent.text.personal_attack import PersonalAttackDetector
from prudent.text.workplace_complaint import WorkplaceComplaintDetector
from tests.text_models.conftest import ROOT


def policy_file(tmp_path: Path, toml: str) -> Policy:
    shutil.copytree(ROOT / "guardrails", tmp_path / "guardrails")
    (tmp_path / "guardrails.toml").write_text(toml, encoding="utf-8")
    return Policy.load(tmp_path)


def test_a_bad_threshold_names_its_line(tmp_path: Path) -> None:
    policy = policy_file(tmp_path, "[rules.personal-attack]\n\nword_threshold = 1.5\n")
    with pytest.raises(PolicyError) as err:
        PersonalAttackDetector(policy)
    assert err.value.line == 3 and "word_threshold" in str(err.value)


def test_employer_names_must_be_strings(tmp_path: Path) -> None:
    policy = policy_file(tmp_path, "[rules.workplace-complaint]\nemployer_names = [1]\n")
    with pytest.raises(PolicyError) as err:
        WorkplaceComplaintDetector(policy)
    assert err.value.line == 2 and "employer_names" in str(err.value)


def test_a_missing_list_file_stops_with_its_name(tmp_path: Path) -> None:
    policy = policy_file(tmp_path, '[rules.personal-attack]\ninsults = "nope.txt"\n')
    with pytest.raises(PolicyError, match=r"guardrails/nope.txt.*list file not found"):
        PersonalAttackDetector(policy)


def test_the_settings_are_read_so_typos_are_caught(tmp_path: Path) -> None:
    policy = policy_file(
        tmp_path,
        "[rules.personal-attack]\nword_treshold = 0.9\n"
        '[rules.workplace-complaint]\nemployer_names = ["Acme"]\n',
    )
    PersonalAttackDetector(policy)
    WorkplaceComplaintDetector(policy)
    with pytest.raises(PolicyError, match="word_treshold"):
        policy.reject_unknown_keys()


def test_a_missing_spacy_model_fails_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nlp, "SPACY_MODELS", ("no_such_model_xyz",))
    monkeypatch.setattr(nlp, "_nlp", None)
    with pytest.raises(nlp.ModelUnavailable, match=r"requirements-model\.txt"):
        nlp.english()


def test_sentences_keep_offsets_and_drop_metadata_keys() -> None:
    text = "Title: Bob is here\nDate: 2020\n\nI met Dr. Smith. He\nwaved! Bye.\n\n- one item"
    got = [text[a:b] for a, b in nlp.sentences(text)]
    assert got == ["Bob is here", "2020", "I met Dr. Smith.", "He\nwaved!", "Bye.", "- one item"]


def test_lexicon_matches_forms_case_and_phrases() -> None:
    lex = nlp.Lexicon(["idiot", "waste of space", "soul-destroying", "can't stand"])
    text = "IDIOTS, Bob's idiot's; a waste  of spaces; soul destroying; I can’t stand; idiotic"
    assert [text[a:b] for a, b in lex.find(text)] == [
        "IDIOTS",
        "idiot's",
        "waste  of spaces",
        "soul destroying",
        "can’t stand",
    ]
    assert lex.base("Idiots") == "idiot"
    assert lex.phrase_at(["waste", "of", "space"]) == "waste of space"


def test_the_pipeline_loads_once_with_only_what_the_rules_read() -> None:
    first = nlp.english()
    assert nlp.english() is first
    assert {"ner", "parser", "tagger"} <= set(first.pipe_names)
    assert "lemmatizer" not in first.pipe_names


def test_a_classifier_process_that_died_fails_closed() -> None:
    worker = nlp._ClassifierProcess()
    worker.proc.kill()
    worker.proc.wait()
    with pytest.raises(nlp.ModelUnavailable, match="alt-profanity-check"):
        worker.predict(["hello"])


def test_the_classifier_scores_in_one_batch() -> None:
    probs = nlp.profanity_probs(["you are a fucking idiot", "the forms are ready"])
    assert probs[0] > 0.9 > 0.1 > probs[1]
