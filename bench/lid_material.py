"""The language-identification material and its fixed splits, shared by the training script and the
benchmark so both draw the same line between what is trained on and what is held out.

- NusaX (`../shared/lid/nusax-mt-dev.jsonl`): each source sentence exists in 12 languages; a whole
  parallel group goes to one side. Groups whose CRC32 is divisible by 3 (about a third) are held
  out: never trained on, never tuned on; they give the final numbers.
- Indonesian news (`../shared/real/indonews/dev.jsonl`): articles whose id's CRC32 is even give
  training paragraphs; the odd ones are kept for measuring.
- Malay and Indonesian as written outside NusaX: the translated messages of Django's `ms` and `id`
  catalogues (`.po` files in the Django wheel, `pip download --no-deps django`), used only for
  measuring; Malay training text comes from wordfreq's word frequencies (see the training script).
"""

from __future__ import annotations

import json
import os
import re
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SHARED_DIR", ROOT.parent / "shared"))  # a checkout has shared/ beside it
NUSAX = SHARED / "lid" / "nusax-mt-dev.jsonl"
INDONEWS = SHARED / "real" / "indonews" / "dev.jsonl"
NUSAX_LANGUAGES = ("id", "jv", "su", "min", "ban", "bjn", "ace", "bug", "mad", "nij", "bbc", "en")


def crc(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def nusax_held_out(sentence_id: str) -> bool:
    """`nusax-train-12-jv` belongs to group `nusax-train-12`, like its 11 translations."""
    return crc(sentence_id.rsplit("-", 1)[0]) % 3 == 0


def nusax(held_out: bool) -> list[tuple[str, str]]:
    """(language, sentence) pairs of one side of the split."""
    rows = [json.loads(line) for line in NUSAX.open(encoding="utf-8")]
    return [(r["lang"], r["text"]) for r in rows if nusax_held_out(r["id"]) == held_out]


def indonews(held_out: bool) -> list[dict]:
    rows = [json.loads(line) for line in INDONEWS.open(encoding="utf-8")]
    return [r for r in rows if (crc(r["id"]) % 2 == 1) == held_out]


def paragraphs(text: str, min_words: int = 12) -> list[str]:
    return [line.strip() for line in text.split("\n") if len(line.split()) >= min_words]


PO_MESSAGE = re.compile(r'^msgstr(?:\[\d\])? "(.*)"\n((?:".*"\n)*)', re.M)
PO_MARKUP = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|<[^>]+>|\\n")


def django_messages(wheel: Path, lang: str) -> list[str]:
    """The translated messages of every catalogue for `lang` in the Django wheel, markup removed."""
    out = []
    with zipfile.ZipFile(wheel) as z:
        for name in sorted(z.namelist()):
            if f"/locale/{lang}/LC_MESSAGES/" in name and name.endswith(".po"):
                po = z.read(name).decode("utf-8")
                for first, rest in PO_MESSAGE.findall(po):
                    msg = first + "".join(part.strip()[1:-1] for part in rest.splitlines())
                    msg = " ".join(PO_MARKUP.sub(" ", msg.replace('\\"', '"')).split())
                    if msg:
                        out.append(msg)
    return out[1:] if out and out[0].startswith("Project-Id") else out


def chunks(messages: list[str], min_words: int = 12) -> list[str]:
    """Consecutive messages joined until a paragraph has `min_words` words (the paragraph check's
    threshold), so a test item is as long as what the cleaner judges."""
    out, current = [], []
    for msg in messages:
        if msg.startswith("Project-Id-Version") or "Language-Team" in msg or len(msg.split()) < 4:
            continue  # headers, and single names (of languages, months) that say nothing of the language
        current.append(msg.rstrip(".") + ".")
        if sum(len(m.split()) for m in current) >= min_words:
            out.append(" ".join(current))
            current = []
    return out
