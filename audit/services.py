"""Writing the audit trail: one function, used by every service and view that touches a person.

Every entry is stored and logged to stdout as structured JSON. Values of masked fields (BSN,
health) never reach the trail or the log: only the fact that they changed.
"""

import contextlib
import contextvars
import logging

from .models import AuditEntry

logger = logging.getLogger("audit")

# How many entries were written in the current request (see `counting`): the case-read
# middleware writes a page's entry only when the view itself wrote none.
_written: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar(
    "audit_written", default=None
)


@contextlib.contextmanager
def counting():
    """Count the entries written inside the block: `with counting() as written: ...; written[0]`."""
    written = [0]
    token = _written.set(written)
    try:
        yield written
    finally:
        _written.reset(token)


def _count(number: int) -> None:
    written = _written.get()
    if written is not None:
        written[0] += number


MASK = "[afgeschermd]"


def masked_fields_of(obj) -> set[str]:
    """The fields whose values never reach the trail: a model declares them once, next to the
    fields, in `AUDIT_MASKED_FIELDS` (the BSN, special-category data in the sense of AVG art. 9,
    and the free text that in practice holds health and circumstances). Free-text fields that were
    reviewed and hold no such data are declared in `AUDIT_PLAIN_FIELDS`; a test fails on a
    free-text field of a person's record that is in neither."""
    return set(getattr(obj, "AUDIT_MASKED_FIELDS", ()))


def diff(obj, old_values: dict, new_values: dict) -> dict:
    """The changed fields as {field: [old, new]}, with masked fields' values hidden."""
    masked = masked_fields_of(obj)
    changes = {}
    for field, new in new_values.items():
        old = old_values.get(field)
        if old != new:
            changes[field] = [MASK, MASK] if field in masked else [_plain(old), _plain(new)]
    return changes


def _plain(value):
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def fit_reason(reason) -> str:
    """The reason as the trail's column holds it: a longer one (free text a user wrote, which the
    form bounds first) is cut with an ellipsis instead of failing the whole write."""
    text = str(reason or "")
    limit = AuditEntry._meta.get_field("reason").max_length
    return text if len(text) <= limit else text[: limit - 1] + "…"


def record(actor, action, obj, *, fields=(), changes=None, reason="") -> AuditEntry:
    reason = fit_reason(reason)
    entry = AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_username=getattr(actor, "username", "") or "",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=audit_repr(obj),
        fields=list(fields),
        changes=changes or {},
        reason=reason,
    )
    log_entry(entry)
    _count(1)
    return entry


def record_many(entries: list[AuditEntry], *, batch_size: int = 500) -> list[AuditEntry]:
    """Store many prepared entries in bulk (an import); they are logged once the transaction
    commits, so a rolled-back import logs nothing."""
    from django.db import transaction

    for entry in entries:
        entry.reason = fit_reason(entry.reason)
    created = AuditEntry.objects.bulk_create(entries, batch_size=batch_size)
    _count(len(created))
    transaction.on_commit(lambda: [log_entry(entry) for entry in created])
    return created


def log_entry(entry: AuditEntry) -> None:
    """The structured JSON line on stdout for one entry: names and ids only, never values."""
    logger.info(
        "audit",
        extra={
            "audit_id": entry.pk,
            "actor": entry.actor_username,
            "action": entry.action,
            "object_type": entry.object_type,
            "object_id": entry.object_id,
            "fields": entry.fields,
            "changed_fields": sorted(entry.changes),
            "reason": entry.reason,
        },
    )


def audit_repr(obj) -> str:
    """A label without personal identifiers: models may define `audit_label`."""
    label = getattr(obj, "audit_label", None)
    return str(label if label is not None else obj)[:200]
