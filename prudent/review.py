"""The review report: one self-contained HTML page a person reads before publishing.

``write_review(report, root, out_dir, pages=...)`` turns the same ``Report``
the linter lines, JSON and SARIF come from into ``out_dir/index.html``: a
summary with a chart, every finding in its context (the paragraph with the
matched words in ``<mark>``, the rule's why and fix, the exact allowance to
copy), every flagged picture drawn with what was found on it, and every
allowance with its reason. Pictures are copied beside the page (stripped of
their metadata), so it opens from disk with no server and no network.
"""

from __future__ import annotations

import hashlib
import html
import re
import shutil
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from prudent.findings import Allowance, Finding, Severity
from prudent.report import Report

STYLE = Path(__file__).with_name("review.css")
# Formats every browser shows as they are; anything else is converted to PNG.
_WEB_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp"}
_IMAGE_RULES = frozenset(["nudity", "logo", "location-metadata", "unscannable-image", "unsafe-svg"])
_SHA = re.compile(r'sha256 = "([0-9a-f]{64})"')


@dataclass(frozen=True)
class Picture:
    """A picture as the report shows it: its copy beside the page and its size."""

    src: str  # relative to the report folder
    width: int
    height: int


def write_review(
    report: Report,
    root: Path,
    out_dir: Path,
    *,
    pages: Mapping[str, str] | None = None,
    problems: list[str] | None = None,
    title: str = "Review report",
) -> Path:
    """Write ``out_dir/index.html`` (and its pictures); return its path.

    ``pages`` maps a source path (relative to ``root``) to the page the build
    would write for it, relative to ``out_dir``: each finding links to it.
    ``problems`` are the build's own complaints (Pelican's warnings), listed too.
    """
    root, out_dir = Path(root), Path(out_dir)
    pictures_dir = out_dir / "pictures"
    shutil.rmtree(pictures_dir, ignore_errors=True)
    pictures_dir.mkdir(parents=True, exist_ok=True)
    page = _Page(root, out_dir, pictures_dir, dict(pages or {}))
    body = "\n".join(
        [
            page.summary(report),
            _problems(problems or []),
            page.findings(report.sorted_findings()),
            page.allowances(sorted(report.allowances, key=lambda a: a.finding.sort_key())),
        ]
    )
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    document = _TEMPLATE.format(
        title=_e(title),
        style=STYLE.read_text(encoding="utf-8"),
        verdict=_verdict(report, problems or []),
        when=when,
        body=body,
    )
    target = out_dir / "index.html"
    target.write_text(document, encoding="utf-8")
    return target


class _Page:
    def __init__(self, root: Path, out_dir: Path, pictures: Path, pages: dict[str, str]) -> None:
        self.root, self.out_dir, self.pictures, self.pages = root, out_dir, pictures, pages
        self._copies: dict[str, Picture | None] = {}
        self._sources: dict[str, list[str] | None] = {}

    # -- sections ----------------------------------------------------------

    def summary(self, report: Report) -> str:
        counts: dict[str, Counter[str]] = {}
        for f in report.sorted_findings():
            counts.setdefault(f.rule, Counter())[str(f.severity)] += 1
        for a in report.allowances:
            counts.setdefault(a.finding.rule, Counter())["allowed"] += 1
        checked = ", ".join(f"{n} {kind}" for kind, n in sorted(report.checked.items()))
        rows = "".join(
            f"<tr><th scope=row><code>{_e(rule)}</code></th><td>{c['error']}</td>"
            f"<td>{c['warning']}</td><td>{c['allowed']}</td></tr>"
            for rule, c in sorted(counts.items())
        )
        table = (
            "<table class=counts><caption>Findings per rule</caption><thead><tr><th scope=col>rule"
            "</th><th scope=col>errors</th><th scope=col>warnings</th><th scope=col>allowed</th>"
            f"</tr></thead><tbody>{rows}</tbody></table>"
            if counts
            else "<p>No rule found anything.</p>"
        )
        return (
            '<section aria-labelledby="summary"><h2 id="summary">Summary</h2>'
            f"<p class=checked>Checked {_e(checked or 'nothing')}: <strong>{len(report.errors)} "
            f"error{'s' if len(report.errors) != 1 else ''}</strong>, {len(report.warnings)} "
            f"warning{'s' if len(report.warnings) != 1 else ''}, {len(report.allowances)} "
            f"allowed.</p>{_chart(counts)}{table}</section>"
        )

    def findings(self, findings: list[Finding]) -> str:
        items = "\n".join(self._finding(i, f) for i, f in enumerate(findings, 1))
        return (
            f'<section aria-labelledby="findings"><h2 id="findings">Findings ({len(findings)})'
            f"</h2>{items or '<p>Nothing to fix: the build would publish.</p>'}</section>"
        )

    def allowances(self, allowances: list[Allowance]) -> str:
        if not allowances:
            return (
                '<section aria-labelledby="allowed"><h2 id="allowed">Allowed by the author (0)'
                "</h2><p>Nothing was waved through.</p></section>"
            )
        rows = "".join(
            f"<tr><td><code>{_e(a.finding.rule)}</code></td><td>{_e(str(a.finding.location))}</td>"
            f"<td>{_e(a.finding.matched)}</td><td class=reason>{_e(a.reason)}</td>"
            f"<td>{_e(str(a.where))}</td></tr>"
            for a in allowances
        )
        return (
            f'<section aria-labelledby="allowed"><h2 id="allowed">Allowed by the author '
            f"({len(allowances)})</h2><p>What was waved through, and why: check that each reason "
            "holds.</p><div class=scroll tabindex=0 role=region aria-label='Allowances'>"
            "<table class=allowances><thead><tr><th scope=col>rule"
            "</th><th scope=col>where</th><th scope=col>what</th><th scope=col>reason</th>"
            f"<th scope=col>allowed at</th></tr></thead><tbody>{rows}</tbody></table></div></section>"
        )

    # -- one finding -------------------------------------------------------

    def _finding(self, n: int, f: Finding) -> str:
        severity = "Error" if f.severity is Severity.ERROR else "Warning"
        image = f.extra.get("image") if f.rule in _IMAGE_RULES else None
        shown = self._picture(f, str(image)) if image else self._context(f)
        produced = self.pages.get(f.location.path)
        link = (
            f'<p class=page><a href="{_e(quote(produced))}">The page this would publish</a></p>'
            if produced
            else ""
        )
        return (
            f'<article class="finding {severity.lower()}" id="finding-{n}" '
            f'data-rule="{_e(f.rule)}" data-location="{_e(str(f.location))}">'
            f'<h3><span class="severity">{severity}</span> <code>{_e(f.rule)}</code> '
            f"<span class=where>{_e(str(f.location))}</span></h3>{shown}"
            f"<p class=why>{_e(f.message)}.</p>"
            f"<p class=fix><strong>Fix:</strong> {_e(_fix_alone(f.fix))}.</p>"
            f"{self._allowance_hint(f)}{link}</article>"
        )

    def _context(self, f: Finding) -> str:
        lines = self._source(f.location.path)
        if lines is None or not 1 <= f.location.line <= len(lines):
            return f"<blockquote class=context><p><mark>{_e(f.matched)}</mark></p></blockquote>"
        first, last = f.location.line, f.location.line
        end = f.end if f.end is not None and f.end.path == f.location.path else None
        if end is not None:
            last = min(max(end.line, first), len(lines))
        while first > 1 and lines[first - 2].strip():
            first -= 1
        while last < len(lines) and lines[last].strip():
            last += 1
        parts = []
        for number in range(first, last + 1):
            text = lines[number - 1]
            a = f.location.col - 1 if number == f.location.line else 0
            if number < f.location.line or (end is not None and number > end.line):
                parts.append(_e(text))
                continue
            if end is not None and number == end.line:
                b = end.col - 1
            elif end is not None:
                b = len(text)
            else:
                b = a + len(f.matched) if text[a : a + len(f.matched)] == f.matched else len(text)
            parts.append(_e(text[:a]) + "<mark>" + _e(text[a:b]) + "</mark>" + _e(text[b:]))
        return (
            f'<blockquote class=context data-first-line="{first}">'
            f"<pre>{chr(10).join(parts)}</pre></blockquote>"
        )

    def _picture(self, f: Finding, image: str) -> str:
        copy = self._copy(image)
        caption = [_e(f.matched)]
        lat, lon = f.extra.get("lat"), f.extra.get("lon")
        if lat is not None and lon is not None:
            # No gazetteer ships with Prudent: the place is a link, opened only on a click.
            osm = f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=15/{lat}/{lon}"
            caption.append(f'<a href="{_e(osm)}">the place on a map</a>')
        if copy is None:
            return (
                f"<figure class=picture><p class=missing>The picture ({_e(image)}) could not be "
                f"shown here.</p><figcaption>{'; '.join(caption)}</figcaption></figure>"
            )
        boxes = "".join(
            f'<g class=box data-label="{_e(b["label"])}"><rect x="{b["x"]}" y="{b["y"]}" '
            f'width="{b["w"]}" height="{b["h"]}"/><text x="{b["x"]}" y="{max(b["y"] - 6, 14)}">'
            f"{_e(b['label'])}</text></g>"
            for b in _boxes(f)
        )
        overlay = (
            f'<svg class=overlay viewBox="0 0 {copy.width} {copy.height}" aria-hidden="true" '
            f'preserveAspectRatio="none">{boxes}</svg>'
            if boxes
            else ""
        )
        alt = f"The picture {image}" + (f", with {f.matched} outlined" if boxes else "")
        return (
            f'<figure class=picture><div class=frame><img src="{_e(copy.src)}" '
            f'width="{copy.width}" height="{copy.height}" alt="{_e(alt)}">{overlay}</div>'
            f"<figcaption>{_e(image)}: {'; '.join(caption)}</figcaption></figure>"
        )

    def _allowance_hint(self, f: Finding) -> str:
        rule = f.rule
        if rule in _IMAGE_RULES:
            if rule in ("unscannable-image", "unsafe-svg"):
                return ""
            sha = f.extra.get("sha256") or (_SHA.search(f.fix) or [None, None])[1]
            if not sha:
                return ""
            snippet = (
                f'[[images.allow]]\nfile = "{f.extra.get("image", "")}"\nsha256 = "{sha}"\n'
                f'rules = ["{rule}"]\nreason = "..."'
            )
            where = "guardrails.toml"
        else:
            suffix = Path(f.location.path).suffix.lower()
            if suffix in (".md", ".markdown", ".html", ".htm"):
                snippet, where = f"<!-- guardrails: allow {rule} because REASON -->", "before it"
            elif suffix == ".rst":
                snippet, where = f".. guardrails: allow {rule} because REASON", "before it"
            elif f.location.path.startswith("theme/"):
                snippet, where = f"{{# guardrails: allow {rule} because REASON #}}", "before it"
            else:
                snippet = (
                    f'[[allow]]\nrule = "{rule}"\npaths = ["{f.location.path}"]\nreason = "..."'
                )
                where = "guardrails.toml"
        return (
            f"<p class=allow>If it is fine here, allow it with a reason ({_e(where)}):</p>"
            f"<pre class=snippet><code>{_e(snippet)}</code></pre>"
        )

    # -- files ---------------------------------------------------------------

    def _source(self, path: str) -> list[str] | None:
        if path not in self._sources:
            try:
                text = (self.root / path).read_text(encoding="utf-8")
                self._sources[path] = text.split("\n")
            except (OSError, UnicodeDecodeError):
                self._sources[path] = None
        return self._sources[path]

    def _copy(self, image: str) -> Picture | None:
        if image in self._copies:
            return self._copies[image]
        self._copies[image] = picture = self._make_copy(image)
        return picture

    def _make_copy(self, image: str) -> Picture | None:
        from PIL import Image, UnidentifiedImageError

        source = self.root / image
        if re.match(r"^[a-z][a-z0-9+.-]*:", image) or not source.is_file():
            return None
        try:
            with Image.open(source) as im:
                im.seek(0)
                kind = _WEB_FORMATS.get(im.format or "", ".png")
                name = hashlib.sha256(image.encode()).hexdigest()[:12] + kind
                frame = im.convert("RGBA" if kind == ".png" else "RGB") if kind != ".gif" else im
                # Saved afresh: the copy carries no EXIF, so no location travels with the report.
                frame.save(self.pictures / name, format=kind.lstrip(".").replace("jpg", "jpeg"))
                return Picture(f"pictures/{name}", im.width, im.height)
        except (OSError, UnidentifiedImageError, ValueError):
            return None


# The rules' fix texts end with how to allow the finding; the report shows that as a snippet.
_ALLOW_TAIL = re.compile(
    r"(?:; or, if it is right here, allow it| ?\. [^.]*, allow it in ).*$", re.S
)


def _fix_alone(fix: str) -> str:
    return _ALLOW_TAIL.sub("", fix).rstrip(". ")


def _boxes(f: Finding) -> list[dict[str, object]]:
    """What to outline: ``extra["boxes"]`` ([{label, x, y, w, h}]) or one ``extra["box"]``."""
    boxes = f.extra.get("boxes")
    if isinstance(boxes, list):
        return [b for b in boxes if isinstance(b, dict) and {"x", "y", "w", "h"} <= set(b)]
    box = f.extra.get("box")
    if isinstance(box, list | tuple) and len(box) == 4:
        x, y, w, h = box
        label = f.extra.get("label") or f.extra.get("reference") or f.matched
        return [{"label": str(label), "x": x, "y": y, "w": w, "h": h}]
    return []


def _chart(counts: dict[str, Counter[str]]) -> str:
    """Horizontal bars per rule; the table beside it carries the same numbers."""
    if not counts:
        return ""
    top = max(sum(c.values()) for c in counts.values()) or 1
    bar_h, gap, label_w, width = 22, 8, 170, 520
    rows = []
    for i, (rule, c) in enumerate(sorted(counts.items())):
        y, x = i * (bar_h + gap), label_w
        parts = []
        for kind in ("error", "warning", "allowed"):
            w = (width - label_w - 40) * c[kind] / top
            if w:
                parts.append(
                    f'<rect class="{kind}" x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}"/>'
                )
                x += w
        rows.append(
            f'<text x="0" y="{y + 16}">{_e(rule)}</text>{"".join(parts)}'
            f'<text x="{x + 6:.1f}" y="{y + 16}">{sum(c.values())}</text>'
        )
    height = len(counts) * (bar_h + gap)
    return (
        f'<figure class=chart><svg viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Findings per rule: errors, warnings and allowed">{"".join(rows)}</svg>'
        '<figcaption><span class="key error"></span> errors <span class="key warning"></span> '
        'warnings <span class="key allowed"></span> allowed</figcaption></figure>'
    )


def _problems(problems: list[str]) -> str:
    if not problems:
        return ""
    items = "".join(f"<li>{_e(p)}</li>" for p in problems)
    return (
        '<section aria-labelledby="problems"><h2 id="problems">Build problems '
        f"({len(problems)})</h2><p>Pelican would stop the build for these too:</p>"
        f"<ul>{items}</ul></section>"
    )


def _verdict(report: Report, problems: list[str]) -> str:
    if problems and not report.failed:
        return (
            "<p class='verdict blocked'>The build would publish nothing: Pelican reports "
            f"{len(problems)} problem(s).</p>"
        )
    if report.failed:
        return f"<p class='verdict blocked'>The build would publish nothing: {len(report.errors)} error(s) to resolve.</p>"
    return "<p class='verdict green'>The build would publish: no errors.</p>"


def _e(text: str) -> str:
    return html.escape(str(text), quote=True)


_TEMPLATE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<a class="skip-link" href="#main">Skip to the report</a>
<header class="report-header"><div class="wrap"><h1>{title}</h1>
<p class="generated">Prudent, {when}</p>{verdict}</div></header>
<main id="main" tabindex="-1"><div class="wrap">
{body}
</div></main>
<footer class="report-footer"><div class="wrap"><p>Made by <code>make report</code> from the
same findings as <code>make check</code>. Nothing here is published.</p></div></footer>
</body>
</html>
"""
