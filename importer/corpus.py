"""Where the 18F corpus is: ``../shared/corpus/18f`` beside the checkout.

A worktree sits one level deeper than the main checkout, so look up a few
levels; ``PRUDENT_CORPUS`` overrides.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def corpus_dir() -> Path:
    env = os.environ.get("PRUDENT_CORPUS")
    if env:
        return Path(env)
    for base in [ROOT, *ROOT.parents[:3]]:
        candidate = base / "shared" / "corpus" / "18f"
        if (candidate / "posts").is_dir():
            return candidate
    return ROOT.parent / "shared" / "corpus" / "18f"
