"""Privacy fails closed: a doubtful bookmark stays private, no secret is published.

The exports are written the way a red-team pass wrote them: duplicate
attributes and keys that disagree, ``shared`` values that are not exactly
"yes", URLs with passwords, tokens, keys and signatures. A real Pelican build
runs, and every byte of output/ is searched.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from prudent.policy import Policy
from prudent.secrets import SecretUrlRule
from prudent_bookmarks import netscape_html, pinboard_json
from prudent_bookmarks.model import merge
from sitebuild.build import BuildFailed, build
from tests.bookmarks.test_site import every_file_text, position
from tests.conftest import ROOT

SECRETS = ("hunter2", "tok-5f1e0c9a7b", "AKIA-KEY-0042", "c2lnbmF0dXJl", "sess-77e1a2")
SECRETS += ("JSESS123xyz", "SEMI111lll")

NETSCAPE = """<!DOCTYPE NETSCAPE-Bookmark-file-1>
<DL><p>
<DT><A HREF="https://public.example/ok" ADD_DATE="1763700000" TAGS="ok">Fine and public</A>
<DT><A HREF="https://leak.example/one" ADD_DATE="1763700001" PRIVATE="1" PRIVATE="0">Private one</A>
<DT><A HREF="https://leak.example/two" ADD_DATE="1763700002" PRIVATE="0" PRIVATE="1">Private two</A>
<DT><A HREF="https://leak.example/three" HREF="https://leak.example/other" ADD_DATE="1763700003">Two HREFs</A>
<DT><A HREF="https://leak.example/four" ADD_DATE="1763700004" TAGS="a" TAGS="b">Two TAGS</A>
<DT><A HREF="https://sam:hunter2@wiki.example/team" ADD_DATE="1763700005">Team wiki</A>
<DT><A HREF="https://same.example/page" ADD_DATE="1763700006" PRIVATE="1" PRIVATE="1">Same twice</A>
</DL>
"""

PINBOARD = [
    {"href": "https://public.example/json", "description": "Public JSON", "shared": "yes"},
    {"href": "https://leak.example/no-then-yes", "description": "Leak A", "shared": "no"},
    {"href": "https://leak.example/true", "description": "Leak B", "shared": True},
    {"href": "https://leak.example/upper", "description": "Leak C", "shared": "YES"},
    {"href": "https://leak.example/missing", "description": "Leak D"},
    {
        "href": "https://docs.example/file?id=7&token=tok-5f1e0c9a7b&lang=en",
        "description": "Shared doc https://docs.example/file?id=7&token=tok-5f1e0c9a7b&lang=en",
        "extended": "key was AKIA-KEY-0042",
        "shared": "yes",
    },
    {
        "href": "https://api.example/v1/x?api_key=AKIA-KEY-0042",
        "description": "API",
        "shared": "yes",
    },
    {
        "href": "https://bucket.example/report.pdf?X-Amz-Signature=c2lnbmF0dXJl&X-Amz-Expires=60",
        "description": "Signed report",
        "shared": "yes",
    },
    {
        "href": "https://app.example/cb#access_token=sess-77e1a2&state=1",
        "description": "OAuth callback",
        "shared": "yes",
    },
    # Red team F3: a session in a ;path parameter was published without a word.
    {
        "href": "https://jsess.example/app;jsessionid=JSESS123xyz?x=1",
        "description": "Java app",
        "shared": "yes",
    },
    {"href": "https://semi.example/p;token=SEMI111lll", "description": "Semi", "shared": "yes"},
]


def _pinboard_text() -> str:
    rows = []
    for i, post in enumerate(PINBOARD):
        post = {"time": f"2026-11-{10 + i:02d}T10:00:00Z", "tags": "t", **post}
        body = json.dumps(post)
        if post["href"].endswith("no-then-yes"):
            body = body[:-1] + ', "shared": "yes"}'  # the duplicate key json.loads keeps
        rows.append(body)
    return "[\n" + ",\n".join(rows) + "\n]\n"


def _site(project: Path) -> Path:
    folder = project / "content/bookmarks"
    for old in folder.iterdir():
        old.unlink()
    (folder / "browser.html").write_text(NETSCAPE, encoding="utf-8")
    (folder / "pinboard.json").write_text(_pinboard_text(), encoding="utf-8")
    return folder


def test_nothing_private_or_secret_reaches_output(project: Path) -> None:
    folder = _site(project)
    result = build(project / "pelicanconf.py")
    everything = every_file_text(result.output)
    for url in ("https://public.example/ok", "https://public.example/json"):
        assert url in everything
    assert "leak.example" not in everything
    assert "same.example" not in everything  # private twice over is private
    for secret in SECRETS:
        assert secret not in everything, secret
    # Published stripped: the page is still there, its other parameters too.
    assert "https://wiki.example/team" in everything
    assert "https://docs.example/file?id=7&amp;lang=en" in everything
    assert "https://bucket.example/report.pdf?X-Amz-Expires=60" in everything
    assert "https://app.example/cb#state=1" in everything

    warnings = {(str(f.location), f.rule): f for f in result.report.warnings}
    html = (folder / "browser.html").read_text()
    json_text = (folder / "pinboard.json").read_text()
    wiki = "content/bookmarks/browser.html:{}:{}".format(
        *position(html, "https://sam:hunter2@wiki")
    )
    assert "a user name and password" in warnings[(wiki, "secret-url")].message
    docs = "content/bookmarks/pinboard.json:{}:{}".format(
        *position(json_text, "https://docs.example")
    )
    finding = warnings[(docs, "secret-url")]
    assert "the parameter 'token'" in finding.message and "published without" in finding.message
    assert "tok-5f1e0c9a7b" not in finding.message + finding.matched + finding.fix
    assert "https://jsess.example/app?x=1" in everything
    assert "https://semi.example/p" in everything
    jsess = "content/bookmarks/pinboard.json:{}:{}".format(
        *position(json_text, "https://jsess.example")
    )
    finding = warnings[(jsess, "secret-url")]
    assert "the path parameter 'jsessionid'" in finding.message
    assert "(https://jsess.example/app?x=1)" in finding.message
    assert "JSESS123xyz" not in finding.message + finding.matched
    semi = "content/bookmarks/pinboard.json:{}:{}".format(*position(json_text, "https://semi"))
    assert "the path parameter 'token'" in warnings[(semi, "secret-url")].message
    assert sum(f.rule == "secret-url" for f in result.report.warnings) == 7
    # Each doubt that kept a bookmark private is told, at the attribute or key.
    doubts = [f for f in result.report.warnings if f.rule == "bookmark-export"]
    where = {(f.location.path.rsplit("/", 1)[1], f.location.line) for f in doubts}
    assert where == {
        ("browser.html", 4),
        ("browser.html", 5),
        ("browser.html", 6),
        ("browser.html", 7),
        ("pinboard.json", 3),
        ("pinboard.json", 4),
        ("pinboard.json", 5),
    }, [str(f.location) + " " + f.message for f in doubts]
    assert any('"shared" is true, not exactly "yes"' in f.message for f in doubts)


def test_the_policy_can_make_a_secret_fail_the_build(project: Path) -> None:
    _site(project)
    policy = project / "guardrails.toml"
    policy.write_text(policy.read_text() + '\n[rules.secret-url]\nseverity = "error"\n')
    with pytest.raises(BuildFailed) as failed:
        build(project / "pelicanconf.py")
    text = str(failed.value)
    assert "error secret-url:" in text and "the parameter 'api_key'" in text
    for secret in SECRETS:
        assert secret not in text
    assert not (project / "output").exists()


def test_a_typo_in_the_secret_url_policy_is_an_error_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "guardrails.toml").write_text('[rules.secret-url]\nseverity = "loud"\n')
    with pytest.raises(Exception, match=r"guardrails\.toml:2: policy error: .*'loud'"):
        SecretUrlRule(Policy.load(tmp_path))


def _rule(tmp_path: Path, extra: str = "") -> SecretUrlRule:
    (tmp_path / "guardrails").mkdir(exist_ok=True)
    shipped = ROOT / "guardrails/secret-parameters.txt"
    (tmp_path / "guardrails/secret-parameters.txt").write_text(shipped.read_text())
    (tmp_path / "guardrails.toml").write_text(extra)
    return SecretUrlRule(Policy.load(tmp_path))


@pytest.mark.parametrize(
    ("url", "published"),
    [
        ("https://a.example/p?q=css&page=2", "https://a.example/p?q=css&page=2"),
        ("https://u:p4ss@a.example/", "https://a.example/"),
        ("https://a.example/?Access-Token=abcd1234", "https://a.example/"),
        ("https://a.example/?sig=abcd&sv=2024&se=2026", "https://a.example/?sv=2024&se=2026"),
        ("https://a.example/?PHPSESSID=abcd1234&x=1", "https://a.example/?x=1"),
        ("https://a.example/?AWSAccessKeyId=AKIA1234", "https://a.example/"),
        # A JSON Web Token is a secret whatever its parameter is called.
        ("https://a.example/?u=eyJhbGciOiJI.eyJzdWIiOiIx.sig", "https://a.example/"),
        ("https://a.example/?keyboard=uk", "https://a.example/?keyboard=uk"),
        # ;name=value path parameters, in any segment (red team F3).
        ("https://a.example/app;jsessionid=JSESS123xyz?x=1", "https://a.example/app?x=1"),
        ("https://a.example/p;token=SEMI111lll", "https://a.example/p"),
        ("https://a.example/a;v=2/b;Api-Key=abcd;x=1/c", "https://a.example/a;v=2/b;x=1/c"),
        ("https://a.example/m;matrix=1;keyboard=uk", "https://a.example/m;matrix=1;keyboard=uk"),
    ],
)
def test_secret_parameters(tmp_path: Path, url: str, published: str) -> None:
    assert _rule(tmp_path).clean(url).url == published


def test_the_site_adds_its_own_parameter_names(tmp_path: Path) -> None:
    rule = _rule(tmp_path, '[rules.secret-url]\nparameters = ["invite"]\n')
    stripped = rule.clean("https://a.example/join?invite=7f7f7f&team=x")
    assert stripped.url == "https://a.example/join?team=x"
    assert stripped.removed == ("the parameter 'invite'",)


def test_duplicates_that_disagree_are_private_in_both_readers() -> None:
    [public, one, two, three, four, wiki, same] = netscape_html.parse(NETSCAPE, "b.html")
    assert not public.private and not wiki.private
    assert all(e.private for e in (one, two, three, four, same))
    assert not same.doubts  # PRIVATE="1" twice agrees: private, nothing to doubt
    entries = pinboard_json.parse(_pinboard_text(), "p.json")
    assert [e.private for e in entries[:5]] == [False, True, True, True, True]
    published = {b.url for b in merge(entries)}
    assert not any("leak.example" in url for url in published)
