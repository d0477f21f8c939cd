"""Counting a run: what came in, what went out, why the rest was rejected."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


LENGTH_BUCKETS = ("<500", "500-1k", "1k-2k", "2k-5k", "5k-10k", "10k-20k", ">=20k")
_EDGES = (500, 1000, 2000, 5000, 10000, 20000)


def length_bucket(chars: int) -> str:
    """The bucket of a record's text length, for the length distribution."""
    for edge, name in zip(_EDGES, LENGTH_BUCKETS):
        if chars < edge:
            return name
    return LENGTH_BUCKETS[-1]


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

    def add_tally(self, tally: tuple) -> None:
        """Count one outcome, given as `cleaner.parallel.tally` makes it (small, cheap to send)."""
        self.read += 1
        if tally[0] == "reject":
            self.rejected[tally[1]] += 1
            return
        _, method, site, lang, removed, chars = tally
        self.written += 1
        self.methods[method] += 1
        self.sites[site or "(generic)"] += 1
        self.languages[lang or "(unknown)"] += 1
        self.removed.update(dict(removed))
        self.removed_by_site.setdefault(site or "(generic)", Counter()).update(dict(removed))
        self.lengths[length_bucket(chars)] += 1
        self.chars_out += chars

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
