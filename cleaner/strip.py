"""Applying a pack to a page's lines: a sequence of named phases over one `PageState`.

Each phase reads the state and removes lines through `state.drop` (the first reason given for a
line stands) or sets fields. `PHASES` is the order they run in; adding a kind of rule is adding
a function `(state) -> None` and its place in `PHASES`.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import compress
from operator import itemgetter
from typing import Callable, NamedTuple

from . import structure
from .dates import parse_date
from .prefilter import hint_pattern
from .rulepack import FIELD_NAMES, LONG_LINE, REGEX_TIMEOUT, DropRule, FieldRule, Pack, Pattern, RuleTimeout
from .spans import Cut, SpanTimeout, cut_spans
from .textnorm import single_spaced


class LineFate(NamedTuple):
    """One line of a page in the trace: its text, and the category and rule that removed it
    (both None for a kept line)."""

    text: str
    category: str | None
    rule: str | None


@dataclass
class Stripped:
    """What a pack made of a page: kept lines, fields, and why each removed line went."""

    lines: list[str]
    fields: dict[str, str | None]
    removed: dict[str, int]
    trace: list[LineFate] | None  # with_trace: one entry per line of the page, by position


class PageState:
    """A page while a pack is applied: its lines, what is removed and why, the fields found.
    (A plain class: the dataclass's generated `__init__`, its default factories and a
    `__post_init__` were a page's Python steps for nothing.)"""

    def __init__(self, pack: Pack, lines: list[str], known: dict, single_spaced: bool = False) -> None:
        self.pack = pack
        self.lines = lines  # the page's lines, as given
        self.known = known  # fields the input already names (a title)
        self.single_spaced = single_spaced  # the lines are `textnorm.split_lines` output, uncut (`structure.story_flags`)
        self.start = self.end = 0  # the story is lines[start:end]
        self.explicit = False  # the start is a dateline or follows a byline: the head may be cut
        self.end_rule: DropRule | None = None  # the end marker that closes the story
        self.spans_cut: list[tuple[int, list[Cut]]] = []  # (line index, its cut spans)
        self.span_counts: dict[str, int] = {}
        self.boxes: list = []  # (marker, resume, rule): a related box the story goes on after
        self.fields: dict = dict.fromkeys(FIELD_NAMES)
        for name in known:  # (the input names a title, most often)
            if name in self.fields:
                self.fields[name] = known[name]
        # set by `set_lines`: `text` (the lines as they will be kept: a field's match may be cut
        # out), `why` ((category, rule label) once a line is removed, else None), `gates` (each
        # line's mask of the literal gates it passes, `PageGates.masks`), `candidate` (False: no
        # rule of the pack can match the line), `candidates` (the indexes of those that are one),
        # `_story` (`story_flags` of the lines, once a phase asks: `story`)
        self.set_lines(lines)

    def set_lines(self, lines: list[str], origin: list[int] | None = None) -> None:
        """The page's lines (again, once spans are cut out of them): every later phase sees these.
        `origin`: where each of them was in the lines before (from 1; 0: a piece a cut made), if
        known (else each line is looked up among them by its text)."""
        prefilters = self.pack.prefilters
        if prefilters is None:
            raise ValueError(f"{self.pack.label}: not compiled: apply a pack made by packload.compile_pack")
        if lines is self.lines:
            gates = prefilters.gates.masks(lines)
            candidate = prefilters.any.verdicts(lines, gates, LONG_LINE)
        else:  # a line's gates and verdict are its text's alone: the lines no cut changed keep theirs
            self.single_spaced = False  # a cut may leave two spaces in a row, or one at an end
            if origin is None:
                gates, candidate = _carried_over(self.lines, self.gates, self.candidate, lines, prefilters)
            else:
                gates, candidate = _picked_over(self.gates, self.candidate, lines, origin, prefilters)
        self.lines, self.gates, self.candidate = lines, gates, candidate
        self._story = None
        self.text = list(lines)
        self.why = [None] * len(lines)
        self.candidates = list(compress(range(len(candidate)), candidate))

    @property
    def story(self) -> list[bool]:
        """Which lines are full sentences of story (`structure.is_story_line`), asked by several
        phases: worked out once per page."""
        if self._story is None:
            self._story = structure.story_flags(self.lines, self.pack.structure.story_min_words, self.single_spaced)
        return self._story

    def drop(self, i: int, category: str, label: str) -> None:
        if self.why[i] is None:
            self.why[i] = (category, label)

    def scope_ranges(self) -> tuple[tuple[int, int], ...]:
        """The lines (`lo <= i < hi`) a rule of each scope applies to, by `SCOPE_AT`: all, head,
        body (and last), tail. A phase with many rules works them out once."""
        n = len(self.lines)
        return (0, n), (0, self.start), (self.start, self.end), (self.end, n)

    def scope_range(self, scope: str) -> tuple[int, int]:
        """The lines (`lo <= i < hi`) a rule of this scope applies to: one range test a line."""
        return self.scope_ranges()[SCOPE_AT[scope]]

    def result(self, with_trace: bool) -> Stripped:
        if self.fields.get("date"):
            self.fields["date"] = parse_date(self.fields["date"], self.pack.timezone)
        kept, removed = [line for line, why in zip(self.text, self.why) if why is None], dict(self.span_counts)
        if len(kept) < len(self.why):  # some line went: count them by category
            for why in self.why:
                if why is not None:
                    removed[why[0]] = removed.get(why[0], 0) + 1
        trace = [LineFate(self.text[i], None, None) if why is None else LineFate(self.lines[i], *why)
                 for i, why in enumerate(self.why)] if with_trace else None
        if trace is not None:  # each cut span, with its rule, before what is left of its line
            for at, cuts in reversed(self.spans_cut):
                trace[at:at] = [LineFate(f"…{c.text}…", c.rule.category, f"{c.rule.label}, cut from the line")
                                for c in cuts]
        return Stripped(kept, self.fields, dict(sorted(removed.items())), trace)


def _carried_over(before: list[str], gates: list[int], candidate: list[bool], lines: list[str],
                  prefilters) -> tuple[list[int], list[bool]]:
    """The gates and verdicts of `lines`, where those of the lines `before` are known (in
    `gates`, `candidate`): `_picked_over`, each line's place before found by its text (a line
    not found there, a piece of a cut line, is worked out)."""
    at = dict(zip(before, range(1, len(before) + 1)))  # (from 1: 0 is a new line)
    return _picked_over(gates, candidate, lines, [at.get(line, 0) for line in lines], prefilters)


def _picked_over(gates: list[int], candidate: list[bool], lines: list[str], origin: list[int],
                 prefilters) -> tuple[list[int], list[bool]]:
    """The gates and verdicts of `lines`, where those of the lines before are known (in `gates`,
    `candidate`) and so is the place of each line among them (`origin`, from 1; 0 for a new
    piece): the new pieces are worked out and numbered after the lines before, and the lists are
    read by index in C loops (no Python step a line)."""
    if 0 in origin:
        new = [line for line, was in zip(lines, origin) if not was]
        new_gates = prefilters.gates.masks(new)
        gates, candidate = gates + new_gates, candidate + prefilters.any.verdicts(new, new_gates, LONG_LINE)
        numbers = iter(range(len(candidate) - len(new) + 1, len(candidate) + 1))
        origin = [was or next(numbers) for was in origin]
    if len(origin) < 2:  # (`itemgetter` of one index gives the item, not a tuple of it)
        return [gates[i - 1] for i in origin], [candidate[i - 1] for i in origin]
    pick = itemgetter(*origin)
    return list(pick([0, *gates])), list(pick([False, *candidate]))


def _first(lines: list[str], patterns: tuple[Pattern, ...]) -> int | None:
    if patterns:
        for i, line in enumerate(lines):
            if len(line) <= LONG_LINE:
                for p in patterns:  # (a loop: a generator for each line cost more than its searches' Python)
                    if p.search(line, None, None, False) is not None:  # (`concurrent` false: see `line_and_block_rules`)
                        return i
    return None


def spans(state: PageState) -> None:
    """Boilerplate glued inside a line is cut out of it (`[[span]]` rules). Two paragraphs the
    scrape had glued become two lines again; a line that was all boilerplate is gone. The
    phases after this one see the lines as the cuts left them."""
    pack = state.pack
    marker = pack.prefilters.spans if pack.prefilters is not None else None
    if not pack.spans or marker is None:
        return
    marked = marker.admitted(state.lines, state.gates)  # also long lines: a scrape may glue a whole article into one
    if not marked:
        return
    lines, gates, span_bits = state.lines, state.gates, pack.prefilters.span_bits
    picked, bits = _span_plan(span_bits)
    cut: dict[int, tuple] = {}  # line index: (what is left of it, the spans cut out of it)
    for at in marked:
        line = lines[at]
        on = picked.get(gates[at] & bits)
        if on is None:
            on = _span_rules_on(span_bits, gates[at])
        rules = []  # (a loop: a comprehension is a function call, for one rule most of the time)
        for rule, end in on:
            if end is None or end.admits(line):
                rules.append(rule)
        if not rules:  # each marker's line end turns the line away: it stays as `cut_spans` leaves an uncut line
            continue
        try:
            rest, cuts = cut_spans(rules, line, REGEX_TIMEOUT)
        except SpanTimeout as exc:
            raise RuleTimeout(str(exc)) from None
        if cuts:
            cut[at] = rest, cuts
    if not cut:  # the lines stay as they are
        return
    out: list[str] = []
    origin: list[int] = []  # where each line of `out` was in `lines` (from 1), 0 for a piece of a cut line
    done = 0
    for at in marked:  # a marked line is split at its line breaks, cut or not, as `cut_spans` leaves it
        rest, cuts = cut.get(at) or (lines[at], None)
        if cuts is None and rest and "\n" not in rest:  # (most) it stays as it is: taken with the lines after it
            continue
        out.extend(lines[done:at])
        origin.extend(range(done + 1, at + 1))
        done = at + 1
        if cuts:
            state.spans_cut.append((len(out), cuts))
            for c in cuts:
                state.span_counts[c.rule.category] = state.span_counts.get(c.rule.category, 0) + 1
        if rest:  # (a line cut whole leaves none)
            pieces = list(filter(None, rest.split("\n")))
            out.extend(pieces)
            origin.extend([0] * len(pieces))
    out.extend(lines[done:])
    origin.extend(range(done + 1, len(lines) + 1))
    # still `split_lines` output when the pieces of the cut lines are spaced as it spaces them (a
    # few lines checked spare the page's word counts; a line cut whole leaves none)
    spaced = state.single_spaced and all(
        piece.isprintable() and single_spaced(piece) is piece for rest, _ in cut.values() if rest for piece in rest.split("\n"))
    state.set_lines(out, origin)
    state.single_spaced = spaced


def story_bounds(state: PageState) -> None:
    """Where the story starts and ends.

    The start is the first dateline (`[story] start`), else the line after a byline
    (`[story] start_after`): then `explicit` is true and the head may be cut. Without either,
    the head is what comes before the first full sentence, and nothing is cut. The end is the
    first end-of-article marker (a `from_line` rule) after the start that more story does not
    follow: a marker before the start, or with more words of full sentences after it than
    between the start and it, heads a box printed above or inside the story (a related-stories
    box). Such a box, from its marker to the next full sentence, goes in `boxes`: its heading
    and headlines go, the story stays.
    """
    pack, lines = state.pack, state.lines
    start = _first(lines, pack.story_start)
    explicit = start is not None
    if start is None:
        after = _first(lines, pack.story_start_after)
        if after is not None and after + 1 < len(lines):
            start, explicit = after + 1, True
    if start is None:  # the first full sentence (`story` holds bools)
        try:
            start = state.story.index(True)
        except ValueError:
            start = 0
    state.start, state.end, state.explicit = start, len(lines), explicit
    ends = pack.prefilters.end_rules
    if not ends:
        return
    story_words = None
    possible = pack.prefilters.ends.admitted(lines, state.gates, state.candidates)
    k, i = 0, 0
    while k < len(possible):
        if possible[k] < i:  # inside a box already passed over
            k += 1
            continue
        i = possible[k]
        gates = state.gates[i]
        rule = next((r for r, bit in ends if (bit is None or gates & bit) and r.pattern.search(lines[i], None, None, False)), None)
        if rule is None:
            k += 1
            continue
        if story_words is None:
            story_words = [len(line.split()) if story else 0 for line, story in zip(lines, state.story)]
        if i > start and sum(story_words[i + 1:]) <= sum(story_words[start:i]):
            state.end, state.end_rule = i, rule
            return
        resume = next((j for j in range(i + 1, len(lines)) if story_words[j]), None)
        if resume is None:  # a marker before the start with nothing after it to guard
            k += 1
            continue
        state.boxes.append((i, resume, rule))
        i = resume + 1


def line_and_block_rules(state: PageState) -> None:
    """Line and block rules, in pack order (head and tail cuts come after the fields); each rule
    is tried only on the lines the prefilter (or its hint words) left as possible."""
    pack, lines, why, gates = state.pack, state.lines, state.why, state.gates
    maybe = pack.prefilters.lines.admitted(lines, gates, state.candidates)
    lowered: list[str] | None = None
    page_lowered: str | None = None
    on_page = on_maybe = 0  # the gates some line of the page (some line in `maybe`) passes
    for g in gates:
        on_page |= g
    for i in maybe:
        on_maybe |= gates[i]
    ranges, n = state.scope_ranges(), len(lines)
    for rule, bit, hint_bit, end in _line_rules_on(pack.prefilters.line_rules, on_page, on_maybe):
        if hint_bit is not None:  # tried only where one of its hint words occurs (the prefilter leaves it out)
            hint = hint_pattern(rule.hints)
            tried = [i for i, line in enumerate(lines)
                     if gates[i] & hint_bit and len(line) <= LONG_LINE and hint.search(line.lower())]
        elif rule.hints:  # hint words the gates cannot hold: looked for as they are
            lowered = lowered or [line.lower() for line in lines]
            page_lowered = page_lowered or "\n".join(lowered)
            if not any(h in page_lowered for h in rule.hints):  # most pages hold none: one look each
                continue
            hint = hint_pattern(rule.hints)
            tried = [i for i, low in enumerate(lowered) if len(low) <= LONG_LINE and hint.search(low)]
        else:  # (`maybe`, its gate and its line end asked in the loop below: no list of its own)
            tried = maybe
        done_to = -1  # a block's lines are not tried again by the same rule
        lo, hi = ranges[SCOPE_AT[rule.scope]]
        scoped = lo > 0 or hi < n  # (most rules apply to every line: no range test a line)
        search = rule.pattern.search
        admits = end.admits if end is not None else None  # the lines its pattern may end
        for i in tried:  # (its gate first: most lines in `maybe` are there for another rule's gate)
            if bit is not None and not gates[i] & bit or why[i] is not None or i <= done_to:
                continue
            if scoped and not lo <= i < hi:
                continue
            # (no `pos`, `endpos`; `concurrent` false: the engine keeps the GIL through the match
            # instead of letting it go and taking it back, ~1k instructions a call; a run's
            # Python is one thread. Passed by position, as keywords are parsed at more cost)
            if admits is not None and not admits(lines[i]) or not search(lines[i], None, None, False):
                continue
            if rule.kind == "line":  # (`state.drop`: no reason was given yet, see above)
                why[i] = (rule.category, rule.label)
                continue
            last = _block_end(rule, lines, i)
            if last is not None:
                for j in range(i, last + 1):
                    state.drop(j, rule.category, rule.label)
                done_to = last


# a rule scope's place in `PageState.scope_ranges`
SCOPE_AT = {"all": 0, "head": 1, "body": 2, "last": 2, "tail": 3}


# (which rules, id(a pack's table of them, such as `Prefilters.line_rules`)) -> (that table, {key: what
# was picked of it}); the kind of rules is in the key as two packs' empty tables are one object
_PICKED: dict[tuple, tuple] = {}


def _picked(kind: str, table: tuple) -> dict:
    """The memo of what was picked of a pack's rule table (by the gate bits a page or a line
    passes): a page needs few of a pack's rules, and pages pass few combinations of their bits."""
    memo = _PICKED.get((kind, id(table)))
    if memo is None or memo[0] is not table:
        if len(_PICKED) > 64:  # packs compiled again and again (tests): keep few
            _PICKED.clear()
        memo = _PICKED[kind, id(table)] = (table, {})
    picked = memo[1]
    if len(picked) > 4096:
        picked.clear()
    return picked


def _bits_of(table: tuple, at: int) -> int:
    """The union of the bits in column `at` of a rule table (None: no bit)."""
    bits = 0
    for entry in table:
        bits |= entry[at] or 0
    return bits


def _line_rules_on(line_rules: tuple, on_page: int, on_maybe: int) -> tuple:
    """The line rules a page may need, in pack order: all but those whose hint words' gate no line
    of the page passes, or whose own gate no line in `maybe` passes (most rules, most pages). A
    page's rules depend only on which of these few bits it passes: worked out once for each."""
    picked = _picked("line", line_rules)
    bits = picked.get(None)
    if bits is None:  # the bits the rules ask of the page (hint words), of the lines in `maybe` (gates)
        bits = picked[None] = (_bits_of(line_rules, 2),
                               _bits_of([entry for entry in line_rules if entry[2] is None], 1))
    key = (on_page & bits[0], on_maybe & bits[1])
    rules = picked.get(key)
    if rules is None:
        rules = picked[key] = tuple(
            entry for entry in line_rules
            if (entry[2] & key[0] if entry[2] is not None else entry[0].hints or entry[1] is None or entry[1] & key[1]))
    return rules


def _span_plan(span_bits: tuple) -> tuple[dict, int]:
    """The memo of `_span_rules_on` (by the bits of a line's gates its rules test), and those bits."""
    picked = _picked("span", span_bits)
    bits = picked.get(None)
    if bits is None:
        bits = picked[None] = _bits_of(span_bits, 1)
    return picked, bits


def _span_rules_on(span_bits: tuple, gates: int) -> tuple:
    """(span rule, its marker's `LineEnd`) of each span rule whose marker's gate a line with these
    gates passes, in pack order."""
    picked, bits = _span_plan(span_bits)
    key = gates & bits
    rules = picked.get(key)
    if rules is None:
        rules = picked[key] = tuple((rule, end) for rule, bit, end in span_bits if bit is None or bit & key)
    return rules


def _block_end(rule: DropRule, lines: list[str], i: int) -> int | None:
    """Index of a block's last line, or None when an `end` block never closes (then nothing goes)."""
    limit = min(len(lines), i + 1 + rule.max_lines)
    if rule.end is not None:
        for j in range(i, limit):
            if rule.end.search(lines[j]):
                return j
        return None
    j = i
    while j + 1 < limit and rule.follow.search(lines[j + 1]):
        j += 1
    return j


def structure_in_story(state: PageState) -> None:
    """Caption pairs and repeated lines, on what is left before the end marker (the tail goes
    whole anyway)."""
    st, before_end = state.pack.structure, state.lines[:state.end]
    if st.caption_pairs:
        structure.caption_pairs(st, before_end, state.why, state.drop, state.start)
    if st.repeated_min_chars:
        structure.repeated_lines(st, before_end, state.why, state.drop, state.start, state.story)
        structure.glued_copies(st, before_end, state.why, state.drop, state.story)


def closing_rules(state: PageState) -> None:
    """`where = "last"` rules: only the closing run of the page, back to its last kept line."""
    prefilters = state.pack.prefilters
    closing = prefilters.closing_rules
    if not closing:
        return
    lines, gates, needs = state.lines, state.gates, prefilters.closing_bits
    for i in range(state.end - 1, -1, -1):
        if state.why[i] is not None:
            continue
        line = lines[i]
        if len(line) > LONG_LINE:
            break
        rule = _closing_rule(closing, line, gates[i], needs)
        if rule is None:
            break
        state.drop(i, rule.category, rule.label)


def _closing_rule(closing: tuple, line: str, mask: int, needs: tuple[int, ...]) -> DropRule | None:
    """The first closing rule that matches the line: tried only where its line end and its
    gates let it. The gates are the page's (`PageGates`, which holds them): a line's `mask`
    holds every bit of a rule's `needs` when each of its gates lets the line through (no line
    folded, no gate asked here)."""
    for (rule, _, end), need in zip(closing, needs):
        if mask & need != need or end is not None and not end.admits(line):
            continue
        if rule.pattern.search(line, None, None, False):  # (`concurrent` false: see `line_and_block_rules`)
            return rule
    return None


def field_rules(state: PageState) -> None:
    """Each field rule takes one line (first, last or longest); the first rule to give a field
    its value wins, and the line (or just the match) leaves the text either way. A line that
    reads as a story sentence (`structure.reads_as_story`) is never the title, and neither is
    a line already removed as boilerplate (a promo above the headline)."""
    pack, known_title = state.pack, state.known.get("title")
    text_gates, among = state.gates, state.candidates  # (no phase before this one cuts a match out of a line)
    if state.text != state.lines:  # a field's match cut out of a line: the gates of what is left
        changed = [i for i, (line, original) in enumerate(zip(state.text, state.lines)) if line != original]
        text_gates = list(state.gates)
        for i, gates in zip(changed, pack.prefilters.gates.masks([state.text[i] for i in changed])):
            text_gates[i] = gates
        among = sorted(set(state.candidates).union(changed))
    maybe = pack.prefilters.fields.admitted(state.text, text_gates, among)
    on_text = on_lines = 0  # the gates some line in `maybe` passes (as it is now; as given)
    for i in maybe:
        on_text |= text_gates[i]
        on_lines |= state.gates[i]
    ranges = state.scope_ranges()
    for rule, bit, end in _field_rules_on(pack, bool(known_title), on_lines, on_text):
        # only the lines its own gate lets through, if it has one (`after_line`: the line as given)
        gates = None if bit is None else state.gates if rule.after is not None else text_gates
        found = _field_candidates(rule, state, maybe, end, ranges[SCOPE_AT[rule.scope]], gates, bit)
        if rule.name == "title":  # a standfirst or a dateline sentence is story, never the headline
            found = [c for c in found if not structure.reads_as_story(c[1], pack.story_start)]
        if found:
            _take_field(rule, state, *_pick(rule.pick, found))


def _field_rules_on(pack: Pack, known_title: bool, on_lines: int, on_text: int) -> tuple:
    """(field rule, its bit, its `LineEnd`) of each field rule a page may need, in pack order: not
    the title's when the input names the headline (only a line equal to it goes: `known_title`),
    nor one whose gate no line in `maybe` passes (`on_lines` for an `after_line` rule, which
    looks at the line as given, else `on_text`). Worked out once for each combination of bits."""
    table = pack.prefilters.field_bits
    picked = _picked("field", table)
    bits = picked.get(None)
    if bits is None:  # the bits the `after_line` rules ask (of the lines as given), the others (of the text)
        rules = list(zip(pack.fields, table, pack.prefilters.field_ends))
        bits = picked[None] = (rules, _bits_of([r for r in rules if r[0].after is not None], 1),
                               _bits_of([r for r in rules if r[0].after is None], 1))
    rules, after_bits, line_bits = bits
    key = (known_title, on_lines & after_bits, on_text & line_bits)
    found = picked.get(key)
    if found is None:
        found = picked[key] = tuple(
            (rule, bit, end) for rule, bit, end in rules
            if not (rule.name == "title" and known_title)
            and (bit is None or bit & (key[1] if rule.after is not None else key[2])))
    return found


def _take_field(rule: FieldRule, state: PageState, i: int, value: str, m, label_line: int | None) -> None:
    fields, text = state.fields, state.text
    if fields.get(rule.name) is None:
        fields[rule.name] = value
    if m is not None:  # one line may carry several fields: `Name • 17 Januari 2024`
        for other, v in m.groupdict().items():
            if other in FIELD_NAMES and v and fields.get(other) is None:
                fields[other] = " ".join(v.split())
    if label_line is not None:
        state.drop(label_line, rule.name, rule.label)
    if rule.remove == "line":
        state.drop(i, rule.name, rule.label)
    elif rule.remove == "match":
        text[i] = (text[i][: m.start()] + text[i][m.end():]).strip()
        if not text[i]:
            state.drop(i, rule.name, rule.label)


def _field_candidates(rule: FieldRule, state: PageState, maybe: list[int], end=None, scope: tuple[int, int] | None = None,
                      gates: list[int] | None = None, bit: int = 0) -> list[tuple]:
    """(line index, value, match, label line) for every line the rule matches, of the lines
    (indexes, in order) in `maybe`; `end`: its pattern's `LineEnd`, if any; `scope`: the rule's
    `state.scope_range`, if known; `gates`: only the lines whose gates hold `bit`."""
    lines, text, why = state.lines, state.text, state.why
    found = []
    lo, hi = scope or state.scope_range(rule.scope)
    admits = end.admits if end is not None else None
    after = rule.after
    search = (after if after is not None else rule.pattern).search
    for i in maybe:
        if why[i] is not None or not lo <= i < hi or gates is not None and not gates[i] & bit:
            continue
        line = lines[i] if after is not None else text[i]  # (`after_line`: the line as given)
        if admits is not None and not admits(line):
            continue
        m = search(line, None, None, False)  # (`concurrent` false: see `line_and_block_rules`)
        if m is None:
            continue
        if after is not None:
            nxt = next((j for j in range(i + 1, len(lines)) if why[j] is None), None)
            if nxt is not None:
                found.append((nxt, " ".join(lines[nxt].split()), None, i))
            continue
        groups = m.groupdict()
        value = groups.get("value") or groups.get(rule.name) or m.group(0)
        found.append((i, " ".join(value.split()), m, None))
    return found


def _pick(how: str, found: list[tuple]) -> tuple:
    if how == "longest":
        return max(found, key=lambda c: len(c[1]))
    return found[-1] if how == "last" else found[0]


def known_title(state: PageState) -> None:
    """The headline the input names is not repeated in the text."""
    title = state.known.get("title")
    if title:
        headline = " ".join(title.split())
        if headline not in state.lines:  # most pages: no line is the headline (one look, in C)
            return
        for i, line in enumerate(state.lines):
            if state.why[i] is None and line == headline:
                state.drop(i, "title", "input title")


def head_and_tail(state: PageState) -> None:
    """The head before an explicit dateline, the tail from an end marker, related boxes."""
    if state.explicit:
        for i in range(state.start):
            state.drop(i, state.pack.head_category, f"{state.pack.label}: [story]")
    if state.end_rule is not None:
        for i in range(state.end, len(state.lines)):
            state.drop(i, state.end_rule.category, state.end_rule.label)
    for first, resume, rule in state.boxes:  # a box above the story: its heading and headlines, not the story
        for i in range(first, resume):
            state.drop(i, rule.category, rule.label)


def nav_runs(state: PageState) -> None:
    """Short runs at the edges of the story: menus, share bars, tag lists."""
    if state.pack.structure.nav_max_words:
        structure.nav_runs(state.pack.structure, state.lines, state.why, state.drop, state.story)


Phase = Callable[[PageState], None]
PHASES: tuple[Phase, ...] = (
    spans, story_bounds, line_and_block_rules, structure_in_story, closing_rules, field_rules, known_title,
    head_and_tail, nav_runs,
)


def apply_pack(pack: Pack, lines: list[str], known: dict[str, str | None] | None = None,
               with_trace: bool = False, single_spaced: bool = False) -> Stripped:
    """Run the pack over normalised, non-empty lines. Pure: same lines in, same result out.
    `single_spaced`: the lines are `textnorm.split_lines` output as it returned them (a
    promise the caller makes; it spares a word count per line, the result is the same)."""
    state = PageState(pack, lines, dict(known or {}), single_spaced)
    for phase in PHASES:
        phase(state)
    return state.result(with_trace)
