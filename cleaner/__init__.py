"""corpus-cleaner: crawled news pages in, clean article text out.

    from cleaner import Cleaner, Options, clean_record, clean_files

    record, reject = clean_record({"text": page_text, "url": url})
    summary = clean_files(["pages.jsonl"], output="articles.jsonl", rejects="rejects.jsonl")
"""

__version__ = "0.1.0"

__all__ = ["Cleaner", "Options", "clean_record", "clean_records", "clean_files", "__version__"]

# Imported on first use (PEP 562): `import cleaner` itself stays light, so the program
# (`cleaner.__main__.run`) can set up before the engine's modules load.
_HOME = {"Cleaner": "pipeline", "Options": "pipeline", "clean_record": "pipeline", "clean_records": "pipeline",
         "clean_files": "run"}


def __getattr__(name: str):
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = globals()[name] = getattr(import_module(f"{__name__}.{_HOME[name]}"), name)
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
