"""`corpus-cleaner explain`: every line of every page, kept or removed, and by which rule."""

from __future__ import annotations

import json
from typing import Callable, Iterable, Iterator

from .io import escape_c1, read_lines
from .pipeline import Cleaner, Options
from .textnorm import without_controls

Style = Callable[..., str]  # (text, fg=..., bold=..., dim=...) -> text, coloured or not


def plain(text: str, **_) -> str:
    return text


def explain_page(cleaner: Cleaner, page) -> dict:
    """The page's outcome and its lines in order, each with the category and rule that removed it."""
    trace: list = []
    record, rejected = cleaner.clean(page, trace)
    return {
        "id": (record or rejected or {}).get("id"),
        "outcome": "record" if record else "reject",
        "method": record["cleaner"]["method"] if record else None,
        "reason": None if record else rejected["reject"]["reason"],
        "detail": None if record else rejected["reject"]["detail"],
        "fields": {k: record[k] for k in ("title", "author", "editor", "date", "lang")} if record else None,
        "lines": [{"text": line, "removed": category, "rule": rule} for line, category, rule in trace],
    }


def render_text(explained: dict, where: str, style: Style = plain) -> str:
    # what a page holds never reaches the terminal raw: an id or a detail could carry escape sequences
    head = f"== {without_controls(where)}: {without_controls(str(explained['id']))} -> "
    if explained["outcome"] == "record":
        head += f"record ({explained['method']})"
    else:
        head += f"reject: {explained['reason']} ({without_controls(str(explained['detail']))})"
    out = [style(head, bold=True)]
    if explained["fields"]:
        out += [style(f"   {k}: {without_controls(str(v))}", fg="cyan") for k, v in explained["fields"].items() if v]
    for line in explained["lines"]:
        if line["removed"] is None:
            out.append(f"   {line['text']}")
        else:
            mark = f"-  [{line['removed']}] "
            out.append(style(mark, fg="yellow") + style(line["text"], fg="red", dim=True) + style(f"   <- {line['rule']}", fg="blue"))
    return "\n".join(out)


def explain_files(inputs: Iterable[str], options: Options, fmt: str, style: Style = plain) -> Iterator[str]:
    """One text block (fmt "text") or JSON line (fmt "json") per input page."""
    cleaner = Cleaner(options)
    for line in read_lines(inputs, options.max_line_bytes):
        page, bad = line.parsed()
        explained = explain_page(cleaner, page) if bad is None else {
            "id": None, "outcome": "reject", "method": None, "reason": bad["reject"]["reason"],
            "detail": bad["reject"]["detail"], "fields": None, "lines": []}
        if fmt == "json":
            yield escape_c1(json.dumps({"source": line.source, "line": line.number, **explained}, ensure_ascii=False))
        else:
            yield render_text(explained, f"{line.source}:{line.number}", style) + "\n"
