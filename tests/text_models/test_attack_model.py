"""The shipped personal-attack model: what it is, how it loads, how it fails, how it is rebuilt."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from prudent.policy import Policy
from prudent.text import attack_model, nlp
from prudent.text.personal_attack import MODEL_FILES, PersonalAttackDetector
from tests.fixtures import SHARED
from tests.text_models.conftest import ROOT

MODEL = ROOT / "guardrails" / MODEL_FILES["en"]
OLID = SHARED / "datasets" / "olid" / "olid-training-v1.0.tsv"
needs_olid = pytest.mark.skipif(
    not OLID.is_file(), reason=f"OLID's training set is not at {OLID} (set PRUDENT_SHARED)"
)


def site(tmp_path: Path, model_bytes: bytes | None) -> Path:
    """A site whose guardrails/models/ holds ``model_bytes`` (or no model file)."""
    models = tmp_path / "guardrails" / "models"
    models.mkdir(parents=True)
    (tmp_path / "guardrails.toml").write_text(
        '[rules.personal-attack]\nmodel = "models/mine.npz"\n', encoding="utf-8"
    )
    if model_bytes is not None:
        (models / "mine.npz").write_bytes(model_bytes)
    return tmp_path


def test_the_shipped_model_is_small_plain_arrays_and_says_where_it_came_from() -> None:
    assert MODEL.stat().st_size < 1_500_000
    with zipfile.ZipFile(MODEL) as zf:
        assert sorted(zf.namelist()) == [
            "dense.npy",
            "idf.npy",
            "index.npy",
            "meta.npy",
            "weights.npy",
        ]
    with np.load(MODEL, allow_pickle=False) as data:  # no pickle: loading runs no code
        meta = json.loads(bytes(data["meta"]).decode("utf-8"))
        assert data["weights"].dtype == np.float32
    assert meta["format"] == attack_model.FORMAT and meta["bits"] == attack_model.BITS
    assert meta["training"]["tweets"] == 13240
    assert meta["training"]["attacks_on_individuals"] == 2407
    assert 0.5 < meta["threshold"] < 1.0
    assert "1.75%" in meta["rule"]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (None, "is missing"),
        (b"not a zip at all", "cannot be read"),
        (MODEL.read_bytes()[:5000], "cannot be read"),
    ],
)
def test_a_missing_or_damaged_model_stops_with_the_file_and_the_fix(
    tmp_path: Path, content: bytes | None, says: str
) -> None:
    policy = Policy.load(site(tmp_path, content))
    with pytest.raises(nlp.ModelUnavailable) as err:
        PersonalAttackDetector(policy)
    message = str(err.value)
    assert message.startswith("guardrails/models/mine.npz: ")
    assert says in message and "invoke train-attack-model" in message


def test_a_model_with_other_cues_is_refused(tmp_path: Path) -> None:
    from prudent.text import attack_training

    with np.load(MODEL, allow_pickle=False) as data:
        arrays = {k: data[k] for k in ("index", "weights", "idf", "dense")}
        meta = json.loads(bytes(data["meta"]).decode("utf-8"))
    meta["dense"] = ["something", "else"]
    path = tmp_path / "x.npz"
    attack_training.write_npz(path, arrays, meta)
    with pytest.raises(attack_model.ModelError, match="its cues are not this code's"):
        attack_model.AttackModel.load(path)


def test_the_check_command_stops_without_a_traceback(tmp_path: Path) -> None:
    root = site(tmp_path, b"garbage")
    post = root / "post.md"
    post.write_text("Title: Hi\n\nNothing to see.\n", encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "prudent", "check", "--root", str(root), str(post)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert out.returncode == 2
    assert "guardrails/models/mine.npz" in out.stderr and "train-attack-model" in out.stderr
    assert "Traceback" not in out.stderr


def test_a_post_with_no_candidate_sentence_loads_no_spacy() -> None:
    code = (
        "from tests.text_models.conftest import make_policy\n"
        "from prudent.text import nlp\n"
        "from prudent.text.personal_attack import PersonalAttackDetector\n"
        "from prudent.text.workplace_complaint import WorkplaceComplaintDetector\n"
        "texts = ['We shipped the new forms today. The team wrote the tests first.']\n"
        "assert PersonalAttackDetector(make_policy()).find_many(texts) == [[]]\n"
        "assert WorkplaceComplaintDetector(make_policy()).find_many(texts) == [[]]\n"
        "import sys\n"
        "print(nlp._nlp is None, 'spacy' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
    )
    assert out.stdout.split() == ["True", "False"], out.stderr


def test_the_score_says_which_words_weigh(attacks: PersonalAttackDetector) -> None:
    toks = attack_model.tokens("@kim_l you are a pathetic liar")
    weights = attacks.model.word_weights(toks, attacks.cues)
    top = max(range(len(toks)), key=weights.__getitem__)
    assert toks[top].text in ("pathetic", "liar")
    assert [t.text for t in toks][:2] == ["@user", "you"]


@pytest.mark.slow
@needs_olid
def test_train_attack_model_rebuilds_the_shipped_bytes(tmp_path: Path) -> None:
    """Deterministic: the shared data and this code give the shipped file, byte for byte."""
    out = tmp_path / "rebuilt.npz"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "invoke"),
            "train-attack-model",
            "--olid",
            str(OLID),
            "--output",
            str(out),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    assert out.read_bytes() == MODEL.read_bytes()


SENTENCES = [
    "@kim_l you are a pathetic liar",
    "Feinstein should have quit decades ago.",
    "We shipped the new forms today, and they work!",
    "Love it!",
    "",
    "U R such an id1ot 🤡 https://example.com/x",
]


def test_the_fast_score_is_the_training_score(attacks: PersonalAttackDetector) -> None:
    """Every sentence is scored by the fast path; it must equal the recipe it was
    trained with, feature for feature (attack_training.scores on the same texts)."""
    from prudent.text import attack_training

    model = attacks.model
    for text in SENTENCES:
        words = attack_model.token_texts(text)
        assert words == [t.text for t in attack_model.tokens(text)]
        reference = model.bias + model.lexical_words(words)
        reference += float(model.dense[:-1] @ attacks.cues.dense_words(words))
        assert model.fast_logit(words, attacks.cues) == pytest.approx(reference, abs=1e-9)
    runs = [attack_model.token_texts(t) for t in SENTENCES]
    batch = model.batch_logits(runs, attacks.cues)
    for words, z in zip(runs, batch, strict=True):
        if words:
            assert z == pytest.approx(model.fast_logit(words, attacks.cues), abs=1e-9)
    text = " ".join(SENTENCES)
    spans, at = [], 0
    for t in SENTENCES:
        spans.append((at, at + len(t)))
        at += len(t) + 1
    assert attack_model.token_runs(text, spans) == runs
    examples = [attack_training.Example(str(i), t, "NOT") for i, t in enumerate(SENTENCES)]
    matrix = attack_training.featurise(examples, attacks.cues)
    with np.load(MODEL, allow_pickle=False) as data:
        arrays = {k: data[k] for k in ("index", "weights", "idf", "dense")}
        arrays["bias"] = json.loads(bytes(data["meta"]).decode("utf-8"))["bias"]
    trained = attack_training.scores(arrays, matrix)
    probs = nlp.profanity_probs(SENTENCES)
    for text, want, p in zip(SENTENCES, trained, probs, strict=True):
        words = attack_model.token_texts(text)
        z = model.fast_logit(words, attacks.cues) + model.dense[-1] * attack_model.profanity_logit(
            p
        )
        assert attack_model.sigmoid(z) == pytest.approx(want, abs=1e-4), text
