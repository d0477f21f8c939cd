"""Cleaning a batch (`Cleaner.clean_many`, what the CLI does per chunk) gives each page exactly
what cleaning it alone gives, in order, rejects included."""

from cleaner.pipeline import Cleaner, Options, clean_records
from conftest import FIXTURES, read_jsonl


def test_a_batch_is_cleaned_as_its_pages_one_by_one():
    pages = read_jsonl(FIXTURES / "seeds.jsonl") + read_jsonl(FIXTURES / "indonews_sample.jsonl")
    pages[3:3] = [["not", "a", "page"], {"id": "empty", "text": ""}, {"id": "short", "text": "Terlalu pendek."}]
    cleaner = Cleaner(Options())
    alone = [cleaner.clean(page) for page in pages]
    assert cleaner.clean_many(pages) == alone
    assert clean_records(pages) == alone
    assert [r["reject"]["reason"] for _, r in alone[3:6]] == ["not_an_object", "no_content", "too_short"]
    assert sum(1 for record, _ in alone if record) > 40
