from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import DateInput, UtrechtFormMixin
from municipalities.models import Organisation

from .models import (
    Afronding,
    Completion,
    Enrolment,
    ExamDecision,
    ExamResult,
    ProgressReview,
    Verlenging,
)
from .services import ENROLMENT_FIELDS, REVIEW_FIELDS

DATE_WIDGETS = {
    name: DateInput()
    for name in (
        "aanmelding_date",
        "school_intake_date",
        "actual_start",
        "planned_end",
        "map_start",
        "map_end",
        "pvt_start",
        "pvt_end",
        "no_fault_statement_on",
        "held_on",
        "next_review_on",
        "exam_date",
        "registered_on",
        "decided_on",
        "on",
        "requested_on",
        "new_end",
        "z_final_conversation_on",
    )
}


class EnrolmentForm(UtrechtFormMixin, forms.ModelForm):
    class Meta:
        model = Enrolment
        fields = ["school", *ENROLMENT_FIELDS]
        widgets = DATE_WIDGETS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = Organisation.objects.filter(
            kind=Organisation.Kind.AANBIEDER
        ).order_by("name")
        if self.instance.pk:
            self.fields["school"].disabled = True


class ReviewForm(UtrechtFormMixin, forms.ModelForm):
    class Meta:
        model = ProgressReview
        fields = list(REVIEW_FIELDS)
        widgets = DATE_WIDGETS


class ExamResultForm(UtrechtFormMixin, forms.ModelForm):
    class Meta:
        model = ExamResult
        fields = ["onderdeel", "level", "score", "exam_date", "result", "registered_on"]
        widgets = DATE_WIDGETS


class ExamDecisionForm(UtrechtFormMixin, forms.ModelForm):
    class Meta:
        model = ExamDecision
        fields = ["onderdeel", "kind", "decided_on", "reason"]
        widgets = DATE_WIDGETS


class CompletionForm(UtrechtFormMixin, forms.ModelForm):
    verwijtbaar = forms.NullBooleanField(
        label=_("verwijtbaar"),
        required=False,
        widget=forms.Select(choices=[("unknown", "—"), ("true", _("Ja")), ("false", _("Nee"))]),
    )

    class Meta:
        model = Completion
        fields = ["part", "on", "result", "reason_not_met", "verwijtbaar"]
        widgets = DATE_WIDGETS


class VerlengingRequestForm(UtrechtFormMixin, forms.ModelForm):
    class Meta:
        model = Verlenging
        fields = ["grond", "requested_on", "toelichting"]
        widgets = DATE_WIDGETS


class VerlengingDecisionForm(UtrechtFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("besluit DUO"),
        choices=[
            (Verlenging.Decision.TOEGEKEND, _("Toegekend")),
            (Verlenging.Decision.AFGEWEZEN, _("Afgewezen")),
        ],
    )
    decided_on = forms.DateField(label=_("datum besluit DUO"), widget=DateInput())
    new_end = forms.DateField(
        label=_("nieuwe einddatum termijn (t/m)"), required=False, widget=DateInput()
    )


class AfrondingForm(UtrechtFormMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("uitkomst"), choices=Afronding.Outcome.choices)
    on = forms.DateField(label=_("datum"), widget=DateInput())
    end_reason = forms.ChoiceField(
        label=_("reden beëindiging"),
        required=False,
        choices=[("", "—"), *Afronding.EndReason.choices],
    )
    z_final_conversation_on = forms.DateField(
        label=_("Z-route: eindgesprek gehouden op"), required=False, widget=DateInput()
    )
    notes = forms.CharField(label=_("toelichting"), required=False, max_length=500)


class MoveOutForm(UtrechtFormMixin, forms.Form):
    moved_to = forms.CharField(label=_("nieuwe gemeente (buiten Westfriesland)"), max_length=100)
    on = forms.DateField(label=_("verhuisdatum"), widget=DateInput())
    notes = forms.CharField(label=_("toelichting"), required=False, max_length=500)


class CsvUploadForm(UtrechtFormMixin, forms.Form):
    file = forms.FileField(label=_("CSV-bestand met presentie en voortgang"))


class ExamCsvUploadForm(UtrechtFormMixin, forms.Form):
    file = forms.FileField(label=_("CSV-bestand met examenresultaten van DUO"))
