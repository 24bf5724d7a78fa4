"""Masking in logs: a BSN (any 9-digit number standing alone) and the secret token of a calendar
feed address never reach a log line, whatever logger or handler writes it.

`MaskingFilter` is attached to every handler in settings.LOGGING; it rewrites the message and
its arguments (and a request's path in `django.request`/`django.server` records).
`GunicornLogger` does the same for gunicorn's access log (docker/entrypoint-web.sh).
"""

import logging
import re

BSN_PATTERN = re.compile(r"(?<![0-9])[0-9]{9}(?![0-9])")
# The calendar feed address: /agenda/<token>.ics (deadlines/urls.py).
FEED_TOKEN_PATTERN = re.compile(r"(/agenda/)[^/?#\s\"']+(\.ics)")
BSN_MASK = "*********"
TOKEN_MASK = "[token]"
# What either pattern matches holds a run of nine digits or the feed's "/agenda/": a string
# with neither is left as it is by `mask`, so one search tells that it needs no rewriting.
MAY_HOLD_PATTERN = re.compile(r"[0-9]{9}|/agenda/")
# A record's attributes that are not masked: the message and its arguments (masked once
# rendered), the exception (masked as text) and django.request's HttpRequest.
_NOT_MASKED = frozenset({"msg", "args", "exc_info", "exc_text", "stack_info", "request"})


def mask(text: str) -> str:
    if MAY_HOLD_PATTERN.search(text) is None:
        return text  # most text (the access log's atoms, audit fields): nothing to rewrite
    text = FEED_TOKEN_PATTERN.sub(rf"\1{TOKEN_MASK}\2", text)
    return BSN_PATTERN.sub(BSN_MASK, text)


def _mask_value(value):
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, tuple):
        return tuple(_mask_value(v) for v in value)
    if isinstance(value, list):
        return [_mask_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _mask_value(v) for k, v in value.items()}
    return value


def _may_hold(value) -> bool:
    """Whether `_mask_value` could change `value` (the same types, the same walk)."""
    if isinstance(value, str):
        return MAY_HOLD_PATTERN.search(value) is not None
    if isinstance(value, tuple | list):
        return any(_may_hold(v) for v in value)
    if isinstance(value, dict):
        return any(_may_hold(v) for v in value.values())
    return False


def _record_may_hold(record: logging.LogRecord) -> bool:
    """Whether any field the filter rewrites could change (a plain loop: it runs per record)."""
    search = MAY_HOLD_PATTERN.search
    for name, value in vars(record).items():
        if name in _NOT_MASKED:
            continue
        if isinstance(value, str):
            if search(value) is not None:
                return True
        elif isinstance(value, tuple | list | dict) and _may_hold(value):
            return True
    return False


class MaskingFilter(logging.Filter):
    """Masks BSNs and feed tokens in the record's message, arguments and extra string fields.

    Every audit entry is a record (a list page writes one per row), so the common case is
    cheap: a prescan looks for a string field that can hold a BSN or a token at all (nine
    digits in a row, or "/agenda/"); only a record with one has its fields rewritten, one
    with none is passed on with its message rendered and nothing copied."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Render the message first: a BSN may only appear once the arguments are filled in.
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True  # a broken record is logged as it is
        record.msg = mask(message)
        record.args = None
        if _record_may_hold(record):
            for name, value in list(vars(record).items()):
                if name not in _NOT_MASKED and isinstance(value, str | tuple | list | dict):
                    setattr(record, name, _mask_value(value))
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
            record.exc_info = None
        return True


try:
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # pragma: no cover - gunicorn is in requirements.txt
    _GunicornLogger = object


class GunicornLogger(_GunicornLogger):
    """gunicorn's logger with the access log's fields (request line, path, query, referer)
    masked: `--logger-class common.logging.GunicornLogger`."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: mask(value) if isinstance(value, str) else value for key, value in atoms.items()
        }
