"""Literal gates: a pattern's gate lets through every line the pattern matches (never fewer),
and turns away most lines of prose."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import regex

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.literals import (ANCHOR, LETTERLESS_PROPERTIES, Gate, PageGates, _anchor, anchor_starts, fold, gate, letterless_lines_only,
                              line_end, lookaround_gates, may_start_with_letter, needs_digit)
from cleaner.packload import compile_pack, load_packs, parse_pack
from cleaner.strip import apply_pack
from cleaner.textnorm import split_lines
from conftest import FIXTURES, ROOT, read_jsonl


@pytest.mark.parametrize("source, expected", [
    (r"(?i)^(?:iklan|advertisement|ad)$", Gate(prefixes=("ad", "advertisement", "iklan"))),
    (r"^Video [\p{Lu}\d].{5,150}[^.!?:,;]$", Gate(prefixes=("video ",))),
    (r"^(?:baca|simak)(?: juga)?\s*:", Gate(prefixes=("baca", "simak"))),
    (r"^\((?:\*{1,3}|[A-Za-z]{1,5})\)$", Gate(prefixes=("(",))),
    (r"^[:»>|]", Gate(prefixes=(":", ">", "|", "»"))),
    (r"(?i)\b(?:whatsapp channel|Google News)\b(?=.{0,100}$)", Gate(needs=("google news", "whatsapp channel"))),
    (r"(?<=[.!?])\s*\((?:[\w-]+\.)+(?:com|id)\s*/\s*(?P<value>[^)/]{3,60})\)$", Gate(needs=("(",))),
    (r"(?i)^[\s.(\[]*(?:yuk,?\s*)?(?:ikuti|join)\b.{0,99}\b(?:whatsapp|telegram)", Gate(needs=("telegram", "whatsapp"))),
    (r"STRASSE", Gate(needs=("strasse",))),
    (r"^Baca|juga", Gate(needs=("baca", "juga"))),  # not anchored as a whole: no prefix, but one of the two
    # few enough strings are multiplied out with their neighbours: rarer than each part
    (r"(?:Baca|BACA|Lihat) (?:[Jj]uga|JUGA)(?:\s?:)", Gate(needs=("baca juga", "lihat juga"))),
    (r"(?i)\b[\w.+-]+\s?[\[(]at[\])]\s?\w", Gate(needs=("(at)", "(at]", "[at)", "[at]"))),
    (r"(?:Baca|Cek) (?:juga )?berita", Gate(needs=("baca berita", "baca juga berita", "cek berita", "cek juga berita"))),
    (r"(?:a|b|c|d|e|f|g|h|i) kata sandi", Gate(needs=(" kata sandi",))),  # nine: too many to multiply
    (r"kabar\b(?: baik| buruk)", Gate(needs=("kabar baik", "kabar buruk"))),  # `\b`, `^`, `$` are empty strings
    (r"(?:^|x)kabar", Gate(needs=("kabar", "xkabar"))),
])
def test_gates_read_off_the_pattern(source, expected):
    assert gate(source) == expected


@pytest.mark.parametrize("source", [
    r"^(?!.*[.:]$)\S+(?:\s+\S+){3,}$",  # no literal at all
    r"^(?:\p{L}+, )?\d{1,2} \p{L}+ \d{4}$",  # only a space: it tells nothing
    r"\b(?:id|co)\b",  # two-letter words occur everywhere
    r"^[[:alpha:]]+ kata$",  # a POSIX class, which `re` would read as literals
    r"(?:kata){e<=1}",  # fuzzy matching
    r"(?r)^Iklan",  # reverse searching: `re` cannot parse it
    r"^(?|(a)|(b))",  # branch reset
    r"^Baca|\d{4}$",  # one alternative holds no literal at all
])
def test_no_gate_where_the_literals_cannot_be_known_or_tell_nothing(source):
    assert gate(source) is None


def _all_lines() -> list[str]:
    texts = [row.get("text") or "" for name in ("seeds.jsonl", "indonews_sample.jsonl") for row in read_jsonl(FIXTURES / name)]
    texts += [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "real").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "rules" / "tests").rglob("*.txt"))]
    return sorted({line for text in texts for line in split_lines(text)})


def test_every_built_in_gate_lets_through_every_line_its_pattern_matches():
    lines = _all_lines()
    patterns = {r.pattern for pack in load_packs().values() for r in pack.drops}
    patterns |= {r.pattern or r.after for pack in load_packs().values() for r in pack.fields}
    patterns |= {p for pack in load_packs().values() for p in pack.story_start + pack.story_start_after}
    gated = [(p, p.gate) for p in patterns if p.gate is not None]
    assert len(gated) > 0.75 * len(patterns)  # most built-in patterns have a gate
    matched = 0
    for p, g in gated:
        for line in lines:
            if p.compiled.search(line):
                matched += 1
                folded = fold(line)
                assert folded.startswith(g.prefixes) or any(n in folded for n in g.needs), (p.origin, line)
    assert matched > 100  # the check saw real boilerplate, not only prose
    story = [line for line in lines if len(line.split()) > 20]
    through = sum(1 for line in story if any(line.casefold().startswith(g.prefixes) or any(n in line.casefold() for n in g.needs)
                                             for _, g in gated))
    assert through < 0.5 * len(story)  # the gates turn most story lines away


@pytest.mark.parametrize("source, expected", [
    (r"^\d{1,2} \p{L}+ \d{4}$", True),
    (r"(?i)^(?:\p{L}+, )?(?:\d{1,2}/\d{1,2}/\d{4}|\p{L}{3,10} \d{1,2}, \d{4})$", True),  # every branch
    (r"^Pukul [0-2][0-9]", True),
    (r"^(?=.*2024)Jakarta", True),  # a lookahead that must match
    (r"^Jakarta(?:, \d{1,2})?$", False),  # optional
    (r"^(?:\d+|kemarin)$", False),  # one branch without
    (r"^[\d.]+$", False),  # a class that holds more than digits
    (r"^[^\d]+$", False),
    (r"^(?!\d)\w+$", False),  # a negative lookahead
    (r"^\p{Nd}+$", False),  # read as `\w` (re has no properties): unknown, so no
    (r"(?:\d){e<=1}", False),  # fuzzy: read differently
])
def test_needs_digit_read_off_the_pattern(source, expected):
    assert needs_digit(source) is expected


def test_every_built_in_pattern_that_needs_a_digit_matches_only_lines_with_one():
    lines = _all_lines() + ["1", "١٢ Mei ٢٠٢٤", "Selasa, 8 September 2020 10:15 WIB", "٨/٩/٢٠٢٠"]
    digit = regex.compile(r"\d")
    patterns = {p for pack in load_packs().values() for r in pack.drops + pack.fields
                for p in (r.pattern, getattr(r, "after", None)) if p is not None and p.needs_digit}
    assert len(patterns) >= 3
    matched = 0
    for p in patterns:
        for line in lines:
            if p.compiled.search(line) or p.compiled.match(line):
                matched += 1
                assert digit.search(line), (p.origin, line)
    assert matched > 10


def test_every_built_in_span_gate_lets_through_every_line_holding_its_marker():
    lines = _all_lines() + sorted({line for row in read_jsonl(FIXTURES / "glued_lines.jsonl")
                                   for line in split_lines(row.get("text") or row.get("line") or "")})
    seen = 0
    for pack in load_packs().values():
        spans = pack.prefilters.spans
        assert spans.exact and not spans.anchored and not spans.floating  # every built-in marker has a gate
        for rule in pack.spans:
            for line in lines:
                if rule.marker.search(line):
                    seen += 1
                    assert spans.maybe(line), (rule.label, line)
    assert seen > 50


@pytest.mark.parametrize("source, expected", [
    # the `.` before a domain stays with it: the `id` of "tidak" is no `.id`
    (r"(?i)^(?!.*\")(?=.*\.(?:com|net))(?=.*\b(?:kami|we)\b)", (Gate(needs=(".com", ".net")), Gate(needs=("kami", "we")))),
    (r"(?=.*[\w-]\.(?:com|co\.id|id\b))", (Gate(needs=(".co.id", ".com", ".id")),)),  # a `\b` matches the empty string
    (r"(?<=Foto: )\w+", (Gate(needs=("foto: ",)),)),  # a lookbehind's text is in the line too
    (r"^(?!.*iklan)\w+$", ()),  # a negative lookahead needs nothing
    (r"^(?=.*\d)\w+$", ()),  # a lookahead without a literal
    (r"^Baca juga", ()),  # no lookaround: the pattern's own gate says it (`gate`)
])
def test_lookaround_gates_read_off_the_pattern(source, expected):
    assert lookaround_gates(source) == expected


def test_every_built_in_closing_rule_gate_lets_through_every_line_its_rule_matches():
    lines = _all_lines() + ["Kunjungi kami di www.contoh.co.id untuk berita lainnya", "Visit our site at example.com",
                            "Wir sind auf beispiel.org", "Kami juga di contoh.ID.", "WE ARE AT SITE.NET"]
    gated = matched = 0
    for pack in load_packs().values():
        for rule, gates, _ in pack.prefilters.closing_rules:
            gated += bool(gates)
            for line in lines:
                if rule.pattern.compiled.search(line):
                    matched += 1
                    assert all(g.admits(fold(line)) for g in gates), (rule.label, line)
    assert gated and matched >= 5 * gated
    story = [line for line in lines if len(line.split()) > 20]
    tidak = [line for line in lines if "tidak" in fold(line) and "kami" in fold(line) and not regex.search(r"\.\w", line)]
    assert len(tidak) > 3 and not any(all(g.admits(fold(line)) for g in gates) for line in tidak
                                      for pack in load_packs().values() for _, gates, _ in pack.prefilters.closing_rules
                                      if len(gates) > 1)  # ("id" would let them through, "kami" too)
    promo = next(gates for pack in load_packs().values() for rule, gates, _ in pack.prefilters.closing_rules if len(gates) > 1)
    assert sum(all(g.admits(fold(line)) for g in promo) for line in story) < 0.2 * len(story)  # most lines: no search


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(["kami", "Kami", "KAMI", "we", "our", "tidak", "id", "ID", ".id", ".ID", ".co", ".co.id",
                                 "com", ".com", ".Com", "net", ".net", ".org", "org", "-", "x", "_", " ", ".", "\n", "\"",
                                 "İ", "ı", "é", "7"]), max_size=12))
def test_closing_rule_gates_let_through_every_generated_line_their_rule_matches(pieces):
    line = "".join(pieces)
    for pack in load_packs().values():
        for rule, gates, _ in pack.prefilters.closing_rules:
            if rule.pattern.compiled.search(line):
                assert all(g.admits(fold(line)) for g in gates), (rule.label, line)


def test_user_patterns_get_no_gate(tmp_path):
    (tmp_path / "mine.toml").write_text('name = "mine"\n[[drop]]\ncategory = "ad"\nline = "^Iklan kami$"\n')
    mine = load_packs([tmp_path])["mine"]
    assert mine.drops[0].pattern.gate is None
    assert mine.prefilters.any.anchored.source == "(?:^Iklan kami$)"


def _pages() -> list[list[str]]:
    """Every fixture page as the rules see it (its lines), and a page of lines whose casefold
    differs from their lower case or grows (`ß` -> `ss`), with gate literals in them."""
    texts = [row.get("text") or "" for name in ("seeds.jsonl", "indonews_sample.jsonl") for row in read_jsonl(FIXTURES / name)]
    texts += [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "real").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "rules" / "tests").rglob("*.txt"))]
    tricky = ["STRASSE Baca juga: Jalan", "Straße (FOTO/ANTARA)", "ſumber: ANTARA", "BACA JUGA", "İklan",
              "Kelvin \u212a and (ANTARA FOTO/Ali)", "ᏚᎢᎵ Whatsapp", "ﬁoto reporter", "(", "[", "Baca"]
    turkish = [line for line in tricky if "İ" not in line]  # the page without a Turkish i: each line casefolded
    return [split_lines(text) for text in texts if text.strip()] + [tricky, tricky[::-1], turkish]


def test_page_gates_give_each_line_exactly_what_each_gate_says_of_it(monkeypatch):
    seen = set()
    # lines without a line break of their own are searched as one page (its line breaks count the lines)
    monkeypatch.setattr(PageGates, "_masks_one_by_one", lambda self, lines: pytest.fail(f"one by one: {lines[:2]}"))
    for pack in load_packs().values():
        gates = pack.prefilters.gates
        every = list(gates._bits)  # each distinct gate of the pack, with its bit
        assert len(every) > 30
        for lines in _pages():
            for line, mask in zip(lines, gates.masks(lines), strict=True):
                folded = fold(line)
                for g in every:
                    assert bool(mask & gates.bit(g)) == g.admits(folded), (pack.name, g, line)
                    seen.add(g.admits(folded))
    assert seen == {True, False}


def test_each_literal_is_looked_for_by_an_end_of_it_that_starts_with_a_chosen_character():
    literals = ["klik", "sumber", "baca juga", "(", "foto/", "antara foto/", "to read this ", "yuk, baca juga"]
    starts = anchor_starts(literals)
    assert len(starts) < len({lit[0] for lit in literals})  # fewer characters a key may start with
    for lit in literals:
        anchor = _anchor(lit, starts)
        assert lit.endswith(anchor) and anchor[0] in starts and len(anchor) >= min(len(lit), ANCHOR), lit
    assert _anchor("sumber", {"b", "m"}) == "mber" and _anchor("(", {"("}) == "("


LITERALS = ["baca juga", "yuk, baca juga", "antara foto/", "foto/", "foto", "sumber", "(at)", "(", "klik", "©", "é/"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["baca juga", "yuk, ", "antara ", "foto/", "fo", "to/", "sumber", "ber",
                                         "mber", "(at)", "(", " ", "Baca JUGA", "x", "\n", "ß", "klİk", "klık",
                                         "KLIK", "i\u0307", "é", "\u2019", "\U0001f600", "©"]), max_size=6)
                .map("".join), max_size=5))
def test_page_gates_by_anchor_say_of_every_line_what_its_gates_say(lines):
    # a literal ending where its anchor ends, one that starts a page or a line, an anchor without
    # its literal, overlapping ones, lines holding line breaks of their own (searched one by one)
    # characters of 2, 3 and 4 UTF-8 bytes before a literal (the automaton walks the page's bytes)
    gates = [Gate(needs=(lit,)) for lit in LITERALS] + [Gate(needs=("baca juga", "sumber")), Gate(prefixes=("foto",))]
    page = PageGates(gates)
    for line, mask in zip(lines, page.masks(lines), strict=True):
        assert {g for g in gates if mask & page.bit(g)} == {g for g in gates if g.admits(fold(line))}, line


def test_page_gates_of_lines_that_hold_a_line_break_or_none_at_all():
    gates = load_packs()["generic"].prefilters.gates
    assert gates.masks([]) == []
    # not split: each line is still tested whole, and a prefix only at its start (not after its break)
    lines = ["Baca juga\nsesuatu", "(ANTARA)", "Cerita biasa", "sesuatu\nBaca: lagi", "Iklan\nAdvertisement\n("]
    by_gate = {g: gates.bit(g) for g in gates._bits}
    for line, mask in zip(lines, gates.masks(lines), strict=True):
        assert {g for g, bit in by_gate.items() if mask & bit} == {g for g in by_gate if g.admits(fold(line))}


def test_an_ascii_hint_word_is_in_the_folded_line_wherever_it_is_in_the_lower_case_one():
    # why a rule's hint words can be gated on the folded page (prefilter.hint_gate): a character
    # lower-cases to what it folds to, or to that and then letters no ASCII word holds (`İ`)
    for code in range(sys.maxunicode + 1):
        c = chr(code)
        low, folded = c.lower(), fold(c)
        if any(x.isascii() for x in low) and low != folded:
            assert low.startswith(folded) and not any(x.isascii() for x in low[len(folded):]), hex(code)


def test_every_letter_regex_matches_case_insensitively_to_a_gate_letter_folds_to_it():
    # a gate compares folded text: `(?i)iklan` matches `İklan`, so `fold` must make `İ` an `i`
    letters = {c for pack in load_packs().values() for g in pack.prefilters.gates._bits
               for c in "".join(g.prefixes + g.needs)}
    every = "".join(chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code < 0xE000)
    assert {"a", "i", "s", "©"} <= letters
    for letter in letters:
        for written in {letter, letter.upper()}:
            for c in regex.findall("(?i)" + regex.escape(written), every):
                assert fold(c) == letter, (letter, hex(ord(c)))


def test_the_built_in_packs_clean_exactly_as_they_do_without_gates(tmp_path):
    # the same rules loaded as a user's packs: no literal gates, no page gates, every line that
    # the combined patterns let through is tried by every rule. Same lines, fields and counts.
    for path in (ROOT / "rules").glob("*.toml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    built_in, ungated = load_packs(), load_packs([tmp_path])
    assert ungated["generic"].prefilters.gates.bit(ungated["generic"].drops[0].pattern.gate) is None
    pages = _pages()
    compared = 0
    for name, pack in built_in.items():
        for lines in pages:
            a, b = apply_pack(pack, lines), apply_pack(ungated[name], lines)
            assert (a.lines, a.fields, a.removed) == (b.lines, b.fields, b.removed), (name, lines[:3])
            compared += bool(a.removed)
    assert compared > 100  # the packs removed something on most pages: the comparison saw rules at work


def test_a_turkish_capital_i_is_gated_as_the_pattern_reads_it():
    generic = load_packs()["generic"]
    assert generic.drops[4].pattern.compiled.match("İklan")  # `(?i)^(?:iklan|...)$`
    assert apply_pack(generic, ["İklan", "Cerita"]).removed == {"ad_marker": 1}


@pytest.mark.parametrize(("source", "may"), [
    (r"^[-–—_*=~•·.\s]{3,}$", False), (r"^(?:(?![-–—]$)[\p{P}\p{S}]{1,3}|\d{1,2}\.?)$", False), (r"^\s*\d", False),
    (r"^\p{Pd}x", False), (r"^[\p{N}]", False), (r"^(?=[a-z])\d", False),  # a lookahead consumes nothing
    (r"^(?!.*[.:]$)\S+(?:\s+\S+){3,}$", True), (r"(?i)^[-–•·*]?\s*(?:\p{L}+,)?\d", True), (r"(?i)^k", True),
    (r"^[\u2100-\u2200]", True), (r"^\p{Lu}", True), (r"^\p{^P}", True), (r"^[^\p{P}]", True), (r"^x?\d", True),
    (r"^\d?x", True), (r"^(?:a|\d)", True), (r"^", True), (r"^.", True), (r"^[[:alpha:]]", True), (r"^(\d)\1", False),
])
def test_what_a_match_may_start_with(source, may):
    assert may_start_with_letter(source) is may


def test_no_character_but_a_letter_matches_an_ascii_letter_case_insensitively():
    # why a class of no letters (and the letterless properties) never matches a line's first
    # ASCII letter, whatever the pattern's flags (`Prefilter.letterless`)
    every = "".join(chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code < 0xE000)
    assert all(c.isalpha() for c in set(regex.findall(r"(?i)[a-z]", every)))
    letterless = regex.compile("(?i)[" + "".join(rf"\p{{{name}}}" for name in LETTERLESS_PROPERTIES) + r"\d\s]")
    assert not letterless.search("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def test_built_in_patterns_said_to_start_with_no_letter_match_no_line_that_starts_with_one():
    found = 0
    for pack in load_packs().values():
        letterless = pack.prefilters.any.letterless
        if letterless is None:
            continue
        found += 1
        for lines in _pages():
            for line in lines + [line[1:] for line in lines]:
                if line[:1].isascii() and line[:1].isalpha():
                    assert not letterless.match(line), (pack.name, line)
        assert letterless.match("---") and letterless.match("•")  # (what they are there for)
    assert found == len(load_packs())


@pytest.mark.parametrize(("source", "only"), [
    (r"^[-–—_*=~•·.\s]{3,}$", True), (r"^(?:(?![-–—]$)[\p{P}\p{S}]{1,3}|\d{1,2}\.?)$", True), (r"^-+\Z", True),
    (r"^(?:-+$|\*+$)", True), (r"^-+$(?<=-)", True),
    (r"^-+", False),  # may end before the line's end
    (r"^-+\b", False), (r"^-+$|^a", False), (r"^(?:-|x)$", False), (r"^[\p{L}]$", False), (r"^\W+$", False),
    (r"^[^a]+$", False), (r"(?m)^-+$", False), (r"^(?m:-+$)", False), (r"^(?i)[\u212a]+$", False), (r"^.$", False),
])
def test_which_patterns_match_only_lines_of_no_letters(source, only):
    assert letterless_lines_only(source) is only


def test_built_in_patterns_said_to_match_only_lines_of_no_letters_match_no_line_whose_second_character_is_one():
    found = 0
    for pack in load_packs().values():
        prefilter = pack.prefilters.any
        if not prefilter.letterless_lines:
            continue
        found += 1
        for line in _all_lines():
            for tried in (line, "-" + line[1:], "“" + line[1:], line[:1] + line[1:].upper(), line[:1] + "\n"):
                if tried[1:2].isascii() and tried[1:2].isalpha():
                    assert not prefilter.letterless.match(tried), (pack.name, tried)
        assert prefilter.letterless.match("---") and prefilter.letterless.match("•")
    assert found == len(load_packs())


POSSESSIVE = pytest.mark.skipif(sys.version_info < (3, 11), reason="re's parser reads possessive repeats from 3.11 on")


@pytest.mark.parametrize(("source", "may", "refused"), [
    (r"^(?!.*[.:]$)\S+(?:\s+\S+){3,}$", "a1)»", ".: "),  # the lookahead refuses `.` and `:`, `\S` a space
    (r"(?i)^(?:\p{L}+, )?\d{1,2} \p{L}+ \d{4}(?: WIB| WITA)?$", "09bBaA", ".cC)x"),
    (r"^\d{4}(?: WIB)?$", "0٣B", "bAa"),  # case as the pattern has it (`٣` is a digit)
    (r"(?i)^x(?:ss)$", "sSſ", "ßx"),  # the engine's default folding: `ß` is no `ss`
    (r"^(?:[\p{P}\p{S}]{1,3}|\d\.?)$", ".,–©5", "aZ "), (r"^[^\p{L}]+\Z", "1. ", "aé"),
    (r"^\S+(?=x)$", "a.", " "), (r"^a(?:b|c\d*)$", "bc7", "ad"),
    (r"(?:a$|b$)", "ab", "c"),
    pytest.param(r"^(?:ab)++$", "b", "a", marks=POSSESSIVE),
    pytest.param(r"^(?!.*+[.:]$)\S+$", ".:a", " ", marks=POSSESSIVE),  # a possessive `.*+`: its lookahead never matches (r"^(?!.*\d$)(?!.*[.]$)\w+$", "a_", "1."),
])
def test_what_a_line_may_end_with(source, may, refused):
    end = regex.compile(line_end(source))
    assert all(end.fullmatch(c) for c in may) and not any(end.fullmatch(c) for c in refused)


@pytest.mark.parametrize("source", [
    r"abc", r"a|b$", r"a$|b", r"(?m)^a$", r"^$", r"a*$", r"(?:x$)?", r"^.*x?$", r"a$b",
    r"^(a)\1$", r"^[[:alpha:]]+$", r"(?x)^a \d+ $ (?#end)" + "\U000f0000", r"^\w+(?=\.)",
])
def test_no_line_end_where_a_match_may_end_anyhow(source):
    # no `$` on some path, a match that may be empty or end in any character, multi-line mode,
    # a backreference, a POSIX class, a character of the plane `line_end` reads properties as
    assert line_end(source) is None


@pytest.mark.parametrize(("source", "starts"), [
    (r"^-+$", True), (r"(?i)^(?:a|b)", True), (r"\A\d", True), (r"^a|-", False), (r"(?m)^-", False), (r"-^", False),
    (r"(?:^|x)-", False), (r"[[:punct:]]", False),
])
def test_whether_every_match_starts_the_line(source, starts):
    from cleaner.literals import starts_line
    assert starts_line(source) is starts


def test_a_rule_no_match_of_which_starts_with_a_letter_is_not_tried_on_a_line_that_does_only_if_anchored():
    from cleaner.prefilter import line_end_gate
    assert not line_end_gate(r"^(?:[-•]{2,}|\d\.)$", True).admits("ab--")  # anchored: a line starting with a letter
    assert line_end_gate(r"^[-•]{2}|[-•]{2}$", True) is None  # one alternative is not anchored: `ab--` may match
    assert line_end_gate(r"^[-•]{2,}$", False) is None  # a user's pattern: tried everywhere


def _matched_last_characters(pattern, end, lines) -> int:
    """Asserts that every line (without a line break) the pattern matches ends in a character
    `end` fullmatches; returns how many it matched."""
    matched = 0
    for line in lines:
        if "\n" not in line and (pattern.search(line) or pattern.match(line)):
            matched += 1
            assert end.fullmatch(line[-1]), (pattern.pattern, line)
    return matched


def test_every_built_in_line_end_holds_the_last_character_of_every_line_its_pattern_matches():
    from cleaner.prefilter import line_end_gate
    lines = _all_lines() + sorted({line for row in read_jsonl(FIXTURES / "glued_lines.jsonl") for line in split_lines(row["line"])})
    lines += [line + c for line in lines[::7] for c in ".:aB9 )"] + [
        "Senin, 8 Juni 2020 10:15 WIB", "8 Juni 2020 | 10.15 WITA", "Jumat, 1 Maret 2024 09:00 wit", "Juni 8, 2020",
        "12/03/2024, 10:15 GMT", "Kamis, 14 Maret 2024 | 1.234 kali dibaca", "14 Maret 2024 | 10 views", "---", "•", "5.",
        "Kata dia. (ant) ", "Kata dia.(*)", "ABC DEF", "ABC D."]
    packs = load_packs().values()
    patterns = {p for pack in packs for r in pack.drops + pack.fields
                for p in (r.pattern, getattr(r, "after", None)) if p is not None}
    sources = {(p.source, p.compiled) for p in patterns} | {(r.marker.pattern, r.marker) for pack in packs for r in pack.spans}
    ends = [(compiled, line_end(source), line_end_gate(source, True)) for source, compiled in sources]
    assert sum(end is not None for _, end, _ in ends) >= 10  # dates, title fields, marks, initials, the desk's marker
    assert sum(gate is not None for _, _, gate in ends) > sum(end is not None for _, end, _ in ends)  # and letterless starts
    matched = 0
    for compiled, end, gate in ends:
        if end is not None:
            matched += _matched_last_characters(compiled, regex.compile(end), lines)
        for line in lines:
            if gate is not None and compiled.search(line):
                assert gate.admits(line), (compiled.pattern, line)
    assert matched > 100


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["Senin", ", ", " ", "8", "٣", "12", "2024", "Juni", "/", ":", ".", "WIB", "wib", "ſ",
                                 "K", "\u212a", "ß", "ss", "İ", "-", "•", "|", "kali dibaca", "views", "»", "\n", "x"]),
                max_size=12).map("".join))
def test_line_ends_hold_on_generated_lines(line):
    sources = [r"(?i)^(?:\p{L}+, )?\d{1,2} \p{L}+ \d{4}(?: WIB| wit)?$", r"^(?!.*[.:]$)\S+(?:\s+\S+){1,}$",
               r"(?i)^\S+ (?:ss|k)$", r"^[-•.\s]{2,}$", r"(?i)^.*\d\.?$", r"^(?:[\p{P}\p{S}]{1,3}|\d\.?)$",
               r"(?i)(?:views|dibaca|[»|])\Z"]
    for source in sources:
        _matched_last_characters(regex.compile(source), regex.compile(line_end(source)), [line])


def test_prefilters_with_line_ends_let_through_exactly_the_lines_they_did_without(monkeypatch):
    # (on the patterns as written: `uncut`, without `_open_tail_cut`; the prefilters a run uses
    # try the cut ones, and let through every line the uncut ones do)
    from dataclasses import replace
    from cleaner import prefilter as prefilters
    lines = _all_lines()
    lines += [line + c for line in lines[::5] for c in ".:aB9 )\n"] + ["Senin, 8 Juni 2020 10:15 WIB", "Juni 8, 2020"]
    gated = 0
    for pack in load_packs().values():
        kept = pack.prefilters
        patterns = {"any": kept._drops + kept._ends + kept._fields, "lines": kept._drops, "fields": kept._fields,
                    "ends": kept._ends, "spans": kept._span_markers}
        for kind in ("any", "lines", "fields", "ends", "spans"):
            used = getattr(kept, kind)
            with monkeypatch.context() as patched:
                patched.setattr(prefilters, "_open_tail_cut", lambda source: source)
                prefilter = kept._prefilter(patterns[kind], kind)
            gated += any(end is not None for end in prefilter.ends)
            without = replace(prefilter, ends=(None,) * 5)
            tried_whole = replace(prefilter, letterless_lines=False)  # the letterless patterns tried on every line
            for line in lines:
                assert prefilter._ungated(line) == without._ungated(line), (pack.name, kind, line)
                assert prefilter._ungated(line) == tried_whole._ungated(line), (pack.name, kind, line)
                assert used._ungated(line) >= prefilter._ungated(line), (pack.name, kind, line)
    assert gated >= 3 * len(load_packs())  # `any`, `lines` and `fields` of every pack


@pytest.mark.parametrize(("source", "cut"), [
    (r"^(?!.*[.:]$)\S+(?:\s+\S+){3,}$", r"^\S+(?:\s+\S+){3}"), (r"(?i)^(?!a(?:b|[)]))x{2,}$", r"(?i)^x{2}"),
    (r"^(?=a)x{2,}$", r"^(?=a)x{2}"), (r"^a{2,5}$", r"^a{2}"), (r"^b|a{2,}$", r"^b|a{2}"), (r"^a\\{3,}$", r"^a\\{3}"),
    (r"^a\{3,}$", r"^a\{3,}$"), (r"^a{3,}?$", r"^a{3,}?$"), (r"^a{3,}+$", r"^a{3,}+$"), (r"^a{0,}$", r"^a{0,}$"),
    (r"^(?!x)a{3}$", r"^(?!x)a{3}$"), (r"^a{3,}$x", r"^a{3,}$x"),
])
def test_a_prefilter_tries_a_pattern_without_the_open_tail_of_its_last_repeat(source, cut):
    from cleaner.prefilter import _open_tail_cut
    assert _open_tail_cut(source) == cut


def test_a_pattern_cut_for_a_prefilter_matches_every_line_the_pattern_matches():
    # the title-field pattern of four packs (`^(?!.*[.:]$)\S+(?:\s+\S+){3,}$`) and any other built-in one cut
    from cleaner.prefilter import _open_tail_cut
    lines = _all_lines()
    lines += [line + end for line in lines[::3] for end in (" ", "\n", " x", ".", ":", "\n\n", " \n")]
    patterns = {r.pattern.source for pack in load_packs().values() for r in pack.drops if r.pattern.vetted}
    patterns |= {(r.pattern or r.after).source for pack in load_packs().values() for r in pack.fields}
    cut = {source: _open_tail_cut(source) for source in patterns if _open_tail_cut(source) != source}
    assert len(cut) >= 4
    matched = 0
    for source, shorter in cut.items():
        pattern, tried = regex.compile(source), regex.compile(shorter)
        for line in lines:
            if pattern.match(line) or pattern.search(line):
                assert tried.match(line) if pattern.match(line) else tried.search(line), (source, line)
                matched += 1
    assert matched > 100
    tribunnews = load_packs()["tribunnews"].prefilters
    assert tribunnews.any.anchored.source == tribunnews.fields.anchored.source == r"(?:^\S+(?:\s+\S+){3})"


def test_prefilter_verdicts_on_a_page_are_what_maybe_says_of_each_line():
    # `verdicts` and `admitted` (a page's masks from the automaton, the ungated patterns tried
    # only where a line's last character and a digit let them) against `maybe` line by line;
    # `verdicts` first, on a prefilter that has seen no line yet (it learns what each last
    # character rules out as lines come), and on lines whose `$` matches before a final line break
    from dataclasses import replace
    from cleaner.rulepack import LONG_LINE
    pages = _pages() + [["Senin, 8 Juni 2020 10:15 WIB", "x" * (LONG_LINE + 1), "Juni 8, 2020", "Baca juga: x", "---"],
                        ["Senin, 8 Juni 2020 10:15 WIB\n", "Jakarta, 8 Juni 2020\n", "---\n", "“Ya,” katanya.\n"],
                        ["“Ya,” katanya.", '"Ya."', "“-", "--", '"', "“", "-a", "a-", "(1)", "1.", "•"],
                        ["Baca juga: x", "", "Juni 8, 2020", ""]]  # (an empty line: its ends are no character)
    admitted = 0
    for pack in load_packs().values():
        for kind in ("any", "lines", "fields", "ends", "spans"):
            prefilter = getattr(pack.prefilters, kind)
            for lines in pages:
                masks = pack.prefilters.gates.masks(lines)
                verdicts = replace(prefilter).verdicts(lines, masks, LONG_LINE)
                maybe = [prefilter.maybe(line) for line in lines]
                assert verdicts == [m and len(line) <= LONG_LINE for m, line in zip(maybe, lines)], (pack.name, kind, lines[:3])
                assert prefilter.admitted(lines, masks) == [i for i, m in enumerate(maybe) if m], (pack.name, kind)
                admitted += sum(maybe)
    assert admitted > 1000


def test_a_prefilter_answers_a_line_asked_again_as_it_worked_it_out_the_first_time(monkeypatch):
    # `_ungated` keeps its answers (`_seen`): every fixture line asked of every kind of prefilter of
    # every pack, twice, with the kept answers forgotten often (a small SEEN), is answered as
    # `_tried` works it out; a user's pattern (a time limit may end its try) keeps none
    from dataclasses import replace
    from cleaner import prefilter as pf
    monkeypatch.setattr(pf, "SEEN", 40)
    lines = [line for page in _pages() for line in page]
    lines += [line + "\n" for line in lines[::7]] + ["1", "-", "12 Juni 2020", "Jakarta", "ADVERTISEMENT", "“-"]
    lines += [piece for line in lines[::5] for n in (1, 2, 3, 30) for piece in (line[:n], line)]  # (a line and its start: told apart)
    kept = {True: 0, False: 0}
    for pack in load_packs().values():
        for kind in ("any", "lines", "fields", "ends", "spans"):
            prefilter = replace(getattr(pack.prefilters, kind))  # (its own kept answers)
            assert prefilter._seen == {}
            for line in lines + lines[::-1]:
                was_kept = line in prefilter._seen
                answer = prefilter._ungated(line)
                assert answer is prefilter._tried(line), (pack.name, kind, line)
                kept[answer] += was_kept
                assert len(prefilter._seen) <= pf.SEEN and all(len(seen) <= pf.SEEN_LINE for seen in prefilter._seen)
    assert kept[True] > 100 and kept[False] > 1000
    for code in range(128):  # the engine's `\d` in an ASCII line is `re`'s [0-9] (`_tried` asks which it may)
        assert (pf.DIGIT.search(chr(code)) is None) is (pf.ASCII_DIGIT.search(chr(code)) is None), code
    users = compile_pack(parse_pack('name = "mine"\nlanguages = ["id"]\n[[drop]]\ncategory = "promo"\nline = \'^\\d+ kali\'\n',
                                    "mine.toml"), {})
    assert users.prefilters.any._seen is None and users.prefilters.any._ungated("12 kali") is True


def test_a_gate_admits_exactly_the_folded_lines_that_start_with_a_prefix_or_hold_a_literal():
    seen = set()
    for pack in load_packs().values():
        every = list(pack.prefilters.gates._bits) + [g for _, gates, _ in pack.prefilters.closing_rules for g in gates]
        for lines in _pages():
            for line in lines:
                folded = fold(line)
                for g in every:
                    expected = folded.startswith(g.prefixes) or any(n in folded for n in g.needs)
                    assert g.admits(folded) == expected, (g, line)
                    seen.add(expected)
    assert seen == {True, False}


def test_a_line_end_lets_an_empty_line_through():
    """`LineEnd.admits` reads the last character by index: an empty line has none, and passes
    (as an empty last character did)."""
    ends = {end for pack in load_packs().values() for *_, end in pack.prefilters.line_rules if end is not None}
    assert ends and all(end.admits("") for end in ends)
