"""Rejects: a page that does not become a record, and why. Every reason is a `RejectReason`."""

from __future__ import annotations

from enum import Enum


class RejectReason(str, Enum):
    """Every reason a page can be rejected for; the README's "Failure behaviour" explains each."""

    INVALID_JSON = "invalid_json"
    NOT_AN_OBJECT = "not_an_object"
    NO_CONTENT = "no_content"
    INVALID_UNICODE = "invalid_unicode"
    BINARY_CONTENT = "binary_content"
    TOO_LARGE = "too_large"
    BAD_HTML = "bad_html"
    TIMEOUT = "timeout"
    EMPTY_AFTER_CLEANING = "empty_after_cleaning"
    LANGUAGE_MISMATCH = "language_mismatch"
    TOO_SHORT = "too_short"
    TRUNCATED_INPUT = "truncated_input"
    # WARC response records that hold no page (cleaner.warc)
    HTTP_STATUS = "http_status"
    NOT_HTML = "not_html"
    BAD_HTTP = "bad_http"
    INTERNAL_ERROR = "internal_error"  # anything unforeseen: the detail names the exception


REJECT_REASONS = tuple(r.value for r in RejectReason)


class Rejected(Exception):
    """Raised by a cleaning step that cannot make a record of the page."""

    def __init__(self, reason: RejectReason | str, detail: str):
        super().__init__(detail)
        self.reason = RejectReason(reason)


def reject(page, reason: RejectReason | str, detail: str) -> dict:
    """A reject line: the input object (or the raw line) and why it was not kept."""
    base = dict(page) if isinstance(page, dict) else {"raw": page}  # page None: no input to show
    base["reject"] = {"reason": RejectReason(reason).value, "detail": detail}
    return base
