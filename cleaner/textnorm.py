"""Page text -> a list of clean, non-empty lines (the unit every rule works on)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache, partial

from .regexes import lazy

# Control characters (but tab and the line breaks) and the zero-width and soft characters that
# crawls leave inside words: removed outright.
INVISIBLE = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\u00ad\u200b\u200c\u200d\u2060\ufeff]")


@lru_cache(maxsize=None)
def _mojibake_fixer():
    """ftfy and its settings, imported on the first page that may need them (most never do, and
    importing ftfy is a large part of a start-up). Mojibake: UTF-8 read as Latin-1 or cp1252
    (`â\x80¢` for `•`, `Ã\x97` for `×`). Only encoding repairs: quotes, dashes, widths and
    ligatures stay as printed."""
    import ftfy

    return ftfy.fix_text, ftfy.TextFixerConfig(
        unescape_html=False, remove_terminal_escapes=False, fix_latin_ligatures=False, fix_character_width=False,
        uncurl_quotes=False, fix_line_breaks=False, remove_control_chars=False, normalization=None, explain=False,
    )


# ftfy versions whose `fix_and_explain` loop `fix_line` repeats (tests compare the two on the installed one)
FTFY_LOOP_CHECKED = ("6.3.",)
# the fixes ftfy applies after `fix_encoding` in each round of its loop, in its order (`ftfy.fix_and_explain`)
FTFY_FIXES_AFTER_ENCODING = ("fix_c1_controls", "fix_latin_ligatures", "fix_character_width", "uncurl_quotes",
                             "fix_line_breaks", "fix_surrogates", "remove_terminal_escapes", "remove_control_chars")


@lru_cache(maxsize=None)
def _line_fixer():
    """`fix_line` with ftfy's parts and the settings of `_mojibake_fixer`."""
    import ftfy

    fix_text, config = _mojibake_fixer()
    if (config.unescape_html or config.normalization is not None or not config.fix_encoding  # (settings `fix_line` is not for)
            or not ftfy.__version__.startswith(FTFY_LOOP_CHECKED)  # (a loop `fix_line` was not checked against)
            or not all(name in getattr(ftfy, "FIXERS", ()) for name in FTFY_FIXES_AFTER_ENCODING)):
        return partial(fix_text, config=config)
    fixes = tuple(ftfy.FIXERS[name] for name in FTFY_FIXES_AFTER_ENCODING if getattr(config, name))
    return partial(fix_line, fix_text=fix_text, config=config, fix_encoding=ftfy.fix_encoding, fixes=fixes)


def fix_line(line: str, fix_text, config, fix_encoding, fixes) -> str:
    """`fix_text(line, config)` of one line (no "\n" but at its end), a round of ftfy's loop sooner
    where it can: for settings that only fix encodings (no HTML unescaping, no normalisation).

    ftfy repeats a round (`fix_encoding`, then each of `fixes`) until a round gives back the text
    it was given. `fix_encoding` returns a text it would give back as it is (its own loop stops
    there, and it reads nothing but the text): when each fix of a round leaves its input as it is,
    the next round gives back what this one returned, which is then ftfy's answer. A fixed line
    went through ftfy's encoding check three times, now twice."""
    if len(line) > config.max_decode_length:  # ftfy would cut it into segments
        return fix_text(line, config)
    while True:
        before = line
        line = fix_encoding(line)
        settled = True
        for fix in fixes:
            fixed = fix(line)
            if fixed != line:
                line, settled = fixed, False
        if settled or line == before:
            return line


# (`regex` finds it about three times faster than `re` in a page without any)
MAYBE_MOJIBAKE = lazy("[\u00c2-\u00f0][\u0080-\u00bf\u0152-\u2122]")  # a lead byte and a continuation, as Latin-1/cp1252


def repair_mojibake(text: str) -> str:
    """`â\x80¢` -> `•`; text without a UTF-8 byte pair read as Latin-1 comes back as is. Runs
    before control characters are stripped: U+0080-U+009F are part of what it repairs."""
    if text.isascii() or not MAYBE_MOJIBAKE.search(text):
        return text
    fix = _line_fixer()
    # ftfy fixes each line (up to its "\n") on its own, and a line of ASCII comes back as it was
    # (no byte to re-decode, no C1 control, no surrogate): only the others go through it, which
    # spares its per-line overhead on the blank lines of a page's text (the same result)
    pieces = text.split("\n")
    lines = [piece + "\n" for piece in pieces[:-1]]
    if pieces[-1]:
        lines.append(pieces[-1])
    return "".join(line if line.isascii() else fix(line) for line in lines)


# The ASCII characters that are printable, and "\n": an ASCII text of only these has only printable
# lines, and "\n" as its only line boundary
ASCII_PRINTABLE_OR_NEWLINE = bytes(c for c in range(128) if chr(c).isprintable() or chr(c) == "\n")

# Characters NFC leaves as they are wherever they stand: combining class 0, NFC quick check Yes
# (none is decomposed, none composes with the character before it). A text of only these is in
# NFC already (tests/test_textnorm.py checks each one)
NFC_INERT = re.compile("[\x00-\x7f\u00a0-\u02ff\u2002-\u206f]*")


def odd_characters(text: str) -> str:
    """The characters of `text` that are not printable ASCII or "\n", in order: for a text that
    is not ASCII, mostly a few letters, quotes and dashes (and a lone surrogate, if it holds one).
    ASCII bytes are never part of a longer UTF-8 sequence, so one `bytes.translate` finds them."""
    rest = text.encode("utf-8", "surrogatepass").translate(None, ASCII_PRINTABLE_OR_NEWLINE)
    return rest.decode("utf-8", "surrogatepass")


def split_lines(text: str, odd: str | None = None) -> list[str]:
    """Repair mojibake, normalise line endings and spacing, drop blank lines. `a\\r\\n\\n b ` -> ['a', 'b'].

    Every Unicode line boundary ends a line (str.splitlines); every run of whitespace inside a
    line, no-break spaces included, becomes one space (str.split); invisible characters go.
    Line by line, and only where a line needs it: no invisible character is a line boundary, so
    removing them after splitting is removing them before; most lines are printable
    (`str.isprintable`: no control, format, private-use or unassigned character and no
    whitespace but the space) and spaced already, and are kept as they are. The text is split
    at "\n" first (a memchr, where splitlines tests every character for a boundary): every other
    line boundary is not printable, so only a part that is not printable can hold one, and is
    split again; blank lines, which "\r\n" counted as one boundary would not make, go anyway.

    `odd`: `odd_characters(text)` of a text that is not ASCII, where the caller has them already."""
    printable = False  # every part is known to be printable
    if not text.isascii():
        # the text's odd characters say whether it can hold mojibake (two of them side by side),
        # needs NFC or has a character that is not printable
        rest = odd_characters(text) if odd is None else odd
        if MAYBE_MOJIBAKE.search(rest) or not NFC_INERT.fullmatch(rest):
            text = unicodedata.normalize("NFC", repair_mojibake(text))
            rest = None
        if "\xa0" in text:  # (a third of the pages) a space to str.split, not a line boundary, not removed:
            text = text.replace("\xa0", " ")  # as a space its lines stay printable
            rest = rest if rest is None else rest.replace("\xa0", " ")
        printable = rest is not None and rest.isprintable()
    else:  # one pass over the text's bytes instead of `isprintable` on each line
        printable = not text.encode("ascii").translate(None, ASCII_PRINTABLE_OR_NEWLINE)
    if printable and text[:1] != " " and text[-1:] != " " and (
            "  " not in text.replace("\n", " ") or ("  " not in text and " \n" not in text and "\n " not in text)):
        # (most pages) no part holds two spaces in a row or starts or ends with one: every part
        # is single-spaced already, and one test of the text spares one of each line. With its
        # "\n"s made spaces (a copy that jumps from one "\n" to the next), one search for two
        # spaces tests all three at once; a text with a blank line fails it and is tested as written
        return list(filter(None, text.split("\n")))
    lines = []
    for part in text.split("\n"):
        if printable or part.isprintable():
            part = single_spaced(part)
            if part:
                lines.append(part)
            continue
        for line in part.splitlines():  # a tab, an invisible or control character, another line boundary
            line = " ".join(INVISIBLE.sub("", line).split()) if not line.isprintable() else single_spaced(line)
            if line:
                lines.append(line)
    return lines


def single_spaced(line: str) -> str:
    """A printable line with single spaces between its words and none around them."""
    if "  " in line or line[:1] == " " or line[-1:] == " ":
        return " ".join(line.split())
    return line


LINE_BREAKS = re.compile("[\t\n\x0b\x0c\r\x1c-\x1e\x85\u2028\u2029]+")


def one_line(value):
    """A field such as a title: invisible and control characters removed, line breaks and tabs
    made spaces, ends trimmed; None for nothing left. Non-strings are returned as they are."""
    if not isinstance(value, str):
        return value
    if value.isprintable():  # no invisible character, control or line break (each is not printable): most fields
        return value.strip() or None
    return LINE_BREAKS.sub(" ", INVISIBLE.sub("", value)).strip() or None


CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")


def without_controls(value):
    """An identifier or URL with every control character (escape sequences' ESC included) removed."""
    if not isinstance(value, str) or value.isprintable():  # (as in `one_line`)
        return value
    return CONTROLS.sub("", INVISIBLE.sub("", value))
