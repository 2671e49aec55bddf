"""Where tasks run: in this process, in local worker processes, or on a Ray cluster.

Every backend runs the same function (``play.play_task``) and hands the results back in
task order, whatever order they finish in: a finished task waits in its future until all
before it are used. That, and seeds drawn by the parent, is why the worker count and the
backend never change a tournament's results.
"""

import contextlib
import logging
import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Iterable, Iterator

from blitzgame.bots.sandbox import sigint_ignored
from blitzgame.tournament.play import Task, TaskResult, close_seats, play_task


class TaskFailed(RuntimeError):
    """A task raised in a worker, or a worker died; the message says which games."""


class Inline:
    """Tasks one after another in this process."""

    workers = 1

    def results(self, tasks: Iterable[Task]) -> Iterator[TaskResult]:
        for task in tasks:
            yield play_task(task)

    def close(self, abandon: bool = False) -> None:
        close_seats()


def _worker_start() -> None:
    """In each worker: Ctrl-C is the parent's to handle; bots' processes end with the worker.

    Workers run at a lower priority: the parent rates every game in order, one after
    another, and when it waits for a core the whole tournament waits.
    """
    from multiprocessing import util

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError, AttributeError):
        os.nice(5)
    parent = multiprocessing.parent_process()
    if parent is not None:  # a parent killed outright cannot stop its pool: go with it
        threading.Thread(target=_exit_with, args=(parent,), daemon=True, name="blitzgame-parent-watch").start()
    util.Finalize(None, close_seats, exitpriority=10)


def _exit_with(parent) -> None:
    parent.join()
    os._exit(1)


class Processes:
    """Tasks over ``workers`` local processes (started with "spawn": safe with threads and numba)."""

    def __init__(self, workers: int) -> None:
        from concurrent.futures import ProcessPoolExecutor

        self.workers = workers
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_worker_start)

    def results(self, tasks: Iterable[Task]) -> Iterator[TaskResult]:
        from concurrent.futures.process import BrokenProcessPool

        window = deque()
        pending = iter(tasks)
        for task in pending:
            window.append((task, self._submit(task)))
            if len(window) >= 2 * self.workers:
                break
        while window:
            task, future = window.popleft()
            try:
                result = future.result()
            except BrokenProcessPool:
                raise TaskFailed(f"a worker process died while playing games {_games(task)}") from None
            except Exception as error:
                raise TaskFailed(f"games {_games(task)} failed in a worker: {type(error).__name__}: {error}") from error
            for later in pending:  # keep the workers busy before handing this result over
                window.append((later, self._submit(later)))
                break
            yield result

    def _submit(self, task: Task):
        with sigint_ignored():  # a worker the pool starts now is born ignoring Ctrl-C, even while it imports
            return self.pool.submit(play_task, task)

    def close(self, abandon: bool = False) -> None:
        """Stop the workers: after their current tasks, or at once when the results are ``abandon``-ed."""
        if abandon:  # e.g. Ctrl-C: what they are playing now would be thrown away anyway
            for process in list((getattr(self.pool, "_processes", None) or {}).values()):
                with contextlib.suppress(Exception):
                    process.terminate()
        self.pool.shutdown(wait=True, cancel_futures=True)


class Ray:
    """Tasks as Ray remote calls: a local Ray with ``workers`` CPUs, or the cluster at ``address``."""

    def __init__(self, workers: int, address: str | None) -> None:
        try:
            import ray
        except ImportError:
            raise ValueError("--backend ray needs Ray: pip install 'blitzgame[ray]'") from None
        self.ray = ray
        self.started = not ray.is_initialized()
        if self.started:
            quiet = {"include_dashboard": False, "log_to_driver": False, "logging_level": logging.ERROR}
            try:
                if address:
                    ray.init(address=address, **quiet)
                else:
                    ray.init(num_cpus=workers, **quiet)
            except Exception as error:  # a wrong address, a cluster that is down, no room for Ray
                where = f"the Ray cluster at {address}" if address else "a local Ray"
                raise ValueError(f"cannot start {where}: {_one_line(error)}") from None
        self.workers = max(1, int(ray.cluster_resources().get("CPU", workers)))
        self.remote = ray.remote(num_cpus=1, max_retries=0)(_play_task_in_ray)

    def results(self, tasks: Iterable[Task]) -> Iterator[TaskResult]:
        ray = self.ray
        window = deque()
        pending = iter(tasks)
        try:
            for task in pending:
                window.append((task, self.remote.remote(task)))
                if len(window) >= 2 * self.workers:
                    break
            while window:
                task, ref = window.popleft()
                try:
                    result = ray.get(ref)
                except ray.exceptions.RayError as error:
                    raise TaskFailed(f"games {_games(task)} failed on Ray: {_one_line(error)}") from None
                for later in pending:
                    window.append((later, self.remote.remote(later)))
                    break
                yield result
        finally:
            for _, ref in window:
                with contextlib.suppress(Exception):
                    ray.cancel(ref)

    def close(self, abandon: bool = False) -> None:
        if self.started:
            self.ray.shutdown()


def _play_task_in_ray(task: Task) -> TaskResult:
    with contextlib.suppress(ValueError):  # only the main thread may set handlers
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    return play_task(task)


def _games(task: Task) -> str:
    return f"{task.start}..{task.start + task.games - 1}"


def _one_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[-1] if lines else type(error).__name__


def open_backend(backend: str, workers: int, address: str | None = None):
    """A backend: "local" with one worker runs in this process; "ray" always uses Ray."""
    if backend == "ray":
        return Ray(workers, address)
    if workers <= 1:
        return Inline()
    return Processes(workers)
