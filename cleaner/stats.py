"""Counting a run: what came in, what went out, why the rest was rejected."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Summary:
    read: int = 0
    written: int = 0
    rejected: Counter = field(default_factory=Counter)  # by reason
    methods: Counter = field(default_factory=Counter)  # by cleaner.method, written records only
    sites: Counter = field(default_factory=Counter)
    languages: Counter = field(default_factory=Counter)
    removed: Counter = field(default_factory=Counter)  # lines, by category
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
