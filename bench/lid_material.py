"""The language-identification material and its fixed splits, shared by the training script and the
benchmark so both draw the same line between what is trained on and what is held out.

- NusaX (`../shared/lid/nusax-mt-dev.jsonl`): each source sentence exists in 12 languages; a whole
  parallel group goes to one side. Groups whose CRC32 is divisible by 3 (about a third) are held
  out: never trained on, never tuned on; they give the final numbers.
- Indonesian news (`../shared/real/indonews/dev.jsonl`): articles whose id's CRC32 is even give
  training paragraphs; the odd ones are kept for measuring.
- Malay and Indonesian as written outside NusaX: the translated messages of Django's `ms` and `id`
  catalogues (`.po` files in the Django wheel, `pip download --no-deps django`), used only for
  measuring; Malay training text comes from wordfreq's word frequencies and, for the Malay word
  table, from NTREX-128's Malay and Indonesian news translations (bench/data/ntrex128/; see the
  training script).
  `MALAY_SOURCES` names more packages with Malay (and Indonesian) text, measured per source by the
  benchmark (`--sources DIR` with their archives in DIR): none of them is trained on.
"""

from __future__ import annotations

import gettext
import io
import json
import os
import re
import tarfile
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


def po_messages(po: str) -> list[str]:
    """The translated messages of a .po catalogue, markup removed (untranslated ones are empty)."""
    out = []
    for first, rest in PO_MESSAGE.findall(po):
        msg = first + "".join(part.strip()[1:-1] for part in rest.splitlines())
        msg = " ".join(PO_MARKUP.sub(" ", msg.replace('\\"', '"')).split())
        if msg and not msg.startswith("Project-Id"):
            out.append(msg)
    return out


def mo_messages(mo: bytes) -> list[str]:
    """The translated messages of a compiled .mo catalogue, markup removed."""
    catalog = gettext.GNUTranslations(io.BytesIO(mo))._catalog  # noqa: SLF001 (the only way to list them)
    out = []
    for key, value in sorted(catalog.items(), key=lambda kv: str(kv[0])):
        msg = " ".join(PO_MARKUP.sub(" ", value).split())
        if key and msg:
            out.append(msg)
    return out


def archive_members(archive: Path) -> dict[str, bytes]:
    """Every .po/.mo/.json file of a wheel (zip) or sdist (tar.gz), by path."""
    if zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as z:
            return {n: z.read(n) for n in sorted(z.namelist()) if n.endswith((".po", ".mo"))}
    with tarfile.open(archive) as t:
        return {m.name: t.extractfile(m).read() for m in sorted(t.getmembers(), key=lambda m: m.name)
                if m.isfile() and m.name.endswith((".po", ".mo"))}


def catalogue_messages(archive: Path, pattern: str) -> list[str]:
    """The translated messages of the catalogues in `archive` whose path matches `pattern` (a
    regular expression); a .po is read in preference to the .mo compiled from it."""
    members = archive_members(archive)
    out = []
    for name, data in members.items():
        if not re.search(pattern, name):
            continue
        if name.endswith(".po"):
            out += po_messages(data.decode("utf-8"))
        elif name[:-3] + ".po" not in members:
            out += mo_messages(data)
    return out


def django_messages(wheel: Path, lang: str) -> list[str]:
    """The translated messages of every catalogue for `lang` in the Django wheel, markup removed."""
    return catalogue_messages(wheel, rf"/locale/{lang}/LC_MESSAGES/[^/]+\.po$")


# Packages holding Malay (and Indonesian) text, for measuring per source: archive name pattern,
# and per language the paths of its catalogues (a regular expression), or "kamus" for the
# dictionary's JSON. Fetch with `pip download --no-deps NAME==VERSION` (picard is an sdist).
MALAY_SOURCES = {
    "django": ("django-5.2.19-py3-none-any.whl",
               {"ms": r"/locale/ms/LC_MESSAGES/[^/]+\.po$", "id": r"/locale/id/LC_MESSAGES/[^/]+\.po$"}),
    "picard": ("picard-3.0.2.tar.gz", {"ms": r"/po/ms_MY\.po$", "id": r"/po/id\.po$"}),
    "deluge": ("deluge-2.2.0-py3-none-any.whl", {"ms": r"/i18n/ms/LC_MESSAGES/", "id": r"/i18n/id/LC_MESSAGES/"}),
    "kamus-cli": ("kamus_cli-0.1.1-py3-none-any.whl", {"ms": "kamus"}),
}
KAMUS_SAMPLE = 1000


def kamus_definitions(wheel: Path) -> list[str]:
    """The definitions of the Kamus Dewan dictionary as packaged by kamus-cli, the headword put
    back where the dictionary writes `~` (the dictionary abbreviates: yg, dll, dgn, sj)."""
    with zipfile.ZipFile(wheel) as z:
        entries = json.loads(z.read("kamus/data/kamus.json"))["entries"]
    return [d["text"].replace("~", e["word"].split(" ")[0])
            for e in entries for d in e.get("definitions", []) if d.get("text")]


def source_paragraphs(directory: Path) -> dict[str, dict[str, list[str]]]:
    """Per source found in `directory`, per language, paragraphs of 12+ words (`chunks`); the
    dictionary gives a fixed sample of its paragraphs (every n-th)."""
    out = {}
    for name, (archive, languages) in MALAY_SOURCES.items():
        path = directory / archive
        if not path.is_file():
            continue
        out[name] = {}
        for lang, pattern in languages.items():
            if pattern == "kamus":
                paragraphs = chunks(kamus_definitions(path))
                out[name][lang] = paragraphs[::max(1, len(paragraphs) // KAMUS_SAMPLE)][:KAMUS_SAMPLE]
            else:
                out[name][lang] = chunks(catalogue_messages(path, pattern))
    return out


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
