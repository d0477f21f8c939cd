"""Time limits: a page that takes too long becomes a `timeout` reject, and the stream goes on."""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager


class PageTimeout(Exception):
    """The page ran past its time limit."""


@contextmanager
def time_limit(seconds: float):
    """Raise PageTimeout after `seconds` of wall time (0 = no limit).

    Uses SIGALRM, so it applies in a process's main thread on Unix (the CLI, its workers, Spark
    and datatrove tasks); elsewhere no page limit is applied, and the per-match regex time limit
    still bounds every rule.
    """
    usable = seconds and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum, frame):
        raise PageTimeout()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
