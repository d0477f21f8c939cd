"""Headlines and bylines from a page's metadata, without the site's name.

Pages print their headline with the publication around it: `Headline - Kompas.com`,
`Kapanlagi.com: Musik - Headline`, `Headline | Republika Online`. The publication is known
from the page itself (`og:site_name`, the URL's host name), so it is cut from either edge,
separators and all; a section name left in front (`Musik - `) goes when another copy of the
headline on the page (the `<title>`, the `<h1>`) shows the headline without it.
"""

from __future__ import annotations

import regex

from .restore import NON_WORD  # letters and digits are what a line's or a name's key keeps

# A separator between the headline and the site's name: a dash, bar, colon, bullet or guillemet
# with space around it (a colon needs space after it only: `Kapanlagi.com: Musik`).
SEPARATOR = regex.compile(r"\s+[-–—|·•»«/:~]+\s+|\s*[|•»«]\s*|(?<=\S):\s+|\s+::\s+")
DOMAIN = regex.compile(r"(?i)\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|info|co\.id|or\.id|go\.id|ac\.id|id|my|com\.my|sg|co\.uk|uk|de|fr|es|it|pl|nl|at|ch|pt|br|ru|cn|jp|in|io|tv|eu|us|ca|au)\b")
GENERIC_HOST_PARTS = {"www", "m", "amp", "mobile", "com", "co", "net", "org", "id", "go", "ac", "or", "news", "web"}
ORGANISATION = regex.compile(r"(?i)\b(?:news|media|online|redaksi|redaction|editorial|staff|team|desk|newsroom)\b|\.(?:com|id|net|org|de)\b")
BYLINE_PREFIX = regex.compile(r"(?i)^(?:by|von|oleh|par|por|di|de|penulis|reporter)\s*:?\s+")


SCHEME = regex.compile(r"^[a-z]+://")


def _key(text: str) -> str:
    return NON_WORD.sub("", text.casefold())


def site_names(sitename: str | None, url: str | None) -> set[str]:
    """Normalised names a page may call itself by: its `og:site_name` and its host's own labels."""
    names = set()
    if sitename and len(_key(sitename)) >= 3:
        names.add(_key(sitename))
    if url:
        host = SCHEME.sub("", url.strip().lower()).split("/")[0].split(":")[0]
        for label in host.split("."):
            if len(label) >= 4 and label not in GENERIC_HOST_PARTS:
                names.add(_key(label))
    return names


def _is_site(segment: str, names: set[str]) -> bool:
    key = _key(segment)
    if not key:
        return True  # a separator left alone
    if DOMAIN.fullmatch(segment.strip()) or (DOMAIN.search(segment) and len(segment.split()) <= 4):
        return True
    return any(name in key or (key in name and len(key) >= 4) for name in names) and len(segment.split()) <= 5


def strip_site(title: str, names: set[str]) -> str:
    """The title without a site-name segment at its start or end (repeatedly: `A - Section | Site`)."""
    title = " ".join(title.split())
    parts = SEPARATOR.split(title)
    seps = SEPARATOR.findall(title)
    while len(parts) > 1 and _is_site(parts[-1], names):
        parts, seps = parts[:-1], seps[:-1]
    while len(parts) > 1 and _is_site(parts[0], names):
        parts, seps = parts[1:], seps[1:]
    out = parts[0]
    for sep, part in zip(seps, parts[1:]):
        out += sep + part
    return out.strip(" -–—|:·•»«")


def clean_title(candidates: list[str | None], sitename: str | None, url: str | None) -> str | None:
    """The headline: the first candidate (og:title, <title>, h1, JSON-LD headline) without the site's
    name; a shorter copy of it that another candidate shows wins when the rest is a short prefix or
    suffix (a section name)."""
    names = site_names(sitename, url)
    cleaned = [strip_site(c, names) for c in candidates if c and c.strip()]
    cleaned = [c for c in cleaned if c]
    if not cleaned:
        return None
    best = cleaned[0]
    for other in cleaned[1:]:
        if len(other) < len(best) and len(other.split()) >= 3 and other in best:
            rest = best.replace(other, " ", 1)
            if len(rest.split()) <= 5 and SEPARATOR.search(rest):
                best = other
    return best


def clean_author(author: str | None, sitename: str | None, url: str | None) -> str | None:
    """A person's name, or None: `von AUTO ZEITUNG`, `BBC News`, the site's own name are not authors."""
    if not author:
        return None
    author = BYLINE_PREFIX.sub("", " ".join(author.split())).strip(" ,;:-|")
    if not author or "://" in author or len(author) > 80:
        return None
    names = site_names(sitename, url)
    key = _key(author)
    if key in {"admin", "redaksi", "administrator", "editor"} or any(n in key or key in n for n in names if len(key) >= 3):
        return None
    if ORGANISATION.search(author):
        return None
    return author
