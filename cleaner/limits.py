"""Time and size limits: a page that takes too long becomes a `timeout` reject, a page whose
markup would take the parser too long a `bad_html` one, and the stream goes on."""

from __future__ import annotations

import math
import re
import signal
import sys
import threading
import time
from contextlib import contextmanager

from .regexes import DeferredRe

# lxml parses in C, where no timer can stop it, and libxml2 checks duplicate attributes in time
# quadratic in their number on one element (5,000: 0.09 s; 20,000: 3 s; 100,000: 46 s). So the
# sum over elements of (attributes on it)^2 is bounded, and the number of elements. Real pages
# stay far below (a long news page: tens of thousands of elements, tens of attributes on one;
# the AEB pages and the html-id fixtures, scripts and comments aside: under 1,000 on one element).
MAX_ELEMENTS = 250_000
MAX_ATTRIBUTE_WORK = 5_000 ** 2
# ... counted without scripts and comments, unless the raw count passes this (20 times the most
# script text on a real page gave), so that a `<script>` hidden in an attribute value cannot hide more
HARD_ATTRIBUTE_WORK = 30_000 ** 2
LONG_TAG_ATTRIBUTES = 1_000  # only start tags that could hold this many are counted
MAX_LINE_BYTES = 64 * 1024 * 1024  # a longer input line is a `too_large` reject, read past without being held
REARM_SECONDS = 0.5  # after the limit, the timeout is raised again this often until it is handled

_OPEN_TAG = DeferredRe(r"<[A-Za-z]")
# A start tag long enough to hold LONG_TAG_ATTRIBUTES attributes (each at least 2 characters,
# " a"): quoted values count as one unit, so a long data: URL is not a long tag.
# A quoted value can end at one quote only, so a possessive `*+` matches what `*` matches; it
# spares the scan its backtracking (a quarter of its time on the AEB pages), but `re` reads it
# from Python 3.11 on only.
_ONCE = "+" if sys.version_info >= (3, 11) else ""
_LONG_TAG = DeferredRe(r"""<[A-Za-z](?:[^>"']|"[^"]*%s"|'[^']*%s'){%d,}""" % (_ONCE, _ONCE, 2 * LONG_TAG_ATTRIBUTES))
_QUOTED = DeferredRe(r""""[^"]*%s"|'[^']*%s'""" % (_ONCE, _ONCE))
# what the parser reads as text, not tags: scripts, styles, comments
_NOT_MARKUP = DeferredRe(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
_ATTRIBUTE_NAME = DeferredRe(r"""[\s"'/]+[^\s"'/=>]""")


def markup_problem(html: str) -> str | None:
    """Why the page's markup would keep the parser busy past any time limit, or None: more than
    MAX_ELEMENTS elements, or elements with so many attributes that the sum of their squares
    passes MAX_ATTRIBUTE_WORK. Linear in the page."""
    if html.count("<") > MAX_ELEMENTS and len(_OPEN_TAG.findall(html)) > MAX_ELEMENTS:
        return f"more than {MAX_ELEMENTS:,} elements"
    work, largest = _attribute_work(html)
    if MAX_ATTRIBUTE_WORK < work <= HARD_ATTRIBUTE_WORK:  # script text can look like a long tag: count without it
        work, largest = _attribute_work(_NOT_MARKUP.sub("", html))
    if work > MAX_ATTRIBUTE_WORK:
        return f"elements with too many attributes for the parser (the largest: {largest:,})"
    return None


def _attribute_work(html: str) -> tuple[int, int]:
    work, largest = 0, 0
    for tag in _LONG_TAG.finditer(html):
        count = len(_ATTRIBUTE_NAME.findall(_QUOTED.sub('""', tag.group())))
        work += count * count
        largest = max(largest, count)
    return work, largest


class PageTimeout(BaseException):
    """The page ran past its time limit. A BaseException, so that a library's `except Exception`
    (trafilatura's `load_html` has one) cannot swallow it; raised again every REARM_SECONDS
    until it reaches `time_limit`, in case a bare `except:` does."""


@contextmanager
def time_limit(seconds: float):
    """Raise PageTimeout after `seconds` of wall time (0 = no limit).

    Uses SIGALRM, so it applies in a process's main thread on Unix (the CLI, its workers, Spark
    and datatrove tasks); elsewhere no page limit is applied, and the per-match regex time limit
    still bounds every rule. (A batch of pages shares one handler: `batch_time_limits`.)
    """
    with batch_time_limits(bool(seconds)) as limit, limit(seconds):
        yield


class BatchTimeLimits:
    """Time limits for the pages of a batch (`batch_time_limits`): `with limits(seconds):` around
    each part of each page, as `time_limit` does, but the SIGALRM handler is set once for the
    whole batch, and a part mostly costs no system call at all: the timer, once set, is set
    again only for a part whose deadline comes before the timer fires (a batch's parts all have
    about the same limit, so the timer set for its first part fires first, if ever). When it
    fires before the running part's deadline, the handler sets it for the rest of that part's
    time. The same guarantees: PageTimeout is a BaseException, raised at the part's deadline and
    again every REARM_SECONDS until the part's `with` block is left, and never after it."""

    def __init__(self) -> None:
        self.armed = False
        self.deadline = 0.0
        self.seconds = 0.0
        self.fires = math.inf  # when the timer fires next (monotonic), as far as it was set: never yet

    def expire(self, signum, frame) -> None:
        # an alarm set for an earlier part may fire in a later part, or between parts: only the
        # running part's own deadline counts (less a few ms: the timer's clock is not the monotonic one)
        now = time.monotonic()
        if self.armed and now < self.deadline - 0.005:
            self._set(self.deadline - now)  # (fired before this part's deadline: again, for the rest of its time)
            return
        self.fires = now + REARM_SECONDS  # (the timer's interval)
        if self.armed:
            raise PageTimeout()

    def _set(self, seconds: float) -> None:
        signal.setitimer(signal.ITIMER_REAL, seconds, REARM_SECONDS)
        self.fires = time.monotonic() + seconds

    def __call__(self, seconds: float) -> "BatchTimeLimits":
        self.seconds = seconds
        return self

    def __enter__(self) -> None:
        self.deadline = time.monotonic() + self.seconds
        if self.fires > self.deadline:  # (else the timer fires first, and is set again then)
            self._set(self.seconds)
        self.armed = True

    def __exit__(self, *exc) -> bool:
        while self.armed:
            try:  # a late alarm may land on this very line: disarm again until it sticks
                self.armed = False
            except PageTimeout:
                pass
        return False


class _NoLimit:
    def __call__(self, seconds: float) -> "_NoLimit":
        return self

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc) -> bool:
        return False


@contextmanager
def batch_time_limits(enabled: bool = True):
    """Yields `limits`: `with limits(seconds):` raises PageTimeout in its block after `seconds`
    of wall time. With `enabled` false, outside a process's main thread or without
    `setitimer` (as `time_limit`), the blocks run without a limit."""
    if not (enabled and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()):
        yield _NoLimit()
        return
    limits = BatchTimeLimits()
    previous = signal.signal(signal.SIGALRM, limits.expire)
    try:
        yield limits
    finally:
        limits.__exit__()
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
