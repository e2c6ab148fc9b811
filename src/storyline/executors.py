"""Executors: where per-article and per-story work runs. The stages stay the same objects; an
executor only decides whether a batch (of articles to annotate, of stories to cross-check) runs
in this process, in local worker processes, or on Ray workers.

Every executor yields results in input order, and the store is written by the parent alone in
that order, so the results are identical whichever executor ran the work (the contract test
compares every table). A stage declares what one of its workers needs (`Resources`); the
local executor ignores it, Ray schedules by it.

- `LocalExecutor(workers=1)` (the default) runs everything in process; with more workers it
  maps batches over a fork process pool (each worker inherits what the parent loaded, or
  loads its models once).
- `RayExecutor(workers, address)` keeps one pool of Ray actors per resource shape; each
  actor loads the stage's models on its first batch and keeps them (Ray workers are long
  lived), so a model loads once per worker, not once per batch. Without an address it starts
  a local Ray instance sized to `workers` CPUs; with one it joins that cluster.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

In = TypeVar("In")
Out = TypeVar("Out")

EXECUTORS = ("local", "ray")
RAY_OBJECT_STORE_BYTES = 512 * 2**20  # batches in flight are small: keep Ray's shm modest


@dataclass(frozen=True, slots=True)
class Resources:
    """What one worker of a stage needs: Ray places actors by it (a GPU stage would say
    gpus=1); memory is the stage's measured peak per worker, rounded up (docs/scaling.md)."""

    cpus: float = 1.0
    gpus: float = 0.0
    memory_mb: int = 0  # 0: no reservation


class Executor(Protocol):
    @property
    def workers(self) -> int: ...

    @property
    def parallel(self) -> bool:
        """False when map would run everything in this process anyway."""
        ...

    def map(
        self, function: Callable[[In], Out], items: Iterable[In], resources: Resources = ...
    ) -> Iterator[Out]: ...

    def close(self) -> None: ...


@dataclass(slots=True)
class LocalExecutor:
    workers: int = 1
    prefetch: int = 2  # batches in flight per worker: enough to keep them busy, bounded memory
    _pool: ProcessPoolExecutor | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ValueError("workers must be at least 1")

    @property
    def parallel(self) -> bool:
        return self.workers > 1

    def map(
        self,
        function: Callable[[In], Out],
        items: Iterable[In],
        resources: Resources = Resources(),
    ) -> Iterator[Out]:
        """function(item) for each item, in order; at most workers x prefetch in flight."""
        if self.workers == 1:
            yield from map(function, items)
            return
        pool = self._get_pool()
        pending: deque[Future[Out]] = deque()
        for item in items:
            pending.append(pool.submit(function, item))
            if len(pending) >= self.workers * self.prefetch:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

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


class _StageWorker:
    """A Ray actor's body: runs whatever module-level function it is handed; the function's
    module caches its models per process, so they load on the first call and stay."""

    def call(self, function: Callable[[Any], Any], item: Any) -> Any:
        return function(item)

    def ready(self) -> bool:
        return True


@dataclass(slots=True)
class RayExecutor:
    workers: int = 2
    address: str | None = None  # None: start a local Ray instance with `workers` CPUs
    prefetch: int = 2
    _actors: dict[Resources, list[Any]] = field(default_factory=dict, repr=False)
    _started_ray: bool = field(default=False, repr=False)

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ValueError("workers must be at least 1")

    @property
    def parallel(self) -> bool:
        return True  # even one Ray worker runs outside this process

    def map(
        self,
        function: Callable[[In], Out],
        items: Iterable[In],
        resources: Resources = Resources(),
    ) -> Iterator[Out]:
        """function(item) on the stage's actors, results in input order. Each item goes to
        whichever actor has a free slot (a slow batch does not leave the others idle), with
        at most actors x prefetch batches in flight and as many finished ones waiting for
        their turn, so the object store never holds the corpus."""
        ray = _ray()
        actors = self._pool(resources)
        slots = len(actors) * self.prefetch
        free = deque(actor for actor in actors for _ in range(self.prefetch))
        in_flight: dict[Any, tuple[int, Any]] = {}
        finished: dict[int, Out] = {}
        source = iter(items)
        submitted = yielded = 0
        exhausted = False
        while True:
            while free and not exhausted and len(finished) < slots:
                try:
                    item = next(source)
                except StopIteration:
                    exhausted = True
                    break
                actor = free.popleft()
                in_flight[actor.call.remote(function, item)] = (submitted, actor)
                submitted += 1
            if yielded in finished:
                yield finished.pop(yielded)
                yielded += 1
                continue
            if not in_flight:
                return
            done, _ = ray.wait(list(in_flight), num_returns=1)
            for ref in done:
                index, actor = in_flight.pop(ref)
                finished[index] = ray.get(ref)
                free.append(actor)

    def _pool(self, resources: Resources) -> list[Any]:
        if resources not in self._actors:
            ray = _ray()
            self._connect(ray)
            # Stages run one after another: the previous stage's actors give their CPUs back
            # (a cluster sized for one stage's workers never waits on idle actors).
            self._release(ray)
            options: dict[str, Any] = {"num_cpus": resources.cpus, "num_gpus": resources.gpus}
            if resources.memory_mb:
                options["memory"] = resources.memory_mb * 2**20
            actor_class = ray.remote(**options)(_StageWorker)
            actors = [actor_class.remote() for _ in range(self.workers)]
            ray.get([actor.ready.remote() for actor in actors])
            self._actors[resources] = actors
        return self._actors[resources]

    def _connect(self, ray: Any) -> None:
        if ray.is_initialized():
            return
        if self.address:
            ray.init(address=self.address, logging_level="WARNING", log_to_driver=False)
            return
        ray.init(
            num_cpus=self.workers,
            include_dashboard=False,
            logging_level="WARNING",
            log_to_driver=False,
            object_store_memory=RAY_OBJECT_STORE_BYTES,
        )
        self._started_ray = True

    def close(self) -> None:
        if not self._actors and not self._started_ray:
            return
        ray = _ray()
        self._release(ray)
        if self._started_ray:
            ray.shutdown()
            self._started_ray = False

    def _release(self, ray: Any) -> None:
        for actors in self._actors.values():
            for actor in actors:
                ray.kill(actor)
        self._actors.clear()


def _ray() -> Any:
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    try:
        import ray
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise RuntimeError(
            "the Ray executor needs Ray: pip install -e '.[ray]' (or pick --executor local)"
        ) from exc
    return ray


def make_executor(kind: str = "local", workers: int = 1, address: str | None = None) -> Executor:
    if kind == "local":
        return LocalExecutor(workers)
    if kind == "ray":
        return RayExecutor(workers, address)
    raise ValueError(f"unknown executor {kind!r}; pick one of {', '.join(EXECUTORS)}")


def default_workers() -> int:
    """Worker processes when the user asks for "all": the cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
