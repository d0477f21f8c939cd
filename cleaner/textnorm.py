"""Page text -> a list of clean, non-empty lines (the unit every rule works on)."""

from __future__ import annotations

import unicodedata

import regex

# Zero-width and soft characters that crawls leave inside words; removed outright.
INVISIBLE = regex.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
# Any run of horizontal whitespace (NBSP, tabs, ideographic space...) becomes one space.
SPACES = regex.compile(r"[^\S\n]+")
NEWLINES = regex.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")


def split_lines(text: str) -> list[str]:
    """Normalise line endings and spacing, drop blank lines. `a\\r\\n\\n b ` -> ['a', 'b']."""
    text = unicodedata.normalize("NFC", text)
    text = NEWLINES.sub("\n", INVISIBLE.sub("", text))
    lines = (SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return [line for line in lines if line]
