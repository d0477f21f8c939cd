"""The pack format as one table: every key of every section, its type and its default; and the
limits a pack must stay within. Loading and `rules check` read values only through `get`, so
a wrong type is a `PackError` naming the key, never a traceback later.
"""

from __future__ import annotations

import regex

from .records import slots_repr
from .regexes import lazy
from .rulepack import FIELD_NAMES, PICKS, REMOVES, SCOPES, PackError
from .spans import ENDS as SPAN_ENDS

# Limits: a pack beyond them is refused at load, with the limit in the message.
MAX_PACK_BYTES = 1024 * 1024  # a pack file's size
MAX_RULES = 10_000  # [[drop]], [[span]] and [[field]] rules of one pack, its includes not counted
MAX_PATTERN_CHARS = 2_000  # one pattern's length
MAX_REPEAT = 1_000  # a counted repeat's bound (`x{1000}`); nested repeats multiply ...
MAX_NESTED_REPEAT = 10_000  # ... up to this: the regex engine expands them when it compiles


class Key:
    """One key of a section. (A plain class, not a dataclass: making one costs about a millisecond
    of every start-up, and nothing compares or copies these.)"""

    __slots__ = ("kind", "default", "choices", "min")

    def __init__(self, kind: str, default: object = None, choices: tuple = (), min: int | None = None):
        self.kind = kind  # str | int | bool | strings (a string or a list of them) | list (of strings) | table | tables
        self.default, self.choices, self.min = default, choices, min

    __repr__ = slots_repr


KEYS: dict[str, dict[str, Key]] = {
    "pack": {
        "name": Key("str"), "description": Key("str", ""), "languages": Key("strings", []),
        "domains": Key("strings", []), "fingerprints": Key("strings", []), "timezone": Key("str"),
        "include": Key("strings", []), "story": Key("table", {}), "drop": Key("tables", []),
        "field": Key("tables", []), "structure": Key("table", {}), "html": Key("table", {}),
        "span": Key("tables", []),
    },
    "story": {"start": Key("strings", []), "start_after": Key("strings", []), "head_category": Key("str", "head")},
    "drop": {
        "category": Key("str"), "line": Key("str"), "block": Key("table"), "from_line": Key("str"),
        "where": Key("str", "all", SCOPES), "hint": Key("strings", []),
    },
    "span": {
        "category": Key("str"), "marker": Key("str"), "end": Key("str", "line", SPAN_ENDS), "close": Key("str"),
        "max_chars": Key("int", 300, min=0),
    },
    "block": {"start": Key("str"), "end": Key("str"), "while": Key("str"), "max_lines": Key("int", 40, min=1)},
    "field": {
        "name": Key("str", None, FIELD_NAMES), "line": Key("str"), "after_line": Key("str"),
        "where": Key("str", "all", SCOPES), "pick": Key("str", "first", PICKS), "remove": Key("str", "line", REMOVES),
    },
    "structure": {
        "caption_pairs": Key("bool", False), "caption_credit": Key("str"), "repeated_lines": Key("int", 0, min=0),
        "nav_runs": Key("table", {}), "story_min_words": Key("int", 10, min=0),
    },
    "nav_runs": {"max_words": Key("int", 0, min=0), "min_run": Key("int", 2, min=1), "tag_max_words": Key("int", 0, min=0)},
    "html": {"body": Key("str"), "drop": Key("list", [])},
}

_KINDS = {
    "str": "a string", "int": "an integer", "bool": "true or false", "strings": "a string or a list of strings",
    "list": "a list of strings", "table": "a table", "tables": "an array of tables",
}


def check_keys(where: str, table, section: str) -> None:
    """`table` is a table whose keys are all in the section."""
    if not isinstance(table, dict):
        raise PackError(f"{where}: expected a table, got {table!r}")
    allowed = KEYS[section]
    unknown = sorted(set(table) - set(allowed))
    if unknown:
        raise PackError(f"{where}: unknown key {unknown[0]!r} (allowed: {', '.join(sorted(allowed))})")


def get(where: str, table: dict, section: str, key: str):
    """The value of `key` in `table` (or its default), checked against the table of keys; a
    string where a list of strings may stand comes back as a one-item list."""
    spec = KEYS[section][key]
    if key not in table:
        return spec.default
    value = table[key]
    ok = {
        "str": isinstance(value, str),
        "int": isinstance(value, int) and not isinstance(value, bool),
        "bool": isinstance(value, bool),
        "strings": isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value)),
        "list": isinstance(value, list) and all(isinstance(v, str) for v in value),
        "table": isinstance(value, dict),
        "tables": isinstance(value, list) and all(isinstance(v, dict) for v in value),
    }[spec.kind]
    if not ok:
        raise PackError(f"{where}: '{key}' must be {_KINDS[spec.kind]}, got {value!r}")
    if spec.choices and value not in spec.choices:
        raise PackError(f"{where}: '{key}' must be one of {', '.join(spec.choices)}, got {value!r}")
    if spec.min is not None and value < spec.min:
        raise PackError(f"{where}: '{key}' must be {spec.min} or more, got {value!r}")
    return [value] if spec.kind == "strings" and isinstance(value, str) else value


_REPEAT = lazy(r"\{(\d*)(?:,(\d*))?\}")


def check_pattern(where: str, source: str) -> None:
    """Refuse a pattern too long, or with counted repeats so large (alone or nested) that
    compiling it would take gigabytes: the regex engine expands `(?:a{1000}){1000}` in full."""
    if len(source) > MAX_PATTERN_CHARS:
        raise PackError(f"{where}: pattern of {len(source):,} characters (at most {MAX_PATTERN_CHARS:,})")
    bound, expanded = _counted_repeats(source)
    if bound > MAX_REPEAT or expanded > MAX_NESTED_REPEAT:
        raise PackError(f"{where}: counted repeats in {source[:60]!r} expand to {expanded:,} copies "
                        f"(at most {MAX_REPEAT:,} in one repeat and {MAX_NESTED_REPEAT:,} nested)")


def _counted_repeats(source: str) -> tuple[int, int]:
    """(largest bound of one counted repeat, largest product of bounds along any nesting of
    groups) in a pattern. An approximate reading of the syntax: escapes and sets are skipped."""
    stack = [1]  # per open group: the largest expansion inside it so far
    i, n, last, largest = 0, len(source), 1, 0  # last: the expansion of the atom or group just read
    while i < n:
        c = source[i]
        if c == "\\":
            skip = regex.match(r"\\[pPNx]\{[^}]*\}|\\.", source[i:], regex.S)
            i, last = i + (len(skip.group(0)) if skip else 1), 1
        elif c == "[":
            i, last = end_of_set(source, i), 1
        elif c == "(":
            stack.append(1)
            i, last = i + 1, 1
        elif c == ")" and len(stack) > 1:
            last = stack.pop()
            i += 1
        elif c == "{" and (m := _REPEAT.match(source, i)) and (m.group(1) or m.group(2)):
            bound = max(int(m.group(1) or 0), int(m.group(2) or 0))
            largest = max(largest, bound)
            last *= max(bound, 1)
            i = m.end()
        else:
            i, last = i + 1, 1
        stack[-1] = max(stack[-1], last)
    return largest, max(stack)


def end_of_set(source: str, i: int) -> int:
    """The index just past the character set `[...]` that opens at `source[i]` (a `]` right
    after `[` or `[^` is a member, escapes are skipped)."""
    j = i + 1
    if source[j:j + 1] == "^":
        j += 1
    if source[j:j + 1] == "]":
        j += 1
    while j < len(source) and source[j] != "]":
        j += 2 if source[j] == "\\" else 1
    return j + 1
