"""partisan on real tweets it was never tuned on: 200 OLID tweets labelled for partisanship.

The tweets are other people's writing (OLID, CC BY 4.0); the labels are in
tests/text/labelled/olid-partisan.tsv (the dev split; what counts as partisan is in
its header) and olid-partisan-test.tsv (the test split, run once).
The figures are in docs/quality.md; print them with
``.venv/bin/pytest -q tests/text/test_partisan_olid.py -s``. Skipped, with the
reason, where the shared dataset is not beside the checkout ($PRUDENT_SHARED or
../shared).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from prudent.document import PLAIN, TextDocument
from tests.fixtures import SHARED
from tests.text.helpers import checker, make_root


def _olid() -> Path | None:
    path = SHARED / "datasets" / "olid" / "olid-training-v1.0.tsv"
    return path if path.is_file() else None


def _tweets() -> dict[str, str]:
    path = _olid()
    if path is None:
        pytest.skip(
            "the OLID dataset is not here: set PRUDENT_SHARED or put shared/ beside the checkout"
        )
    tweets = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        tid, tweet, *_ = line.split("\t")
        tweets[tid] = tweet
    return tweets


# split: (labels file, floors for caught, others passed, precision). Floors sit a little
# under the figures measured on 2026-12-02 (docs/quality.md): they catch a change for the
# worse. The dev split was looked at while improving the rule; the test split was run once.
SPLITS = {
    "dev": ("olid-partisan.tsv", 0.5, 0.97, 0.9),
    "test": ("olid-partisan-test.tsv", 0.6, 0.97, 0.9),
}


@pytest.mark.parametrize("split", sorted(SPLITS))
def test_partisan_on_labelled_olid_tweets(split: str, tmp_path: Path) -> None:
    tweets = _tweets()
    name, min_caught, min_passed, min_precision = SPLITS[split]
    rows = (Path(__file__).parent / "labelled" / name).read_text().splitlines()
    labels = [
        (tid, label == "1") for tid, label in (r.split("\t") for r in rows if r and r[0] != "#")
    ]
    assert len(labels) == 200 and all(tid in tweets for tid, _ in labels)
    docs = [TextDocument(f"{tid}.txt", tweets[tid], PLAIN) for tid, _ in labels]
    report = checker(make_root(tmp_path)).check(docs)
    fired = {f.location.path.removesuffix(".txt") for f in report.findings if f.rule == "partisan"}
    tp = sum(1 for tid, y in labels if y and tid in fired)
    fp = sum(1 for tid, y in labels if not y and tid in fired)
    pos = sum(1 for _, y in labels if y)
    neg = len(labels) - pos
    caught, passed = tp / pos, (neg - fp) / neg
    precision = tp / (tp + fp) if tp + fp else 1.0
    print(
        f"\npartisan on 200 OLID tweets ({split}): {tp}/{pos} partisan caught ({caught:.2f}), "
        f"{neg - fp}/{neg} others passed ({passed:.2f}), precision {precision:.2f}"
    )
    print("missed:", [tweets[t][:90] for t, y in labels if y and t not in fired])
    print("false alarms:", [tweets[t][:90] for t, y in labels if not y and t in fired])
    assert caught >= min_caught and passed >= min_passed and precision >= min_precision
