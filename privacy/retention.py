"""Retention (AVG art. 5(1)(e); DOMAIN.md: 5 years after the inburgeringsplicht ends).

A case is due once its `Afronding.retention_until` (the last day kept) has passed, unless it has
a legal hold or was anonymised already. Anonymising keeps what the statistics count (municipality,
doelgroep, status, gender, year of birth, the legal dates, routes, outcomes and results) and the
audit trail's facts (who did what when, field names; never values), and removes the rest:

- the person's identifying data on the case (BSN, V-nummer, names, address, contact details,
  legal representative, nationality, languages; the date of birth becomes 1 January of its year);
- every document (row and stored file) and every other stored file (letters, PIP documents,
  the dossier summary), whose rows stay as facts without their file;
- every free-text field of the case's records (the fields each model declares in
  AUDIT_MASKED_FIELDS or AUDIT_PLAIN_FIELDS, so a new record's free text is covered once it is
  classified, which tests/test_audit_special_category.py demands).

`report()` is the dry run for the privacy officer; `sweep()` is what Celery beat runs daily. Both
are idempotent: a case anonymised once is never touched again.
"""

from datetime import date

from django.db import models, transaction
from django.utils import timezone

from audit import events as audit
from cases.models import Inburgeraar

from .inzage import record_models
from .models import Anonymisation, LegalHold

ANONYMISED_NAME = "[geanonimiseerd]"
PERSON_BLANKED = (
    "v_nummer",
    "surname_prefix",
    "search_name",
    "nationality",
    "languages",
    "phone",
    "email",
    "street",
    "house_number",
    "postal_code",
    "city",
    "legal_representative_name",
    "legal_representative_street",
    "legal_representative_house_number",
    "legal_representative_postal_code",
    "legal_representative_city",
)
OWN_MODELS = (LegalHold, Anonymisation)


def past_retention(today: date):
    return Inburgeraar.objects.filter(
        afronding__retention_until__lt=today, anonymisation__isnull=True
    )


def due_cases(today: date):
    return past_retention(today).filter(legal_hold__isnull=True)


def report(today: date | None = None) -> list[dict]:
    """The dry run: every case past its retention period and not yet anonymised, with whether a
    legal hold stops it and what anonymising would remove."""
    today = today or timezone.localdate()
    rows = []
    cases = past_retention(today).select_related("afronding", "municipality", "legal_hold")
    for case in cases.order_by("afronding__retention_until", "pk"):
        hold = getattr(case, "legal_hold", None)
        rows.append(
            {
                "inburgeraar": case.pk,
                "gemeente": case.municipality.name,
                "plicht_geeindigd": case.afronding.on.isoformat(),
                "bewaren_tot_en_met": case.afronding.retention_until.isoformat(),
                "legal_hold": hold.reason if hold else "",
                "wordt_verwijderd": {} if hold else _removals(case, apply=False),
            }
        )
    return rows


def sweep(today: date | None = None) -> int:
    """Anonymise every due case; returns how many. Safe to run twice or side by side."""
    today = today or timezone.localdate()
    done = 0
    for pk in list(due_cases(today).values_list("pk", flat=True)):
        if anonymise(pk, today=today):
            done += 1
    return done


@transaction.atomic
def anonymise(case_pk: int, *, today: date) -> Anonymisation | None:
    case = Inburgeraar.objects.select_for_update().filter(pk=case_pk).first()
    # Checked again under the lock: a hold placed or a run finished meanwhile wins.
    if case is None or not due_cases(today).filter(pk=case_pk).exists():
        return None
    removed = _removals(case, apply=True)
    born = case.date_of_birth
    Inburgeraar.objects.filter(pk=case.pk).update(
        bsn=f"A{case.pk:08d}"[-9:],  # not a BSN (a letter), unique, never a real one
        first_names=ANONYMISED_NAME,
        surname=ANONYMISED_NAME,
        date_of_birth=date(born.year, 1, 1),
        **dict.fromkeys(PERSON_BLANKED, ""),
    )
    removed["inburgeraar"] = ["bsn", "first_names", "surname", "date_of_birth", *PERSON_BLANKED]
    anonymisation = Anonymisation.objects.create(
        inburgeraar=case, retention_until=case.afronding.retention_until, removed=removed
    )
    audit.retention_applied(case, removed=removed)
    return anonymisation


def _text_fields(model):
    declared = set(getattr(model, "AUDIT_MASKED_FIELDS", ())) | set(
        getattr(model, "AUDIT_PLAIN_FIELDS", ())
    )
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.name in declared and isinstance(field, models.CharField | models.TextField)
    ]


def _removals(case, *, apply: bool) -> dict:
    """What anonymising removes from the case's records, by model: {label: {what: count}}."""
    from documents.models import Document

    removed = {}
    for model in record_models():
        if model in OWN_MODELS:
            continue
        rows = model._default_manager.filter(**{model.CASE_PATH: case})
        label = model._meta.label_lower
        if model is Document:
            count = rows.count()
            if count:
                removed[label] = {"documenten": count}
                if apply:
                    for document in rows:
                        document.delete()  # its post_delete signal removes the stored file
            continue
        entry = {}
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                with_file = rows.exclude(**{field.name: ""}).exclude(
                    **{f"{field.name}__isnull": True}
                )
                count = with_file.count()
                if count:
                    entry[field.name] = count
                    if apply:
                        for row in with_file:
                            getattr(row, field.name).storage.delete(getattr(row, field.name).name)
                        with_file.update(**{field.name: ""})
        for name in _text_fields(model):
            filled = rows.exclude(**{name: ""})
            count = filled.count()
            if count:
                entry[name] = count
                if apply:
                    filled.update(**{name: ""})
        if entry:
            removed[label] = entry
    return removed
