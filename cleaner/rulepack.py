"""Rule packs, the data model: what a compiled pack is made of.

A pack is data (`rules/*.toml`). This module knows the *kinds* of rules (a line, a block, an end
marker, a head marker, a field pattern, a structural check) and nothing about any site. Where the
rest of the engine lives:

- `packload`: reading, validating and compiling `rules/*.toml` into these types; `rules check`
- `prefilter`: the combined patterns that rule most lines out before any rule is tried
- `strip`: applying a pack to a page's lines, as a sequence of named phases
- `structure`: the structural heuristics (caption pairs, repeated lines, navigation runs)
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

import regex

from .literals import Gate
from .packcache import gate as literal_gate, needs_digit
from .records import frozen_record
from .regexes import DeferredRegex, lazy

if TYPE_CHECKING:  # pragma: no cover
    from .prefilter import Prefilters

REGEX_TIMEOUT = 0.25  # seconds per match; a runaway pattern becomes a reject, not a hang
LONG_LINE = 5000  # characters: no boilerplate line is longer; longer lines skip the rules (and their cost)
FIELD_NAMES = ("title", "author", "editor", "date")
PACK_NAME = lazy(r"[a-z0-9][a-z0-9_-]*")  # a pack's name: also its file's and its `site` value
SCOPES = ("all", "head", "body", "tail", "last")
PICKS = ("first", "last", "longest")
REMOVES = ("line", "match", "none")
STORY_END = frozenset(".!?…\"'”’»)")  # a line ending in one of these closes a sentence


class PackError(ValueError):
    """A pack that cannot be used: bad TOML, an unknown key, a regex that does not compile."""


class RuleTimeout(Exception):
    """A rule's regex ran past REGEX_TIMEOUT on a line."""

    def __init__(self, rule: str):
        super().__init__(rule)
        self.rule = rule


def unknown_pack(name: str, known) -> PackError:
    """The one message for a pack name that no loaded pack has."""
    return PackError(f"unknown pack {name!r} (known: {', '.join(known)})")


class DeferredSelector:
    """A built-in pack's CSS selector, compiled (and lxml imported) on its first use: a run of
    text pages never needs it."""

    def __init__(self, css: str):
        self.css = css

    @cached_property
    def compiled(self):
        from lxml.cssselect import CSSSelector

        return CSSSelector(self.css)

    def __call__(self, tree):
        return self.compiled(tree)


@frozen_record
class Pattern:
    """A compiled regex that remembers where it came from, for error messages and `explain`.

    A pattern from a user's pack runs every match under REGEX_TIMEOUT: a runaway one becomes a
    `timeout` reject naming its file and rule. A `vetted` pattern (the built-in packs, which
    tests/test_vetted_patterns.py runs against adversarial lines) runs bare: the per-call time
    limit and the wrapper cost more than a line's whole rule check."""

    source: str
    origin: str  # "rules/tempo.toml: [[drop]] #3 (ad_marker) line"
    compiled: regex.Pattern | DeferredRegex
    vetted: bool = False

    def __post_init__(self) -> None:
        if self.vetted:  # the compiled pattern's own methods: no timeout, no Python frame
            if isinstance(self.compiled, DeferredRegex) and "search" not in vars(self.compiled):
                object.__setattr__(self, "search", self._on_first_use("search"))  # not compiled yet
                object.__setattr__(self, "match", self._on_first_use("match"))
            else:
                self._bind()

    def _bind(self) -> None:
        object.__setattr__(self, "search", self.compiled.search)
        object.__setattr__(self, "match", self.compiled.match)

    def _on_first_use(self, method: str):
        def first_use(*args, **kwargs):
            self._bind()
            return getattr(self, method)(*args, **kwargs)

        return first_use

    @cached_property
    def gate(self) -> Gate | None:
        """The literals a line needs for this pattern to match it (`literals.gate`, kept between
        runs by `packcache`): built-in patterns only; a user's pattern has none and is always run."""
        return literal_gate(self.source) if self.vetted else None

    @cached_property
    def needs_digit(self) -> bool:
        """Every match holds a decimal digit (`literals.needs_digit`, kept between runs by
        `packcache`): built-in patterns only."""
        return self.vetted and needs_digit(self.source)

    def search(self, line: str, pos=None, endpos=None, concurrent=None):
        """The engine's `search` under the time limit. It takes the engine's own first arguments,
        as a built-in pattern's `search` (the engine's method) does: `strip` passes `concurrent`."""
        try:
            return self.compiled.search(line, pos, endpos, concurrent, timeout=REGEX_TIMEOUT)
        except TimeoutError:
            raise RuleTimeout(f"{self.origin}: {self.source!r}") from None

    def match(self, line: str, pos=None, endpos=None, concurrent=None):
        try:
            return self.compiled.match(line, pos, endpos, concurrent, timeout=REGEX_TIMEOUT)
        except TimeoutError:
            raise RuleTimeout(f"{self.origin}: {self.source!r}") from None


@frozen_record
class DropRule:
    """A `[[drop]]` rule: lines (or a block, or everything from a line on) it removes."""

    category: str
    kind: str  # line | block | from_line
    scope: str  # all | head | body | tail | last
    label: str
    pattern: Pattern
    end: Pattern | None = None  # block: last line of the block (inclusive)
    follow: Pattern | None = None  # block: the block goes on while lines match this
    max_lines: int = 40
    hints: tuple[str, ...] = ()  # lower-case literals; the rule is tried only on lines holding one


@frozen_record
class FieldRule:
    """A `[[field]]` rule: where a title, author, editor or date is found, and what is removed."""

    name: str
    scope: str
    label: str
    pattern: Pattern | None  # value: group `value` (or the field's own name) or the whole match
    after: Pattern | None  # the value is the next line after a line matching this
    pick: str = "first"
    remove: str = "line"  # line | match | none


@frozen_record
class Structure:
    """`[structure]`: the structural heuristics a pack turns on (cleaner/structure.py)."""

    caption_pairs: bool = False
    caption_credit: Pattern | None = None
    repeated_min_chars: int = 0  # 0 = off
    nav_max_words: int = 0  # 0 = off
    nav_min_run: int = 2
    tag_max_words: int = 0  # at the tail, all-lower-case lines up to this long count as tags
    story_min_words: int = 10


@frozen_record
class Pack:
    """A loaded pack: what `rules/*.toml` says, compiled."""

    name: str
    label: str  # how messages and rule labels name the pack: "rules/tempo.toml" for a built-in
    description: str
    languages: tuple[str, ...]
    domains: tuple[str, ...]
    fingerprints: tuple[Pattern, ...]
    timezone: str | None
    story_start: tuple[Pattern, ...]
    story_start_after: tuple[Pattern, ...]
    head_category: str
    drops: tuple[DropRule, ...]
    fields: tuple[FieldRule, ...]
    structure: Structure
    html: "HtmlRules | None" = None
    include: tuple[str, ...] = ()
    prefilters: "Prefilters | None" = None  # built by `prefilter.with_prefilters` once includes are in
    file: str = ""  # the path the pack was read from
    spans: tuple["SpanRule", ...] = ()  # boilerplate cut out of a line (cleaner/spans.py)


@frozen_record
class HtmlRules:
    """`[html]`: where a site's story sits in its markup. Selectors are compiled at load."""

    body_css: str | None = None  # the element holding the story
    drop_css: tuple[str, ...] = ()  # elements inside it that are not story
    body: object = None  # body_css compiled (an lxml CSSSelector)
    drop: tuple = ()  # drop_css compiled


_MOVED = {"parse_pack": "packload", "load_pack": "packload", "load_packs": "packload", "check_packs": "packload",
          "builtin_rules_dir": "packload", "apply_pack": "strip", "Stripped": "strip", "Prefilter": "prefilter",
          "is_story_line": "structure", "Prefilters": "prefilter"}


def __getattr__(name: str):
    """Names that lived here before the engine was split keep working: `from cleaner.rulepack
    import load_packs` imports it from its own module now (`_MOVED`)."""
    if name in _MOVED:
        from importlib import import_module

        return getattr(import_module(f"{__package__}.{_MOVED[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
