"""corpus-cleaner: crawled news pages in, clean article text out.

    from cleaner import Cleaner, Options, clean_record, clean_files

    record, reject = clean_record({"text": page_text, "url": url})
    summary = clean_files(["pages.jsonl"], output="articles.jsonl", rejects="rejects.jsonl")
"""

__version__ = "0.1.0"

from .pipeline import Cleaner, Options, clean_record, clean_records  # noqa: E402
from .run import clean_files  # noqa: E402

__all__ = ["Cleaner", "Options", "clean_record", "clean_records", "clean_files", "__version__"]
