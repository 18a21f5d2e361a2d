"""The README and the manual in docs/ tell the truth about the project.

Every relative link resolves (files and #anchors), every rule id the code can
report is documented, and every policy key a rule reads is in the
configuration reference.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]
if (ROOT / "CONTRIBUTING.md").is_file():
    PAGES.append(ROOT / "CONTRIBUTING.md")

_FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
_CODE = re.compile(r"`[^`\n]*`")
_LINK = re.compile(r"(?<!\!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)|\!\[[^\]]*\]\(([^)\s]+)\)")
_HTML_REF = re.compile(r"""<(?:img|a)\b[^>]*?\b(?:src|href)=["']([^"']+)["']""", re.IGNORECASE)


def _prose(text: str) -> str:
    """The page without code: links inside code blocks and spans are examples."""
    return _CODE.sub("", _FENCE.sub("", text))


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"`|\*\*|__", "", heading.strip()).lower()
    text = "".join(c for c in text if c in " -_" or unicodedata.category(c)[0] in "LN")
    return text.replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    seen: dict[str, int] = {}
    out = set()
    for line in _FENCE.sub("", page.read_text(encoding="utf-8")).splitlines():
        m = re.match(r"^#{1,6}\s+(.*?)\s*#*$", line)
        if not m:
            continue
        slug = _slug(m.group(1))
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        out.add(slug if n == 0 else f"{slug}-{n}")
    return out


def _links(page: Path) -> list[tuple[int, str]]:
    text = _prose(page.read_text(encoding="utf-8"))
    out = []
    for pattern in (_LINK, _HTML_REF):
        for m in pattern.finditer(text):
            target = next(g for g in m.groups() if g)
            out.append((text.count("\n", 0, m.start()) + 1, target))
    return out


def test_the_readme_is_a_front_door() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").count("\n")
    assert lines <= 300, f"README.md has {lines} lines; the manual belongs in docs/"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_resolves(page: Path) -> None:
    broken = []
    for line, target in _links(page):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):
            continue  # https:, mailto: ...
        path, _, anchor = target.partition("#")
        dest = (page.parent / path).resolve() if path else page
        if not dest.exists():
            broken.append(f"{page.relative_to(ROOT)}:{line}: {target} (no such file)")
        elif anchor and dest.suffix == ".md" and anchor not in _anchors(dest):
            broken.append(f"{page.relative_to(ROOT)}:{line}: {target} (no such heading)")
    assert not broken, "broken links:\n" + "\n".join(broken)


def _documented_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in DOCS.rglob("*.md"))


def _rule_ids() -> set[str]:
    from prudent.images.checker import RULES as IMAGE_RULES
    from prudent.text import RULE_DOCS

    ids = set(RULE_DOCS) | set(IMAGE_RULES)
    # The plugins report a few rules of their own (malformed exports, settings).
    literal = re.compile(
        r"""\b(?:rule|RULE_ID)\s*(?::\s*str\s*)?=\s*["']([a-z]+(?:-[a-z]+)+)["']"""
    )
    for path in (ROOT / "plugins").rglob("*.py"):
        ids.update(literal.findall(path.read_text(encoding="utf-8")))
    return ids


def test_every_rule_id_is_documented() -> None:
    ids = _rule_ids()
    assert {"partisan", "logo", "bookmark-export", "crosspost-metadata"} <= ids
    docs = _documented_text()
    missing = sorted(i for i in ids if f"`{i}`" not in docs)
    assert not missing, f"rule ids with no mention in docs/: {missing}"


@pytest.mark.slow
def test_every_policy_key_is_in_the_configuration_reference() -> None:
    from prudent.engine import Guardrails

    engine = Guardrails(ROOT)
    try:
        read = engine.policy._read
    finally:
        engine.images.close()
    leaves = [k for k in read if not any(len(o) > len(k) and o[: len(k)] == k for o in read)]
    assert len(leaves) > 20, "the engine read surprisingly few keys"
    reference = (DOCS / "configuration.md").read_text(encoding="utf-8")
    missing = []
    for key in leaves:
        dotted = ".".join(key)
        generic = ".".join((key[0], "<id>", *key[2:])) if len(key) > 2 else dotted
        if not any(f in reference for f in (f"`{dotted}`", f"`{generic}`", f"`[[{dotted}]]`")):
            missing.append(dotted)
    assert not missing, f"policy keys missing from docs/configuration.md: {missing}"
