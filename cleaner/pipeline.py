"""The way through: a page (a dict) in, a clean record or a reject out.

`Cleaner.clean(page) -> (record, None) | (None, reject)` is pure apart from the packs and the
language detector it loads once. The CLI, worker processes and engine adapters all call it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache

import regex

from . import langid
from .limits import PageTimeout, time_limit
from .rulepack import Pack, PackError, RuleTimeout, apply_pack, load_packs
from .site import FALLBACK, SiteDetector
from .textnorm import split_lines

OUTPUT_FIELDS = ("id", "url", "title", "text", "author", "editor", "date", "site", "lang", "lang_score", "cleaner")
# Every reason a page can be rejected for; the README's "Failure behaviour" explains each.
REJECT_REASONS = (
    "invalid_json", "not_an_object", "no_content", "invalid_unicode", "binary_content", "too_large",
    "bad_html", "timeout", "empty_after_cleaning", "language_mismatch", "too_short", "truncated_input",
)
SURROGATE = regex.compile(r"[\ud800-\udfff]")  # a lone surrogate: invalid UTF-8 read with surrogateescape, or a bad \u escape


@dataclass(frozen=True)
class Options:
    """Everything that changes what a page becomes; the CLI options map one to one."""

    site: str | None = None  # force this pack for every page
    rules_dirs: tuple[str, ...] = ()  # extra pack folders; a same-named pack replaces a built-in
    languages: tuple[str, ...] | None = None  # accepted languages; None = the pack's; () = any
    min_chars: int = 200
    min_words: int = 20
    max_chars: int = 20_000_000  # a larger page is a `too_large` reject, not a stall
    lang_backend: str = "fasttext"
    text_field: str = "text"
    html_field: str = "html"
    url_field: str = "url"
    id_field: str = "id"
    keep_html: bool = False
    timeout: float = 10.0  # seconds per page, extraction and rules together (0 = no limit)


def reject(page, reason: str, detail: str) -> dict:
    """A reject line: the input object (or the raw line) and why it was not kept."""
    base = dict(page) if isinstance(page, dict) else {"raw": page}  # page None: no input to show
    base["reject"] = {"reason": reason, "detail": detail}
    return base


def stable_id(*parts) -> str:
    for part in parts:
        if isinstance(part, str) and part:
            return hashlib.sha1(part.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return hashlib.sha1(b"").hexdigest()[:16]


@dataclass
class Cleaner:
    """Packs, site detector and language detector, loaded once; `clean` is called per page."""

    options: Options = field(default_factory=Options)

    def __post_init__(self) -> None:
        o = self.options
        if o.min_chars < 0 or o.min_words < 0 or o.max_chars < 1 or o.timeout < 0:
            raise ValueError("min_chars, min_words and timeout must be 0 or more, max_chars 1 or more")
        self.packs: dict[str, Pack] = load_packs(o.rules_dirs)
        if FALLBACK not in self.packs:
            raise PackError(f"no '{FALLBACK}' pack found: it is the fallback for unknown sites")
        if o.site is not None and o.site not in self.packs:
            raise PackError(f"unknown pack {o.site!r} (known: {', '.join(self.packs)})")
        self.sites = SiteDetector(self.packs)
        self.detector = langid.get_detector(o.lang_backend)

    def clean(self, page, trace: list | None = None) -> tuple[dict | None, dict | None]:
        """`(record, None)` or `(None, reject)`; never raises for a bad page, never hangs on one.

        With a `trace` list, every line of the page is appended to it in order as
        `(line, category, rule)`: category and rule are None for a kept line (`explain`)."""
        if not isinstance(page, dict):
            return None, reject(page, "not_an_object", f"expected a JSON object, got {type(page).__name__}")
        try:
            with time_limit(self.options.timeout):
                return self._clean(page, trace)
        except PageTimeout:
            return None, reject(page, "timeout", f"cleaning took longer than {self.options.timeout:g} s")
        except RuleTimeout as exc:
            return None, reject(page, "timeout", f"a rule ran past its time limit: {exc.rule}")

    def _clean(self, page: dict, trace: list | None) -> tuple[dict | None, dict | None]:
        o = self.options
        url = page.get(o.url_field)
        url = url if isinstance(url, str) and url else None
        text, html = page.get(o.text_field), page.get(o.html_field)
        meta: dict = {}
        content = text if isinstance(text, str) and text.strip() else html if isinstance(html, str) and html.strip() else None
        if content is None:
            return None, reject(page, "no_content", _why_no_content(page, o))
        if len(content) > o.max_chars:
            return None, reject(page, "too_large", f"{len(content):,} characters (maximum {o.max_chars:,})")
        if "\x00" in content:
            return None, reject(page, "binary_content", "the page contains NUL bytes: not text")
        bad = SURROGATE.search(content)
        if bad:
            return None, reject(page, "invalid_unicode", f"invalid UTF-8 or a lone surrogate at character {bad.start():,}")
        if content is text:
            lines, route = split_lines(text), "text"
        else:
            from . import html as html_route  # imports trafilatura: only when a page needs it

            try:
                lines, meta, route = html_route.to_lines(html, url, self)
            except html_route.HtmlError as exc:
                return None, reject(page, exc.reason, str(exc))
            url = url or meta.get("url")

        pack_name = (o.site or meta.get("site_pack") or self.sites.by_url(url)
                     or self.sites.by_text("\n".join(lines)) or FALLBACK)
        pack = self.packs[pack_name]
        known_title = page.get("title") if isinstance(page.get("title"), str) else None
        stripped = apply_pack(pack, lines, {"title": known_title or meta.get("title")}, with_trace=trace is not None)
        if trace is not None:
            trace.extend(stripped.trace)
        for name in ("author", "date"):
            if stripped.fields.get(name) is None and meta.get(name):
                stripped.fields[name] = meta[name]
        if not stripped.lines:
            return None, reject(page, "empty_after_cleaning", f"pack {pack.name} removed all {len(lines)} lines")

        kept = stripped.lines
        accepted = pack.languages if o.languages is None else o.languages
        lang, score = langid.document_language(self.detector, "\n".join(kept), accepted)
        if accepted and lang is not None and lang not in accepted:
            return None, reject(page, "language_mismatch", f"detected {lang} ({score}); accepted: {', '.join(accepted)}")
        removed = dict(stripped.removed)
        foreign = set(langid.other_language_lines(kept, lang, self.detector))
        if foreign:
            if trace is not None:
                gone = {kept[i] for i in foreign}
                trace[:] = [(line, "other_language", "language check") if cat is None and line in gone else (line, cat, rule)
                            for line, cat, rule in trace]
            kept = [line for i, line in enumerate(kept) if i not in foreign]
            removed["other_language"] = len(foreign)
        body = "\n".join(kept)
        if len(body) < o.min_chars:
            return None, reject(page, "too_short", f"{len(body)} characters after cleaning (minimum {o.min_chars})")
        words = len(body.split())
        if words < o.min_words:
            return None, reject(page, "too_short", f"{words} words after cleaning (minimum {o.min_words})")

        method = f"rules:{pack.name}" if pack.name != FALLBACK else "generic-text"
        if route != "text":
            method = f"{route}+{method}" if route != "selectors" else f"html+{method}"
        record = {
            "id": page.get(o.id_field) if page.get(o.id_field) not in (None, "") else stable_id(url, text, html),
            "url": url,
            "title": stripped.fields["title"],
            "text": body,
            "author": stripped.fields["author"],
            "editor": stripped.fields["editor"],
            "date": stripped.fields["date"],
            "site": pack.name if pack.name != FALLBACK else None,
            "lang": lang,
            "lang_score": score,
            "cleaner": {"method": method, "removed": dict(sorted(removed.items()))},
        }
        consumed = {o.text_field, o.url_field, o.id_field}
        if not o.keep_html:
            consumed.add(o.html_field)
        for key, value in page.items():
            if key not in record and key not in consumed:
                record[key] = value
        return record, None


def _why_no_content(page: dict, o: Options) -> str:
    for name in (o.text_field, o.html_field):
        if name in page and not isinstance(page[name], str):
            return f"field {name!r} is {type(page[name]).__name__}, not a string"
    if o.text_field in page or o.html_field in page:
        return f"fields {o.text_field!r} / {o.html_field!r} are empty"
    return f"no {o.text_field!r} or {o.html_field!r} field"


@lru_cache(maxsize=8)
def cached_cleaner(options: Options) -> Cleaner:
    """One Cleaner per distinct options per process (packs and model load once)."""
    return Cleaner(options)


def clean_record(page, **options) -> tuple[dict | None, dict | None]:
    """Clean one page with a per-process cached Cleaner: `(record, None)` or `(None, reject)`.

    The engine-neutral entry point: call it from a worker, a Spark task or a notebook.
    Options are those of `Options` (`site`, `languages`, `min_chars`, ...).
    """
    return cached_cleaner(frozen_options(options)).clean(page)


def frozen_options(options: dict) -> Options:
    """Options from keyword arguments, lists made tuples (Options are hashable: one Cleaner each)."""
    options = dict(options)
    for key in ("rules_dirs", "languages"):
        if options.get(key) is not None:
            options[key] = tuple(options[key])
    return Options(**options)


def clean_records(pages, **options) -> list[tuple[dict | None, dict | None]]:
    """The batch form of `clean_record`: one `(record, reject)` pair per page, in order."""
    return [clean_record(page, **options) for page in pages]
