"""Compiled regexes, compiled once per process and kept between runs.

The `regex` module parses and optimises a pattern in Python, then hands the result (a list of
opcodes and a few tables) to its C engine; for the packs' patterns and the engine's own that was
about a sixth of a start-up. What it hands over depends only on the pattern, its flags and the
`regex` version, so `compile` keeps it (`ENGINE_ARGS`), `packcache` stores it with the packs
(its salt holds the `regex` version), and a later run hands it straight to the engine.

`DeferredRegex`: a pattern compiled on its first use (a built-in pack's patterns, and the
modules' own made with `lazy`), so that it is compiled after the cache is read, or not at all;
`DeferredRe` the same for a pattern of `re`.
"""

from __future__ import annotations

import marshal
import re
import threading

import regex

ENGINE_ARGS: dict[tuple[str, int], tuple] = {}  # (source, flags) -> what `regex` handed its engine
_COMPILED: dict[tuple[str, int], regex.Pattern] = {}  # (source, flags) -> the pattern, made in this process
LAZY: list[DeferredRegex] = []  # the modules' own patterns (`lazy`): `packload` compiles them to keep them

try:  # the `regex` module's internals that `compile` relies on; without them it compiles as usual
    from regex import _main as _regex_main

    ENGINE = _regex_main._regex
    _regex_main._compile  # noqa: B018
except (ImportError, AttributeError):  # pragma: no cover - another `regex` layout
    _regex_main = ENGINE = None


def compile(source: str, flags: int = 0) -> regex.Pattern:
    """`regex.compile(source, flags)`, once per process; a pattern whose engine arguments are
    kept (`ENGINE_ARGS`, filled by `packcache.read`) is handed straight to the engine. Raises
    what `regex.compile` raises."""
    key = (source, int(flags))
    try:
        return _COMPILED[key]
    except KeyError:
        pass
    args = ENGINE_ARGS.get(key)
    compiled = None
    if args is not None and ENGINE is not None and regex.DEFAULT_VERSION == regex.VERSION0:
        try:
            compiled = ENGINE.compile(*args)
        except Exception:  # noqa: BLE001 - a kept entry the engine refuses: compile as usual
            compiled = None
    if compiled is None:
        compiled = _compile_watched(source, flags)
    _COMPILED[key] = compiled
    return compiled


class _Watcher:
    """Stands in for the `regex` engine (the C module) while a pattern is compiled, to keep the
    arguments the compiler hands it."""

    def __init__(self):
        self.handed: dict[int, tuple] = {}

    def compile(self, *args):
        self.handed[threading.get_ident()] = args
        return ENGINE.compile(*args)

    def __getattr__(self, name: str):
        return getattr(ENGINE, name)


_WATCHER = _Watcher()
_WATCHING = threading.Lock()


def _compile_watched(source: str, flags: int) -> regex.Pattern:
    """`regex.compile`, keeping what its compiler handed the engine in `ENGINE_ARGS`."""
    if ENGINE is None or not isinstance(source, str) or regex.DEFAULT_VERSION != regex.VERSION0:
        return regex.compile(source, flags)
    with _WATCHING:
        _regex_main._regex = _WATCHER
        try:  # not from (nor into) `regex`'s own cache: that would hand the engine nothing
            compiled = _regex_main._compile(source, flags, False, {}, False)
        finally:
            _regex_main._regex = ENGINE
        args = _WATCHER.handed.pop(threading.get_ident(), None)
    if args is not None and args[0] == source and not args[1] & regex.LOCALE and not args[5] and not args[6]:
        try:  # plain ints and containers only (flags come as `RegexFlag`s): what `marshal` keeps
            plain = tuple(int(a) if isinstance(a, int) else a for a in args)
            ENGINE_ARGS[(source, int(flags))] = marshal.loads(marshal.dumps(plain))
        except (ValueError, TypeError):  # pragma: no cover - nothing `marshal` cannot keep is expected
            pass
    return compiled


class DeferredRegex:
    """A regex compiled (`compile`) on its first use: a built-in pack's (a run compiles only the
    patterns its pages reach) or a module's own (`lazy`). The first attribute asked for
    compiles it and copies the compiled pattern's attributes here, so that later uses are plain
    attribute reads (a bound method of the compiled pattern, no Python frame in between).
    Built-in packs only: their patterns are checked by the tests (tests/test_startup.py); a
    user's pack is compiled, and every pattern checked, when it is loaded."""

    def __init__(self, source: str, flags: int = 0):
        self.pattern, self._flags = source, flags

    def _compile(self):
        return compile(self.pattern, self._flags)

    def __getattr__(self, name: str):  # only for attributes not copied yet: the first use
        compiled = self._compile()
        for attribute in dir(compiled):
            if not attribute.startswith("__"):
                setattr(self, attribute, getattr(compiled, attribute))
        return getattr(compiled, name)


class DeferredRe(DeferredRegex):
    """A pattern of `re` (the standard module) compiled on its first use: for a module's patterns
    that many runs never use (those for HTML pages in a run of text pages)."""

    def _compile(self):
        return re.compile(self.pattern, self._flags)


def lazy(source: str, flags: int = 0) -> DeferredRegex:
    """A module's own pattern, compiled on its first use: by then the pack cache is read, and
    its engine arguments are kept with the packs'. (The tests compile every one.)"""
    deferred = DeferredRegex(source, flags)
    LAZY.append(deferred)
    return deferred
