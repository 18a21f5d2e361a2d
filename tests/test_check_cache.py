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


# -- the index: only edited documents are re-read and re-judged -------------------


def _plain_post(project: Path) -> Path:
    """A post no plugin reads (the crosspost plugin reads those that name partners)."""
    posts = sorted((project / "content/posts").glob("*.md"))
    return next(p for p in posts if "crosspost" not in p.read_text().lower())


def _no_pelican(monkeypatch) -> None:
    import sitebuild.build

    def refuse(settings):
        raise AssertionError("the full check ran")

    monkeypatch.setattr(sitebuild.build, "run_pelican", refuse)


def test_an_edited_post_is_judged_without_running_pelican(project: Path, monkeypatch) -> None:
    first = check(project / "pelicanconf.py", _overrides(project))
    assert (project / ".cache/prudent/check-index.sqlite").is_file()
    post = _plain_post(project)
    rel = post.relative_to(project).as_posix()
    lines = post.read_text().count("\n")
    _no_pelican(monkeypatch)
    post.write_text(post.read_text() + "\nJordan Lee is a stupid idiot and a moron.\n")
    result = check(project / "pelicanconf.py", _overrides(project))
    new = [f for f in result.report.findings if f.location.path == rel]
    assert [(f.rule, f.location.line) for f in new] == [("personal-attack", lines + 2)]
    others = {f for f in result.report.findings if f.location.path != rel}
    assert others == {f for f in first.report.findings if f.location.path != rel}
    assert result.report.checked == first.report.checked


def test_no_change_answers_from_the_index(project: Path, monkeypatch) -> None:
    first = check(project / "pelicanconf.py", _overrides(project))
    _no_pelican(monkeypatch)
    again = check(project / "pelicanconf.py", _overrides(project))
    assert again.report.sorted_findings() == first.report.sorted_findings()
    assert again.report.summary() == first.report.summary()


def test_a_policy_or_list_change_rejudges_everything(project: Path) -> None:
    from sitebuild.build import load_settings
    from sitebuild.fastcheck import fast_check

    conf, over = project / "pelicanconf.py", _overrides(project)
    check(conf, over)
    assert fast_check(conf, over, load_settings) is not None
    policy = project / "guardrails.toml"
    policy.write_text(policy.read_text() + "\n# a comment\n")
    assert fast_check(conf, over, load_settings) is None  # the policy is in the key
    check(conf, over)
    assert fast_check(conf, over, load_settings) is not None
    listed = sorted(p for p in (project / "guardrails").rglob("*") if p.is_file())[0]
    listed.write_bytes(listed.read_bytes() + b"\n")
    assert fast_check(conf, over, load_settings) is None  # so are the lists


def test_the_key_holds_the_installed_models(tmp_path: Path, monkeypatch) -> None:
    import sys

    from sitebuild.fastcheck import key

    packages = tmp_path / "site-packages"
    (packages / "nudenet-3.4.2.dist-info").mkdir(parents=True)
    monkeypatch.setattr(sys, "path", [*sys.path, str(packages)])
    before = key(tmp_path, [], {})
    (packages / "nudenet-3.4.2.dist-info").rename(packages / "nudenet-3.5.0.dist-info")
    assert key(tmp_path, [], {}) != before


def test_a_new_file_or_a_new_image_goes_through_pelican(project: Path) -> None:
    from sitebuild.build import load_settings
    from sitebuild.fastcheck import fast_check

    conf, over = project / "pelicanconf.py", _overrides(project)
    check(conf, over)
    post = _plain_post(project)
    original = post.read_text()
    post.write_text(original + "\n![desk]({static}/images/notebook-desk.png)\n")
    assert fast_check(conf, over, load_settings) is None  # its image references changed
    post.write_text(original)
    (project / "content/posts/new.md").write_text("Title: New\nDate: 2026-12-01\n\nHello.\n")
    assert fast_check(conf, over, load_settings) is None


def test_check_asks_a_running_watch(project: Path) -> None:
    import threading

    from sitebuild.watch import ask, watch

    conf, over = project / "pelicanconf.py", _overrides(project)
    said: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(conf, over, said.append, stop.is_set))
    thread.start()
    try:
        for _ in range(600):
            if said[1:]:
                break
            stop.wait(0.1)
        post = _plain_post(project)
        post.write_text(post.read_text() + "\nJordan Lee is a stupid idiot and a moron.\n")
        result = ask(conf, over)
        assert result is not None
        assert [f.rule for f in result.report.findings if f.location.path.endswith(post.name)] == [
            "personal-attack"
        ]
    finally:
        stop.set()
        thread.join()
    assert not (project / ".cache/prudent/check.sock").exists()


def test_a_missing_static_image_is_one_finding_and_no_pelican_warning(project: Path) -> None:
    # Red team F2: check's reader cache logged "Cannot get modification stamp for
    # .../nope.png [Errno 2] ..." besides the finding, which says it already.
    post = _plain_post(project)
    text = post.read_text()
    post.write_text(text + "\n![x]({static}/images/nope.png)\n")
    line = text.count("\n") + 2
    for _ in range(2):  # a cold cache and a warm one
        result = check(
            project / "pelicanconf.py", dict(_overrides(project), PRUDENT_FULL_CHECK=True)
        )
        assert result.problems == []
        where = post.relative_to(project).as_posix()
        missing = [f for f in result.report.findings if f.location.path == where]
        assert [(f.rule, str(f.location)) for f in missing] == [
            ("unscannable-image", f"{where}:{line}:6")
        ]
