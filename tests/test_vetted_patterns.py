"""The built-in packs' patterns run without a per-match time limit (`Pattern.vetted`): this is
the vetting. Every one of them, and every combined prefilter built from them, must finish
within the time limit a user's pattern gets (REGEX_TIMEOUT) on adversarial lines: long runs of
one character, the pattern's own words repeated (near misses that make a pattern backtrack),
real boilerplate lines repeated, all as long as a line the rules still see (LONG_LINE)."""

from __future__ import annotations

import regex
from conftest import pack_patterns

from cleaner.packload import load_packs
from cleaner.rulepack import LONG_LINE, REGEX_TIMEOUT, Pattern

PACKS = load_packs()


def _vetted_patterns() -> dict:
    """The built-in packs' `Pattern`s, and their span rules' markers and closes (which run bare
    too: `spans.cut_spans`), each once: {(source, flags): pattern}."""
    found = {(p.source, p.compiled.flags): p for pack in PACKS.values() for p in pack_patterns(pack) if isinstance(p, Pattern)}
    for pack in PACKS.values():
        for rule in pack.spans:
            assert rule.vetted, rule.label
            for rx in filter(None, (rule.marker, rule.close)):
                found.setdefault((rx.pattern, rx.flags), Pattern(rx.pattern, rule.label, rx, vetted=True))
    return found


def _long(piece: str) -> str:
    return (piece * (LONG_LINE // max(1, len(piece)) + 1))[:LONG_LINE]


def _adversarial(pattern: Pattern) -> list[str]:
    words = regex.findall(r"\p{L}{2,}", pattern.source)
    pieces = ["a", "A", " ", ".", "(", ")", "[", "]", "|", "-", ":", "@", "1", "é", "a ", "A.", "a@", "(a", "a:",
              "aA1 .,:;()[]|/@-", "Foto: ", "Baca juga: ", "(ANTARA/", "https://", "www.", "12 Mei 2024, "]
    pieces += [" ".join(words) + " ", "".join(words), ":".join(words) + ":"]
    lines = [_long(p) for p in pieces if p]
    lines += [w + _long(p)[len(w):] for w in (words[:1] or ["a"]) for p in (" a", "a", " ", ".")]
    return lines


def test_every_built_in_pattern_is_marked_vetted_and_user_patterns_are_not(tmp_path):
    found = _vetted_patterns()
    assert len(found) > 80 and all(p.vetted for p in found.values())
    (tmp_path / "mine.toml").write_text('name = "mine"\ninclude = ["generic"]\n[[drop]]\ncategory = "ad"\nline = "^Iklan kami$"\n')
    mine = load_packs([tmp_path])["mine"]
    assert not mine.drops[0].pattern.vetted and mine.drops[-1].pattern.vetted  # its own rule; generic's
    assert not mine.prefilters.any.anchored.vetted  # a combination holding a user's pattern keeps its guard


def test_every_built_in_pattern_finishes_in_time_on_adversarial_lines():
    found = _vetted_patterns()
    slow = []
    for pattern in found.values():
        for line in _adversarial(pattern):
            for run in (pattern.compiled.search, pattern.compiled.match):
                try:
                    run(line, timeout=REGEX_TIMEOUT)
                except TimeoutError:
                    slow.append(f"{pattern.origin}: {line[:30]!r}...")
    assert slow == []
