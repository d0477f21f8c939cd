"""The whole job as one call: read inputs, clean each page, write records and rejects, count.

`clean_files` is what the `corpus-cleaner` command runs; it takes the same options.
"""

from __future__ import annotations

import json
import sys
from typing import Iterable

from .io import dumps, open_output, read_lines
from .pipeline import Cleaner, Options
from .stats import Summary


def clean_files(
    inputs: Iterable[str] = ("-",),
    output: str | None = None,
    rejects: str | None = None,
    stats: str | None = None,
    progress: bool = False,
    **options,
) -> Summary:
    """Clean every page of `inputs` (JSONL, .gz, page files; '-' = stdin) into `output` (None = stdout).

    Rejects go to `rejects` when given (else they are only counted). Returns the run's Summary;
    with `stats`, also writes it there as JSON. Options are those of `cleaner.pipeline.Options`.
    """
    cleaner = Cleaner(Options(**options))
    summary = Summary()
    out = open_output(output)
    bad = open_output(rejects) if rejects else None
    bar = _progress_bar(progress)
    try:
        for line in read_lines(inputs):
            if line.bad is not None:
                record, rejected = None, line.bad
            else:
                record, rejected = cleaner.clean(line.page)
            summary.add(record, rejected)
            if record is not None:
                out.write(dumps(record))
            elif bad is not None:
                bad.write(dumps(rejected))
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
        out.flush()
        if output not in (None, "-"):
            out.close()
        if bad is not None:
            bad.close()
    if stats:
        with open(stats, "w", encoding="utf-8") as fh:
            json.dump(summary.to_dict(), fh, ensure_ascii=False, indent=2)
            fh.write("\n")
    return summary


def _progress_bar(enabled: bool):
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(unit=" pages", file=sys.stderr, mininterval=0.5, smoothing=0.1)
