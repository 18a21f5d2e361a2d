"""``python -m prudent check``: the same core standalone, exit codes and report formats."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from prudent.cli import main
from tests.conftest import ROOT
from tests.text.helpers import make_root

LINE = r"^content/posts/bad\.md:(\d+):(\d+): (error|warning) ([a-z-]+): .+ \(matched '.+'\)\. .+$"


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "prudent", "check", "--no-cache", *args],
        cwd=root,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    # The model rules have their own tests; these are about the command.
    root = make_root(
        tmp_path,
        '[rules.personal-attack]\nseverity = "off"\n\n[rules.workplace-complaint]\nseverity = "off"\n',
    )
    posts = root / "content/posts"
    posts.mkdir(parents=True)
    (posts / "good.md").write_text("Title: Good\n\nA conservative estimate.\n")
    (posts / "bad.md").write_text(
        "Title: Bad\n\nVote Labour.\n\n<!-- guardrails: allow official-link because I speak for "
        "the department -->\nSee [x](https://www.gov.uk/).\n\nAnd the GOP [y](https://usa.gov).\n"
    )
    return root


def test_text_report_exit_codes(site: Path) -> None:
    ok = run(site, "content/posts/good.md")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip() == "prudent: 0 errors, 0 warnings, 0 allowed; checked 1 texts"

    bad = run(site, "content/posts/good.md", "content/posts/bad.md")
    assert bad.returncode == 1
    lines = [line for line in bad.stdout.splitlines() if line.startswith("content/")]
    import re

    parsed = [re.match(LINE, line).groups() for line in lines]  # type: ignore[union-attr]
    assert parsed == [
        ("3", "1", "error", "partisan"),
        ("8", "9", "error", "partisan"),
        ("8", "17", "error", "official-link"),
    ]
    assert (
        "allowed official-link: 'https://www.gov.uk/' because I speak for the department"
        in bad.stdout
    )
    assert bad.stdout.rstrip().endswith("Nothing was published.")


def test_json_and_sarif(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    result = run(site, "--format", "json", "--output", str(out), "content/posts/bad.md")
    assert result.returncode == 1
    assert result.stdout.startswith("prudent: 3 errors")
    data = json.loads(out.read_text())
    assert data["errors"] == 3 and data["warnings"] == 0
    first = data["findings"][0]
    assert first["rule"] == "partisan" and first["severity"] == "error"
    assert first["location"] == {"path": "content/posts/bad.md", "line": 3, "col": 1}
    assert first["matched"] == "Vote Labour"
    assert data["allowances"][0]["reason"] == "I speak for the department"
    assert data["allowances"][0]["where"]["line"] == 5

    sarif = json.loads(run(site, "--format", "sarif", "content/posts/bad.md").stdout)
    assert sarif["version"] == "2.1.0"
    run_ = sarif["runs"][0]
    rules = [r["id"] for r in run_["tool"]["driver"]["rules"]]
    assert {"partisan", "official-link", "personal-attack", "allowance-without-reason"} <= set(
        rules
    )
    errors = [r for r in run_["results"] if r["level"] == "error"]
    assert [r["ruleId"] for r in errors] == ["partisan", "partisan", "official-link"]
    region = errors[2]["locations"][0]["physicalLocation"]
    assert region["artifactLocation"]["uri"] == "content/posts/bad.md"
    # The region covers the link's URL, start to end (SARIF's end column is exclusive).
    assert region["region"] == {"startLine": 8, "startColumn": 17, "endLine": 8, "endColumn": 32}
    assert all(rules[r["ruleIndex"]] == r["ruleId"] for r in run_["results"])
    [note] = [r for r in run_["results"] if r["level"] == "note"]
    assert note["suppressions"] == [
        {"kind": "inSource", "justification": "I speak for the department"}
    ]


def test_usage_and_policy_errors_exit_2(site: Path) -> None:
    missing = run(site, "content/posts/nope.md")
    assert missing.returncode == 2 and "no such file" in missing.stderr
    (site / "content/posts/latin1.md").write_bytes(b"Title: caf\xe9\n")
    latin1 = run(site, "content/posts/latin1.md")  # a finding, not a usage error (issue 18)
    assert latin1.returncode == 1 and "content/posts/latin1.md:1:11: error unreadable-text" in (
        latin1.stdout
    )
    (site / "guardrails.toml").write_text('[rules.partisan]\nseverity = "loud"\n')
    broken = run(site, "content/posts/good.md")
    assert broken.returncode == 2
    assert "guardrails.toml:2: policy error" in broken.stderr
    assert run(site).returncode == 2  # no files: usage error
    (site / "empty").mkdir()
    assert run(site, "empty").returncode == 2


def test_a_folder_means_every_post_under_it(site: Path) -> None:
    # A browser export may hold private bookmarks: only the build knows what is public.
    exports = site / "content/bookmarks"
    exports.mkdir()
    (exports / "bookmarks.html").write_text(
        '<DL><DT><A HREF="https://x.example/" PRIVATE="1">Vote Labour</A></DL>\n'
    )
    result = run(site, "content")
    assert result.returncode == 1
    assert "checked 2 texts" in result.stdout
    assert "bookmarks.html" not in result.stdout


def test_pre_commit_hook_definition() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    [hook] = hooks
    assert hook["id"] == "prudent-check"
    assert hook["entry"].endswith("-m prudent check")
    assert {"markdown"} <= set(hook["types_or"])


def test_a_detector_that_fails_stops_the_check_cleanly(site: Path) -> None:
    (site / "guardrails.toml").write_text("")  # the model rules on
    # A detector class that does not exist stands for a model that cannot load.
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.path.insert(0, sys.argv[1]);"
            "import prudent.text as t;"
            "t.MODEL_DETECTORS['personal-attack'] = ('json', 'NoSuchDetector');"
            "from prudent.cli import main; sys.exit(main(['check', '--no-cache', 'content/posts/good.md']))",
            str(ROOT),
        ],
        cwd=site,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "the check could not run: AttributeError" in result.stderr
    assert "Traceback" not in result.stderr


def test_report_on_files_writes_the_review_page_with_the_words_marked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "guardrails.toml").write_text("")
    post = tmp_path / "post.md"
    post.write_text("Title: T\n\nFine words.\n\nWe should all vote Labour on Thursday.\n")
    out = tmp_path / "rep"
    code = main(["report", "--root", str(tmp_path), "-o", str(out), str(post)])
    assert code == 1
    page = (out / "index.html").read_text()
    assert "<mark>vote Labour</mark>" in page and "post.md:5" in page
    assert "Fine words." not in page  # the finding's paragraph only
    assert f"file://{out}/index.html" in capsys.readouterr().out


def test_report_without_files_outside_a_notebook_says_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "guardrails.toml").write_text("")
    assert main(["report", "--root", str(tmp_path)]) == 2
    said = capsys.readouterr().err
    assert "pelicanconf.py: no Pelican settings here" in said and "prudent init" in said
    assert not (tmp_path / "report").exists()
