"""The fuzz harness (bench/fuzz.py) in short: every parser and the cleaner, generated inputs,
no crash and no hang. The full run (1,000 cases per target) is recorded in docs/reliability.md."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HARNESS = Path(__file__).resolve().parents[2] / "bench" / "fuzz.py"


@pytest.mark.slow
def test_the_short_fuzz_run_finds_no_crash_and_no_hang() -> None:
    result = subprocess.run(
        [sys.executable, str(HARNESS), "--cases", "60", "--seed", "7"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    rows = {line.split()[0]: line.split() for line in result.stdout.splitlines()[1:]}
    assert len(rows) >= 10  # every target ran ("txt", "html", ... "total")
    total = rows["total"]
    assert int(total[1]) >= 600 and total[2:4] == ["0", "0"]
