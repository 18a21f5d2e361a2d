"""Was a published finding judged at its source? If not, where did it come from?

A finding of the output pass is:

- dropped, when its words with their published context were judged at a
  source (reported or allowed there, or passed): nothing is reported twice;
  a link, when the same link was judged where it is written;
- traced, when its words are in a source (a post, a template, a setting, a
  bookmark) but were not judged as published: reported at that source,
  saying where it was published and by which route, and allowed by that
  source's own allowance when the rest of the published context is the
  theme's words ("Posts tagged" + a tag allowed in its post);
- reported at the published file's line and column otherwise (written by
  Pelican, the theme's code or a plugin), and allowed only by an ``[[allow]]``
  table of the policy whose ``paths`` cover it.

Each finding is reported once per source place (or per published phrase),
with the first place it is published and how many more.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from prudent.document import PLAIN, TEMPLATE, TextDocument
from prudent.findings import Allowance, Finding, Location, Severity
from prudent.published.sources import Prose, SourceIndex, rank, route, skeleton
from prudent.report import Report
from prudent.text import KNOWN_RULES, suppress
from prudent.text.links import host_of

UNJUDGED = "unjudged-output"
_CONTEXT = 8  # skeleton characters of context that make a window more than the match


@dataclass
class _Verdict:
    dropped: bool = False
    doc: TextDocument | None = None  # the traced source
    start: int = 0  # offsets in doc.text
    end: int = 0
    allowance: tuple[str, Location] | None = None  # (reason, where) of a source's allowance
    whole: bool = True  # the source holds the words together (its own allowances apply)


@dataclass
class _Group:
    finding: Finding
    allowance: tuple[str, Location] | None
    published: list[str] = field(default_factory=list)  # output locations


class Resolver:
    """Collects a build's published findings, judged against its sources."""

    def __init__(
        self,
        index: SourceIndex,
        source: Report,
        site_allowances: list[suppress.SiteAllowance],
    ) -> None:
        self.index = index
        self.site = site_allowances
        self.used: set[Location] = set()  # source allowances that allowed published text
        self._groups: dict[tuple[str, str, str, bool], _Group] = {}
        self._memo: dict[tuple[str, str, str], _Verdict] = {}
        self._directives: dict[str, suppress.Directives] = {}
        self._links: dict[str, set[str]] = {}
        self._clipped: dict[str, list[str]] = {}
        self._judged_lines: set[tuple[str, str, int]] = set()  # (rule, path, line) at source
        for f in [*source.findings, *(a.finding for a in source.allowances)]:
            self._judged_lines.add((f.rule, f.location.path, f.location.line))
            if host_of(f.matched):
                key = _url_key(f.matched)
                if f.matched.endswith("..."):
                    self._clipped.setdefault(f.rule, []).append(key[: -len("...")])
                else:
                    self._links.setdefault(f.rule, set()).add(key)

    def report(self) -> Report:
        report = Report()
        for group in self._groups.values():
            finding = _with_places(group.finding, group.published)
            if group.allowance is not None:
                report.allowances.append(Allowance(finding, *group.allowance))
            else:
                report.findings.append(finding)
        return report

    def add(self, e: dict[str, Any], published: str) -> None:
        """One cached entry of the published file ``published`` (``output/...``)."""
        line, col = e["at"]
        out_loc = Location(published, line, col)
        rule = e["rule"]
        if rule == UNJUDGED:
            finding = Finding(rule, Severity.ERROR, out_loc, "", e["message"], e["fix"])
            site = self._site_allowance(rule, [published])
            self._group(finding, (site.reason, site.where) if site else None, None, published)
            return
        memo_key = (rule, e["words"], e["window"])
        verdict = self._memo.get(memo_key)
        if verdict is None:
            verdict = self._memo[memo_key] = self._verdict(e)
        if verdict.dropped:
            return
        doc = verdict.doc
        if doc is not None:
            location, end = doc.location(verdict.start), doc.location(verdict.end)
            came = f"it came by {route(doc)}"
        else:
            location, end = out_loc, Location(published, *e["end"])
            came = (
                "no source the guardrails read holds it (Pelican, the theme's code or a plugin "
                "wrote it)"
            )
        message = (
            f"{e['message']}. Found in the published site, not in any source as it reads there: "
            f"{{places}} ({e['where']}); {came}"
        )
        finding = Finding(
            rule,
            Severity(e["severity"]),
            location,
            e["matched"],
            message,
            _fix(rule, doc, e["fix"], verdict.whole),
            end=end,
        )
        allowance = verdict.allowance
        if allowance is not None:
            self.used.add(allowance[1])
        elif e.get("allowed"):
            reason, path, at_line = e["allowed"]
            allowance = (reason, Location(path, at_line))
        else:
            site = self._site_allowance(rule, [published] + ([doc.path] if doc else []))
            allowance = (site.reason, site.where) if site else None
        # One finding per source place; one per published phrase when it has no source.
        place = str(location) if doc is not None else f"{e['where']}\0{skeleton(e['window'])}"
        self._group(finding, allowance, str(out_loc), place)

    def _group(
        self,
        finding: Finding,
        allowance: tuple[str, Location] | None,
        out_loc: str | None,
        place: str,
    ) -> None:
        key = (finding.rule, place, skeleton(finding.matched), allowance is not None)
        group = self._groups.get(key)
        if group is None:
            group = self._groups[key] = _Group(finding, allowance)
        if out_loc is not None:
            group.published.append(out_loc)

    def _site_allowance(self, rule: str, paths: list[str]) -> suppress.SiteAllowance | None:
        return next(
            (a for a in self.site if a.rule == rule and any(a.covers(p) for p in paths)), None
        )

    # -- the verdict on one finding (the same in every file that holds it) ----------

    def _verdict(self, e: dict[str, Any]) -> _Verdict:
        if e["link"]:
            return self._link_verdict(e)
        words, window = e["words"], e["window"]
        match, context = skeleton(words), skeleton(window)
        if len(context) >= len(match) + _CONTEXT and self.index.containing(context, window):
            return _Verdict(dropped=True)  # these very words, in this context, were judged
        found = self.index.containing(match, words)
        if not found:
            return self._pieced(words)
        prose, at = min(found, key=lambda pa: rank(pa[0]))
        verdict = _traced(prose, at, len(match))
        left, _, right = context.partition(match)
        if self.index.templates_hold(left) and self.index.templates_hold(right):
            directive = self._directive(prose.doc, e["rule"], verdict.start)
            if directive is not None:
                verdict.allowance = (directive.reason, directive.where)
        return verdict

    def _pieced(self, words: str) -> _Verdict:
        """Words no one source holds together, each of which some source holds as a word
        ("Vote" in a template, "Labour" a post's tag): named after the source file that holds
        most of them, the theme first. A word no source holds means something else wrote it:
        not traced. Not a trace strong enough to apply a source's allowances."""
        by_path: dict[str, dict[str, tuple[Prose, int, int]]] = {}
        for word in dict.fromkeys(re.findall(r"\w{2,}", words.casefold())):
            found = self.index.holding_word(word)
            if not found:
                return _Verdict()
            for prose, start, end in found:
                by_path.setdefault(prose.doc.path, {}).setdefault(word, (prose, start, end))
        if not by_path:
            return _Verdict()
        best = max(
            by_path.values(), key=lambda held: (len(held), -min(rank(h[0]) for h in held.values()))
        )
        prose, start, end = next(iter(best.values()))  # its first word, where it holds it
        return _Verdict(doc=prose.doc, start=start, end=end, whole=False)

    def _link_verdict(self, e: dict[str, Any]) -> _Verdict:
        rule = e["rule"]
        url = (e["words"] or e["matched"]).strip()  # as readers get it: already decoded
        key = _url_key(url, decoded=True)
        if key in self._links.get(rule, set()) or any(
            key.startswith(c) for c in self._clipped.get(rule, [])
        ):
            return _Verdict(dropped=True)  # this link was judged where it is written
        for doc in self.index.docs:
            at = next((i for i in (doc.text.find(u) for u in _written(url)) if i >= 0), -1)
            if at < 0:
                continue
            where = doc.location(at)
            if (rule, where.path, where.line) in self._judged_lines:
                return _Verdict(dropped=True)  # judged there, in another form ("[url](url)")
            verdict = _Verdict(doc=doc, start=at, end=at + len(url))
            directive = self._directive(doc, rule, at)
            if directive is not None:
                verdict.allowance = (directive.reason, directive.where)
            return verdict
        return _Verdict()

    def _directive(self, doc: TextDocument, rule: str, offset: int) -> suppress.Directive | None:
        directives = self._directives.get(doc.digest)
        if directives is None:
            directives = self._directives[doc.digest] = suppress.parse(doc, KNOWN_RULES)
        return directives.find(rule, offset)


def _traced(prose: Prose, at: int, length: int) -> _Verdict:
    start = prose.offset(at)
    end = max(start + 1, prose.offset(at + max(1, length) - 1) + 1)
    return _Verdict(doc=prose.doc, start=start, end=end)


def _url_key(url: str, decoded: bool = False) -> str:
    """A URL to compare: a source's as written (entities decoded), a published one as is
    (decoding twice would read "&region=" as "®ion=")."""
    url = (url if decoded else html.unescape(url)).strip()
    clipped = url.endswith("...")
    return skeleton(url[:-3] if clipped else url) + ("..." if clipped else "")


def _written(url: str) -> list[str]:
    """How a source may write the URL readers get: as it is, or with ``&amp;``."""
    forms = [url]
    if "&" in url:
        forms.append(url.replace("&", "&amp;"))
    return forms


def _fix(rule: str, doc: TextDocument | None, fix: str, whole: bool = True) -> str:
    what = fix.rstrip(". ") or "Change the text"
    if doc is not None and not whole:  # pieced together: no comment in one place covers it
        return (
            f"{what} in {doc.path} (and what it is put together with); or, if it is right here, "
            f'allow it with a reason: an [[allow]] table in guardrails.toml (rule = "{rule}", '
            f'paths = ["{doc.path}"], reason = "...")'
        )
    if doc is None:
        return (
            f"{what} where it is made (the theme's code or the plugin that writes this file); "
            "or, if it is right here, allow it with a reason: an [[allow]] table in "
            f'guardrails.toml (rule = "{rule}", paths = ["output/..."], reason = "...")'
        )
    if doc.kind == TEMPLATE:
        how = f"{{# guardrails: allow {rule} because REASON #}} before the line"
    elif doc.kind == PLAIN:
        how = (
            f'an [[allow]] table in guardrails.toml (rule = "{rule}", paths = ["{doc.path}"], '
            'reason = "...")'
        )
    else:
        how = f"<!-- guardrails: allow {rule} because REASON --> before the paragraph"
    return f"{what} in {doc.path}; or, if it is right here, allow it with a reason: {how}"


def _with_places(f: Finding, published: list[str]) -> Finding:
    if "{places}" not in f.message:
        return f
    places = sorted(set(published))
    text = places[0] if places else "the site"
    if len(places) > 1:
        text += f" and {len(places) - 1} more place{'s' if len(places) > 2 else ''}"
    message = f.message.replace("{places}", text)
    return Finding(f.rule, f.severity, f.location, f.matched, message, f.fix, end=f.end)
