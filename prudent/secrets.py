"""``secret-url``: credentials and secret-looking parameters in a published URL.

A bookmark saved from a logged-in page can carry a password
(``https://user:hunter2@host/``), an API key, a signed link's signature or a
session token (``?token=...``, ``;jsessionid=...``). Published, any reader can use it. The URL is
published without them (the page it names is the same); the finding says
which parts went, never their values. The names are data
(``guardrails/secret-parameters.txt``); a value that is a JSON Web Token is
removed whatever its parameter is called.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from prudent.findings import Finding, Location, Severity
from prudent.policy import Policy

RULE = "secret-url"
RULE_DOC = "A published URL carried a password or a secret-looking parameter (removed)"
DEFAULT_LISTS = ["secret-parameters.txt"]
SEVERITIES = ("warning", "error")
WHY = (
    "anyone who reads it could use it: a password, an API key, a signature or a session "
    "token in a link opens the account or the document it guards"
)
_JWT = re.compile(r"^eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]*$")
_FOLD = re.compile(r"[-_.\s]+")


@dataclass(frozen=True)
class Stripped:
    url: str  # what may be published
    removed: tuple[str, ...] = ()  # what went, for the message: "the password", "'token'"
    values: tuple[str, ...] = ()  # the secret values, to remove from the title and notes too


class SecretUrlRule:
    """Reads ``[rules.secret-url]``: the parameter names and how loud the finding is."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.severity = Severity(policy.choice(f"rules.{RULE}.severity", SEVERITIES, "warning"))
        lists = policy.get_str_list(f"rules.{RULE}.lists", DEFAULT_LISTS)
        if lists == DEFAULT_LISTS and not (policy.root / "guardrails" / lists[0]).is_file():
            names = list(BUILTIN_NAMES)  # a project from before the list: still fail closed
        else:
            names = [name for rel in lists for _, name in policy.read_list(rel)]
        names += policy.get_str_list(f"rules.{RULE}.parameters", [])
        self.matcher = parameter_matcher(names)

    def clean(self, url: str) -> Stripped:
        return strip_secrets(url, self.matcher)

    def finding(self, location: Location, what: str, parts: tuple[str, ...]) -> Finding:
        removed = ", ".join(parts)
        louder = "" if self.severity is Severity.ERROR else " (published without them)"
        return Finding(
            RULE,
            self.severity,
            location,
            removed,
            f"{what} carried {removed}{louder}: {WHY}",
            "Remove them from the export too (edit the bookmark, or save the page again "
            "without them); to keep such a bookmark private, mark it private"
            + (
                f'; to publish it stripped with a warning, set severity = "warning" under '
                f"[rules.{RULE}] in {self.policy.path}"
                if self.severity is Severity.ERROR
                else ""
            ),
        )


# When no policy is at hand (a library caller): the core of the shipped list.
BUILTIN_NAMES = ("token", "*token", "key", "*key", "sig", "*signature", "*secret", "*password")
BUILTIN_NAMES += ("pass", "pwd", "auth", "*credential", "session", "*sessionid", "sid")


@lru_cache(maxsize=1)
def builtin_matcher() -> re.Pattern[str]:
    return parameter_matcher(list(BUILTIN_NAMES))


def parameter_matcher(names: list[str]) -> re.Pattern[str]:
    """One regex for the names; ``*`` is any run of characters."""
    parts = []
    for name in names:
        folded = fold(name)
        if folded:
            parts.append(".*".join(re.escape(p) for p in folded.split("*")))
    return re.compile("^(?:" + "|".join(parts or ["(?!)"]) + ")$")


def fold(name: str) -> str:
    return _FOLD.sub("", name.lower())


def strip_secrets(url: str, matcher: re.Pattern[str]) -> Stripped:
    """``url`` without its user name and password and without secret parameters."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return Stripped(url)
    removed: list[str] = []
    values: list[str] = []
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, hostport = netloc.rpartition("@")
        user, colon, password = userinfo.partition(":")
        removed.append("a user name and password" if colon else "a user name")
        values.extend(v for v in (password, user) if len(v) >= 4)
        netloc = hostport
    path = _strip_path_parameters(parts.path, matcher, removed, values)
    query = _strip_parameters(parts.query, matcher, removed, values)
    fragment = parts.fragment
    if "=" in fragment:  # OAuth's implicit flow puts the token after the #
        fragment = _strip_parameters(fragment, matcher, removed, values, where="fragment ")
    if not removed:
        return Stripped(url)
    clean = urlunsplit((parts.scheme, netloc, path, query, fragment))
    return Stripped(clean, tuple(removed), tuple(values))


def _strip_parameters(
    text: str,
    matcher: re.Pattern[str],
    removed: list[str],
    values: list[str],
    where: str = "",
    sep: str = "&",
) -> str:
    kept = []
    for pair in text.split(sep) if text else []:
        name, eq, value = pair.partition("=")
        plain = unquote_plus(value)
        if matcher.match(fold(unquote_plus(name))) or (eq and _JWT.match(plain)):
            label = f"the {where}parameter '{unquote_plus(name)}'"
            if label not in removed:
                removed.append(label)
            values.extend(v for v in (value, plain) if len(v) >= 4)
        else:
            kept.append(pair)
    return sep.join(kept)


def _strip_path_parameters(
    path: str, matcher: re.Pattern[str], removed: list[str], values: list[str]
) -> str:
    """``/app;jsessionid=...`` without its secret ``;name=value`` path parameters.

    Java servers (``;jsessionid=``) and others put the session in a path segment's
    parameters, where the query's rules apply as well.
    """
    if ";" not in path:
        return path
    segments = []
    for segment in path.split("/"):
        head, semicolon, params = segment.partition(";")
        kept = _strip_parameters(params, matcher, removed, values, where="path ", sep=";")
        segments.append(head + (semicolon + kept if kept else ""))
    return "/".join(segments)


def redact(text: str, stripped: Stripped, original_url: str) -> str:
    """``text`` (a title, notes) with the URL and the secret values taken out."""
    if not text:
        return text
    if stripped.removed:
        text = text.replace(original_url, stripped.url)
    for value in sorted(set(stripped.values), key=len, reverse=True):
        text = text.replace(value, "[removed]")
    return text
