"""Page text -> a list of clean, non-empty lines (the unit every rule works on)."""

from __future__ import annotations

import re
import unicodedata

# Control characters (but tab and the line breaks) and the zero-width and soft characters that
# crawls leave inside words: removed outright.
INVISIBLE = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\u00ad\u200b\u200c\u200d\u2060\ufeff]")


def split_lines(text: str) -> list[str]:
    """Normalise line endings and spacing, drop blank lines. `a\\r\\n\\n b ` -> ['a', 'b'].

    Every Unicode line boundary ends a line (str.splitlines); every run of whitespace inside a
    line, no-break spaces included, becomes one space (str.split)."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    text = INVISIBLE.sub("", text)
    lines = (" ".join(line.split()) for line in text.splitlines())
    return [line for line in lines if line]
