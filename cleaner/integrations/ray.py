"""Ray Data adapter: clean JSONL pages as a Ray Dataset.

    import ray
    from cleaner.integrations.ray import read_jsonl_lines, clean, write_jsonl

    ds = clean(read_jsonl_lines(["crawl/part-0.jsonl.gz", "crawl/part-1.jsonl.gz"]), languages=["id"])
    write_jsonl(ds, "articles.jsonl", "rejects.jsonl")

Pages are read as text lines and parsed by corpus-cleaner, not by Ray's JSON reader, which
fails on crawls whose fields change type from record to record. Each output row has `kept`
(a record, or a reject), `reason` (the reject reason or empty) and `json` (the output line,
exactly as the CLI writes it). Workers load the packs and the language model once each.
"""

from __future__ import annotations

from typing import Iterable

import ray

from ..io import InputUnit
from ..parallel import clean_line
from ..pipeline import cached_cleaner, frozen_options


def read_jsonl_lines(paths: str | Iterable[str], **read_text_args) -> "ray.data.Dataset":
    """One row per input line ({"text": line}), .gz included, blank lines dropped."""
    return ray.data.read_text(paths, drop_empty_lines=True, **read_text_args)


def clean(ds: "ray.data.Dataset", column: str = "text", batch_size: int = 256, **options) -> "ray.data.Dataset":
    """Clean each line of `column`; options are those of `cleaner.pipeline.Options`."""
    frozen = frozen_options(options)

    def clean_batch(batch: dict) -> dict:
        cleaner = cached_cleaner(frozen)  # one per worker process
        done = [clean_line(cleaner, InputUnit("ray batch", i, raw=raw)) for i, raw in enumerate(batch[column], 1)]
        return {
            "kept": [d.kept for d in done],
            "reason": ["" if d.kept else d.tally.reason for d in done],
            "json": [d.json_line for d in done],
        }

    return ds.map_batches(clean_batch, batch_size=batch_size, batch_format="numpy")


def write_jsonl(ds: "ray.data.Dataset", records: str, rejects: str | None = None) -> tuple[int, int]:
    """Stream the cleaned rows into local JSONL files (records, and rejects when given), in the
    dataset's order. Returns (written, rejected)."""
    written = rejected = 0
    with open(records, "w", encoding="utf-8") as out, (open(rejects, "w", encoding="utf-8") if rejects else _Null()) as bad:
        for row in ds.iter_rows():
            if row["kept"]:
                out.write(row["json"])
                written += 1
            else:
                bad.write(row["json"])
                rejected += 1
    return written, rejected


class _Null:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def write(self, text: str) -> None:
        pass
