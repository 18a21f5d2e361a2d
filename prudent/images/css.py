"""What a piece of CSS would load: ``url()``, ``@import`` and ``image-set()`` targets.

CSS is read the way a browser tokenises it (``prudent.published.mapped.css_source``):
escapes decoded and comments read as spaces, so ``u\\72l(https://...)``,
``@\\69mport "..."`` and ``@import/**/url(...)`` are seen for what they load.
Each target keeps the offset of its first character in the source, so a finding
lands on the ``PATH:LINE:COL`` of what the author wrote. The SVG scan
(``svg.py``) and the image references of posts and pages (``references.py``)
both look through here, for every ``<style>`` sheet and ``style=`` attribute.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from prudent.published.mapped import Mapped, css_source

URL, IMPORT, IMAGE_SET = "url()", "@import", "image-set()"

# url(...) and src(...): a quoted string or a bare token up to ")" or a space.
_URL = re.compile(
    r"""\b(?:url|src)\(\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^)\s"']*))""", re.I
)
_IMPORT = re.compile(
    r"""@import\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|"""
    r"""(?:url|src)\(\s*(?:"(?P<udq>[^"]*)"|'(?P<usq>[^']*)'|(?P<bare>[^)\s"']*)))""",
    re.I,
)
_IMAGE_SET = re.compile(r"\b(?:-webkit-)?image-set\(", re.I)
_STRING = re.compile(r""""([^"]*)"|'([^']*)'""")


@dataclass(frozen=True)
class CssLoad:
    offset: int  # of the URL's first character, in the source
    url: str  # as the browser reads it (escapes decoded)
    what: str  # URL | IMPORT | IMAGE_SET


def css_loads(source: str | Mapped, base: int = 0) -> list[CssLoad]:
    """Every URL that the CSS ``source`` (text at ``base``, or mapped text) would load."""
    if isinstance(source, str):
        source = Mapped.verbatim(source, base)
    css = css_source(source.text).rebase(source) if len(source) else source
    text = css.text
    found: dict[int, tuple[str, str]] = {}  # start in text: (url, what); @import first
    for pattern, what in ((_IMPORT, IMPORT), (_URL, URL)):
        for m in pattern.finditer(text):
            group = next(g for g, v in m.groupdict().items() if v is not None)
            found.setdefault(m.start(group), (m.group(group), what))
    for m in _IMAGE_SET.finditer(text):
        for s in _STRING.finditer(text, m.end(), _closing(text, m.end())):
            group = 1 if s.group(1) is not None else 2
            found.setdefault(s.start(group), (s.group(group), IMAGE_SET))
    out: list[CssLoad] = []
    for start, (url, what) in sorted(found.items()):
        lead = len(url) - len(url.lstrip())
        if url.strip():
            out.append(CssLoad(css.origin(start + lead), url.strip(), what))
    return out


def _closing(text: str, pos: int) -> int:
    """The offset of the ")" that closes the function whose arguments start at ``pos``."""
    depth, quote = 1, ""
    for i in range(pos, len(text)):
        c = text[i]
        if quote:
            quote = "" if c == quote else quote
        elif c in "\"'":
            quote = c
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
    return len(text)
