"""Counting a run: what came in, what went out, why the rest was rejected."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple
from datetime import datetime, timezone


# The keys of a --stats file (`Summary.to_dict`): totals, and counters by some key.
TOTAL_KEYS = ("read", "written", "rejected", "chars_written")
COUNTER_KEYS = ("rejected_by_reason", "by_method", "by_site", "by_language", "removed_lines_by_category",
                "records_by_length")
LENGTH_BUCKETS = ("<500", "500-1k", "1k-2k", "2k-5k", "5k-10k", "10k-20k", ">=20k")
_EDGES = (500, 1000, 2000, 5000, 10000, 20000)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def length_bucket(chars: int) -> str:
    """The bucket of a record's text length, for the length distribution."""
    for edge, name in zip(_EDGES, LENGTH_BUCKETS):
        if chars < edge:
            return name
    return LENGTH_BUCKETS[-1]


class Tally(NamedTuple):
    """What the summary counts of one outcome: small, cheap to send from a worker."""

    kept: bool  # a record (True) or a reject
    reason: str | None = None  # a reject's reason
    method: str | None = None  # a record's cleaner.method, site, lang, removed lines and length
    site: str | None = None
    lang: str | None = None
    removed: tuple = ()  # (category, lines) pairs
    chars: int = 0

    @classmethod
    def of(cls, record: dict | None, rejected: dict | None) -> "Tally":
        # (tuple.__new__ with every field: what `cls(...)` does, without its Python-level __new__)
        if record is None:
            return _new_tuple(cls, (False, rejected["reject"]["reason"], *_REJECT_TAIL))
        c = record["cleaner"]
        return _new_tuple(cls, (True, None, c["method"], record["site"], record["lang"], tuple(c["removed"].items()),
                                len(record["text"])))


_new_tuple = tuple.__new__
_REJECT_TAIL = tuple(Tally._field_defaults[name] for name in Tally._fields[2:])  # a reject's fields after its reason


@dataclass
class Summary:
    read: int = 0
    written: int = 0
    rejected: Counter = field(default_factory=Counter)  # by reason
    methods: Counter = field(default_factory=Counter)  # by cleaner.method, written records only
    sites: Counter = field(default_factory=Counter)
    languages: Counter = field(default_factory=Counter)
    removed: Counter = field(default_factory=Counter)  # lines, by category
    removed_by_site: dict = field(default_factory=dict)  # site -> Counter of lines by category
    lengths: Counter = field(default_factory=Counter)  # written records by length bucket (characters)
    chars_out: int = 0
    interrupted: bool = False  # the run was stopped (Ctrl-C, SIGTERM) before the end of its input
    run: dict = field(default_factory=dict)  # when, how long, which version, which inputs: see `start`/`finish`
    _clock: float = field(default=0.0, repr=False)

    def start(self, inputs) -> None:
        from . import __version__

        self.run = {"started": _now(), "duration_s": None, "version": __version__, "inputs": list(inputs)}
        self._clock = time.perf_counter()

    def finish(self) -> None:
        if self.run:
            self.run["duration_s"] = round(time.perf_counter() - self._clock, 3)

    def add_tally(self, tally: Tally) -> None:
        """Count one outcome."""
        self.read += 1
        if not tally.kept:
            self.rejected[tally.reason] += 1
            return
        _, _, method, site, lang, removed, chars = tally
        self.written += 1
        self.methods[method] += 1
        self.sites[site or "(generic)"] += 1
        self.languages[lang or "(unknown)"] += 1
        by_site = self.removed_by_site.get(site or "(generic)")
        if by_site is None:
            by_site = self.removed_by_site[site or "(generic)"] = Counter()
        for category, lines in removed:  # (Counter.update of a dict: the same counts, with an ABC check and a copy)
            self.removed[category] += lines
            by_site[category] += lines
        self.lengths[length_bucket(chars)] += 1
        self.chars_out += chars

    def add_counts(self, part: "Summary") -> None:
        """Count what `part` counted (`add_tally` of each of a chunk's outcomes, in a worker):
        the same totals as `add_tally` of each outcome here (Counter.update adds a key's count,
        zero included)."""
        self.read += part.read
        self.written += part.written
        self.rejected.update(part.rejected)
        self.methods.update(part.methods)
        self.sites.update(part.sites)
        self.languages.update(part.languages)
        self.removed.update(part.removed)
        for site, lines in part.removed_by_site.items():
            by_site = self.removed_by_site.get(site)
            if by_site is None:
                by_site = self.removed_by_site[site] = Counter()
            by_site.update(lines)
        self.lengths.update(part.lengths)
        self.chars_out += part.chars_out

    @property
    def rejects(self) -> int:
        return sum(self.rejected.values())

    def to_dict(self) -> dict:
        def ordered(counter: Counter) -> dict:
            return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))

        return {
            "read": self.read,
            "written": self.written,
            "rejected": self.rejects,
            "rejected_by_reason": ordered(self.rejected),
            "by_method": ordered(self.methods),
            "by_site": ordered(self.sites),
            "by_language": ordered(self.languages),
            "removed_lines_by_category": ordered(self.removed),
            "removed_lines_by_site": {site: ordered(c) for site, c in sorted(self.removed_by_site.items())},
            "records_by_length": {b: self.lengths[b] for b in LENGTH_BUCKETS if self.lengths[b]},
            "chars_written": self.chars_out,
            "interrupted": self.interrupted,
            "run": self.run,
        }

    def line(self) -> str:
        """The one-line summary printed to stderr at the end of a run."""

        def show(counter: Counter) -> str:
            return ", ".join(f"{k} {v}" for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))) or "none"

        return (
            f"corpus-cleaner: {self.read} read, {self.written} written, {self.rejects} rejected"
            f" ({show(self.rejected)}) | by method: {show(self.methods)}"
            + (" | interrupted before the end of the input" if self.interrupted else "")
        )
