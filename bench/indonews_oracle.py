"""The annotation the generic-fallback benchmark scores against: which lines of the real article
bodies in `../shared/real/indonews/dev.jsonl` are boilerplate.

This is the *measuring stick*, written per site by reading the recurring lines of each of the
13 sites (lines whose digit-normalised form recurs across pages) and their tails, following the
project's annotation standard. It is deliberately separate from `rules/generic.toml`: the
oracle may name sites and exact strings; the generic pack may not, and is measured with packs
disabled. A line the oracle marks is boilerplate wherever it appears, and so is a line that holds
a marker anywhere in it (`MARKERS`): cleaning must cut the marker's span out, or the line stays
counted as boilerplate left.
"""

from __future__ import annotations

import re

STORY = re.compile(r"[.!?…\"'”’»)]$")

# Boilerplate on any of these sites.
UNIVERSAL = [
    r"(?i)^(?:baca|simak|lihat|tonton) juga\b",           # read-also links, with or without the title
    r"(?i)^baca(?: artikel| berita)?(?: menarik)? lainnya\s*:",
    r"^(?:ADVERTISEMENT|Advertisement|SCROLL TO CONTINUE WITH CONTENT)$",
    r"^\((?:\*|[a-z0-9]{2,6}(?:/[\w.\-]{2,30}){1,2}|[A-Z]{2,5})\)$",   # desk initials: (dry/din), (kpl/eri), (*), (SIS)
    r"^\((?:[\w-]+\.)*[\w-]+\.(?:com|co\.id|id|co)\s*/[^)]*\)$",       # (Tribunnews.com/Name), (cr0/tribun-medan.com)
    r"^\(\p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+){1,3}\)$",                    # closing author credit: (Fitra Iskandar)
    r"(?i)^artikel ini telah tayang di\b",
    r"(?i)^disclaimer\s*:",
    r"(?i)^(?:penulis|editor|reporter)\s*:",
    r"^Laporan (?:[Ww]artawan|[Rr]eporter) [^,]{2,40},? \p{Lu}[\p{L} ]+$",          # reporter byline
    r"(?i)^ikuti (?:kami|saluran|juga)\b.*\b(?:whatsapp|google news|facebook|instagram)\b",
    r"(?i)^https?://\S+$",
]

BY_SITE = {
    "detik": [
        r"^\[Gambas:[^\]]*\]$",
        r"^(?:Simak juga Video|Saksikan Live Detik\w*)\b",
        r"^Video:? .*[^.!?]$",                                   # embedded video titles
        r"^Hoegeng Awards \d+$", r"^Baca kisah inspiratif kandidat polisi teladan di sini$", r"^Selengkapnya$",
        r"^Daftar Isi$",
        r"^Simak berita selengkapnya di halaman selanjutnya\.$",
        r"^Perayaan HUT Ke-\d+ Kota Jakarta berkolaborasi dengan detikcom",
    ],
    "liputan6": [
        r"^Baca Juga$",
        r"^Jika Anda memiliki informasi seputar hoaks yang ingin kami telusuri",
        r"^Ingin lebih cepat mendapat jawaban\? Hubungi Chatbot WhatsApp",
        r"^Sejak \d+ Juli \d+, ?Cek Fakta Liputan6\.com ?bergabung",
        r"^Melawan hoaks sama saja melawan pembodohan",
        r"^Segera unduh aplikasi Vidio",
    ],
    "kompas": [
        r"^kami langsung di ponselmu\. Pilih saluran andalanmu",
        r"^\. Pastikan kamu sudah install aplikasi WhatsApp ya\.$",
    ],
    "tribunnews": [
        r"^Ikuti kami di$",
        r"^Akses Tribun\w*\.com di Google News",
        r"^Baca berita .* lainnya di Google News",
        r"^Berita viral lainnya di Tribun",
        r"^Ikuti juga informasi lainnya di Facebook",
        r"^Laporan \p{Lu}[\p{L} ]+ \| ",
        r"^\[Cek Berita dan informasi",
        r"^Simak berita menarik lainnya di",
        r"^Jangan lupa bagikan soal ini kepada teman",
    ],
    "republika": [r"^Ikuti Whatsapp Channel Republika$", r"(?i)^sumber\s*:"],
    "kapanlagi": [
        r"^\(Ayo ikuti saluran WhatsApp KapanLagi",
        r"(?i)lainnya di kapanlagi\.com\. Kalau bukan sekarang, Kapan ?lagi",
        r"\((?:credit|Image)\s*:[^)]*\)$",
    ],
    "posmetro": [r"^EDITOR\s*:"],
    "okezone": [], "sindonews": [], "tempo": [],
}
# Markers that make a line boilerplate wherever they stand in it, also glued after story text
# (`...sipil.Baca Juga: <headline> Pejabat ...`): a line that still holds one after cleaning is
# boilerplate left. Look-alikes are not markers: "Simak juga petualangan ..." (no colon, lower
# case after it), "sumber daya", "menurut sumber: ..." (a space before it inside a sentence).
MARKERS = [
    r"(?i:baca|simak|lihat) (?i:juga)(?:\s?[:\-–]|(?=[A-Z\[]))",
    r"(?i:baca juga berita lainnya)\b",
    r"(?i)\bikuti whatsapp channel\b",
    r"(?<=[.!?…\"”’)]\s?|\p{Ll})(?:Ikuti|Akses)\b[^.!?]{0,80}?\b(?:[Ww]hats[Aa]pp|Google News)\b",
    r"(?i)cek berita dan artikel yang lain di google news",
    r"Loading\.\.\.",
    r"(?<=[.!?\"”’]\s?)\((?:\*|[a-z]{2,6}(?:/[a-z]{2,6})?)\)(?=[a-z ]*$)",
    r"(?i)artikel ini (?:telah|sudah) tayang di\b",
    r"(?<=[.!?…\"”’)]\s?|\p{Ll})[Ss]umber\s?:\s?\p{Lu}",
    r"View this post on Instagram",
]
KOMPAS_PROMO_WORDS = {"Simak", "breaking news", "dan", "berita pilihan"}
SITES = tuple(BY_SITE)


def site_of(url: str) -> str:
    host = url.split("/")[2] if "//" in url else url
    return next((s for s in SITES if s in host), host)


def has_marker(line: str) -> bool:
    """The line holds a boilerplate marker somewhere (see MARKERS)."""
    global _MARKER
    if _MARKER is None:
        import regex

        _MARKER = regex.compile("|".join(f"(?:{m})" for m in MARKERS))
    return _MARKER.search(line) is not None


_MARKER = None


def _compiled(site: str):
    import regex

    return [regex.compile(p) for p in UNIVERSAL + BY_SITE.get(site, [])]


_CACHE: dict = {}


def boilerplate(site: str, lines: list[str]) -> set[int]:
    """Indexes of the lines the annotation calls boilerplate."""
    patterns = _CACHE.setdefault(site, _compiled(site))
    marked = {i for i, line in enumerate(lines) if any(p.search(line) for p in patterns) or has_marker(line)}
    for i, line in enumerate(lines):
        # the linked headline printed under a bare "Baca juga:"
        if i > 0 and re.match(r"(?i)^(?:baca|simak|lihat) juga\s*:?$", lines[i - 1]) and not STORY.search(line):
            marked.add(i)
        # Kompas' WhatsApp promo, broken into fragments at its links
        if site == "kompas" and line in KOMPAS_PROMO_WORDS and any(
                lines[j].startswith("kami langsung di ponselmu") for j in range(i + 1, min(i + 5, len(lines)))):
            marked.add(i)
    if site == "detik":  # the tag list closing a detik page: lower-case lines after the last sentence
        for i in range(len(lines) - 1, -1, -1):
            if STORY.search(lines[i]) or lines[i] != lines[i].lower() or len(lines[i].split()) > 8:
                break
            marked.add(i)
    return marked


def is_story_line(line: str) -> bool:
    """A story line for the loss count: 12 or more words ending in terminal punctuation."""
    return len(line.split()) >= 12 and bool(STORY.search(line))
