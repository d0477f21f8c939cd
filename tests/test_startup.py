"""Start-up: the built-in packs' patterns compile on first use (`DeferredRegex`), so this file
checks what loading them no longer does: every built-in pattern compiles, passes the checks a
user's pattern gets at load, and the deferred pattern finds exactly what the compiled one finds."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
import regex
from conftest import pack_patterns

from cleaner.packload import _pack_files, load_pack, load_packs, parse_pack, read_pack_text
from cleaner.rulepack import DeferredRegex, DeferredSelector, PackError, Pattern


BUILT_IN = [(path, label) for path, label in _pack_files([]) if label is not None]


@pytest.mark.parametrize("path,label", BUILT_IN, ids=[label for _, label in BUILT_IN])
def test_built_in_pack_passes_the_load_checks_of_a_users_pack(path, label):
    """Read as a user's pack (every pattern compiled and checked now) it loads without a problem,
    and holds the same patterns, in the same places, as the pack a run loads."""
    problems: list[str] = []
    eager = parse_pack(read_pack_text(path), label, problems)
    assert problems == []
    deferred = load_pack(path, label, vetted=True)  # as a run loads it
    eager_patterns, deferred_patterns = list(pack_patterns(eager)), list(pack_patterns(deferred))
    assert len(eager_patterns) == len(deferred_patterns) > 0
    for e, d in zip(eager_patterns, deferred_patterns):
        e = e if isinstance(e, regex.Pattern) else e.compiled
        d = d if isinstance(d, DeferredRegex) else d.compiled
        assert isinstance(e, regex.Pattern) and isinstance(d, DeferredRegex)
        assert (d.pattern, d.flags) == (e.pattern, e.flags)
    if eager.html.body is not None:
        assert isinstance(deferred.html.body, DeferredSelector)
        assert deferred.html.body.compiled.path == eager.html.body.path  # the same XPath
        for e, d in zip(eager.html.drop, deferred.html.drop, strict=True):
            assert d.compiled.path == e.path


def test_deferred_pattern_compiles_on_first_use_and_then_runs_bare():
    source = r"(?i)^baca juga\s*:"
    pattern = Pattern(source, "test", DeferredRegex(source), vetted=True)
    assert "search" not in vars(pattern.compiled)  # nothing compiled yet
    assert pattern.match("Baca juga: berita lain").group() == "Baca juga:"
    assert pattern.search("tidak ada") is None
    compiled = regex.compile(source)
    assert pattern.search == pattern.compiled.search  # bound to the compiled pattern: no wrapper left
    assert pattern.compiled.flags == compiled.flags and pattern.compiled.groups == compiled.groups
    lines = ["BACA JUGA: x", " baca juga: x", "Baca juga : y", "baca"]
    assert [bool(pattern.search(x)) for x in lines] == [bool(compiled.search(x)) for x in lines] == [True, False, True, False]


def test_deferred_selector_selects_what_the_compiled_one_selects():
    from lxml import html
    from lxml.cssselect import CSSSelector

    tree = html.fromstring("<div><article class='post'><p>a</p></article><div class='ads'>b</div></div>")
    deferred = DeferredSelector("article.post p, div.ads")
    assert "compiled" not in vars(deferred)
    assert [e.text for e in deferred(tree)] == [e.text for e in CSSSelector("article.post p, div.ads")(tree)] == ["a", "b"]


def test_a_users_pack_is_still_checked_when_it_loads(tmp_path):
    (tmp_path / "mine.toml").write_text('name = "mine"\n[[drop]]\ncategory = "ad"\nline = "(unclosed"\n', encoding="utf-8")
    with pytest.raises(PackError, match=r"mine.toml: \[\[drop\]\] #1 \(ad\) line: bad regex '\(unclosed'"):
        load_packs([tmp_path])
    (tmp_path / "mine.toml").write_text('name = "mine"\n[[drop]]\ncategory = "ad"\nline = "x*"\n', encoding="utf-8")
    with pytest.raises(PackError, match="matches the empty string"):
        load_packs([tmp_path])


def test_the_modules_own_deferred_patterns_compile_to_what_regex_compile_makes():
    """The modules' own patterns (`regexes.lazy`) compile on first use: every one of those a run
    imports compiles, with the flags and groups `regex.compile` gives it, and finds the same."""
    import cleaner.cli  # noqa: F401 - every module a run imports, and so every `lazy` pattern it makes
    from cleaner import regexes

    assert len(regexes.LAZY) >= 20
    for deferred in regexes.LAZY:
        compiled = regex.compile(deferred.pattern)
        assert (deferred.flags, deferred.groups, deferred.groupindex) == (compiled.flags, compiled.groups,
                                                                          compiled.groupindex), deferred.pattern
        for text in ["", "Baca juga: Ini", "12/03/2024 10:15 WIB", "\\p{L}(?P<x>a)", "\x85\ud800 café"]:
            assert [m.span() for m in deferred.finditer(text)] == [m.span() for m in compiled.finditer(text)]


@given(st.sets(st.text(alphabet="ab /", min_size=1, max_size=5), max_size=14))
def test_shortest_literals_are_those_holding_no_other(literals):
    """`prefilter._shortest` (built per prefilter at start-up) keeps exactly the literals that
    hold no other one, as its definition says."""
    from cleaner.prefilter import _shortest

    assert _shortest(literals) == tuple(sorted(lit for lit in literals
                                               if not any(other != lit and other in lit for other in literals)))


def test_deferred_re_patterns_compile_with_re_on_first_use():
    """`DeferredRe` (the `re` patterns only HTML pages or deep JSON need) is compiled by `re` on its
    first use, with its flags, and finds what `re` finds."""
    import re

    from cleaner import io, limits
    from cleaner.regexes import DeferredRe

    deferred = [v for m in (io, limits) for v in vars(m).values() if isinstance(v, DeferredRe)]
    assert len(deferred) == 7
    for d in deferred:
        compiled = re.compile(d.pattern, d._flags)
        assert (d.flags, d.groups) == (compiled.flags, compiled.groups), d.pattern
        text = '<a href="x">b</a><!-- c --> {"d": [1, "]"]} <script>e</script>'
        assert [m.span() for m in d.finditer(text)] == [m.span() for m in compiled.finditer(text)]
