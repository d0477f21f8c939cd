"""Publication dates as printed on news pages -> ISO 8601.

Handles day-month-year and month-day-year with month names in Indonesian, Malay and English
(full or abbreviated), ISO 8601 (fractional seconds dropped, the zone kept), day/month/year
in digits, an optional time (13:54 or 13.54) and an optional Indonesian zone
(WIB, WITA, WIT) or numeric offset. A date that cannot be read is None, never a guess.
"""

from __future__ import annotations

from .regexes import lazy

MONTHS = {
    # Indonesian / Malay
    "januari": 1, "februari": 2, "pebruari": 2, "maret": 3, "mac": 3, "april": 4, "mei": 5,
    "juni": 6, "jun": 6, "juli": 7, "julai": 7, "agustus": 8, "ogos": 8, "september": 9,
    "oktober": 10, "november": 11, "nopember": 11, "desember": 12, "disember": 12,
    "agu": 8, "agt": 8, "ags": 8, "okt": 10, "nop": 11, "des": 12, "dis": 12, "peb": 2,
    # English
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8,
    "october": 10, "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jul": 7,
    "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
ZONES = {"WIB": "+07:00", "WITA": "+08:00", "WIT": "+09:00", "UTC": "+00:00", "GMT": "+00:00"}

_MONTH = r"(?P<month>[^\W\d_]{3,10})\.?"
_TIME = r"(?:[,|\s]+(?:pukul\s+)?(?P<hh>\d{1,2})[:.](?P<mm>\d{2})(?:[:.](?P<ss>\d{2}))?)?"
_ZONE = r"(?:\s*(?P<zone>WIB|WITA|WIT|UTC|GMT|[+-]\d{2}:?\d{2}))?"
# compiled on the first date read (`lazy`): a run of pages without a date line never needs them
DAY_FIRST = lazy(rf"(?P<day>\d{{1,2}})\s+{_MONTH}\s+(?P<year>\d{{4}}){_TIME}{_ZONE}")
MONTH_FIRST = lazy(rf"{_MONTH}\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}}){_TIME}{_ZONE}")
ISO = lazy(r"(?P<year>\d{4})-(?P<m>\d\d)-(?P<day>\d\d)(?:[T ](?P<hh>\d\d):(?P<mm>\d\d)(?::(?P<ss>\d\d)(?:[.,]\d{1,9})?)?)?\s*(?P<zone>Z|[+-]\d\d:?\d\d)?")
# 23/02/2016 15:32 WIB: day first, as Indonesian, Malay and European pages print it; only with a
# time, as a page's timestamp is printed: a bare `(27/10/2025)` is a dateline's event date
NUMERIC = lazy(r"(?<![\d/])(?P<day>\d{1,2})/(?P<m>\d{1,2})/(?P<year>\d{4})[,|\s]+(?:pukul\s+)?(?P<hh>\d{1,2})[:.](?P<mm>\d{2})(?:[:.](?P<ss>\d{2}))?" + _ZONE)


def parse_date(text: str, default_offset: str | None = None) -> str | None:
    """The first date in `text` as ISO 8601 (`2024-01-17T13:54:00+07:00` or `2024-01-17`)."""
    if not text:
        return None
    for pattern in (DAY_FIRST, MONTH_FIRST, ISO, NUMERIC):
        for m in pattern.finditer(text):
            month = int(m["m"]) if "m" in pattern.groupindex else MONTHS.get(m["month"].lower(), 0)
            if not 1 <= month <= 12:
                continue
            day, year = int(m["day"]), int(m["year"])
            if not 1 <= day <= 31 or not 1900 <= year <= 2100:
                continue
            date = f"{year:04d}-{month:02d}-{day:02d}"
            if m["hh"] is None:
                return date
            hh, mm, ss = int(m["hh"]), int(m["mm"]), int(m["ss"] or 0)
            if hh > 23 or mm > 59 or ss > 59:
                return date
            return f"{date}T{hh:02d}:{mm:02d}:{ss:02d}{_offset(m['zone'], default_offset)}"
    return None


def _offset(zone: str | None, default_offset: str | None) -> str:
    if not zone:
        return default_offset or ""
    if zone == "Z":
        return "+00:00"
    if zone in ZONES:
        return ZONES[zone]
    digits = zone.replace(":", "")
    return f"{digits[:3]}:{digits[3:]}"
