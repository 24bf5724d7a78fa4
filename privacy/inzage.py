"""Everything held about one person, for an inzage request (AVG art. 15): as data, JSON and PDF.

The records are found the way the one door finds them: every model with a `CASE_PATH` to the
case (so a new app's records join the export without a change here), plus the case itself. The
audit trail adds who read the file and when, and which fields were changed by whom (names of
fields only: the trail holds no values of special-category fields).
"""

import json
from datetime import date, datetime
from decimal import Decimal

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils import timezone

from audit.models import AuditEntry
from cases.models import Inburgeraar

READ_ACTIONS = (AuditEntry.Action.VIEW, AuditEntry.Action.DOWNLOAD, AuditEntry.Action.EXPORT)
# Bookkeeping that says nothing about the person.
SKIPPED_FIELDS = {"version", "search_name"}


def record_models():
    return [model for model in apps.get_models() if getattr(model, "CASE_PATH", None)]


def _value(obj, field, case):
    if field.choices:
        return str(getattr(obj, f"get_{field.name}_display")())
    value = getattr(obj, field.attname)
    if value is None or value == "":
        return None
    if isinstance(field, models.ForeignKey):
        related = getattr(obj, field.name)
        if isinstance(related, Inburgeraar) and related.pk != case.pk:
            return f"inburgeraar #{related.pk}"  # another person: not their data
        return str(related)
    if isinstance(field, models.FileField):
        return value.rsplit("/", 1)[-1]
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _fields(obj, case):
    return {
        str(field.verbose_name): _value(obj, field, case)
        for field in obj._meta.concrete_fields
        if field.name not in SKIPPED_FIELDS and not field.primary_key
    }


def collect(case: Inburgeraar) -> dict:
    records, keys = [], [(case._meta.label_lower, [str(case.pk)])]
    for model in sorted(record_models(), key=lambda m: m._meta.label):
        path = model.CASE_PATH
        rows = list(model._default_manager.filter(**{path: case}).order_by("pk"))
        if not rows:
            continue
        keys.append((model._meta.label_lower, [str(row.pk) for row in rows]))
        records.append(
            {
                "soort": str(model._meta.verbose_name_plural),
                "registraties": [{"id": row.pk, **_fields(row, case)} for row in rows],
            }
        )
    about_person = Q(pk__in=[])
    for object_type, ids in keys:
        about_person |= Q(object_type=object_type, object_id__in=ids)
    trail = AuditEntry.objects.filter(about_person).order_by("timestamp", "id")
    return {
        "inburgeraar": {"id": case.pk, **_fields(case, case)},
        "gegevens": records,
        "inzage_door_anderen": [
            {
                "tijdstip": timezone.localtime(entry.timestamp).isoformat(timespec="seconds"),
                "gebruiker": entry.actor_username or "systeem",
                "handeling": str(entry.get_action_display()),
                "onderdeel": entry.object_repr,
                "reden": entry.reason,
            }
            for entry in trail
            if entry.action in READ_ACTIONS
        ],
        "wijzigingen": [
            {
                "tijdstip": timezone.localtime(entry.timestamp).isoformat(timespec="seconds"),
                "gebruiker": entry.actor_username or "systeem",
                "handeling": str(entry.get_action_display()),
                "onderdeel": entry.object_repr,
                "velden": sorted(set(entry.fields) | set(entry.changes)),
                "reden": entry.reason,
            }
            for entry in trail
            if entry.action not in READ_ACTIONS
        ],
    }


def as_json(data: dict, *, made_by: str) -> bytes:
    document = {
        "grondslag": "AVG artikel 15 (recht van inzage)",
        "gemaakt_op": timezone.localtime().isoformat(timespec="seconds"),
        "gemaakt_door": made_by,
        **data,
    }
    return json.dumps(document, ensure_ascii=False, indent=2, default=str).encode()


def as_pdf(data: dict, *, case: Inburgeraar, made_by: str) -> bytes:
    """Through the letter engine: tagged PDF/UA-1, nothing fetched but the letter stylesheet."""
    from letters.engine import render_pdf

    return render_pdf(
        "privacy/pdf/inzage.html",
        {
            "data": data,
            "municipality": case.municipality,
            "made_on": timezone.localdate(),
            "made_by": made_by,
        },
    )
