"""trafilatura's fast precise `extract` through trafilatura's own steps, less the work that
cannot change its result.

`trafilatura.extract(tree, fast=True, favor_precision=True, include_comments=False)` copies the
tree it is given (the caller's tree stays as it was), copies that copy again before cleaning it,
and keeps a third copy (the cleaned tree before its tags are converted) for the comparison with
readability and jusText. In a fast precise run without comments nothing reads the second or the
third: the comparison is off in fast mode, and the baseline rescue and the recall escalation,
which read the pruned tree, are off in precision mode. `extract` runs that case through
trafilatura's steps (`trafilatura.core.bare_extraction`, `trafilatura_sequence` and
`determine_returnstring`, in their order) on one copy.
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


def _steps(version: str = trafilatura.__version__):
    """trafilatura's module of the steps and the options of a fast precise run, or None (an
    unchecked version)."""
    if version not in CHECKED_VERSIONS:
        return None
    from trafilatura import core
    from trafilatura.settings import Extractor

    options = Extractor(output_format="txt", fast=True, precision=True, comments=False, tables=True, images=False,
                        dedup=False, with_metadata=False)
    return core, options


STEPS = _steps()


def extract(tree, url: str | None, **settings) -> str | None:
    """`trafilatura.extract(tree, url=url, **settings)`; `tree` is left as it was."""
    if STEPS is None or settings != FAST_PRECISE:
        return trafilatura.extract(tree, url=url, **settings)
    return fast_precise_text(tree, url, STEPS)


def fast_precise_text(tree, url: str | None, steps: tuple) -> str | None:
    """`trafilatura.extract(tree, url=url, **FAST_PRECISE)` through trafilatura's steps (`steps`:
    what `_steps` gives), on one copy of `tree`."""
    core, prototype = steps
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
