"""Where the real 18F corpus is, and the small sample of it that ships in ``tests/``.

The full corpus (509 posts, 296 images, public domain) is not in the
repository: the project's developers and CI have it at ``../shared/corpus/18f``
beside the checkout (a worktree sits one level deeper, so a few levels up are
looked at). ``$PRUDENT_CORPUS`` names the corpus folder itself and
``$PRUDENT_SHARED`` the shared folder that holds ``corpus/18f``; either one,
when set, must point at a real corpus (a typo there is an error, not a skip).

A user's clone has only ``SAMPLE``: a few dozen of the corpus's posts with the
images they show (``tests/corpus/18f-sample/SOURCE.md``). Tests run on it
always, and on the full corpus when ``find_corpus()`` finds one.
"""

from __future__ import annotations

import os
from pathlib import Path

from prudent.document import IMAGE_SUFFIXES

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "corpus" / "18f-sample"
WHERE = (
    "put the 18F corpus (a folder holding posts/ and assets/, see tests/corpus/18f-sample/"
    "SOURCE.md) at ../shared/corpus/18f beside the checkout, or set PRUDENT_CORPUS to its folder"
)


class CorpusMissing(Exception):
    """No full corpus where one was asked for. ``str()`` says where to put one."""


def _is_corpus(folder: Path) -> bool:
    return (folder / "posts").is_dir() and (folder / "assets").is_dir()


def find_corpus() -> Path | None:
    """The full 18F corpus, or None when this checkout has none beside it.

    Raises ``CorpusMissing`` when ``$PRUDENT_CORPUS`` or ``$PRUDENT_SHARED`` is
    set but holds no corpus: CI sets them so that the corpus tests run, and a
    wrong path must fail them rather than skip them.
    """
    for variable, sub in (("PRUDENT_CORPUS", ""), ("PRUDENT_SHARED", "corpus/18f")):
        value = os.environ.get(variable)
        if value:
            folder = Path(value) / sub
            if not _is_corpus(folder):
                raise CorpusMissing(
                    f"${variable} is {value!r}, but {folder} holds no posts/ and assets/ "
                    "folders; point it at the 18F corpus or unset it"
                )
            return folder.resolve()
    for base in [ROOT, *ROOT.parents[:3]]:
        candidate = base / "shared" / "corpus" / "18f"
        if _is_corpus(candidate):
            return candidate.resolve()
    return None


def corpus_dir() -> Path:
    """The full corpus; ``CorpusMissing`` (saying where to put one) when there is none."""
    folder = find_corpus()
    if folder is None:
        raise CorpusMissing(f"the 18F corpus is not in this checkout: {WHERE}")
    return folder


def corpus_or_exit(script: str) -> Path:
    """For the bench scripts: the full corpus, or stop with where to put one."""
    try:
        return corpus_dir()
    except CorpusMissing as exc:
        raise SystemExit(f"{script}: {exc}") from None


def pictures(folder: Path) -> list[Path]:
    """Every raster picture under ``folder/assets``, sorted (SVG drawings left out)."""
    raster = IMAGE_SUFFIXES - {".svg"}
    return sorted(
        p for p in (folder / "assets").rglob("*") if p.is_file() and p.suffix.lower() in raster
    )
