"""Raw HTML -> the page's story lines and metadata from markup.

A known site whose pack names a body container goes the selector route: drop the pack's
unwanted elements, then take paragraphs, headings and list items in order. Any other page
(or a known page whose container is missing after a redesign) goes through trafilatura.
Either way the lines then meet the same text rules as flattened text does.
"""

from __future__ import annotations

import json
import re
from contextlib import contextmanager
from functools import lru_cache

import regex
from lxml import etree
from lxml.cssselect import CSSSelector

from .reject import Rejected
from .restore import restore_story
from .site import edges_of_markup
from .tables import readable_tables
from .textnorm import split_lines
from .titles import clean_author, clean_title
from .trafilatura_steps import FAST_PRECISE, TRAFILATURA, load_html
from .trafilatura_steps import extract as run_trafilatura

# Elements that never hold story text.
JUNK = "script, style, noscript, iframe, form, button, svg, template, object, embed, figure, figcaption, aside, nav, ins"
BLOCKS = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote", "pre", "table", "tr",
    "section", "article", "header", "footer", "dd", "dt", "dl", "figure", "hr", "address", "center",
}
# trafilatura's settings for pages without a pack, chosen by measurement (bench/extraction.py)
RESTORE = True  # put back story lines the precise extraction skipped, from resiliparse's (restore.py)
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)


class HtmlError(Rejected):
    """A page that cannot be read as HTML; `reason` is the reject reason."""


def decode_html(data: bytes) -> str:
    """Bytes of a raw page -> text: a BOM; else UTF-8 when the bytes are valid UTF-8 (pages often
    declare a charset they do not use, and other text is rarely valid UTF-8 by chance); else the
    declared charset; else detection."""
    boms = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
            (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))  # UTF-32-LE's BOM starts like UTF-16-LE's
    for bom, codec in boms:
        if data.startswith(bom):
            return data[len(bom):].decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = META_CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii").lower(), errors="replace")
        except (LookupError, UnicodeError):  # an unknown charset, or one that fails whatever: fall through
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:65536]).best()
    return data.decode(best.encoding if best else "cp1252", errors="replace")


@lru_cache(maxsize=256)
def selector(css: str) -> CSSSelector:
    return CSSSelector(css)


def parse(html: str):
    try:
        tree = load_html(html)
    except (ValueError, etree.ParserError) as exc:
        raise HtmlError("bad_html", f"unparsable HTML: {exc}") from None
    if tree is None or len(tree) == 0:
        raise HtmlError("bad_html", "unparsable or empty HTML")
    return tree


def _xpath(expression: str) -> etree.XPath:
    """An XPath compiled once (`tree.xpath(text)` compiles it on every call), giving plain strings."""
    return etree.XPath(expression, smart_strings=False)


def _first_of(values: list[str]) -> str | None:
    return next(filter(None, (" ".join(value.split()) for value in values)), None)


def _json_ld(scripts: list) -> dict:
    """datePublished, author and headline from the page's JSON-LD (its `scripts`' texts), if any."""
    found: dict = {}
    for script in [t for el in scripts if el.get("type") == "application/ld+json" for t in TEXT_NODES(el)]:
        try:
            data = json.loads(script)
        except ValueError:
            continue
        items = data if isinstance(data, list) else [data]
        items += [g for d in items if isinstance(d, dict) and isinstance(d.get("@graph"), list)
                  for g in d["@graph"] if isinstance(g, dict)]
        for item in items:
            if not isinstance(item, dict):
                continue
            for key in ("datePublished", "headline"):
                if isinstance(item.get(key), str):
                    found.setdefault(key, item[key])
            author = item.get("author")
            author = author[0] if isinstance(author, list) and author else author
            name = author.get("name") if isinstance(author, dict) else author
            if isinstance(name, str) and name.strip():
                found.setdefault("author", name.strip())
    return found


def _web_url(url: str | None) -> str | None:
    """An http(s) URL, or None (a `javascript:` or `data:` "canonical" link is not the page's address)."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


# The page's <meta>, <script>, <link>, <title>, <h1> and <time> elements are gathered in one walk
# of the tree (lxml's `iter` over several tags: about the time of one XPath walk, instead of one
# walk per field); each field then reads only its elements, as the XPath it had over the whole
# page did: //meta, //script[@type="application/ld+json"]/text(), //link[@rel="canonical"]/@href,
# //head/title/text(), (//h1)[1]//text(),
# //time[@pubdate or @class="published" or contains(@class, "publish")]/@datetime.
MARKUP_FIELD_TAGS = ("meta", "script", "link", "title", "h1", "time")
TEXT_NODES = _xpath("text()")
DESCENDANT_TEXT_NODES = _xpath("descendant::text()")
META_FIELDS = {
    "published": {"property": ("article:published_time", "og:published_time"), "name": ("article:published_time",)},
    "dated": {"name": ("pubdate", "publishdate", "publish-date", "date", "dc.date", "DC.date.issued", "dcterms.created",
                       "sailthru.date", "parsely-pub-date"), "itemprop": ("datePublished",)},
    "sitename": {"property": ("og:site_name",)},
    "og_url": {"property": ("og:url",)},
    "author": {"name": ("author",), "property": ("article:author",)},
    "og_title": {"property": ("og:title",)},
    "twitter_title": {"name": ("twitter:title",)},
}
_META_ATTRIBUTES = ("property", "name", "itemprop")
_META_FIELD_OF: dict[tuple[str, str], list[str]] = {}  # (attribute, value) -> the fields it marks
for _field, _values_by_attribute in META_FIELDS.items():
    for _attribute, _values in _values_by_attribute.items():
        _META_FIELD_OF.update({(_attribute, v): _META_FIELD_OF.get((_attribute, v), []) + [_field] for v in _values})
# a date stated elsewhere than in a <meta>, read when neither the <meta>s nor the JSON-LD have one:
# //*[@itemprop="datePublished"]/@datetime (the attribute axis: half the time of testing every element)
ITEMPROP_DATES = _xpath('//@itemprop[. = "datePublished"]/../@datetime')


def _time_dates(times: list) -> list[str]:
    """The `datetime` of the <time> elements marked as the publication's."""
    return [value for el in times if el.get("pubdate") is not None or el.get("class") == "published"
            or "publish" in (el.get("class") or "") for value in [el.get("datetime")] if value is not None]


def markup_elements(tree) -> dict[str, list]:
    """The page's elements of each MARKUP_FIELD_TAGS tag, in page order (the whole document's,
    as `//tag` finds them, also when `tree` is a fragment's element)."""
    found: dict[str, list] = {tag: [] for tag in MARKUP_FIELD_TAGS}
    for el in tree.getroottree().getroot().iter(*MARKUP_FIELD_TAGS):
        found[el.tag].append(el)
    return found


def meta_contents(metas: list) -> dict[str, list[str]]:
    """The `content` of the page's <meta> elements by META_FIELDS field, in page order."""
    found: dict[str, list[str]] = {field: [] for field in META_FIELDS}
    for meta in metas:
        content = meta.get("content")
        if content is None:
            continue
        fields = {f for a in _META_ATTRIBUTES for f in _META_FIELD_OF.get((a, meta.get(a)), ())}
        for field in fields:
            found[field].append(content)
    return found


def metadata(tree, url: str | None = None) -> dict:
    """Title, author, date, canonical URL and site name from the page's markup; the title and the
    author without the site's name (titles.py)."""
    from .dates import parse_date

    elements = markup_elements(tree)
    metas = meta_contents(elements["meta"])
    ld = _json_ld(elements["script"])
    date = (_first_of(metas["published"] + metas["dated"]) or ld.get("datePublished") or _first_of(ITEMPROP_DATES(tree))
            or _first_of(_time_dates(elements["time"])))
    sitename = _first_of(metas["sitename"])
    canonicals = [href for el in elements["link"] if el.get("rel") == "canonical" for href in [el.get("href")] if href is not None]
    canonical = _first_of(canonicals) or _first_of(metas["og_url"])
    page_url = _web_url(canonical) or url
    # pages often name the publisher as author too (`<meta name="author" content="IDN Times">`)
    authors = [" ".join(a.split()) for a in metas["author"]]
    author = next(filter(None, (clean_author(a, sitename, page_url) for a in [ld.get("author"), *authors])), None)
    h1s = elements["h1"]
    h1 = " ".join(" ".join(DESCENDANT_TEXT_NODES(h1s[0]) if h1s else []).split()) or None
    head_titles = [t for el in elements["title"] if _parent_tag(el) == "head" for t in TEXT_NODES(el)]
    candidates = [_first_of(metas["og_title"] + metas["twitter_title"]), _first_of(head_titles), h1, ld.get("headline")]
    return {
        "title": clean_title(candidates, sitename, page_url),
        "author": author,
        "date": parse_date(date) if date else None,
        "url": _web_url(canonical),
        "sitename": sitename,
    }


def _parent_tag(el) -> str | None:
    parent = el.getparent()
    return parent.tag if parent is not None else None


def body_lines(container, drop: tuple = ()) -> list[str]:
    """The text of a body container, one block (paragraph, heading, list item) per line; `drop`:
    compiled selectors of elements to leave out."""
    for select in [selector(JUNK), *drop]:
        for el in select(container):
            _remove(el)
    parts: list[str] = []
    _flatten(container, parts)
    return split_lines("".join(parts))


def _remove(el) -> None:
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:  # keep the text that follows the element
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _flatten(el, parts: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag == "br":
        parts.append("\n")
    block = tag in BLOCKS
    if block:
        parts.append("\n")
    if el.text and tag:
        parts.append(el.text)
    for child in el:
        _flatten(child, parts)
    if block:
        parts.append("\n")
    if el.tail:
        parts.append(el.tail)


def edge_text(tree) -> str:
    """The body's text for fingerprints, one text node a line (fingerprints anchor at line
    starts), only its edges: see `site.edges_of_markup`."""
    return "\n".join(split_lines(edges_of_markup("\n".join(BODY_TEXTS(tree)))))


# plain strings: lxml's default "smart" strings each keep a link to their element, at a cost
BODY_TEXTS = etree.XPath("//body//text()", smart_strings=False)


@contextmanager
def reading():
    """Around reading one page's HTML: markup nested too deeply is a bad page, not a crash."""
    try:
        yield
    except RecursionError:
        raise HtmlError("bad_html", "markup nested too deeply") from None


def parse_page(html: str) -> tuple[object, dict]:
    """(tree, metadata) of a page's HTML."""
    tree = parse(html)
    return tree, metadata(tree)


def to_lines(tree, url: str | None, pack, html: str | None = None) -> tuple[list[str], str]:
    """(lines, route): route is "selectors" (the pack's `[html] body`), "trafilatura" (with the
    story lines it skipped restored from resiliparse's text of `html`, the page's source: the
    parsed tree has lost the spaces between tags; without it, no restoring) or "captions"
    (a photo gallery)."""
    rules = pack.html if pack is not None else None
    if rules is not None and rules.body is not None:
        containers = rules.body(tree)
        if containers:
            lines = body_lines(containers[0], rules.drop)
            if lines:
                return lines, "selectors"
    captions = gallery_captions(tree)
    restore = RESTORE and html is not None and not TOO_DEEP_FOR_RESTORE(tree)
    wide = wide_lines(html) if restore else None
    text = story_text(tree, url, wide)
    lines = readable_tables(split_lines(text or ""))
    if restore:
        lines = restore_story(lines, wide, lambda: caption_texts(tree), lambda: DESCRIPTIONS(tree))
    if len(captions) >= 2 and _story_words(captions) > _story_words(lines):
        return captions, "captions"
    if not lines:
        raise HtmlError("no_content", "no article text found in the HTML")
    return lines, "trafilatura"


# The fast extraction (no readability / justext comparison) is doubtful when its text is under
# trafilatura's own minimum, or short and far shorter than resiliparse's main content (which holds
# the story and some boilerplate): a story half-found. Measured on html-id, trafeval-dev and AEB
# (674 pages): the full precise extraction differs from the fast one on 44 pages; the 34 of them it
# changes by more than a few lines all have a fast text under 0.3x resiliparse's length and under
# 900 characters, and a fast text of 1,000+ characters or over 1.5x resiliparse's never changed.
# The rule flags 44 pages (25 fewer than an upper bound of 1.5x and no length cap did), all 34 among
# them; 13 are still doubtful after the full precise run and get the recall run too.
DOUBTFUL_BELOW_CHARS = 250
DOUBTFUL_SHARE_OF_WIDE = 0.3
SURE_FROM_CHARS = 1000


def story_text(tree, url: str | None, wide: list[str] | None) -> str | None:
    """trafilatura's text of the page: `favor_precision` in fast mode; when that text looks
    doubtful next to resiliparse's `wide` lines, the full precise extraction (readability and
    jusText compared); when that one is still doubtful, the full extraction without
    `favor_precision`, whose recall fallbacks (off in precision mode) find a story the precise
    runs missed: a page of one short widget line, a story cut after its first paragraphs. Without
    `wide`, the full precise extraction. trafilatura works on its own copy of a tree it is given:
    `tree` stays as parsed for every run and for the caption search after them."""
    if wide is None:
        return run_trafilatura(tree, url, **TRAFILATURA)
    wide_chars = len("\n".join(wide))
    text = run_trafilatura(tree, url, **FAST_PRECISE) or ""
    if not _doubtful(text, wide_chars):
        return text
    text = run_trafilatura(tree, url, **TRAFILATURA) or ""
    if not _doubtful(text, wide_chars):
        return text
    return run_trafilatura(tree, url, **dict(TRAFILATURA, favor_precision=False)) or text


def _doubtful(text: str, wide_chars: int) -> bool:
    chars = len(text)
    return chars < SURE_FROM_CHARS and (chars < DOUBTFUL_BELOW_CHARS or chars < DOUBTFUL_SHARE_OF_WIDE * wide_chars)


# A photographer's or agency's credit closing a caption: "(REUTERS / Danny Moloshok)", "(Foto: ...)".
CAPTION_CREDIT = regex.compile(r"\s*\((?:[^()]*/[^()]*|(?i:foto|photo|credit|kredit|sumber|source|image)\b[^()]*|\p{Lu}[\p{Lu} .&-]{2,40})\)\s*$")
SENTENCE_END = frozenset(".!?…\"'”’»)")


# resiliparse parses the page's source itself and stalls on markup nested past any real page's
# depth (libxml2 stops lxml at 256 levels): such a page keeps trafilatura's lines only
MAX_DEPTH_FOR_RESTORE = 200
# an element MAX_DEPTH_FOR_RESTORE levels down, the root being level 1 (libxml2's XPath: a
# quarter of the time of walking the tree in Python)
TOO_DEEP_FOR_RESTORE = etree.XPath("boolean(/" + "/*" * MAX_DEPTH_FOR_RESTORE + ")")


def wide_lines(html: str) -> list[str]:
    """resiliparse's main-content text of the page: nearly all of the story, and boilerplate."""
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    return split_lines(extract_plain_text(HTMLTree.parse(html), main_content=True, alt_texts=False, list_bullets=False))


# the page's summary of its story, as its markup states it
DESCRIPTIONS = etree.XPath('//meta[@name="description" or @property="og:description" or @name="twitter:description"]/@content',
                          smart_strings=False)


# (the elements classed or named as captions found through their class and id attributes: the
# same elements as testing every element's, //*[contains(@class, "caption") or ...], in half the time)
CAPTION_TEXTS = _xpath('//figcaption//text() | (//@class[contains(., "caption") or contains(., "credit")]/.. | //@id[contains(., "caption")]/..)//text()'
                       ' | //img/@alt | //img/@title')
# an image in a box with a short text beside it: the text is the image's caption
IMAGE_BOXES = etree.XPath('//img/parent::div[not(.//p)][string-length(normalize-space(.)) < 400]')  # = //div[img][...]


def caption_texts(tree) -> list[str]:
    """Every caption-like text of the page: figure captions, elements classed as captions or
    credits, images' alt and title texts, the short text of a box around an image."""
    texts = CAPTION_TEXTS(tree) + [el.text_content() for el in IMAGE_BOXES(tree)]
    return [t for t in (" ".join(x.split()) for x in texts) if len(t.split()) >= 4]


def gallery_captions(tree) -> list[str]:
    """The captions of a page's figures, credits cut, each once, in order: the story of a photo
    gallery, whose text is its captions and whose only other text is widgets."""
    seen, captions = set(), []
    for el in tree.iter("figcaption"):
        text = CAPTION_CREDIT.sub("", " ".join(el.text_content().split()))
        if len(text.split()) >= 5 and text not in seen:
            seen.add(text)
            captions.append(text)
    return captions


def _story_words(lines: list[str]) -> int:
    """Words in full sentences (a line of 8+ words closing with a full stop or a quote)."""
    return sum(len(line.split()) for line in lines if line[-1:] in SENTENCE_END and len(line.split()) >= 8)
