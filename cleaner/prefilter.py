"""Prefilters: one combined search that says "no rule of this pack can match this line".

Most story lines match none of a pack's rules; one search per line says so instead of one per
rule. A prefilter may over-match (a line it lets through may still match no rule), never
under-match.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cached_property, lru_cache

import regex

from . import regexes
from .literals import Gate, PageGates, fold, letterless_lines_only, lookaround_gates
from .packcache import line_edges
from .packkeys import end_of_set
from .records import frozen_record
from .rulepack import Pack, Pattern, RuleTimeout


NAMED_GROUP = regexes.lazy(r"\(\?P<\w+>")
INLINE_FLAGS = regexes.lazy(r"\(\?([a-zA-Z]+)\)")


def _combine(patterns: list[Pattern], where: str, sources=None) -> Pattern | None:
    """One alternation of many patterns (or of `sources`, one for each, that match more), used
    only to rule lines out. It may over-match (an inline flag can widen, group names are
    dropped), never under-match."""
    parts = []
    for source in sources or (p.source for p in patterns):
        src = NAMED_GROUP.sub("(?:", source)
        inline = INLINE_FLAGS.match(src)
        parts.append(f"(?{inline.group(1)}:{src[inline.end():]})" if inline else f"(?:{src})")
    if not parts:
        return None
    try:
        vetted = all(p.vetted for p in patterns)  # one user pattern in it: the combination is guarded too
        return Pattern("|".join(parts), where, regexes.compile("|".join(parts)), vetted)
    except regex.error:  # e.g. a backreference by name: go without the shortcut
        return None


OPEN_TAIL = regexes.lazy(r"(?<!\\)((?:\\\\)*)\{(\d+),\d*\}\$\Z")  # `...{3,}$` (the brace not escaped)


def _open_tail_cut(source: str) -> str:
    """The pattern without the extra rounds of a repeat that ends it and its `$`, and then without
    a negative lookahead right after its leading `^`: `^(?!.*[.:]$)\\S+(?:\\s+\\S+){3,}$` ->
    `^\\S+(?:\\s+\\S+){3}`. `X{m,}$` is `X{m}` followed by more rounds and the end, so every line
    the pattern matches (or a search finds it in) starts with (holds) a match of the cut one;
    a lookahead dropped is a condition less. The cut one may match more, never less: a
    prefilter may try it instead, and the engine walks neither the line's words round by round
    nor the line for the lookahead (~36k instructions a call for the title field above on
    dev.jsonl, ~8k cut; its refused line ends are asked of the line first anyway,
    `Prefilter.ends`). With a top-level `|` the cut is of the first or last alternative only,
    which still matches more. A lazy or possessive repeat (`{3,}?$`) is left as it is."""
    found = OPEN_TAIL.search(source)
    if found is None or int(found.group(2)) < 1:
        return source
    cut = f"{source[:found.start()]}{found.group(1)}{{{found.group(2)}}}"
    refusal = LEADING_REFUSAL.match(cut)  # `^(?!.*[.:]$)`: dropped too (it walks the line; the line end says it)
    return cut[:refusal.end() - 3] + cut[_group_end(cut, refusal.end()):] if refusal else cut


LEADING_REFUSAL = regexes.lazy(r"(?:\(\?[a-zA-Z]+\))?\^\(\?!")  # a negative lookahead right after the leading `^`


LOOKBEHIND = regexes.lazy(r"\(\?<[=!]")


def _without_lookbehinds(source: str) -> str:
    """The pattern with its lookbehinds (and lookaheads' siblings untouched) taken out: it can
    only match more, and searching for it is several times faster than testing a lookbehind at
    every position of a long line. `(?:^|(?<=x))A` becomes `(?:^|)A`."""
    out, i = [], 0
    while (m := LOOKBEHIND.search(source, i)) is not None:
        out.append(source[i:m.start()])
        i = _group_end(source, m.end())
    out.append(source[i:])
    return "".join(out)


def _group_end(source: str, j: int) -> int:
    """Where the group whose opening parenthesis ends before `j` ends (after its `)`)."""
    depth = 1
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
    return j


@frozen_record
class Prefilter:  # (frozen: `gated_only` is cached in the instance's __dict__ all the same)
    """Says "no rule can match this line" cheaply. A built-in pattern with a literal gate
    (`literals.gate`) is ruled out by the gate alone: the casefolded line starts with none of
    `prefixes` and holds none of `needs`. The other patterns: those anchored at the line start
    are tried with one `match` at position 0, the others with one `search`; reverse-searching
    ones (`(?r)`, which start from the line end) one by one. Anchored patterns that need a digit
    run only on a line holding one, and those no match of which starts with a letter
    (`letterless`) not on a line that starts with one; a combination of patterns whose every
    match ends at the line's end not on a line whose last character none of them may end with
    (`ends`: the date patterns end in a digit or a zone, a title field `^(?!.*[.:]$)...` in no
    `.` or `:`, and most story lines end in a full stop). Not `exact` when some pattern could
    not be combined: then every line is a maybe. `bits`: the gated patterns' bits in the pack's
    `PageGates`, for `admits`, which asks the same of a line whose gates were all tested at once."""

    prefixes: tuple[str, ...]
    needs: tuple[str, ...]
    anchored: Pattern | None
    floating: Pattern | None
    singles: tuple[Pattern, ...]
    exact: bool
    bits: int = 0
    digit_anchored: Pattern | None = None  # as `anchored` and `floating`, for patterns whose every
    digit_floating: Pattern | None = None  # match holds a digit: tried only on a line that has one
    letterless: Pattern | None = None  # as `anchored`, for patterns no match of which starts with a
                                       # letter (`literals.may_start_with_letter`): not tried on a line that does
    ends: tuple = (None,) * 5  # `literals.line_end` of the combined patterns, in `KINDS` order (None: any end)
    letterless_lines: bool = False  # every `letterless` pattern matches only lines of no letters
                                    # (`literals.letterless_lines_only`): not tried on a line whose second character is one

    def admits(self, line: str, gates: int) -> bool:
        """`maybe(line)`, given the line's mask from `PageGates.masks`."""
        if not self.exact or gates & self.bits:
            return True
        return self._ungated(line)

    @cached_property
    def gated_only(self) -> bool:
        """Every pattern has a literal gate: `admits` is `gates & bits` alone."""
        return self.exact and not self.singles and all(
            p is None for p in (self.anchored, self.floating, self.digit_anchored, self.digit_floating, self.letterless))

    def admitted(self, lines: list[str], gates: list[int], among=None) -> list[int]:
        """The indexes of the lines it admits (of those in `among`, all by default)."""
        among = range(len(lines)) if among is None else among
        bits = self.bits
        if self.gated_only:
            return [i for i in among if gates[i] & bits]
        if not self.exact:
            return list(among)
        ungated = self._ungated
        return [i for i in among if gates[i] & bits or ungated(lines[i])]

    def verdicts(self, lines: list[str], gates: list[int], longest: int) -> list[bool]:
        """`admits` of each line (with its mask), False for a line longer than `longest`."""
        if not self.exact:
            return [len(line) <= longest for line in lines]
        bits, ungated = self.bits, self._ungated
        if not self.singles:
            kinds_ending, lines_only = self._by_last.get, self.letterless_lines  # (most lines: a last character that rules
            try:                                                                  # out all but `letterless`, and a letter)
                return [len(line) <= longest and (g & bits != 0 or (  # (its ends read by index: no slice made)
                        (k := kinds_ending(line[-1], -1)) != 0 and (k != TRY_LETTERLESS or line[0] not in ASCII_LETTERS and not (
                            lines_only and line[1:2] in ASCII_LETTERS)) or "\n" in line) and ungated(line)) for line, g in zip(lines, gates)]
            except IndexError:  # an empty line, which has no ends to read: every line asked in full (the ends only
                pass            # spare `ungated` the lines it would refuse)
        return [len(line) <= longest and (g & bits != 0 or ungated(line)) for line, g in zip(lines, gates)]

    def maybe(self, line: str, folded: str | None = None) -> bool:
        """`folded`: `literals.fold(line)`, when the caller has it already."""
        if not self.exact:
            return True
        if self.prefixes or self.needs:
            folded = fold(line) if folded is None else folded
            if folded.startswith(self.prefixes) or any(n in folded for n in self.needs):
                return True
        return self._ungated(line)

    @cached_property
    def _kinds(self) -> int:
        """The bits (`KINDS`) of the combined patterns there are."""
        return sum(bit for bit, name in zip(KIND_BITS, KINDS) if getattr(self, name) is not None)

    @cached_property
    def _by_last(self) -> dict[str, int]:
        """A line's last character -> the bits of the combined patterns that may match a line
        ending in it (filled as characters come)."""
        return {}

    @cached_property
    def _end_patterns(self) -> tuple:
        return tuple(None if end is None else regexes.compile(end) for end in self.ends)

    def _kinds_ending(self, last: str) -> int:
        """`_by_last[last]`, worked out: the engine tells whether `last` may end each pattern."""
        kinds = self._kinds
        for bit, end in zip(KIND_BITS, self._end_patterns):
            if end is not None and last and end.fullmatch(last) is None:
                kinds &= ~bit
        self._by_last[last] = kinds
        return kinds

    @cached_property
    def _seen(self) -> dict[str, bool] | None:
        """Lines `_ungated` was asked about lately, with its answer (`SEEN`, `SEEN_LINE`): a site's
        pages repeat its boilerplate lines, and many of those need the patterns tried
        (`ADVERTISEMENT`, a dateline's city, a lone `-`), not a gate bit looked at (37% of the
        asks on dev.jsonl pages 200-600, from the first page on). None where a pattern is a
        user's: a time limit may end its try, which says nothing of the line."""
        patterns = [p for p in (self.anchored, self.floating, self.digit_anchored, self.digit_floating, self.letterless)
                    if p is not None] + list(self.singles)
        return {} if all(p.vetted for p in patterns) else None

    def _ungated(self, line: str) -> bool:
        seen = self._seen
        if seen is None:
            return self._tried(line)
        verdict = seen.get(line)
        if verdict is None:
            verdict = self._tried(line)
            if len(line) <= SEEN_LINE:
                if len(seen) >= SEEN:
                    seen.clear()
                seen[line] = verdict
        return verdict

    def _tried(self, line: str) -> bool:
        """`_ungated`, worked out: the patterns without a gate that the line's last character
        (`_by_last`) and first ones leave are tried."""
        last = line[-1:]
        try:
            kinds = self._by_last[last]
        except KeyError:
            kinds = self._kinds_ending(last)
        if kinds != self._kinds and "\n" in line:  # `$` may match before a final line break: any may
            kinds = self._kinds
        try:
            if (kinds & TRY_LETTERLESS and line[:1] not in ASCII_LETTERS
                    and not (self.letterless_lines and line[1:2] in ASCII_LETTERS)
                    and self.letterless.match(line, None, None, False)):  # (`concurrent` false: the engine
                return True                                               # keeps the GIL, ~1k instructions less)
            if kinds & TRY_ANCHORED and self.anchored.match(line, None, None, False):
                return True
            if kinds & TRY_FLOATING and self.floating.search(line, None, None, False) is not None:
                return True
            if kinds & TRY_NEEDS_DIGIT and (ASCII_DIGIT.search(line) if line.isascii() else DIGIT.search(line, None, None, False)):
                if kinds & TRY_DIGIT_ANCHORED and self.digit_anchored.match(line, None, None, False):
                    return True
                if kinds & TRY_DIGIT_FLOATING and self.digit_floating.search(line, None, None, False) is not None:
                    return True
        except RuleTimeout:  # a user's runaway pattern: the rule itself, tried next, is named in the reject
            return True
        return bool(self.singles) and any(p.search(line) is not None for p in self.singles)


SEEN = 2048  # lines a prefilter keeps the answer of (`Prefilter._seen`), forgotten all at once when full,
SEEN_LINE = 100  # of at most this many characters (dev.jsonl: 99% of the lines asked about again are)


# The combined patterns of a `Prefilter`, in the order of its `ends`, and their bits.
KINDS = ("letterless", "anchored", "floating", "digit_anchored", "digit_floating")
KIND_BITS = TRY_LETTERLESS, TRY_ANCHORED, TRY_FLOATING, TRY_DIGIT_ANCHORED, TRY_DIGIT_FLOATING = 1, 2, 4, 8, 16
TRY_NEEDS_DIGIT = TRY_DIGIT_ANCHORED | TRY_DIGIT_FLOATING


class LineEnd:
    """What one rule's pattern says of a line's edges, asked of a line: may the pattern match it?
    `end`: `literals.line_end` (a verdict per last character, worked out by the engine the first
    time the character comes); `letterless`: every match starts the line, with no letter
    (`literals.starts_line`, `literals.may_start_with_letter`)."""

    def __init__(self, end: str | None, letterless: bool = False):
        self._end = None if end is None else regexes.compile(end)
        self._letterless = letterless
        self._verdicts: dict[str, bool] = {}

    def admits(self, line: str) -> bool:
        if self._letterless and line[:1] in ASCII_LETTERS:
            return False
        if self._end is None:
            return True
        try:
            may = self._verdicts[line[-1]]  # (its last character by index: no slice made)
        except IndexError:  # an empty line
            may = True
        except KeyError:
            last = line[-1]
            may = self._verdicts[last] = self._end.fullmatch(last) is not None
        return may or "\n" in line  # `$` may match before a final line break


def line_end_gate(source: str, vetted: bool) -> LineEnd | None:
    """A built-in pattern's `LineEnd`, or None (a user's pattern, or one whose matches may start
    and end anyhow)."""
    if not vetted:
        return None
    end, letterless = line_edges(source)
    return None if end is None and not letterless else LineEnd(end, letterless)


def _inline_flags(p: Pattern) -> str:
    found = INLINE_FLAGS.match(p.source)
    return found.group(1) if found else ""


ANCHORED = regexes.lazy(r"(?:\(\?[a-zA-Z]+\))?\^")  # the pattern starts with `^` (after its inline flags)
ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
DIGIT = regexes.lazy(r"\d")  # the engine's own `\d`: what `literals.needs_digit` patterns need
ASCII_DIGIT = re.compile("[0-9]")  # `DIGIT` in an ASCII line (`re`'s call costs a fraction of the `regex` engine's)
def _shortest(literals: set[str]) -> tuple[str, ...]:
    """The literals that hold no other one: a line holding `foto` is let through whether or not
    it also holds `antara foto/`, so the longer one need not be looked for. (Only built-in
    patterns have literals: a few dozen.)"""
    kept: list[str] = []
    for lit in sorted(literals, key=len):  # a literal holding another holds a shorter one that is kept
        if not any(map(lit.__contains__, kept)):
            kept.append(lit)
    return tuple(sorted(kept))


def prefilter(patterns: list[Pattern], where: str, gates: PageGates) -> Prefilter:
    prefixes, needs, bits = set(), set(), 0
    singles, anchored, floating, digit_anchored, digit_floating, letterless = [], [], [], [], [], []  # (one pass:
    for p in patterns:                                                              # a pack may have thousands of rules)
        if p.gate is not None:
            prefixes.update(p.gate.prefixes)
            needs.update(p.gate.needs)
            bits |= gates.bit(p.gate)
        elif "r" in _inline_flags(p):
            singles.append(p)
        elif ANCHORED.match(p.source):
            (digit_anchored if p.needs_digit else letterless if p.vetted and line_edges(p.source)[1]
             else anchored).append(p)
        else:
            (digit_floating if p.needs_digit else floating).append(p)
    prefixes, needs = tuple(sorted(prefixes)), _shortest(needs)
    kinds = (anchored, floating, digit_anchored, digit_floating, letterless)
    cut = [_open_tail_cut(p.source) if p.vetted else p.source for p in anchored]  # (each matches more)
    combined = [_combine(anchored, where, cut)] + [_combine(kind, where) for kind in kinds[1:]]
    exact = all(c is not None or not kind for c, kind in zip(combined, kinds))
    a, f, da, df, ll = combined
    ends = tuple(_line_end(kind) for kind in (letterless, anchored, floating, digit_anchored, digit_floating))
    letterless_lines = bool(letterless) and all(_letterless_lines(p.source) for p in letterless)
    return Prefilter(prefixes, needs, a, f, tuple(singles), exact, bits, da, df, ll, ends, letterless_lines)


_letterless_lines = lru_cache(maxsize=None)(letterless_lines_only)  # (a few built-in patterns, each in several prefilters)


def _line_end(patterns: list[Pattern]) -> str | None:
    """What the last character of a line one of the (built-in) patterns matches may be
    (`literals.line_end` of each): None when any."""
    ends = [line_edges(p.source)[0] if p.vetted else None for p in patterns]
    return None if not ends or None in ends else "|".join(f"(?:{end})" for end in ends)


class Prefilters:
    """Which lines may match a pack's rules at all, by the kind of rule asked about. Each is
    built on first use: compiling the combined patterns of every pack was most of a start-up,
    and a run (or a worker) may never see a page of most packs."""

    def __init__(self, pack: Pack):
        self._label, self._spans = pack.label, pack.spans
        self._drops = [r.pattern for r in pack.drops if r.kind in ("line", "block") and r.scope != "last" and not r.hints]
        self._ends = [r.pattern for r in pack.drops if r.kind == "from_line"]
        self._fields = [r.pattern or r.after for r in pack.fields]
        self._rules = pack.drops, pack.fields

    @cached_property
    def gates(self) -> PageGates:
        """The literal gates of every pattern the prefilters hold, tested on a page at once."""
        patterns = self._drops + self._ends + self._fields + self._span_markers
        return PageGates([p.gate for p in patterns] + [hint_gate(r.hints) for r in self._rules[0] if r.hints]
                         + [g for _, gates, _ in self.closing_rules for g in gates])

    def read_digit_needs(self) -> None:
        """`needs_digit` of every pattern without a gate (what `prefilter` asks of them), read
        now so that `packcache` keeps it."""
        for p in self._drops + self._ends + self._fields:
            if p.gate is None:
                p.needs_digit  # noqa: B018 - read for its cached value

    def compile_all(self) -> None:
        """Build (and so compile) every prefilter now, as a run would on its first pages."""
        for kind in (self.lines, self.ends, self.fields, self.any, self.spans):
            for p in (kind.anchored, kind.floating, kind.digit_anchored, kind.digit_floating, kind.letterless,
                      *kind.singles):
                if p is not None:
                    p.compiled.search  # noqa: B018 - a single is a rule's own (`DeferredRegex`) pattern
            kind._end_patterns  # noqa: B018 - compiled now, as above
        self.span_bits, self.line_rules, self.closing_rules, self.closing_bits, self.field_ends  # noqa: B018 - their `LineEnd`s too

    def _prefilter(self, patterns: list[Pattern], what: str) -> Prefilter:
        return prefilter(patterns, f"{self._label}: {what}", self.gates)

    @cached_property
    def lines(self) -> Prefilter:
        """Lines it rules out skip every line/block rule."""
        return self._prefilter(self._drops, "line rules")

    @cached_property
    def ends(self) -> Prefilter:
        """... every end marker."""
        return self._prefilter(self._ends, "end markers")

    @cached_property
    def fields(self) -> Prefilter:
        """... every field rule."""
        return self._prefilter(self._fields, "fields")

    @cached_property
    def any(self) -> Prefilter:
        """All three at once: most lines are ruled out by it alone."""
        return self._prefilter(self._drops + self._ends + self._fields, "all rules")

    @cached_property
    def _span_markers(self) -> list[Pattern]:
        """The span markers without their lookbehinds (which can only let more lines through):
        searched combined, and their literal gates read off them."""
        return [Pattern(_without_lookbehinds(r.marker.pattern), r.label, r.marker, r.vetted) for r in self._spans]

    @cached_property
    def spans(self) -> Prefilter:
        """A line it rules out holds no span marker."""
        return self._prefilter(self._span_markers, "span markers")

    @cached_property
    def span_gates(self) -> tuple:
        """(span rule, its marker's literal gate or None), in pack order: a rule whose gate turns
        a line away has no marker in it, so it need not be searched for there."""
        return tuple(zip(self._spans, (p.gate for p in self._span_markers)))

    @cached_property
    def span_bits(self) -> tuple:
        """(span rule, its marker's bit in `gates` or None, its marker's `LineEnd` or None), in
        pack order."""
        return tuple((rule, self.gates.bit(g), line_end_gate(rule.marker.pattern, rule.vetted))
                     for rule, g in self.span_gates)

    @cached_property
    def drop_bits(self) -> tuple[int | None, ...]:
        """Each of the pack's drop rules' bit in `gates` (None: no gate there; the rule is tried
        wherever its prefilter lets a line through), in pack order."""
        prefiltered = {id(p) for p in self._drops + self._ends}
        return tuple(self.gates.bit(r.pattern.gate) if id(r.pattern) in prefiltered else None for r in self._rules[0])

    @cached_property
    def line_rules(self) -> tuple[tuple, ...]:
        """(rule, its bit, its hint words' bit, its pattern's `LineEnd`) for each line and block
        rule that is not an end marker nor a `last` rule, in pack order (a bit is None where there
        is no gate, a `LineEnd` where a line may end anyhow)."""
        return tuple((r, bit, self.gates.bit(hint_gate(r.hints)), line_end_gate(r.pattern.source, r.pattern.vetted))
                     for r, bit in zip(self._rules[0], self.drop_bits) if r.kind != "from_line" and r.scope != "last")

    @cached_property
    def end_rules(self) -> tuple[tuple, ...]:
        """(end marker rule, its bit or None), in pack order."""
        return tuple((r, bit) for r, bit in zip(self._rules[0], self.drop_bits) if r.kind == "from_line")

    @cached_property
    def closing_rules(self) -> tuple:
        """(rule, its gates, its `LineEnd`) for each `where = "last"` line rule, in pack order. The gates (built-in
        patterns only): the pattern's own literal gate and one per lookaround
        (`literals.lookaround_gates`); a line that one of them turns away is not searched. A
        closing rule is often made of lookaheads only (`^(?=.*\\.com)(?=.*\\bkami\\b)`), which
        the regex engine tries at every position of the line: the gates are far cheaper."""
        return tuple((r, tuple(g for g in (r.pattern.gate,) + lookaround_gates(r.pattern.source) if g is not None)
                      if r.pattern.vetted else (), line_end_gate(r.pattern.source, r.pattern.vetted))
                     for r in self._rules[0] if r.scope == "last" and r.kind == "line")

    @cached_property
    def closing_bits(self) -> tuple[int, ...]:
        """Each closing rule's gates (`closing_rules`) as the mask of their bits in `gates`: a line
        passes them all when its mask holds every bit of it (0 for a rule without gates)."""
        masks = []
        for _, gates, _ in self.closing_rules:
            need = 0
            for g in gates:
                need |= self.gates.bit(g)
            masks.append(need)
        return tuple(masks)

    @cached_property
    def field_bits(self) -> tuple[int | None, ...]:
        """Each field rule's bit in `gates` (for its `line` or its `after_line` pattern), in pack order."""
        return tuple(self.gates.bit((r.pattern or r.after).gate) for r in self._rules[1])

    @cached_property
    def field_ends(self) -> tuple[LineEnd | None, ...]:
        """Each field rule's `LineEnd` (of its `line` or its `after_line` pattern), in pack order."""
        return tuple(line_end_gate((r.pattern or r.after).source, (r.pattern or r.after).vetted) for r in self._rules[1])


def with_prefilters(pack: Pack) -> Pack:
    """The pack with its prefilters (after its includes are in: they cover every rule)."""
    return replace(pack, prefilters=Prefilters(pack))


def hint_gate(hints: tuple[str, ...]) -> Gate | None:
    """A rule's hint words as a literal gate, or None. The gate tests the casefolded line, the
    hint words the lower-cased one: for ASCII words the first holds a word wherever the second
    does (a character whose `lower()` holds an ASCII letter has the same `casefold()`), so the
    gate never turns away a line holding a hint word. Words with other letters get no gate."""
    return Gate(needs=tuple(sorted(set(hints)))) if hints and all(h.isascii() for h in hints) else None


@lru_cache(maxsize=None)
def hint_pattern(hints: tuple[str, ...]):
    """The lines a rule with `hint` words is tried on: plain literals, which `re` finds fastest."""
    return re.compile("|".join(map(re.escape, hints)))
