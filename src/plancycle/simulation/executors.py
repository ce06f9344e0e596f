"""Where a batch's units run: in this process, in a pool of processes, or on a Dask cluster.

An executor runs chunks of consecutive units (:mod:`.units`) and hands back each chunk's
reports as it finishes; :func:`run_batch` puts them back in unit order, so the report is the same,
byte for byte, with one process, several, or a cluster. A run that fails in a worker is run again
here, after the units before it, so the error is the one a single process would have raised.

- :class:`ProcessPool`: ``jobs`` processes on this machine (``concurrent.futures``). Forked on
  Linux, tied to this process (:func:`~plancycle.workers.die_with_parent`); each gets the
  batch (a scenario: small) with every chunk and builds its contexts once.
- :class:`DaskCluster`: the workers of an existing ``dask.distributed`` scheduler (the optional
  ``dask`` extra; the workers need plancycle installed too). Connecting waits at most
  :data:`DASK_TIMEOUT` seconds. Workers with one thread each use their cores best (the runs are
  Python code, which one process runs on one core at a time).
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from plancycle.errors import InputError
from plancycle.simulation.report import RunReport
from plancycle.simulation.units import Batch, ChunkResult, UnitRunner, run_chunk
from plancycle.workers import die_with_parent, fork_context, stop_workers

if TYPE_CHECKING:  # the optional dask extra
    from distributed import Client

Progress = Callable[[int, int], None]

#: Chunks per worker: enough to even out the load and move the progress bar, few enough that
#: sending the batch and the reports costs little.
CHUNKS_PER_WORKER = 8

#: The most units in one chunk.
MAX_CHUNK = 64

#: Seconds to wait for a Dask scheduler to answer, and for it to have a worker.
DASK_TIMEOUT = 10.0


class Executor(Protocol):
    """Runs chunks of a batch's units somewhere; yields each chunk's units and result as it
    finishes, in any order."""

    def map(self, batch: Batch) -> Iterator[tuple[range, ChunkResult]]: ...


def chunks(total: int, workers: int) -> list[range]:
    """``range(total)`` cut into consecutive chunks, about :data:`CHUNKS_PER_WORKER` per worker
    and at most :data:`MAX_CHUNK` units each."""
    size = max(1, min(MAX_CHUNK, -(-total // (max(1, workers) * CHUNKS_PER_WORKER))))
    return [range(start, min(start + size, total)) for start in range(0, total, size)]


def _start_worker(parent: int | None) -> None:
    if parent is not None:
        die_with_parent(parent)


@dataclass(frozen=True)
class ProcessPool:
    """``jobs`` worker processes on this machine (checked by the caller:
    :func:`~plancycle.workers.check_jobs`)."""

    jobs: int

    def map(self, batch: Batch) -> Iterator[tuple[range, ChunkResult]]:
        todo = chunks(batch.size, self.jobs)
        jobs = min(self.jobs, len(todo))  # an idle worker is a process for nothing
        context = fork_context()
        forked = context is not None and context.get_start_method() == "fork"
        try:
            with ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                                     initializer=_start_worker,
                                     initargs=(os.getpid() if forked else None,)) as pool:
                try:
                    futures = {pool.submit(run_chunk, batch, c.start, c.stop): c for c in todo}
                    for future in as_completed(futures):
                        yield futures[future], future.result()
                except BaseException:  # an error, ^C, or the caller stopped: nothing new starts
                    pool.shutdown(wait=True, cancel_futures=True)
                    raise
        except (OSError, BrokenProcessPool) as exc:  # a worker could not start, or was killed
            stop_workers()
            raise InputError(key="publish_workers_failed", jobs=jobs, reason=_reason(exc)) from None


@dataclass(frozen=True)
class DaskCluster:
    """The workers of the Dask scheduler at ``address`` (``tcp://host:8786``)."""

    address: str
    timeout: float = DASK_TIMEOUT

    def map(self, batch: Batch) -> Iterator[tuple[range, ChunkResult]]:
        try:
            from distributed import Client
            from distributed import as_completed as completed
        except ImportError:
            raise InputError(key="jobs_dask_missing") from None
        try:
            self._probe()
            client = Client(self.address, timeout=self.timeout, set_as_default=False)  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError, ValueError, TypeError) as exc:
            raise InputError(key="jobs_dask_unreachable", address=self.address,
                             seconds=f"{self.timeout:g}", reason=_reason(exc)) from None
        try:
            threads = self._threads(client)
            shared = client.scatter(batch, broadcast=True, hash=False)  # type: ignore[no-untyped-call]
            todo = chunks(batch.size, threads)
            futures = {client.submit(run_chunk, shared, c.start, c.stop, pure=False): c
                       for c in todo}
            try:
                for future in completed(futures, loop=client.loop):  # type: ignore[no-untyped-call]
                    try:
                        result = future.result()
                    except Exception as exc:  # the cluster's failure: a lost worker, no plancycle
                        raise InputError(key="jobs_dask_failed", address=self.address,
                                         reason=_reason(exc)) from None
                    yield futures[future], result
            finally:
                client.cancel(list(futures))  # type: ignore[no-untyped-call]
        finally:
            client.close()  # type: ignore[no-untyped-call]

    def _probe(self) -> None:
        """Fail at once when nothing listens at a TCP address (the client would retry until its
        timeout); other schemes (``tls://``, ...) are left to the client."""
        from distributed.comm.addressing import parse_address, parse_host_port

        scheme, location = parse_address(self.address)
        if scheme == "tcp":
            host, port = parse_host_port(location)
            socket.create_connection((host, port), timeout=self.timeout).close()

    def _threads(self, client: Client) -> int:
        """How many threads the cluster's workers have in all, once it has a worker."""
        try:
            client.wait_for_workers(1, timeout=self.timeout)
        except (OSError, TimeoutError) as exc:
            raise InputError(key="jobs_dask_no_workers", address=self.address,
                             seconds=f"{self.timeout:g}", reason=_reason(exc)) from None
        workers = client.scheduler_info()["workers"]
        return max(1, sum(int(w.get("nthreads", 1)) for w in workers.values()))


def _reason(exc: BaseException) -> str:
    """What went wrong, on one line."""
    text = (getattr(exc, "strerror", None) or str(exc) or type(exc).__name__).splitlines()
    return text[0] if text else type(exc).__name__


def run_batch(batch: Batch, executor: Executor | None = None,
              progress: Progress | None = None) -> list[RunReport]:
    """The reports of every unit of ``batch``, in unit order: here, one unit after the other
    (``executor`` None: ``progress(done, total)`` after each run), or by ``executor``
    (``progress`` after each chunk)."""
    total = batch.size
    if executor is None:
        runner = UnitRunner(batch)
        out: list[RunReport] = []
        for unit in range(total):
            out.extend(runner.run(unit, unit + 1))
            if progress is not None:
                progress(unit + 1, total)
        return out
    results: dict[int, list[RunReport]] = {}
    failed: int | None = None
    done = 0
    for units, result in executor.map(batch):
        if result.failed is not None:
            failed = result.failed
            results[units.start] = result.reports
            break
        results[units.start] = result.reports
        done += len(units)
        if progress is not None:
            progress(done, total)
    if failed is not None:
        _raise_first_failure(batch, results, failed)
    return [report for start in sorted(results) for report in results[start]]


def _raise_first_failure(batch: Batch, results: dict[int, list[RunReport]], failed: int) -> None:
    """Run here, in order, the units up to ``failed`` that no worker finished: the first to fail
    raises its error, as one process would have."""
    finished = {unit for start, reports in results.items()
                for unit in range(start, start + len(reports))}
    runner = UnitRunner(batch)
    for unit in range(failed + 1):
        if unit not in finished:
            runner.run(unit, unit + 1)
    raise AssertionError(f"unit {failed} failed in a worker but not in this process")
