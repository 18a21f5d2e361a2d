"""The policy for text rules: severities, lists, and malformed input named by its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from prudent.policy import PolicyError
from tests.text.helpers import check_text, checker, make_root


def test_severity_warning_and_off(tmp_path: Path) -> None:
    root = make_root(
        tmp_path,
        '[rules.partisan]\nseverity = "warning"\n\n[rules.official-link]\nseverity = "off"\n',
    )
    report = check_text(root, "Title: T\n\nThe GOP [x](https://www.gov.uk/).\n")
    assert [(f.rule, str(f.severity)) for f in report.findings] == [("partisan", "warning")]
    assert not report.failed
    assert "warning partisan:" in report.to_text()


@pytest.mark.parametrize(
    ("policy", "line", "words"),
    [
        ('# c\n[rules.partisan]\nseverity = "fatal"\n', 3, "expected one of: error, warning, off"),
        ('[rules.partisan]\nlexicons = ["ca", "xx"]\n', 1, "list file not found"),
        ('[rules.partisan]\nlexicons = "ca"\n', 2, "must be a list"),
        ('\n[rules.official-link]\nallow_host = ["a.example"]\n', 3, "unknown key"),
        ('[[allow]]\nrule = "partisan"\n', 1, "needs a reason"),
        ('\n\n[[allow]]\nrule = "partisn"\nreason = "why not"\n', 3, "is not a rule id"),
        (
            '[[allow]]\nrule = "partisan"\nreason = "because"\npath = ["x"]\n',
            1,
            "unknown key 'path'",
        ),
        ("[rules.partisan\n", 1, "policy error"),
    ],
)
def test_malformed_policy_names_the_line(
    tmp_path: Path, policy: str, line: int, words: str
) -> None:
    root = make_root(tmp_path, policy)
    with pytest.raises(PolicyError) as err:
        checker(root)
    message = str(err.value)
    assert words in message
    expected = (
        "guardrails/partisan/xx.txt:1" if "not found" in words else f"guardrails.toml:{line}:"
    )
    assert expected in message


def test_bad_list_entry_names_the_list_line(tmp_path: Path) -> None:
    root = make_root(tmp_path, '[rules.partisan]\nextra_lists = ["partisan/mine.txt"]\n')
    (root / "guardrails/partisan/mine.txt").write_text("# mine\nGood Party\n(Broken|Group\n")
    with pytest.raises(
        PolicyError, match=r"guardrails/partisan/mine\.txt:3: policy error: bad list entry"
    ):
        checker(root)


def test_bad_domain_names_the_list_line(tmp_path: Path) -> None:
    root = make_root(
        tmp_path, '[rules.official-link]\ndomain_lists = ["official-domains.txt", "mine.txt"]\n'
    )
    (root / "guardrails/mine.txt").write_text("ok.example\nhttps://bad.example/path\n")
    with pytest.raises(PolicyError, match=r"guardrails/mine\.txt:2: policy error: bad domain"):
        checker(root)
