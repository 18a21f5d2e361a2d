"""Reports: the linter line format, JSON and SARIF 2.1.0."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from prudent.findings import Allowance, Finding, Severity

TOOL_NAME = "prudent"
TOOL_URI = "https://example.invalid/prudent"  # no public home yet; SARIF wants a URI


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    allowances: list[Allowance] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)  # kind -> count

    def extend(self, other: Report) -> None:
        self.findings.extend(other.findings)
        self.allowances.extend(other.allowances)
        for kind, n in other.checked.items():
            self.checked[kind] = self.checked.get(kind, 0) + n

    def sorted_findings(self) -> list[Finding]:
        return sorted(set(self.findings), key=Finding.sort_key)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.sorted_findings() if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.sorted_findings() if f.severity is Severity.WARNING]

    @property
    def failed(self) -> bool:
        return bool(self.errors)

    # -- renderers ---------------------------------------------------------

    def to_text(self) -> str:
        lines = [format_finding(f) for f in self.sorted_findings()]
        if self.allowances:
            lines.append("")
            lines.append(f"Allowed by the author ({len(self.allowances)}):")
            for a in sorted(self.allowances, key=lambda a: a.finding.sort_key()):
                f = a.finding
                lines.append(
                    f"  {f.location}: allowed {f.rule}: {f.matched!r} because {a.reason}"
                    f" (allowance at {a.where})"
                )
        lines.append("")
        lines.append(self.summary())
        return "\n".join(lines) + "\n"

    def summary(self) -> str:
        errors, warnings = len(self.errors), len(self.warnings)
        by_rule = Counter(f.rule for f in self.sorted_findings())
        checked = ", ".join(f"{n} {kind}" for kind, n in sorted(self.checked.items()))
        parts = [
            f"{errors} error{'s' if errors != 1 else ''}",
            f"{warnings} warning{'s' if warnings != 1 else ''}",
            f"{len(self.allowances)} allowed",
        ]
        text = "prudent: " + ", ".join(parts)
        if by_rule:
            text += " (" + ", ".join(f"{r}: {n}" for r, n in sorted(by_rule.items())) + ")"
        if checked:
            text += f"; checked {checked}"
        if errors:
            text += ". Nothing was published."
        return text

    def to_json(self) -> str:
        return json.dumps(
            {
                "findings": [f.to_dict() for f in self.sorted_findings()],
                "allowances": [a.to_dict() for a in self.allowances],
                "errors": len(self.errors),
                "warnings": len(self.warnings),
                "checked": self.checked,
            },
            indent=2,
            default=str,
        )

    def to_sarif(self, rule_docs: dict[str, str] | None = None) -> str:
        rule_docs = rule_docs or {}
        rule_ids = sorted({f.rule for f in self.findings} | set(rule_docs))
        results = []
        for f in self.sorted_findings():
            results.append(
                {
                    "ruleId": f.rule,
                    "ruleIndex": rule_ids.index(f.rule),
                    "level": "error" if f.severity is Severity.ERROR else "warning",
                    "message": {"text": _message_with_fix(f)},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {
                                    "uri": f.location.path,
                                    "uriBaseId": "%SRCROOT%",
                                },
                                "region": _region(f),
                            }
                        }
                    ],
                }
            )
        for a in self.allowances:
            f = a.finding
            results.append(
                {
                    "ruleId": f.rule,
                    "ruleIndex": rule_ids.index(f.rule) if f.rule in rule_ids else 0,
                    "level": "note",
                    "message": {"text": _message_with_fix(f)},
                    "suppressions": [{"kind": "inSource", "justification": a.reason}],
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {"uri": f.location.path},
                                "region": _region(f),
                            }
                        }
                    ],
                }
            )
        sarif = {
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": TOOL_NAME,
                            "informationUri": TOOL_URI,
                            "rules": [
                                {
                                    "id": r,
                                    "shortDescription": {"text": rule_docs.get(r, r)},
                                }
                                for r in rule_ids
                            ],
                        }
                    },
                    "results": results,
                }
            ],
        }
        return json.dumps(sarif, indent=2)


def _region(f: Finding) -> dict[str, int]:
    region = {"startLine": f.location.line, "startColumn": f.location.col}
    if f.end is not None and f.end.path == f.location.path and f.end > f.location:
        region.update(endLine=f.end.line, endColumn=f.end.col)
    return region


def _message_with_fix(f: Finding) -> str:
    text = f"{f.message} (matched {f.matched!r})"
    if f.fix:
        text += f". {f.fix}"
    return text


def format_finding(f: Finding) -> str:
    """``PATH:LINE:COL: SEVERITY RULE-ID: message`` — one line per finding."""
    return f"{f.location}: {f.severity} {f.rule}: {_message_with_fix(f)}"
