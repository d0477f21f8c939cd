"""Choosing a pack for a page: by the URL's domain, else by text fingerprints."""

from __future__ import annotations

from urllib.parse import urlsplit

from .rulepack import Pack

FALLBACK = "generic"
# Fingerprints are searched in a page's first 2,500 and last 1,500 characters: a site signs its
# pages at the top (datelines, bylines) and the bottom (notices), and long pages stay cheap.
EDGE_HEAD, EDGE_TAIL = 2500, 1500
# Text taken from markup is cut wider first (8,000 and 4,000), before its whitespace is normalised:
# one text node a line, mostly blank, shrinks a lot.
MARKUP_HEAD, MARKUP_TAIL = 8000, 4000


def edges(text: str, head: int = EDGE_HEAD, tail: int = EDGE_TAIL) -> str:
    """The first `head` and last `tail` characters of a long text (all of a short one)."""
    if len(text) > head + tail:
        return text[:head] + "\n" + text[-tail:]
    return text


def edges_of_markup(text: str) -> str:
    return edges(text, MARKUP_HEAD, MARKUP_TAIL)


def host_of(url: str | None) -> str | None:
    if not url or not isinstance(url, str):
        return None
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname
    except ValueError:
        return None
    return host.lower().rstrip(".") if host else None


class SiteDetector:
    """Maps domains (subdomains included) and fingerprints to pack names. Built once per pack set."""

    def __init__(self, packs: dict[str, Pack]):
        self.by_domain = {d: p.name for p in packs.values() for d in p.domains}
        self.fingerprints = [(p.name, p.fingerprints) for p in packs.values() if p.fingerprints]

    def by_url(self, url: str | None) -> str | None:
        host = host_of(url)
        while host:
            if host in self.by_domain:
                return self.by_domain[host]
            host = host.partition(".")[2]
        return None

    def by_text(self, text: str) -> str | None:
        """The pack with the most matching fingerprints (ties: the first by name), if any matched,
        searched in the text's `edges`."""
        text = edges(text)
        best, best_hits = None, 0
        for name, patterns in self.fingerprints:
            hits = sum(1 for p in patterns if p.search(text))
            if hits > best_hits:
                best, best_hits = name, hits
        return best
