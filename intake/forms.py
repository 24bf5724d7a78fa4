from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import REASON_MAX_LENGTH, DateInput, DateTimeInput, UtrechtFormMixin

from .models import DevelopmentPoint, Education, Intake, WorkExperience
from .rules import Route


class IntakeSectionForm(UtrechtFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    # Sections save separately; what the law requires shows in the progress indicator instead.
    hide_optional_marker = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version


class LearnabilityTestForm(IntakeSectionForm):
    class Meta:
        model = Intake
        fields = ["test_date", "test_score", "test_exemption"]
        widgets = {"test_date": DateInput()}

    def clean(self):
        data = super().clean()
        exempt = data.get("test_exemption")
        if exempt and (data.get("test_score") is not None):
            self.add_error(
                "test_score", _("Vul geen score in als de inburgeraar is vrijgesteld van de toets.")
            )
        if not exempt and (data.get("test_score") is None) != (data.get("test_date") is None):
            self.add_error(None, _("Vul zowel de datum als de score van de leerbaarheidstoets in."))
        test_date = data.get("test_date")
        if test_date and test_date > timezone.localdate():
            self.add_error("test_date", _("Deze datum ligt in de toekomst."))
        return data


class EducationWorkForm(IntakeSectionForm):
    class Meta:
        model = Intake
        fields = ["highest_education", "education_work_notes"]


class CircumstancesForm(IntakeSectionForm):
    class Meta:
        model = Intake
        fields = ["personal_circumstances"]


class HealthForm(IntakeSectionForm):
    class Meta:
        model = Intake
        fields = ["physical_health", "mental_health"]


class ThirdPartyForm(IntakeSectionForm):
    class Meta:
        model = Intake
        fields = ["third_party_info", "third_party_info_requested", "third_party_info_received"]
        widgets = {
            "third_party_info_requested": DateInput(),
            "third_party_info_received": DateInput(),
        }

    def clean(self):
        data = super().clean()
        requested = data.get("third_party_info_requested")
        received = data.get("third_party_info_received")
        if (requested or received) and not data.get("third_party_info"):
            self.add_error("third_party_info", _("Vul in op welke informatie werd gewacht."))
        if data.get("third_party_info") and not requested:
            self.add_error(
                "third_party_info_requested", _("Vul in wanneer de informatie is opgevraagd.")
            )
        for name in ("third_party_info_requested", "third_party_info_received"):
            if data.get(name) and data[name] > timezone.localdate():
                self.add_error(name, _("Deze datum ligt in de toekomst."))
        if requested and received and received < requested:
            self.add_error(
                "third_party_info_received",
                _("De informatie kan niet vóór de aanvraag binnen zijn."),
            )
        return data


class SkillsForm(IntakeSectionForm):
    class Meta:
        model = Intake
        fields = ["language_level", "other_languages", "digital_skills", "motivation"]


class RouteForm(IntakeSectionForm):
    class Meta:
        model = Intake
        fields = ["chosen_route", "route_deviation_reason"]

    def __init__(self, *args, advice=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.advice = advice
        self.fields["chosen_route"].choices = [("", _("Kies een leerroute"))] + Route.CHOICES

    def clean(self):
        data = super().clean()
        route = data.get("chosen_route")
        if (
            route
            and self.advice
            and self.advice.route
            and route != self.advice.route
            and not (data.get("route_deviation_reason") or "").strip()
        ):
            self.add_error(
                "route_deviation_reason",
                _("U kiest een andere route dan het advies (%(advice)s). Geef de reden.")
                % {"advice": self.advice.label},
            )
        return data


class EducationForm(UtrechtFormMixin, forms.ModelForm):
    prefix = "opleiding"

    class Meta:
        model = Education
        fields = ["name", "country", "years", "diploma"]


class WorkExperienceForm(UtrechtFormMixin, forms.ModelForm):
    prefix = "werk"

    class Meta:
        model = WorkExperience
        fields = ["occupation", "country", "years"]


class DevelopmentPointForm(UtrechtFormMixin, forms.ModelForm):
    prefix = "punt"

    class Meta:
        model = DevelopmentPoint
        fields = ["kind", "description"]


class InvitationForm(UtrechtFormMixin, forms.Form):
    prefix = "uitnodiging"
    conversation_at = forms.DateTimeField(label=_("Datum en tijd gesprek"), widget=DateTimeInput())
    response_date = forms.DateField(label=_("Reageren t/m"), widget=DateInput())

    def clean(self):
        data = super().clean()
        when = data.get("conversation_at")
        if when and when < timezone.now() - timedelta(days=365):
            self.add_error("conversation_at", _("Deze datum ligt meer dan een jaar terug."))
        return data


class CancelForm(UtrechtFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reden van annuleren"), widget=forms.Textarea, max_length=REASON_MAX_LENGTH
    )


YES_NO = [("ja", _("Ja")), ("nee", _("Nee"))]


class MissedAssessmentForm(UtrechtFormMixin, forms.Form):
    """Niet verschenen: the assessment before any measure (Awb 5:41)."""

    geldige_reden = forms.ChoiceField(
        label=_("Had de inburgeraar een geldige reden om niet te komen?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    geldige_reden_toelichting = forms.CharField(
        label=_("Toelichting geldige reden"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Wat de inburgeraar liet weten, of dat er niets van hem of haar is gehoord."),
    )
    verwijtbaar = forms.ChoiceField(
        label=_("Is het niet verschijnen verwijtbaar (artikel 5:41 Awb)?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    verwijtbaar_toelichting = forms.CharField(
        label=_("Toelichting verwijtbaarheid (komt in een boetebeschikking)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def assessment(self) -> dict:
        data = self.cleaned_data
        return {
            "geldige_reden": data["geldige_reden"] == "ja",
            "geldige_reden_toelichting": data["geldige_reden_toelichting"],
            "verwijtbaar": data["verwijtbaar"] == "ja",
            "verwijtbaar_toelichting": data["verwijtbaar_toelichting"],
        }


class WithdrawMeasureForm(UtrechtFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reden van intrekken"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=REASON_MAX_LENGTH,
    )
