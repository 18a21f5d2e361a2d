"""The pip-installable distribution: the wheel in a fresh venv guards a stock Pelican site.

The slow test builds the wheel as ``make dist`` does (from a copy of the
distribution's files, so the checkout gets no build/ folder), installs it into a
new virtual environment with the versions of the runtime lock (pip reads the
registry or this machine's caches), and runs the real ``pelican`` and
``prudent`` commands of that venv, away from the checkout.
"""

from __future__ import annotations

import os
import runpy
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from prudent.cli import main as prudent_main
from prudent.policy import Policy, PolicyError
from tests.conftest import ROOT

DIST_FILES = (
    "pyproject.toml",
    "setup.py",
    "MANIFEST.in",
    "README.md",
    "LICENSE",
    "prudent",
    "plugins",
)
NOTEBOOK_PARTS = runpy.run_path(str(ROOT / "prudent" / "shipped.py"))["NOTEBOOK_PARTS"]
STOCK_SETTINGS = """\
AUTHOR = "A. Reader"
SITENAME = "A stock Pelican site"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
PLUGINS = ["prudent_guardrails"]
"""
PARTISAN = "Title: Thursday\nDate: 2026-01-01\n\nWe should all vote Labour on Thursday.\n"
CLEAN = "Title: Thursday\nDate: 2026-01-01\n\nOn Thursday I rewrote our forms in plain language.\n"


# -- fast: the pieces, in this checkout ------------------------------------------


def test_a_site_without_lists_of_its_own_reads_the_shipped_ones(tmp_path: Path) -> None:
    policy = Policy.load(tmp_path)  # no guardrails.toml, no guardrails/
    shipped = ROOT / "guardrails" / "partisan" / "uk.txt"
    assert policy.data_path("partisan/uk.txt") == shipped
    entries = policy.read_list("partisan/uk.txt")
    assert ("Labour Party" in {entry for _, entry in entries}) and len(entries) > 20
    # The site's own file of the same name replaces the shipped one.
    own = tmp_path / "guardrails" / "partisan" / "uk.txt"
    own.parent.mkdir(parents=True)
    own.write_text("# ours\nMonster Raving Loony\n")
    assert Policy.load(tmp_path).read_list("partisan/uk.txt") == [(2, "Monster Raving Loony")]
    # A list that neither the site nor Prudent has is still a policy error.
    with pytest.raises(PolicyError, match=r"guardrails/partisan/xx.txt:1: .*list file not found"):
        policy.read_list("partisan/xx.txt")


def test_prudent_init_starts_a_notebook_and_never_overwrites(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "notebook"
    assert prudent_main(["init", str(dest)]) == 0
    assert "pelican content" in capsys.readouterr().out
    for part in ("pelicanconf.py", "publishconf.py", "guardrails.toml", ".gitignore"):
        assert (dest / part).is_file(), part
    assert sorted(p.name for p in (dest / "content" / "posts").glob("*.md")) == sorted(
        p.name for p in (ROOT / "content" / "posts").glob("*.md")
    )
    assert (dest / "theme" / "templates" / "base.html").is_file()
    assert not (dest / "guardrails").exists()  # the shipped lists are read where they are
    settings = (dest / "pelicanconf.py").read_text()
    assert "PLUGIN_PATHS" not in settings and '"prudent_guardrails"' in settings
    before = (dest / "guardrails.toml").read_bytes()
    (dest / "guardrails.toml").write_text("# mine\n")
    assert prudent_main(["init", str(dest)]) == 2
    assert "is not empty" in capsys.readouterr().err
    assert (dest / "guardrails.toml").read_text() == "# mine\n" != before.decode()


# -- slow: the wheel, installed ----------------------------------------------------


def _clean_env() -> dict[str, str]:
    """No PYTHONPATH or Prudent variables: the venv must find everything itself."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("PRUDENT")}
    env.pop("VIRTUAL_ENV", None)
    return env


def run(args: list[str | Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel and its dependencies; its bin/ folder."""
    top = tmp_path_factory.mktemp("dist")
    src = top / "src"
    src.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for part in {*DIST_FILES, *NOTEBOOK_PARTS}:
        if (ROOT / part).is_dir():
            shutil.copytree(ROOT / part, src / part, ignore=ignore)
        else:
            shutil.copy2(ROOT / part, src / part)
    made = run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--wheel-dir",
            top / "dist",
            src,
        ],
        top,
    )
    assert made.returncode == 0, made.stderr[-3000:]
    [wheel] = (top / "dist").glob("prudent-*.whl")
    venv.EnvBuilder(with_pip=True).create(top / "venv")
    bin_dir = top / "venv" / "bin"
    lock = ROOT / "requirements.txt"
    done = run([bin_dir / "python", "-m", "pip", "install", "--quiet", "-c", lock, wheel], top)
    assert done.returncode == 0, done.stderr[-3000:]
    return bin_dir


@pytest.mark.slow
def test_the_wheel_holds_the_plugins_as_pelican_namespace_plugins(installed: Path) -> None:
    found = run([installed / "pelican-plugins"], installed)
    for name in ("prudent_guardrails", "prudent_bookmarks", "prudent_crosspost"):
        assert f"pelican.plugins.{name}" in found.stdout + found.stderr
    where = run(
        [
            installed / "python",
            "-c",
            "import prudent, pelican.plugins.prudent_guardrails as g; "
            "print(prudent.__file__); print(g.__file__)",
        ],
        installed,
    )
    assert where.returncode == 0, where.stderr
    assert all("site-packages" in line for line in where.stdout.split())
    # What sits beside plugin code for the tests does not ship.
    tests = run(
        [installed / "python", "-c", "import pelican.plugins.prudent_guardrails.test_collect"],
        installed,
    )
    assert "No module named" in tests.stderr


@pytest.mark.slow
def test_a_stock_pelican_site_with_one_plugins_line_refuses_a_partisan_post(
    installed: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "pelicanconf.py").write_text(STOCK_SETTINGS)
    post = site / "content" / "thursday.md"
    post.write_text(PARTISAN)
    failed = run([installed / "pelican", "content"], site)
    said = failed.stdout + failed.stderr
    assert failed.returncode == 1, said
    assert "content/thursday.md:4:" in said and "error partisan" in said, said
    assert "'vote Labour'" in said and "Traceback" not in said
    assert not (site / "output").exists()  # nothing was written

    post.write_text(CLEAN)
    built = run([installed / "pelican", "content"], site)
    assert built.returncode == 0, built.stdout + built.stderr
    page = (site / "output" / "thursday.html").read_text()
    assert "plain language" in page and 'class="entry-content"' in page  # the stock theme's


@pytest.mark.slow
def test_prudent_init_and_check_from_the_installed_command(installed: Path, tmp_path: Path) -> None:
    made = run([installed / "prudent", "init", "notebook"], tmp_path)
    assert made.returncode == 0, made.stderr
    notebook = tmp_path / "notebook"
    built = run([installed / "pelican", "content"], notebook)
    assert built.returncode == 0, built.stdout + built.stderr
    assert (notebook / "output" / "bookmarks" / "index.html").is_file()  # all three plugins ran
    assert (notebook / "output" / "feeds" / "crosspost" / "govloop.atom.xml").is_file()

    draft = notebook / "content" / "posts" / "draft.md"
    draft.write_text(PARTISAN)
    for command in (
        [installed / "prudent", "check"],
        [installed / "python", "-m", "prudent", "check"],
    ):
        checked = run([*command, "content/posts/draft.md"], notebook)
        assert checked.returncode == 1, checked.stderr
        assert "content/posts/draft.md:4:" in checked.stdout and "error partisan" in checked.stdout

    # The review page, from the installed command: the whole notebook through
    # its own build (images included), then the text rules on one file.
    reviewed = run([installed / "prudent", "report"], notebook)
    assert reviewed.returncode == 1, reviewed.stdout + reviewed.stderr
    page = (notebook / "report" / "index.html").read_text()
    assert "<mark>vote Labour</mark>" in page and "content/posts/draft.md" in page
    assert (notebook / "report" / "site" / "index.html").is_file()  # the site it would be
    assert not (notebook / "output" / "draft.html").exists()  # output/ untouched
    one = run([installed / "prudent", "report", "content/posts/draft.md", "-o", "r2"], notebook)
    assert one.returncode == 1, one.stderr
    assert "<mark>vote Labour</mark>" in (notebook / "r2" / "index.html").read_text()
