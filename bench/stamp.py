"""What every bench result is stamped with: commit, date, machine and its load."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def stamp() -> dict[str, str]:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()

    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    dirty = " (with uncommitted changes)" if git("status", "--porcelain", "-uno") else ""
    return {
        "commit": git("rev-parse", "--short", "HEAD") + dirty,
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": str(os.cpu_count()),
        "CPU": cpu,
        "load": "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
