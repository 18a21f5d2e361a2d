"""Precision and recall of the model-based text rules, and their cost on real posts.

    .venv/bin/python bench/text_quality.py               # the labelled sets
    .venv/bin/python bench/text_quality.py --corpus DIR  # also scan real posts, time it,
                                                          # and print every hit to review

The labelled sets are tests/text_models/labelled/<rule>.tsv (the development
set the rules were tuned on) and <rule>.heldout.tsv (written afterwards and
never tuned on), one
``label<TAB>text`` a line (label 1: the rule must fire; 0: it must not; ``\\n``
in a text is a line break, so a case can carry a sentence of context). The
detectors run for real (spaCy NER and parser, alt-profanity-check, VADER) with
the project's own guardrails.toml and lists.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from prudent.policy import Policy  # noqa: E402
from prudent.text.personal_attack import PersonalAttackDetector  # noqa: E402
from prudent.text.workplace_complaint import WorkplaceComplaintDetector  # noqa: E402

LABELLED = ROOT / "tests" / "text_models" / "labelled"
IDLE_NER_RATE = 3000  # words/s, spaCy's small pipeline on this machine when idle
RULES = {
    "personal-attack": ("personal_attack.tsv", PersonalAttackDetector),
    "workplace-complaint": ("workplace_complaint.tsv", WorkplaceComplaintDetector),
}


def read_labelled(path: Path) -> list[tuple[int, str]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        label, sep, text = line.partition("\t")
        if not sep or label not in ("0", "1"):
            raise SystemExit(f"{path}:{number}: expected 'label<TAB>text' with label 0 or 1")
        rows.append((int(label), text.replace("\\n", "\n")))
    return rows


def score(rows: list[tuple[int, str]], predicted: list[bool]) -> dict[str, float]:
    tp = sum(1 for (y, _), p in zip(rows, predicted, strict=True) if y and p)
    fp = sum(1 for (y, _), p in zip(rows, predicted, strict=True) if not y and p)
    fn = sum(1 for (y, _), p in zip(rows, predicted, strict=True) if y and not p)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}


# -- a crude Markdown strip, for the corpus measurement only ----------------------

_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
_TAG = re.compile(r"<[^>]+>")
_LIQUID = re.compile(r"\{[{%].*?[}%]\}", re.S)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\[[^\]]*\]")
_REFDEF = re.compile(r"^\s*\[[^\]]+\]:\s*\S+.*$", re.M)
_URL = re.compile(r"https?://\S+")
_CODE = re.compile(r"`[^`\n]*`")
_MARKS = re.compile(r"[*_]{1,3}(?=\S)|(?<=\S)[*_]{1,3}|^#{1,6}\s*|^\s*>\s?", re.M)


def crude_strip(source: str) -> str:
    head = ""
    m = _FRONT.match(source)
    if m:
        for key in ("title", "description"):
            km = re.search(rf"^{key}:\s*(.+)$", m.group(1), re.M)
            if km:
                head += f"{key.title()}: {km.group(1).strip().strip(chr(34) + chr(39))}\n"
        source = source[m.end() :]
    text = _FENCE.sub("", source)
    text = _LIQUID.sub("", text)
    text = _TAG.sub("", text)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(lambda m: m.group(1) or m.group(2) or "", text)
    text = _REFDEF.sub("", text)
    text = _URL.sub("", text)
    text = _CODE.sub("code", text)
    text = _MARKS.sub("", text)
    return head + "\n" + text


def with_employers(policy: Policy, names: str) -> Policy:
    """The policy with rules.workplace-complaint.employer_names set to ``names``."""
    data = {**policy.data}
    rules = {**data.get("rules", {})}
    rules["workplace-complaint"] = {
        **rules.get("workplace-complaint", {}),
        "employer_names": [n.strip() for n in names.split(",") if n.strip()],
    }
    data["rules"] = rules
    return Policy(root=policy.root, data=data, text=policy.text, path=policy.path)


def cold_run(folder: Path, employers: str) -> None:
    """Both rules over the corpus in this fresh process: model loading included."""
    texts = [crude_strip(f.read_text(encoding="utf-8")) for f in sorted(folder.glob("*.md"))]
    policy = with_employers(Policy.load(ROOT), employers)
    t0 = time.perf_counter()
    attacks = PersonalAttackDetector(policy)
    complaints = WorkplaceComplaintDetector(policy)
    attacks.find_many(texts)
    t1 = time.perf_counter()
    complaints.find_many(texts)
    t2 = time.perf_counter()
    print(f"{t2 - t0:.3f} {t1 - t0:.3f} {t2 - t1:.3f}")


def load_only() -> None:
    """The floor: loading spaCy's pipeline, VADER and the classifier, nothing scanned."""
    from prudent.text import nlp

    t0 = time.perf_counter()
    nlp.start_classifier()
    nlp.english()
    nlp.vader()
    nlp.profanity_probs(["ready"])
    print(f"{time.perf_counter() - t0:.3f}")


def corpus_scan(folder: Path, policy: Policy, repeat: int, employers: str) -> None:
    files = sorted(folder.glob("*.md"))
    texts = [crude_strip(f.read_text(encoding="utf-8")) for f in files]
    words = sum(len(t.split()) for t in texts)
    print(f"\ncorpus: {len(files)} posts, {words:,} words (crudely stripped) in {folder}")
    cold = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, __file__, "--cold-run", str(folder), "--corpus-employers", employers],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        cold.append([float(x) for x in out])
    floor = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, __file__, "--load-only"], capture_output=True, text=True, check=True
        ).stdout.split()
        floor.append(float(out[0]))
    both, pa, wc = (statistics.median(c[i] for c in cold) for i in range(3))
    load = statistics.median(floor)
    print(
        f"cold (fresh process, models loaded, both rules): median {both:.2f} s over {repeat} "
        f"run(s): personal-attack {pa:.2f} s (loads spaCy, VADER, the classifier), "
        f"workplace-complaint {wc:.2f} s\n"
        f"loading the models alone (fresh process): median {load:.2f} s; the scan adds "
        f"{both - load:.2f} s ({both / load:.2f}x the load time)"
    )
    # The raw model side by side, as a yardstick for a noisy machine: spaCy over
    # every word would cost words / rate seconds.
    from prudent.text import nlp

    sample = " ".join(" ".join(texts).split()[:6000])
    chunks = [sample[i : i + 2000] for i in range(0, len(sample), 2000)]
    nlp.parse(chunks[:1])
    t0 = time.perf_counter()
    nlp.parse(chunks)
    rate = len(sample.split()) / (time.perf_counter() - t0)
    print(
        f"spaCy alone (tagger, parser, NER) now runs at {rate:,.0f} words/s: over all "
        f"{words:,} words it would take {words / rate:.0f} s, {words / rate / both:.0f}x the "
        f"cold run of both rules; at the {IDLE_NER_RATE:,} words/s of an idle machine "
        f"(CONTRIBUTING.md) the cold run scales to about {both * rate / IDLE_NER_RATE:.1f} s"
    )
    for rule, (_, cls) in RULES.items():
        detector = cls(policy)
        detector.find_many(texts[:5])  # models loaded: time the steady state
        times, results = [], None
        for _ in range(repeat):
            nlp.forget_prepared()  # each rule pays for splitting the texts itself
            t0 = time.perf_counter()
            results = detector.find_many(texts)
            times.append(time.perf_counter() - t0)
        assert results is not None
        flagged = [(f, t, hits) for f, t, hits in zip(files, texts, results, strict=True) if hits]
        print(
            f"\n{rule}: {len(flagged)} of {len(files)} posts flagged "
            f"({100 * len(flagged) / len(files):.1f}%), {sum(len(h) for *_, h in flagged)} hits; "
            f"warm: median {statistics.median(times):.2f} s over {repeat} run(s)"
        )
        for f, t, hits in flagged:
            for h in hits:
                line = t.count("\n", 0, h.start) + 1
                print(f"  {f.name}:{line}: {h.matched!r}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--corpus", type=Path, help="a folder of Markdown posts to scan and time")
    ap.add_argument("--repeat", type=int, default=3, help="corpus runs per rule (median)")
    ap.add_argument("--cold-run", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--load-only", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--errors", action="store_true", help="print misclassified examples")
    ap.add_argument(
        "--employers", default="Acme Corp,Acme", help="employer names for the labelled set"
    )
    ap.add_argument(
        "--corpus-employers",
        default="18F,GSA,General Services Administration,Technology Transformation Services",
        help="employer names for the corpus scan (18F's own, the strict test)",
    )
    args = ap.parse_args()
    if args.load_only:
        load_only()
        return
    if args.cold_run:
        cold_run(args.cold_run, args.corpus_employers)
        return
    policy = with_employers(Policy.load(ROOT), args.employers)
    print("rule and set                     n  pos  TP  FP  FN  precision  recall    F1")
    for rule, (file, cls) in RULES.items():
        detector = cls(policy)
        for kind, path in (("dev", file), ("held-out", file.replace(".tsv", ".heldout.tsv"))):
            rows = read_labelled(LABELLED / path)
            results = detector.find_many([text for _, text in rows])
            predicted = [bool(hits) for hits in results]
            s = score(rows, predicted)
            positives = sum(y for y, _ in rows)
            print(
                f"{rule + ' ' + kind:30} {len(rows):3} {positives:4} {s['tp']:3} {s['fp']:3} "
                f"{s['fn']:3}  {s['precision']:9.3f} {s['recall']:7.3f} {s['f1']:5.3f}"
            )
            if args.errors:
                for (y, text), p in zip(rows, predicted, strict=True):
                    if bool(y) != p:
                        print(f"    {'FN' if y else 'FP'}: {text!r}")
    if args.corpus:
        corpus_scan(
            args.corpus,
            with_employers(policy, args.corpus_employers),
            args.repeat,
            args.corpus_employers,
        )


if __name__ == "__main__":
    main()
