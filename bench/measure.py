"""Run one step in a child process; its wall time and the peak memory of its whole tree.

Peak memory is the largest sum of resident set sizes of the child and all its
descendants (the image scanner's worker processes included), sampled every
20 ms from /proc.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")
HERE = Path(__file__).resolve().parent


@dataclass
class Run:
    seconds: float  # wall time of the whole process, start-up and model loading included
    inner: float  # what the step timed itself (the work alone)
    peak_mb: float
    result: dict
    cpu: float = 0.0  # user + system CPU seconds of the process and its workers


def _tree_rss(pid: int) -> int:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/statm") as fh:
                total += int(fh.read().split()[1]) * PAGE
        except (OSError, ValueError, IndexError):
            pass
        stack.extend(children.get(p, []))
    return total


def run_step(
    mode: str, site: Path, files: list[str] | None = None, *, env: dict | None = None
) -> Run:
    cmd = [sys.executable, str(HERE / "runsite.py"), mode, str(site), *(files or [])]
    peak = 0
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    done.set()
    sampler.join()
    lines = [line for line in out.splitlines() if line.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"bench step {mode} failed (exit {proc.returncode}):\n{err[-4000:]}")
    result = json.loads(lines[-1][len("RESULT ") :])
    return Run(seconds, float(result.get("seconds", seconds)), peak / 2**20, result, cpu)


def alex(files: list[str]) -> dict:
    out = subprocess.run(
        ["node", str(HERE / "alex-bench.mjs"), *files],
        cwd=HERE,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])
