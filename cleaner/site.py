"""Choosing a pack for a page: by the URL's domain, else by text fingerprints."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import regex

from . import regexes
from .rulepack import Pack, Pattern

FALLBACK = "generic"
# Fingerprints are searched in a page's first 2,500 and last 1,500 characters: a site signs its
# pages at the top (datelines, bylines) and the bottom (notices), and long pages stay cheap.
EDGE_HEAD, EDGE_TAIL = 2500, 1500
# Text taken from markup is cut wider first (8,000 and 4,000), before its whitespace is normalised:
# one text node a line, mostly blank, shrinks a lot.
MARKUP_HEAD, MARKUP_TAIL = 8000, 4000


def edges(text: str, head: int = EDGE_HEAD, tail: int = EDGE_TAIL) -> str:
    """The first `head` and last `tail` characters of a long text (all of a short one)."""
    if len(text) > head + tail:
        return text[:head] + "\n" + text[-tail:]
    return text


def edges_of_markup(text: str) -> str:
    return edges(text, MARKUP_HEAD, MARKUP_TAIL)


# a URL whose host urlsplit would read as it is: no user, port, upper case, escape, tab or line
# break in it (any of those: urlsplit reads it). A pattern of `re`: a call costs a third of one
# into `regex` (it is made for every page)
PLAIN_HOST = regexes.DeferredRe(r"https?://([a-z0-9.-]+)(?=[/?#]|\Z)")


def host_of(url: str | None) -> str | None:
    if not url or not isinstance(url, str):
        return None
    plain = PLAIN_HOST.match(url)
    if plain is not None:  # most URLs: urlsplit's parse costs more than the rest of choosing the pack
        return plain.group(1).rstrip(".")
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname
    except ValueError:
        return None
    return host.lower().rstrip(".") if host else None


def _top_level_alternation(source: str) -> bool:
    depth, escaped, in_class = 0, False, False
    for ch in source:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return True
    return False


LEADING_FLAGS = regexes.lazy(r"\(\?([a-zA-Z]+)\)\^")


def line_start_searcher(p: Pattern) -> Pattern:
    """A fingerprint `(?i)^...` made `(?i)\\n...`, searched in the text after a "\\n": the same
    hits (in multi-line mode `^` is the text's start or a position after "\\n"), but the engine
    skips to each newline instead of trying a case-insensitive alternation at every character,
    several times faster on a page of an unknown site. Only the built-in (vetted) fingerprints:
    the rewrite is checked against them (tests/test_site_lang_dates.py); a user's stay as written."""
    lead = LEADING_FLAGS.match(p.source)
    if not p.vetted or lead is None or "i" not in lead.group(1) or "w" in lead.group(1) or "(?<" in p.source \
            or _top_level_alternation(p.source):
        return p
    compiled = regexes.compile(f"(?{lead.group(1)})\\n{p.source[lead.end():]}", p.compiled.flags)
    return Pattern(p.source, p.origin, compiled, vetted=True)


# A fingerprint `^...` (after flags of i, m or s only) that can be searched as "\n..." in "\n" + the
# text inside one alternation with others: no group but `(?:...)` (no group number or name to
# clash, no lookbehind to see the "\n"), no \A, \G or back reference, no top-level alternation.
LINE_START_PART = regexes.lazy(r"(?:\(\?([ims]+)\))?\^(?![*+?{])")
NOT_PLAIN = regexes.lazy(r"\\[AGg\d]|\((?!\?:)")


def line_start_part(p: Pattern) -> str | None:
    """A built-in fingerprint anchored at a line start, as an alternative of `line_starts_together`
    (its flags scoped to it), or None."""
    lead = LINE_START_PART.match(p.source)
    rest = p.source[lead.end():] if lead else ""
    if not p.vetted or lead is None or NOT_PLAIN.search(rest) or _top_level_alternation(rest):
        return None
    flags = (lead.group(1) or "").replace("m", "")  # multi-line mode is the pattern's own
    return f"(?{flags}:{rest})" if flags else f"(?:{rest})"


def line_starts_together(patterns: list[Pattern]) -> Pattern | None:
    """One pattern `\n(?:A|B|...)` for fingerprints `^A`, `^B`, ...: searched in "\n" + a text,
    it finds something exactly when one of them matches the text somewhere (in multi-line mode
    `^` is the text's start or a position after "\n", and each alternative is its pattern as
    written). One search instead of one each: most pages hold none of them."""
    if len(patterns) < 2:
        return None
    source = "\\n(?:" + "|".join(line_start_part(p) for p in patterns) + ")"
    return Pattern(source, "the line-start fingerprints together", regexes.compile(source, regex.MULTILINE), vetted=True)


# `re` reads a pattern of `regex` (version 0) the same way on an ASCII text when it is made of:
# literals (a non-ASCII one caseless, so that no case folding reaches an ASCII letter, and no
# range's end), escapes of punctuation or one of n t r f v w W d D b B A Z (\s is not one:
# `re`'s holds \x1c-\x1f), groups `(?:`, `(?=`, `(?!` and flags i, m, s; no POSIX class or nested
# set, set operation, possessive quantifier or brace that is not a plain repeat (`regex` reads
# `{e<=1}` as fuzzy, `re` as literals). Anything else (or a pattern `re` refuses) keeps `regex`.
RE_ESCAPES = frozenset("ntrfvwWdDbBAZ")
SAME_FLAGS = regex.IGNORECASE | regex.MULTILINE | regex.DOTALL
# flags of a compiled pattern of `regex` that `re` has not, or reads otherwise
OTHER_FLAGS = (regex.ASCII | regex.LOCALE | regex.VERBOSE | regex.WORD | regex.FULLCASE | regex.VERSION1 | regex.BESTMATCH
               | regex.ENHANCEMATCH | regex.POSIX | regex.REVERSE)
NOT_READ_ALIKE = regexes.DeferredRe(
    r"\(\?(?![=!:]|[ims]+[:)])|\[[\[:]|&&|\|\||--|~~|[*+?}]\+|\{(?!\d+(?:,\d*)?\}|,\d+\})|[^\x00-\x7f]-|-[^\x00-\x7f]")


def reads_alike_in_re(source: str) -> bool:
    """Whether `re` reads `source` (a pattern of `regex`, version 0) as `regex` does on any ASCII
    text, by the conservative rule above: then both find the same spans in it."""
    if NOT_READ_ALIKE.search(source) is not None:
        return False
    if any(e.isascii() and e.isalnum() and e not in RE_ESCAPES for e in re.findall(r"\\(.)", source, re.S)):
        return False
    return all(c.isascii() or c.lower() == c == c.upper() for c in source)


class AsciiTwin(regexes.DeferredRe):
    """A vetted pattern of `regex` compiled by `re` on its first use (not at start-up), to search
    an ASCII text only; the `regex` pattern itself should `re` refuse it. Compiled with re.ASCII:
    in an ASCII text \\w, \\b, \\d and case are read the same as by Unicode's rules (a non-ASCII
    literal, caseless, matches only itself either way), and `re` checks them faster (about a sixth
    fewer instructions)."""

    def __init__(self, p: Pattern):
        super().__init__(p.source, p.compiled.flags & SAME_FLAGS | re.ASCII)  # (i, m, s: the same values in `re`)
        self._original = p.compiled

    def _compile(self):
        try:
            return re.compile(self.pattern, self._flags)
        except (re.error, ValueError):  # pragma: no cover - the built-in fingerprints compile (tests)
            return self._original


def ascii_twin(p: Pattern | None) -> Pattern | AsciiTwin | None:
    """For `line_starts_together`'s pattern, its twin of `re`, to search an ASCII text (where `re`
    finds what `regex` does, see `reads_alike_in_re`): `re` skips to each newline faster, about a
    fifth fewer instructions on a page's edges; or the pattern itself where `re` might read it
    otherwise. Only for it: on the other fingerprints (`(?i)\\b...`, plain literals) `re` is slower."""
    if p is None or not p.vetted or p.compiled.flags & OTHER_FLAGS or not reads_alike_in_re(p.source):
        return p
    return AsciiTwin(p)


class SiteDetector:
    """Maps domains (subdomains included) and fingerprints to pack names. Built once per pack set."""

    def __init__(self, packs: dict[str, Pack]):
        self.by_domain = {d: p.name for p in packs.values() for d in p.domains}
        self.fingerprints = [(p.name, p.fingerprints) for p in packs.values() if p.fingerprints]
        # (pack name, fingerprints searched in the text, those searched in "\n" + the text): all of
        # them, and those left out of `line_starts_together`, which on a page where it finds
        # nothing (most pages of an unknown site) are the only ones that can count a hit
        self._searchers, apart, together = [], [], []
        for name, patterns in self.fingerprints:
            searchers = [(p, line_start_searcher(p)) for p in patterns]
            self._searchers.append((name, [s for p, s in searchers if s is p], [s for p, s in searchers if s is not p]))
            alone = [(p, s) for p, s in searchers if line_start_part(p) is None]
            together += [p for p, _ in searchers if line_start_part(p) is not None]
            if alone:
                apart.append((name, [s for p, s in alone if s is p], [s for p, s in alone if s is not p]))
        self._line_starts = line_starts_together(together)
        self._line_starts_in_ascii = ascii_twin(self._line_starts)
        self._others = apart if self._line_starts is not None else self._searchers

    def by_url(self, url: str | None) -> str | None:
        host = host_of(url)
        while host:
            if host in self.by_domain:
                return self.by_domain[host]
            host = host.partition(".")[2]
        return None

    def by_text(self, text: str) -> str | None:
        """The pack with the most matching fingerprints (ties: the first by name), if any matched,
        searched in the text's `edges`."""
        text = edges(text)
        after_newline = "\n" + text
        searchers = self._searchers
        line_starts = self._line_starts_in_ascii if after_newline.isascii() else self._line_starts  # isascii: O(1)
        if line_starts is not None and line_starts.search(after_newline) is None:
            searchers = self._others
        best, best_hits = None, 0
        for name, as_written, line_start in searchers:  # (loops: a generator each costs more than its searches' Python)
            hits = 0
            for p in as_written:
                if p.search(text) is not None:
                    hits += 1
            for p in line_start:
                if p.search(after_newline) is not None:
                    hits += 1
            if hits > best_hits:
                best, best_hits = name, hits
        return best
