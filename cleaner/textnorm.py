"""Page text -> a list of clean, non-empty lines (the unit every rule works on)."""

from __future__ import annotations

import unicodedata

import re

# Plain `re` here: these classes need no Unicode properties, and `re` is faster on them.
# Zero-width and soft characters that crawls leave inside words; removed outright.
INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
# Any run of horizontal whitespace (NBSP, tabs, ideographic space...) becomes one space.
SPACES = re.compile(r"[^\S\n]+")
NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")


def split_lines(text: str) -> list[str]:
    """Normalise line endings and spacing, drop blank lines. `a\\r\\n\\n b ` -> ['a', 'b']."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    text = SPACES.sub(" ", NEWLINES.sub("\n", INVISIBLE.sub("", text)))
    return [line for line in map(str.strip, text.split("\n")) if line]
