"""The way through: a page (a dict) in, a clean record or a reject out.

`Cleaner.clean(page) -> (record, None) | (None, reject)` is pure apart from the packs and the
language detector it loads once. The CLI, worker processes and engine adapters all call it.
Its steps, in order: the page's content, its lines and pack, the pack's rules, the language
check, the length check, the record.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import lru_cache

from . import langid
from .limits import MAX_LINE_BYTES, PageTimeout, batch_time_limits, markup_problem
from .packload import load_packs
from .records import frozen_record, slots_repr
from .regexes import lazy
from .reject import REJECT_REASONS, RejectReason, Rejected, reject  # noqa: F401 - REJECT_REASONS: public
from .rulepack import FIELD_NAMES, Pack, PackError, RuleTimeout, unknown_pack
from .site import FALLBACK, SiteDetector
from .strip import LineFate, Stripped, apply_pack
from .textnorm import odd_characters, one_line, split_lines, without_controls

# HTML with at most one NUL per this many characters is a page with padding a server or template
# left between tags (a news page of trafilatura's evaluation set: 22 NULs in 194,000 characters):
# the NULs are removed; more, or any in text, is a binary file
HTML_CHARS_PER_NUL = 1000
SURROGATE = lazy(r"[\ud800-\udfff]")  # a lone surrogate: invalid UTF-8 read with surrogateescape, or a bad \u escape


@frozen_record
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
    max_line_bytes: int = MAX_LINE_BYTES  # read limit per input line or page file


def stable_id(*parts) -> str:
    import hashlib  # here: most pages bring their id, and importing it is a part of a start-up

    for part in parts:
        if isinstance(part, str) and part:
            return hashlib.sha1(part.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return hashlib.sha1(b"").hexdigest()[:16]


class Read:
    """A page read into lines, with the pack chosen for it and what its markup said. (A plain
    class, not a dataclass: making one costs about a millisecond of every start-up.)"""

    __slots__ = ("lines", "pack", "url", "route", "meta")

    def __init__(self, lines: list[str], pack: Pack, url: str | None, route: str, meta: dict | None = None):
        self.lines, self.pack, self.url = lines, pack, url
        self.route = route  # text | selectors | trafilatura | captions
        self.meta = {} if meta is None else meta  # title, author, date, ... from the HTML's markup

    __repr__ = slots_repr


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
            raise unknown_pack(o.site, self.packs)
        self.sites = SiteDetector(self.packs)
        self.detector = langid.get_detector(o.lang_backend)
        # the input's fields a record does not carry over as they were (it has its own of each)
        self._consumed = frozenset((o.text_field, o.url_field, o.id_field) + (() if o.keep_html else (o.html_field,)))

    def clean(self, page, trace: list | None = None) -> tuple[dict | None, dict | None]:
        """`(record, None)` or `(None, reject)`; never raises for a bad page, never hangs on one.

        With a `trace` list, every line of the page is appended to it in order as a `LineFate`
        `(line, category, rule)`: category and rule are None for a kept line (`explain`)."""
        return self.clean_many([page], trace)[0]

    def clean_many(self, pages: list, trace: list | None = None) -> list[tuple[dict | None, dict | None]]:
        """`clean` of each page, in order, with the same results. The pages are read and stripped
        first, then their language checked and records made: the model's calls for the whole
        batch run back to back, so its tables stay in the CPU's cache instead of being pushed out
        by each page's rules in between. Each page has its time limit over both parts; a part
        that raises is the page's reject (`_rejected`). (The parts are written out here, not
        called as steps: a Python call per part and page costs more than the rest of the loop.)"""
        done: list = [None] * len(pages)
        started: list = []
        timeout = self.options.timeout
        monotonic = time.monotonic
        with batch_time_limits(timeout > 0) as limit:  # one alarm handler for the batch, a timer per part
            for i, page in enumerate(pages):
                if not isinstance(page, dict):
                    done[i] = None, reject(page, RejectReason.NOT_AN_OBJECT, f"expected a JSON object, got {type(page).__name__}")
                    continue
                start = monotonic()
                try:
                    with limit(timeout):
                        read = self.read(page)
                        stripped = self.strip(read, page.get("title"), trace)
                except (PageTimeout, Exception) as exc:
                    done[i] = None, self._rejected(page, exc)
                else:
                    started.append((i, page, read, stripped, monotonic() - start))
            for i, page, read, stripped, spent in started:
                try:
                    with limit(max(timeout - spent, 1e-3)):
                        body, lang, score = self.check_language(read.pack, stripped, trace)
                        self.check_length(body)
                        record = self.record(page, read, stripped, body, lang, score)
                except (PageTimeout, Exception) as exc:
                    done[i] = None, self._rejected(page, exc)
                else:
                    done[i] = record, None
        return done

    def _rejected(self, page: dict, exc: BaseException) -> dict:
        """The reject of a page whose cleaning raised `exc`: a step's `Rejected`, its time limit
        (PageTimeout, or a rule's RuleTimeout), or anything else (a bug: `internal_error`)."""
        if isinstance(exc, Rejected):
            return reject(page, exc.reason, str(exc))
        if isinstance(exc, PageTimeout):
            return reject(page, RejectReason.TIMEOUT, f"cleaning took longer than {self.options.timeout:g} s")
        if isinstance(exc, RuleTimeout):
            return reject(page, RejectReason.TIMEOUT, f"a rule ran past its time limit: {exc.rule}")
        # no single page may stop a run: a bug becomes a reject
        return reject(page, RejectReason.INTERNAL_ERROR, f"{type(exc).__name__}: {exc}"[:500])

    def content(self, page: dict) -> tuple[str, str, str | None]:
        """(route, content, odd): the page's text, else its HTML, if it is usable text at all;
        `odd` is a non-ASCII text's `odd_characters` (else None), which `split_lines` needs too."""
        o = self.options
        text, html = page.get(o.text_field), page.get(o.html_field)
        if isinstance(text, str) and text and not text.isspace():  # (`text.strip()`, without a copy of the text)
            route, content = "text", text
        elif isinstance(html, str) and html and not html.isspace():
            route, content = "html", html
        else:
            raise Rejected(RejectReason.NO_CONTENT, _why_no_content(page, o))
        if len(content) > o.max_chars:
            raise Rejected(RejectReason.TOO_LARGE, f"{len(content):,} characters (maximum {o.max_chars:,})")
        nuls = content.count("\x00") if "\x00" in content else 0  # (`in`: a memchr on most pages)
        if nuls and (route == "text" or nuls * HTML_CHARS_PER_NUL > len(content)):
            raise Rejected(RejectReason.BINARY_CONTENT, "the page contains NUL bytes: not text")
        if nuls:  # a few NULs in markup are padding a template left, not a binary file
            content = content.replace("\x00", "")
        if content.isascii():
            return route, content, None
        odd = None
        if route == "text":
            # a lone surrogate is not printable ASCII: in a text, it is one of its few odd
            # characters, and these are checked instead of the whole text: UTF-8 writes every
            # code point but a surrogate (a failed `encode` of a few characters costs less than
            # a search; the text is searched only to say where)
            odd = odd_characters(content)
            try:
                odd.encode()
                bad = None
            except UnicodeEncodeError:
                bad = SURROGATE.search(content)
        else:
            bad = SURROGATE.search(content)
        if bad:
            raise Rejected(RejectReason.INVALID_UNICODE, f"invalid UTF-8 or a lone surrogate at character {bad.start():,}")
        return route, content, odd

    def read(self, page: dict) -> Read:
        """The page's lines and its pack: text is split into lines; HTML is parsed, its pack
        chosen from the markup, and its story taken out with that pack's selectors (or
        trafilatura)."""
        url = page.get(self.options.url_field)
        url = url if isinstance(url, str) and url else None
        route, content, odd = self.content(page)
        if route == "text":
            lines = split_lines(content, odd)
            return Read(lines, self.choose_pack([url], [lambda: "\n".join(lines)]), url, route)
        problem = markup_problem(content)  # bounds the parser's work, which no timer can interrupt
        if problem:
            raise Rejected(RejectReason.BAD_HTML, problem)
        from . import html as html_route  # imports trafilatura: only when a page needs it

        with html_route.reading():
            tree, meta = html_route.parse_page(content)
            pack = self.choose_pack([url, meta["url"]], [lambda: html_route.edge_text(tree)], fallback=False)
            lines, route = html_route.to_lines(tree, url, pack, content)
        if pack is None:  # nothing in the markup named a site: the story's own lines may
            pack = self.choose_pack([], [lambda: "\n".join(lines)])
        return Read(lines, pack, url or meta.get("url"), route, meta)

    def choose_pack(self, urls: list, texts: list, fallback: bool = True) -> Pack | None:
        """The one place a page's pack is chosen: the forced `site`, else the first URL whose
        domain a pack names, else the first text (made on demand) that a pack's fingerprints
        match, else the generic pack (or None when `fallback` is false)."""
        name = self.options.site or next(filter(None, map(self.sites.by_url, urls)), None)
        for text in texts if name is None else ():
            name = self.sites.by_text(text())
            if name:
                break
        if name is None:
            return self.packs[FALLBACK] if fallback else None
        return self.packs[name]

    def strip(self, read: Read, input_title, trace: list | None) -> Stripped:
        """The pack's rules over the lines; fields the rules did not find come from the markup."""
        known_title = input_title if isinstance(input_title, str) else None
        stripped = apply_pack(read.pack, read.lines, {"title": known_title or read.meta.get("title")},
                              with_trace=trace is not None, single_spaced=read.route == "text")
        if trace is not None:
            trace.extend(stripped.trace)
        for name in ("author", "date"):
            if stripped.fields.get(name) is None and read.meta.get(name):
                stripped.fields[name] = read.meta[name]
        if not stripped.lines:
            raise Rejected(RejectReason.EMPTY_AFTER_CLEANING, f"pack {read.pack.name} removed all {len(read.lines)} lines")
        return stripped

    def check_language(self, pack: Pack, stripped: Stripped, trace: list | None) -> tuple[str, str | None, float]:
        """(body: the kept lines joined, language, score): the page must be in an accepted
        language; lines in another language than the page's are removed (`other_language`)."""
        o, kept = self.options, stripped.lines
        accepted = pack.languages if o.languages is None else o.languages
        text = "\n".join(kept)  # (the body too, unless lines go: most pages)
        lang, score = langid.document_language(self.detector, text, accepted)
        if accepted and lang is not None and lang not in accepted:
            raise Rejected(RejectReason.LANGUAGE_MISMATCH, f"detected {lang} ({score}); accepted: {', '.join(accepted)}")
        foreign = set(langid.other_language_lines(kept, lang, self.detector))
        if foreign:
            if trace is not None:
                _mark_foreign(trace, kept, foreign)
            text = "\n".join([line for i, line in enumerate(kept) if i not in foreign])
            stripped.removed = {**stripped.removed, "other_language": len(foreign)}
        return text, lang, score

    def check_length(self, body: str) -> None:
        o = self.options
        if len(body) < o.min_chars:
            raise Rejected(RejectReason.TOO_SHORT, f"{len(body)} characters after cleaning (minimum {o.min_chars})")
        # split at most min_words times: fewer parts than min_words means fewer words, and a long
        # body is not cut into hundreds of words just to count past the minimum
        if len(body.split(None, o.min_words)) < o.min_words:
            words = len(body.split())
            raise Rejected(RejectReason.TOO_SHORT, f"{words} words after cleaning (minimum {o.min_words})")

    def record(self, page: dict, read: Read, stripped: Stripped, body: str, lang, score) -> dict:
        """The output record: our fields first, then the input's other fields as they were."""
        o, pack, fields = self.options, read.pack, stripped.fields
        method = f"rules:{pack.name}" if pack.name != FALLBACK else "generic-text"
        if read.route != "text":
            method = f"{read.route}+{method}" if read.route != "selectors" else f"html+{method}"
        given_id = without_controls(page.get(o.id_field))  # no field can drive a terminal
        text, html = page.get(o.text_field), page.get(o.html_field)
        # headline, byline and date lines are not lost: they moved to their fields
        removed, moved = {}, {}
        for cat, n in sorted(stripped.removed.items()):
            (moved if cat in FIELD_NAMES else removed)[cat] = n
        record = {
            "id": given_id if given_id not in (None, "") else stable_id(read.url, text, html),
            "url": without_controls(read.url),
            "title": one_line(fields["title"]),
            "text": body,
            "author": one_line(fields["author"]),
            "editor": one_line(fields["editor"]),
            "date": fields["date"],
            "site": pack.name if pack.name != FALLBACK else None,
            "lang": lang,
            "lang_score": score,
            "cleaner": {"method": method, "removed": removed, "moved": moved},
        }
        consumed = self._consumed
        for key, value in page.items():
            if key not in record and key not in consumed:
                record[key] = value
        return record


def _mark_foreign(trace: list, kept: list[str], foreign: set[int]) -> None:
    """In the trace (the page's lines by position), the kept lines at `foreign` become removed."""
    kept_at = [i for i, fate in enumerate(trace) if fate.category is None]
    for k in foreign:
        trace[kept_at[k]] = LineFate(kept[k], "other_language", "language check")


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
    return cached_cleaner(frozen_options(options)).clean_many(list(pages))
