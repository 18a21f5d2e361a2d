"""The swap: output/ is never missing, and what killed builds leave behind is removed."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from sitebuild import build as build_module
from sitebuild.build import _swap_in, build, exchange, remove_leftovers


def _staged(parent: Path, n: int) -> Path:
    staging = parent / f".output-staging-{os.getpid()}-{n}"
    staging.mkdir()
    (staging / "index.html").write_text(f"build {n}\n")
    return staging


def _watch(final: Path, stop: threading.Event, missing: list[int], reads: list[int]) -> None:
    while not stop.is_set():
        reads[0] += 1
        if not os.path.isfile(final / "index.html"):
            missing[0] += 1


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_swapping_never_leaves_a_moment_without_output(tmp_path: Path) -> None:
    final = tmp_path / "output"
    final.mkdir()
    (final / "index.html").write_text("build 0\n")
    stop, missing, reads = threading.Event(), [0], [0]
    watcher = threading.Thread(target=_watch, args=(final, stop, missing, reads))
    watcher.start()
    try:
        for n in range(1, 301):
            _swap_in(_staged(tmp_path, n), final)
    finally:
        stop.set()
        watcher.join()
    assert (final / "index.html").read_text() == "build 300\n"
    assert reads[0] > 1000, "the watcher hardly looked"
    assert missing[0] == 0, f"output/ was missing {missing[0]} times in {reads[0]} looks"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]  # old outputs removed


def test_exchange_swaps_two_folders(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").write_text("a")
    (b / "x").write_text("b")
    if not exchange(a, b):
        pytest.skip("this system cannot swap folders in one step (the fallback is tested below)")
    assert ((a / "x").read_text(), (b / "x").read_text()) == ("b", "a")


def test_without_an_atomic_swap_two_renames_still_publish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build_module, "exchange", lambda a, b: False)
    final = tmp_path / "output"
    final.mkdir()
    (final / "index.html").write_text("old\n")
    _swap_in(_staged(tmp_path, 1), final)
    assert (final / "index.html").read_text() == "build 1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_leftovers_of_dead_builds_go_and_a_running_build_keeps_its_folder(
    project: Path,
) -> None:
    dead = _dead_pid()
    for name in (
        f".output-staging-{dead}-abc123",
        f".output-old-{dead}-def456",
        ".output-staging-k2j4x_1q",  # named before folders carried their process id
    ):
        (project / name / "sub").mkdir(parents=True)
        (project / name / "sub/page.html").write_bytes(b"x" * 640_000)
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        busy = project / f".output-staging-{alive.pid}-zzz"
        busy.mkdir()
        build(project / "pelicanconf.py")
        left = sorted(p.name for p in project.glob(".output-*"))
        assert left == [busy.name]
    finally:
        alive.kill()
        alive.wait()
    assert remove_leftovers(project) == [busy]
    assert not list(project.glob(".output-*"))
