"""Literal gates: what text a line must hold for a pattern to possibly match it.

A pattern's gate is read off its syntax tree: the literals one of which a match must start with
(`^(?:iklan|advertisement|...)`: the line starts with one of them), or else the literals one
of which a match must contain (`...\\b(?:whatsapp|telegram)\\b...`). Both are compared case-
folded (a case-insensitive pattern matches a line only if the folded line holds the folded
literal), so a gate may let through lines the pattern does not match, never the reverse.
Testing a line against a pack's gates is one `startswith` and a few `in`s: far cheaper than
running the patterns, which then run only on the lines the gates let through.

The syntax tree is Python's own (`re`'s parser), which reads the `regex` syntax the packs use
except for a few extensions: a pattern using one that `re` would read differently (POSIX
classes, fuzzy matching, ...) or that `re` cannot parse gets no gate and is always run.
"""

from __future__ import annotations

from typing import NamedTuple

import ahocorasick_rs
from .regexes import lazy

try:  # Python 3.11+
    from re import _constants as sre, _parser as sre_parse
except ImportError:  # pragma: no cover - Python 3.9/3.10
    import sre_constants as sre
    import sre_parse

# `regex` syntax that `re` would parse without error but read differently: POSIX classes,
# fuzzy constraints, quantifiers with spaces, and escapes `re` does not know.
READ_DIFFERENTLY = lazy(r"\[:\^?\w+:\]|\{[^}]*[<=][^}]*\}|\{[\d,\s]*\s[\d,\s]*\}|\\[QEGKmMXhVRL]")
PROPERTY = lazy(r"(?<!\\)((?:\\\\)*)\\[pP](?:\{[^}]*\}|\w)")  # \p{L}: a class of no literal
REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT) + ((sre.POSSESSIVE_REPEAT,) if hasattr(sre, "POSSESSIVE_REPEAT") else ())
LINE_START = (sre.AT_BEGINNING, sre.AT_BEGINNING_STRING)
SMALL_CLASS = 4  # a class of at most this many characters (`[:»>|]`) counts as literals
TELLING = 3  # a `needs` gate whose literals weigh less (`id`, `, `) lets most lines through: none


# Letters `regex` matches case-insensitively to an ASCII letter whose casefold is not that letter:
# the Turkish dotted capital and dotless small i (`(?i)iklan` matches `İklan`).
DOTTED_I = {0x130: "i", 0x131: "i"}


def fold(text: str) -> str:
    """The text as gates compare it: casefolded, with the Turkish i's made `i` (`DOTTED_I`), so
    that a folded line holds a pattern's folded literal wherever the pattern matches it."""
    if "\u0130" in text or "\u0131" in text:
        text = text.translate(DOTTED_I)
    return text.casefold()


class Gate(NamedTuple):
    """`prefixes`: a match starts the line with one of these; else `needs`: a match holds one of
    these (never both). Both folded (`fold`); a pattern with neither has no gate (None)."""

    prefixes: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()

    def admits(self, folded: str) -> bool:
        """May the pattern match a line whose `fold` is `folded`?"""
        return folded.startswith(self.prefixes) or any(map(folded.__contains__, self.needs))


def _tree(source: str) -> list | None:
    """The pattern's syntax tree as `re` reads it; None where `re` would read it differently or
    cannot read it."""
    if READ_DIFFERENTLY.search(source):
        return None
    try:
        return list(sre_parse.parse(PROPERTY.sub(lambda m: m.group(1) + r"\w", source)))
    except Exception:  # noqa: BLE001 - any syntax `re` does not read: no gate
        return None


def gate(source: str) -> Gate | None:
    tree = _tree(source)
    if tree is None:
        return None
    if tree and tree[0][0] is sre.AT and tree[0][1] in LINE_START:
        prefixes = _starts(tree[1:])
        if prefixes:
            return Gate(prefixes=_folded(prefixes))
    needs = _holds(tree)
    return Gate(needs=_folded(needs)) if needs and _telling(needs) >= TELLING else None


def _weight(literal: str) -> int:
    """How rarely a literal occurs in a line of prose, roughly: letters count one each, a mark
    (`(`, `|`, `@`) three, but hyphens and apostrophes one; spaces, commas and full stops nothing."""
    return sum(1 if c.isalnum() or c in "-'" else 0 if c in " ,." else 3 for c in literal)


def _telling(literals: set[str]) -> int:
    return min(map(_weight, literals))


def _folded(literals: set[str]) -> tuple[str, ...]:
    return tuple(sorted({fold(lit) for lit in literals}))


def _starts(items: list) -> set[str] | None:
    """The literals one of which a match of `items` starts with, or None when it may start with
    anything (or nothing)."""
    run = ""
    for i, (op, av) in enumerate(items):
        if op is sre.LITERAL:
            run += chr(av)
            continue
        if run:
            return {run}
        rest = items[i + 1:]
        if op is sre.SUBPATTERN:
            return _starts(list(av[3]) + rest)
        if op is sre.BRANCH:
            found = set()
            for branch in av[1]:
                starts = _starts(list(branch) + rest)
                if not starts:
                    return None
                found |= starts
            return found
        if op is sre.IN:
            chars = _small_class(av)
            return set(chars) if chars else None
        if op in REPEATS and av[0] >= 1:
            return _starts(list(av[2]))
        return None
    return {run} if run else None


def _holds(items: list) -> set[str] | None:
    """Literals one of which every match of `items` contains (the most telling such set), or None.

    Items that match one of a few known strings (a literal, a small class, an alternation of
    such) are multiplied out with their neighbours: `(?:Baca|Lihat) (?:[Jj]uga|JUGA)` holds one
    of `baca juga`, `lihat juga`, far rarer in prose than `baca` or `juga` (up to PRODUCT)."""
    found, run = [], {""}
    for op, av in items:
        exact = _exact(op, av)
        if exact is not None and len(run) * len(exact) <= PRODUCT:
            run = {a + b for a in run for b in exact}
        else:
            if run != {""}:
                found.append(run)
            run = exact if exact is not None else {""}
        if op is not sre.LITERAL:
            found.append(_holds_one(op, av))
    if run != {""}:
        found.append(run)
    found = [f for f in found if f]
    # the set whose least telling literal tells most (short words occur everywhere), then the smallest,
    # then the one whose shortest literal is longest (`.id` is rarer than the `id` of "tidak")
    return max(found, key=lambda f: (_telling(f), -len(f), min(map(len, f)))) if found else None


PRODUCT = 8  # at most this many strings multiplied out (each is one more look at a page)


def _exact(op, av) -> set[str] | None:
    """The strings an item matches, folded, when it matches one of a few (PRODUCT) known ones,
    else None."""
    if op is sre.LITERAL:
        return {fold(chr(av))}
    if op is sre.AT:  # `\b`, `^`, `$`: zero-width, they match the empty string (where they match at all)
        return {""}
    if op is sre.IN:
        chars = _small_class(av)
        return set(map(fold, chars)) if chars else None
    if op in REPEATS and av[0] == 0 and av[1] == 1:  # optional: `(?:juga )?`
        strings = _exact_sequence(list(av[2]))
        return strings | {""} if strings is not None else None
    if op is sre.SUBPATTERN:
        return _exact_sequence(list(av[3]))
    if op is sre.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            strings = _exact_sequence(list(branch))
            if strings is None:
                return None
            out |= strings
        return out if len(out) <= PRODUCT else None
    return None


def _exact_sequence(items: list) -> set[str] | None:
    out = {""}
    for op, av in items:
        strings = _exact(op, av)
        if strings is None or len(out) * len(strings) > PRODUCT:
            return None
        out = {a + b for a in out for b in strings}
    return out


def _holds_one(op, av) -> set[str] | None:
    if op is sre.SUBPATTERN:
        return _holds(list(av[3]))
    if op is getattr(sre, "ATOMIC_GROUP", None):
        return _holds(list(av))
    if op is sre.BRANCH:
        found = set()
        for branch in av[1]:
            holds = _holds(list(branch))
            if not holds:
                return None
            found |= holds
        return found
    if op in REPEATS and av[0] >= 1:
        return _holds(list(av[2]))
    if op is sre.IN:
        chars = _small_class(av)
        return set(chars) if chars else None
    return None


def lookaround_gates(source: str) -> tuple[Gate, ...]:
    """One `needs` gate for each positive lookaround at the top of the pattern (`(?i)^(?=.*\\.com)
    (?=.*\\bkami\\b)`: what a lookaround matches lies in the line too), of any weight: the
    pattern can match a line only if every one of them admits it. `gate` leaves lookarounds
    out, and a rule made of lookaheads gets no gate there (`where = "last"` rules, which run
    only on a page's last lines, where even a common literal pays)."""
    tree = _tree(source)
    found = []
    for op, av in tree or ():
        if op is sre.ASSERT:  # (direction, items): a lookahead or lookbehind that must match
            needs = _holds(list(av[1]))
            if needs and all(needs):
                found.append(Gate(needs=_folded(needs)))
    return tuple(found)


def needs_digit(source: str) -> bool:
    """Every match of the pattern holds a decimal digit (a `\\d`, `[0-9]` or digit it cannot do
    without): a line without one cannot match it. Date patterns are most of the built-in patterns
    without a literal gate, and most lines of a story have no digit."""
    tree = _tree(source)
    return tree is not None and _needs_digit(tree)


def _needs_digit(items) -> bool:
    return any(_item_needs_digit(op, av) for op, av in items)


def _item_needs_digit(op, av) -> bool:
    if op is sre.LITERAL:
        return chr(av) in DIGITS
    if op is sre.IN:  # a class of digits only: `\d`, `[0-9]`, `[0-3]`
        return bool(av) and all(_digit_member(member, value) for member, value in av)
    if op is sre.SUBPATTERN:
        return _needs_digit(list(av[3]))
    if op is getattr(sre, "ATOMIC_GROUP", None):
        return _needs_digit(list(av))
    if op is sre.BRANCH:
        return all(_needs_digit(list(branch)) for branch in av[1])
    if op in REPEATS:
        return av[0] >= 1 and _needs_digit(list(av[2]))
    if op is sre.ASSERT:  # a lookahead or lookbehind that must match: what it matches is in the line
        return _needs_digit(list(av[1]))
    return False


DIGITS = "0123456789"


def _digit_member(op, av) -> bool:
    return ((op is sre.CATEGORY and av is sre.CATEGORY_DIGIT) or (op is sre.LITERAL and chr(av) in DIGITS)
            or (op is sre.RANGE and ord("0") <= av[0] <= av[1] <= ord("9")))


# Properties that hold no letter, nor match one case-insensitively (tests/test_literals.py checks
# this with the engine): read as a character that is none (`\x00`) when asking what a match may
# start with. Any other property counts as a class of letters.
LETTERLESS_PROPERTIES = ("P", "Pd", "Ps", "Pe", "Pi", "Pf", "Pc", "Po", "S", "Sm", "Sc", "Sk", "So",
                         "N", "Nd", "No", "Z", "Zs")
PROPERTY_NAME = lazy(r"(?<!\\)((?:\\\\)*)\\p\{(\w+)\}")


def line_edges(source: str) -> tuple[str | None, bool]:
    """(`line_end(source)`, whether every match starts the line with no letter: `starts_line` and
    not `may_start_with_letter`): what `prefilter.LineEnd` asks of a line's two ends."""
    return line_end(source), starts_line(source) and not may_start_with_letter(source)


def starts_line(source: str) -> bool:
    """Every match of the pattern starts at the line's start: its syntax tree opens with `^` (or
    `\\A`) outside any alternative, and it is not in multi-line mode (`^a|b` and `(?m)^a` are not)."""
    if READ_DIFFERENTLY.search(source):
        return False
    try:
        parsed = sre_parse.parse(PROPERTY.sub(lambda m: m.group(1) + r"\w", source))
    except Exception:  # noqa: BLE001 - any syntax `re` does not read: it may not
        return False
    items = list(parsed)
    return (not parsed.state.flags & MULTILINE_FLAGS and bool(items) and items[0][0] is sre.AT
            and items[0][1] in LINE_START)


def may_start_with_letter(source: str) -> bool:
    """Can a match of the pattern start with a letter? False only where its syntax says no: the
    first character a match consumes comes from classes of no letter (`^[-–—_*=~•·.\\s]{3,}`,
    `^(?:[\\p{P}\\p{S}]{1,3}|\\d{1,2})$`). Lookarounds consume nothing and are passed over
    (that can only say yes more often). A line that starts with a letter need not be tried."""
    parsed = _parsed_for_letters(source)
    return True if parsed is None else _may_start_with_letter(list(parsed), [200])


def _parsed_for_letters(source: str):
    """The pattern's syntax tree (`re`'s parser), its letterless properties read as a character
    that is none (`\\x00`) and any other property as `\\w` (a class of letters); None where `re`
    would read it differently or cannot read it."""
    if READ_DIFFERENTLY.search(source):
        return None
    letterless = PROPERTY_NAME.sub(lambda m: m.group(1) + ("\\x00" if m.group(2) in LETTERLESS_PROPERTIES else m.group(0)[len(m.group(1)):]), source)
    try:
        return sre_parse.parse(PROPERTY.sub(lambda m: m.group(1) + r"\w", letterless))
    except Exception:  # noqa: BLE001 - any syntax `re` does not read
        return None


def _may_start_with_letter(items: list, budget: list[int]) -> bool:
    budget[0] -= 1
    if budget[0] < 0:  # a pattern too intricate to follow: it may
        return True
    for k, (op, av) in enumerate(items):
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):  # consume nothing
            continue
        rest = items[k + 1:]
        if op is sre.LITERAL:
            return chr(av).isalpha()
        if op is sre.IN:
            return _class_may_hold_letter(av)
        if op is sre.SUBPATTERN:
            return _may_start_with_letter(list(av[3]) + rest, budget)
        if op is getattr(sre, "ATOMIC_GROUP", None):
            return _may_start_with_letter(list(av) + rest, budget)
        if op is sre.BRANCH:
            return any(_may_start_with_letter(list(branch) + rest, budget) for branch in av[1])
        if op in REPEATS:
            return _may_start_with_letter(list(av[2]) + rest, budget) or (
                av[0] == 0 and _may_start_with_letter(rest, budget))
        return True  # any character, a backreference, ...
    return True  # the pattern may match nothing at all


def letterless_lines_only(source: str) -> bool:
    """Every match of the pattern ends at the line's end (`$`, `\\Z`, not in multi-line mode) and
    consumes no character that is or may match a letter (`^[-–—_*=~•·.\\s]{3,}$`,
    `^(?:[\\p{P}\\p{S}]{1,3}|\\d{1,2})$`). A pattern that also starts the line (`starts_line`)
    matches it whole (but a final line break), so it matches no line whose second character is a
    letter: a quoted line (`"Kata dia ...`) need not be tried."""
    parsed = _parsed_for_letters(source)
    if parsed is None:
        return False
    items = list(parsed)
    return not parsed.state.flags & MULTILINE_FLAGS and _consumes_no_letter(items) and _ends_at_line_end(items)


def _consumes_no_letter(items) -> bool:
    for op, av in items:
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):  # consume nothing
            continue
        if op is sre.LITERAL:
            if chr(av).isalpha():
                return False
        elif op is sre.IN:
            if _class_may_hold_letter(av):
                return False
        elif op is sre.SUBPATTERN:
            if not _consumes_no_letter(av[3]):
                return False
        elif op is getattr(sre, "ATOMIC_GROUP", None):
            if not _consumes_no_letter(av):
                return False
        elif op is sre.BRANCH:
            if not all(_consumes_no_letter(branch) for branch in av[1]):
                return False
        elif op in REPEATS:
            if not _consumes_no_letter(av[2]):
                return False
        else:  # any character, a backreference, ...
            return False
    return True


def _ends_at_line_end(items) -> bool:
    for op, av in reversed(list(items)):
        if op in (sre.ASSERT, sre.ASSERT_NOT):  # consume nothing
            continue
        if op is sre.AT:
            return av in END
        if op is sre.SUBPATTERN:
            return not av[1] & MULTILINE_FLAGS and _ends_at_line_end(av[3])
        if op is getattr(sre, "ATOMIC_GROUP", None):
            return _ends_at_line_end(av)
        if op is sre.BRANCH:
            return all(_ends_at_line_end(branch) for branch in av[1])
        return False
    return False


def _class_may_hold_letter(av) -> bool:
    for op, value in av:
        if op is sre.LITERAL:
            if chr(value).isalpha():
                return True
        elif op is sre.RANGE:
            lo, hi = value
            if hi - lo > 5000 or any(chr(c).isalpha() for c in range(lo, hi + 1)):
                return True
        elif op is sre.CATEGORY:
            if value not in (sre.CATEGORY_DIGIT, sre.CATEGORY_SPACE):
                return True
        else:  # a negated class, ...
            return True
    return False


# What a line's last character may be, for a pattern whose every match ends at the line's end
# (`$`, `\Z`): a class of the `regex` engine, read off the pattern's syntax tree. Most story lines
# end with a full stop; a date line (`Senin, 17 Januari 2024 10:15 WIB`) with a digit or a zone.
PROPERTY_MARK = 0xF0000  # `\p{..}` read as a character of Plane 15 of its own (`line_end` keeps its source)
LAST_CHAR_BUDGET = 200  # paths followed back from the end of a pattern before it is taken to end in anything
CATEGORY_SOURCE = {sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_NOT_DIGIT: r"\D", sre.CATEGORY_SPACE: r"\s",
                   sre.CATEGORY_NOT_SPACE: r"\S", sre.CATEGORY_WORD: r"\w", sre.CATEGORY_NOT_WORD: r"\W"}
END = (sre.AT_END, sre.AT_END_STRING)
MULTILINE_FLAGS = sre.SRE_FLAG_MULTILINE | sre.SRE_FLAG_LOCALE


def line_end(source: str) -> str | None:
    """A `regex` pattern that the last character of every line (without a line break) the
    pattern matches fullmatches; None when that may be any character. Two things tell:

    - the pattern ends at the line's end (`$`, `\\Z`) on every path, and what a match consumes
      last comes from known classes: `...\\d{4}(?: WIB)?$` ends with a digit or `B`;
    - a negative lookahead at the line's start refuses a line ending in a class:
      `^(?!.*[.:]$)...` (`.*` spans a line without a line break);
    - a lookahead after the match says what the rest of the line is made of: `\\)(?=[\\p{Ll} ]*$)`
      ends a line in `)`, a lower-case letter or a space.

    Classes are written again as the engine's own (`\\d`, `(?i:[\\U00000062])`, `\\p{Lu}` as written),
    so the engine decides what they hold. Only what `re`'s parser reads as `regex` does
    (`_tree`), without multi-line mode, and in the engine's default version (its case folding is
    a character's alone: `(?i)ss` cannot match `ß`)."""
    if READ_DIFFERENTLY.search(source) or any(ord(c) >= PROPERTY_MARK for c in source) or (
            regex_version_is_not_default()):
        return None
    properties: list[str] = []

    def marked(m) -> str:
        properties.append(m.group(0)[len(m.group(1)):])
        return m.group(1) + f"\\U{PROPERTY_MARK + len(properties) - 1:08x}"

    try:
        parsed = sre_parse.parse(PROPERTY.sub(marked, source))
    except Exception:  # noqa: BLE001 - any syntax `re` does not read: it may end anyhow
        return None
    flags = parsed.state.flags
    if flags & MULTILINE_FLAGS:
        return None
    tree = [(op, av, flags) for op, av in parsed]
    try:
        last = _last_chars(tree, False, [LAST_CHAR_BUDGET], properties)
        refused = _refused_ends(tree, properties)
    except _Anything:
        return None
    if last is None and not refused:
        return None
    may = "|".join(sorted(last)) if last is not None else "(?s:.)"
    return f"(?!{'|'.join(sorted(refused))})(?:{may})" if refused else f"(?:{may})"


class _Anything(Exception):
    """A part of a pattern `line_end` does not follow (multi-line mode, a locale): no gate."""


def regex_version_is_not_default() -> bool:
    import regex

    return regex.DEFAULT_VERSION != regex.VERSION0


def _flagged(items, flags: int) -> list:
    return [(op, av, flags) for op, av in items]


def _last_chars(items: list, end_seen: bool, budget: list[int], properties: list[str]) -> set[str] | None:
    """The classes (as sources) what a match of `items` consumes last may come from, given that
    it ends at the line's end (`end_seen`: a `$` or `\\Z` comes after `items`); None: anything,
    or the match may be empty, or it may end elsewhere."""
    budget[0] -= 1
    if budget[0] < 0:
        return None
    for k in range(len(items) - 1, -1, -1):
        op, av, flags = items[k]
        rest = items[:k]
        if op is sre.ASSERT and av[0] == 1 and not end_seen:  # `(?=[\p{Ll} ]*$)`: the rest of the line is of a class
            tail = _rest_of_line_class(list(av[1]), flags, properties)
            if tail is not None:
                before = _last_chars(rest, True, budget, properties)
                return None if before is None else before | {tail}
        if op in (sre.ASSERT, sre.ASSERT_NOT):  # consume nothing
            continue
        if op is sre.AT:
            end_seen = end_seen or av in END
            continue
        if op is sre.SUBPATTERN:
            inner = (flags | av[1]) & ~av[2]
            if inner & MULTILINE_FLAGS:
                raise _Anything
            return _last_chars(rest + _flagged(av[3], inner), end_seen, budget, properties)
        if op is getattr(sre, "ATOMIC_GROUP", None):
            return _last_chars(rest + _flagged(av, flags), end_seen, budget, properties)
        if op is sre.BRANCH:
            found: set[str] = set()
            for branch in av[1]:
                more = _last_chars(rest + _flagged(branch, flags), end_seen, budget, properties)
                if more is None:
                    return None
                found |= more
            return found
        if op in REPEATS:
            low, high, inner_items = av
            if high == 0:
                continue
            found = _last_chars(rest + _flagged(inner_items, flags), end_seen, budget, properties)
            if found is None:
                return None
            if low == 0:
                before = _last_chars(rest, end_seen, budget, properties)
                return None if before is None else found | before
            return found
        if not end_seen:
            return None
        one = _class_source(op, av, flags, properties)
        return None if one is None else {one}
    return None  # the match may consume nothing at all


def _rest_of_line_class(items: list, flags: int, properties: list[str]) -> str | None:
    """The class of a lookahead `(?=X*$)` (any repeat of one class, then the end): what follows
    the match is made of it, so the line ends in it or where the match ends."""
    if len(items) == 2 and items[0][0] in REPEATS and items[1] in ((sre.AT, end) for end in END):
        inner = list(items[0][1][2])
        if len(inner) == 1:
            return _class_source(*inner[0], flags, properties)
    return None


def _refused_ends(items: list, properties: list[str]) -> set[str]:
    """Classes a line must not end in: `^(?!.*[.:]$)...` (the lookahead at the line's start)."""
    refused: set[str] = set()
    if not items or items[0][0] is not sre.AT or items[0][1] not in LINE_START:
        return refused
    for op, av, flags in items[1:]:
        if op is sre.ASSERT_NOT and av[0] == 1:
            inner = list(av[1])
            if (len(inner) == 3 and inner[0][0] in (sre.MAX_REPEAT, sre.MIN_REPEAT) and inner[0][1][:2] == (0, sre.MAXREPEAT)
                    and list(inner[0][1][2]) == [(sre.ANY, None)] and inner[2] == (sre.AT, sre.AT_END)):
                one = _class_source(*inner[1], flags, properties)
                if one is not None:
                    refused.add(one)
        elif op not in (sre.ASSERT, sre.AT):
            break
    return refused


def _class_source(op, av, flags: int, properties: list[str]) -> str | None:
    """One character's class as a source the engine reads as the pattern does, or None."""
    if op is sre.LITERAL:
        members, negated = [(op, av)], False
    elif op is sre.NOT_LITERAL:
        members, negated = [(sre.LITERAL, av)], True
    elif op is sre.IN:
        members = list(av)
        negated = bool(members) and members[0][0] is sre.NEGATE
        members = members[1:] if negated else members
    else:
        return None
    parts = []
    for member, value in members:
        if member is sre.LITERAL:
            parts.append(properties[value - PROPERTY_MARK] if value >= PROPERTY_MARK else f"\\U{value:08x}")
        elif member is sre.RANGE and value[1] < PROPERTY_MARK:
            parts.append(f"\\U{value[0]:08x}-\\U{value[1]:08x}")
        elif member is sre.CATEGORY and value in CATEGORY_SOURCE:
            parts.append(CATEGORY_SOURCE[value])
        else:
            return None
    if not parts:
        return None
    mode = ("i" if flags & sre.SRE_FLAG_IGNORECASE else "") + ("a" if flags & sre.SRE_FLAG_ASCII else "")
    return f"(?{mode}:[{'^' if negated else ''}{''.join(parts)}])" if mode else f"[{'^' if negated else ''}{''.join(parts)}]"


def _small_class(av) -> list[str] | None:
    if len(av) <= SMALL_CLASS and all(op is sre.LITERAL for op, _ in av):
        return [chr(c) for _, c in av]
    return None


# How common each character is in folded news text, per mille (dev.jsonl: Indonesian with some
# English); any other character is rarer. `PageGates` looks for a literal by an anchor that
# starts with one of a few characters chosen with these weights.
COMMON = {"a": 151, " ": 131, "n": 82, "i": 67, "e": 67, "r": 44, "t": 44, "u": 39, "s": 39, "k": 38,
          "m": 36, "d": 32, "g": 30, "l": 28, "p": 26, "b": 22, "o": 19, "h": 17, "y": 12, ",": 10,
          ".": 9, "j": 9, "c": 7, "w": 4, "f": 3, "v": 2}
ANCHOR = 4  # an anchor keeps at least this many characters of its literal (all of a shorter one)


def anchor_starts(literals) -> set[str]:
    """Few characters, rare ones first, such that each literal holds one of them with at least
    `ANCHOR` characters from it to the literal's end (or starts with one, if shorter): the
    characters its anchor (`_anchor`) may start with. Chosen greedily, by the literals a
    character would serve over how common it is."""
    chosen: set[str] = set()
    left = {frozenset(lit[:_last_anchor_start(lit) + 1]) for lit in literals if lit}  # where each may start
    while left:
        serves: dict[str, int] = {}
        for options in left:
            for c in options:
                serves[c] = serves.get(c, 0) + 1
        best = max(sorted(serves), key=lambda c: serves[c] / (COMMON.get(c, 0) + 2))
        chosen.add(best)
        left = {options for options in left if best not in options}
    return chosen


def _last_anchor_start(literal: str) -> int:
    return len(literal) - min(len(literal), ANCHOR)


def _anchor(literal: str, starts: set[str]) -> str:
    """The longest end of the literal that starts with one of `starts` (`anchor_starts`)."""
    return literal[next(j for j, c in enumerate(literal[:_last_anchor_start(literal) + 1]) if c in starts):]


class PageGates:
    """Every distinct gate of a pack's patterns, tested on all the lines of a page at once.

    `masks(lines)` gives each line an int whose bit `bit(g)` is set exactly when `g.admits` the
    folded line: the same verdicts as asking each gate about each line, for a fraction of
    the cost. One Aho-Corasick automaton holds every prefix, after a line break, and every
    `needs` literal by its anchor: the end of it that starts with one of a few characters
    (`anchor_starts`). It walks the folded page (its lines joined by line breaks, after a
    leading one) once and reports every occurrence of every key, overlapping ones too, in the
    order they end; a line break is a key too, so the occurrences of a line come after as many
    line breaks as lines before it (no line's length is asked). A
    prefix's occurrence sets its bits on the line it lies in, an anchor's the bits of each of
    its literals that ends there (looked at in the page). No literal but the leading line
    break of a prefix holds a line break, so an occurrence lies inside one line, and a prefix
    found after a line break starts that line. (A literal test per literal was most of a
    page's rule work: ~75 scans of the whole page. The automaton is `ahocorasick_rs`'s DFA, a
    table lookup a character: ~8 us a page on dev.jsonl against ~29 for pyahocorasick's walk,
    whose cost grew with how many characters a key may start with; keyed by whole literals
    instead of anchors the DFA takes ~10 us.) It walks the page's UTF-8 bytes, and offsets are
    bytes: for a `str` the automaton maps every byte offset of the page back to a character
    index, as many instructions as the walk itself. An encoded key occurs in an encoded page
    only where the key occurs (UTF-8 never starts a character inside another one)."""

    def __init__(self, gates):
        self._bits: dict[Gate, int] = {}
        keys: dict[str, int] = {}  # "\n" + a prefix, or a `needs` literal
        self._always = 0  # gates a literal with a line break (or an empty one): no need to look
        for g in gates:
            if g is None or g in self._bits:
                continue
            bit = self._bits[g] = 1 << len(self._bits)
            if any("\n" in lit or not lit for lit in g.prefixes + g.needs):
                self._always |= bit
                continue
            for key in ["\n" + lit for lit in g.prefixes] + list(g.needs):
                keys[key] = keys.get(key, 0) | bit
        self._automaton = None
        if keys:
            starts = anchor_starts([key for key in keys if not key.startswith("\n")])
            words: dict[str, tuple] = {}  # automaton word: (its own bits, a prefix's length, (literal, bits) to check)
            for key, mask in keys.items():
                if key.startswith("\n"):
                    words[key] = (mask, len(key.encode()), ())  # (its length in UTF-8 bytes)
                    continue
                anchor = _anchor(key, starts)
                own, length, checks = words.get(anchor, (0, 0, ()))
                words[anchor] = (own | mask, length, checks) if anchor == key else (own, length, checks + ((key, mask),))
            self._values = [(own, length, tuple((literal.encode(), bits) for literal, bits in checks))
                            for own, length, checks in words.values()]  # by the word's index
            self._line_break = len(words)  # the last word: a line break, which counts the lines (`masks`)
            self._values.append((0, 1, ()))
            self._automaton = ahocorasick_rs.BytesAhoCorasick([word.encode() for word in words] + [b"\n"],
                                                              matchkind=ahocorasick_rs.MatchKind.Standard,
                                                              implementation=ahocorasick_rs.Implementation.DFA)

    def bit(self, g: Gate | None) -> int | None:
        """The bit of a gate in `masks`, or None for no gate (a pattern that is always tried)."""
        return None if g is None else self._bits.get(g)

    def masks(self, lines: list[str]) -> list[int]:
        out = [self._always] * len(lines)
        if self._automaton is None or not lines:
            return out
        page = "\n" + "\n".join(lines)
        if page.isascii():  # (known without a look) casefolded at once, and its UTF-8 is itself
            data = page.casefold().encode()
        else:  # line by line: an ASCII line is casefolded and encoded far faster than a page with one `é`
            folds = fold if "\u0130" in page or "\u0131" in page else str.casefold  # (`fold` without a Turkish i)
            data = b"\n" + b"\n".join(map(str.encode, map(folds, lines)))
        values, line_break, line = self._values, self._line_break, -1
        try:
            for index, _, stop in self._automaton.find_matches_as_indexes(data, overlapping=True):
                if index == line_break:  # (occurrences come in the order they end) the next line starts
                    line += 1
                    continue
                mask, _, checks = values[index]
                out[line] |= mask
                for literal, bits in checks:  # the anchor ends these literals: which of them end here?
                    at = stop - len(literal)
                    if at > 0 and data.startswith(literal, at):  # (at 0 is the leading "\n"; below, no room)
                        out[line] |= bits
        except IndexError:  # more line breaks than lines: some line holds one of its own
            return self._masks_one_by_one(lines)
        return out if line == len(lines) - 1 else self._masks_one_by_one(lines)  # (as above)

    def _masks_one_by_one(self, lines: list[str]) -> list[int]:
        """For lines that hold line breaks of their own: each line is searched alone, after a
        line break of its own, and a prefix counts only at its start."""
        out = []
        for line in lines:
            mask = self._always
            data = ("\n" + fold(line)).encode()
            for index, _, stop in self._automaton.find_matches_as_indexes(data, overlapping=True):
                bits, prefix_length, checks = self._values[index]
                end = stop - 1
                if not prefix_length or end + 1 == prefix_length:
                    mask |= bits
                for literal, more in checks:
                    at = end + 1 - len(literal)
                    if at > 0 and data.startswith(literal, at):
                        mask |= more
            out.append(mask)
        return out
