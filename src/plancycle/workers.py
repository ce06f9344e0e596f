"""Worker processes: how many a command may start, and how they end with the process that
started them.

One bound for every ``--jobs``: at most :func:`max_jobs` (a number per available core, and
never more than :data:`MAX_JOBS`) unless ``--force`` (:func:`check_jobs`). ``publish`` allows
:data:`JOBS_PER_CORE` per core (its workers also write files); ``simulate`` and ``compare``, whose
runs only compute, one per core.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from multiprocessing.context import BaseContext

from plancycle.errors import InputError

#: The most worker processes ``--jobs`` may ask for without ``--force``.
MAX_JOBS = 64

#: Workers per available core allowed without ``--force`` (by default).
JOBS_PER_CORE = 4


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system tells it)."""
    if hasattr(os, "sched_getaffinity"):
        with contextlib.suppress(OSError):
            return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def max_jobs(per_core: int = JOBS_PER_CORE) -> int:
    """The most ``--jobs`` allowed without ``--force``: ``per_core`` per available core, at
    most :data:`MAX_JOBS`."""
    return min(MAX_JOBS, per_core * available_cores())


def check_jobs(jobs: int, *, force: bool, per_core: int = JOBS_PER_CORE) -> int:
    """``jobs`` when it is a number of processes this machine should run: an
    :class:`~plancycle.errors.InputError` for less than 1, and for more than :func:`max_jobs`
    unless ``force``."""
    if jobs < 1:
        raise InputError(key="publish_jobs", jobs=jobs)
    limit = max_jobs(per_core)
    if jobs > limit and not force:
        raise InputError(key="publish_jobs_too_many", jobs=jobs, limit=limit,
                         cores=available_cores())
    return jobs


def stop_workers() -> None:
    """Kill the workers left over when a pool could not start them all: they would wait for
    work forever, and this process for them at exit."""
    for child in multiprocessing.active_children():
        with contextlib.suppress(OSError):
            child.kill()
        child.join(timeout=5)


def fork_context() -> BaseContext | None:
    """The ``fork`` start method on Linux when this process runs one thread (the workers then
    inherit what is loaded; :func:`die_with_parent` ties them to it); ``forkserver`` on Linux
    when other threads run (a fork would copy their locks), the platform's default elsewhere."""
    if sys.platform != "linux":
        return None
    return multiprocessing.get_context("fork" if threading.active_count() == 1 else "forkserver")


#: ``prctl`` option: the signal a process gets when its parent dies (linux/prctl.h).
_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Make this (forked) worker end when ``parent`` does, however it ends (``kill -9`` too):
    otherwise it would go on working, then wait for work forever.

    On Linux the kernel sends SIGKILL when the parent dies (``prctl(PR_SET_PDEATHSIG)``); if
    the parent died before that was set up, the worker has been handed to another parent and
    ends at once. (The kernel signals when the parent's forking *thread* ends: a process pool
    forks all its workers from the main thread at the first ``submit``, so that is the
    process.) Elsewhere (or if ``prctl`` is unavailable) a daemon thread checks the parent every
    half second.
    """
    armed = False
    if sys.platform == "linux":
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            armed = libc.prctl(_PR_SET_PDEATHSIG, ctypes.c_ulong(signal.SIGKILL),
                               ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0)) == 0
    if os.getppid() != parent:
        os._exit(1)
    if not armed:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True,
                         name="plancycle-parent-watch").start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)
