"""Time and size limits: a page that takes too long becomes a `timeout` reject, a page whose
markup would take the parser too long a `bad_html` one, and the stream goes on."""

from __future__ import annotations

import re
import signal
import threading
from contextlib import contextmanager

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

_OPEN_TAG = re.compile(r"<[A-Za-z]")
# A start tag long enough to hold LONG_TAG_ATTRIBUTES attributes (each at least 2 characters,
# " a"): quoted values count as one unit, so a long data: URL is not a long tag.
_LONG_TAG = re.compile(r"""<[A-Za-z](?:[^>"']|"[^"]*+"|'[^']*+'){%d,}""" % (2 * LONG_TAG_ATTRIBUTES))
_QUOTED = re.compile(r""""[^"]*+"|'[^']*+'""")
# what the parser reads as text, not tags: scripts, styles, comments
_NOT_MARKUP = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
_ATTRIBUTE_NAME = re.compile(r"""[\s"'/]+[^\s"'/=>]""")


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
    still bounds every rule.
    """
    usable = seconds and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return
    armed = [True]

    def expire(signum, frame):
        if armed[0]:
            raise PageTimeout()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, REARM_SECONDS)
    try:
        yield
    finally:
        while armed[0]:
            try:  # a late alarm may land on this very line: disarm again until it sticks
                armed[0] = False
            except PageTimeout:
                pass
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
