"""Running the `storyline` command as a user would: a real process, no $STORYLINE_DB."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any


def storyline_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "STORYLINE_DB"}


def start_storyline(*args: str, **popen: Any) -> subprocess.Popen[Any]:
    """`python -m storyline ARGS` started in the background (the caller waits or kills)."""
    return subprocess.Popen(
        [sys.executable, "-m", "storyline", *args], env=storyline_env(), **popen
    )
