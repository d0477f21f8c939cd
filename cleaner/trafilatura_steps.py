"""trafilatura's `load_html` and fast precise `extract` through trafilatura's own steps, less the
work that cannot change their result on the pages our HTML path gives them.

- `extract`: `trafilatura.extract(tree, fast=True, favor_precision=True, include_comments=False)`
  copies the tree it is given (the caller's tree stays as it was), copies that copy again before
  cleaning it, and keeps a third copy (the cleaned tree before its tags are converted) for the
  comparison with readability and jusText. In a fast precise run without comments nothing reads
  the second or the third: the comparison is off in fast mode, and the baseline rescue and the
  recall escalation, which read the pruned tree, are off in precision mode. Here that case runs
  trafilatura's steps (`trafilatura.core.bare_extraction`, `trafilatura_sequence` and
  `determine_returnstring`, in their order) on one copy.
- `load_html`: trafilatura's parse of a page's text first deletes the characters XML forbids
  (`INVALID_XML_CHARS`, a regular expression over the whole page: ~0.8 ms a page); nearly no page
  has one, which two passes in C over the page's ASCII characters and a search for the two
  non-ASCII ones show in a third of that time. Such a page skips the deletion.
- The prunes of `extract`'s fast precise run (comment sections, appended follow-up articles,
  share buttons) test each div, section, list... element's id and class with `re:test`: a call
  into Python's `re` for every such element and attribute (~3.5 ms a page on the raw tree, ~1 ms
  on the converted one). `prune_unwanted` deletes the same elements in the same order: the
  elements whose id or class holds a literal each of those patterns needs, found in one XPath
  over the attribute nodes (in C), then tested as the XPath tests them.
The steps are trafilatura's internals, not its stable API: they are taken only with a trafilatura
version whose results they were checked to equal (tests/test_trafilatura_steps.py); any other
version, and any other settings, get trafilatura's own functions.
"""

from __future__ import annotations

import re
from copy import copy

import trafilatura
from lxml import etree

# trafilatura versions whose results the steps below were checked to equal
CHECKED_VERSIONS = frozenset({"2.3.1"})
# the HTML path's settings of trafilatura.extract (html.story_text runs them fast first, then as
# they are, then without favor_precision)
TRAFILATURA = dict(include_comments=False, include_tables=True, fast=False, favor_precision=True, include_images=False,
                   with_metadata=False, deduplicate=False)
FAST_PRECISE = dict(TRAFILATURA, fast=True)

# trafilatura's INVALID_XML_CHARS: the controls but tab, line feed and carriage return, U+FFFE, U+FFFF
INVALID_ASCII = bytes(c for c in range(0x20) if chr(c) not in "\t\n\r")
INVALID_NON_ASCII = ("\ufffe", "\uffff")


def _steps(version: str = trafilatura.__version__):
    """trafilatura's modules of the steps and the options of a fast precise run, or None (an
    unchecked version)."""
    if version not in CHECKED_VERSIONS:
        return None
    from trafilatura import core, utils
    from trafilatura.settings import Extractor

    options = Extractor(output_format="txt", fast=True, precision=True, comments=False, tables=True, images=False,
                        dedup=False, with_metadata=False)
    return core, utils, options


STEPS = _steps()


def load_html(html: str):
    """`trafilatura.load_html(html)`."""
    if STEPS is None or not valid_xml_characters(html):
        return trafilatura.load_html(html)
    return parsed_valid_page(html, STEPS)


def valid_xml_characters(html: str) -> bool:
    """Whether `html` has none of the characters trafilatura's INVALID_XML_CHARS matches."""
    ascii_part = html.encode("ascii", "ignore")
    return len(ascii_part.translate(None, INVALID_ASCII)) == len(ascii_part) and not any(c in html for c in INVALID_NON_ASCII)


def parsed_valid_page(html: str, steps: tuple):
    """`trafilatura.load_html(html)` of a page without a character INVALID_XML_CHARS matches
    (`steps`: what `_steps` gives): trafilatura.utils.load_html's steps for a text, and its
    repair_faulty_html's but the deletion of those characters."""
    utils = steps[1]
    beginning = html[:50].lower()
    check_flag = utils.is_dubious_html(beginning)
    if "doctype" in beginning:
        firstline, _, rest = html.partition("\n")
        html = utils.DOCTYPE_TAG.sub("", firstline, count=1) + "\n" + rest
    for line in html[:4096].splitlines()[:4]:
        if "<html" in line and line.endswith("/>"):
            html = utils.FAULTY_HTML.sub(r"\1>", html, count=1)
            break
    tree, fallback_parse = None, False
    try:
        tree = utils.fromstring(html, parser=utils.HTML_PARSER)
    except ValueError:  # "Unicode strings with encoding declaration are not supported."
        tree = utils.fromstring_bytes(html)
        fallback_parse = True
    except Exception as err:  # noqa: BLE001 - as trafilatura: no tree
        utils.LOGGER.error("lxml parsing failed: %s", err)
    if (tree is None or len(tree) < 1) and not fallback_parse:
        tree = utils.fromstring_bytes(html)
    if tree is not None and check_flag is True and len(tree) < 2:
        utils.LOGGER.error("parsed tree length: %s, wrong data type or not valid HTML", len(tree))
        tree = None
    return tree


# What trafilatura's (2.3.1) pruning XPaths test, element by element (trafilatura.xpaths):
# RAW_TREE_PRUNE_XPATH[0]: a div, section or aside whose id or class matches SCROLL, unless it
# holds an h1 and neither matches APPENDED; [1]: one of those whose class holds
# "elementor-share-buttons"; REMOVE_COMMENTS_AND_LISTS_XPATH: a div, list, section, details, ol or
# ul whose id matches COMMENTS_ID or class COMMENTS_CLASS, and for an ol or ul, whose id matches
# LIST_COMMENTS_ID or class COMMENTS_CLASS; REMOVE_COMMENTS_XPATH: a div, list, section or details
# whose id matches COMMENTS_ID or class COMMENTS_CLASS. (`re:test` is `re.search`; no attribute: "".)
SCROLL = re.compile("mvp-post-add-(?:box|wrap)|infinite-?scroll")
APPENDED = re.compile("mvp-post-add-(?:box|wrap)")
SHARE_BUTTONS = "elementor-share-buttons"
COMMENTS_ID = re.compile("^(?:[Cc]omment(?!ary)|comol|disqus_thread|dsq-comments)")
LIST_COMMENTS_ID = re.compile("^(?:[Cc]omment(?!ary)|comol)")
COMMENTS_CLASS = re.compile("^[Cc]omment(?!ary)|(?:article|post)-comments")
# the elements below the context element whose id or class holds what one of the patterns needs
_ID_NEEDS = " or ".join([*(f"starts-with(., '{s}')" for s in ("comment", "Comment", "comol", "disqus_thread", "dsq-comments")),
                         *(f"contains(., '{s}')" for s in ("mvp-post-add-", "infinite"))])
_CLASS_NEEDS = " or ".join([*(f"starts-with(., '{s}')" for s in ("comment", "Comment")),
                            *(f"contains(., '{s}')" for s in ("-comments", "mvp-post-add-", "infinite", SHARE_BUTTONS))])
PRUNE_CANDIDATES = etree.XPath(f".//@id[{_ID_NEEDS}]/.. | .//@class[{_CLASS_NEEDS}]/..")
HAS_H1 = etree.XPath("boolean(.//h1)")
BOXES = frozenset({"div", "section", "aside"})
COMMENT_BOXES = frozenset({"div", "list", "section", "details"})
LISTS = frozenset({"ol", "ul"})


def _appended_articles(el) -> bool:
    id_, class_ = el.get("id") or "", el.get("class") or ""
    return (el.tag in BOXES and (SCROLL.search(id_) is not None or SCROLL.search(class_) is not None)
            and (not HAS_H1(el) or APPENDED.search(id_) is not None or APPENDED.search(class_) is not None))


def _share_buttons(el) -> bool:
    return el.tag in BOXES and SHARE_BUTTONS in (el.get("class") or "")


def _comments(el) -> bool:
    return el.tag in COMMENT_BOXES and (COMMENTS_ID.search(el.get("id") or "") is not None
                                        or COMMENTS_CLASS.search(el.get("class") or "") is not None)


def _comments_and_lists(el) -> bool:
    if el.tag in LISTS:
        return LIST_COMMENTS_ID.search(el.get("id") or "") is not None or COMMENTS_CLASS.search(el.get("class") or "") is not None
    return _comments(el)


RAW_PRUNES = (_appended_articles, _share_buttons, _comments_and_lists)  # RAW_TREE_PRUNE_XPATH, REMOVE_COMMENTS_AND_LISTS_XPATH
CONVERTED_PRUNES = (_comments,)  # REMOVE_COMMENTS_XPATH


def prune_unwanted(tree, prunes: tuple, delete) -> None:
    """trafilatura's `prune_unwanted_nodes(tree, [xpath])` for each of the XPaths `prunes` stand for,
    in turn: each finds its elements below `tree`, then deletes them (`delete`: trafilatura's
    delete_element) in page order. (An element inside one an earlier prune deleted is deleted from
    that detached subtree, where the XPath would not have found it: the tree is the same.)"""
    candidates = [el for el in PRUNE_CANDIDATES(tree) if el is not tree]
    for matches in prunes if candidates else ():
        for el in [el for el in candidates if matches(el)]:
            delete(el)


def extract(tree, url: str | None, **settings) -> str | None:
    """`trafilatura.extract(tree, url=url, **settings)`; `tree` is left as it was."""
    if STEPS is None or settings != FAST_PRECISE:
        return trafilatura.extract(tree, url=url, **settings)
    return fast_precise_text(tree, url, STEPS)


def fast_precise_text(tree, url: str | None, steps: tuple) -> str | None:
    """`trafilatura.extract(tree, url=url, **FAST_PRECISE)` through trafilatura's steps (`steps`:
    what `_steps` gives), on one copy of `tree`."""
    core, _, prototype = steps
    options = copy(prototype)  # (an Extractor is built from its config's settings: ~0.1 ms a page)
    options.url, options.source = url, url and url.encode("utf-8", "replace").decode("utf-8")
    tree = copy(tree)  # the one copy: trafilatura cleans and converts it in place
    try:
        is_forum = core._forum_thread_page(tree)
        prune_unwanted(tree, RAW_PRUNES, core.delete_element)  # RAW_TREE_PRUNE_XPATH, REMOVE_COMMENTS_AND_LISTS_XPATH
        cleaned = core.convert_tags(core.tree_cleaning(tree, options), options, url)
        if not is_forum:
            prune_unwanted(cleaned, CONVERTED_PRUNES, core.delete_element)  # REMOVE_COMMENTS_XPATH
        body, text = core.extract_content(cleaned, options)
        if options.max_tree_size and len(body) > options.max_tree_size:
            core.strip_tags(body, "hi")
            if len(body) > options.max_tree_size:
                raise ValueError
        if len(text) < options.min_output_size and options.min_output_comm_size > 0:  # (no comments: their length is 0)
            raise ValueError
    except (TypeError, ValueError):  # as bare_extraction: no text
        core.LOGGER.warning("discarding data: %s", options.source)
        return None
    comments = core.Element("body")
    return core.normalize_unicode(f"{core.xmltotxt(body, options.formatting)}\n{core.xmltotxt(comments, options.formatting)}".strip())
