"""The rule engine's phases against their earlier definitions, kept here: the faster paths
must leave a page's state exactly as the old code did."""

from __future__ import annotations

import copy

from cleaner import strip
from cleaner.literals import fold
from cleaner.packload import compile_pack, load_packs, parse_pack
from cleaner.prefilter import hint_pattern
from cleaner.rulepack import LONG_LINE, REGEX_TIMEOUT
from cleaner.spans import cut_spans
from cleaner.textnorm import single_spaced
from test_literals import _pages


def _spans_as_first_written(state: strip.PageState) -> None:
    """`strip.spans` before a marked line whose markers' line ends all turn it away skipped `cut_spans`."""
    pack = state.pack
    marked = pack.prefilters.spans.admitted(state.lines, state.gates)
    out, done = [], 0
    for at in marked:
        out.extend(state.lines[done:at])
        done = at + 1
        line, gates = state.lines[at], state.gates[at]
        rules = tuple(rule for rule, bit, end in pack.prefilters.span_bits
                      if (bit is None or gates & bit) and (end is None or end.admits(line)))
        rest, cuts = cut_spans(rules, line, REGEX_TIMEOUT)
        if cuts:
            state.spans_cut.append((len(out), cuts))
            for c in cuts:
                state.span_counts[c.rule.category] = state.span_counts.get(c.rule.category, 0) + 1
        out.extend(piece for piece in rest.split("\n") if piece)
    out.extend(state.lines[done:])
    if state.spans_cut:
        state.set_lines(out)


def _field_rules_as_first_written(state: strip.PageState) -> None:
    """`strip.field_rules` before it skipped the text's own gates where no match was cut out yet."""
    pack, known_title = state.pack, state.known.get("title")
    changed = [i for i, (line, original) in enumerate(zip(state.text, state.lines)) if line != original]
    text_gates = list(state.gates)
    if changed:
        for i, gates in zip(changed, pack.prefilters.gates.masks([state.text[i] for i in changed])):
            text_gates[i] = gates
    maybe = pack.prefilters.fields.admitted(state.text, text_gates, sorted(set(state.candidates).union(changed)))
    on_text = on_lines = 0
    for i in maybe:
        on_text |= text_gates[i]
        on_lines |= state.gates[i]
    for rule, bit, end in zip(pack.fields, pack.prefilters.field_bits, pack.prefilters.field_ends):
        if rule.name == "title" and known_title:
            continue
        if bit is not None:
            gates, on = (state.gates, on_lines) if rule.after is not None else (text_gates, on_text)
            if not on & bit:
                continue
            found = _field_candidates_as_first_written(rule, state, [i for i in maybe if gates[i] & bit], end)
        else:
            found = _field_candidates_as_first_written(rule, state, maybe, end)
        if rule.name == "title":
            found = [c for c in found if not strip.structure.reads_as_story(c[1], pack.story_start)]
        if found:
            strip._take_field(rule, state, *strip._pick(rule.pick, found))


def _field_candidates_as_first_written(rule, state, maybe, end=None):
    """`strip._field_candidates` before it was given the rule's scope range and its gate."""
    lines, text, why = state.lines, state.text, state.why
    found = []
    lo, hi = state.scope_range(rule.scope)
    for i in maybe:
        if why[i] is not None or not lo <= i < hi:
            continue
        if rule.after is not None:
            if (end is None or end.admits(lines[i])) and rule.after.search(lines[i]):
                nxt = next((j for j in range(i + 1, len(lines)) if why[j] is None), None)
                if nxt is not None:
                    found.append((nxt, " ".join(lines[nxt].split()), None, i))
            continue
        m = rule.pattern.search(text[i]) if end is None or end.admits(text[i]) else None
        if m:
            groups = m.groupdict()
            value = groups.get("value") or groups.get(rule.name) or m.group(0)
            found.append((i, " ".join(value.split()), m, None))
    return found


def _state(state: strip.PageState) -> tuple:
    return (state.lines, state.text, state.why, state.fields, state.gates, state.candidate, state.spans_cut,
            state.span_counts)


def _phases(pack, lines, until):
    state = strip.PageState(pack, lines, {})
    for phase in strip.PHASES[:strip.PHASES.index(until)]:
        phase(state)
    return state


# pages whose lines a span rule cuts: in part, whole (a marker alone on its line), or not at all
# though marked (before and after a cut one, with and without line breaks, empty)
SPAN_PAGES = [["Baca juga: Harga Naik di RusiaKemudian pejabat itu mengatakan", "Ia pergi. Foto/Ali Bakri",
               "x" * (LONG_LINE + 5) + ". Sumber: Antara"],
              # marked lines holding line breaks, uncut, on a page where another line is cut
              ["Baca juga: Harga Naik di RusiaKemudian pejabat itu mengatakan", "Dia (kpl/eri) pergi.\n\nLalu",
               "Baca juga\nini", "Ia pergi (kpl/eri).\nFoto/Ali Bakri", "Ia pergi.\n(kpl/eri)"],
              ["Dia (kpl/eri) pergi ke pasar.", "Baca juga:", "Harga Naik di Rusia", "Ia (AB) pergi lagi ke kota itu.",
               "Baca juga: Harga Naik", "Dia pergi. Foto/Ali Bakri", "Ia (kpl) pergi.", "Baca juga:"],
              ["Baca juga:", "Ia pergi ke pasar pagi tadi dengan ibunya.", "Dia (kpl/eri) pergi.", "Baca Juga: Harga Naik"],
              ["Dia (kpl/eri) pergi.", "", "(kpl)", "Baca juga:", "Ia (kpl) pergi."]]


def test_spans_phase_is_what_it_was_on_every_fixture_page():
    pages = _pages() + SPAN_PAGES
    users = compile_pack(parse_pack(  # a user's span rule (not vetted: no literal gate)
        'name = "spansonly"\nlanguages = ["id"]\n[[span]]\ncategory = "promo"\nmarker = \'\\(kpl\\)\'\nend = "marker"\n',
        "spansonly.toml"), {})
    cut = 0
    for pack in [*load_packs().values(), users]:
        for lines in pages:
            state, old = strip.PageState(pack, lines, {}), strip.PageState(pack, lines, {})
            strip.spans(state)
            _spans_as_first_written(old)
            assert _state(state) == _state(old), (pack.name, lines[:3])
            cut += bool(state.spans_cut)
    assert cut > 20


def _cut_pages(lines: list[str]) -> list[list[str]]:
    """Lines a cut could leave of a page: whole lines dropped, lines cut in two (new pieces), a piece
    that repeats another line's text, lines kept as they are (other objects of the same text)."""
    halves = [piece for line in lines for piece in (line[:len(line) // 2], line[len(line) // 2:]) if piece]
    return [lines[::2], lines[1::3], halves, lines[:1] + halves[::3] + lines[2:], halves[:1] + lines[1:],
            [str(line[:1] + line[1:]) for line in lines[::-1]] + lines[-1:] * 2, []]


def test_set_lines_carries_over_exactly_what_a_fresh_state_of_the_cut_lines_works_out():
    """`set_lines` after a cut gives each line the gates and verdict it keeps from before or the
    new ones of a new line: all as `PageState` works them out anew for the cut lines."""
    carried = new = 0
    for pack in load_packs().values():
        for lines in _pages() + SPAN_PAGES:
            cut_by_spans = strip.PageState(pack, lines, {})
            strip.spans(cut_by_spans)
            for cut in [*_cut_pages(lines), cut_by_spans.lines]:
                state = strip.PageState(pack, lines, {})
                state.set_lines(cut)
                fresh = strip.PageState(pack, list(cut), {})
                assert (state.lines, state.gates, state.candidate, state.candidates, state.text, state.why) == (
                    fresh.lines, fresh.gates, fresh.candidate, fresh.candidates, fresh.text, fresh.why), (pack.name, cut[:3])
                assert not state.single_spaced
                carried += sum(line in lines for line in cut)
                new += sum(line not in lines for line in cut)
    assert carried > 10_000 and new > 10_000


def test_field_rules_are_what_they_were_on_every_fixture_page_with_and_without_matches_cut_out():
    pages = _pages()
    taken = again = 0
    for pack, known in [(pack, known) for pack in load_packs().values() for known in ({}, {"title": "Judul"})]:
        for lines in pages:
            state = _phases(pack, lines, strip.field_rules)
            state.known = known
            old = copy.copy(state)
            old.text, old.why, old.fields = list(state.text), list(state.why), dict(state.fields)
            strip.field_rules(state)
            _field_rules_as_first_written(old)
            assert _state(state) == _state(old), (pack.name, lines[:3])
            taken += sum(v is not None for v in state.fields.values())
            if state.text != state.lines:  # a match was cut out: the fields again, on the text as it is now
                again += 1
                state.fields = {name: None for name in state.fields}
                old.fields = {name: None for name in old.fields}
                strip.field_rules(state)
                _field_rules_as_first_written(old)
                assert _state(state) == _state(old), (pack.name, lines[:3])
    assert taken > 100 and again > 5


def _comparable(found: list[tuple]) -> list[tuple]:
    """Candidates with each match as what it matched where (two matches are never equal)."""
    return [(i, value, m if m is None else (m.re.pattern, m.span(), m.groupdict()), label) for i, value, m, label in found]


def test_field_candidates_are_what_they_were_where_the_text_is_not_the_line():
    """A field rule's pass over the lines (its scope range and gate handed in, its pattern or its
    `after_line` looked for once a rule) finds what the first definition found, on pages whose
    text (the lines in reverse) is not their lines: an `after_line` rule reads the line as given,
    the others the text."""
    found = {"after": 0, "line": 0}
    for pack in load_packs().values():
        for lines in _pages():
            state = _phases(pack, lines, strip.field_rules)
            state.text = state.lines[::-1]
            maybe = list(range(len(state.lines)))
            ranges = state.scope_ranges()
            for rule, bit, end in zip(pack.fields, pack.prefilters.field_bits, pack.prefilters.field_ends):
                gates = None if bit is None else state.gates
                expected = _field_candidates_as_first_written(
                    rule, state, maybe if gates is None else [i for i in maybe if gates[i] & bit], end)
                got = strip._field_candidates(rule, state, maybe, end, ranges[strip.SCOPE_AT[rule.scope]], gates, bit or 0)
                assert _comparable(got) == _comparable(expected), (pack.name, rule.label, lines[:3])
                assert _comparable(strip._field_candidates(rule, state, maybe, end)) == _comparable(
                    _field_candidates_as_first_written(rule, state, maybe, end)), (pack.name, rule.label, lines[:3])
                found["after" if rule.after is not None else "line"] += len(got)
    assert found["after"] > 0 and found["line"] > 50, found


def _story_start_as_first_written(state: strip.PageState) -> tuple[int, bool]:
    """(start, explicit) as `strip.story_bounds` found them before it used loops and `list.index`
    (the rest of the phase, the end and the boxes, was not changed and follows from the start)."""
    def first(lines, patterns):
        if patterns:
            for i, line in enumerate(lines):
                if len(line) <= LONG_LINE and any(p.search(line) for p in patterns):
                    return i
        return None

    pack, lines = state.pack, state.lines
    start = first(lines, pack.story_start)
    explicit = start is not None
    if start is None:
        after = first(lines, pack.story_start_after)
        if after is not None and after + 1 < len(lines):
            start, explicit = after + 1, True
    if start is None:
        start = next((i for i, story in enumerate(state.story) if story), 0)
    return start, explicit


def test_story_bounds_are_what_they_were_on_every_fixture_page():
    """Start (a dateline, the line after a byline, the first full sentence, or 0) of every
    fixture page (and its lines from the second half on: a page with no full sentence
    before the start), for every pack."""
    pages = _pages()
    pages += [lines[len(lines) // 2:] for lines in pages] + [[], ["x"], ["Jakarta - Ia pergi."]]
    pages += [["Menu", "Bogor - Ia pergi ke pasar.", "Jakarta - Dia pulang."], ["Menu", "Jakarta - Dia pulang.", "x"]]
    two_starts = compile_pack(parse_pack(  # a user's pack whose second start pattern matches first
        'name = "twostarts"\nlanguages = ["id"]\n[story]\nstart = [\'^Bogor -\', \'^Jakarta -\']\n', "twostarts.toml"), {})
    seen = {"dateline": 0, "byline": 0, "sentence": 0, "none": 0, "end": 0}
    for pack in [*load_packs().values(), two_starts]:
        for lines in pages:
            state = _phases(pack, lines, strip.story_bounds)
            strip.story_bounds(state)
            assert (state.start, state.explicit) == _story_start_as_first_written(state), (pack.name, lines[:3])
            if state.explicit:
                seen["byline" if strip._first(lines, pack.story_start) is None else "dateline"] += 1
            else:
                seen["sentence" if True in state.story else "none"] += 1
            seen["end"] += state.end_rule is not None
    assert all(n > 0 for n in seen.values()) and seen["dateline"] > 20 and seen["sentence"] > 100, seen


def _known_title_as_first_written(state: strip.PageState) -> None:
    title = state.known.get("title")
    if title:
        headline = " ".join(title.split())
        for i, line in enumerate(state.lines):
            if state.why[i] is None and line == headline:
                state.drop(i, "title", "input title")


def test_known_title_is_what_it_was_on_every_fixture_page():
    dropped = 0
    pack = load_packs()["generic"]
    for lines in _pages():
        titles = [None, "", "no such line", *lines[:3], *(f"  {line}\t" for line in lines[-2:])]
        for title in titles:
            state = _phases(pack, lines, strip.known_title)
            state.known = {"title": title}
            old = copy.copy(state)
            old.why = list(state.why)
            strip.known_title(state)
            _known_title_as_first_written(old)
            assert _state(state) == _state(old), (title, lines[:3])
            dropped += any(w is not None and w[1] == "input title" for w in state.why)
    assert dropped > 50


def test_candidates_and_result_are_what_they_were_on_every_fixture_page():
    removed = 0
    for pack in load_packs().values():
        for lines in _pages() + [[]]:
            state = strip.PageState(pack, lines, {})
            assert state.candidates == [i for i, c in enumerate(state.candidate) if c]
            for phase in strip.PHASES:
                phase(state)
            assert state.candidates == [i for i, c in enumerate(state.candidate) if c]
            kept, counts = [], dict(state.span_counts)  # `result` as first written
            for i, why in enumerate(state.why):
                if why is None:
                    kept.append(state.text[i])
                else:
                    counts[why[0]] = counts.get(why[0], 0) + 1
            got = state.result(with_trace=False)
            assert (got.lines, got.removed) == (kept, dict(sorted(counts.items())))
            assert list(got.removed) == sorted(counts)
            removed += sum(counts.values())
    assert removed > 1000


def _line_and_block_rules_as_first_written(state: strip.PageState) -> None:
    """`strip.line_and_block_rules` before the rules a page needs were picked by its gate bits (each
    rule's own skips in the loop)."""
    pack, lines, why, gates = state.pack, state.lines, state.why, state.gates
    maybe = pack.prefilters.lines.admitted(lines, gates, state.candidates)
    lowered = page_lowered = None
    on_page = on_maybe = 0
    for g in gates:
        on_page |= g
    for i in maybe:
        on_maybe |= gates[i]
    for rule, bit, hint_bit, end in pack.prefilters.line_rules:
        if hint_bit is not None:
            if not on_page & hint_bit:
                continue
            hint = hint_pattern(rule.hints)
            tried = [i for i, line in enumerate(lines)
                     if gates[i] & hint_bit and len(line) <= LONG_LINE and hint.search(line.lower())]
        elif rule.hints:
            lowered = lowered or [line.lower() for line in lines]
            page_lowered = page_lowered or "\n".join(lowered)
            if not any(h in page_lowered for h in rule.hints):
                continue
            hint = hint_pattern(rule.hints)
            tried = [i for i, low in enumerate(lowered) if len(low) <= LONG_LINE and hint.search(low)]
        elif bit is None:
            tried = maybe
        elif not on_maybe & bit:
            continue
        else:
            tried = [i for i in maybe if gates[i] & bit]
        if end is not None:
            tried = [i for i in tried if end.admits(lines[i])]
        done_to = -1
        lo, hi = state.scope_range(rule.scope)
        for i in tried:
            if i <= done_to or why[i] is not None or not lo <= i < hi:
                continue
            if not rule.pattern.search(lines[i]):
                continue
            if rule.kind == "line":
                state.drop(i, rule.category, rule.label)
                continue
            last = strip._block_end(rule, lines, i)
            if last is not None:
                for j in range(i, last + 1):
                    state.drop(j, rule.category, rule.label)
                done_to = last


def test_line_and_block_rules_are_what_they_were_on_every_fixture_page():
    dropped, hinted, picked = 0, 0, set()
    for pack in load_packs().values():
        for lines in _pages() + [[]]:
            state = _phases(pack, lines, strip.line_and_block_rules)
            old = copy.copy(state)
            old.why = list(state.why)
            strip.line_and_block_rules(state)
            _line_and_block_rules_as_first_written(old)
            assert _state(state) == _state(old), (pack.name, lines[:3])
            dropped += sum(w is not None for w in state.why)
            on_page = on_maybe = 0
            for g in state.gates:
                on_page |= g
            for i in pack.prefilters.lines.admitted(state.lines, state.gates, state.candidates):
                on_maybe |= state.gates[i]
            rules = strip._line_rules_on(pack.prefilters.line_rules, on_page, on_maybe)
            assert rules == tuple(  # the rules the loop as first written does not skip by their bits
                (rule, bit, hint_bit, end) for rule, bit, hint_bit, end in pack.prefilters.line_rules
                if (on_page & hint_bit if hint_bit is not None else rule.hints or bit is None or on_maybe & bit))
            hinted += any(hint_bit is not None for _, _, hint_bit, _ in rules)
            picked.add(len(rules))
    assert dropped > 1000 and hinted > 5 and len(picked) > 5


def _closing_rules_as_first_written(state: strip.PageState) -> None:
    """`strip.closing_rules` before its gates were asked in a loop of its own (`all` of a generator)."""
    closing = state.pack.prefilters.closing_rules
    for i in range(state.end - 1, -1, -1):
        if state.why[i] is not None:
            continue
        line = state.lines[i]
        if len(line) > LONG_LINE:
            break
        rule, folded = None, None
        for r, gates, end in closing:
            if end is not None and not end.admits(line):
                continue
            if gates:
                folded = fold(line) if folded is None else folded
                if not all(g.admits(folded) for g in gates):
                    continue
            if r.pattern.search(line):
                rule = r
                break
        if rule is None:
            break
        state.drop(i, rule.category, rule.label)


def test_closing_rules_are_what_they_were_on_every_fixture_page_and_closing_lines():
    closings = ["Baca berita menarik lainnya di situs kami, contoh.co.id", "Ikuti kami di www.contoh.com",
                "We post at contoh.net daily", "DINI TEJA", "ANDI BUDI S.", "kami di contoh.id", "Kami tidak ikut"]
    dropped = 0
    for pack in load_packs().values():
        for lines in _pages() + [["Berita pertama hari ini, ditulis dengan panjang.", *closings[:i]] for i in range(1, 8)]:
            state = _phases(pack, lines, strip.closing_rules)
            old = copy.copy(state)
            old.why = list(state.why)
            strip.closing_rules(state)
            _closing_rules_as_first_written(old)
            assert _state(state) == _state(old), (pack.name, lines[-3:])
            dropped += sum(w is not None and w[1].endswith(("#11 (promo)", "#41 (desk_initials)")) for w in state.why)
    assert dropped > 20


def test_packs_with_no_line_or_field_rules_of_their_own_kind_share_no_picks():
    """Two packs' empty rule tables are one object (`()`): what is picked of a pack's line rules,
    span rules and field rules is kept apart."""
    spans_only = compile_pack(parse_pack(
        'name = "spansonly"\nlanguages = ["id"]\n[[span]]\ncategory = "promo"\nmarker = \'\\[Promo[^\\]]*\\]\'\nend = "marker"\n',
        "spansonly.toml"), {})
    bare = compile_pack(parse_pack('name = "bare"\nlanguages = ["id"]\n', "bare.toml"), {})
    assert spans_only.prefilters.line_rules == spans_only.prefilters.field_bits == ()
    lines = ["Harga naik.[Promo diskon] Pedagang mengeluh.", "Sumber: pasar"]
    for pack in (bare, spans_only, bare, spans_only):
        got = strip.apply_pack(pack, lines, {"title": "Harga"})
        expected = ["Harga naik.", "Pedagang mengeluh.", "Sumber: pasar"] if pack is spans_only else lines
        assert (got.lines, got.removed) == (expected, {"promo": 1} if pack is spans_only else {})


def test_a_page_of_split_lines_promised_single_spaced_comes_out_the_same_on_every_fixture_page():
    """`apply_pack(single_spaced=True)` (the text route's `split_lines` output) counts each
    line's spaces for `structure.story_flags`. After a span cut the promise holds only while the
    cut lines' pieces are spaced as `split_lines` spaces them: then every line of the page is."""
    cut = 0
    for pack in load_packs().values():
        for lines in _pages() + [page for page in SPAN_PAGES if all(single_spaced(line) is line and line for line in page)]:
            for known in ({}, {"title": "Judul"}):
                promised = strip.apply_pack(pack, lines, known, with_trace=True, single_spaced=True)
                assert promised == strip.apply_pack(pack, lines, known, with_trace=True), (pack.name, lines[:3])
            state = strip.PageState(pack, lines, {}, True)
            strip.spans(state)
            cut += bool(state.spans_cut)
            assert state.single_spaced == all(line.isprintable() and single_spaced(line) is line and line
                                              for line in state.lines)
            k = pack.structure.story_min_words
            assert state.story == [line[-1:] in strip.structure.STORY_END and len(line.split()) >= k
                                   for line in state.lines]
    assert cut > 20


def test_a_cut_piece_not_spaced_as_split_lines_spaces_it_ends_the_promise():
    """A piece of a cut line with a tab (cut_spans keeps it): the page's words are split again."""
    spans_only = compile_pack(parse_pack(
        'name = "spansonly"\nlanguages = ["id"]\n[[span]]\ncategory = "promo"\nmarker = \'\\[Promo[^\\]]*\\]\'\nend = "marker"\n',
        "spansonly.toml"), {})
    lines = ["Harga naik\ttiga kali lipat.[Promo diskon] Pedagang itu mengeluh.", "Ia pergi ke pasar pagi."]
    state = strip.PageState(spans_only, lines, {}, True)
    strip.spans(state)
    assert state.spans_cut and not state.single_spaced
    assert state.lines == ["Harga naik\ttiga kali lipat.", "Pedagang itu mengeluh.", "Ia pergi ke pasar pagi."]
    k = 5
    assert strip.structure.story_flags(state.lines, k) == [True, False, True]
    assert strip.structure.story_flags(state.lines, k, single_spaced=True) == [False, False, True]
