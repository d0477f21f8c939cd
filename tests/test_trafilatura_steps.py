"""trafilatura's fast precise run through its steps on one tree copy: the same text as
`trafilatura.extract`, on every HTML page of fixtures/ and on pages that take its other branches,
with the caller's tree left as it was."""

import gzip

import pytest
import trafilatura
from lxml import etree

from cleaner import trafilatura_steps
from cleaner.html import TRAFILATURA, decode_html, parse
from cleaner.trafilatura_steps import FAST_PRECISE, STEPS, _steps, extract, fast_precise_text
from conftest import FIXTURES

FIXTURE_PAGES = sorted({p.name: p for p in FIXTURES.rglob("*.html*")}.values())
# a definition list classed as comments is a list only after trafilatura converts the tags: kept
# on a forum's page (its posts), pruned elsewhere
THREAD = """<body>
<div class="comments"><p>A post in the thread, long enough to be text of its own, and more words after it.</p></div>
<article><p>The thread's first post, which opens the discussion with a question of some length here.</p>
<dl class="comment-list"><dt>A reply</dt><dd>A reply in the thread with enough words to be kept as the text of a post.</dd></dl>
</article></body></html>"""
FORUM = '<html><head><script type="application/ld+json">{"@type": "DiscussionForumPosting"}</script></head>' + THREAD
PAGES = {
    **{p.name: decode_html(gzip.decompress(p.read_bytes()) if p.suffix == ".gz" else p.read_bytes()) for p in FIXTURE_PAGES},
    "forum": FORUM,
    "comments": "<html><head></head>" + THREAD,
    "no text": "<html><head><title>t</title></head><body><div><span></span></div><nav>Menu</nav></body></html>",
    "a short line": "<html><body><p>Hi.</p><div>x</div></body></html>",
    "a list and a table": "<html><body><h1>Head</h1><ul><li>One item of the list</li><li>Two</li></ul>"
                          "<table><tr><td>a</td><td>b</td></tr></table><p>A closing paragraph of the page.</p></body></html>",
}


def test_the_fixture_pages_are_found():
    assert len(FIXTURE_PAGES) >= 16


def test_the_installed_trafilatura_takes_the_steps():
    # a failure here means trafilatura changed version: check the stages against it, then add it
    assert STEPS is not None and trafilatura.__version__ in trafilatura_steps.CHECKED_VERSIONS
    assert FAST_PRECISE == dict(TRAFILATURA, fast=True)


@pytest.mark.parametrize("name", sorted(PAGES))
@pytest.mark.parametrize("url", [None, "https://example.org/news/2021/a-story"])
def test_the_steps_give_trafilaturas_text_and_leave_the_tree(name, url):
    tree = parse(PAGES[name])
    before = etree.tostring(tree)
    expected = trafilatura.extract(tree, url=url, **FAST_PRECISE)
    steps = STEPS or _steps(next(iter(trafilatura_steps.CHECKED_VERSIONS)))
    assert fast_precise_text(tree, url, steps) == expected
    assert etree.tostring(tree) == before


def test_other_settings_and_unchecked_versions_run_trafilatura_itself():
    tree = parse(PAGES["forum"])
    for settings in (TRAFILATURA, dict(TRAFILATURA, favor_precision=False)):
        assert extract(tree, None, **settings) == trafilatura.extract(tree, **settings)
    assert _steps("0.0.1") is None
