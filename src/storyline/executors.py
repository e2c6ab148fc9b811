"""Executors: where per-article and per-story work runs. The stages stay the same objects; an
executor only decides whether a batch (of articles to annotate, of stories to cross-check) runs
in this process or in worker processes.

`LocalExecutor(workers=1)` (the default) runs everything in process. With more workers it
maps batches over a process pool (fork: each worker inherits the models the parent already
loaded, or loads them once), yielding results in input order, so the store is written by the
parent alone, in the same order as in process, and the results are identical.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

In = TypeVar("In")
Out = TypeVar("Out")


@dataclass(slots=True)
class LocalExecutor:
    workers: int = 1
    prefetch: int = 2  # batches in flight per worker: enough to keep them busy, bounded memory
    _pool: ProcessPoolExecutor | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ValueError("workers must be at least 1")

    def map(self, function: Callable[[In], Out], items: Iterable[In]) -> Iterator[Out]:
        """function(item) for each item, in order; at most workers x prefetch in flight."""
        if self.workers == 1:
            yield from map(function, items)
            return
        pool = self._get_pool()
        pending: list[Future[Out]] = []
        for item in items:
            pending.append(pool.submit(function, item))
            if len(pending) >= self.workers * self.prefetch:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()

    def _get_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=multiprocessing.get_context(method)
            )
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


def default_workers() -> int:
    """Worker processes when the user asks for "all": the cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
