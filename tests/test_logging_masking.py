"""The masking filter's prescan (common/logging.py): a record that cannot hold a BSN or a feed
token is passed on without rewriting, and every record logs exactly what the full rewrite of
every field logged."""

import logging

import pytest
from pythonjsonlogger.json import JsonFormatter

from common.logging import BSN_PATTERN, FEED_TOKEN_PATTERN, TOKEN_MASK, MaskingFilter, mask

AUDIT_EXTRA = {
    "audit_id": 1497,
    "actor": "klantmanager.hoorn",
    "action": "view",
    "object_type": "cases.inburgeraar",
    "object_id": "71",
    "fields": ["naam", "bsn (gemaskeerd)", "status"],
    "changed_fields": [],
    "reason": "dossier: lijst",
}


def record(msg="audit", args=None, **extra):
    return logging.getLogger("tests.masking").makeRecord(
        "tests.masking", logging.INFO, __file__, 1, msg, args, None, extra=extra
    )


def full_rewrite(record):
    """The filter as it was before the prescan: every string field rewritten."""

    def mask_all(text):
        return BSN_PATTERN.sub("*********", FEED_TOKEN_PATTERN.sub(rf"\1{TOKEN_MASK}\2", text))

    def value(v):
        if isinstance(v, str):
            return mask_all(v)
        if isinstance(v, tuple):
            return tuple(value(x) for x in v)
        if isinstance(v, list):
            return [value(x) for x in v]
        if isinstance(v, dict):
            return {k: value(x) for k, x in v.items()}
        return v

    record.msg = mask_all(record.getMessage())
    record.args = None
    for name, v in list(vars(record).items()):
        skipped = {"msg", "args", "exc_info", "exc_text", "stack_info", "request"}
        if name not in skipped and isinstance(v, str | tuple | list | dict):
            setattr(record, name, value(v))
    return True


def test_an_audit_record_is_passed_on_without_copying_its_fields():
    """An audit line per listed row: nothing in it can hold a BSN, so nothing is rebuilt."""
    fields = ["naam", "bsn (gemaskeerd)", "status"]
    rec = record(**{**AUDIT_EXTRA, "fields": fields})
    assert MaskingFilter().filter(rec)
    assert rec.fields is fields
    assert rec.msg == "audit" and rec.args is None


CASES = [
    {"msg": "audit", "extra": AUDIT_EXTRA},
    {"msg": "Not Found: %s", "args": ("/inburgeraars/?q=123456782",)},
    {"msg": "zoek %s", "args": ({"q": "123456782"},)},
    {"msg": "ok", "extra": {"query": "bsn=123456782"}},
    {"msg": "ok", "extra": {"nested": {"a": ["x", ("y", "tel 123456782")]}}},
    {"msg": "ok", "extra": {"url": "/agenda/tok123.ics"}},
    # A number (not a string) in an extra field was never rewritten: it still is not.
    {"msg": "ok", "extra": {"n": 123456782}, "unmasked": True},
    {"msg": "ok", "extra": {**AUDIT_EXTRA, "reason": "op verzoek, bsn 123456782"}},
    {"msg": "V-nummer %s en %s", "args": ("1234567890", "12345678")},
    {"msg": "feed /agenda/abc-DEF_1.ics?x=1", "extra": {"path": "/agenda/"}},
    {"msg": "geen %d", "args": (123456782,)},
]


@pytest.mark.parametrize("case", CASES)
def test_the_log_line_is_what_the_full_rewrite_logged(case):
    formatter = JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    ours = record(case["msg"], case.get("args"), **case.get("extra", {}))
    theirs = record(case["msg"], case.get("args"), **case.get("extra", {}))
    theirs.created, theirs.msecs = ours.created, ours.msecs
    assert MaskingFilter().filter(ours)
    full_rewrite(theirs)
    line = formatter.format(ours)
    assert line == formatter.format(theirs)
    assert "tok123" not in line
    assert ("123456782" in line) is case.get("unmasked", False)


def test_mask_leaves_text_without_a_bsn_or_token_as_it_is():
    text = "GET /inburgeraars/?page=2 HTTP/1.1"
    assert mask(text) is text
    assert mask("bsn 123456782") == "bsn *********"
