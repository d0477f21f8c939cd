"""Page text -> a list of clean, non-empty lines (the unit every rule works on)."""

from __future__ import annotations

import re
import unicodedata

# Zero-width and soft characters that crawls leave inside words: removed outright.
INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


def split_lines(text: str) -> list[str]:
    """Normalise line endings and spacing, drop blank lines. `a\\r\\n\\n b ` -> ['a', 'b'].

    Every Unicode line boundary ends a line (str.splitlines); every run of whitespace inside a
    line, no-break spaces included, becomes one space (str.split)."""
    if not text.isascii():
        text = INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return [line for line in lines if line]
