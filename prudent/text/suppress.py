"""Allowances: findings the author waves through, always with a reason.

Three places, from narrow to wide:

- next to the text: ``<!-- guardrails: allow RULE-ID because REASON -->``
  covers the next paragraph (up to the next blank line); several rules may
  be named, separated by commas (``.. guardrails: allow ...`` in
  reStructuredText, ``{# guardrails: allow ... #}`` in a theme template);
- a whole post: metadata ``Guardrails-Allow: RULE-ID[, RULE-ID]`` with
  ``Guardrails-Reason: ...`` (``<meta name="guardrails-allow">`` in HTML);
- the policy: ``[[allow]]`` tables in ``guardrails.toml`` with ``rule``,
  ``reason`` and optional ``paths`` (globs, default every file), e.g. an
  official spokesperson allowing ``official-link`` site-wide.

Only a real comment allows: one a reader's browser hides. The same text shown
as an example (in a fenced or indented code block, in inline code, inside
``<script>``, ``<style>``, ``<textarea>`` or ``<xmp>``, in a Jinja comment or
``{% raw %}`` block of a template, anywhere in reStructuredText, where
``<!-- -->`` is printed as it is) allows nothing.

An allowance without a reason is itself an error (``allowance-without-reason``)
and allows nothing; one naming a rule that does not exist is an error too
(``allowance-unknown-rule``); one that allows nothing is a warning
(``allowance-unused``), so stale allowances do not pile up.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field

from prudent.document import HTML, MARKDOWN, RST, TEMPLATE, TextDocument
from prudent.findings import Finding, Location, Severity
from prudent.policy import Policy, PolicyError
from prudent.text.prepare import metadata_end

WITHOUT_REASON = "allowance-without-reason"
UNKNOWN_RULE = "allowance-unknown-rule"
UNUSED = "allowance-unused"
MIN_REASON = 3  # characters: "because ok" is not a reason a reviewer can check

_COMMENT = re.compile(r"<!--\s*guardrails\s*:(?P<body>.*?)-->", re.S | re.I)
_JINJA_COMMENT = re.compile(r"\{#-?\s*guardrails\s*:(?P<body>.*?)-?#\}", re.S | re.I)
_RST_COMMENT = re.compile(r"^\.\.[ \t]+guardrails[ \t]*:(?P<body>[^\n]*)$", re.M | re.I)
_BODY = re.compile(
    r"^\s*allow\s+(?P<rules>[\w\s,-]*?)\s*(?:\bbecause\b(?P<reason>.*))?$", re.S | re.I
)
_META = re.compile(r"^(?P<key>guardrails-(?:allow|reason))[ \t]*:[ \t]*(?P<value>.*)$", re.I | re.M)
_HTML_META = re.compile(
    r"<meta\s+name=[\"'](?P<key>guardrails-(?:allow|reason))[\"']\s+content=[\"'](?P<value>[^\"']*)[\"']",
    re.I,
)
_PARAGRAPH_END = re.compile(r"\n[ \t\r]*\n")
# HTML elements whose content is shown (or run) as it is: a comment there is text.
_RAW_TEXT = re.compile(
    r"<(?P<tag>script|style|textarea|xmp|title|plaintext)\b[^>]*>.*?(?:</(?P=tag)\s*>|\Z)",
    re.S | re.I,
)
_FENCE = re.compile(r"^[ ]{0,3}(?P<mark>`{3,}|~{3,})", re.M)
_BACKTICKS = re.compile(r"`+")
_JINJA_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}.*?(?:\{%-?\s*endraw\s*-?%\}|\Z)", re.S)
_JINJA_COMMENT_ANY = re.compile(r"\{#.*?(?:#\}|\Z)", re.S)


@dataclass
class Directive:
    rules: tuple[str, ...]
    reason: str
    where: Location
    covers: tuple[int, int]  # source offsets; the whole text for metadata
    used: bool = False


@dataclass
class SiteAllowance:
    """An ``[[allow]]`` table of the policy."""

    rule: str
    reason: str
    paths: list[str]
    where: Location

    def covers(self, path: str) -> bool:
        return any(fnmatch.fnmatchcase(path, p) for p in self.paths)


@dataclass
class Directives:
    items: list[Directive] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)

    def find(self, rule: str, offset: int) -> Directive | None:
        for d in self.items:
            if rule in d.rules and d.covers[0] <= offset < d.covers[1]:
                return d
        return None


def _how(kind: str) -> str:
    if kind in (MARKDOWN, HTML, TEMPLATE):
        return "write it as <!-- guardrails: allow RULE-ID because REASON -->"
    if kind == RST:
        return "write it as .. guardrails: allow RULE-ID because REASON"
    return "write the reason after the rule id"


def parse(doc: TextDocument, known: frozenset[str]) -> Directives:
    out = Directives()
    text = doc.text
    if doc.kind in (MARKDOWN, HTML, TEMPLATE, RST):
        comments: list[re.Match[str]] = []
        if doc.kind != RST and "<!--" in text:  # reStructuredText prints "<!-- -->" as it is
            found = list(_COMMENT.finditer(text))
            shown = shown_as_text(text, doc.kind) if found else []
            comments += [m for m in found if not _inside(m.start(), shown)]
        if doc.kind == RST:  # .. guardrails: allow RULE-ID because REASON
            comments += list(_RST_COMMENT.finditer(text))
        if doc.kind == TEMPLATE:  # {# guardrails: ... #} stays out of the HTML
            raw = [(m.start(), m.end()) for m in _JINJA_RAW.finditer(text)]
            comments += [m for m in _JINJA_COMMENT.finditer(text) if not _inside(m.start(), raw)]
        for m in comments:
            body = _BODY.match(m.group("body"))
            where = doc.location(m.start())
            if not body:
                out.problems.append(
                    _problem(
                        UNKNOWN_RULE,
                        where,
                        m.group(0),
                        "this guardrails comment is not an allowance the checker understands",
                        "Write <!-- guardrails: allow RULE-ID because REASON -->",
                    )
                )
                continue
            covers = _next_paragraph(text, m.end())
            out_rules = _rules(body.group("rules"), where, m.group(0), known, out)
            reason = (body.group("reason") or "").strip()
            _add(out, out_rules, reason, where, covers, m.group(0), doc.kind)
    _metadata(doc, known, out)
    return out


def shown_as_text(text: str, kind: str) -> list[tuple[int, int]]:
    """Spans of ``text`` a reader sees as text, where ``<!-- -->`` is no comment.

    Sorted (start, end) source offsets: raw-text HTML elements; in Markdown,
    fenced and indented code blocks and inline code; in a template, Jinja
    comments (never output). Where Markdown is ambiguous (an indented line after
    a blank one may continue a list item), it counts as code: an allowance that
    is not clearly a real comment allows nothing.
    """
    spans = [(m.start(), m.end()) for m in _RAW_TEXT.finditer(text)] if "<" in text else []
    if kind == TEMPLATE and "{#" in text:
        spans += [(m.start(), m.end()) for m in _JINJA_COMMENT_ANY.finditer(text)]
    if kind == MARKDOWN:
        blocks = _code_blocks(text)
        spans += blocks
        if "`" in text:
            spans += _code_spans(text, blocks)
    return sorted(spans)


def _inside(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= offset < b for a, b in spans)


def _code_blocks(text: str) -> list[tuple[int, int]]:
    """Fenced and indented code blocks of Markdown, as source spans."""
    spans: list[tuple[int, int]] = []
    body = metadata_end(text)
    lines = text[body:].splitlines(keepends=True)
    pos, i, blank_before = body, 0, True
    while i < len(lines):
        line = lines[i]
        fence = _FENCE.match(line)
        if fence:
            mark = fence.group("mark")
            closing = re.compile(rf"^[ ]{{0,3}}{re.escape(mark[0])}{{{len(mark)},}}[ \t]*$")
            start, j, end = pos, i + 1, pos + len(line)
            while j < len(lines):
                end += len(lines[j])
                if closing.match(lines[j].rstrip("\r\n")):
                    break
                j += 1
            spans.append((start, end))
            pos, i, blank_before = end, j + 1, False
            continue
        indented = line.startswith(("    ", "\t")) and line.strip()
        if indented and blank_before:
            start = end = pos
            j = i
            while j < len(lines) and (lines[j].startswith(("    ", "\t")) or not lines[j].strip()):
                end += len(lines[j])
                j += 1
            spans.append((start, end))
            pos, i, blank_before = end, j, True
            continue
        blank_before = not line.strip()
        pos += len(line)
        i += 1
    return spans


def _code_spans(text: str, blocks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Inline code: a run of N backticks up to the next run of exactly N, in one paragraph."""
    spans: list[tuple[int, int]] = []
    runs = [m for m in _BACKTICKS.finditer(text) if not _inside(m.start(), blocks)]
    i = 0
    while i < len(runs):
        opener = runs[i]
        at = opener.start()
        while at > 0 and text[at - 1] == "\\":
            at -= 1
        if (opener.start() - at) % 2:  # \` is a literal backtick
            i += 1
            continue
        end = _PARAGRAPH_END.search(text, opener.end())
        limit = end.start() if end else len(text)
        closer = None
        for k in range(i + 1, len(runs)):
            if runs[k].start() >= limit:
                break
            if len(runs[k].group(0)) == len(opener.group(0)):
                closer = k
                break
        if closer is None:
            i += 1
            continue
        spans.append((opener.start(), runs[closer].end()))
        i = closer + 1
    return spans


def _next_paragraph(text: str, start: int) -> tuple[int, int]:
    pos = start
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    m = _PARAGRAPH_END.search(text, pos)
    return (start, m.start() if m else len(text))


def _rules(
    raw: str, where: Location, matched: str, known: frozenset[str], out: Directives
) -> tuple[str, ...]:
    names = tuple(r.strip().lower() for r in re.split(r"[,\s]+", raw) if r.strip())
    if not names:
        out.problems.append(
            _problem(
                UNKNOWN_RULE,
                where,
                matched,
                "this allowance names no rule",
                f"Name the rule to allow, one of: {', '.join(sorted(known))}",
            )
        )
    for name in names:
        if name not in known:
            out.problems.append(
                _problem(
                    UNKNOWN_RULE,
                    where,
                    matched,
                    f"'{name}' is not a rule id, so this allowance allows nothing",
                    f"Use one of: {', '.join(sorted(known))}",
                )
            )
    return tuple(n for n in names if n in known)


def _add(
    out: Directives,
    rules: tuple[str, ...],
    reason: str,
    where: Location,
    covers: tuple[int, int],
    matched: str,
    kind: str,
) -> None:
    if len(reason) < MIN_REASON:
        out.problems.append(
            _problem(
                WITHOUT_REASON,
                where,
                matched,
                "an allowance needs a reason a reviewer can check, so this one allows nothing",
                f"Say why the finding is acceptable: {_how(kind)}",
            )
        )
        return
    if rules:
        out.items.append(Directive(rules, reason, where, covers))


def _metadata(doc: TextDocument, known: frozenset[str], out: Directives) -> None:
    if doc.kind in (MARKDOWN, RST):
        header = doc.text[: metadata_end(doc.text)]
        found = {m.group("key").lower(): m for m in _META.finditer(header)}
    elif doc.kind == HTML:
        found = {m.group("key").lower(): m for m in _HTML_META.finditer(doc.text)}
    else:
        return
    allow = found.get("guardrails-allow")
    reason_m = found.get("guardrails-reason")
    if allow is None:
        if reason_m is not None:
            out.problems.append(
                _problem(
                    UNKNOWN_RULE,
                    doc.location(reason_m.start()),
                    reason_m.group(0).strip(),
                    "Guardrails-Reason without Guardrails-Allow allows nothing",
                    "Add 'Guardrails-Allow: RULE-ID' above it, or remove it",
                )
            )
        return
    where = doc.location(allow.start())
    rules = _rules(allow.group("value"), where, allow.group(0).strip(), known, out)
    reason = reason_m.group("value").strip() if reason_m else ""
    if len(reason) < MIN_REASON:
        out.problems.append(
            _problem(
                WITHOUT_REASON,
                where,
                allow.group(0).strip(),
                "a whole-post allowance needs a reason a reviewer can check, "
                "so this one allows nothing",
                "Add 'Guardrails-Reason: why this is acceptable' to the metadata",
            )
        )
        return
    if rules:
        out.items.append(Directive(rules, reason, where, (0, len(doc.text) + 1)))


def _problem(rule: str, where: Location, matched: str, message: str, fix: str) -> Finding:
    return Finding(rule, Severity.ERROR, where, " ".join(matched.split())[:120], message, fix)


def unused_warning(d: Directive) -> Finding:
    return Finding(
        UNUSED,
        Severity.WARNING,
        d.where,
        ", ".join(d.rules),
        "this allowance allows nothing here (the text it covers has no such finding)",
        "Remove it, so that a later finding is not waved through by mistake",
    )


def site_allowances(policy: Policy, known: frozenset[str]) -> list[SiteAllowance]:
    """The ``[[allow]]`` tables of the policy, validated (PolicyError names the line)."""
    tables = policy.get("allow", list, [])
    headers = [
        n for n, line in enumerate(policy.text.splitlines(), 1) if line.strip() == "[[allow]]"
    ]
    out = []
    for i, table in enumerate(tables):
        line = headers[i] if i < len(headers) else policy.line_of("allow")
        if not isinstance(table, dict):
            raise PolicyError(policy.path, line, "'allow' must be [[allow]] tables")
        unknown = set(table) - {"rule", "reason", "paths"}
        if unknown:
            raise PolicyError(
                policy.path,
                line,
                f"unknown key '{sorted(unknown)[0]}' in [[allow]]; expected rule, reason, paths",
            )
        rule, reason, paths = table.get("rule"), table.get("reason"), table.get("paths", ["*"])
        if not isinstance(rule, str) or rule not in known:
            raise PolicyError(
                policy.path,
                line,
                f"[[allow]] rule {rule!r} is not a rule id; use one of: {', '.join(sorted(known))}",
            )
        if not isinstance(reason, str) or len(reason.strip()) < MIN_REASON:
            raise PolicyError(
                policy.path,
                line,
                f"[[allow]] for '{rule}' needs a reason = \"...\" a reviewer can check",
            )
        if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
            raise PolicyError(policy.path, line, "[[allow]] paths must be a list of globs")
        out.append(SiteAllowance(rule, reason.strip(), paths, Location(policy.path, line)))
    return out
