"""trafilatura's steps (cleaner/trafilatura_steps.py): the fast precise run on one tree copy gives
`trafilatura.extract`'s text, and a page without invalid characters `trafilatura.load_html`'s tree,
on every HTML page of fixtures/ and on pages that take their other branches."""

import gzip
from copy import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
import trafilatura
from lxml import etree
from trafilatura.utils import INVALID_XML_CHARS

from cleaner import trafilatura_steps
from cleaner.html import TRAFILATURA, decode_html, parse
from cleaner.trafilatura_steps import (CONVERTED_PRUNES, FAST_PRECISE, RAW_PRUNES, STEPS, _steps, extract, fast_precise_text,
                                       load_html, parsed_valid_page, prune_unwanted, valid_xml_characters)
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


# pages that take load_html's other branches: a doctype with a slash, a self-closing <html/>, an
# XML declaration (lxml refuses it in a text: parsed from bytes), a text that is not HTML, a fragment
ODD_PAGES = {
    "doctype": '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
               "<html><body><p>A paragraph.</p></body></html>",
    "self-closing html": '<html lang="de"/>\n<head><title>T</title></head><body><p>Text</p></body>',
    "xml declaration": '<?xml version="1.0" encoding="utf-8"?>\n<html><body><p>Grüße</p></body></html>',
    "not html": "just a line of text, no markup",
    "a fragment": "<p>x</p>",
    "two blocks": "<div>a</div><div>b</div>",
}


@pytest.mark.parametrize("name", sorted({**PAGES, **ODD_PAGES}))
def test_a_page_without_invalid_characters_parses_as_trafilatura_parses_it(name):
    html = {**PAGES, **ODD_PAGES}[name]
    assert valid_xml_characters(html)
    expected = trafilatura.load_html(html)
    tree = parsed_valid_page(html, STEPS or _steps(next(iter(trafilatura_steps.CHECKED_VERSIONS))))
    if expected is None:
        assert tree is None
    else:
        assert etree.tostring(tree.getroottree()) == etree.tostring(expected.getroottree())


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("a<>\t\n\r é“\x00\x01\x08\x0b\x0c\x0e\x1f\x7f\x85\ufffd\ufffe\uffff\U0001f600")))
def test_valid_xml_characters_are_those_trafilatura_keeps(text):
    assert valid_xml_characters(text) == (INVALID_XML_CHARS.search(text) is None)


def test_a_page_with_an_invalid_character_is_parsed_by_trafilatura():
    html = "<html><body><p>A\x0cB</p></body></html>"
    assert not valid_xml_characters(html)
    assert etree.tostring(load_html(html)) == etree.tostring(trafilatura.load_html(html)) == b"<html><body><p>AB</p></body></html>"


# ids and classes around what trafilatura's pruning patterns look for
TOKENS = ["comment", "Comment", "commentary", "Commentary", "comments-list", "xcomment", "comol", "disqus_thread",
          "dsq-comments", "post-comments", "article-comments", "my-comments", "infinite-scroll", "infinitescroll",
          "infinite", "mvp-post-add-box", "mvp-post-add-wrap", "mvp-post-add-", "elementor-share-buttons", "main"]
TAGS = ["div", "section", "aside", "ol", "ul", "list", "details", "p", "h1", "span"]


def _attribute(draw, name):
    tokens = draw(st.lists(st.sampled_from(TOKENS), max_size=2))
    return f' {name}="{draw(st.sampled_from([" ", "-", ""])).join(tokens)}"' if tokens or draw(st.booleans()) else ""


@st.composite
def markup(draw, depth=0):
    tag = draw(st.sampled_from(TAGS))
    children = draw(st.lists(markup(depth + 1), max_size=2)) if depth < 3 else []
    return f"<{tag}{_attribute(draw, 'id')}{_attribute(draw, 'class')}>t{''.join(children)}</{tag}>{draw(st.sampled_from(['', 'tail']))}"


@settings(max_examples=120, deadline=None)
@given(st.lists(markup(), min_size=1, max_size=3))
def test_the_prunes_delete_what_trafilaturas_xpaths_delete(blocks):
    from trafilatura import core

    tree = parse(f"<html><body>{''.join(blocks)}</body></html>")
    theirs, ours = copy(tree), copy(tree)
    core.prune_unwanted_nodes(theirs, core.RAW_TREE_PRUNE_XPATH)
    core.prune_unwanted_nodes(theirs, core.REMOVE_COMMENTS_AND_LISTS_XPATH)
    prune_unwanted(ours, RAW_PRUNES, core.delete_element)
    assert etree.tostring(ours) == etree.tostring(theirs)
    theirs, ours = copy(tree), copy(tree)
    core.prune_unwanted_nodes(theirs, core.REMOVE_COMMENTS_XPATH)
    prune_unwanted(ours, CONVERTED_PRUNES, core.delete_element)
    assert etree.tostring(ours) == etree.tostring(theirs)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_prunes_delete_what_trafilaturas_xpaths_delete_on_real_pages(name):
    from trafilatura import core

    tree = parse(PAGES[name])
    theirs, ours = copy(tree), copy(tree)
    core.prune_unwanted_nodes(theirs, core.RAW_TREE_PRUNE_XPATH + core.REMOVE_COMMENTS_AND_LISTS_XPATH + core.REMOVE_COMMENTS_XPATH)
    prune_unwanted(ours, RAW_PRUNES + CONVERTED_PRUNES, core.delete_element)
    assert etree.tostring(ours) == etree.tostring(theirs)
