"""``official-link``: links to official government sites.

A personal blog that links to a department's pages can look as if it speaks
for the department. Domains are data (``guardrails/official-domains.txt``),
matched on the real host name of each link (``links.py``), so
``www.gov.uk.example.com`` is not official and ``https://gov.uk@evil.example``
points at ``evil.example``.
"""

from __future__ import annotations

import fnmatch

from prudent.policy import Policy, PolicyError
from prudent.text.links import Link, find_links, normalise_host

RULE = "official-link"
DEFAULT_LISTS = ["official-domains.txt"]
WHY = "a personal notebook that links to official pages can look as if it speaks for them"
FIX = "Link to an independent source instead, or name the page without linking to it"


class DomainList:
    """Host suffixes, one a line; ``*`` stands for one label (``gov.*``)."""

    def __init__(self, entries: list[tuple[str, str]]) -> None:
        self.exact: dict[str, str] = {}
        self.globs: list[tuple[list[str], str]] = []
        for entry, source in entries:
            labels = entry.split(".")
            if any(ch in entry for ch in "*?["):
                self.globs.append((labels, source))
            else:
                self.exact.setdefault(entry, source)

    @classmethod
    def load(cls, policy: Policy, relpaths: list[str], inline: list[str]) -> DomainList:
        entries = []
        for rel in relpaths:
            for line, raw in policy.read_list(rel):
                entries.append(
                    (_domain(raw, f"guardrails/{rel}", line), f"guardrails/{rel}:{line}")
                )
        for item in inline:
            entries.append((_domain(item, policy.path, 1), policy.path))
        return cls(entries)

    def match(self, host: str) -> str | None:
        """The list entry ``host`` falls under (itself or a subdomain), if any."""
        if not host:
            return None
        labels = host.split(".")
        for i in range(len(labels)):
            suffix = ".".join(labels[i:])
            if suffix in self.exact:
                return suffix
        for pattern, _ in self.globs:
            n = len(pattern)
            if len(labels) >= n and all(
                fnmatch.fnmatchcase(label, p) for label, p in zip(labels[-n:], pattern, strict=True)
            ):
                return ".".join(pattern)
        return None


def _domain(raw: str, path: str, line: int) -> str:
    entry = raw.strip().lstrip(".").lower()
    if "/" in entry or " " in entry or not entry:
        raise PolicyError(path, line, f"bad domain {raw!r}: write a host name such as 'gov.uk'")
    return entry if any(c in entry for c in "*?[") else normalise_host(entry)


class OfficialLinkRule:
    def __init__(self, policy: Policy) -> None:
        key = f"rules.{RULE}"
        lists = policy.get_str_list(f"{key}.domain_lists", DEFAULT_LISTS)
        extra = policy.get_str_list(f"{key}.domains", [])
        allow_lists = policy.get_str_list(f"{key}.allow_lists", [])
        allow_hosts = policy.get_str_list(f"{key}.allow_hosts", [])
        self.official = DomainList.load(policy, lists, extra)
        self.allowed = DomainList.load(policy, allow_lists, allow_hosts)

    def find(self, source: str, links: list[Link] | None = None) -> list[tuple[Link, str]]:
        """Official links in the *source* text, with the list entry each matched."""
        out = []
        for link in find_links(source) if links is None else links:
            entry = self.official.match(link.host)
            if entry and not self.allowed.match(link.host):
                out.append((link, entry))
        return out
