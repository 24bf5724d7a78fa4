from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.bsn import normalise_bsn, validate_bsn
from common.forms import DateInput, DateTimeInput, UtrechtFormMixin
from municipalities.models import CASE_WRITE_ROLES, Organisation
from municipalities.selectors import organisations_of

from .models import (
    LEGAL_DATE_FIELDS,
    PERSON_FIELDS,
    CaseStatus,
    DevelopmentPoint,
    Doelgroep,
    Education,
    Inburgeraar,
    Intake,
    WorkExperience,
)
from .rules import Route

MINIMUM_AGE = 16  # the duty can apply from 16


class RegistrationForm(UtrechtFormMixin, forms.ModelForm):
    """Register an inburgeraar by hand, with clear messages for every impossible input."""

    class Meta:
        model = Inburgeraar
        fields = [*PERSON_FIELDS, "doelgroep", "municipality", *LEGAL_DATE_FIELDS]
        widgets = {
            "date_of_birth": DateInput(),
            "datum_kennisgeving": DateInput(),
            "datum_inschrijving_brp": DateInput(),
            "datum_start_inburgeringsplicht": DateInput(),
            "datum_koppeling": DateInput(),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["bsn"].validators = []  # checked in clean_bsn, with the 11-proef named
        self.fields["bsn"].help_text = _("9 cijfers; wordt gecontroleerd met de 11-proef.")
        self.fields["municipality"].queryset = organisations_of(
            user, roles=CASE_WRITE_ROLES
        ).filter(kind=Organisation.Kind.GEMEENTE)
        self.fields["municipality"].empty_label = None
        self.fields["datum_kennisgeving"].required = True

    def clean_bsn(self):
        bsn = normalise_bsn(self.cleaned_data["bsn"])
        validate_bsn(bsn)
        existing = Inburgeraar.objects.filter(bsn=bsn)
        if existing.exists():
            if Inburgeraar.objects.visible_to(self.user).filter(bsn=bsn).exists():
                raise forms.ValidationError(
                    _("Dit BSN is al ingeschreven. Zoek de inburgeraar op in de lijst."),
                    code="bsn_known",
                )
            # A case the user may not see: say nothing about it.
            raise forms.ValidationError(
                _(
                    "Dit BSN kan niet worden ingeschreven. Neem contact op met de functioneel beheerder."
                ),
                code="bsn_unavailable",
            )
        return bsn

    def validate_unique(self):
        # BSN uniqueness is checked in clean_bsn with a message that does not leak other cases.
        exclude = self._get_validation_exclusions()
        exclude.add("bsn")
        try:
            self.instance.validate_unique(exclude=exclude)
        except forms.ValidationError as error:
            self._update_errors(error)

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        born = data.get("date_of_birth")
        if born:
            if born > today:
                self.add_error("date_of_birth", _("De geboortedatum ligt in de toekomst."))
            elif _age(born, today) < MINIMUM_AGE:
                self.add_error(
                    "date_of_birth",
                    _("De inburgeringsplicht geldt vanaf 16 jaar; controleer de geboortedatum."),
                )
            elif _age(born, today) > 120:
                self.add_error("date_of_birth", _("Deze geboortedatum is niet mogelijk."))
        for name in (
            "datum_kennisgeving",
            "datum_inschrijving_brp",
            "datum_start_inburgeringsplicht",
            "datum_koppeling",
        ):
            value = data.get(name)
            if value and value > today:
                self.add_error(name, _("Deze datum ligt in de toekomst."))
            elif value and born and value < born:
                self.add_error(name, _("Deze datum ligt vóór de geboortedatum."))
        if data.get("datum_koppeling") and data.get("doelgroep") != Doelgroep.ASIELSTATUSHOUDER:
            self.add_error(
                "datum_koppeling",
                _("Een koppelingsdatum (COA) hoort alleen bij een asielstatushouder."),
            )
        return data


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class CaseFilterForm(UtrechtFormMixin, forms.Form):
    SORTS = [
        ("naam", _("Naam (A-Z)")),
        ("-kennisgeving", _("Kennisgeving (nieuwste eerst)")),
        ("kennisgeving", _("Kennisgeving (oudste eerst)")),
        ("termijn", _("Eerstvolgende termijn")),
    ]
    q = forms.CharField(label=_("Zoek op naam, BSN of V-nummer"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Alle"))] + CaseStatus.choices
    )
    doelgroep = forms.ChoiceField(
        label=_("Doelgroep"), required=False, choices=[("", _("Alle"))] + Doelgroep.choices
    )
    caseworker = forms.ChoiceField(label=_("Klantmanager"), required=False)
    municipality = forms.ChoiceField(label=_("Gemeente"), required=False)
    sort = forms.ChoiceField(label=_("Sorteren"), required=False, choices=SORTS)

    def __init__(self, *args, user, caseworkers, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"
        self.fields["caseworker"].choices = [
            ("", _("Iedereen")),
            ("mij", _("Mijn inburgeraars")),
            ("geen", _("Niet toegewezen")),
        ] + [(str(u.pk), str(u)) for u in caseworkers]
        self.fields["municipality"].choices = [("", _("Alle"))] + [
            (str(m.pk), m.name) for m in municipalities
        ]
        if len(municipalities) < 2:
            del self.fields["municipality"]


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


class TransferForm(UtrechtFormMixin, forms.Form):
    to_municipality = forms.ModelChoiceField(
        label=_("Naar gemeente"), queryset=Organisation.objects.none()
    )
    reason = forms.CharField(label=_("Toelichting"), required=False, widget=forms.Textarea)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_municipality"].queryset = Organisation.objects.filter(
            kind=Organisation.Kind.GEMEENTE
        ).exclude(pk=case.municipality_id)


class CancelForm(UtrechtFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reden van annuleren"), widget=forms.Textarea)
