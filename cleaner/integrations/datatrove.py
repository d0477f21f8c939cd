"""A datatrove pipeline step that cleans `Document`s with corpus-cleaner.

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from cleaner.integrations.datatrove import CorpusCleaner

    LocalPipelineExecutor(pipeline=[
        JsonlReader("crawl/"),
        CorpusCleaner(exclusion_writer=JsonlWriter("rejects/")),
        JsonlWriter("clean/"),
    ], tasks=4).run()

The step is a datatrove filter: a page that corpus-cleaner rejects is dropped, counted by its
reason (`dropped_<reason>`) and, with an `exclusion_writer`, written there with
`metadata["filter_reason"]` and `metadata["reject_detail"]`. A kept document gets the clean
text as `text` and our fields in `metadata` (`title`, `author`, `editor`, `date`, `site`,
`lang`, `lang_score`, `cleaner`). With `html=True` the document's text is taken as raw HTML.
The step holds only its options; the packs and the language model load once per process on
first use, so it runs unchanged under the Slurm and Ray executors.
"""

from __future__ import annotations

from datatrove.data import Document
from datatrove.pipeline.filters.base_filter import BaseFilter

from ..pipeline import clean_record

FIELDS = ("title", "author", "editor", "date", "site", "lang", "lang_score", "cleaner")


class CorpusCleaner(BaseFilter):
    name = "🧽 corpus-cleaner"

    def __init__(self, exclusion_writer=None, html: bool = False, **options):
        super().__init__(exclusion_writer)
        self.html = html
        self.options = options  # cleaner.pipeline.Options fields: languages, min_chars, site, ...

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        meta = doc.metadata
        page = {"id": doc.id, "html" if self.html else "text": doc.text}
        for key in ("url", "title"):
            if isinstance(meta.get(key), str):
                page[key] = meta[key]
        record, rejected = clean_record(page, **self.options)
        if record is None:
            meta["reject_detail"] = rejected["reject"]["detail"]
            return False, rejected["reject"]["reason"]
        doc.text = record["text"]
        if record["url"]:
            meta["url"] = record["url"]
        meta.update({key: record[key] for key in FIELDS})
        return True
