"""Issue 11 point 10: the trail records that a special-category field changed, never its value.

Each model declares, next to its fields, which values never reach the trail (`AUDIT_MASKED_FIELDS`)
and which free-text fields were reviewed and hold no such data (`AUDIT_PLAIN_FIELDS`). A new
free-text field on a person's record that is in neither list fails here, so none can slip.
"""

import json

import pytest
from django.apps import apps
from django.db import models

from audit.models import AuditEntry
from audit.services import MASK, diff
from intake import services as intake_services
from intake.models import IntakeTopic, TopicNote

from .factories import IntakeFactory

SECRET = "zwanger, depressie"

# The fields a reader of the law calls special-category (AVG art. 9) or that hold health and
# circumstances in practice: these must stay masked whatever else changes.
KNOWN_SPECIAL = {
    ("intake.intake", "physical_health"),
    ("intake.intake", "mental_health"),
    ("intake.intake", "personal_circumstances"),
    ("intake.topicnote", "notes"),
    ("uitvoering.enrolment", "no_fault_statement"),
    ("uitvoering.examdecision", "reason"),
    ("uitvoering.verlenging", "toelichting"),
    ("uitvoering.completion", "reason_not_met"),
    ("uitvoering.progressreview", "language_discussed"),
    ("documents.document", "description"),
    ("letters.bezwaar", "grounds"),
    ("pip_plans.pipversion", "begeleiding"),
}


def person_record_models():
    """Every model that holds a person's record: the case itself and what hangs off it."""
    return [
        model
        for model in apps.get_models()
        if model._meta.label_lower == "cases.inburgeraar" or getattr(model, "CASE_PATH", None)
    ]


def free_text_fields(model):
    """Text fields, and character fields long enough for a sentence (names and addresses are
    shorter and are personal, not special-category, data)."""
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.TextField)
        or (
            isinstance(field, models.CharField)
            and not field.choices
            and (field.max_length or 0) >= 300
        )
    ]


def masked(model):
    return set(getattr(model, "AUDIT_MASKED_FIELDS", ()))


def plain(model):
    return set(getattr(model, "AUDIT_PLAIN_FIELDS", ()))


def test_every_free_text_field_of_a_person_record_is_classified():
    unclassified = []
    for model in person_record_models():
        both = masked(model) & plain(model)
        assert not both, f"{model._meta.label}: both masked and plain: {both}"
        names = {field.name for field in model._meta.concrete_fields}
        unknown = (masked(model) | plain(model)) - names
        assert not unknown, f"{model._meta.label}: declared fields that do not exist: {unknown}"
        unclassified += [
            f"{model._meta.label}.{name}"
            for name in free_text_fields(model)
            if name not in masked(model) | plain(model)
        ]
    assert unclassified == [], (
        "Free-text fields of a person's record must be declared in AUDIT_MASKED_FIELDS "
        f"(special-category) or AUDIT_PLAIN_FIELDS: {unclassified}"
    )


def test_the_known_special_category_fields_are_masked():
    declared = {
        (model._meta.label_lower, name)
        for model in person_record_models()
        for name in masked(model)
    }
    assert declared >= KNOWN_SPECIAL, KNOWN_SPECIAL - declared


def all_masked_fields():
    return sorted(
        (model._meta.label_lower, name)
        for model in person_record_models()
        for name in masked(model)
    )


@pytest.mark.parametrize(("label", "field"), all_masked_fields())
def test_a_change_of_a_masked_field_stores_no_value(label, field):
    model = apps.get_model(label)
    changes = diff(model(), {field: "oud: hartklachten"}, {field: SECRET})
    assert changes == {field: [MASK, MASK]}
    # A plain field beside it keeps its values: the masking is per field, not per entry.
    other = next((f.name for f in model._meta.concrete_fields if f.name not in masked(model)), None)
    if other:
        assert diff(model(), {other: "a"}, {other: "b"}) == {other: ["a", "b"]}


def stored_text(entry):
    return json.dumps(
        {
            "repr": entry.object_repr,
            "fields": entry.fields,
            "changes": entry.changes,
            "reason": entry.reason,
            "str": str(entry),
        }
    )


def test_topic_note_text_never_reaches_the_trail(caseworker_of, case_in):
    user = caseworker_of("hoorn")
    intake = IntakeFactory(in_progress=True, inburgeraar=case_in("hoorn"))
    topic = IntakeTopic.objects.create(name="Gezin")
    intake_services.save_topic_note(user, intake, topic, SECRET)
    intake_services.save_topic_note(user, intake, topic, "bevallen, herstellende")

    note = TopicNote.objects.get(intake=intake, topic=topic)
    entries = list(AuditEntry.objects.for_object(note))
    assert len(entries) == 2
    assert entries[0].changes == {"notes": [MASK, MASK]}
    assert f"topic:{topic.pk}" in entries[0].fields
    for entry in AuditEntry.objects.all():
        assert "zwanger" not in stored_text(entry)
        assert "bevallen" not in stored_text(entry)


def test_personal_circumstances_never_reach_the_trail(caseworker_of, case_in):
    user = caseworker_of("hoorn")
    intake = IntakeFactory(in_progress=True, inburgeraar=case_in("hoorn"))
    intake_services.save_intake_fields(
        user,
        intake,
        expected_version=intake.version,
        values={"personal_circumstances": SECRET, "motivation": "Wil werken in de zorg"},
    )
    entry = AuditEntry.objects.for_object(intake).latest("id")
    assert entry.changes["personal_circumstances"] == [MASK, MASK]
    assert entry.changes["motivation"] == ["", "Wil werken in de zorg"]
    assert "zwanger" not in stored_text(entry)
