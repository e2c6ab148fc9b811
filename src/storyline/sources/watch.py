"""Keep a workspace current: pull every feed, run the incremental stages, wait, repeat.

Each cycle is the same two calls a user would make by hand (`feeds pull`, `run`), so a
cycle interrupted by Ctrl-C or a crash leaves a workspace the next cycle continues from.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from storyline.model import Problem
from storyline.sources.fetch import FetchPolicy
from storyline.workspace import Workspace


@dataclass(slots=True)
class Cycle:
    number: int
    started: str  # ISO time the cycle began: what changed since then is this cycle's work
    feeds: int = 0
    new_items: int = 0
    added: int = 0  # new articles stored
    opened: int = 0  # stories opened by this cycle's articles
    joined: int = 0  # articles that joined an existing story
    merged: int = 0
    rechecked: int = 0  # stories whose cross-check was redone
    contradictions: int = 0  # conflicts found in those stories
    problems: list[Problem] = field(default_factory=list)


def watch(
    workspace: Workspace,
    *,
    every_s: float,
    cycles: int | None = None,
    policy: FetchPolicy | None = None,
    on_cycle: Callable[[Cycle], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Cycle]:
    """Run `cycles` cycles (forever when None), `every_s` seconds apart (start to start)."""
    done: list[Cycle] = []
    number = 0
    while cycles is None or number < cycles:
        number += 1
        begun = time.monotonic()
        cycle = run_cycle(workspace, number, policy)
        done.append(cycle)
        if on_cycle:
            on_cycle(cycle)
        if cycles is not None and number >= cycles:
            break
        sleep(max(0.0, every_s - (time.monotonic() - begun)))
    return done


def run_cycle(workspace: Workspace, number: int, policy: FetchPolicy | None = None) -> Cycle:
    cycle = Cycle(number, dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    results = workspace.pull_feeds(policy=policy)
    cycle.feeds = len(results)
    for result in results:
        cycle.new_items += result.new
        cycle.added += result.added
        cycle.problems.extend(result.problems)
        cycle.problems.extend(p for page in result.pages for p in page.problems)
    workspace.run()
    stories = workspace.last_stories
    cycle.opened, cycle.joined, cycle.merged = stories.opened, stories.joined, stories.merged
    cycle.rechecked = workspace.last_crosscheck.checked
    cycle.contradictions = workspace.last_crosscheck.contradictions
    return cycle
