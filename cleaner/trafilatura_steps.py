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
The steps are trafilatura's internals, not its stable API: they are taken only with a trafilatura
version whose results they were checked to equal (tests/test_trafilatura_steps.py); any other
version, and any other settings, get trafilatura's own functions.
"""

from __future__ import annotations

from copy import copy

import trafilatura

# trafilatura versions whose results the steps below were checked to equal
CHECKED_VERSIONS = frozenset({"2.3.1"})
FAST_PRECISE = dict(include_comments=False, include_tables=True, fast=True, favor_precision=True, include_images=False,
                    with_metadata=False, deduplicate=False)

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
        tree = core.prune_unwanted_nodes(tree, core.RAW_TREE_PRUNE_XPATH)
        tree = core.prune_unwanted_nodes(tree, core.REMOVE_COMMENTS_AND_LISTS_XPATH)
        cleaned = core.convert_tags(core.tree_cleaning(tree, options), options, url)
        if not is_forum:
            cleaned = core.prune_unwanted_nodes(cleaned, core.REMOVE_COMMENTS_XPATH)
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
