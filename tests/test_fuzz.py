"""Property tests: whatever a page holds, cleaning returns one record or one reject, quickly,
and the record is valid UTF-8 JSON. Bounded here; `bench/fuzz.py` runs the long version."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import Cleaner, Options
from cleaner.pipeline import REJECT_REASONS
from conftest import FIXTURES, read_jsonl

CLEANER = Cleaner(Options(timeout=5.0))
SEED_LINES = [line for p in read_jsonl(FIXTURES / "seeds.jsonl") for line in p["text"].splitlines()]
TAGS = ["p", "div", "article", "span", "h1", "h2", "li", "ul", "script", "style", "a", "br", "table", "td", "figure"]

lines = st.one_of(st.sampled_from(SEED_LINES), st.text(max_size=200))
texts = st.lists(lines, max_size=40).map("\n".join)


@st.composite
def html_pages(draw):
    parts = []
    for _ in range(draw(st.integers(0, 30))):
        tag = draw(st.sampled_from(TAGS))
        inner = draw(st.one_of(st.sampled_from(SEED_LINES), st.text(max_size=80)))
        parts.append(f"<{tag}>{inner}" + (f"</{tag}>" if draw(st.booleans()) else ""))
    return "<html><head><title>t</title></head><body>" + "".join(parts) + draw(st.text(max_size=50))


values = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30))
pages = st.one_of(
    st.fixed_dictionaries({"id": st.text(max_size=10), "text": texts}),
    st.fixed_dictionaries({"html": html_pages(), "url": st.one_of(st.none(), st.text(max_size=40))}),
    st.dictionaries(st.sampled_from(["id", "url", "text", "html", "title", "x"]), values, max_size=5),
    st.lists(values, max_size=3),
    values,
)


def check(page):
    record, reject = CLEANER.clean(page)
    assert (record is None) != (reject is None)
    if record is not None:
        line = json.dumps(record, ensure_ascii=False)
        line.encode("utf-8")
        assert record["text"] and "\n\n" not in record["text"]
        assert set(record["cleaner"]) == {"method", "removed", "moved"}
    else:
        assert reject["reject"]["reason"] in REJECT_REASONS
        json.dumps(reject, ensure_ascii=False)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages)
def test_any_page_gives_one_record_or_one_reject(page):
    check(page)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.integers(0, 3))
def test_mutated_seed_text(text, site):
    check({"id": "m", "text": text, "url": [None, "https://www.tempo.co/a", "https://medcom.id/b", "x"][site]})
