"""Prefilters: one combined search that says "no rule of this pack can match this line".

Most story lines match none of a pack's rules; one search per line says so instead of one per
rule. A prefilter may over-match (a line it lets through may still match no rule), never
under-match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache

import regex

from .literals import fold
from .packkeys import end_of_set
from .rulepack import Pack, Pattern, RuleTimeout


def _combine(patterns: list[Pattern], where: str, flags: int = 0) -> Pattern | None:
    """One alternation of many patterns, used only to rule lines out. It may over-match (an
    inline flag can widen, group names are dropped), never under-match."""
    parts = []
    for p in patterns:
        src = regex.sub(r"\(\?P<\w+>", "(?:", p.source)
        inline = regex.match(r"\(\?([a-zA-Z]+)\)", src)
        parts.append(f"(?{inline.group(1)}:{src[inline.end():]})" if inline else f"(?:{src})")
    if not parts:
        return None
    try:
        vetted = all(p.vetted for p in patterns)  # one user pattern in it: the combination is guarded too
        return Pattern("|".join(parts), where, regex.compile("|".join(parts), flags), vetted)
    except regex.error:  # e.g. a backreference by name: go without the shortcut
        return None


LOOKBEHIND = regex.compile(r"\(\?<[=!]")


def _without_lookbehinds(source: str) -> str:
    """The pattern with its lookbehinds (and lookaheads' siblings untouched) taken out: it can
    only match more, and searching for it is several times faster than testing a lookbehind at
    every position of a long line. `(?:^|(?<=x))A` becomes `(?:^|)A`."""
    out, i = [], 0
    while (m := LOOKBEHIND.search(source, i)) is not None:
        out.append(source[i:m.start()])
        depth, j = 1, m.end()
        while j < len(source) and depth:
            c = source[j]
            if c == "\\":
                j += 2
                continue
            if c == "[":
                j = end_of_set(source, j)
                continue
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
            j += 1
        i = j
    out.append(source[i:])
    return "".join(out)


@dataclass(frozen=True)
class Prefilter:
    """Says "no rule can match this line" cheaply. A built-in pattern with a literal gate
    (`literals.gate`) is ruled out by the gate alone: the casefolded line starts with none of
    `prefixes` and holds none of `needs`. The other patterns: those anchored at the line start
    are tried with one `match` at position 0, the others with one `search`; reverse-searching
    ones (`(?r)`, which start from the line end) one by one. Not `exact` when some pattern could
    not be combined: then every line is a maybe."""

    prefixes: tuple[str, ...]
    needs: tuple[str, ...]
    anchored: Pattern | None
    floating: Pattern | None
    singles: tuple[Pattern, ...]
    exact: bool

    def maybe(self, line: str, folded: str | None = None) -> bool:
        """`folded`: `literals.fold(line)`, when the caller has it already."""
        if not self.exact:
            return True
        if self.prefixes or self.needs:
            folded = fold(line) if folded is None else folded
            if folded.startswith(self.prefixes) or any(n in folded for n in self.needs):
                return True
        try:
            if self.anchored is not None and self.anchored.match(line):
                return True
            if self.floating is not None and self.floating.search(line) is not None:
                return True
        except RuleTimeout:  # a user's runaway pattern: the rule itself, tried next, is named in the reject
            return True
        return any(p.search(line) is not None for p in self.singles)


def _inline_flags(p: Pattern) -> str:
    found = regex.match(r"\(\?([a-zA-Z]+)\)", p.source)
    return found.group(1) if found else ""


ANCHORED = regex.compile(r"(?:\(\?[a-zA-Z]+\))?\^")  # the pattern starts with `^` (after its inline flags)


def _shortest(literals: set[str]) -> tuple[str, ...]:
    """The literals that hold no other one: a line holding `foto` is let through whether or not
    it also holds `antara foto/`, so the longer one need not be looked for. (Only built-in
    patterns have literals: a few dozen.)"""
    return tuple(sorted(lit for lit in literals if not any(other != lit and other in lit for other in literals)))


def prefilter(patterns: list[Pattern], where: str) -> Prefilter:
    prefixes, needs = set(), set()
    singles, anchored, floating = [], [], []  # (split in one pass: a pack may have thousands of rules)
    for p in patterns:
        if p.gate is not None:
            prefixes.update(p.gate.prefixes)
            needs.update(p.gate.needs)
        elif "r" in _inline_flags(p):
            singles.append(p)
        elif ANCHORED.match(p.source):
            anchored.append(p)
        else:
            floating.append(p)
    prefixes, needs = tuple(sorted(prefixes)), _shortest(needs)
    a, f = _combine(anchored, where), _combine(floating, where)
    exact = (a is not None or not anchored) and (f is not None or not floating)
    return Prefilter(prefixes, needs, a, f, tuple(singles), exact)


class Prefilters:
    """Which lines may match a pack's rules at all, by the kind of rule asked about. Each is
    built on first use: compiling the combined patterns of every pack was most of a start-up,
    and a run (or a worker) may never see a page of most packs."""

    def __init__(self, label: str, drops: list[Pattern], ends: list[Pattern], fields: list[Pattern], spans=()):
        self._label, self._drops, self._ends, self._fields, self._spans = label, drops, ends, fields, spans

    @cached_property
    def lines(self) -> Prefilter:
        """Lines it rules out skip every line/block rule."""
        return prefilter(self._drops, f"{self._label}: line rules")

    @cached_property
    def ends(self) -> Prefilter:
        """... every end marker."""
        return prefilter(self._ends, f"{self._label}: end markers")

    @cached_property
    def fields(self) -> Prefilter:
        """... every field rule."""
        return prefilter(self._fields, f"{self._label}: fields")

    @cached_property
    def any(self) -> Prefilter:
        """All three at once: most lines are ruled out by it alone."""
        return prefilter(self._drops + self._ends + self._fields, f"{self._label}: all rules")

    @cached_property
    def _span_markers(self) -> list[Pattern]:
        """The span markers without their lookbehinds (which can only let more lines through):
        searched combined, and their literal gates read off them."""
        return [Pattern(_without_lookbehinds(r.marker.pattern), r.label, r.marker, r.vetted) for r in self._spans]

    @cached_property
    def spans(self) -> Prefilter:
        """A line it rules out holds no span marker."""
        return prefilter(self._span_markers, f"{self._label}: span markers")

    @cached_property
    def span_gates(self) -> tuple:
        """(span rule, its marker's literal gate or None), in pack order: a rule whose gate turns
        a line away has no marker in it, so it need not be searched for there."""
        return tuple(zip(self._spans, (p.gate for p in self._span_markers)))


def with_prefilters(pack: Pack) -> Pack:
    """The pack with its prefilters (after its includes are in: they cover every rule)."""
    drops = [r.pattern for r in pack.drops if r.kind in ("line", "block") and r.scope != "last" and not r.hints]
    ends = [r.pattern for r in pack.drops if r.kind == "from_line"]
    fields = [r.pattern or r.after for r in pack.fields]
    return replace(pack, prefilters=Prefilters(pack.label, drops, ends, fields, pack.spans))


@lru_cache(maxsize=None)
def hint_pattern(hints: tuple[str, ...]):
    """The lines a rule with `hint` words is tried on: plain literals, which `re` finds fastest."""
    return re.compile("|".join(map(re.escape, hints)))
