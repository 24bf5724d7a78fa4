from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import DateInput, UtrechtFormMixin, latest_plausible_date
from intake.rules import Route
from municipalities.models import Organisation

from .models import Activity, Benefit, MapProgress, MapStatus, Share, Unburdening
from .selectors import UNBURDENING_STATES

# The Wet inburgering 2021 took effect on 1 January 2022.
WET_INBURGERING_2021 = date(2022, 1, 1)


class RevealBsnForm(UtrechtFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Waarvoor hebt u het volledige BSN nodig?"),
        max_length=300,
        help_text=_("Komt in het auditlog, met de grondslag van het delen."),
    )


class ShareForm(UtrechtFormMixin, forms.ModelForm):
    # A share rests on the Wet inburgering 2021: none starts (or was consented to) before it.
    date_bounds = dict.fromkeys(
        ("consent_date", "start_date", "end_date"), (WET_INBURGERING_2021, latest_plausible_date)
    )

    class Meta:
        model = Share
        fields = [
            "basis",
            "consent_date",
            "consent_scope",
            "consent_document",
            "start_date",
            "end_date",
        ]
        widgets = {
            "basis": forms.RadioSelect,
            "consent_date": DateInput(),
            "start_date": DateInput(),
            "end_date": DateInput(),
        }

    def __init__(self, *args, consent_documents=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A basis must be chosen on purpose: no preselected empty radio button.
        self.fields["basis"].choices = Share.Basis.choices
        # The signed consent forms of this case, read through the one door by the view.
        field = self.fields["consent_document"]
        if consent_documents is None:
            field.queryset = field.queryset.none()
        else:
            field.queryset = consent_documents


class EndShareForm(UtrechtFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reden"), max_length=300)
    revoked = forms.BooleanField(
        label=_("De inburgeraar heeft de toestemming ingetrokken"), required=False
    )


class BenefitForm(UtrechtFormMixin, forms.ModelForm):
    class Meta:
        model = Benefit
        fields = ["start_date", "end_date"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}


class UnburdeningForm(UtrechtFormMixin, forms.ModelForm):
    class Meta:
        model = Unburdening
        fields = [
            "machtiging_date",
            "start_date",
            "planned_end",
            "rent",
            "energy_water",
            "health_insurance",
            "ended_on",
        ]
        widgets = {
            "machtiging_date": DateInput(),
            "start_date": DateInput(),
            "planned_end": DateInput(),
            "ended_on": DateInput(),
        }


class MapProgressForm(UtrechtFormMixin, forms.ModelForm):
    class Meta:
        model = MapProgress
        fields = ["status", "hours_done", "final_conversation", "notes"]
        widgets = {"final_conversation": DateInput()}


class ActivityForm(UtrechtFormMixin, forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["kind", "name", "provider", "start_date", "end_date", "hours_per_week"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}


RECORD_FORMS = {
    "bijstand": BenefitForm,
    "ontzorgen": UnburdeningForm,
    "map": MapProgressForm,
    "activiteit": ActivityForm,
}


class DashboardFilterForm(UtrechtFormMixin, forms.Form):
    q = forms.CharField(label=_("Zoek op naam of BSN"), required=False, max_length=200)
    municipality = forms.ModelChoiceField(
        label=_("Gemeente"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.GEMEENTE).order_by("name"),
        required=False,
        empty_label=_("Alle gemeenten"),
    )
    route = forms.ChoiceField(
        label=_("Leerroute"),
        choices=[("", _("Alle routes")), *Route.CHOICES, ("geen", _("Nog geen PIP"))],
        required=False,
    )
    ontzorgen = forms.ChoiceField(
        label=_("Ontzorgen"), choices=[("", _("Alle")), *UNBURDENING_STATES], required=False
    )
    map_status = forms.ChoiceField(
        label=_("MAP"), choices=[("", _("Alle")), *MapStatus.choices], required=False
    )
    open_deadlines = forms.ChoiceField(
        label=_("Open termijnen"),
        choices=[("", _("Alle")), ("ja", _("Met open termijn")), ("nee", _("Zonder open termijn"))],
        required=False,
    )
