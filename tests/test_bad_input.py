"""Bad input, as a new user writes it: every failure names the file, the line and the fix.

One real Pelican build is fed every kind of bad post at once (it must name
them all), then ``make build``, ``make check`` and ``make serve`` (the invoke
tasks the Makefile calls) run on the same site: no traceback reaches the user.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from sitebuild.build import BuildFailed, build
from tests.fixtures import tree_digest
from tests.test_serve_publish import _free_port

BAD_POSTS = {
    # Latin-1 (an old editor's save): the byte for "é".
    "latin1.md": "Title: Café\nDate: 2026-01-02\n\nUn café crème.\n".encode("latin-1"),
    # Windows-1252: curly quotes.
    "cp1252.md": "Title: Quotes\nDate: 2026-01-03\n\nShe said “hello”.\n".encode("cp1252"),
    # UTF-16 with a byte-order mark (Notepad's "Unicode").
    "utf16.md": "Title: Wide\nDate: 2026-01-04\n\nWide text.\n".encode("utf-16"),
    "bad-date.md": b"Title: Bad date\nDate: 31 Foo 2026\n\nText.\n",
    "bad-yaml-date.md": b"---\ntitle: Y\ndate: 2026-13-45\n---\n\nText.\n",
    "no-title.md": b"Date: 2026-01-05\n\nNo title here.\n",
    "broken-link.md": (
        b"Title: Broken\nDate: 2026-01-06\n\nIntro.\n\n"
        b"See [the other post]({filename}/posts/missing.md).\n"
    ),
    "bad-yaml.md": b'---\ntitle: "unclosed\ndate: 2026-01-07\n---\n\nText.\n',
    # Red team F1: a YAML list or mapping where the date goes.
    "list-date.md": b"---\ntitle: L\ndate: [2026, 1]\n---\n\nText.\n",
    "map-date.md": b"---\ntitle: M\ndate: {y: 2026}\n---\n\nText.\n",
    # Red team F1c: a program saved as a post is binary, not UTF-16 without a BOM.
    "program.md": b"\x7fELF\x02\x01\x01" + bytes(9) + b"\x03\x00>\x00" + bytes(range(256)) * 4,
}

# What each message must say: path:line:col and the cause, the value, the fix.
EXPECTED = {
    "latin1.md": ("content/posts/latin1.md:1:11:", "Latin-1 (ISO-8859-1)", "iconv -f ISO-8859-1"),
    "cp1252.md": ("content/posts/cp1252.md:4:10:", "Windows-1252", "iconv -f WINDOWS-1252"),
    "utf16.md": ("content/posts/utf16.md:1:1:", "UTF-16", "iconv -f UTF-16 -t UTF-8"),
    "bad-date.md": ("content/posts/bad-date.md:2:7:", "'31 Foo 2026'", "2026-11-21 14:30"),
    "bad-yaml-date.md": (
        "content/posts/bad-yaml-date.md:3:7:",
        "'2026-13-45' is no date (month must be in 1..12)",
        "2026-11-21",
    ),
    "no-title.md": ("content/posts/no-title.md:1:1:", "no title", "Title: ..."),
    "broken-link.md": (
        "content/posts/broken-link.md:6:22:",
        "{filename}/posts/missing.md",
        "looked for content/posts/missing.md",
    ),
    "bad-yaml.md": ("content/posts/bad-yaml.md:", "not valid YAML", 'title: "Notes: part 2"'),
    "list-date.md": (
        "error: content/posts/list-date.md:3:7:",
        "the date '[2026, 1]' is a list, not one date",
        '"2026-11-21 14:30"',
    ),
    "map-date.md": (
        "content/posts/map-date.md:3:7:",
        "the date '{y: 2026}' is a mapping, not one date",
        '"2026-11-21 14:30"',
    ),
    "program.md": (
        "content/posts/program.md:2:118:",
        "not text: the file holds a program (ELF executable)",
        "Move it out of content/",
    ),
}


def _add_bad_posts(project: Path) -> None:
    for name, data in BAD_POSTS.items():
        (project / "content/posts" / name).write_bytes(data)


def _problem_lines(text: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        for name in EXPECTED:
            if f"content/posts/{name}:" in line:
                assert name not in out, f"{name} reported twice:\n{text}"
                out[name] = line
    return out


def test_every_bad_post_is_named_with_line_cause_and_fix(project: Path) -> None:
    build(project / "pelicanconf.py")
    before = tree_digest(project / "output")
    _add_bad_posts(project)
    with pytest.raises(BuildFailed) as failed:
        build(project / "pelicanconf.py")
    text = str(failed.value)
    lines = _problem_lines(text)
    assert set(lines) == set(EXPECTED), text
    for name, needles in EXPECTED.items():
        for needle in needles:
            assert needle in lines[name], f"{name}: {needle!r} not in {lines[name]!r}"
    assert "Could not process" not in text  # Pelican's words, without the cause
    assert tree_digest(project / "output") == before


def _invoke(project: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_make_build_and_make_check_name_every_cause_without_a_traceback(project: Path) -> None:
    _add_bad_posts(project)
    built = _invoke(project, "build")
    assert built.returncode == 1
    checked = _invoke(project, "check")
    assert checked.returncode == 1
    for run in (built, checked):
        both = run.stdout + run.stderr
        assert "Traceback" not in both, both
        lines = _problem_lines(both)
        assert set(lines) == set(EXPECTED), both
        assert "Latin-1" in lines["latin1.md"]
    # check still checked everything else: the report is there, with its counts.
    assert "checked" in checked.stdout and "texts" in checked.stdout


def test_a_broken_settings_file_is_named_with_its_line(project: Path) -> None:
    conf = project / "pelicanconf.py"
    conf.write_text(conf.read_text() + "\nSITENAME = 'unclosed\n")
    result = _invoke(project, "build")
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "pelicanconf.py:" in result.stderr and "not valid Python" in result.stderr


def test_make_serve_reports_bad_input_and_keeps_serving(project: Path) -> None:
    _add_bad_posts(project)
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "invoke", "serve", "--port", str(port)],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    seen: list[str] = []
    try:
        deadline = time.monotonic() + 240
        assert proc.stdout is not None
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            seen.append(line)
            if "Serving" in line:
                break
    finally:
        proc.terminate()
        try:
            rest, _ = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            rest, _ = proc.communicate()
        seen.append(rest or "")
    text = "".join(seen)
    assert "Build failed: still serving the last good build." in text, text
    assert "Traceback" not in text, text
    assert set(_problem_lines(text)) == set(EXPECTED), text


def test_one_non_utf8_file_does_not_stop_prudent_check(project: Path) -> None:
    """``python -m prudent check content/`` names the file and checks every other one."""
    (project / "content/posts/latin1.md").write_bytes(BAD_POSTS["latin1.md"])
    (project / "content/posts/tories.md").write_text(
        "Title: Note\nDate: 2026-01-02\n\nThe Tories are here.\n", encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, "-m", "prudent", "check", "--no-cache", "content"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stderr
    assert "Nothing was checked" not in result.stdout + result.stderr
    out = result.stdout
    assert "content/posts/latin1.md:1:11: error unreadable-text:" in out
    assert "iconv -f ISO-8859-1 -t UTF-8 content/posts/latin1.md" in out
    assert "content/posts/tories.md:4:5: error partisan:" in out  # the rest was checked
    posts = len(list((project / "content").rglob("*.md")))
    assert f"checked {posts - 1} texts" in out


def test_check_after_an_edit_shows_pelicans_problem_once_in_its_own_words(project: Path) -> None:
    # Red team F1: the quick re-check read the edited post with Pelican's console on,
    # so its raw "Duplicate definition of 'date'" line showed before the full check's.
    post = project / "content/posts/edited.md"
    post.write_bytes(BAD_POSTS["list-date.md"].replace(b"[2026, 1]", b"2026-01-08"))
    assert _invoke(project, "check").returncode == 0  # the index of a clean check
    post.write_bytes(BAD_POSTS["list-date.md"])
    checked = _invoke(project, "check")
    both = checked.stdout + checked.stderr
    assert checked.returncode == 1, both
    assert "Duplicate definition" not in both
    assert both.count("content/posts/edited.md:3:7: the date '[2026, 1]' is a list") == 1, both
