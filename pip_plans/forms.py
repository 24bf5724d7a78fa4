from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import REASON_MAX_LENGTH, DateInput, UtrechtFormMixin

from .models import LanguageSchool, PipVersion, VersionReason
from .services import CONTENT_FIELDS

# The draft in the order of the decision letter: (legend, fields).
SECTIONS = [
    (_("Leerroute"), ["route", "route_reason", "age_reason"]),
    (
        _("Doelniveaus per examenonderdeel"),
        [
            "level_lezen",
            "level_luisteren",
            "level_schrijven",
            "level_spreken",
            "knm",
            "course_hours_followed",
        ],
    ),
    (_("Z-route"), ["z_hours_language", "z_hours_participation"]),
    (_("MAP en PVT"), ["map_hours", "map_intensity", "pvt_hours", "pvt_planned_signing"]),
    (
        _("Doelen"),
        [
            "hoofddoel",
            "goal_language",
            "goal_language_date",
            "goal_work",
            "goal_work_date",
            "goal_participation",
            "goal_participation_date",
            "development_goals",
        ],
    ),
    (
        _("Inburgeringsaanbod"),
        ["language_school", "course_start", "alfabetisering", "taalschakeltraject", "contract_id"],
    ),
    (
        _("Begeleiding en ontzorgen"),
        [
            "begeleiding",
            "maatschappelijke_begeleiding",
            "unburdening",
            "unburdening_rent",
            "unburdening_energy",
            "unburdening_insurance",
            "unburdening_start",
        ],
    ),
    (
        _("Kinderopvang, contactpersoon en overige afspraken"),
        ["childcare", "contact_name", "contact_email", "other_agreements", "reason_text"],
    ),
]


class PipDraftForm(UtrechtFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = PipVersion
        fields = CONTENT_FIELDS
        widgets = {
            name: DateInput()
            for name in (
                "pvt_planned_signing",
                "goal_language_date",
                "goal_work_date",
                "goal_participation_date",
                "course_start",
                "unburdening_start",
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version
        self.fields["language_school"].queryset = LanguageSchool.objects.filter(is_active=True)
        if self.instance.number == 1:
            del self.fields["reason_text"]

    def sections(self):
        """Bound fields grouped as in the decision letter."""
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in SECTIONS
        ]


class ReturnForm(UtrechtFormMixin, forms.Form):
    comment = forms.CharField(label=_("Opmerking voor de klantmanager"), widget=forms.Textarea)


class NewVersionForm(UtrechtFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("Reden"),
        choices=[c for c in VersionReason.choices if c[0] != VersionReason.INITIAL],
    )
    reason_text = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea, max_length=REASON_MAX_LENGTH
    )


class CompareForm(forms.Form):
    left = forms.IntegerField()
    right = forms.IntegerField()
