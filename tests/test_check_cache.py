"""``check`` re-reads only changed files (Pelican's reader cache) and never serves stale ones."""

from __future__ import annotations

from pathlib import Path

from sitebuild.build import check


def _overrides(project: Path) -> dict[str, object]:
    return {
        "PRUDENT_ROOT": str(project),
        "PRUDENT_SETTINGS_FILES": [str(project / "pelicanconf.py")],
        "PRUDENT_PROGRESS": False,
    }


def test_check_sees_an_edit_after_a_cached_run(project: Path) -> None:
    assert not check(project / "pelicanconf.py", _overrides(project)).problems
    caches = list((project / ".cache/pelican").glob("check-*"))
    assert len(caches) == 1 and any(caches[0].iterdir())  # the reader cache was written

    post = sorted((project / "content/posts").glob("*.md"))[0]
    original = post.read_text()
    post.write_text(original + "\nSee [gone]({filename}/posts/not-there.md).\n")
    problems = check(project / "pelicanconf.py", _overrides(project)).problems
    assert len(problems) == 1 and "not-there.md" in problems[0]

    post.write_text(original)
    assert not check(project / "pelicanconf.py", _overrides(project)).problems


def test_a_changed_setting_starts_a_fresh_cache(project: Path) -> None:
    check(project / "pelicanconf.py", _overrides(project))
    conf = project / "pelicanconf.py"
    conf.write_text(conf.read_text() + "\nSUMMARY_MAX_LENGTH = 40\n")
    check(project / "pelicanconf.py", _overrides(project))
    assert len(list((project / ".cache/pelican").glob("check-*"))) == 2
