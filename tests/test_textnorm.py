"""Line splitting: the fast paths (ASCII pages, lines already spaced) give exactly what the plain
definition gives: every line boundary ends a line, every run of whitespace becomes one space,
invisible characters go, blank lines go."""

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.textnorm import (
    ASCII_PRINTABLE_OR_NEWLINE, CONTROLS, INVISIBLE, LINE_BREAKS, MAYBE_MOJIBAKE, NFC_INERT, _line_fixer, _mojibake_fixer, one_line, repair_mojibake, split_lines, without_controls,
)
from conftest import FIXTURES, read_jsonl

TRICKY = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u2028\u2029\u3000\u200b\x00\x7f \u00c3\u00a9\u00e2\u0080\u00a2ab."


def plain(text: str) -> list[str]:
    if not text.isascii():
        text = unicodedata.normalize("NFC", repair_mojibake(text))
    text = INVISIBLE.sub("", text)
    return [line for line in (" ".join(part.split()) for part in text.splitlines()) if line]


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(alphabet=TRICKY, max_size=60), st.text(max_size=200),
                 st.text(alphabet=st.characters(max_codepoint=127), max_size=200)))
def test_split_lines_is_the_plain_definition(text):
    assert split_lines(text) == plain(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.one_of(st.sampled_from(TRICKY), st.characters()), max_size=80))
def test_the_mojibake_check_finds_what_re_finds(text):
    assert bool(MAYBE_MOJIBAKE.search(text)) == bool(re.search(MAYBE_MOJIBAKE.pattern, text))


MOJIBAKE_LINES = ["\n", "\n\n", " \n", "Harga emas \u00e2\u0080\u00a2 naik", "Budi \u00c3\u0097 ", "caf\u00e9 \u2013 x",
                  "\u0080\u0093", "\u00c3", "\u00a0", "\u00c2\u00a0", "plain ascii", "\x85", "\u0420\u0456"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(MOJIBAKE_LINES), st.text(alphabet=TRICKY, max_size=12)), max_size=12))
def test_mojibake_repair_line_by_line_is_ftfy_on_the_whole_text(parts):
    """ftfy is called on the lines that are not ASCII only: the same text as ftfy on all of it."""
    text = "".join(parts)
    fix_text, config = _mojibake_fixer()
    expected = fix_text(text, config) if MAYBE_MOJIBAKE.search(text) else text
    assert repair_mojibake(text) == expected


def misread(text: str, codecs: str) -> str:
    """`text` as UTF-8 read in each of `codecs` in turn ("l": Latin-1, "w": cp1252 where it can): mojibake, twice over for two."""
    for codec in codecs:
        data = text.encode("utf-8", "surrogatepass")
        text = "".join(chr(b) if codec == "l" or b in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([b]).decode("cp1252")
                       for b in data)
    return text


MISREAD_SOURCES = ["Harga emas • naik", "Budi × Ani", "“Kata dia,” ujarnya – lalu…", "café Él ñ", "à la carte",
                   "Ø 5 mm ± 2", "\u0420\u0456\u043c", "日本 ✔", "😀 ok", "\u00a0tab\t", "é\u0301"]
FTFY_LINES = ["\n", "\x85", "\x80\x93", "\u00c3", "\u00c2\u00a0", "caf\u00e9 \u2013 x", "\ud83d\ude00", "\udc00 a",
              "\u00e2\u0080\u009c \x9d", "Ã©\x85Ã"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.builds(misread, st.sampled_from(MISREAD_SOURCES), st.sampled_from(["", "l", "w", "ll", "lw", "wl", "ww"])),
                          st.sampled_from(FTFY_LINES), st.text(alphabet=TRICKY, max_size=8), st.characters()), max_size=8),
       st.booleans())
def test_the_line_fixer_is_ftfy(parts, newline):
    """`fix_line` ends ftfy's loop a round sooner: the same line as ftfy's `fix_text` with the same settings."""
    line = "".join(parts).replace("\n", " ") + ("\n" if newline else "")
    fix_text, config = _mojibake_fixer()
    assert _line_fixer()(line) == fix_text(line, config)


def test_the_line_fixer_is_ftfy_on_the_fixture_lines_misread():
    fix_text, config = _mojibake_fixer()
    fix = _line_fixer()
    pages = [row["text"] for name in ("indonews_sample.jsonl", "seeds.jsonl") for row in read_jsonl(FIXTURES / name)
             if isinstance(row.get("text"), str)]
    pages += [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "real").glob("*.txt"))]
    lines = sorted({line for page in pages for line in page.splitlines() if not line.isascii()} | set(MISREAD_SOURCES))
    assert len(lines) > 100
    fixed = 0
    for line in lines:
        for codecs in ("", "l", "w", "ww", "lw"):
            # (a lone surrogate: ftfy's round that replaces it lets the next one repair the rest)
            for text in (misread(line, codecs), misread(line, codecs) + "\udc00", "\ud83d" + misread(line, codecs) + "\n"):
                expected = fix_text(text, config)
                assert fix(text) == expected
                fixed += expected != text
    assert fixed > 200


@pytest.mark.parametrize("line", ["\u00c5\u00a1\ude00", "\ude00\u00e6\u2014\u00a5", "\u00c3\u2014\ude00 kata\n", "\u00c3\u0083\u00c2\u00a9\x82\ud83d "])
def test_the_line_fixer_is_ftfy_where_a_second_round_repairs_more(line):
    import ftfy

    fix_text, config = _mojibake_fixer()
    one_round = ftfy.fixes.fix_surrogates(ftfy.fixes.fix_c1_controls(ftfy.fix_encoding(line)))
    assert _line_fixer()(line) == fix_text(line, config) != one_round


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["kata", "Él", "berita", "“x”", " ", "  ", "\n", "\n\n", "\r", "\t", "\xa0", "\u2028", "\x85", "\u200b"]),
                max_size=30).map("".join))
def test_split_lines_of_news_like_text_is_the_plain_definition(text):
    # mostly texts with "\n" as their only line break, which split_lines splits as a whole
    assert split_lines(text) == plain(text)


@pytest.mark.parametrize("text", [" a\nb", "a \nb", "a\n b", "a  b", "a\n\nb", " ", "  ", "a ", " a", "\xa0a", "a\xa0",
                                  "a\xa0\nb", "a\n\xa0b", "\n", "", "a\n", "\na", "é b\n c", "é b \nc", "é  b", "é\n\nb",
                                  "a\n\n b", "a \n\nb", "a\n\n\nb c", "a b\n\n", "\n\na b", " \n", "\n ", "a\n \nb",
                                  "a\xa0\n\nb", "é\n\n c", "é \n\nc"])
def test_split_lines_of_printable_text_spaced_or_not_is_the_plain_definition(text):
    assert split_lines(text) == plain(text)


def test_split_lines_of_the_fixture_pages_is_the_plain_definition():
    pages = [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "real").glob("*.txt"))]
    for name in ("indonews_sample.jsonl", "glued_lines.jsonl", "seeds.jsonl"):
        pages += [row["text"] for row in read_jsonl(FIXTURES / name) if isinstance(row.get("text"), str)]
    assert len(pages) > 50
    for text in pages:
        assert split_lines(text) == plain(text)


def test_split_lines_examples():
    assert split_lines("a\r\n\n b \t c\x1f d\x00e\u00a0f  ") == ["a", "b c de f"]
    assert split_lines("Judul\u2028isi  berita\u00a0\u00a0 ini \u00e2\u0080\u00a2 x") == ["Judul", "isi berita ini • x"]


def test_what_the_line_by_line_fast_path_relies_on():
    # split_lines keeps a printable line with single spaces as it is, and removes invisible
    # characters after splitting: every character str.split splits on but the space, and every
    # invisible character, is not printable; no invisible character ends a line
    every = [chr(code) for code in range(0x110000)]
    assert not [c for c in every if c.isspace() and c != " " and c.isprintable()]
    invisible = [c for c in every if INVISIBLE.match(c)]
    assert len(invisible) > 40
    assert not [c for c in invisible if c.isprintable() or len(f"a{c}b".splitlines()) != 1]
    # ... and an ASCII text of ASCII_PRINTABLE_OR_NEWLINE only has only printable lines: the ASCII
    # characters left out are exactly those that are not printable, and "\n" is in
    ascii_chars = [chr(code) for code in range(128)]
    assert [c for c in ascii_chars if ord(c) not in ASCII_PRINTABLE_OR_NEWLINE] == \
        [c for c in ascii_chars if not c.isprintable() and c != "\n"]
    # ... and a part of a text between "\n"s that is printable holds no other line boundary, nor
    # does a no-break space (made a space before splitting)
    assert not [c for c in every if len(f"a{c}b".splitlines()) != 1 and c.isprintable()]
    assert "\xa0".isspace() and len("a\xa0b".splitlines()) == 1 and not INVISIBLE.match("\xa0")


def test_nfc_leaves_a_text_of_nfc_inert_characters_as_it_is():
    # NFC changes a character when it decomposes (quick check No: NFC of it alone differs), when
    # it may compose with the one before it (quick check Maybe: the second of a two-character
    # canonical decomposition, or a Hangul vowel or final consonant) or when it has a combining
    # class (reordering): none of NFC_INERT's characters is any of these
    every = [chr(code) for code in range(0x110000)]
    seconds = {chr(int(d.split()[1], 16)) for d in map(unicodedata.decomposition, every)
               if d and not d.startswith("<") and len(d.split()) == 2}
    seconds |= {chr(code) for code in range(0x1161, 0x1176)} | {chr(code) for code in range(0x11A8, 0x11C3)}
    inert = [c for c in every if NFC_INERT.fullmatch(c)]
    assert len(inert) > 800 and "\u201c" in inert and "\u00e9" in inert and "\u0301" not in inert
    assert not [c for c in inert if unicodedata.combining(c) or unicodedata.normalize("NFC", c) != c or c in seconds]
    assert NFC_INERT.fullmatch("caf\u00e9 \u201cx\u201d") and not NFC_INERT.fullmatch("cafe\u0301")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.one_of(st.sampled_from("ae\u00e9\u00c3\u00a9\u0301\u0300\u2000\u201c\u2126\n \u00a0\u3000\t"),
                                  st.characters()), max_size=40))
def test_split_lines_of_text_that_may_need_nfc_is_the_plain_definition(text):
    assert split_lines(text) == plain(text)


def test_one_line_and_without_controls_keep_a_printable_field_as_it_is():
    # their quick path: a printable value holds no character either of them removes or replaces
    every = [chr(code) for code in range(0x110000)]
    removed = [c for c in every if INVISIBLE.match(c) or CONTROLS.match(c) or LINE_BREAKS.match(c)]
    assert len(removed) > 70
    assert not [c for c in removed if c.isprintable()]
    assert one_line("  Judul berita “x” ") == "Judul berita “x”" and one_line(" ") is None
    assert one_line("Judul\u2028berita\x85x\u200b") == "Judul berita x"
    assert without_controls("https://a.id/x") == "https://a.id/x" and without_controls("a\x1b[31mb\u00ad") == "a[31mb"


def test_the_line_fixer_is_used_only_with_a_checked_ftfy():
    """`fix_line` repeats ftfy's own loop: with a checked ftfy it is the fixer (so the tests above
    compare it with ftfy), with another version ftfy's `fix_text` is."""
    import ftfy

    from cleaner.textnorm import FTFY_LOOP_CHECKED, fix_line

    assert (_line_fixer().func is fix_line) == ftfy.__version__.startswith(FTFY_LOOP_CHECKED)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.one_of(st.sampled_from(TRICKY + "\ud800\udbff\udc00\udcff\ud83d\ude00\ud7ff\ue000"),
                                  st.characters()), max_size=80))
def test_the_odd_characters_hold_a_surrogate_exactly_where_the_text_does(text):
    """`Cleaner.content` looks for a lone surrogate in a text's odd characters (which
    `split_lines` is handed), by encoding them, not in the whole text: the same verdict, the
    same lines."""
    from cleaner.pipeline import SURROGATE
    from cleaner.textnorm import odd_characters

    odd = odd_characters(text)
    assert bool(SURROGATE.search(odd)) == bool(SURROGATE.search(text))
    try:
        odd.encode()
    except UnicodeEncodeError:
        assert SURROGATE.search(text)
    else:
        assert not SURROGATE.search(text)
    assert odd == "".join(c for c in text if not (c.isascii() and (c.isprintable() or c == "\n")))
    if not text.isascii() and not SURROGATE.search(text):
        assert split_lines(text, odd) == split_lines(text)
